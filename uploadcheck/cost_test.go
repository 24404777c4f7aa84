package uploadcheck

import (
	"bytes"
	"errors"
	"image"
	"image/color"
	"runtime"
	"strings"
	"testing"

	"github.com/kuaiji/kuaiji/internal/testimage"
)

// allocated is the bytes f allocates, from the runtime's own count.
func allocated(f func()) int64 {
	var a, b runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&a)
	f()
	runtime.ReadMemStats(&b)
	return int64(b.TotalAlloc - a.TotalAlloc)
}

// TestDecodeCostCoversTheDecoder compares the estimate from the header
// with what Go's decoders really allocate, for each layout we can encode:
// it must not be below, and not far above.
func TestDecodeCostCoversTheDecoder(t *testing.T) {
	const w, h = 320, 400
	translucent := func(img interface{ Set(x, y int, c color.Color) }) { img.Set(0, 0, color.NRGBA{1, 2, 3, 4}) }
	nrgba, nrgba64 := image.NewNRGBA(image.Rect(0, 0, w, h)), image.NewNRGBA64(image.Rect(0, 0, w, h))
	translucent(nrgba)
	translucent(nrgba64)
	rgba64 := image.NewRGBA64(image.Rect(0, 0, w, h))
	for i := range rgba64.Pix {
		rgba64.Pix[i] = 0xFF
	}
	grey := image.NewGray(image.Rect(0, 0, w, h))
	tests := []struct {
		name string
		data []byte
		// broken files need not decode: the allocation is made first.
		broken bool
	}{
		{"grey PNG", encPNG(t, grey), false},
		{"16-bit grey PNG", encPNG(t, image.NewGray16(image.Rect(0, 0, w, h))), false},
		{"RGB PNG", encPNG(t, portrait(w, h, white, 0)), false},
		{"RGBA PNG", encPNG(t, nrgba), false},
		{"16-bit RGB PNG", encPNG(t, rgba64), false},
		{"16-bit RGBA PNG", encPNG(t, nrgba64), false},
		{"palette PNG", encPNG(t, image.NewPaletted(image.Rect(0, 0, w, h), color.Palette{color.Black, color.White})), false},
		{"interlaced RGBA PNG", testimage.BlankPNG(t, w, h, 6, 8, true), false},
		{"interlaced 16-bit RGBA PNG", testimage.BlankPNG(t, w, h, 6, 16, true), false},
		{"interlaced grey PNG", testimage.BlankPNG(t, w, h, 0, 8, true), false},
		{"colour JPEG", encJPEG(t, portrait(w, h, white, 0), 90), false},
		{"odd-sized colour JPEG", encJPEG(t, portrait(w+5, h+3, white, 0), 90), false},
		{"grey JPEG", encJPEG(t, grey, 90), false},
		{"progressive colour JPEG", progressive(t, encJPEG(t, portrait(w, h, white, 0), 90)), true},
		{"progressive grey JPEG", progressive(t, encJPEG(t, grey, 90)), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			est, what := estimate(tt.data)
			var err error
			got := allocated(func() { _, _, err = image.Decode(bytes.NewReader(tt.data)) })
			if err != nil && !tt.broken {
				t.Fatal(err)
			}
			t.Logf("%s: estimated %d KB, allocated %d KB", what, est>>10, got>>10)
			// The decoders' own tables and buffers are in workBytes.
			if est+workBytes < got || est > got*3/2 {
				t.Errorf("%s: estimated %d bytes, decoding allocated %d", what, est, got)
			}
		})
	}
}

// progressive marks a baseline JPEG as progressive and its scan as the
// DC-only first scan of a progressive file. Go's encoder writes no
// progressive JPEG; this one is enough for the decoder to allocate the
// coefficient store of one, though its data then decodes to nonsense.
func progressive(t *testing.T, b []byte) []byte {
	t.Helper()
	out := append([]byte(nil), b...)
	sof, sos := bytes.Index(out, []byte{0xFF, 0xC0}), bytes.Index(out, []byte{0xFF, 0xDA})
	if sof < 0 || sos < 0 {
		t.Fatal("no frame or scan header")
	}
	out[sof+1] = 0xC2
	ns := int(out[sos+4])
	out[sos+5+2*ns+1] = 0 // Se: the DC coefficient only
	return out
}

