package web

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io"
	"mime"
	"net/http"
	"path"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

// Friendly texts for refused requests; the page shows them and keeps what
// the user typed.
const (
	expiredText  = "会话已过期，请刷新页面后重试。"
	refusedText  = "请求来源无法确认，请刷新页面后重试。"
	tooFastText  = "您发送得太快了，请稍等几秒再试。"
	tooLongText  = "消息太长了（最多 2000 字），请分几次发送。"
	badInputText = "没有读懂这次提交的内容，请重新输入。"
	failText     = "抱歉，系统出了点问题，请稍后再试。"
)

// guard sets the security headers of every response and refuses requests
// that name another site as their origin, except the page itself (it is
// framed by other sites, which frame-ancestors decides) and the widget
// script (which it decides by the embedding page, see widget).
func (s *Server) guard(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "strict-origin-when-cross-origin")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Content-Security-Policy", s.csp(strings.HasPrefix(r.URL.Path, "/embed/")))
		page := r.Method == http.MethodGet && (r.URL.Path == "/" || r.URL.Path == "/embed/" || r.URL.Path == "/widget.js")
		if !page && !sameOrigin(r) {
			s.log.Warn("web: cross-origin request refused", "path", r.URL.Path, "origin", r.Header.Get("Origin"))
			jsonError(w, http.StatusForbidden, refusedText)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// csp allows only this origin's script, style and connections: no inline
// script, no eval, no third-party request. The page at / may not be
// framed; /embed/ only by the configured origins.
func (s *Server) csp(embed bool) string {
	ancestors := "'none'"
	if embed {
		ancestors = "'self'"
		for o := range s.origins {
			ancestors += " " + o
		}
	}
	return "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
		"form-action 'none'; base-uri 'none'; frame-ancestors " + ancestors
}

var pageTmpl = template.Must(template.ParseFS(assets, "assets/index.html"))

func (s *Server) page(embed bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		sess, _ := s.session(w, r, embed, true)
		var buf bytes.Buffer
		err := pageTmpl.Execute(&buf, map[string]any{"CSRF": s.csrf(sess), "Embed": embed})
		if err != nil {
			s.log.Error("web: render page", "err", err)
			http.Error(w, failText, http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		w.Write(buf.Bytes())
	}
}

func (s *Server) static(w http.ResponseWriter, r *http.Request) {
	name := path.Base(r.PathValue("file"))
	b, err := assets.ReadFile("assets/" + name)
	if err != nil || name == "index.html" {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", mime.TypeByExtension(path.Ext(name)))
	w.Header().Set("Cache-Control", "public, max-age=300")
	w.Write(b)
}

// widget serves the embedding script to the pages of allowed origins and
// refuses everyone else; frame-ancestors refuses the framed page too, so a
// copied script does not help another site.
func (s *Server) widget(w http.ResponseWriter, r *http.Request) {
	from := originOf(r.Referer())
	if from == "" {
		from = r.Header.Get("Origin")
	}
	if !s.origins[from] {
		s.log.Warn("web: widget refused", "origin", from)
		http.Error(w, "// 此网站未获准嵌入 kuaiji 对话。", http.StatusForbidden)
		return
	}
	b, _ := assets.ReadFile("assets/widget.js")
	w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	w.Header().Set("Cross-Origin-Resource-Policy", "cross-origin")
	w.Write(b)
}

// api wraps an API handler: the session must exist (the page made it) and
// a panic costs the one request, not the process.
func (s *Server) api(h func(http.ResponseWriter, *http.Request, session)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		embed := strings.HasPrefix(r.URL.Path, "/embed/")
		sess, ok := s.session(w, r, embed, false)
		if !ok {
			jsonError(w, http.StatusUnauthorized, expiredText)
			return
		}
		defer func() {
			if v := recover(); v != nil {
				s.log.Error("web: panic in request", "path", r.URL.Path, "chat_id", sess.chat, "err", fmt.Sprint(v))
			}
		}()
		h(w, r, sess)
	}
}

func jsonError(w http.ResponseWriter, code int, msg string) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(code)
	json.NewEncoder(w).Encode(map[string]string{"error": msg})
}

// view is an entry as the page gets it: without the document's bytes.
func view(es []Entry) []Entry {
	out := make([]Entry, len(es))
	for i, e := range es {
		e.Data = nil
		out[i] = e
	}
	return out
}

func (s *Server) history(w http.ResponseWriter, r *http.Request, sess session) {
	hist, err := s.loadHistory(r.Context(), sess.chat)
	if err != nil {
		s.log.Error("web: history", "chat_id", sess.chat, "err", err)
		jsonError(w, http.StatusServiceUnavailable, "暂时无法读取对话记录，请稍后刷新。")
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	json.NewEncoder(w).Encode(map[string]any{"messages": view(hist)})
}

func (s *Server) file(w http.ResponseWriter, r *http.Request, sess session) {
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	hist, err := s.loadHistory(r.Context(), sess.chat)
	if err != nil {
		jsonError(w, http.StatusServiceUnavailable, "暂时无法读取文件，请稍后再试。")
		return
	}
	for _, e := range hist {
		if e.ID == id && e.File != "" && e.Data != nil {
			ct := mime.TypeByExtension(path.Ext(e.File))
			if ct == "" {
				ct = "text/plain; charset=utf-8"
			}
			w.Header().Set("Content-Type", ct)
			w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": path.Base(e.File)}))
			w.Write(e.Data)
			return
		}
	}
	jsonError(w, http.StatusNotFound, "文件已过期，请重新生成。")
}

// sendRequest is one turn from the page: a text, or a button (Data) of
// message ID.
type sendRequest struct {
	Text string `json:"text"`
	Data string `json:"data"`
	ID   int64  `json:"id"`
}

// send runs one turn and answers with server-sent events on the response:
// "draft" events with the answer as it is written (when a model streams),
// then one "replies" event with the stored messages of the turn.
func (s *Server) send(w http.ResponseWriter, r *http.Request, sess session) {
	if !s.csrfOK(r, sess) {
		jsonError(w, http.StatusForbidden, refusedText)
		return
	}
	if !s.limits.allow(sess.chat, clientAddr(r), s.now()) {
		w.Header().Set("Retry-After", "2")
		jsonError(w, http.StatusTooManyRequests, tooFastText)
		return
	}
	var req sendRequest
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 4*MaxText+1024))
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		jsonError(w, http.StatusRequestEntityTooLarge, tooLongText)
		return
	case err != nil || json.Unmarshal(body, &req) != nil || !utf8.ValidString(req.Text) || len(req.Data) > 64:
		jsonError(w, http.StatusBadRequest, badInputText)
		return
	}
	req.Text = strings.TrimSpace(req.Text)
	if utf8.RuneCountInString(req.Text) > MaxText {
		jsonError(w, http.StatusRequestEntityTooLarge, tooLongText)
		return
	}
	if req.Text == "" && req.Data == "" {
		jsonError(w, http.StatusBadRequest, "请输入问题后再发送。")
		return
	}
	w.Header().Set("Content-Type", "text/event-stream; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Accel-Buffering", "no")
	ev := newEventWriter(w)
	// The turn finishes and is stored even if the tab closes meanwhile:
	// the answer is there on the next visit.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), s.turnTime)
	defer cancel()
	unlock := s.locks.lock(sess.chat)
	defer unlock()
	out := s.turn(ctx, sess, req, r, func(delta string) { ev.send("draft", map[string]string{"text": delta}) })
	ev.send("replies", map[string]any{"messages": view(out)})
}

