package uploadcheck

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"image"
)

// MaxDecodeBytes is the most memory one check may need to decode its
// image, as estimated from the header before decoding. Pixels alone do
// not tell: Go decodes a 16-bit RGBA PNG to 8 bytes a pixel and keeps a
// progressive JPEG's coefficients (4 bytes a pixel per component) beside
// the image, so 30 megapixels can cost 240–450 MB. 128 MiB admits a
// 30-megapixel ordinary JPEG (45 MB), an A4 scan at 300 dpi even as a
// progressive full-colour JPEG (130 MB), and 16-bit PNGs up to 16
// megapixels.
const MaxDecodeBytes = 128 << 20

// workBytes is what measuring costs beside the decoded image: the reduced
// plane (brightness as float32 and three colour bytes a pixel) and the
// decoder's tables and buffers.
const workBytes = workSide*workSide*7 + 1<<20

// decodeCost estimates the bytes decoding data allocates, from its header:
// dimensions, bit depth, colour model, interlacing or progressive coding.
// It mirrors what Go's image/png, image/jpeg and image/gif allocate (see
// their readImagePass, makeImg, progCoeffs and applyBlack). what describes
// the layout for users ("16 位 RGBA PNG"). ok is false when the header
// cannot be read, and the decoder will refuse the file anyway.
func decodeCost(data []byte, format string) (bytes int64, what string, ok bool) {
	switch format {
	case "png":
		return pngCost(data)
	case "jpeg":
		return jpegCost(data)
	case "gif":
		if len(data) < 10 {
			return 0, "", false
		}
		w, h := int64(binary.LittleEndian.Uint16(data[6:])), int64(binary.LittleEndian.Uint16(data[8:]))
		return w * h, "GIF", true // one byte a pixel, first frame only
	}
	return 0, "", false
}

// pngCost reads IHDR and walks the chunks before the image data for tRNS,
// which turns grey and RGB images into NRGBA.
func pngCost(b []byte) (int64, string, bool) {
	if len(b) < 8+8+13 || string(b[12:16]) != "IHDR" {
		return 0, "", false
	}
	w, h := int64(binary.BigEndian.Uint32(b[16:])), int64(binary.BigEndian.Uint32(b[20:]))
	depth, colour, interlace := int(b[24]), b[25], b[28]
	transparent := false
	for i := 8; i+8 <= len(b); {
		n := int64(binary.BigEndian.Uint32(b[i:]))
		typ := string(b[i+4 : i+8])
		if typ == "IDAT" || typ == "IEND" {
			break
		}
		if typ == "tRNS" {
			transparent = true
		}
		next := int64(i) + 12 + n
		if next > int64(len(b)) {
			break
		}
		i = int(next)
	}
	wide := depth == 16
	var perPixel int64
	var model string
	switch colour {
	case 0: // grey
		model, perPixel = "灰度", 1
		if wide {
			perPixel = 2
		}
		if transparent {
			perPixel *= 4
		}
	case 2: // RGB
		model, perPixel = " RGB", 4
	case 3: // palette
		model, perPixel = "调色板", 1
	case 4: // grey and alpha
		model, perPixel = "灰度带透明", 4
	case 6:
		model, perPixel = " RGBA", 4
	default:
		return 0, "", false
	}
	if wide && colour != 0 {
		perPixel = 8
	}
	cost := w * h * perPixel
	what := fmt.Sprintf("%d 位%s PNG", depth, model)
	if interlace == 1 {
		// Adam7: the seven passes are decoded into images of their own
		// and merged into the full one, which exists alongside them.
		cost *= 2
		what += "（隔行扫描）"
	}
	return cost, what, true
}

// jpegCost walks the markers to the frame header (SOFn), noting JFIF and
// Adobe segments, which decide whether three components are converted to
// RGBA.
func jpegCost(b []byte) (int64, string, bool) {
	jfif, adobeRGB := false, false
	for i := 2; i+4 <= len(b); {
		if b[i] != 0xFF {
			return 0, "", false
		}
		m := b[i+1]
		if m == 0xFF || m == 0x01 || m >= 0xD0 && m <= 0xD7 { // fill, TEM, RSTn: no length
			i++
			if m != 0xFF {
				i++
			}
			continue
		}
		n := int(binary.BigEndian.Uint16(b[i+2:]))
		if n < 2 {
			return 0, "", false
		}
		seg := b[i+4 : min(len(b), i+2+n)]
		switch {
		case m == 0xE0 && len(seg) >= 5 && string(seg[:5]) == "JFIF\x00":
			jfif = true
		case m == 0xEE && len(seg) >= 12 && string(seg[:5]) == "Adobe":
			adobeRGB = seg[11] == 0
		case m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC:
			return sofCost(seg, m == 0xC2 || m == 0xC6 || m == 0xCA || m == 0xCE, jfif, adobeRGB)
		case m == 0xDA:
			return 0, "", false // scan before any frame header
		}
		i += 2 + n
	}
	return 0, "", false
}

func sofCost(seg []byte, progressive, jfif, adobeRGB bool) (int64, string, bool) {
	if len(seg) < 6 {
		return 0, "", false
	}
	h, w, nc := int64(binary.BigEndian.Uint16(seg[1:])), int64(binary.BigEndian.Uint16(seg[3:])), int(seg[5])
	if nc < 1 || len(seg) < 6+3*nc {
		return 0, "", false
	}
	hmax, vmax := int64(1), int64(1)
	type comp struct {
		id   byte
		h, v int64
	}
	comps := make([]comp, nc)
	for k := range comps {
		c := seg[6+3*k:]
		comps[k] = comp{c[0], max(1, int64(c[1]>>4)), max(1, int64(c[1]&15))}
		hmax, vmax = max(hmax, comps[k].h), max(vmax, comps[k].v)
	}
	mxx, myy := (w+8*hmax-1)/(8*hmax), (h+8*vmax-1)/(8*vmax)
	var planes int64
	for _, c := range comps {
		if nc == 1 {
			c.h, c.v = hmax, vmax // a grey image is one plane of whole blocks
		}
		planes += 8 * c.h * mxx * 8 * c.v * myy
	}
	cost, kind := planes, " JPEG"
	if nc == 4 || nc == 3 && !jfif && (adobeRGB || comps[0].id == 'R' && comps[1].id == 'G' && comps[2].id == 'B') {
		cost += 4 * w * h // converted into a CMYK or RGBA copy
	}
	if progressive {
		cost += 4 * planes // one 64-entry int32 block per 8×8 block of each plane
		kind = "渐进式 JPEG"
	}
	return cost, fmt.Sprintf("%d 个颜色分量的%s", nc, kind), true
}

// checkCost is the memory a check of data holds beyond data itself: the
// estimated decode and the measures, or only the header reading when the
// check will refuse the file before decoding it.
func checkCost(data []byte) int64 {
	cost, _ := estimate(data)
	if cost > MaxDecodeBytes {
		return 1 << 20
	}
	return cost + workBytes
}

// estimate is decodeCost for the format found in data; when the header
// walk fails but a decoder may still read the file, it assumes the costliest
// layout (8 bytes a pixel) of the size the decoder's header reader reports.
func estimate(data []byte) (int64, string) {
	format := sniff(data)
	if cost, what, ok := decodeCost(data, format); ok {
		return cost, what
	}
	cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return 0, formatName(format)
	}
	return 8 * int64(cfg.Width) * int64(cfg.Height), formatName(format)
}
