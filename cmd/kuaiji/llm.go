package main

import (
	"log/slog"

	"github.com/kuaiji/kuaiji/bot"
	"github.com/kuaiji/kuaiji/knowledge"
	"github.com/kuaiji/kuaiji/knowledge/llm"
)

// llmClient returns a client for the configured endpoint, or nil when
// neither a chat nor an embedding model is set: then kuaiji is offline.
func llmClient(cfg config) *llm.Client {
	if cfg.openAIModel == "" && cfg.openAIEmbeddingModel == "" {
		return nil
	}
	return llm.NewClient(llm.Config{BaseURL: cfg.openAIBaseURL, APIKey: cfg.openAIKey})
}

// withEmbedder makes opt embed with OPENAI_EMBEDDING_MODEL when it is set.
func withEmbedder(cfg config, log *slog.Logger, opt *knowledge.Options) {
	c := llmClient(cfg)
	if c == nil || cfg.openAIEmbeddingModel == "" {
		return
	}
	e := llm.NewEmbedder(c, cfg.openAIEmbeddingModel, llm.WithLogger(log))
	opt.Embedder, opt.BatchEmbed, opt.EmbedderName = e.Embed, e.EmbedBatch, cfg.openAIEmbeddingModel
}

// newAnswerer returns the LLM answerer over ix when OPENAI_MODEL is set,
// and ix itself, which answers extractively, otherwise.
func newAnswerer(cfg config, log *slog.Logger, ix *knowledge.Index, opts ...llm.Option) bot.Answerer {
	if a := llmAnswerer(cfg, log, ix, opts...); a != nil {
		return a
	}
	return ix
}

// llmAnswerer returns the LLM answerer, or nil when OPENAI_MODEL is unset.
func llmAnswerer(cfg config, log *slog.Logger, ix *knowledge.Index, extra ...llm.Option) *llm.Answerer {
	c := llmClient(cfg)
	if c == nil || cfg.openAIModel == "" {
		return nil
	}
	opts := append([]llm.Option{llm.WithLogger(log)}, extra...)
	return llm.NewAnswerer(ix, c, cfg.openAIModel, opts...)
}
