package main

import (
	"context"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/kuaiji/kuaiji/deskfaq"
	"github.com/kuaiji/kuaiji/knowledge"
)

// Help-desk answers published as FAQ entries (package deskfaq) answer on
// every replica within seconds: publishing or retiring moves a version in
// Redis, which every running process polls as it polls the index version
// (reload.go), and then sets the published entries on the index it
// answers from. A re-ingested index gets them as it is swapped in.

// newDeskStore is the help-desk FAQ store on rdb. Jurisdictions are read
// with the built-in place table; with ix, publishing compares a draft with
// the built-in FAQ entries (a restart or reload brings new ones, so the
// index a process started with is what it compares with).
func newDeskStore(cfg config, rdb redis.UniversalClient, ix *knowledge.Index) *deskfaq.Store {
	opts := []deskfaq.Option{deskfaq.WithPrefix(keyPrefix(cfg.redisURL)), deskfaq.WithPlaces(placeCode)}
	if ix != nil {
		opts = append(opts, deskfaq.WithChecker(builtInChecker(ix)))
	}
	return deskfaq.New(rdb, opts...)
}

// placeCode is the code of a place as staff write it (广东, 广东省, 粤).
func placeCode(s string) (string, bool) {
	places, err := builtinPlaces()
	if err != nil {
		return "", false
	}
	j, ok := places.Resolve(s)
	return j.Code, ok
}

// builtInChecker finds the built-in FAQ entry that answers any of a
// draft's phrasings.
func builtInChecker(ix *knowledge.Index) deskfaq.Checker {
	return func(ctx context.Context, texts []string, jurisdiction string) (deskfaq.Overlap, bool, error) {
		for _, t := range texts {
			b, ok, err := ix.BuiltInAnswer(ctx, t, jurisdiction)
			if err != nil {
				return deskfaq.Overlap{}, false, err
			}
			if ok {
				return deskfaq.Overlap{Question: b.Question, Applies: b.Applies, Says: b.Says}, true, nil
			}
		}
		return deskfaq.Overlap{}, false, nil
	}
}

// deskOverlay keeps the published entries on the index in use.
type deskOverlay struct {
	store *deskfaq.Store
	log   *slog.Logger

	mu   sync.Mutex
	ix   *knowledge.Index
	list []knowledge.DeskFAQ
}

func newDeskOverlay(store *deskfaq.Store, log *slog.Logger) *deskOverlay {
	return &deskOverlay{store: store, log: log}
}

// setIndex gives a newly opened index the entries in use.
func (d *deskOverlay) setIndex(ix *knowledge.Index) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.ix = ix
	ix.SetDeskFAQ(d.list)
}

// load reads the published entries and sets them on the index.
func (d *deskOverlay) load(ctx context.Context) error {
	live, _, err := d.store.Answering(ctx, time.Now())
	if err != nil {
		return err
	}
	list := make([]knowledge.DeskFAQ, len(live))
	for i, e := range live {
		list[i] = e.Overlay()
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	d.list = list
	if d.ix != nil {
		d.ix.SetDeskFAQ(list)
	}
	return nil
}

// start loads the entries before the first question is answered, then
// again in the background whenever their version moves, until ctx ends.
// A failed read is logged and retried at the next tick; answers keep the
// entries in use.
func (d *deskOverlay) start(ctx context.Context, watchers *sync.WaitGroup) {
	last, err := d.store.Version(ctx)
	if err == nil {
		err = d.load(ctx)
	}
	if err != nil {
		d.log.Warn("help-desk FAQ entries not loaded; retrying", "err", err)
		last = "unread"
	}
	watchers.Add(1)
	go func() {
		defer watchers.Done()
		d.watch(ctx, last)
	}()
}

func (d *deskOverlay) watch(ctx context.Context, last string) {
	t := time.NewTicker(reloadEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		v, err := d.store.Version(ctx)
		if err != nil || v == last {
			continue
		}
		if err := d.load(ctx); err != nil {
			d.log.Warn("help-desk FAQ entries not reloaded", "err", err)
			continue
		}
		last = v
		d.log.Info("help-desk FAQ entries reloaded", "entries", len(d.list), "version", v)
	}
}

// countHits counts the answers given with a help-desk entry: the answer's
// first source is the entry it came from.
func countHits(ctx context.Context, store *deskfaq.Store, sources []string) error {
	if len(sources) == 0 || !strings.HasPrefix(sources[0], deskfaq.IDPrefix) {
		return nil
	}
	n, ok := deskfaq.ParseID(sources[0])
	if !ok {
		return nil
	}
	return store.Hit(ctx, n)
}
