package knowledge

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/philippgille/chromem-go"
)

// Options configure [Open].
type Options struct {
	// Dir holds the persisted index; "" keeps everything in memory.
	Dir string
	// Embedder computes chunk and query vectors; nil means [LocalEmbedder].
	Embedder chromem.EmbeddingFunc
	// BatchEmbed, when set, computes the vectors of new and changed chunks
	// in one call, returning one vector per text in order, instead of one
	// Embedder call per chunk; it must embed into Embedder's space.
	BatchEmbed func(ctx context.Context, texts []string) ([][]float32, error)
	// EmbedderName identifies Embedder's vector space (model name); a
	// persisted index built with another one is re-embedded once.
	EmbedderName string
	// VectorWeight is the weight of the vector ranking against BM25's in the
	// fusion; 0 means 0.6 for the local embedder, whose hashed features are
	// weaker than words, and 1 for a model's embeddings.
	VectorWeight float64
	Logger       *slog.Logger
	// Today is the date review dates are checked against; zero means now.
	Today time.Time
	// unshared builds the FAQ matcher as a new process would, without the
	// one an earlier Open built (tests of faq.bin).
	unshared bool
}

// Index answers questions over a [Corpus] with hybrid retrieval: BM25 over
// segmented words and exact cosine similarity of vectors, fused by rank.
type Index struct {
	corpus *Corpus
	seg    *Segmenter
	log    *slog.Logger
	// unshared is [Options.unshared].
	unshared bool

	docs    map[string]*Document
	origin  map[string]string // doc id → originCorpus or originIngest
	chunks  []Chunk
	byID    map[string]int
	byPlace map[string][]int32 // jurisdiction code → its chunks
	lex     *bm25
	vecs    *vectorIndex

	embed        chromem.EmbeddingFunc
	batchEmbed   func(ctx context.Context, texts []string) ([][]float32, error)
	embedderName string
	vectorWeight float64
	dir          string

	faq *faqMatcher
	// desk holds the published help-desk entries (desk.go), swapped whole.
	desk atomic.Pointer[deskSet]
}

const (
	originCorpus = "corpus"
	originIngest = "ingest"
)

// IndexStats says what an [Open] or [Index.Ingest] had to do.
type IndexStats struct {
	Documents, Chunks       int
	Added, Updated, Removed int // chunks
	Embedded, ReusedVectors int
}

// Open builds or loads the index for c. With opt.Dir set, unchanged chunks
// keep their persisted terms and vectors, so a restart neither re-segments
// nor re-embeds; documents ingested earlier are kept.
func Open(ctx context.Context, c *Corpus, opt Options) (*Index, IndexStats, error) {
	ix := &Index{
		corpus:       c,
		seg:          DefaultSegmenter(),
		log:          opt.Logger,
		embed:        opt.Embedder,
		batchEmbed:   opt.BatchEmbed,
		embedderName: opt.EmbedderName,
		dir:          opt.Dir,
		unshared:     opt.unshared,
	}
	if ix.log == nil {
		ix.log = slog.New(slog.DiscardHandler)
	}
	ix.vectorWeight = opt.VectorWeight
	if ix.embed == nil {
		ix.embed, ix.embedderName, ix.batchEmbed = LocalEmbedder(ix.seg), LocalEmbedderName, nil
		if ix.vectorWeight == 0 {
			ix.vectorWeight = 0.6
		}
	}
	if ix.vectorWeight == 0 {
		ix.vectorWeight = 1
	}
	var old indexState
	if ix.dir != "" {
		if err := os.MkdirAll(ix.dir, 0o755); err != nil {
			return nil, IndexStats{}, fmt.Errorf("create index dir: %w", err)
		}
		var err error
		old, err = readState(ix.dir)
		if err != nil {
			ix.log.Warn("persisted index unreadable, rebuilding", "dir", ix.dir, "err", err)
			old = indexState{}
		}
		// Terms from another dictionary are useless, and so are vectors
		// from another embedder (the local one depends on the dictionary
		// too); the documents and their chunks are kept either way, so
		// nothing ingested is lost.
		if old.Dict != dictVersion() {
			old.lex, old.vecs = nil, nil
		}
		if old.Embedder != ix.embedderName {
			old.vecs = nil
		}
	}

	// Desired documents: the corpus, plus what was ingested before. An
	// ingested document replaces the built-in one of the same id, since an
	// operator loaded it on purpose, while it still may (replacementProblem):
	// a newer release, one reviewed after the copy or the copy having no
	// review date, carries a newer text.
	docs := map[string]*Document{}
	origin := map[string]string{}
	for _, d := range c.Docs {
		docs[d.ID], origin[d.ID] = d, originCorpus
	}
	oldChunks := map[string][]Chunk{}
	for _, ch := range old.Chunks {
		oldChunks[ch.DocID] = append(oldChunks[ch.DocID], ch)
	}
	for i := range old.Docs {
		d := old.Docs[i]
		if old.Origin[d.ID] != originIngest {
			continue
		}
		if b, ok := c.Doc(d.ID); ok {
			if why, _ := ix.replacementProblem(b, &d, dateOf(opt.Today)); why != "" {
				ix.log.Warn("ingested copy of a built-in document dropped", "doc", d.ID, "reason", why,
					"built_in_reviewed", b.Reviewed, "ingested_reviewed", d.Reviewed)
				continue
			}
		}
		docs[d.ID], origin[d.ID] = &d, originIngest
	}
	var chunks []Chunk
	for id, d := range docs {
		if origin[id] == originIngest {
			chunks = append(chunks, oldChunks[id]...)
			continue
		}
		chunks = append(chunks, ChunkDocument(d)...)
	}
	stats, err := ix.reconcile(ctx, docs, origin, chunks, old)
	if err != nil {
		return nil, stats, err
	}
	ix.faq = ix.openFAQ(c)
	return ix, stats, nil
}

