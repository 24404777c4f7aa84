package web_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/redis/go-redis/v9"

	"github.com/kuaiji/kuaiji/bot"
	"github.com/kuaiji/kuaiji/bot/rating"
	"github.com/kuaiji/kuaiji/bot/web"
	"github.com/kuaiji/kuaiji/feedback"
	"github.com/kuaiji/kuaiji/flows"
	"github.com/kuaiji/kuaiji/flows/redisstore"
	"github.com/kuaiji/kuaiji/internal/redistest"
	"github.com/kuaiji/kuaiji/knowledge"
	"github.com/kuaiji/kuaiji/policies"
)

var (
	ixOnce sync.Once
	ix     *knowledge.Index
	flowsL []*flows.Flow
	ixErr  error
)

// corpus is the real embedded corpus and flows, opened once: the page is
// tested with the answers users get.
func corpus(t testing.TB) (*knowledge.Index, []*flows.Flow) {
	t.Helper()
	ixOnce.Do(func() {
		var c *knowledge.Corpus
		if c, ixErr = knowledge.LoadCorpus(policies.FS); ixErr != nil {
			return
		}
		if ix, _, ixErr = knowledge.Open(context.Background(), c, knowledge.Options{}); ixErr != nil {
			return
		}
		docs := flows.DocSet{}
		for _, d := range ix.Corpus().Docs {
			docs[d.ID] = d.Title
		}
		flowsL, ixErr = flows.Load(policies.FS, "flows", docs)
	})
	if ixErr != nil {
		t.Fatal(ixErr)
	}
	return ix, flowsL
}

// site is a web server on a Redis, with a handler that can be swapped
// for a new server instance (a restart) at the same address.
type site struct {
	t      testing.TB
	rdb    redis.UniversalClient
	prefix string
	opts   []web.Option
	// rated offers 👍 / 👎 under answers, kept under prefix as in serve.
	rated  bool
	srv    *web.Server
	store  *redisstore.Store
	router *bot.Router
	h      atomic.Pointer[http.Handler]
	ts     *httptest.Server
	cancel context.CancelFunc
	hits   sync.Map // path -> *atomic.Int64
}

func newSite(t testing.TB, opts ...web.Option) *site {
	t.Helper()
	s := &site{t: t, rdb: redistest.Client(t), prefix: fmt.Sprintf("kw:%d:", rand.Int64()), opts: opts}
	s.ts = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n, _ := s.hits.LoadOrStore(r.URL.Path, new(atomic.Int64))
		n.(*atomic.Int64).Add(1)
		(*s.h.Load()).ServeHTTP(w, r)
	}))
	t.Cleanup(func() { s.ts.CloseClientConnections(); s.ts.Close() })
	s.start()
	t.Cleanup(func() { s.cancel() })
	return s
}

// hitsOf counts requests to a path so far.
func (s *site) hitsOf(path string) int64 {
	if n, ok := s.hits.Load(path); ok {
		return n.(*atomic.Int64).Load()
	}
	return 0
}

func (s *site) start() {
	s.t.Helper()
	idx, list := corpus(s.t)
	s.store = redisstore.New(s.rdb, redisstore.WithPrefix(s.prefix+"flows:"))
	eng := flows.New(s.store, list, bot.PlacesFrom(idx.Places()))
	var ropts []bot.Option
	if s.rated {
		ropts = append(ropts, bot.WithRatings(rating.New(feedback.New(s.rdb, feedback.WithPrefix(s.prefix)))))
	}
	s.router = bot.NewRouter(eng, idx, ropts...)
	ctx, cancel := context.WithCancel(context.Background())
	opts := append([]web.Option{web.WithKeyPrefix(s.prefix), web.WithDocInfo(web.CorpusDocInfo(idx.Corpus())), web.WithLogger(slog.New(slog.NewTextHandler(io.Discard, nil)))}, s.opts...)
	srv, err := web.New(ctx, s.router, s.rdb, opts...)
	if err != nil {
		s.t.Fatal(err)
	}
	go srv.Subscribe(ctx)
	var h http.Handler = srv.Handler()
	s.h.Store(&h)
	s.srv, s.cancel = srv, cancel
}

// restart replaces the server with a new instance on the same Redis.
func (s *site) restart() {
	s.cancel()
	s.start()
}

func (s *site) URL() string { return s.ts.URL }

func mustURL(s string) *url.URL {
	u, err := url.Parse(s)
	if err != nil {
		panic(err)
	}
	return u
}

// host serves one HTML page as another site would.
func host(t *testing.T, html string) *httptest.Server {
	t.Helper()
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, html)
	}))
	t.Cleanup(func() { ts.CloseClientConnections(); ts.Close() })
	return ts
}

// localhost names a test server by localhost instead of 127.0.0.1: a
// different site for the browser, as another company's page would be.
func localhost(u string) string { return strings.Replace(u, "127.0.0.1", "localhost", 1) }

func newServer(t *testing.T, h http.Handler) string {
	t.Helper()
	ts := httptest.NewServer(h)
	t.Cleanup(func() { ts.CloseClientConnections(); ts.Close() })
	return ts.URL
}
