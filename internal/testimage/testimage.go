// Package testimage draws the pictures tests send to the upload check: a
// portrait on a white background whose face area is noisy enough to be
// sharp and not to compress below the 10KB minimum at the platform's size.
package testimage

import (
	"bytes"
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