// openFAQ builds the FAQ matcher, or shares the process's matcher of the
// same phrasings, and takes the phrasings' features of an earlier start
// from faq.bin when it must build one of a persisted index (faqcache.go).
func (ix *Index) openFAQ(c *Corpus) *faqMatcher {
	var known *faqFeatures
	load := func() *faqFeatures {
		if ix.dir != "" {
			known = loadFAQFeatures(ix.dir, ix.log)
		}
		return known
	}
	var m *faqMatcher
	if ix.unshared {
		m = newFAQMatcher(ix.seg, c.FAQ, c.Places, load())
	} else {
		m = sharedFAQMatcher(ix.seg, c.FAQ, c.Places, load)
	}
	if known != nil {
		known.save(ix.dir, ix.log)
	}
	return m
}

// current is the index's own state, the starting point of a change.
func (ix *Index) current() indexState {
	return indexState{stateHeader: stateHeader{Chunks: ix.chunks}, lex: ix.lex, vecs: ix.vecs}
}

// reconcile makes the index hold exactly chunks, re-segmenting and
// re-embedding only those whose hash is not in prev, and persists the
// result.
func (ix *Index) reconcile(ctx context.Context, docs map[string]*Document, origin map[string]string, chunks []Chunk, prev indexState) (IndexStats, error) {
	sort.Slice(chunks, func(a, b int) bool { return chunkLess(chunks[a], chunks[b]) })
	stats := IndexStats{Documents: len(docs), Chunks: len(chunks)}
	lex, vecs := prev.lex, prev.vecs
	if !sameChunks(chunks, prev.Chunks) || lex == nil || vecs == nil {
		var err error
		if lex, vecs, err = ix.rebuild(ctx, docs, chunks, prev, &stats); err != nil {
			return stats, err
		}
	} else {
		stats.ReusedVectors = len(chunks)
	}
	ix.docs, ix.origin, ix.chunks, ix.lex, ix.vecs = docs, origin, chunks, lex, vecs
	ix.byID = make(map[string]int, len(chunks))
	ix.byPlace = map[string][]int32{}
	for i, ch := range chunks {
		ix.byID[ch.ID] = i
		if ch.Jurisdiction != "" {
			ix.byPlace[ch.Jurisdiction] = append(ix.byPlace[ch.Jurisdiction], int32(i))
		}
	}
	if ix.dir != "" && (stats.Added+stats.Updated+stats.Removed+stats.Embedded > 0 || !fileExists(filepath.Join(ix.dir, stateFile))) {
		if err := ix.save(); err != nil {
			return stats, err
		}
	}
	return stats, nil
}

// sameChunks reports whether a and b are the same chunks in the same order.
func sameChunks(a, b []Chunk) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].ID != b[i].ID || a[i].Hash != b[i].Hash {
			return false
		}
	}
	return true
}

