package uploadcheck

import (
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/kuaiji/kuaiji/internal/testimage"
)

// BenchmarkCheck2MP checks a 2-megapixel (1200×1680) JPEG photo: decode,
// reduce, blur and background measures. Target: ≤ 50 ms on one core
// (go test -bench Check2MP -cpu 1 ./uploadcheck).
func BenchmarkCheck2MP(b *testing.B) {
	data := encJPEG(b, portrait(1200, 1680, white, 0), 90)
	s := spec(b, Photo, "")
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if r := Check(Input{Data: data}, s); !r.OK() {
			b.Fatal(r.Text())
		}
	}
}

// BenchmarkCheckScan2MP checks a 2-megapixel grey certificate scan, which
// adds the edge and tilt measures.
func BenchmarkCheckScan2MP(b *testing.B) {
	data := encJPEG(b, certificate(1240, 1754, 0.06, 0), 60)
	s := spec(b, Scan, "")
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		Check(Input{Data: data}, s)
	}
}

// worstAdmitted is the costliest image the check still decodes: a 16-bit
// RGBA PNG of 3600×4600 pixels, estimated at 126 MiB (8 bytes a pixel),
// just under [MaxDecodeBytes].
func worstAdmitted(tb testing.TB) []byte {
	data := testimage.BlankPNG(tb, 3600, 4600, 6, 16, false)
	if c, _ := estimate(data); c > MaxDecodeBytes || c < MaxDecodeBytes*9/10 {
		tb.Fatalf("worst input estimated at %d MiB", c>>20)
	}
	return data
}

// BenchmarkWorstBurst checks eight copies of the worst admitted image at
// once through one gate of the default budget, as eight users sending it
// together would, and reports the process's peak resident memory
// (VmHWM) and how many were turned away as busy. Run it alone, in a
// fresh process:
//
//	go test -run '^$' -bench WorstBurst -benchtime 1x ./uploadcheck
func BenchmarkWorstBurst(b *testing.B) {
	data := worstAdmitted(b)
	s := spec(b, Photo, "")
	g := NewGate(DefaultBudget())
	var busy atomic.Int64
	for b.Loop() {
		var wg sync.WaitGroup
		for range 8 {
			wg.Go(func() {
				if _, err := g.Check(Input{Data: data}, s); err != nil {
					busy.Add(1)
				}
			})
		}
		wg.Wait()
	}
	b.ReportMetric(float64(busy.Load())/float64(b.N), "busy/burst")
	b.ReportMetric(float64(g.Budget()>>20), "budget-MiB")
	if hwm, ok := peakRSS(); ok {
		b.ReportMetric(float64(hwm>>20), "peak-RSS-MiB")
	}
}

// BenchmarkWorstSingle checks the worst admitted image alone.
//
//	go test -run '^$' -bench WorstSingle -benchtime 1x ./uploadcheck
func BenchmarkWorstSingle(b *testing.B) {
	data := worstAdmitted(b)
	s := spec(b, Photo, "")
	for b.Loop() {
		Check(Input{Data: data}, s)
	}
	if hwm, ok := peakRSS(); ok {
		b.ReportMetric(float64(hwm>>20), "peak-RSS-MiB")
	}
}

// peakRSS reads the process's peak resident set size (Linux only).
func peakRSS() (int64, bool) {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0, false
	}
	for _, l := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(l, "VmHWM:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			return kb << 10, err == nil
		}
	}
	return 0, false
}
