// kuaiji chat bubble: <script src="https://kuaiji.example/widget.js" data-title="在线咨询" async></script>
// adds a button that opens the chat page in an iframe. The server serves this
// script only to pages of allowed origins, and the framed page refuses every
// other site (frame-ancestors).
(function () {
  "use strict";
  var me = document.currentScript;
  if (!me || window.__kuaijiWidget) return;
  window.__kuaijiWidget = true;
  var base = new URL(".", me.src).href;
  var title = me.getAttribute("data-title") || "在线咨询";
  var side = me.getAttribute("data-position") === "left" ? "left" : "right";

  function style(e, css) { for (var k in css) e.style[k] = css[k]; }

  var bubble = document.createElement("button");
  bubble.type = "button";
  bubble.id = "kuaiji-bubble";
  bubble.textContent = title;
  bubble.setAttribute("aria-expanded", "false");
  style(bubble, { position: "fixed", bottom: "20px", zIndex: "2147483000", padding: "12px 18px",
    border: "0", borderRadius: "24px", background: "#1f6feb", color: "#fff", font: "15px sans-serif",
    boxShadow: "0 4px 14px rgba(0,0,0,.2)", cursor: "pointer" });
  bubble.style[side] = "20px";

  var frame = null;
  bubble.addEventListener("click", function () {
    if (!frame) {
      frame = document.createElement("iframe");
      frame.id = "kuaiji-frame";
      frame.title = title;
      frame.src = base + "embed/";
      style(frame, { position: "fixed", bottom: "76px", width: "min(400px, calc(100vw - 24px))",
        height: "min(620px, calc(100vh - 100px))", border: "1px solid #e4e7eb", borderRadius: "12px",
        background: "#fff", zIndex: "2147483000", boxShadow: "0 8px 28px rgba(0,0,0,.25)" });
      frame.style[side] = "12px";
      document.body.appendChild(frame);
    } else {
      frame.hidden = !frame.hidden;
    }
    bubble.setAttribute("aria-expanded", String(!frame.hidden));
  });
  document.body.appendChild(bubble);
})();
