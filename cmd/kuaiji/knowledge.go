package main

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/kuaiji/kuaiji/knowledge"
	"github.com/kuaiji/kuaiji/policies"
)

// openIndex loads the built-in corpus, applies KUAIJI_POLICIES_DIR and opens
// the persisted index. Problems in the overlay are logged to log and
// skipped: a bad operator file must not take the service down.
func openIndex(ctx context.Context, cfg config, log *slog.Logger) (*knowledge.Index, error) {
	corpus, err := knowledge.LoadCorpus(policies.FS)
	if err != nil {
		return nil, fmt.Errorf("load built-in corpus: %w", err)
	}
	if cfg.policiesDir != "" {
		for _, e := range corpus.Overlay(cfg.policiesDir) {
			log.Warn("policies overlay: file skipped", "err", e)
		}
	}
	opt := knowledge.Options{Dir: cfg.dataDir, Logger: log}
	withEmbedder(cfg, log, &opt)
	ix, stats, err := knowledge.Open(ctx, corpus, opt)
	if err != nil && opt.Embedder != nil {
		// An unreachable embedding endpoint must not stop answers either:
		// use the local embedder, in memory so the persisted model vectors
		// are kept for the next start.
		log.Warn("embedding model unavailable, using the local embedder", "model", opt.EmbedderName, "err", err)
		ix, stats, err = knowledge.Open(ctx, corpus, knowledge.Options{Logger: log})
	} else if err != nil && cfg.dataDir != "" {
		// An unwritable cache must not stop answers: fall back to memory.
		log.Warn("persisted index unavailable, using memory", "dir", cfg.dataDir, "err", err)
		ix, stats, err = knowledge.Open(ctx, corpus, knowledge.Options{Logger: log})
	}
	if err != nil {
		return nil, fmt.Errorf("open index: %w", err)
	}
	log.Debug("index ready", "documents", stats.Documents, "chunks", stats.Chunks,
		"embedded", stats.Embedded, "reused", stats.ReusedVectors)
	return ix, nil
}
