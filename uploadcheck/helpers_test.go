package uploadcheck

import (
	"bytes"
	"encoding/binary"
	"image"
	"image/color"
	"image/draw"
	"image/jpeg"
	"image/png"
	"math"
	"math/rand/v2"
	"sync"
	"testing"

	"github.com/kuaiji/kuaiji/policies"
)

var (
	white = color.RGBA{250, 250, 250, 255}
	blue  = color.RGBA{67, 142, 219, 255}
	red   = color.RGBA{200, 30, 40, 255}
	green = color.RGBA{60, 160, 70, 255}
)

// portrait draws a test ID photo: a plain background, a textured face
// with hair, eyes and mouth, and dark shoulders; blur > 0 softens it.
func portrait(w, h int, bg color.RGBA, blur int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.Draw(img, img.Bounds(), &image.Uniform{bg}, image.Point{}, draw.Src)
	rnd := rand.New(rand.NewPCG(1, 2))
	cx, cy := float64(w)/2, float64(h)*0.42
	rx, ry := float64(w)*0.28, float64(h)*0.26
	for y := range h {
		for x := range w {
			dx, dy := (float64(x)-cx)/rx, (float64(y)-cy)/ry
			switch {
			case dx*dx+dy*dy <= 1 && dy < -0.55, dx*dx+dy*dy <= 1.15 && dy < -0.6:
				img.SetRGBA(x, y, color.RGBA{30, 25, 20, 255}) // hair
			case dx*dx+dy*dy <= 1:
				n := uint8(rnd.IntN(24))
				img.SetRGBA(x, y, color.RGBA{215 + n/2, 170 + n, 140 + n, 255}) // skin
			case float64(y) > float64(h)*0.78 && abs(float64(x)-cx) < float64(w)*0.45:
				n := uint8(rnd.IntN(16))
				img.SetRGBA(x, y, color.RGBA{40 + n, 45 + n, 60 + n, 255}) // jacket
			}
		}
	}
	for _, ex := range []float64{-0.4, 0.4} { // eyes and brows
		fillRect(img, int(cx+ex*rx)-w/30, int(cy-ry*0.15), int(cx+ex*rx)+w/30, int(cy-ry*0.05), color.RGBA{20, 20, 20, 255})
		fillRect(img, int(cx+ex*rx)-w/22, int(cy-ry*0.35), int(cx+ex*rx)+w/22, int(cy-ry*0.30), color.RGBA{40, 30, 25, 255})
	}
	fillRect(img, int(cx)-w/14, int(cy+ry*0.45), int(cx)+w/14, int(cy+ry*0.5), color.RGBA{150, 60, 60, 255})
	for range blur {
		img = boxBlur(img, max(2, w/80))
	}
	return img
}

// certificate draws a test certificate: a white page with lines of text
// inside a margin (a fraction of the size); shift moves the text block.
func certificate(w, h int, margin float64, shiftX int) *image.Gray {
	img := image.NewGray(image.Rect(0, 0, w, h))
	draw.Draw(img, img.Bounds(), &image.Uniform{color.Gray{245}}, image.Point{}, draw.Src)
	mx, my := int(float64(w)*margin), int(float64(h)*margin)
	rnd := rand.New(rand.NewPCG(3, 4))
	line := max(6, h/40)
	for y := my; y+line <= h-my; y += 2 * line {
		for x := mx + shiftX; x < w-mx+shiftX; {
			word := line/2 + rnd.IntN(3*line)
			for yy := y; yy < y+line; yy++ {
				for xx := x; xx < min(x+word, w-mx+shiftX); xx++ {
					if xx >= 0 && xx < w && (xx+yy)%3 != 0 {
						img.SetGray(xx, yy, color.Gray{20})
					}
				}
			}
			x += word + line/2
		}
	}
	return img
}

func fillRect(img *image.RGBA, x0, y0, x1, y1 int, c color.RGBA) {
	draw.Draw(img, image.Rect(x0, y0, x1, y1), &image.Uniform{c}, image.Point{}, draw.Src)
}

func abs(f float64) float64 {
	if f < 0 {
		return -f
	}
	return f
}

