package llm

import (
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
)

// maxRetryAfter bounds how long one Retry-After is obeyed: a server asking
// for minutes is better treated as down.
const maxRetryAfter = 2 * time.Minute

// retryAfter carries what the server said about coming back from the HTTP
// layer, which sees the headers, to [settings.retry], which only sees the
// error go-openai made of the response.
type retryAfter struct{ d atomic.Int64 }

func (r *retryAfter) get() time.Duration { return time.Duration(r.d.Load()) }

type retryAfterKey struct{}

// retryAfterTransport notes Retry-After on rate-limited and overloaded
// responses in the request's [retryAfter], when it has one.
type retryAfterTransport struct{ base http.RoundTripper }

func (t retryAfterTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	res, err := t.base.RoundTrip(req)
	if err != nil || (res.StatusCode != http.StatusTooManyRequests && res.StatusCode != http.StatusServiceUnavailable) {
		return res, err
	}
	if r, ok := req.Context().Value(retryAfterKey{}).(*retryAfter); ok {
		if d := parseRetryAfter(res.Header, time.Now()); d > 0 {
			r.d.Store(int64(d))
		}
	}
	return res, err
}

// parseRetryAfter reads retry-after-ms (OpenAI, Azure), then Retry-After
// as seconds or an HTTP date (RFC 9110 §10.2.3). It returns 0 when neither
// says anything usable.
func parseRetryAfter(h http.Header, now time.Time) time.Duration {
	if v := strings.TrimSpace(h.Get("Retry-After-Ms")); v != "" {
		if ms, err := strconv.ParseFloat(v, 64); err == nil && ms > 0 && ms < float64(maxRetryAfter/time.Millisecond)*10 {
			return time.Duration(ms * float64(time.Millisecond))
		}
	}
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0
	}
	if s, err := strconv.ParseFloat(v, 64); err == nil {
		if s <= 0 || s > maxRetryAfter.Seconds()*10 {
			return 0
		}
		return time.Duration(s * float64(time.Second))
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return 0
}
