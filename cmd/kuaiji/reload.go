package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/kuaiji/kuaiji/bot"
	"github.com/kuaiji/kuaiji/knowledge"
)

// Documents ingested while `serve` (or `chat`) runs are picked up without
// a restart. `kuaiji ingest` writes the persisted index into
// KUAIJI_DATA_DIR (the index file is replaced by a rename, so a reader never
// sees half of it) and then bumps a version in Redis. Every running
// process polls that version and, when it moves, reopens the persisted
// index and swaps the answerer between two questions. Replicas therefore
// share KUAIJI_DATA_DIR (one volume, as in docker-compose.yml). Without
// REDIS_URL the version is the index file's modification time and size.
//
// Polling one small key every couple of seconds is cheaper and sturdier
// than pub/sub here: it works the same on one node, Sentinel and Cluster,
// and a replica that was down when the change was announced still sees it.

// reloadEvery is how often a running process looks for a new index.
const reloadEvery = 2 * time.Second

func indexVersionKey(cfg config) string { return keyPrefix(cfg.redisURL) + "index:version" }

// announceIndex tells running processes that the persisted index changed.
func announceIndex(ctx context.Context, cfg config) error {
	if cfg.redisURL == "" {
		return nil // they watch the index file itself
	}
	rdb, err := newRedis(cfg.redisURL, true)
	if err != nil {
		return fmt.Errorf("announce index: %w", err)
	}
	defer rdb.Close()
	if err := rdb.Incr(ctx, indexVersionKey(cfg)).Err(); err != nil {
		return fmt.Errorf("announce index: %w", err)
	}
	return nil
}

// indexVersion is what announceIndex last set ("" when never announced).
func indexVersion(ctx context.Context, cfg config, rdb redis.UniversalClient) (string, error) {
	if rdb == nil {
		fi, err := os.Stat(filepath.Join(cfg.dataDir, knowledge.IndexFile))
		if errors.Is(err, os.ErrNotExist) {
			return "", nil
		}
		if err != nil {
			return "", err
		}
		return fmt.Sprint(fi.ModTime().UnixNano(), "/", fi.Size()), nil
	}
	v, err := rdb.Get(ctx, indexVersionKey(cfg)).Result()
	if errors.Is(err, redis.Nil) {
		return "", nil
	}
	return v, err
}

// liveAnswerer answers with the newest index; swap replaces it between
// two questions, and a question under way finishes on the index it began
// with.
type liveAnswerer struct {
	cur atomic.Pointer[bot.Answerer]
}

func newLiveAnswerer(a bot.Answerer) *liveAnswerer {
	l := &liveAnswerer{}
	l.cur.Store(&a)
	return l
}

func (l *liveAnswerer) swap(a bot.Answerer) { l.cur.Store(&a) }

func (l *liveAnswerer) Answer(ctx context.Context, q knowledge.Question) (knowledge.Answer, error) {
	return (*l.cur.Load()).Answer(ctx, q)
}

// liveStreamAnswerer is a liveAnswerer over answerers that stream (a
// model is configured for the life of the process, so it is one or the
// other from the start).
type liveStreamAnswerer struct{ *liveAnswerer }

func (l liveStreamAnswerer) AnswerStream(ctx context.Context, q knowledge.Question, onDelta func(string)) (knowledge.Answer, error) {
	a := *l.cur.Load()
	if s, ok := a.(bot.StreamAnswerer); ok {
		return s.AnswerStream(ctx, q, onDelta)
	}
	return a.Answer(ctx, q)
}

// live wraps a so that watchIndex can replace it.
func live(a bot.Answerer) (bot.Answerer, *liveAnswerer) {
	l := newLiveAnswerer(a)
	if _, ok := a.(bot.StreamAnswerer); ok {
		return liveStreamAnswerer{l}, l
	}
	return l, l
}

// watchIndex polls the index version until ctx ends and, when it changes,
// reopens the index and hands the new one to apply. rdb may be nil (no
// REDIS_URL). A failed reload is logged and tried again at the next
// change; answers keep coming from the index in use.
func watchIndex(ctx context.Context, cfg config, log *slog.Logger, rdb redis.UniversalClient, apply func(*knowledge.Index)) {
	last, err := indexVersion(ctx, cfg, rdb)
	if err != nil {
		log.Warn("index version unreadable; documents ingested later need a restart until it is", "err", err)
	}
	t := time.NewTicker(reloadEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		v, err := indexVersion(ctx, cfg, rdb)
		if err != nil || v == last {
			continue
		}
		ix, err := openIndex(ctx, cfg, log)
		if err != nil {
			log.Error("reload index after ingest", "err", err)
			continue
		}
		last = v
		apply(ix)
		st := ix.Corpus()
		log.Info("index reloaded", "documents", len(st.Docs), "version", v)
	}
}
