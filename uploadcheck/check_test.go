package uploadcheck

import (
	"runtime"
	"strings"
	"testing"
)

// outcomes maps check names to outcomes, for compact expectations.
func outcomes(r Report) map[string]Outcome {
	m := map[string]Outcome{}
	for _, v := range r.Verdicts {
		m[v.Check] = v.Outcome
	}
	return m
}

func TestCheckPhoto(t *testing.T) {
	t.Parallel()
	good := encJPEG(t, portrait(295, 413, white, 0), 90)
	cases := []struct {
		name       string
		data       []byte
		jur        string
		compressed bool
		ok         bool
		want       map[string]Outcome // checks that must have these outcomes
		text       []string           // phrases the rendered text must hold
	}{
		{name: "good white", data: good, ok: true,
			want: map[string]Outcome{"format": Pass, "min_bytes": Pass, "min_width": Pass, "min_height": Pass, "aspect": Pass, "sharpness": Pass, "background": Pass},
			text: []string{"✅ 格式：JPG", "可以上传"}},
		{name: "good blue", data: encJPEG(t, portrait(354, 496, blue, 0), 90), ok: true,
			want: map[string]Outcome{"background": Pass}, text: []string{"背景：蓝色"}},
		{name: "good red", data: encJPEG(t, portrait(354, 496, red, 0), 90), ok: true,
			want: map[string]Outcome{"background": Pass}, text: []string{"背景：红色"}},
		{name: "green background is advice", data: encJPEG(t, portrait(354, 496, green, 0), 90), ok: true,
			want: map[string]Outcome{"background": Warn}, text: []string{"⚠️ 背景：其他颜色", "〔建议，非官方要求〕", "换底色"}},
		{name: "too few pixels", data: encJPEG(t, portrait(200, 280, white, 0), 95),
			want: map[string]Outcome{"min_width": Fail, "min_height": Fail},
			text: []string{"❌ 像素宽度：200 像素（要求：不低于 295 像素）", "❌ 像素高度：280 像素（要求：不低于 413 像素）", "不要用截图"}},
		{name: "too small file", data: encJPEG(t, portrait(295, 413, white, 0), 1),
			want: map[string]Outcome{"min_bytes": Fail}, text: []string{"（要求：不小于 10KB）", "画质调高"}},
		{name: "compressed by telegram", data: encJPEG(t, portrait(295, 413, white, 0), 1), compressed: true,
			want: map[string]Outcome{"min_bytes": Fail}, text: []string{"请用原图发送（以文件形式），不要压缩"}},
		{name: "png renamed jpg", data: encPNG(t, portrait(295, 413, white, 0)),
			want: map[string]Outcome{"format": Fail, "min_width": Pass}, text: []string{"❌ 格式：PNG（要求：JPG）", "只改扩展名不算"}},
		{name: "square crop is advice", data: encJPEG(t, portrait(500, 500, white, 0), 90), ok: true,
			want: map[string]Outcome{"aspect": Warn}, text: []string{"⚠️ 宽高比：约 1:1", "5:7", "357×500"}}, // 500×5/7 ≈ 357
		{name: "landscape", data: encJPEG(t, portrait(600, 400, white, 0), 90),
			want: map[string]Outcome{"aspect": Warn, "min_height": Fail}, text: []string{"横向"}},
		{name: "clearly blurred fails", data: encJPEG(t, portrait(600, 840, white, 2), 90),
			want: map[string]Outcome{"sharpness": Fail, "min_bytes": Pass},
			text: []string{"照片明显模糊", "平台不收模糊的照片", "对焦后重新拍摄", "我们估计的", "模糊的照片不收"}},
		// A little softness is only our estimate's doubt: it warns and the
		// photo may still be uploaded.
		{name: "slightly soft photo only warns", data: encJPEG(t, boxBlur(portrait(600, 840, white, 0), 5), 90), ok: true,
			want: map[string]Outcome{"sharpness": Warn},
			text: []string{"⚠️ 清晰度：照片可能有些模糊", "平台没有公布具体的数值标准", "〔建议，非官方要求〕", "建议在光线充足的地方对焦后重新拍摄", "可以上传"}},
		{name: "rotated by exif", data: withOrientation(good, 6), ok: true,
			want: map[string]Outcome{"orientation": Warn}, text: []string{"显示成横倒的样子", "转正"}},
		{name: "upside down by exif", data: withOrientation(good, 3), ok: true,
			want: map[string]Outcome{"orientation": Warn}, text: []string{"显示成倒过来的样子"}},
		{name: "hainan 2019 limit is history", data: encJPEG(t, portrait(600, 840, white, 0), 95), jur: "hainan", ok: true,
			want: map[string]Outcome{"min_bytes": Pass}, text: []string{"以前的地方口径", "海南 2019 年地方口径", "可以上传。"}},
		// 云南's only source is undated and second-hand: the national
		// rules, which accept a blue background, apply.
		{name: "yunnan gets the national rules", data: encJPEG(t, portrait(354, 496, blue, 0), 90), jur: "yunnan", ok: true,
			want: map[string]Outcome{"background": Pass}, text: []string{"✅ 背景：蓝色", "可以上传。"}},
		{name: "unknown jurisdiction gets national rules", data: good, jur: "nowhere", ok: true,
			want: map[string]Outcome{"min_bytes": Pass}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := Check(Input{Data: c.data, Compressed: c.compressed}, spec(t, Photo, c.jur))
			text := r.Text()
			if r.OK() != c.ok {
				t.Errorf("OK() = %v, want %v\n%s", r.OK(), c.ok, text)
			}
			got := outcomes(r)
			for k, want := range c.want {
				if o, ok := got[k]; !ok || o != want {
					t.Errorf("%s: got %v (present %v), want %v\n%s", k, o, ok, want, text)
				}
			}
			for _, s := range c.text {
				if !strings.Contains(text, s) {
					t.Errorf("text lacks %q:\n%s", s, text)
				}
			}
		})
	}
}

