package knowledge

import (
	"context"
	"encoding/gob"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sort"
	"strings"

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
}

// Index answers questions over a [Corpus] with hybrid retrieval: BM25 over
// segmented words and a chromem-go vector collection, fused by rank.
type Index struct {
	corpus *Corpus
	seg    *Segmenter
	log    *slog.Logger

	docs   map[string]*Document
	origin map[string]string // doc id → originCorpus or originIngest
	chunks []Chunk
	byID   map[string]int
	lex    *bm25

	db           *chromem.DB
	col          *chromem.Collection
	embed        chromem.EmbeddingFunc
	batchEmbed   func(ctx context.Context, texts []string) ([][]float32, error)
	embedderName string
	vectorWeight float64
	dir          string

	faq *faqMatcher
}

const (
	originCorpus = "corpus"
	originIngest = "ingest"

	stateVersion   = 1
	stateFile      = "index.gob"
	vectorsDir     = "vectors"
	collectionName = "chunks"
)

// persisted is what index.gob holds next to chromem's own files.
type persisted struct {
	Version  int
	Embedder string
	Dict     string
	Docs     []Document
	Origin   map[string]string
	Chunks   []Chunk
}

// IndexStats says what an [Open] or [Index.Ingest] had to do.
type IndexStats struct {
	Documents, Chunks       int
	Added, Updated, Removed int // chunks
	Embedded, ReusedVectors int
}

// Open builds or loads the index for c. With opt.Dir set, unchanged chunks
// keep their persisted tokens and vectors, so a restart neither re-segments
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
	var old persisted
	if ix.dir != "" {
		if err := os.MkdirAll(ix.dir, 0o755); err != nil {
			return nil, IndexStats{}, fmt.Errorf("create index dir: %w", err)
		}
		var err error
		old, err = readState(filepath.Join(ix.dir, stateFile))
		if err != nil {
			ix.log.Warn("persisted index unreadable, rebuilding", "dir", ix.dir, "err", err)
		}
		if old.Version != stateVersion || old.Embedder != ix.embedderName || old.Dict != dictVersion() {
			old = persisted{}
			// Vectors from another embedder or tokens from another dictionary
			// are useless: start the vector store afresh.
			if err := os.RemoveAll(filepath.Join(ix.dir, vectorsDir)); err != nil {
				return nil, IndexStats{}, fmt.Errorf("reset vectors: %w", err)
			}
		}
		ix.db, err = chromem.NewPersistentDB(filepath.Join(ix.dir, vectorsDir), false)
		if err != nil {
			return nil, IndexStats{}, fmt.Errorf("open vector store: %w", err)
		}
	} else {
		ix.db = chromem.NewDB()
	}
	col, err := ix.db.GetOrCreateCollection(collectionName, nil, ix.embed)
	if err != nil {
		return nil, IndexStats{}, fmt.Errorf("open collection: %w", err)
	}
	ix.col = col

	// Desired documents: the corpus, plus what was ingested before. An
	// ingested document replaces the built-in one of the same id, since an
	// operator loaded it on purpose, unless the built-in one was reviewed
	// later: then a newer release carries a newer text.
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
		if b := docs[d.ID]; b != nil && newerReview(b.Reviewed, d.Reviewed) {
			ix.log.Warn("built-in document is newer than the ingested one; the ingested copy is dropped",
				"doc", d.ID, "built_in_reviewed", b.Reviewed, "ingested_reviewed", d.Reviewed)
			continue
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
	stats, err := ix.reconcile(ctx, docs, origin, chunks, old.Chunks)
	if err != nil {
		return nil, stats, err
	}
	ix.faq = newFAQMatcher(ix.seg, c.FAQ, c.Places)
	return ix, stats, nil
}

