package flows_test

import (
	"context"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/kuaiji/kuaiji/flows"
	"github.com/kuaiji/kuaiji/flows/redisstore"
)

// chainFlow is a flow of n yes/no steps, each answered by "是".
func chainFlow(n int) fstest.MapFS {
	var b strings.Builder
	b.WriteString("id: chain\ntitle: 连续问答\ncommand: chain\nversion: 1\nstart: s0\nsteps:\n")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "  s%d: {ask: 第%d问？, parse: yesno, save: a%d, next: s%d}\n", i, i, i, i+1)
	}
	fmt.Fprintf(&b, "  s%d: {say: 完成, plain: true, end: true}\n", n)
	return fstest.MapFS{"flows/chain.yaml": {Data: []byte(b.String())}}
}

// redisAddr returns a real Redis when KUAIJI_TEST_REDIS_URL is set, else a
// miniredis.
func redisClients(t *testing.T, n int) []*redis.Client {
	t.Helper()
	var opt *redis.Options
	if u := os.Getenv("KUAIJI_TEST_REDIS_URL"); u != "" {
		var err error
		if opt, err = redis.ParseURL(u); err != nil {
			t.Fatal(err)
		}
	} else {
		opt = &redis.Options{Addr: newRig(t).mr.Addr()}
	}
	var out []*redis.Client
	for i := 0; i < n; i++ {
		c := redis.NewClient(opt)
		t.Cleanup(func() { c.Close() })
		out = append(out, c)
	}
	return out
}

// TestConcurrentAnswers sends 100 answers to one chat from 100 goroutines
// spread over 4 engines (as 4 processes would be): every answer must move
// the chat exactly one step.
func TestConcurrentAnswers(t *testing.T) {
	const n = 100
	fl, err := flows.Load(chainFlow(n), "flows", docs())
	if err != nil {
		t.Fatal(err)
	}
	prefix := fmt.Sprintf("kuaiji-test-%s-%d:", t.Name(), time.Now().UnixNano())
	var engines []*flows.Engine
	var stores []*redisstore.Store
	for _, c := range redisClients(t, 4) {
		st := redisstore.New(c, redisstore.WithPrefix(prefix))
		stores = append(stores, st)
		engines = append(engines, flows.New(st, fl, newFakePlaces()))
	}
	ctx := context.Background()
	const chat = 99
	if _, err := engines[0].Handle(ctx, flows.Input{Chat: chat, User: chat, Command: "chain"}, nil); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			_, err := engines[i%len(engines)].Handle(ctx, flows.Input{Chat: chat, User: chat, Text: "是"}, nil)
			errs <- err
		}(i)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	snap, err := stores[0].Load(ctx, chat, chat)
	if err != nil {
		t.Fatal(err)
	}
	s := snap.Session
	if s.Flow != "" || s.Last == nil || s.Last.Step != fmt.Sprintf("s%d", n) {
		t.Fatalf("flow did not finish: %+v", s)
	}
	if len(s.Last.Answers) != n {
		t.Fatalf("%d answers saved, want %d", len(s.Last.Answers), n)
	}
	if s.Turn != n+1 || snap.Version != n+1 {
		t.Fatalf("turn %d, version %d; want %d (no lost or duplicated step)", s.Turn, snap.Version, n+1)
	}
}

// TestConcurrentSameButton presses one button 100 times at once: exactly
// one press counts, the others are reported as stale.
func TestConcurrentSameButton(t *testing.T) {
	fl, err := flows.Load(chainFlow(3), "flows", docs())
	if err != nil {
		t.Fatal(err)
	}
	prefix := fmt.Sprintf("kuaiji-test-%s-%d:", t.Name(), time.Now().UnixNano())
	var engines []*flows.Engine
	for _, c := range redisClients(t, 4) {
		engines = append(engines, flows.New(redisstore.New(c, redisstore.WithPrefix(prefix)), fl, newFakePlaces()))
	}
	ctx := context.Background()
	if _, err := engines[0].Handle(ctx, flows.Input{Chat: 1, User: 1, Command: "chain"}, nil); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	moved, stale := 0, 0
	for i := 0; i < 100; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			out, err := engines[i%4].Handle(ctx, flows.Input{Chat: 1, User: 1, Data: "v1|chain|s0|0"}, nil)
			if err != nil {
				t.Error(err)
				return
			}
			mu.Lock()
			defer mu.Unlock()
			if strings.Contains(out[0].Text, "已过期") {
				stale++
			} else {
				moved++
			}
		}(i)
	}
	wg.Wait()
	if moved != 1 || stale != 99 {
		t.Fatalf("moved %d, stale %d", moved, stale)
	}
}
