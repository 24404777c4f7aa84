// Package openaifake is an in-process fake of the OpenAI HTTP API for tests:
// /v1/chat/completions (plain JSON and server-sent events), /v1/embeddings
// and /v1/models, with the real JSON shapes and error bodies, so clients such
// as go-openai can be driven against it without network or keys.
//
// A test scripts the replies ([Server.Reply], [Server.Embed]), injects
// failures ([Server.Fail], [Server.Delay]) and counts what was asked
// ([Server.Calls], [Server.EmbeddedTexts]).
package openaifake

import (
	"bytes"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"time"
)

// Paths the fake serves, as [Server.Calls] counts them.
const (
	PathChat       = "/v1/chat/completions"
	PathEmbeddings = "/v1/embeddings"
	PathModels     = "/v1/models"
)

// Message is one chat message of a request.
type Message struct {
	Role    string `json:"role"`
	Content string `json:"content"`
}

// ChatRequest is what a /v1/chat/completions call asked for.
type ChatRequest struct {
	Model       string    `json:"model"`
	Messages    []Message `json:"messages"`
	Stream      bool      `json:"stream"`
	MaxTokens   int       `json:"max_tokens"`
	Temperature float64   `json:"temperature"`
	// IncludeUsage is stream_options.include_usage.
	IncludeUsage bool `json:"-"`
}

// System returns the content of the first system message.
func (r ChatRequest) System() string {
	for _, m := range r.Messages {
		if m.Role == "system" {
			return m.Content
		}
	}
	return ""
}

// LastUser returns the content of the last user message.
func (r ChatRequest) LastUser() string {
	for i := len(r.Messages) - 1; i >= 0; i-- {
		if r.Messages[i].Role == "user" {
			return r.Messages[i].Content
		}
	}
	return ""
}

// ReplyFunc computes the assistant's reply to a chat request.
type ReplyFunc func(ChatRequest) string

// EmbedFunc computes the vector of one input text for a model.
type EmbedFunc func(model, text string) []float32

// Failure is a scripted error response.
type Failure struct {
	Status  int
	Message string
	Type    string
	Code    string
	// RetryAfter, when set, is sent as the Retry-After header (seconds or
	// an HTTP date), as rate-limited and overloaded servers do.
	RetryAfter string
}

// Server is a running fake. The zero value is not usable; call [New].
type Server struct {
	srv *httptest.Server

	mu       sync.Mutex
	key      string
	models   []string
	reply    ReplyFunc
	embed    EmbedFunc
	fail     map[string][]Failure
	delay    map[string]time.Duration
	calls    map[string]int
	embedded int
	requests []ChatRequest
}

// New starts a fake; it is closed when the test ends if cleanup is given
// (pass t.Cleanup).
func New(cleanup func(func())) *Server {
	s := &Server{
		models: []string{"fake-chat", "fake-embed"},
		reply:  func(ChatRequest) string { return "好的。" },
		embed:  HashEmbed(32),
		fail:   map[string][]Failure{},
		delay:  map[string]time.Duration{},
		calls:  map[string]int{},
	}
	mux := http.NewServeMux()
	mux.HandleFunc("POST "+PathChat, s.chat)
	mux.HandleFunc("POST "+PathEmbeddings, s.embeddings)
	mux.HandleFunc("GET "+PathModels, s.listModels)
	s.srv = httptest.NewServer(s.guard(mux))
	if cleanup != nil {
		cleanup(s.srv.Close)
	}
	return s
}

// URL is the base URL to configure a client with, ending in /v1.
func (s *Server) URL() string { return s.srv.URL + "/v1" }

// Close stops the server.
func (s *Server) Close() { s.srv.Close() }

// RequireKey makes every request without "Authorization: Bearer key" fail
// with 401.
func (s *Server) RequireKey(key string) { s.mu.Lock(); s.key = key; s.mu.Unlock() }

// Models sets the model ids /v1/models lists.
func (s *Server) Models(ids ...string) { s.mu.Lock(); s.models = ids; s.mu.Unlock() }

// Reply sets how chat completions are answered.
func (s *Server) Reply(f ReplyFunc) { s.mu.Lock(); s.reply = f; s.mu.Unlock() }

// Embed sets how embeddings are computed.
func (s *Server) Embed(f EmbedFunc) { s.mu.Lock(); s.embed = f; s.mu.Unlock() }

// Fail queues failures for path: the next calls get them in order, then
// calls succeed again.
func (s *Server) Fail(path string, fs ...Failure) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, f := range fs {
		if f.Message == "" {
			f.Message = http.StatusText(f.Status)
		}
		if f.Type == "" {
			f.Type, f.Code = errorType(f.Status)
		}
		s.fail[path] = append(s.fail[path], f)
	}
}

// Delay makes every call to path wait d (or until the client gives up)
// before answering.
func (s *Server) Delay(path string, d time.Duration) { s.mu.Lock(); s.delay[path] = d; s.mu.Unlock() }

