package main

import (
	"bytes"
	"errors"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// testPhoto is a w×h picture: white border, a noisy block in the middle
// (sharp and not compressible below 10KB at the right size).
func testPhoto(w, h int) image.Image {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	rnd := rand.New(rand.NewPCG(5, 6))
	for y := range h {
		for x := range w {
			c := color.RGBA{250, 250, 250, 255}
			if x > w/5 && x < w*4/5 && y > h/6 {
				v := uint8(rnd.IntN(200))
				c = color.RGBA{v, v / 2, v / 3, 255}
			}
			img.Set(x, y, c)
		}
	}
	return img
}

func writeImage(t *testing.T, name string, img image.Image, asPNG bool) string {
	t.Helper()
	var b bytes.Buffer
	var err error
	if asPNG {
		err = png.Encode(&b, img)
	} else {
		err = jpeg.Encode(&b, img, &jpeg.Options{Quality: 90})
	}
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, b.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestCheckPhotoCLI(t *testing.T) {
	good := writeImage(t, "photo.jpg", testPhoto(295, 413), false)
	small := writeImage(t, "small.jpg", testPhoto(150, 210), false)
	renamed := writeImage(t, "renamed.jpg", testPhoto(295, 413), true)
	empty := filepath.Join(t.TempDir(), "empty.jpg")
	os.WriteFile(empty, nil, 0o600)
	cases := []struct {
		name string
		args []string
		code int // 0 for success
		want []string
	}{
		{"good photo", []string{good}, 0, []string{"全国会计人员统一服务管理平台", "✅ 格式：JPG", "可以上传"}},
		{"flag after file", []string{good, "--jurisdiction", "海南"}, 0, []string{"另列出海南省的地方口径，仅供参考", "2019 年地方口径"}},
		{"too small", []string{small}, 1, []string{"❌ 像素宽度：150 像素（要求：不低于 295 像素）"}},
		{"png renamed", []string{renamed}, 1, []string{"❌ 格式：PNG（要求：JPG）"}},
		{"empty file", []string{empty}, 1, []string{"空文件"}},
		{"scan", []string{"--kind", "scan", good}, 0, []string{"扫描件检查结果", "300dpi"}},
		{"missing file", []string{filepath.Join(t.TempDir(), "nope.jpg")}, 2, []string{"无法读取文件"}},
		{"unknown place", []string{good, "--jurisdiction", "火星"}, 2, []string{"没有找到地区"}},
		{"bad kind", []string{"--kind", "selfie", good}, 2, []string{"photo 或 scan"}},
		{"no file", nil, 2, []string{"用法：kuaiji check-photo"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out, _, err := runCLI(t, t.TempDir(), append([]string{"check-photo"}, c.args...)...)
			var ec exitCode
			switch {
			case c.code == 0 && err != nil:
				t.Fatalf("err %v\n%s", err, out)
			case c.code != 0 && (!errors.As(err, &ec) || int(ec) != c.code):
				t.Fatalf("err %v, want exit %d\n%s", err, c.code, out)
			}
			for _, w := range c.want {
				if !strings.Contains(out, w) {
					t.Errorf("output lacks %q:\n%s", w, out)
				}
			}
		})
	}
}
