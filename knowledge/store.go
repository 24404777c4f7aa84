package knowledge

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"encoding/gob"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// The persisted index is one file, index.bin: a gob header with the
// documents and chunks, then the BM25 postings and the vectors as flat
// little-endian arrays. A start reads it in one go and uses the arrays as
// they are, without segmenting or embedding anything and without opening a
// file per chunk: at 30,000 chunks that is a fraction of a second, where
// chromem-go's one-file-per-document store and re-decoded token lists took
// several seconds and most of a gigabyte.

const (
	stateVersion = 2
	stateFile    = "index.bin"
	// legacyStateFile and legacyVectorsDir are version 1's gob state and
	// chromem-go directory: their ingested documents are carried over, then
	// they are removed.
	legacyStateFile  = "index.gob"
	legacyVectorsDir = "vectors"
)

// IndexFile is the persisted index's file name inside the data directory;
// it is replaced by a rename, so a reader sees the old or the new index.
const IndexFile = stateFile

var stateMagic = []byte("KUAIJI-INDEX\n")

// indexState is what a persisted index holds: the documents and chunks,
// and, where still valid, the chunks' terms and vectors in chunk order.
type indexState struct {
	stateHeader
	lex  *bm25        // nil: terms must be rebuilt
	vecs *vectorIndex // nil: vectors must be rebuilt
}

// stateHeader is the gob-encoded part.
type stateHeader struct {
	Version  int
	Embedder string
	Dict     string
	Docs     []Document
	Origin   map[string]string
	Chunks   []Chunk
}

func (ix *Index) save() error {
	st := stateHeader{
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
	// A file of its own, as faq.bin's: a bot and an ingest saving the
	// same directory at once must not write into one file or rename it
	// from under each other; the last rename wins whole.
	f, err := os.CreateTemp(ix.dir, stateFile+".*.tmp")
	if err != nil {
		return fmt.Errorf("save index: %w", err)
	}
	tmp := f.Name()
	f.Close()
	if err := writeState(tmp, st, ix.lex, ix.vecs); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("save index: %w", err)
	}
	if err := os.Rename(tmp, filepath.Join(ix.dir, stateFile)); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("save index: %w", err)
	}
	// The new file holds everything the old layout did.
	os.Remove(filepath.Join(ix.dir, legacyStateFile))
	os.RemoveAll(filepath.Join(ix.dir, legacyVectorsDir))
	return nil
}

func writeState(path string, st stateHeader, lex *bm25, vecs *vectorIndex) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	var hdr bytes.Buffer
	if err := gob.NewEncoder(&hdr).Encode(st); err != nil {
		f.Close()
		return err
	}
	terms := encodeTerms(lex)
	w.Write(stateMagic)
	putSection(w, hdr.Bytes())
	putSection(w, terms)
	// Pad so that the vectors' floats start on a page boundary, where a
	// start can map them instead of reading them (see mapVectors).
	pos := len(stateMagic) + 8 + hdr.Len() + 8 + len(terms)
	putSection(w, make([]byte, (vectorAlign-(pos+8+16)%vectorAlign)%vectorAlign))
	putSection(w, encodeVectors(vecs))
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func putSection(w *bufio.Writer, b []byte) {
	var n [8]byte
	binary.LittleEndian.PutUint64(n[:], uint64(len(b)))
	w.Write(n[:])
	w.Write(b)
}