// eventWriter writes server-sent events; drafts come from the answerer,
// possibly on another goroutine.
type eventWriter struct {
	mu sync.Mutex
	w  http.ResponseWriter
	rc *http.ResponseController
}

func newEventWriter(w http.ResponseWriter) *eventWriter {
	return &eventWriter{w: w, rc: http.NewResponseController(w)}
}

func (e *eventWriter) send(event string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encode event: %w", err)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if _, err := fmt.Fprintf(e.w, "event: %s\ndata: %s\n\n", event, b); err != nil {
		return fmt.Errorf("write event: %w", err)
	}
	return e.rc.Flush()
}

// events streams messages that arrive outside a turn (staff replies) to an
// open page, starting with any stored after the id the page last has.
func (s *Server) events(w http.ResponseWriter, r *http.Request, sess session) {
	if s.hub.count(sess.chat) >= s.limits.cfg.Streams {
		jsonError(w, http.StatusTooManyRequests, "打开的窗口太多了，请关闭一些后刷新。")
		return
	}
	after, _ := strconv.ParseInt(r.URL.Query().Get("after"), 10, 64)
	if v := r.Header.Get("Last-Event-ID"); v != "" {
		after, _ = strconv.ParseInt(v, 10, 64)
	}
	ch := s.hub.add(sess.chat)
	defer s.hub.remove(sess.chat, ch)
	w.Header().Set("Content-Type", "text/event-stream; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Accel-Buffering", "no")
	ev := newEventWriter(w)
	write := func(e Entry) error {
		if e.ID <= after {
			return nil
		}
		after = e.ID
		b, _ := json.Marshal(view([]Entry{e})[0])
		ev.mu.Lock()
		defer ev.mu.Unlock()
		if _, err := fmt.Fprintf(w, "id: %d\nevent: message\ndata: %s\n\n", e.ID, b); err != nil {
			return err
		}
		return ev.rc.Flush()
	}
	fmt.Fprint(w, "retry: 3000\n\n")
	ev.rc.Flush()
	if hist, err := s.loadHistory(r.Context(), sess.chat); err == nil {
		for _, e := range hist {
			if write(e) != nil {
				return
			}
		}
	}
	ping := time.NewTicker(25 * time.Second) // keeps proxies from closing an idle stream
	defer ping.Stop()
	for {
		select {
		case <-r.Context().Done():
			return
		case e, ok := <-ch:
			if !ok || write(e) != nil {
				return
			}
		case <-ping.C:
			ev.mu.Lock()
			_, err := fmt.Fprint(w, ": ping\n\n")
			if err == nil {
				err = ev.rc.Flush()
			}
			ev.mu.Unlock()
			if err != nil {
				return
			}
		}
	}
}
