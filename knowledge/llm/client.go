// Package llm answers policy questions with a language model behind any
// OpenAI-compatible endpoint (OpenAI, DeepSeek, Qwen/DashScope, Ollama,
// vLLM), grounded on what [knowledge.Index] retrieves, and embeds texts with
// such an endpoint. Whenever the endpoint fails or the model's answer does
// not hold up, the extractive answer is returned instead: the user always
// gets an answer.
package llm

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"strings"
	"time"

	openai "github.com/sashabaranov/go-openai"
)

// DefaultBaseURL is used when [Config.BaseURL] is empty.
const DefaultBaseURL = "https://api.openai.com/v1"

// Config says how to reach an OpenAI-compatible endpoint.
type Config struct {
	// BaseURL ends in /v1 for most servers, e.g. http://localhost:11434/v1;
	// "" means [DefaultBaseURL].
	BaseURL string
	// APIKey is sent as a bearer token; "" sends none (Ollama, vLLM).
	APIKey string
	// HTTPClient is nil for a default client. Deadlines come from the
	// context, so it needs no timeout of its own.
	HTTPClient *http.Client
}

// Client talks to one endpoint; it is safe for concurrent use.
type Client struct {
	api     *openai.Client
	baseURL string
}

// NewClient returns a client for cfg. It makes no request.
func NewClient(cfg Config) *Client {
	oc := openai.DefaultConfig(cfg.APIKey)
	oc.BaseURL = strings.TrimRight(cfg.BaseURL, "/")
	if oc.BaseURL == "" {
		oc.BaseURL = DefaultBaseURL
	}
	hc := http.Client{}
	if cfg.HTTPClient != nil {
		hc = *cfg.HTTPClient
	}
	base := hc.Transport
	if base == nil {
		base = http.DefaultTransport
	}
	hc.Transport = retryAfterTransport{base}
	oc.HTTPClient = &hc
	return &Client{api: openai.NewClientWithConfig(oc), baseURL: oc.BaseURL}
}

// BaseURL returns the endpoint requests go to.
func (c *Client) BaseURL() string { return c.baseURL }

// Models lists the model ids the endpoint offers.
func (c *Client) Models(ctx context.Context) ([]string, error) {
	list, err := c.api.ListModels(ctx)
	if err != nil {
		return nil, fmt.Errorf("list models: %w", err)
	}
	ids := make([]string, len(list.Models))
	for i, m := range list.Models {
		ids[i] = m.ID
	}
	return ids, nil
}

// CheckChat asks model for a one-token completion, to prove the endpoint,
// the key and the model name work together.
func (c *Client) CheckChat(ctx context.Context, model string) error {
	req := openai.ChatCompletionRequest{
		Model:    model,
		Messages: []openai.ChatCompletionMessage{{Role: openai.ChatMessageRoleUser, Content: "ping"}},
	}
	limitTokens(&req, 1)
	if _, err := c.api.CreateChatCompletion(ctx, req); err != nil {
		return fmt.Errorf("chat completion with %s: %w", model, err)
	}
	return nil
}

// reasoningModel reports whether go-openai validates model as a reasoning
// model, which rejects max_tokens and a non-default temperature.
func reasoningModel(model string) bool {
	for _, p := range []string{"o1", "o3", "o4", "gpt-5", "gpt-6"} {
		if strings.HasPrefix(model, p) {
			return true
		}
	}
	return false
}

// limitTokens caps the completion length in the field model accepts.
func limitTokens(req *openai.ChatCompletionRequest, n int) {
	if reasoningModel(req.Model) {
		req.MaxCompletionTokens = n
	} else {
		req.MaxTokens = n
	}
}

// StatusCode returns the HTTP status of a failed API call, or 0 when the
// call failed before a response (network, context).
func StatusCode(err error) int {
	var api *openai.APIError
	if errors.As(err, &api) {
		return api.HTTPStatusCode
	}
	var req *openai.RequestError
	if errors.As(err, &req) {
		return req.HTTPStatusCode
	}
	return 0
}