// encodeTerms writes the term count, then each term (length, bytes,
// posting count) in sorted order, the chunk lengths, and the postings of
// all terms in that order as (chunk, tf) pairs.
func encodeTerms(lex *bm25) []byte {
	terms := make([]string, 0, len(lex.postings))
	total := 0
	for t, ps := range lex.postings {
		terms = append(terms, t)
		total += len(ps)
	}
	sort.Strings(terms)
	b := make([]byte, 0, 16*len(terms)+4*len(lex.lengths)+8*total+8)
	b = binary.LittleEndian.AppendUint32(b, uint32(len(terms)))
	for _, t := range terms {
		b = binary.LittleEndian.AppendUint32(b, uint32(len(t)))
		b = append(b, t...)
		b = binary.LittleEndian.AppendUint32(b, uint32(len(lex.postings[t])))
	}
	b = binary.LittleEndian.AppendUint32(b, uint32(len(lex.lengths)))
	for _, l := range lex.lengths {
		b = binary.LittleEndian.AppendUint32(b, uint32(l))
	}
	for _, t := range terms {
		for _, p := range lex.postings[t] {
			b = binary.LittleEndian.AppendUint32(b, p.doc)
			b = binary.LittleEndian.AppendUint32(b, p.tf)
		}
	}
	return b
}

func encodeVectors(vi *vectorIndex) []byte {
	b := make([]byte, 0, 8+4*len(vi.cols))
	b = binary.LittleEndian.AppendUint32(b, uint32(vi.dims))
	b = binary.LittleEndian.AppendUint32(b, uint32(vi.n))
	for _, x := range vi.cols {
		b = binary.LittleEndian.AppendUint32(b, math.Float32bits(x))
	}
	return b
}

// vectorAlign is the file offset the vectors' floats are aligned to: a
// page on every system Go runs on (larger pages are multiples of it).
const vectorAlign = 4096

var errCorruptState = errors.New("index file is truncated or corrupt")

// readState loads dir's persisted index; a missing one is an empty state.
// Version 1's index.gob gives its documents and chunks without terms or
// vectors. The vectors, the largest part, are decoded as they are read
// rather than read whole first, which keeps a start's peak memory near what
// the index holds.
func readState(dir string) (indexState, error) {
	f, err := os.Open(filepath.Join(dir, stateFile))
	if errors.Is(err, os.ErrNotExist) {
		return readLegacyState(filepath.Join(dir, legacyStateFile))
	} else if err != nil {
		return indexState{}, err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return indexState{}, err
	}
	r := &countingReader{r: bufio.NewReaderSize(f, 1<<20)}
	magic := make([]byte, len(stateMagic))
	if _, err := io.ReadFull(r, magic); err != nil || !bytes.Equal(magic, stateMagic) {
		return indexState{}, errCorruptState
	}
	hdr, err := readSection(r, info.Size())
	if err != nil {
		return indexState{}, err
	}
	var st indexState
	if err := gob.NewDecoder(bytes.NewReader(hdr)).Decode(&st.stateHeader); err != nil {
		return indexState{}, fmt.Errorf("decode index header: %w", err)
	}
	if st.Version != stateVersion {
		return st, nil
	}
	terms, err := readSection(r, info.Size())
	if err != nil {
		return indexState{}, err
	}
	if st.lex, err = decodeTerms(terms, len(st.Chunks)); err != nil {
		return indexState{}, err
	}
	if _, err := readSection(r, info.Size()); err != nil { // padding
		return indexState{}, err
	}
	if st.vecs, err = readVectors(f, r, len(st.Chunks), info.Size()); err != nil {
		return indexState{}, err
	}
	return st, nil
}

// countingReader knows how far into the file it has read.
type countingReader struct {
	r   io.Reader
	pos int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.pos += int64(n)
	return n, err
}

// readSection reads one length-prefixed section of a file of fileSize
// bytes.
func readSection(r io.Reader, fileSize int64) ([]byte, error) {
	var n [8]byte
	if _, err := io.ReadFull(r, n[:]); err != nil {
		return nil, errCorruptState
	}
	size := binary.LittleEndian.Uint64(n[:])
	if size > uint64(fileSize) {
		return nil, errCorruptState
	}
	b := make([]byte, size)
	if _, err := io.ReadFull(r, b); err != nil {
		return nil, errCorruptState
	}
	return b, nil
}

