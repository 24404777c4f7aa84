package main

import (
	"errors"
	"image"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kuaiji/kuaiji/internal/testimage"
)

func writeImage(t *testing.T, name string, img image.Image, asPNG bool) string {
	t.Helper()
	b := testimage.JPEG(t, img, 90)
	if asPNG {
		b = testimage.PNG(t, img)
	}
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestCheckPhotoCLI(t *testing.T) {
	t.Parallel()
	good := writeImage(t, "photo.jpg", testimage.Portrait(295, 413), false)
	small := writeImage(t, "small.jpg", testimage.Portrait(150, 210), false)
	renamed := writeImage(t, "renamed.jpg", testimage.Portrait(295, 413), true)
	empty := filepath.Join(t.TempDir(), "empty.jpg")
	os.WriteFile(empty, nil, 0o600)
	cases := []struct {
		name string
		args []string
		code int // 0 for success
		want []string
	}{
		{"good photo", []string{good}, 0, []string{"全国会计人员统一服务管理平台", "✅ 格式：JPG", "可以上传"}},
		{"flag after file", []string{good, "--jurisdiction", "海南"}, 0, []string{"文末附海南省以前的地方口径，仅供了解", "海南 2019 年地方口径"}},
		{"too small", []string{small}, 1, []string{"❌ 像素宽度：150 像素（要求：不低于 295 像素）"}},
		{"png renamed", []string{renamed}, 1, []string{"❌ 格式：PNG（要求：JPG）"}},
		{"empty file", []string{empty}, 1, []string{"空文件"}},
		{"scan", []string{"--kind", "scan", good}, 0, []string{"扫描件检查结果", "300dpi"}},
		{"missing file", []string{filepath.Join(t.TempDir(), "nope.jpg")}, 2, []string{"无法读取文件"}},
		{"unknown place", []string{good, "--jurisdiction", "火星"}, 2, []string{"没有找到地区"}},
		{"bad kind", []string{"--kind", "selfie", good}, 2, []string{"photo 或 scan"}},
		{"no file", nil, 2, []string{"用法：kuaiji check-photo"}},
		{"unknown flag", []string{"--size", "3", good}, 2, []string{"用法：kuaiji check-photo"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out, _, err := runCLI(t, dataDir(t), append([]string{"check-photo"}, c.args...)...)
			var ec exitCode
			switch {
			case c.code == 0 && err != nil:
				t.Fatalf("err %v\n%s", err, out)
			case c.code != 0 && (!errors.As(err, &ec) || int(ec) != c.code):
				t.Fatalf("err %v, want exit %d\n%s", err, c.code, out)
			}
			// What the process exits with, as main sets it.
			if got := exitStatus(err, io.Discard); got != c.code {
				t.Errorf("exit status %d, want %d", got, c.code)
			}
			for _, w := range c.want {
				if !strings.Contains(out, w) {
					t.Errorf("output lacks %q:\n%s", w, out)
				}
			}
		})
	}
}

// TestCheckPhotoCLIPlaceHistory: with --jurisdiction 海南, a photo above
// 海南's 2019 limit of 20K is judged by the national rules only; the old
// limit appears once, as dated history, and is not advice to shrink it.
func TestCheckPhotoCLIPlaceHistory(t *testing.T) {
	t.Parallel()
	p := writeImage(t, "photo.jpg", testimage.Portrait(600, 840), false)
	if st, err := os.Stat(p); err != nil || st.Size() <= 20<<10 {
		t.Fatalf("test photo is not above 20KB: %v %v", st, err)
	}
	out, _, err := runCLI(t, dataDir(t), "check-photo", p, "--jurisdiction", "海南")
	if err != nil {
		t.Fatalf("err %v\n%s", err, out)
	}
	for _, bad := range []string{"⚠️ 文件大小", "不超过 20KB", "压缩到"} {
		if strings.Contains(out, bad) {
			t.Errorf("output says %q:\n%s", bad, out)
		}
	}
	for _, w := range []string{"✅ 文件大小", "以前的地方口径", "海南 2019 年地方口径"} {
		if !strings.Contains(out, w) {
			t.Errorf("output lacks %q:\n%s", w, out)
		}
	}
}