// retryable reports whether err is worth another attempt: rate limits,
// server errors and broken connections, but not bad requests, bad keys or
// an ended context.
func retryable(err error) bool {
	if errors.Is(err, errStreamBroken) || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return false
	}
	if s := StatusCode(err); s != 0 {
		return s == http.StatusTooManyRequests || s >= 500
	}
	var ne net.Error
	return errors.As(err, &ne) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF)
}

// settings hold what [Option]s set.
type settings struct {
	log       *slog.Logger
	report    func(Report)
	timeout   time.Duration
	attempts  int
	backoff   time.Duration
	batchSize int
	workers   int
}

func newSettings(opts []Option) settings {
	s := settings{
		log:       slog.New(slog.DiscardHandler),
		timeout:   DefaultTimeout,
		attempts:  3,
		backoff:   500 * time.Millisecond,
		batchSize: DefaultBatchSize,
		workers:   4,
	}
	for _, o := range opts {
		o(&s)
	}
	return s
}

// Defaults of the options.
const (
	// DefaultTimeout bounds everything one answer asks of the model.
	DefaultTimeout = 20 * time.Second
	// DefaultBatchSize is the number of texts per embeddings request;
	// DashScope's compatible mode accepts at most 10.
	DefaultBatchSize = 10
)

// Option configures an [Answerer] or an [Embedder].
type Option func(*settings)

// WithLogger sets where tokens used, latency and fallbacks are logged.
func WithLogger(l *slog.Logger) Option {
	return func(s *settings) {
		if l != nil {
			s.log = l
		}
	}
}

// Report is what one answer asked of the model, for metrics: the outcome
// (generated, no_answer, fallback, final), the tokens and the time taken.
type Report struct {
	Model            string
	Outcome          string
	PromptTokens     int
	CompletionTokens int
	Latency          time.Duration
}

// WithReport sets a function told about every answer's [Report]; it must
// not block.
func WithReport(f func(Report)) Option { return func(s *settings) { s.report = f } }

// WithTimeout bounds the model calls of one answer, or one attempt of an
// embeddings request (default 20 s); an earlier deadline on the context wins.
func WithTimeout(d time.Duration) Option { return func(s *settings) { s.timeout = d } }

// WithRetry sets how many attempts a request gets on 429, 5xx and broken
// connections (default 3), and the first backoff (default 500 ms), doubled
// after each failure.
func WithRetry(attempts int, backoff time.Duration) Option {
	return func(s *settings) { s.attempts, s.backoff = max(1, attempts), backoff }
}

// WithBatchSize sets how many texts go in one embeddings request (default 10).
func WithBatchSize(n int) Option { return func(s *settings) { s.batchSize = max(1, n) } }

// retry calls f until it succeeds, fails for good, or the attempts or ctx
// run out. It returns the number of attempts made. A server that says when
// to come back (Retry-After on a 429 or 503) is waited for exactly that
// long; when that is beyond the deadline there is no point in waiting and
// the caller falls back at once.
func (s settings) retry(ctx context.Context, f func(context.Context) error) (int, error) {
	wait := s.backoff
	for n := 1; ; n++ {
		var after retryAfter
		err := f(context.WithValue(ctx, retryAfterKey{}, &after))
		// An attempt that ran out of its own time is worth another while
		// the whole still has some.
		again := retryable(err) || errors.Is(err, context.DeadlineExceeded)
		if err == nil || n >= s.attempts || !again || ctx.Err() != nil {
			return n, err
		}
		// Full jitter keeps many clients from retrying in step.
		d := wait/2 + rand.N(wait/2+1)
		if told := after.get(); told > 0 {
			d = min(told, maxRetryAfter)
			s.log.Info("llm endpoint asked to wait", "retry_after", d, "status", StatusCode(err), "attempt", n)
		}
		if dl, ok := ctx.Deadline(); ok && time.Until(dl) < d {
			return n, err
		}
		t := time.NewTimer(d)
		select {
		case <-ctx.Done():
			t.Stop()
			return n, err
		case <-t.C:
		}
		wait *= 2
	}
}