func readLegacyState(path string) (indexState, error) {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return indexState{}, nil
	} else if err != nil {
		return indexState{}, err
	}
	defer f.Close()
	// Version 1's index.gob had the header's fields; its chunks also held
	// their tokens, which gob skips here.
	var old indexState
	if err := gob.NewDecoder(f).Decode(&old.stateHeader); err != nil {
		return indexState{}, fmt.Errorf("decode %s: %w", path, err)
	}
	return old, nil
}

// sectionReader reads the fields of a section.
type sectionReader struct {
	b   []byte
	bad bool
}

func (r *sectionReader) u32() uint32 {
	if len(r.b) < 4 {
		r.bad = true
		return 0
	}
	v := binary.LittleEndian.Uint32(r.b)
	r.b = r.b[4:]
	return v
}

func decodeTerms(sec []byte, chunks int) (*bm25, error) {
	// One string for the whole section: every term is a substring of it,
	// so the vocabulary costs one allocation.
	all := string(sec)
	r := sectionReader{b: sec}
	nTerms := int(r.u32())
	if r.bad || nTerms > len(sec)/8 {
		return nil, errCorruptState
	}
	terms := make([]string, nTerms)
	dfs := make([]int, nTerms)
	total := 0
	for i := range terms {
		l := int(r.u32())
		if r.bad || l > len(r.b) {
			return nil, errCorruptState
		}
		off := len(sec) - len(r.b)
		terms[i] = all[off : off+l]
		r.b = r.b[l:]
		dfs[i] = int(r.u32())
		total += dfs[i]
	}
	if n := int(r.u32()); r.bad || n != chunks || len(r.b) < 4*n+8*total {
		return nil, errCorruptState
	}
	ix := &bm25{k1: 1.2, b: 0.6, postings: make(map[string][]posting, nTerms), lengths: make([]float64, chunks)}
	var sum float64
	for i := range ix.lengths {
		ix.lengths[i] = float64(r.u32())
		sum += ix.lengths[i]
	}
	if chunks > 0 {
		ix.avgLen = sum / float64(chunks)
	}
	arena := make([]posting, total)
	b := r.b
	for i := range arena {
		arena[i] = posting{binary.LittleEndian.Uint32(b[8*i:]), binary.LittleEndian.Uint32(b[8*i+4:])}
		if int(arena[i].doc) >= chunks {
			return nil, errCorruptState
		}
	}
	at := 0
	for i, t := range terms {
		ix.postings[t] = arena[at : at+dfs[i] : at+dfs[i]]
		at += dfs[i]
	}
	return ix, nil
}

// readVectors maps the vectors section of f, which r has read up to, or
// where mapping is not possible decodes it from r.
func readVectors(f *os.File, r *countingReader, chunks int, fileSize int64) (*vectorIndex, error) {
	var head [16]byte
	if _, err := io.ReadFull(r, head[:]); err != nil {
		return nil, errCorruptState
	}
	size := binary.LittleEndian.Uint64(head[:8])
	dims, n := int(binary.LittleEndian.Uint32(head[8:])), int(binary.LittleEndian.Uint32(head[12:]))
	// The vectors end the file: a shorter file is truncated, and mapping
	// past its end would crash on first use.
	if n != chunks || size != 8+4*uint64(dims)*uint64(n) || uint64(r.pos)+size-8 != uint64(fileSize) {
		return nil, errCorruptState
	}
	if r.pos%vectorAlign == 0 {
		if vi, ok := mapVectors(f, r.pos, dims, n); ok {
			return vi, nil
		}
	}
	vi := &vectorIndex{dims: dims, n: n, cols: make([]float32, 0, dims*n)}
	buf := make([]byte, 1<<16)
	for left := dims * n; left > 0; {
		m := min(left, len(buf)/4)
		if _, err := io.ReadFull(r, buf[:4*m]); err != nil {
			return nil, errCorruptState
		}
		for i := range m {
			vi.cols = append(vi.cols, math.Float32frombits(binary.LittleEndian.Uint32(buf[4*i:])))
		}
		left -= m
	}
	return vi, nil
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
