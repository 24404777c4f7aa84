package knowledge

import (
	"context"
	"errors"
	"fmt"
	"sort"
)

// Ingest adds documents read by [LoadFile], or replaces earlier ingested
// ones of the same id, and persists the index. Unchanged chunks are neither
// re-segmented nor re-embedded. Replacing a built-in document needs
// opt.Replace and is subject to the rules of [Index.Vet]; when any document
// is refused nothing is ingested and the error wraps [ErrRefused] and the
// [*RefusedError] of each.
func (ix *Index) Ingest(ctx context.Context, add []*Document, opt IngestOptions) (IndexStats, error) {
	if _, _, refused := ix.Vet(add, opt); len(refused) > 0 {
		errs := []error{ErrRefused}
		for _, r := range refused {
			errs = append(errs, r)
		}
		return IndexStats{}, errors.Join(errs...)
	}
	return ix.swap(ctx, nil, add, originIngest)
}

// swap makes the index hold its documents without those whose ids are in
// out, and with put (of origin), which replace any of the same id; only
// put is chunked anew. It persists the result.
func (ix *Index) swap(ctx context.Context, out []string, put []*Document, from string) (IndexStats, error) {
	gone := map[string]bool{}
	for _, id := range out {
		gone[id] = true
	}
	for _, d := range put {
		gone[d.ID] = true
	}
	docs := make(map[string]*Document, len(ix.docs)+len(put))
	origin := make(map[string]string, len(ix.docs)+len(put))
	for id, d := range ix.docs {
		if !gone[id] {
			docs[id], origin[id] = d, ix.origin[id]
		}
	}
	var chunks []Chunk
	for _, ch := range ix.chunks {
		if !gone[ch.DocID] {
			chunks = append(chunks, ch)
		}
	}
	for _, d := range put {
		docs[d.ID], origin[d.ID] = d, from
		chunks = append(chunks, ChunkDocument(d)...)
	}
	return ix.reconcile(ctx, docs, origin, chunks, ix.current())
}

// ErrNotIngested is returned by [Index.Remove] for an id that names no
// ingested document: built-in documents are changed by a release or by
// KUAIJI_POLICIES_DIR, not removed at run time.
var ErrNotIngested = errors.New("no ingested document with this id")

// Remove drops ingested documents by id and persists the index. Where one
// had replaced a built-in document, the built-in one is back.
func (ix *Index) Remove(ctx context.Context, ids []string) (IndexStats, error) {
	var builtIn []*Document
	for _, id := range ids {
		if ix.origin[id] != originIngest {
			return IndexStats{}, fmt.Errorf("remove %q: %w", id, ErrNotIngested)
		}
		if d, ok := ix.corpus.Doc(id); ok {
			builtIn = append(builtIn, d)
		}
	}
	return ix.swap(ctx, ids, builtIn, originCorpus)
}

// DocInfo describes one document of the index, for operators.
type DocInfo struct {
	ID           string `json:"id"`
	Title        string `json:"title"`
	Jurisdiction string `json:"jurisdiction"` // a name; "" for national documents
	Status       string `json:"status"`
	Reviewed     string `json:"reviewed"`
	// Ingested is set for documents loaded with ingest, as opposed to the
	// built-in corpus (and KUAIJI_POLICIES_DIR).
	Ingested bool   `json:"ingested"`
	Path     string `json:"path,omitempty"`
	Chunks   int    `json:"chunks"`
}

// Documents lists the documents of the index by id.
func (ix *Index) Documents() []DocInfo {
	n := map[string]int{}
	for _, ch := range ix.chunks {
		n[ch.DocID]++
	}
	out := make([]DocInfo, 0, len(ix.docs))
	for id, d := range ix.docs {
		info := DocInfo{ID: id, Title: d.Title, Status: d.Status, Reviewed: d.Reviewed,
			Ingested: ix.origin[id] == originIngest, Path: d.Path, Chunks: n[id]}
		if j, ok := ix.corpus.Places.ByCode(d.Jurisdiction); ok {
			info.Jurisdiction = j.Name
		}
		out = append(out, info)
	}
	sort.Slice(out, func(a, b int) bool { return out[a].ID < out[b].ID })
	return out
}
