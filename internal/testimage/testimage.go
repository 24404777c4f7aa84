// Package testimage draws the pictures tests send to the upload check: a
// portrait on a white background whose face area is noisy enough to be
// sharp and not to compress below the 10KB minimum at the platform's size.
package testimage

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"math/rand/v2"
	"testing"
)

// Portrait draws a w×h test portrait: white background, a textured block
// where the face is. The same size always gives the same picture.
func Portrait(w, h int) image.Image {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	rnd := rand.New(rand.NewPCG(7, 8))
	for y := range h {
		for x := range w {
			c := color.RGBA{250, 250, 250, 255}
			if x > w/4 && x < w*3/4 && y > h/5 {
				v := uint8(rnd.IntN(200))
				c = color.RGBA{v, v / 2, v / 3, 255}
			}
			img.Set(x, y, c)
		}
	}
	return img
}

// JPEG encodes img at quality q.
func JPEG(t testing.TB, img image.Image, q int) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: q}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// PNG encodes img.
func PNG(t testing.TB, img image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// BlankPNG writes a valid PNG of w×h pixels of colour type ct and bit
// depth depth, all zero, streaming its rows so that even a 5000×6000
// 16-bit image costs the test no more than its compressed bytes (Go's
// encoder would need the whole image in memory, and writes neither Adam7
// interlacing nor every layout). Adam7 interlacing when interlaced.
func BlankPNG(t testing.TB, w, h int, ct, depth byte, interlaced bool) []byte {
	t.Helper()
	channels := map[byte]int{0: 1, 2: 3, 3: 1, 4: 2, 6: 4}[ct]
	rowBytes := func(pw int) int { return (pw*channels*int(depth) + 7) / 8 }
	var idat bytes.Buffer
	z := zlib.NewWriter(&idat)
	writeRows := func(pw, ph int) {
		if pw == 0 || ph == 0 {
			return
		}
		row := make([]byte, 1+rowBytes(pw))
		for range ph {
			z.Write(row)
		}
	}
	if interlaced {
		for _, p := range [][4]int{{0, 0, 8, 8}, {4, 0, 8, 8}, {0, 4, 4, 8}, {2, 0, 4, 4}, {0, 2, 2, 4}, {1, 0, 2, 2}, {0, 1, 1, 2}} {
			writeRows((w-p[0]+p[2]-1)/p[2], (h-p[1]+p[3]-1)/p[3])
		}
	} else {
		writeRows(w, h)
	}
	if err := z.Close(); err != nil {
		t.Fatal(err)
	}
	return pngFile(w, h, ct, depth, interlaced, idat.Bytes())
}

// ClaimPNG writes a PNG whose header claims w×h pixels of colour type ct
// and bit depth depth, followed by n bytes of image data (stored, not
// compressed) that do not fill it: what an attacker sends to make a
// decoder allocate the claimed image, cheap for tests to build at any size.
func ClaimPNG(t testing.TB, w, h int, ct, depth byte, interlaced bool, n int) []byte {
	t.Helper()
	var idat bytes.Buffer
	z, err := zlib.NewWriterLevel(&idat, zlib.NoCompression)
	if err != nil {
		t.Fatal(err)
	}
	z.Write(make([]byte, n))
	if err := z.Close(); err != nil {
		t.Fatal(err)
	}
	return pngFile(w, h, ct, depth, interlaced, idat.Bytes())
}

func pngFile(w, h int, ct, depth byte, interlaced bool, idat []byte) []byte {
	var out bytes.Buffer
	out.WriteString("\x89PNG\r\n\x1a\n")
	chunk := func(typ string, data []byte) {
		var n [4]byte
		binary.BigEndian.PutUint32(n[:], uint32(len(data)))
		out.Write(n[:])
		c := crc32.NewIEEE()
		c.Write([]byte(typ))
		c.Write(data)
		out.WriteString(typ)
		out.Write(data)
		binary.BigEndian.PutUint32(n[:], c.Sum32())
		out.Write(n[:])
	}
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr[0:], uint32(w))
	binary.BigEndian.PutUint32(ihdr[4:], uint32(h))
	ihdr[8], ihdr[9] = depth, ct
	if interlaced {
		ihdr[12] = 1
	}
	chunk("IHDR", ihdr)
	if ct == 3 {
		chunk("PLTE", make([]byte, 3*256))
	}
	chunk("IDAT", idat)
	chunk("IEND", nil)
	return out.Bytes()
}
