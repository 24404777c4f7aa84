package uploadcheck

import (
	"bytes"
	"encoding/binary"
	"image"
	"image/color"
	"math"
)

// sniff names the format of b by its first bytes, whatever the file is
// called: "jpeg", "png", "gif", "webp", "heic", "bmp", "tiff", "pdf" or "".
func sniff(b []byte) string {
	switch {
	case len(b) >= 3 && b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF:
		return "jpeg"
	case bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n")):
		return "png"
	case bytes.HasPrefix(b, []byte("GIF87a")), bytes.HasPrefix(b, []byte("GIF89a")):
		return "gif"
	case len(b) >= 12 && string(b[:4]) == "RIFF" && string(b[8:12]) == "WEBP":
		return "webp"
	case len(b) >= 12 && string(b[4:8]) == "ftyp" && (string(b[8:12]) == "heic" || string(b[8:12]) == "heix" || string(b[8:12]) == "mif1" || string(b[8:12]) == "avif"):
		return "heic"
	case bytes.HasPrefix(b, []byte("BM")) && len(b) >= 26:
		return "bmp"
	case bytes.HasPrefix(b, []byte("II*\x00")), bytes.HasPrefix(b, []byte("MM\x00*")):
		return "tiff"
	case bytes.HasPrefix(b, []byte("%PDF")):
		return "pdf"
	}
	return ""
}

// exifOrientation returns the EXIF orientation tag (1–8) of a JPEG, or 0
// when there is none. Go's decoder ignores it, and so do some upload
// pages: a phone photo tagged 6 then shows lying on its side.
func exifOrientation(b []byte) int {
	i := 2
	for i+4 <= len(b) && b[i] == 0xFF {
		marker := b[i+1]
		if marker == 0xDA || marker == 0xD9 { // image data starts: no more headers
			return 0
		}
		n := int(binary.BigEndian.Uint16(b[i+2:]))
		if n < 2 || i+2+n > len(b) {
			return 0
		}
		seg := b[i+4 : i+2+n]
		if marker == 0xE1 && bytes.HasPrefix(seg, []byte("Exif\x00\x00")) {
			return tiffOrientation(seg[6:])
		}
		i += 2 + n
	}
	return 0
}

// tiffOrientation reads tag 0x0112 from the first IFD of a TIFF header.
func tiffOrientation(t []byte) int {
	if len(t) < 8 {
		return 0
	}
	var bo binary.ByteOrder
	switch string(t[:2]) {
	case "II":
		bo = binary.LittleEndian
	case "MM":
		bo = binary.BigEndian
	default:
		return 0
	}
	off := int(bo.Uint32(t[4:]))
	if off < 8 || off+2 > len(t) {
		return 0
	}
	n := int(bo.Uint16(t[off:]))
	for k := range n {
		e := off + 2 + 12*k
		if e+12 > len(t) {
			return 0
		}
		if bo.Uint16(t[e:]) == 0x0112 {
			v := int(bo.Uint16(t[e+8:]))
			if v >= 1 && v <= 8 {
				return v
			}
			return 0
		}
	}
	return 0
}

// workSide is the longest side images are reduced to before measuring, so
// the blur measure means the same at every resolution and a 2-megapixel
// photo is measured in a few milliseconds.
const workSide = 640

// plane is a reduced copy of an image: brightness (0–255) and colour.
type plane struct {
	w, h    int
	y       []float32
	r, g, b []uint8
}

