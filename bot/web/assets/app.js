// kuaiji web chat. Every text from the user, the bot, a model or staff is
// inserted with textContent, never as HTML.
"use strict";
(function () {
  var csrf = document.querySelector('meta[name="kuaiji-csrf"]').content;
  var log = document.getElementById("log");
  var form = document.getElementById("ask");
  var input = form.elements.q;
  var sendBtn = form.querySelector(".send");
  var typing = document.getElementById("typing");
  var notice = document.getElementById("notice");
  var shown = {}; // message id -> element
  var lastID = 0;
  var busy = false;
  var events = null;

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function scrollDown() { log.scrollTop = log.scrollHeight; }

  function render(m) {
    var box = el("div", "msg");
    box.setAttribute("data-role", m.role === "user" ? "user" : "bot");
    box.setAttribute("data-id", String(m.id));
    box.appendChild(el("div", "text", m.text || ""));
    if (m.sources && m.sources.length) {
      var ol = el("ol", "sources");
      ol.setAttribute("aria-label", "来源");
      m.sources.forEach(function (s, i) {
        var li = el("li", "source");
        li.appendChild(document.createTextNode("[" + (i + 1) + "] " + s.title));
        var meta = [s.section, s.date, s.status].filter(Boolean).join(" · ");
        if (meta) li.appendChild(el("span", "meta", " · " + meta));
        ol.appendChild(li);
      });
      box.appendChild(ol);
    }
    if (m.file) {
      var a = el("a", "download", "下载 " + m.file);
      a.href = "api/file/" + m.id;
      a.setAttribute("download", m.file);
      box.appendChild(a);
    }
    if (m.buttons && m.buttons.length) {
      var row = el("div", "choices");
      m.buttons.forEach(function (r) {
        r.forEach(function (b) {
          var btn = el("button", "choice", b.label);
          btn.type = "button";
          btn.addEventListener("click", function () { choose(m, btn, b); });
          row.appendChild(btn);
        });
      });
      box.appendChild(row);
    }
    if (m.chosen) box.appendChild(el("div", "chosen", "✅ " + m.chosen));
    if (m.note) box.appendChild(el("div", "note", m.note));
    return box;
  }

  function show(m) {
    if (m.id) {
      if (m.id > lastID) lastID = m.id;
      var old = shown[m.id];
      var box = render(m);
      shown[m.id] = box;
      if (old) { log.replaceChild(box, old); return; }
    } else {
      box = render(m);
    }
    log.appendChild(box);
    scrollDown();
  }

  function say(text) {
    notice.textContent = text;
    notice.hidden = !text;
  }

  // rated is the token of a rating button's data ("v1|rate|token|up"),
  // "" for any other button.
  function rated(data) {
    var p = (data || "").split("|");
    return p[0] === "v1" && p[1] === "rate" ? p[2] : "";
  }

  // choose updates the message in place: its buttons go, the choice shows.
  // A rating takes away only its own row (👍 / 👎 or the reasons); the
  // server's answer then replaces the message with its thank-you.
  function choose(m, btn, b) {
    if (busy) return;
    var done = {};
    Object.keys(m).forEach(function (k) { done[k] = m[k]; });
    var tok = rated(b.data);
    if (tok) {
      done.buttons = (m.buttons || []).filter(function (r) {
        return !r.some(function (x) { return rated(x.data) === tok; });
      });
      done.note = b.label;
    } else {
      done.buttons = null;
      done.chosen = b.label;
    }
    show(done);
    post({ data: b.data, id: m.id }, function () { show(m); });
  }

  function setBusy(on) {
    busy = on;
    typing.hidden = !on;
    sendBtn.disabled = on;
    Array.prototype.forEach.call(log.querySelectorAll(".choices button"), function (x) { x.disabled = on; });
  }

  // post sends one turn and reads the server-sent events of the answer:
  // drafts while a model writes, then the turn's messages.
  function post(body, undo) {
    setBusy(true);
    say("");
    var draft = null;
    fetch("api/send", {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-Kuaiji-Csrf": csrf },
      body: JSON.stringify(body)
    }).then(function (res) {
      var type = res.headers.get("Content-Type") || "";
      if (!res.ok || type.indexOf("text/event-stream") !== 0) {
        return res.json().then(function (j) { throw new Error(j.error || "发送失败，请重试。"); },
          function () { throw new Error("发送失败，请重试。"); });
      }
      var reader = res.body.getReader();
      var dec = new TextDecoder();
      var buf = "";
      function handle(block) {
        var name = "message", data = "";
        block.split("\n").forEach(function (line) {
          if (line.indexOf("event: ") === 0) name = line.slice(7);
          else if (line.indexOf("data: ") === 0) data += line.slice(6);
        });
        if (!data) return;
        var v = JSON.parse(data);
        if (name === "draft") {
          if (!draft) {
            draft = render({ role: "bot", text: "" });
            draft.classList.add("draft");
            log.appendChild(draft);
          }
          draft.querySelector(".text").textContent += v.text;
          scrollDown();
        } else if (name === "replies") {
          if (draft) { draft.remove(); draft = null; }
          (v.messages || []).forEach(show);
        }
      }
      function pump() {
        return reader.read().then(function (r) {
          if (r.done) return;
          buf += dec.decode(r.value, { stream: true });
          var i;
          while ((i = buf.indexOf("\n\n")) >= 0) {
            handle(buf.slice(0, i));
            buf = buf.slice(i + 2);
          }
          return pump();
        });
      }
      return pump();
    }).catch(function (err) {
      if (draft) draft.remove();
      say(err.message || "网络连接中断，请重试。");
      if (undo) undo();
    }).then(function () {
      setBusy(false);
      input.focus();
    });
  }

  form.addEventListener("submit", function (e) {
    e.preventDefault();
    var text = input.value.trim();
    if (!text || busy) return;
    if (text.length > 2000) { say("消息太长了（最多 2000 字），请分几次发送。"); return; }
    input.value = "";
    post({ text: text }, function () { if (!input.value) input.value = text; });
  });
  input.addEventListener("keydown", function (e) {
    if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      form.requestSubmit();
    }
  });

  // listen keeps an event stream open for staff replies while the page
  // is open; the browser reconnects by itself after a drop.
  function listen() {
    if (events || typeof EventSource === "undefined") return;
    events = new EventSource("api/events?after=" + lastID);
    events.addEventListener("message", function (e) { show(JSON.parse(e.data)); });
  }

  fetch("api/history", { credentials: "same-origin" }).then(function (res) {
    if (!res.ok) throw new Error("暂时无法读取对话记录，请稍后刷新。");
    return res.json();
  }).then(function (j) {
    var ms = j.messages || [];
    ms.forEach(show);
    listen();
    if (!ms.length) post({ text: "/start" });
  }).catch(function (err) { say(err.message); listen(); });
})();