// Calls returns how many requests reached path, failed ones included.
func (s *Server) Calls(path string) int { s.mu.Lock(); defer s.mu.Unlock(); return s.calls[path] }

// EmbeddedTexts returns how many input texts were embedded successfully.
func (s *Server) EmbeddedTexts() int { s.mu.Lock(); defer s.mu.Unlock(); return s.embedded }

// Requests returns the chat requests received, oldest first.
func (s *Server) Requests() []ChatRequest {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]ChatRequest(nil), s.requests...)
}

// guard counts calls, checks the key, applies delays and scripted failures.
func (s *Server) guard(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.calls[r.URL.Path]++
		key, d := s.key, s.delay[r.URL.Path]
		var f *Failure
		if q := s.fail[r.URL.Path]; len(q) > 0 {
			f, s.fail[r.URL.Path] = &q[0], q[1:]
		}
		s.mu.Unlock()
		// The server notices a client that gave up only once the body is
		// read, so read it before waiting.
		body, err := io.ReadAll(r.Body)
		if err != nil {
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		if d > 0 {
			select {
			case <-time.After(d):
			case <-r.Context().Done():
				return
			}
		}
		if key != "" && r.Header.Get("Authorization") != "Bearer "+key {
			writeError(w, Failure{Status: http.StatusUnauthorized, Message: "Incorrect API key provided.",
				Type: "invalid_request_error", Code: "invalid_api_key"})
			return
		}
		if f != nil {
			if f.RetryAfter != "" {
				w.Header().Set("Retry-After", f.RetryAfter)
			}
			writeError(w, *f)
			return
		}
		next.ServeHTTP(w, r)
	})
}

func errorType(status int) (typ, code string) {
	switch {
	case status == http.StatusTooManyRequests:
		return "requests", "rate_limit_exceeded"
	case status >= 500:
		return "server_error", "internal_error"
	case status == http.StatusUnauthorized:
		return "invalid_request_error", "invalid_api_key"
	case status == http.StatusNotFound:
		return "invalid_request_error", "model_not_found"
	}
	return "invalid_request_error", "invalid_request"
}

func writeError(w http.ResponseWriter, f Failure) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(f.Status)
	var code any
	if f.Code != "" {
		code = f.Code
	}
	json.NewEncoder(w).Encode(map[string]any{"error": map[string]any{
		"message": f.Message, "type": f.Type, "param": nil, "code": code,
	}})
}

func badRequest(w http.ResponseWriter, msg string) {
	writeError(w, Failure{Status: http.StatusBadRequest, Message: msg, Type: "invalid_request_error"})
}

func (s *Server) listModels(w http.ResponseWriter, _ *http.Request) {
	s.mu.Lock()
	ids := append([]string(nil), s.models...)
	s.mu.Unlock()
	data := make([]map[string]any, len(ids))
	for i, id := range ids {
		data[i] = map[string]any{"id": id, "object": "model", "created": 1700000000, "owned_by": "openaifake"}
	}
	writeJSON(w, map[string]any{"object": "list", "data": data})
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(v)
}

// HashEmbed returns an [EmbedFunc] of dims dimensions: hashed character
// bigrams, signed by the model name, so similar texts get similar vectors
// and two models give different ones.
func HashEmbed(dims int) EmbedFunc {
	return func(model, text string) []float32 {
		v := make([]float32, dims)
		rs := []rune(text)
		add := func(f string) {
			h := fnv.New64a()
			h.Write([]byte(model + "\x00" + f))
			x := h.Sum64()
			if x>>63 == 1 {
				v[x%uint64(dims)]--
			} else {
				v[x%uint64(dims)]++
			}
		}
		add("")
		for i := range rs {
			if i+1 < len(rs) {
				add(string(rs[i : i+2]))
			} else {
				add(string(rs[i]))
			}
		}
		var n float64
		for _, x := range v {
			n += float64(x) * float64(x)
		}
		if n > 0 {
			inv := float32(1 / math.Sqrt(n))
			for i := range v {
				v[i] *= inv
			}
		}
		return v
	}
}

// tokens is a rough token count: one per rune, as for Chinese text.
func tokens(s string) int { return len([]rune(s)) }

func (s *Server) embeddings(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Input          json.RawMessage `json:"input"`
		Model          string          `json:"model"`
		EncodingFormat string          `json:"encoding_format"`
	}
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		badRequest(w, "could not parse JSON body: "+err.Error())
		return
	}
	if req.Model == "" {
		badRequest(w, "you must provide a model parameter")
		return
	}
	if req.EncodingFormat != "" && req.EncodingFormat != "float" {
		badRequest(w, "only encoding_format float is faked")
		return
	}
	var inputs []string
	if err := json.Unmarshal(req.Input, &inputs); err != nil {
		var one string
		if err := json.Unmarshal(req.Input, &one); err != nil {
			badRequest(w, "input must be a string or an array of strings")
			return
		}
		inputs = []string{one}
	}
	if len(inputs) == 0 {
		badRequest(w, "input must not be empty")
		return
	}
	s.mu.Lock()
	embed := s.embed
	s.embedded += len(inputs)
	s.mu.Unlock()
	data := make([]map[string]any, len(inputs))
	n := 0
	for i, in := range inputs {
		data[i] = map[string]any{"object": "embedding", "index": i, "embedding": embed(req.Model, in)}
		n += tokens(in)
	}
	writeJSON(w, map[string]any{
		"object": "list", "data": data, "model": req.Model,
		"usage": map[string]int{"prompt_tokens": n, "total_tokens": n},
	})
}

