package llm

import (
	"context"
	"errors"
	"fmt"
	"sync"

	openai "github.com/sashabaranov/go-openai"
)

// Embedder embeds texts with an embedding model on an OpenAI-compatible
// endpoint, in batches, retrying on 429, 5xx and broken connections.
// [Embedder.Embed] fits [knowledge.Options.Embedder] and
// [Embedder.EmbedBatch] fits [knowledge.Options.BatchEmbed].
type Embedder struct {
	c     *Client
	model string
	set   settings
}

// NewEmbedder returns an embedder using model on c.
func NewEmbedder(c *Client, model string, opts ...Option) *Embedder {
	return &Embedder{c: c, model: model, set: newSettings(opts)}
}

// Model returns the embedding model's name.
func (e *Embedder) Model() string { return e.model }

// Embed returns the vector of one text.
func (e *Embedder) Embed(ctx context.Context, text string) ([]float32, error) {
	vs, err := e.EmbedBatch(ctx, []string{text})
	if err != nil {
		return nil, err
	}
	return vs[0], nil
}

// EmbedBatch returns the vectors of texts, in order. Batches go out a few
// at a time; the first failure cancels the rest and is returned.
func (e *Embedder) EmbedBatch(ctx context.Context, texts []string) ([][]float32, error) {
	out := make([][]float32, len(texts))
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	sem := make(chan struct{}, e.set.workers)
	var wg sync.WaitGroup
	for start := 0; start < len(texts); start += e.set.batchSize {
		end := min(start+e.set.batchSize, len(texts))
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
		}
		if ctx.Err() != nil {
			break
		}
		wg.Add(1)
		go func() {
			defer func() { <-sem; wg.Done() }()
			if err := e.batch(ctx, texts[start:end], out[start:end]); err != nil {
				cancel(err)
			}
		}()
	}
	wg.Wait()
	if err := context.Cause(ctx); err != nil {
		return nil, fmt.Errorf("embed %d texts with %s: %w", len(texts), e.model, err)
	}
	return out, nil
}

// batch embeds texts into out, which has the same length.
func (e *Embedder) batch(ctx context.Context, texts []string, out [][]float32) error {
	in := make([]string, len(texts))
	for i, t := range texts {
		// The API rejects empty inputs.
		if in[i] = t; t == "" {
			in[i] = " "
		}
	}
	_, err := e.set.retry(ctx, func(ctx context.Context) error {
		// A hung endpoint must not hang start-up: each attempt gets the
		// timeout (20 s unless [WithTimeout] says otherwise).
		ctx, cancel := context.WithTimeout(ctx, e.set.timeout)
		defer cancel()
		res, err := e.c.api.CreateEmbeddings(ctx, openai.EmbeddingRequest{Model: openai.EmbeddingModel(e.model), Input: in})
		if err != nil {
			return err
		}
		if len(res.Data) != len(in) {
			return fmt.Errorf("asked for %d embeddings, got %d", len(in), len(res.Data))
		}
		for _, d := range res.Data {
			if d.Index < 0 || d.Index >= len(in) || len(d.Embedding) == 0 {
				return errors.New("malformed embedding in reply")
			}
			out[d.Index] = d.Embedding
		}
		return nil
	})
	return err
}