// reconcile makes the index hold exactly chunks, re-segmenting and
// re-embedding only those whose hash is new, and persists the result.
func (ix *Index) reconcile(ctx context.Context, docs map[string]*Document, origin map[string]string, chunks, previous []Chunk) (IndexStats, error) {
	sort.Slice(chunks, func(a, b int) bool { return chunkLess(chunks[a], chunks[b]) })
	prev := make(map[string]Chunk, len(previous))
	for _, ch := range previous {
		prev[ch.ID] = ch
	}
	stats := IndexStats{Documents: len(docs), Chunks: len(chunks)}
	want := make(map[string]bool, len(chunks))
	var toEmbed []chromem.Document
	for i := range chunks {
		ch := &chunks[i]
		want[ch.ID] = true
		p, had := prev[ch.ID]
		if had && p.Hash == ch.Hash && len(p.Tokens) > 0 {
			ch.Tokens = p.Tokens
			if _, err := ix.col.GetByID(ctx, ch.ID); err == nil {
				stats.ReusedVectors++
				continue
			}
		} else {
			ch.Tokens = ix.chunkTokens(docs[ch.DocID], *ch)
			if had {
				stats.Updated++
			} else {
				stats.Added++
			}
		}
		toEmbed = append(toEmbed, chromem.Document{
			ID:       ch.ID,
			Metadata: map[string]string{"j": ch.Jurisdiction, "doc": ch.DocID, "hash": ch.Hash},
			Content:  embedText(docs[ch.DocID], *ch),
		})
	}
	var stale []string
	for id := range prev {
		if !want[id] {
			stale = append(stale, id)
		}
	}
	if len(stale) > 0 {
		stats.Removed = len(stale)
		if err := ix.col.Delete(ctx, nil, nil, stale...); err != nil {
			return stats, fmt.Errorf("remove stale chunks: %w", err)
		}
	}
	if len(toEmbed) > 0 && ix.batchEmbed != nil {
		texts := make([]string, len(toEmbed))
		for i, d := range toEmbed {
			texts[i] = d.Content
		}
		vecs, err := ix.batchEmbed(ctx, texts)
		if err != nil {
			return stats, fmt.Errorf("embed chunks: %w", err)
		}
		if len(vecs) != len(toEmbed) {
			return stats, fmt.Errorf("embed chunks: %d vectors for %d chunks", len(vecs), len(toEmbed))
		}
		for i := range toEmbed {
			// chromem uses a given vector instead of calling Embedder.
			toEmbed[i].Embedding = vecs[i]
		}
	}
	if len(toEmbed) > 0 {
		if err := ix.col.AddDocuments(ctx, toEmbed, 4); err != nil {
			return stats, fmt.Errorf("embed chunks: %w", err)
		}
		stats.Embedded = len(toEmbed)
	}
	ix.docs, ix.origin, ix.chunks = docs, origin, chunks
	ix.byID = make(map[string]int, len(chunks))
	toks := make([][]string, len(chunks))
	for i, ch := range chunks {
		ix.byID[ch.ID] = i
		toks[i] = ch.Tokens
	}
	ix.lex = newBM25(toks)
	if ix.dir != "" && (stats.Added+stats.Updated+stats.Removed+stats.Embedded > 0 || !fileExists(filepath.Join(ix.dir, stateFile))) {
		if err := ix.save(); err != nil {
			return stats, err
		}
	}
	return stats, nil
}

func chunkLess(a, b Chunk) bool {
	if a.DocID != b.DocID {
		return a.DocID < b.DocID
	}
	var na, nb int
	fmt.Sscanf(a.ID[strings.LastIndexByte(a.ID, '#')+1:], "%d", &na)
	fmt.Sscanf(b.ID[strings.LastIndexByte(b.ID, '#')+1:], "%d", &nb)
	return na < nb
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

// Ingest adds or replaces documents read by [LoadFile] and persists the
// index. Unchanged chunks are neither re-segmented nor re-embedded.
func (ix *Index) Ingest(ctx context.Context, add []*Document) (IndexStats, error) {
	for _, d := range add {
		if d.Jurisdiction != "" {
			if j, ok := ix.corpus.Places.Resolve(d.Jurisdiction); ok {
				d.Jurisdiction = j.Code
			}
		}
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
	return ix.reconcile(ctx, docs, origin, chunks, ix.chunks)
}

// newerReview reports whether review date a (YYYY-MM-DD) is later than b;
// a missing date is never newer.
func newerReview(a, b string) bool {
	return a != "" && b != "" && a > b
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

func (ix *Index) save() error {
	st := persisted{
		Version:  stateVersion,
		Embedder: ix.embedderName,
		Dict:     dictVersion(),
		Origin:   ix.origin,
		Chunks:   ix.chunks,
	}
	for _, d := range ix.docs {
		meta := *d
		meta.Blocks = nil
		st.Docs = append(st.Docs, meta)
	}
	sort.Slice(st.Docs, func(a, b int) bool { return st.Docs[a].ID < st.Docs[b].ID })
	tmp := filepath.Join(ix.dir, stateFile+".tmp")
	f, err := os.Create(tmp)
	if err != nil {
		return fmt.Errorf("save index: %w", err)
	}
	if err := gob.NewEncoder(f).Encode(st); err != nil {
		f.Close()
		return fmt.Errorf("save index: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("save index: %w", err)
	}
	if err := os.Rename(tmp, filepath.Join(ix.dir, stateFile)); err != nil {
		return fmt.Errorf("save index: %w", err)
	}
	return nil
}

func readState(path string) (persisted, error) {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return persisted{}, nil
	} else if err != nil {
		return persisted{}, err
	}
	defer f.Close()
	var st persisted
	if err := gob.NewDecoder(f).Decode(&st); err != nil {
		return persisted{}, fmt.Errorf("decode %s: %w", path, err)
	}
	return st, nil
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// tokenizerVersion names the rules of [Segmenter.Tokens]; change it when
// they change so persisted tokens are rebuilt.
const tokenizerVersion = "tokens-v5"

// dictVersion changes whenever segmentation would, invalidating tokens.
func dictVersion() string {
	return hashBytes([]byte(tokenizerVersion + baseDict + strings.Join(domainWords, ",") + fmt.Sprint(stopWords)))
}

// Corpus returns the corpus the index was built from.
func (ix *Index) Corpus() *Corpus { return ix.corpus }

// Places returns the jurisdiction table.
func (ix *Index) Places() *Jurisdictions { return ix.corpus.Places }

// Stats reports the size of the index.
func (ix *Index) Stats() (docs, chunks, faqs int) {
	return len(ix.docs), len(ix.chunks), len(ix.corpus.FAQ)
}
