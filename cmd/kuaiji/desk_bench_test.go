package main

import (
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"os"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"

	"github.com/kuaiji/kuaiji/deskfaq"
	"github.com/kuaiji/kuaiji/internal/redistest"
	"github.com/kuaiji/kuaiji/knowledge"
	"github.com/kuaiji/kuaiji/policies"
)

// BenchmarkPublishToLive is how long a published entry takes to answer on
// two replicas (two processes' worth of index and version poll on one
// Redis): from Publish returning until both indexes hold it. The poll
// runs every reloadEvery (2 s), so the figure is about half of that on
// average and at most all of it, plus the reload. On the real Redis:
//
//	./scripts/with-redis.sh go test -run '^$' -bench PublishToLive -benchtime 10x ./cmd/kuaiji/
func BenchmarkPublishToLive(b *testing.B) {
	var rdb redis.UniversalClient
	if os.Getenv(redistest.EnvURL) != "" {
		rdb = redistest.Real(b)
	} else {
		mr := miniredis.RunT(b)
		rdb = redis.NewClient(&redis.Options{Addr: mr.Addr()})
	}
	prefix := fmt.Sprintf("bench:%d:", time.Now().UnixNano())
	store := deskfaq.New(rdb, deskfaq.WithPrefix(prefix))
	ctx, cancel := context.WithCancel(context.Background())
	var watchers sync.WaitGroup
	defer watchers.Wait()
	defer cancel()
	var replicas []*knowledge.Index
	for range 2 {
		c, err := knowledge.LoadCorpus(policies.FS)
		if err != nil {
			b.Fatal(err)
		}
		ix, _, err := knowledge.Open(ctx, c, knowledge.Options{})
		if err != nil {
			b.Fatal(err)
		}
		o := newDeskOverlay(deskfaq.New(rdb, deskfaq.WithPrefix(prefix)), slog.New(slog.DiscardHandler))
		o.setIndex(ix)
		o.start(ctx, &watchers)
		replicas = append(replicas, ix)
	}
	var lat []time.Duration
	b.ResetTimer()
	for i := range b.N {
		// Publishing at a random point of the poll period, as people do:
		// right after the previous entry went live would always wait a
		// whole period.
		time.Sleep(rand.N(reloadEvery))
		e, err := store.Create(ctx, deskfaq.Entry{Question: fmt.Sprintf("第%d个问题怎么办理？", i), Answer: "按通知办理。"})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := store.Publish(ctx, e.Number, false, "bench"); err != nil {
			b.Fatal(err)
		}
		start := time.Now()
		for slices.ContainsFunc(replicas, func(ix *knowledge.Index) bool { return ix.DeskFAQCount() <= i }) {
			time.Sleep(5 * time.Millisecond)
		}
		lat = append(lat, time.Since(start))
	}
	b.StopTimer()
	slices.Sort(lat)
	var sum time.Duration
	for _, d := range lat {
		sum += d
	}
	b.ReportMetric(float64(sum.Milliseconds())/float64(len(lat)), "mean-ms")
	b.ReportMetric(float64(lat[len(lat)-1].Milliseconds()), "max-ms")
}