// boxBlur averages each pixel with its neighbours within r.
func boxBlur(src *image.RGBA, r int) *image.RGBA {
	b := src.Bounds()
	dst := image.NewRGBA(b)
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			var s [3]int
			n := 0
			for yy := max(b.Min.Y, y-r); yy < min(b.Max.Y, y+r+1); yy += 2 {
				for xx := max(b.Min.X, x-r); xx < min(b.Max.X, x+r+1); xx += 2 {
					i := src.PixOffset(xx, yy)
					s[0] += int(src.Pix[i])
					s[1] += int(src.Pix[i+1])
					s[2] += int(src.Pix[i+2])
					n++
				}
			}
			i := dst.PixOffset(x, y)
			dst.Pix[i], dst.Pix[i+1], dst.Pix[i+2], dst.Pix[i+3] = uint8(s[0]/n), uint8(s[1]/n), uint8(s[2]/n), 255
		}
	}
	return dst
}

func encJPEG(t testing.TB, img image.Image, q int) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: q}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func encPNG(t testing.TB, img image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// withSize rewrites the frame header of a JPEG to claim w×h pixels, as a
// decompression bomb does.
func withSize(t testing.TB, b []byte, w, h int) []byte {
	t.Helper()
	out := append([]byte(nil), b...)
	for i := 2; i+9 < len(out); {
		if out[i] != 0xFF {
			t.Fatal("no frame header")
		}
		m := out[i+1]
		n := int(binary.BigEndian.Uint16(out[i+2:]))
		if m == 0xC0 || m == 0xC2 {
			binary.BigEndian.PutUint16(out[i+5:], uint16(h))
			binary.BigEndian.PutUint16(out[i+7:], uint16(w))
			return out
		}
		i += 2 + n
	}
	t.Fatal("no frame header")
	return nil
}

// withOrientation inserts an EXIF segment with the orientation tag.
func withOrientation(b []byte, o uint16) []byte {
	tiff := []byte("MM\x00*\x00\x00\x00\x08\x00\x01\x01\x12\x00\x03\x00\x00\x00\x01\x00\x00\x00\x00\x00\x00\x00\x00")
	binary.BigEndian.PutUint16(tiff[18:], o)
	seg := append([]byte("Exif\x00\x00"), tiff...)
	app1 := []byte{0xFF, 0xE1, 0, 0}
	binary.BigEndian.PutUint16(app1[2:], uint16(len(seg)+2))
	out := append([]byte{0xFF, 0xD8}, app1...)
	out = append(out, seg...)
	return append(out, b[2:]...)
}

// testPolicy is the built-in policy, loaded once for the tests, which run
// in parallel.
var testPolicy = sync.OnceValues(func() (*Policy, error) { return Load(policies.FS, "uploads.yaml") })

func policy(t testing.TB) *Policy {
	t.Helper()
	p, err := testPolicy()
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func spec(t testing.TB, k Kind, j string) Spec {
	t.Helper()
	s, err := policy(t).Spec(k, j)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// rotate turns img by deg degrees about its centre (nearest neighbour),
// filling the corners with paper.
func rotate(img *image.Gray, deg float64) *image.Gray {
	b := img.Bounds()
	out := image.NewGray(b)
	s, c := math.Sincos(deg * math.Pi / 180)
	cx, cy := float64(b.Dx())/2, float64(b.Dy())/2
	for y := range b.Dy() {
		for x := range b.Dx() {
			dx, dy := float64(x)-cx, float64(y)-cy
			sx, sy := int(c*dx+s*dy+cx), int(-s*dx+c*dy+cy)
			v := color.Gray{245}
			if sx >= 0 && sy >= 0 && sx < b.Dx() && sy < b.Dy() {
				v = img.GrayAt(sx, sy)
			}
			out.SetGray(x, y, v)
		}
	}
	return out
}

// phonePhoto is what a phone's camera gives: 3024×4032 pixels (3:4),
// over 5 MB as a JPEG. It is encoded once per test binary, since it is the
// largest image the tests build.
var phonePhoto = sync.OnceValue(func() []byte { return camera(3024, 4032) })

// camera draws a w×h photo of a white wall above and beside a detailed
// subject straight into a JPEG's planes (fast at any size) and encodes it
// at quality 95: about 3.5 bits a pixel.
func camera(w, h int) []byte {
	img := image.NewYCbCr(image.Rect(0, 0, w, h), image.YCbCrSubsampleRatio420)
	for i := range img.Cb {
		img.Cb[i], img.Cr[i] = 128, 128
	}
	rnd := rand.New(rand.NewPCG(9, 10))
	for y := range h {
		row := img.Y[y*img.YStride : y*img.YStride+w]
		for x := range row {
			row[x] = 250
			if x > w/6 && x < w*5/6 && y > h/5 {
				row[x] = uint8(40 + rnd.IntN(160))
			}
		}
	}
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: 95}); err != nil {
		panic(err)
	}
	return b.Bytes()
}
