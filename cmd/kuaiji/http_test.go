package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"

	"github.com/kuaiji/kuaiji/internal/openaifake"
	"github.com/kuaiji/kuaiji/metrics"
)

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		return 0, err.Error()
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// metricValue sums the samples of name whose labels include every
// label="value" pair given.
func metricValue(text, name string, labels ...string) float64 {
	sum := 0.0
	re := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(name) + `(\{[^}]*\})? (\S+)$`)
	for _, m := range re.FindAllStringSubmatch(text, -1) {
		ok := true
		for _, l := range labels {
			ok = ok && strings.Contains(m[1], l)
		}
		if v, err := strconv.ParseFloat(m[2], 64); ok && err == nil {
			sum += v
		}
	}
	return sum
}

// TestServeMetricsMove runs `kuaiji serve` against the fake Bot API and
// checks that /healthz, /readyz and /metrics answer, and that a question,
// a flow and a hand-off move the counters.
func TestServeMetricsMove(t *testing.T) {
	h := newServeHarness(t, withStaff(-100778), withHTTP())
	started := time.Now()
	deadline := started.Add(patience)
	for {
		code, body := get(t, h.httpURL+"/readyz")
		if code == http.StatusOK {
			if !strings.Contains(body, `"telegram":"ok"`) || !strings.Contains(body, `"redis":"ok"`) {
				t.Errorf("readyz body: %s", body)
			}
			t.Logf("ready %v after start", time.Since(started).Round(time.Millisecond))
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("readyz never 200: %d %s", code, body)
		}
		time.Sleep(50 * time.Millisecond)
	}
	if code, body := get(t, h.httpURL+"/healthz"); code != http.StatusOK || body != "ok\n" {
		t.Errorf("healthz: %d %q", code, body)
	}
	env := map[string]string{"HTTP_ADDR": h.env["HTTP_ADDR"], "KUAIJI_DATA_DIR": dataDir(t)}
	if out, _, err := runEnv(t, env, "", "healthcheck"); err != nil || out != "ok\n" {
		t.Errorf("healthcheck: %v %q", err, out)
	}

	user := newUser("指标")
	h.ask(user, "继续教育每年要多少学分？", "来源：")
	h.ask(user, "/transfer", "调出地")
	h.ask(user, "/human", "已为您转接人工服务")

	_, text := get(t, h.httpURL+"/metrics")
	for _, c := range []struct {
		name   string
		labels []string
		min    float64
	}{
		{"kuaiji_updates_total", []string{`kind="message"`}, 1},
		{"kuaiji_updates_total", []string{`kind="command"`}, 2},
		{"kuaiji_answers_total", nil, 1},
		{"kuaiji_answer_duration_seconds_count", nil, 1},
		{"kuaiji_answer_confidence_count", nil, 1},
		{"kuaiji_flow_events_total", []string{`flow="transfer"`, `event="started"`}, 1},
		{"kuaiji_handoffs_total", []string{`event="opened"`}, 1},
		{"go_goroutines", nil, 1},
	} {
		if got := metricValue(text, c.name, c.labels...); got < c.min {
			t.Errorf("%s%v = %v, want ≥ %v", c.name, c.labels, got, c.min)
		}
	}
	if err := h.stop(); err != nil {
		t.Fatalf("serve: %v", err)
	}
	if code, _ := get(t, h.httpURL+"/healthz"); code != 0 {
		t.Errorf("HTTP still served after stop: %d", code)
	}
}

// TestServeLLMMetrics: with a model, the answer's tokens and latency
// reach /metrics.
func TestServeLLMMetrics(t *testing.T) {
	f := openaifake.New(t.Cleanup)
	f.Reply(quoteFirst)
	h := newServeHarness(t, withHTTP(), withEnv(llmVars(f)...))
	user := newUser("模型")
	h.ask(user, "深圳的公需课去哪里学", "来源：")
	_, text := get(t, h.httpURL+"/metrics")
	for _, c := range []struct {
		name   string
		labels []string
	}{
		{"kuaiji_llm_answers_total", []string{`model="fake-chat"`, `outcome="generated"`}},
		{"kuaiji_llm_tokens_total", []string{`type="prompt"`}},
		{"kuaiji_llm_tokens_total", []string{`type="completion"`}},
		{"kuaiji_llm_answer_duration_seconds_count", nil},
	} {
		if got := metricValue(text, c.name, c.labels...); got <= 0 {
			t.Errorf("%s%v = %v", c.name, c.labels, got)
		}
	}
}