// TestCostlyLayoutsRefused is the reproduction: a 190 KB 16-bit RGBA PNG
// of 5000×6000 pixels passed the pixel caps and took 493 MB to decode. It
// is refused from its header, and checking it allocates almost nothing.
// (Its image data need not be whole: Go's decoder allocates the image
// before reading any, and a whole one costs minutes to build under -race.)
func TestCostlyLayoutsRefused(t *testing.T) {
	s := spec(t, Photo, "")
	for _, tt := range []struct {
		name string
		data []byte
		what string
	}{
		{"16-bit RGBA PNG 5000×6000", testimage.ClaimPNG(t, 5000, 6000, 6, 16, false, 190<<10), "16 位 RGBA PNG"},
		{"16-bit grey and alpha PNG 4500×4500", testimage.ClaimPNG(t, 4500, 4500, 4, 16, false, 190<<10), "16 位灰度带透明 PNG"},
		{"interlaced RGBA PNG 4500×4500", testimage.ClaimPNG(t, 4500, 4500, 6, 8, true, 190<<10), "隔行扫描"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var r Report
			got := allocated(func() { r = Check(Input{Data: tt.data}, s) })
			v := r.Verdicts[len(r.Verdicts)-1]
			if r.OK() || v.Check != "file" || !strings.Contains(v.Measured, tt.what) || !strings.Contains(v.Fix, "内存") {
				t.Fatalf("not refused for its decode cost (%d KB file): %+v", len(tt.data)>>10, v)
			}
			if got > 1<<20 {
				t.Errorf("refusing it allocated %d KB", got>>10)
			}
		})
	}
	// The same layouts at sizes a photo has are still checked.
	for _, data := range [][]byte{testimage.BlankPNG(t, 295, 413, 6, 16, false), testimage.BlankPNG(t, 295, 413, 6, 8, true)} {
		r := Check(Input{Data: data}, s)
		if v := r.Verdicts[len(r.Verdicts)-1]; v.Check == "file" {
			t.Errorf("small image refused: %+v", v)
		}
	}
}

// A header walk must survive any truncation without panicking.
func TestDecodeCostTruncated(t *testing.T) {
	for _, data := range [][]byte{encJPEG(t, portrait(64, 80, white, 0), 80), testimage.BlankPNG(t, 64, 80, 6, 16, true)} {
		for n := range len(data) {
			estimate(data[:n])
		}
	}
}

func TestGate(t *testing.T) {
	g := NewGate(0)
	if g.Budget() < MaxDecodeBytes+MaxFileBytes {
		t.Fatalf("budget %d cannot hold the largest admitted check", g.Budget())
	}
	s := spec(t, Photo, "")
	photo := encJPEG(t, portrait(295, 413, white, 0), 90)
	release, ok := g.Acquire(g.Budget() - 1<<20)
	if !ok {
		t.Fatal("empty gate refused")
	}
	if _, err := g.Check(Input{Data: photo}, s); !errors.Is(err, ErrBusy) {
		t.Fatalf("check on a full gate: %v", err)
	}
	if _, ok := g.Acquire(2 << 20); ok {
		t.Fatal("acquired beyond the budget")
	}
	release()
	release() // a second call gives back nothing more
	if r, err := g.Check(Input{Data: photo}, s); err != nil || !r.OK() {
		t.Fatalf("check after release: %v %s", err, r.Text())
	}
	// The whole budget is free again, once.
	all, ok := g.Acquire(g.Budget())
	if !ok {
		t.Fatal("budget not given back")
	}
	all()
	if DefaultBudget() < g.Budget() || DefaultBudget() > maxBudget {
		t.Errorf("default budget %d", DefaultBudget())
	}
}