// TestHostileInput: files that must be refused early and cleanly.
func TestHostileInput(t *testing.T) {
	t.Parallel()
	good := encJPEG(t, portrait(295, 413, white, 0), 90)
	cases := []struct {
		name string
		data []byte
		text string
	}{
		{"zero bytes", nil, "空文件"},
		{"truncated jpeg", good[:len(good)/2], "不完整或已损坏"},
		{"header only", good[:20], "JPG 文件已损坏或不完整"},
		{"decompression bomb", withSize(t, good, 20000, 20000), "20000×20000"},
		{"strip", withSize(t, good, 30000, 10), "长宽比例异常"},
		{"small file claiming megapixels", withSize(t, good, 4000, 5000), "与文件大小不符"},
		{"not an image", []byte("kuaiji 检查照片"), "文本文件"},
		{"webp", append([]byte("RIFF\x00\x00\x00\x00WEBPVP8 "), make([]byte, 64)...), "WebP 文件，无法读取"},
		{"too large", make([]byte, MaxFileBytes+1), "超过 10MB"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := Check(Input{Data: c.data}, spec(t, Photo, ""))
			if r.OK() {
				t.Errorf("hostile input passed:\n%s", r.Text())
			}
			if !strings.Contains(r.Text(), c.text) {
				t.Errorf("text lacks %q:\n%s", c.text, r.Text())
			}
		})
	}
}

// TestBombNotDecoded: the header check refuses before any pixel is
// allocated, so a bomb costs next to nothing.
func TestBombNotDecoded(t *testing.T) {
	bomb := withSize(t, encJPEG(t, portrait(295, 413, white, 0), 90), 20000, 20000)
	sp := spec(t, Photo, "")
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	r := Check(Input{Data: bomb}, sp)
	runtime.ReadMemStats(&after)
	if r.OK() {
		t.Fatal("bomb passed")
	}
	if n := after.TotalAlloc - before.TotalAlloc; n > 1<<20 {
		t.Errorf("a bomb allocated %d bytes", n)
	}
}

func TestCheckScan(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		data []byte
		want map[string]Outcome
		text []string
	}{
		{"clean scan", encJPEG(t, certificate(1240, 1754, 0.06, 0), 60),
			map[string]Outcome{"edges": Pass, "sharpness": Pass, "min_width": Pass, "skew": Pass}, nil},
		{"tilted scan", encJPEG(t, rotate(certificate(1240, 1754, 0.12, 0), 8), 60),
			map[string]Outcome{"skew": Warn, "edges": Pass}, []string{"倾斜约 8°", "放正"}},
		{"slightly tilted scan", encJPEG(t, rotate(certificate(1240, 1754, 0.12, 0), -2), 60),
			map[string]Outcome{"skew": Pass}, nil},
		{"cut off on the right", encJPEG(t, certificate(1240, 1754, 0.06, 200), 60),
			map[string]Outcome{"edges": Warn}, []string{"右边", "完整放进画面"}},
		{"low resolution", encJPEG(t, certificate(500, 700, 0.06, 0), 80),
			map[string]Outcome{"min_width": Warn}, []string{"短边", "300dpi"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := Check(Input{Data: c.data}, spec(t, Scan, ""))
			text := r.Text()
			if !r.OK() {
				t.Errorf("a scan failed on unverified rules:\n%s", text)
			}
			got := outcomes(r)
			for k, want := range c.want {
				if got[k] != want {
					t.Errorf("%s: got %v, want %v\n%s", k, got[k], want, text)
				}
			}
			for _, s := range c.text {
				if !strings.Contains(text, s) {
					t.Errorf("text lacks %q:\n%s", s, text)
				}
			}
		})
	}
}

func TestSniff(t *testing.T) {
	for in, want := range map[string]string{
		"\xFF\xD8\xFF\xE0": "jpeg", "\x89PNG\r\n\x1a\n....": "png", "GIF89a": "gif", "%PDF-1.7": "pdf",
		"\x00\x00\x00\x18ftypheic": "heic", "": "", "hello": "",
	} {
		if got := sniff([]byte(in)); got != want {
			t.Errorf("sniff(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestFmtBytes(t *testing.T) {
	for n, want := range map[int]string{10240: "10KB", 8396: "8.2KB", 512000: "500KB", 900: "900 字节", 3 << 20: "3MB"} {
		if got := fmtBytes(n); got != want {
			t.Errorf("fmtBytes(%d) = %q, want %q", n, got, want)
		}
	}
}

func FuzzCheck(f *testing.F) {
	good := encJPEG(f, portrait(64, 90, white, 0), 50)
	f.Add(good)
	f.Add(good[:len(good)/3])
	f.Add(encPNG(f, portrait(32, 45, blue, 0)))
	f.Add([]byte{})
	s := spec(f, Scan, "")
	p := spec(f, Photo, "hainan")
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, sp := range []Spec{s, p} {
			r := Check(Input{Data: b}, sp)
			if len(r.Verdicts) == 0 {
				t.Fatal("no verdicts")
			}
			_ = r.Text()
		}
	})
}
