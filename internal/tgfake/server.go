// Package tgfake is an in-process fake of the Telegram Bot API for tests
// and load runs. It speaks the real wire format: requests as multipart
// forms (as go-telegram/bot sends them), JSON or URL-encoded forms;
// answers in the {ok, result} envelope with error_code and
// parameters.retry_after. It records what the bot sent, keeps the chats'
// messages (edits applied), feeds injected updates to getUpdates, and can
// be told to fail a method once.
package tgfake

import (
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Call is one request the bot made.
type Call struct {
	Method string
	Params map[string]string
	// Files are uploaded parts by field name.
	Files map[string]UploadedFile
	At    time.Time
}

// UploadedFile is one multipart file.
type UploadedFile struct {
	Name string
	Data []byte
}

type failure struct {
	code, retryAfter int
}

// Server is a fake Bot API. Create it with [New]; it is safe for
// concurrent use.
type Server struct {
	srv   *httptest.Server
	token string
	me    User

	mu        sync.Mutex
	changed   chan struct{} // closed and replaced on every change
	closed    chan struct{}
	calls     []Call
	updates   []Update
	nextUpd   int64
	confirmed int64
	msgs      map[int64][]*Message
	users     map[int64][]Message // what users sent, for replies
	nextMsg   map[int64]int
	chats     map[int64]Chat
	fail      map[string][]failure
	nextTopic int
	answered  map[string]string
	nextCB    int
	record    bool
	waiters   map[int64][]waiter
	files     fileStore                      // files.go
	members   map[int64]map[int64]ChatMember // admin.go
	webhook   string                         // set by setWebhook; getUpdates then fails
}

type waiter struct {
	n  int
	ch chan struct{}
}

// New starts a fake Bot API that accepts token. The bot is @kuaiji_test_bot.
func New(token string) *Server {
	s := &Server{
		token:   token,
		me:      User{ID: 777000111, IsBot: true, FirstName: "kuaiji", Username: "kuaiji_test_bot"},
		changed: make(chan struct{}), closed: make(chan struct{}),
		msgs: map[int64][]*Message{}, users: map[int64][]Message{}, nextMsg: map[int64]int{}, chats: map[int64]Chat{},
		fail: map[string][]failure{}, answered: map[string]string{}, nextTopic: 100, record: true,
		waiters: map[int64][]waiter{},
	}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	return s
}

// URL is the base URL to pass to bot.WithServerURL.
func (s *Server) URL() string { return s.srv.URL }

// Me is the bot user getMe returns.
func (s *Server) Me() User { return s.me }

// Close ends pending long polls and stops the server.
func (s *Server) Close() {
	s.mu.Lock()
	select {
	case <-s.closed:
	default:
		close(s.closed)
	}
	s.mu.Unlock()
	s.srv.Close()
}

// KeepCalls sets whether calls are recorded (on by default; load runs turn
// it off to keep memory flat).
func (s *Server) KeepCalls(on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.record = on
}

// SetChat registers a chat for getChat (e.g. a forum supergroup).
func (s *Server) SetChat(c Chat) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.chats[c.ID] = c
}

// Fail makes the next call of method fail with code (and retry_after
// seconds for 429). Calls queue up: Fail twice fails two calls.
func (s *Server) Fail(method string, code, retryAfter int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.fail[method] = append(s.fail[method], failure{code, retryAfter})
}

// changedLocked wakes everyone waiting for a change; s.mu is held.
func (s *Server) changedLocked() {
	close(s.changed)
	s.changed = make(chan struct{})
}

// Until waits up to d for cond to hold, re-checking after every change.
// cond runs without the server's lock and may call its accessors.
func (s *Server) Until(d time.Duration, cond func() bool) bool {
	deadline := time.After(d)
	for {
		s.mu.Lock()
		ch := s.changed
		s.mu.Unlock()
		if cond() {
			return true
		}
		select {
		case <-ch:
		case <-deadline:
			return cond()
		}
	}
}

// Calls returns the recorded calls of method ("" for all), oldest first.
func (s *Server) Calls(method string) []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Call
	for _, c := range s.calls {
		if method == "" || c.Method == method {
			out = append(out, c)
		}
	}
	return out
}

// Messages returns copies of the messages the bot has in chat, oldest
// first, with edits applied.
func (s *Server) Messages(chat int64) []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Message, len(s.msgs[chat]))
	for i, m := range s.msgs[chat] {
		out[i] = *m
	}
	return out
}

// Last returns the newest message the bot sent to chat.
func (s *Server) Last(chat int64) (Message, bool) {
	ms := s.Messages(chat)
	if len(ms) == 0 {
		return Message{}, false
	}
	return ms[len(ms)-1], true
}

// Count is how many messages the bot has sent to chat.
func (s *Server) Count(chat int64) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.msgs[chat])
}