// reduce box-averages img's brightness by a whole factor so that its
// longest side is at most workSide; colour is sampled at each box centre.
// JPEG's YCbCr and grey images take a fast path over their raw planes.
func reduce(img image.Image) *plane {
	bd := img.Bounds()
	W, H := bd.Dx(), bd.Dy()
	f := max(1, (max(W, H)+workSide-1)/workSide)
	p := &plane{w: W / f, h: H / f}
	if p.w == 0 || p.h == 0 {
		p.w, p.h, f = W, H, 1
	}
	n := p.w * p.h
	p.y = make([]float32, n)
	p.r, p.g, p.b = make([]uint8, n), make([]uint8, n), make([]uint8, n)
	area := float32(f * f)
	if m, ok := img.(*image.YCbCr); ok {
		reduceYCbCr(m, p, f)
		return p
	}
	// RGBA64At returns a plain struct where At returns an interface, which
	// allocates for every pixel: for 16 megapixels, hundreds of MB of
	// garbage. Every image type of the standard library has it.
	rgba64, fast := img.(image.RGBA64Image)
	at := func(x, y int) (r, g, b uint32) {
		if fast {
			c := rgba64.RGBA64At(x, y)
			return uint32(c.R), uint32(c.G), uint32(c.B)
		}
		r, g, b, _ = img.At(x, y).RGBA()
		return r, g, b
	}
	for oy := range p.h {
		for ox := range p.w {
			x0, y0 := bd.Min.X+ox*f, bd.Min.Y+oy*f
			var sum int
			switch m := img.(type) {
			case *image.Gray:
				for yy := y0; yy < y0+f; yy++ {
					row := m.Pix[m.PixOffset(x0, yy):]
					for xx := range f {
						sum += int(row[xx])
					}
				}
				v := m.Pix[m.PixOffset(x0+f/2, y0+f/2)]
				p.r[oy*p.w+ox], p.g[oy*p.w+ox], p.b[oy*p.w+ox] = v, v, v
			default:
				for yy := y0; yy < y0+f; yy++ {
					for xx := x0; xx < x0+f; xx++ {
						r, g, b := at(xx, yy)
						sum += int((19595*r + 38470*g + 7471*b + 1<<15) >> 24)
					}
				}
				r, g, b := at(x0+f/2, y0+f/2)
				p.r[oy*p.w+ox], p.g[oy*p.w+ox], p.b[oy*p.w+ox] = uint8(r>>8), uint8(g>>8), uint8(b>>8)
			}
			p.y[oy*p.w+ox] = float32(sum) / area
		}
	}
	return p
}

// reduceYCbCr is reduce for JPEG's usual layout: brightness sums run
// along the rows of the Y plane, in memory order.
func reduceYCbCr(m *image.YCbCr, p *plane, f int) {
	bd := m.Bounds()
	sums := make([]int, p.w)
	area := float32(f * f)
	for oy := range p.h {
		clear(sums)
		y0 := bd.Min.Y + oy*f
		for yy := y0; yy < y0+f; yy++ {
			row := m.Y[m.YOffset(bd.Min.X, yy):]
			row = row[:p.w*f]
			for ox := range p.w {
				s := 0
				for _, v := range row[ox*f : ox*f+f] {
					s += int(v)
				}
				sums[ox] += s
			}
		}
		for ox := range p.w {
			i := oy*p.w + ox
			p.y[i] = float32(sums[ox]) / area
			cx, cy := bd.Min.X+ox*f+f/2, y0+f/2
			ci := m.COffset(cx, cy)
			p.r[i], p.g[i], p.b[i] = color.YCbCrToRGB(m.Y[m.YOffset(cx, cy)], m.Cb[ci], m.Cr[ci])
		}
	}
}

// laplacianVar is the variance of the 4-neighbour Laplacian of the
// brightness inside r: low when edges are soft, that is, when the image is
// blurred.
func (p *plane) laplacianVar(r image.Rectangle) float64 {
	r = r.Intersect(image.Rect(1, 1, p.w-1, p.h-1))
	if r.Empty() {
		return 0
	}
	var sum, sq float64
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			i := y*p.w + x
			l := float64(p.y[i-1] + p.y[i+1] + p.y[i-p.w] + p.y[i+p.w] - 4*p.y[i])
			sum += l
			sq += l * l
		}
	}
	n := float64(r.Dx() * r.Dy())
	mean := sum / n
	return sq/n - mean*mean
}

// centre is the part of a portrait where the face is.
func (p *plane) centre() image.Rectangle {
	return image.Rect(p.w/5, p.h*3/20, p.w*4/5, p.h*17/20)
}

