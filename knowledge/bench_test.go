package knowledge

import (
	"context"
	"encoding/json"
	"log/slog"
	"os"
	"sort"
	"testing"
	"time"

	"github.com/kuaiji/kuaiji/policies"
)

// BenchmarkAnswer answers the held-out questions round-robin and reports
// the 50th and 99th percentile latency. Run single-core:
//
//	go test -run '^$' -bench Answer -cpu 1 ./knowledge
func BenchmarkAnswer(b *testing.B) {
	benchAnswers(b, builtin(b))
}

// benchAnswers times b.N answers to the held-out questions, round-robin,
// and reports the 50th and 99th percentile latency and the mean CPU time
// of an answer (garbage collection included).
func benchAnswers(b *testing.B, ix *Index) {
	qs := benchQuestions(b)
	ctx := context.Background()
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	cpu := processCPU()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		if _, err := ix.Answer(ctx, qs[i%len(qs)]); err != nil {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(start))
	}
	b.StopTimer()
	cpu = processCPU() - cpu
	b.ReportMetric(float64(cpu.Microseconds())/1000/float64(b.N), "cpu-ms/op")
	sort.Slice(lat, func(a, c int) bool { return lat[a] < lat[c] })
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(lat[min(len(lat)-1, len(lat)*99/100)].Microseconds())/1000, "p99-ms")
}

func benchQuestions(b *testing.B) []Question {
	f, err := os.ReadFile("testdata/heldout.jsonl")
	if err != nil {
		b.Skip(err)
	}
	var qs []Question
	dec := json.NewDecoder(bytesReader(f))
	for dec.More() {
		var c struct{ Q, Province string }
		if err := dec.Decode(&c); err != nil {
			b.Fatal(err)
		}
		qs = append(qs, Question{Text: c.Q, Jurisdiction: c.Province})
	}
	return qs
}

// BenchmarkIngestCorpus builds the full index of the embedded corpus from
// scratch into a persisted directory: parsing, chunking, segmentation,
// embedding and writing.
func BenchmarkIngestCorpus(b *testing.B) {
	ctx := context.Background()
	DefaultSegmenter()
	for i := 0; i < b.N; i++ {
		c, err := LoadCorpus(policies.FS)
		if err != nil {
			b.Fatal(err)
		}
		if _, _, err := Open(ctx, c, Options{Dir: b.TempDir()}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkOpenPersisted is a warm restart: the index is loaded from disk and
// nothing is re-embedded. Each Open builds its FAQ matcher as a new process
// would, not sharing the last one built.
func BenchmarkOpenPersisted(b *testing.B) {
	ctx := context.Background()
	dir := b.TempDir()
	c, err := LoadCorpus(policies.FS)
	if err != nil {
		b.Fatal(err)
	}
	if _, _, err := Open(ctx, c, Options{Dir: dir}); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		c, _ := LoadCorpus(policies.FS)
		if _, st, err := Open(ctx, c, Options{Dir: dir, unshared: true}); err != nil || st.Embedded != 0 {
			b.Fatal(err, st)
		}
	}
}

// BenchmarkFAQMatcher builds the FAQ matcher of the built-in corpus, as
// every Open does: segmented, the first start's and an in-memory index's
// cost, and from faq.bin, a warm restart's (faqcache.go).
func BenchmarkFAQMatcher(b *testing.B) {
	c, err := LoadCorpus(policies.FS)
	if err != nil {
		b.Fatal(err)
	}
	seg, log := DefaultSegmenter(), slog.New(slog.DiscardHandler)
	phrasings := 0
	for _, f := range c.FAQ {
		phrasings += 1 + len(f.Variants)
	}
	b.Run("segmented", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			newFAQMatcher(seg, c.FAQ, c.Places, nil)
		}
		b.ReportMetric(float64(len(c.FAQ)), "entries")
		b.ReportMetric(float64(phrasings), "phrasings")
	})
	dir := b.TempDir()
	known := loadFAQFeatures(dir, log)
	newFAQMatcher(seg, c.FAQ, c.Places, known)
	known.save(dir, log)
	b.Run("persisted", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			known := loadFAQFeatures(dir, log)
			newFAQMatcher(seg, c.FAQ, c.Places, known)
			if known.added != 0 {
				b.Fatalf("%d phrasings segmented again", known.added)
			}
		}
	})
}