// rebuild computes the terms and vectors of chunks, taking those of
// unchanged chunks from prev, and counts what it did in stats.
func (ix *Index) rebuild(ctx context.Context, docs map[string]*Document, chunks []Chunk, prev indexState, stats *IndexStats) (*bm25, *vectorIndex, error) {
	prevAt := make(map[string]int, len(prev.Chunks))
	for i, ch := range prev.Chunks {
		prevAt[ch.ID] = i
	}
	var prevTerms [][]termCount
	if prev.lex != nil {
		prevTerms = prev.lex.forward()
	}
	terms := make([][]termCount, len(chunks))
	lengths := make([]int, len(chunks))
	rows := make([][]float32, len(chunks))
	want := make(map[string]bool, len(chunks))
	var toEmbed []int
	for i := range chunks {
		ch := &chunks[i]
		want[ch.ID] = true
		p, had := prevAt[ch.ID]
		if had && prev.Chunks[p].Hash == ch.Hash && prevTerms != nil {
			terms[i], lengths[i] = prevTerms[p], int(prev.lex.lengths[p])
			if prev.vecs != nil && p < prev.vecs.n {
				rows[i] = prev.vecs.row(p)
				stats.ReusedVectors++
				continue
			}
		} else {
			terms[i], lengths[i] = countTerms(ix.chunkTokens(docs[ch.DocID], *ch))
			if had {
				stats.Updated++
			} else {
				stats.Added++
			}
		}
		toEmbed = append(toEmbed, i)
	}
	for id := range prevAt {
		if !want[id] {
			stats.Removed++
		}
	}
	texts := make([]string, len(toEmbed))
	for k, i := range toEmbed {
		texts[k] = embedText(docs[chunks[i].DocID], chunks[i])
	}
	vecs, err := ix.embedAll(ctx, texts)
	if err != nil {
		return nil, nil, fmt.Errorf("embed chunks: %w", err)
	}
	for k, i := range toEmbed {
		rows[i] = vecs[k]
	}
	stats.Embedded = len(toEmbed)
	vi, err := newVectorIndex(rows)
	if err != nil {
		return nil, nil, fmt.Errorf("embed chunks: %w", err)
	}
	return newBM25(terms, lengths), vi, nil
}

// embedAll returns the normalised vectors of texts: in one call with
// BatchEmbed, else with up to four Embedder calls at a time.
func (ix *Index) embedAll(ctx context.Context, texts []string) ([][]float32, error) {
	if len(texts) == 0 {
		return nil, nil
	}
	var vecs [][]float32
	if ix.batchEmbed != nil {
		var err error
		if vecs, err = ix.batchEmbed(ctx, texts); err != nil {
			return nil, err
		}
		if len(vecs) != len(texts) {
			return nil, fmt.Errorf("%d vectors for %d chunks", len(vecs), len(texts))
		}
	} else {
		vecs = make([][]float32, len(texts))
		ctx, cancel := context.WithCancelCause(ctx)
		defer cancel(nil)
		next := make(chan int)
		var wg sync.WaitGroup
		for range min(4, len(texts)) {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range next {
					v, err := ix.embed(ctx, texts[i])
					if err != nil {
						cancel(err)
						continue
					}
					vecs[i] = v
				}
			}()
		}
	feed:
		for i := range texts {
			select {
			case next <- i:
			case <-ctx.Done():
				break feed
			}
		}
		close(next)
		wg.Wait()
		if err := context.Cause(ctx); err != nil {
			return nil, err
		}
	}
	for i, v := range vecs {
		if len(v) == 0 {
			return nil, fmt.Errorf("empty vector for chunk %d", i)
		}
		if !isNormalized(v) {
			vecs[i] = normalizeVector(v)
		}
	}
	return vecs, nil
}

func chunkLess(a, b Chunk) bool {
	if a.DocID != b.DocID {
		return a.DocID < b.DocID
	}
	return chunkSeq(a.ID) < chunkSeq(b.ID)
}

// chunkSeq is the n of a chunk id "<doc id>#<n>".
func chunkSeq(id string) int {
	n, _ := strconv.Atoi(id[strings.LastIndexByte(id, '#')+1:])
	return n
}

// chunkTokens are the BM25 terms of a chunk: its words, including the title
// and section path so "第十三条" or a place name in a heading match, plus
// prefixed character bigrams.
func (ix *Index) chunkTokens(d *Document, ch Chunk) []string {
	text := d.Title + "\n" + ch.Section + "\n" + ch.Text
	toks := ix.seg.Tokens(text)
	for _, b := range Bigrams(text) {
		toks = append(toks, bigramPrefix+b)
	}
	return toks
}

const bigramPrefix = "2:"

func embedText(d *Document, ch Chunk) string {
	return d.Title + " " + ch.Section + "\n" + ch.Text
}

// Corpus returns the corpus the index was built from.
func (ix *Index) Corpus() *Corpus { return ix.corpus }

// Places returns the jurisdiction table.
func (ix *Index) Places() *Jurisdictions { return ix.corpus.Places }

// Stats reports the size of the index.
func (ix *Index) Stats() (docs, chunks, faqs int) {
	return len(ix.docs), len(ix.chunks), len(ix.corpus.FAQ)
}
