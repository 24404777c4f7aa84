package uploadcheck

import "testing"

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