func (s *Server) chat(w http.ResponseWriter, r *http.Request) {
	var raw struct {
		Model    string `json:"model"`
		Messages []struct {
			Role    string          `json:"role"`
			Content json.RawMessage `json:"content"`
		} `json:"messages"`
		Stream        bool    `json:"stream"`
		MaxTokens     int     `json:"max_tokens"`
		MaxCompletion int     `json:"max_completion_tokens"`
		Temperature   float64 `json:"temperature"`
		StreamOptions *struct {
			IncludeUsage bool `json:"include_usage"`
		} `json:"stream_options"`
	}
	if err := json.NewDecoder(r.Body).Decode(&raw); err != nil {
		badRequest(w, "could not parse JSON body: "+err.Error())
		return
	}
	if raw.Model == "" || len(raw.Messages) == 0 {
		badRequest(w, "model and messages are required")
		return
	}
	req := ChatRequest{Model: raw.Model, Stream: raw.Stream, MaxTokens: max(raw.MaxTokens, raw.MaxCompletion), Temperature: raw.Temperature}
	req.IncludeUsage = raw.StreamOptions != nil && raw.StreamOptions.IncludeUsage
	prompt := 0
	for _, m := range raw.Messages {
		text, err := contentText(m.Content)
		if err != nil {
			badRequest(w, err.Error())
			return
		}
		req.Messages = append(req.Messages, Message{Role: m.Role, Content: text})
		prompt += tokens(text)
	}
	s.mu.Lock()
	s.requests = append(s.requests, req)
	reply := s.reply
	s.mu.Unlock()
	out := reply(req)
	finish := "stop"
	if req.MaxTokens > 0 && tokens(out) > req.MaxTokens {
		out, finish = string([]rune(out)[:req.MaxTokens]), "length"
	}
	usage := map[string]int{"prompt_tokens": prompt, "completion_tokens": tokens(out), "total_tokens": prompt + tokens(out)}
	id := fmt.Sprintf("chatcmpl-fake-%d", s.Calls(PathChat))
	if !req.Stream {
		writeJSON(w, map[string]any{
			"id": id, "object": "chat.completion", "created": time.Now().Unix(), "model": req.Model,
			"choices": []map[string]any{{
				"index": 0, "message": map[string]any{"role": "assistant", "content": out}, "finish_reason": finish,
			}},
			"usage": usage,
		})
		return
	}
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-cache")
	fl, _ := w.(http.Flusher)
	send := func(v any) {
		b, _ := json.Marshal(v)
		fmt.Fprintf(w, "data: %s\n\n", b)
		if fl != nil {
			fl.Flush()
		}
	}
	chunk := func(delta map[string]any, finish any) map[string]any {
		return map[string]any{
			"id": id, "object": "chat.completion.chunk", "created": time.Now().Unix(), "model": req.Model,
			"choices": []map[string]any{{"index": 0, "delta": delta, "finish_reason": finish}},
		}
	}
	send(chunk(map[string]any{"role": "assistant", "content": ""}, nil))
	for _, piece := range Pieces(out, 3) {
		send(chunk(map[string]any{"content": piece}, nil))
	}
	send(chunk(map[string]any{}, finish))
	if req.IncludeUsage {
		send(map[string]any{
			"id": id, "object": "chat.completion.chunk", "created": time.Now().Unix(), "model": req.Model,
			"choices": []any{}, "usage": usage,
		})
	}
	fmt.Fprint(w, "data: [DONE]\n\n")
	if fl != nil {
		fl.Flush()
	}
}

// Pieces splits s into runs of n runes, as a model streams tokens.
func Pieces(s string, n int) []string {
	rs := []rune(s)
	var out []string
	for len(rs) > 0 {
		k := min(n, len(rs))
		out = append(out, string(rs[:k]))
		rs = rs[k:]
	}
	return out
}

// contentText reads a message content that is a string or an array of
// {"type":"text","text":...} parts.
func contentText(raw json.RawMessage) (string, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return "", nil
	}
	var s string
	if err := json.Unmarshal(raw, &s); err == nil {
		return s, nil
	}
	var parts []struct {
		Type string `json:"type"`
		Text string `json:"text"`
	}
	if err := json.Unmarshal(raw, &parts); err != nil {
		return "", fmt.Errorf("content must be a string or an array of parts")
	}
	var b strings.Builder
	for _, p := range parts {
		b.WriteString(p.Text)
	}
	return b.String(), nil
}