// TestReadyz: 503 with the reason while Redis is down or the index is
// loading, 200 when all is well; getMe is asked at most once per ttl.
func TestReadyz(t *testing.T) {
	t.Parallel()
	mr := miniredis.RunT(t)
	rdb := redis.NewClient(&redis.Options{Addr: mr.Addr(), MaxRetries: -1, DialTimeout: 200 * time.Millisecond})
	defer rdb.Close()
	h := newHealth(rdb)
	h.ttl = time.Hour
	var getMe atomic.Int32
	srv := httptest.NewServer(httpHandler(h, metrics.New()))
	defer srv.Close()
	check := func(wantCode int, want map[string]string) {
		t.Helper()
		code, body := get(t, srv.URL+"/readyz")
		var got map[string]string
		if err := json.Unmarshal([]byte(body), &got); err != nil {
			t.Fatalf("readyz body %q: %v", body, err)
		}
		if code != wantCode {
			t.Errorf("readyz = %d %s, want %d", code, body, wantCode)
		}
		for k, v := range want {
			if !strings.Contains(got[k], v) {
				t.Errorf("readyz %s = %q, want %q", k, got[k], v)
			}
		}
	}
	check(http.StatusServiceUnavailable, map[string]string{"redis": "ok", "index": "loading", "telegram": "not connected"})
	h.indexed.Store(true)
	h.setTelegram(func(context.Context) error { getMe.Add(1); return nil })
	check(http.StatusOK, map[string]string{"redis": "ok", "index": "ok", "telegram": "ok"})
	check(http.StatusOK, nil)
	if n := getMe.Load(); n != 1 {
		t.Errorf("getMe asked %d times, want 1 (cached)", n)
	}
	mr.Close()
	check(http.StatusServiceUnavailable, map[string]string{"index": "ok", "telegram": "ok"})
	_, body := get(t, srv.URL+"/readyz")
	if strings.Contains(body, `"redis":"ok"`) {
		t.Errorf("redis down but ok: %s", body)
	}
	mr2 := miniredis.RunT(t)
	rdb2 := redis.NewClient(&redis.Options{Addr: mr2.Addr()})
	defer rdb2.Close()
	h.rdb = rdb2
	check(http.StatusOK, nil)
	h.draining.Store(true)
	check(http.StatusServiceUnavailable, map[string]string{"shutdown": "draining", "redis": "ok"})
	h.draining.Store(false)
	h.ttl = 0
	h.setTelegram(func(context.Context) error { return errors.New("telegram: getMe at http://x failed") })
	code, body := get(t, srv.URL+"/readyz")
	if code != http.StatusServiceUnavailable || !strings.Contains(body, "getMe") {
		t.Errorf("telegram down: %d %s", code, body)
	}
}

// TestObserversCountRedisErrors: failed commands count, redis.Nil does not.
func TestObserversCountRedisErrors(t *testing.T) {
	t.Parallel()
	mr := miniredis.RunT(t)
	m := metrics.New()
	rdb := redis.NewClient(&redis.Options{Addr: mr.Addr(), MaxRetries: -1, DialTimeout: 200 * time.Millisecond})
	defer rdb.Close()
	rdb.AddHook(newObservers(m, nil).redisHook())
	ctx := context.Background()
	if err := rdb.Get(ctx, "missing").Err(); !errors.Is(err, redis.Nil) {
		t.Fatal(err)
	}
	mr.Close()
	rdb.Set(ctx, "k", "v", 0)
	srv := httptest.NewServer(m.Handler())
	defer srv.Close()
	_, text := get(t, srv.URL)
	if got := metricValue(text, "kuaiji_redis_errors_total", `command="set"`); got != 1 {
		t.Errorf("set errors = %v", got)
	}
	if got := metricValue(text, "kuaiji_redis_errors_total", `command="get"`); got != 0 {
		t.Errorf("redis.Nil counted as an error: %v", got)
	}
}

func TestHTTPAddrTaken(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	_, _, err = startHTTP(ln.Addr().String(), http.NotFoundHandler(), nil)
	if err == nil || !strings.Contains(err.Error(), "HTTP_ADDR") {
		t.Errorf("taken port: %v", err)
	}
}

// TestNewLogger: serve logs JSON by default, text when asked, and every
// line goes through the masking handler.
func TestNewLogger(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ format, def, prefix string }{
		{"", "json", "{"}, {"", "text", "time="}, {"text", "json", "time="}, {"json", "text", "{"},
	} {
		cfg, err := loadConfig(func(k string) string {
			return map[string]string{"KUAIJI_LOG_FORMAT": tt.format, "KUAIJI_LOG_LEVEL": "info", "KUAIJI_LOG_HASH_KEY": "k"}[k]
		})
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		newLogger(cfg, &buf, tt.def).Info("用户 13812345678", "chat_id", int64(987654321))
		line := buf.String()
		if !strings.HasPrefix(line, tt.prefix) || strings.Contains(line, "13812345678") || strings.Contains(line, "987654321") {
			t.Errorf("format %q default %q: %s", tt.format, tt.def, line)
		}
	}
	if _, err := loadConfig(func(k string) string { return map[string]string{"KUAIJI_LOG_FORMAT": "xml"}[k] }); err == nil {
		t.Error("KUAIJI_LOG_FORMAT=xml accepted")
	}
}