// WaitCount waits up to d until the bot has sent at least n messages to
// chat. Unlike [Server.Until] it wakes only for that chat, so thousands of
// concurrent waiters stay cheap (load runs).
func (s *Server) WaitCount(chat int64, n int, d time.Duration) bool {
	s.mu.Lock()
	if len(s.msgs[chat]) >= n {
		s.mu.Unlock()
		return true
	}
	w := waiter{n, make(chan struct{})}
	s.waiters[chat] = append(s.waiters[chat], w)
	s.mu.Unlock()
	select {
	case <-w.ch:
		return true
	case <-time.After(d):
		return s.Count(chat) >= n
	}
}

// wakeLocked releases the waiters of chat whose count is reached.
func (s *Server) wakeLocked(chat int64) {
	ws := s.waiters[chat]
	if len(ws) == 0 {
		return
	}
	kept := ws[:0]
	for _, w := range ws {
		if len(s.msgs[chat]) >= w.n {
			close(w.ch)
		} else {
			kept = append(kept, w)
		}
	}
	s.waiters[chat] = kept
}

// Answered reports whether the callback query was answered, and the text.
func (s *Server) Answered(id string) (string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t, ok := s.answered[id]
	return t, ok
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	if strings.HasPrefix(r.URL.Path, "/file/") {
		s.serveFile(w, r) // files.go
		return
	}
	rest, ok := strings.CutPrefix(r.URL.Path, "/bot")
	token, method, ok2 := strings.Cut(rest, "/")
	if !ok || !ok2 {
		writeJSON(w, http.StatusNotFound, envelope{ErrorCode: 404, Description: "Not Found"})
		return
	}
	if token != s.token {
		writeJSON(w, http.StatusUnauthorized, envelope{ErrorCode: 401, Description: "Unauthorized"})
		return
	}
	params, files, err := readParams(r)
	if err != nil {
		writeJSON(w, http.StatusBadRequest, envelope{ErrorCode: 400, Description: "Bad Request: " + err.Error()})
		return
	}
	if method != "getUpdates" {
		s.mu.Lock()
		if s.record {
			s.calls = append(s.calls, Call{Method: method, Params: params, Files: files, At: time.Now()})
		}
		if q := s.fail[method]; len(q) > 0 {
			f := q[0]
			s.fail[method] = q[1:]
			s.changedLocked()
			s.mu.Unlock()
			e := envelope{ErrorCode: f.code, Description: http.StatusText(f.code)}
			if f.code == http.StatusTooManyRequests {
				e.Description = "Too Many Requests: retry after " + strconv.Itoa(f.retryAfter)
				e.Parameters = &parameters{RetryAfter: f.retryAfter}
			}
			writeJSON(w, f.code, e)
			return
		}
		s.mu.Unlock()
	}
	result, err := s.dispatch(r, method, params, files)
	s.mu.Lock()
	s.changedLocked()
	s.mu.Unlock()
	if err != nil {
		var ae *apiError
		if e, ok := err.(*apiError); ok {
			ae = e
		} else {
			ae = &apiError{400, err.Error()}
		}
		writeJSON(w, ae.code, envelope{ErrorCode: ae.code, Description: ae.desc})
		return
	}
	writeJSON(w, http.StatusOK, envelope{OK: true, Result: result})
}

type apiError struct {
	code int
	desc string
}

func (e *apiError) Error() string { return e.desc }

func badRequest(format string, args ...any) error {
	return &apiError{400, "Bad Request: " + fmt.Sprintf(format, args...)}
}

func writeJSON(w http.ResponseWriter, code int, e envelope) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	json.NewEncoder(w).Encode(e)
}

// readParams accepts the three encodings the Bot API accepts.
func readParams(r *http.Request) (map[string]string, map[string]UploadedFile, error) {
	params := map[string]string{}
	files := map[string]UploadedFile{}
	ct := r.Header.Get("Content-Type")
	switch {
	case strings.HasPrefix(ct, "multipart/form-data"):
		if err := r.ParseMultipartForm(32 << 20); err != nil {
			if err == multipart.ErrMessageTooLarge {
				return nil, nil, fmt.Errorf("request too large")
			}
			// go-telegram sends an empty body for methods without
			// parameters; that is not an error.
			if !strings.Contains(err.Error(), "EOF") {
				return nil, nil, err
			}
			return params, files, nil
		}
		for k, v := range r.MultipartForm.Value {
			params[k] = v[0]
		}
		for k, fhs := range r.MultipartForm.File {
			f, err := fhs[0].Open()
			if err != nil {
				return nil, nil, err
			}
			b, _ := io.ReadAll(f)
			f.Close()
			files[k] = UploadedFile{Name: fhs[0].Filename, Data: b}
		}
	case strings.HasPrefix(ct, "application/json"):
		var m map[string]any
		if err := json.NewDecoder(r.Body).Decode(&m); err != nil && err != io.EOF {
			return nil, nil, err
		}
		for k, v := range m {
			if s, ok := v.(string); ok {
				params[k] = s
			} else {
				b, _ := json.Marshal(v)
				params[k] = string(b)
			}
		}
	default:
		if err := r.ParseForm(); err != nil {
			return nil, nil, err
		}
		for k, v := range r.Form {
			params[k] = v[0]
		}
	}
	return params, files, nil
}
