package knowledge

import (
	"context"
	"fmt"
	"runtime"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/kuaiji/kuaiji/knowledge/extract"
	"github.com/kuaiji/kuaiji/policies"
)

// The scale benchmarks grow the corpus to 10× and 100× its chunks with
// synthetic documents, as if every province had filed a notice a year for a
// decade, and measure what a user and an operator notice: the latency of an
// answer and the time and memory of a start. Run one size at a time on one
// core, e.g.
//
//	go test -run '^$' -bench 'Scale/x100' -benchtime 2000x -cpu 1 ./knowledge
//
// x100 (about 30,000 chunks) builds its index once before timing, which
// takes a minute or two.

var scales = []int{1, 10, 100}

// scaledCorpus returns the built-in corpus plus (factor-1) synthetic copies
// of every document. Each copy belongs to a jurisdiction chosen round-robin
// (national documents stay national one time in four, since most notices are
// provincial), carries another year in its title and text, and has its
// paragraphs rotated, so its chunks are distinct and its words are the
// corpus's own words: the postings and vector neighbourhoods grow as they
// would with real notices.
func scaledCorpus(tb testing.TB, factor int) *Corpus {
	tb.Helper()
	c, err := LoadCorpus(policies.FS)
	if err != nil {
		tb.Fatal(err)
	}
	places := c.Places.All()
	base := slices.Clone(c.Docs)
	for i := 1; i < factor; i++ {
		year := fmt.Sprint(2015 + i%10)
		for k, d := range base {
			syn := *d
			syn.ID = fmt.Sprintf("syn%03d-%s", i, d.ID)
			syn.Path = syn.ID + ".md"
			syn.Status, syn.SupersededBy = StatusInForce, ""
			if d.Jurisdiction != "" || (i+k)%4 != 0 {
				syn.Jurisdiction = places[(i*7+k)%len(places)].Code
			}
			syn.Title = year + "年" + strings.TrimPrefix(d.Title, year+"年")
			syn.Blocks = make([]extract.Block, len(d.Blocks))
			body := 0
			for j, b := range d.Blocks {
				syn.Blocks[j] = extract.Block{Level: b.Level, Text: strings.NewReplacer("2025", year, "2024", year, "2023", year).Replace(b.Text)}
				if b.Level == 0 {
					body++
				}
			}
			// Rotate the body paragraphs by i so chunk boundaries move.
			if body > 1 {
				var texts []string
				for _, b := range syn.Blocks {
					if b.Level == 0 {
						texts = append(texts, b.Text)
					}
				}
				n := 0
				for j := range syn.Blocks {
					if syn.Blocks[j].Level == 0 {
						syn.Blocks[j].Text = texts[(n+i)%len(texts)]
						n++
					}
				}
			}
			c.Docs = append(c.Docs, &syn)
		}
	}
	sort.Slice(c.Docs, func(a, b int) bool { return c.Docs[a].ID < c.Docs[b].ID })
	return c
}

// BenchmarkScale measures, at each corpus size: the p50 and p99 latency and
// the mean CPU time of an answer to the held-out questions (the timed
// loop), the wall-clock and CPU time to load a persisted index as a restart
// does (load-ms, load-cpu-ms), and the live heap once it is loaded
// (heap-MB; the vectors are mapped from the file, outside the heap, where
// the system allows).
func BenchmarkScale(b *testing.B) {
	for _, factor := range scales {
		b.Run(fmt.Sprintf("x%d", factor), func(b *testing.B) {
			ctx := context.Background()
			DefaultSegmenter()
			dir := b.TempDir()
			c := scaledCorpus(b, factor)
			if _, _, err := Open(ctx, c, Options{Dir: dir}); err != nil {
				b.Fatal(err)
			}
			runtime.GC()
			var before runtime.MemStats
			runtime.ReadMemStats(&before)
			c = scaledCorpus(b, factor)
			start, cpu := time.Now(), processCPU()
			ix, st, err := Open(ctx, c, Options{Dir: dir})
			load, loadCPU := time.Since(start), processCPU()-cpu
			if err != nil {
				b.Fatal(err)
			}
			if st.Embedded != 0 {
				b.Fatalf("restart re-embedded %d chunks", st.Embedded)
			}
			runtime.GC()
			var after runtime.MemStats
			runtime.ReadMemStats(&after)
			c = nil

			benchAnswers(b, ix)
			b.ReportMetric(float64(st.Chunks), "chunks")
			b.ReportMetric(float64(load.Milliseconds()), "load-ms")
			b.ReportMetric(float64(loadCPU.Milliseconds()), "load-cpu-ms")
			b.ReportMetric(float64(int64(after.HeapAlloc)-int64(before.HeapAlloc))/(1<<20), "heap-MB")
		})
	}
}