// background measures the border of a portrait (top band, and the sides
// of its upper part, where no shoulders are): its colour name and how
// uneven its brightness is (standard deviation).
func (p *plane) background() (name string, spread float64) {
	bw, bh := max(1, p.w*8/100), max(1, p.h*8/100)
	var n, sr, sg, sb, sy, syy float64
	add := func(x, y int) {
		i := y*p.w + x
		sr += float64(p.r[i])
		sg += float64(p.g[i])
		sb += float64(p.b[i])
		v := float64(p.y[i])
		sy += v
		syy += v * v
		n++
	}
	for y := range bh {
		for x := range p.w {
			add(x, y)
		}
	}
	for y := bh; y < p.h*6/10; y++ {
		for x := range bw {
			add(x, y)
			add(p.w-1-x, y)
		}
	}
	if n == 0 {
		return "", 0
	}
	mean := sy / n
	return colorName(sr/n, sg/n, sb/n), math.Sqrt(max(0, syy/n-mean*mean))
}

// colorName sorts an average colour into the background colours of ID
// photos, or "other".
func colorName(r, g, b float64) string {
	hi, lo := max(r, g, b), min(r, g, b)
	switch {
	case lo > 185 && hi-lo < 40:
		return "white"
	case b > r+40 && b >= g-10:
		return "blue"
	case r > g+60 && r > b+60:
		return "red"
	case hi-lo < 30:
		return "grey"
	}
	return "other"
}

// Sides of an image, in the order edgeTouch reports them.
var sideNames = [4]string{"上", "下", "左", "右"}

// edgeTouch returns, per side (top, bottom, left, right), the share of
// dark pixels in a strip along that edge: content or a dark desk there
// means the scan is cut off or not cropped.
func (p *plane) edgeTouch() [4]float64 {
	// Paper is the bright end of the histogram; ink is well below it.
	ink := float32(p.paper() - 60)
	sw, sh := max(2, p.w*3/100), max(2, p.h*3/100)
	share := func(x0, y0, x1, y1 int) float64 {
		dark, n := 0, 0
		for y := max(0, y0); y < min(p.h, y1); y++ {
			for x := max(0, x0); x < min(p.w, x1); x++ {
				if p.y[y*p.w+x] < ink {
					dark++
				}
				n++
			}
		}
		if n == 0 {
			return 0
		}
		return float64(dark) / float64(n)
	}
	return [4]float64{
		share(0, 0, p.w, sh),
		share(0, p.h-sh, p.w, p.h),
		share(0, 0, sw, p.h),
		share(p.w-sw, 0, p.w, p.h),
	}
}

// skew estimates in degrees how far a page is tilted, by projection
// profiles: dark pixels are summed along lines at each candidate angle,
// and the angle at which text lines fall into the fewest, fullest rows
// (the largest sum of squares) wins. Angles from -20° to 20° are tried in
// half degrees. ok is false when there is too little ink to tell.
func (p *plane) skew() (deg float64, ok bool) {
	ink := float32(p.paper() - 60)
	type pt struct{ x, y float64 }
	var pts []pt
	for y := range p.h {
		for x := range p.w {
			if p.y[y*p.w+x] < ink {
				pts = append(pts, pt{float64(x), float64(y)})
			}
		}
	}
	if len(pts) < p.w*p.h/200 {
		return 0, false
	}
	if step := len(pts) / 40000; step > 1 { // enough to find lines, and fast
		kept := pts[:0]
		for i := 0; i < len(pts); i += step {
			kept = append(kept, pts[i])
		}
		pts = kept
	}
	off := float64(p.w + p.h)
	profile := make([]float64, 2*(p.w+p.h)+2)
	best, bestScore := 0.0, -1.0
	for a := -40; a <= 40; a++ {
		rad := float64(a) / 2 * math.Pi / 180
		sin, cos := math.Sincos(rad)
		clear(profile)
		for _, q := range pts {
			profile[int(q.y*cos-q.x*sin+off)]++
		}
		score := 0.0
		for _, v := range profile {
			score += v * v
		}
		if score > bestScore {
			best, bestScore = float64(a)/2, score
		}
	}
	return best, true
}

// paper is the brightness of the page: the 90th percentile.
func (p *plane) paper() int {
	var hist [256]int
	for _, v := range p.y {
		hist[min(255, int(v))]++
	}
	seen := 0
	for v := 255; v >= 0; v-- {
		seen += hist[v]
		if seen*10 >= len(p.y) {
			return v
		}
	}
	return 255
}
