package uploadcheck

import (
	"image"
	"strings"
	"testing"
	"unicode"
)

// lineOf is the line of text that starts with the check's icon and name
// ("✅ 清晰度：…"), or "" when there is none.
func lineOf(text, name string) string {
	for _, l := range strings.Split(text, "\n") {
		for _, icon := range []string{"✅ ", "⚠️ ", "❌ "} {
			if strings.HasPrefix(l, icon+name+"：") {
				return l
			}
		}
	}
	return ""
}

// icons counts the lines of text that start with icon.
func icons(text, icon string) int {
	n := 0
	for _, l := range strings.Split(text, "\n") {
		if strings.HasPrefix(l, icon) {
			n++
		}
	}
	return n
}

// TestWordsAnAccountantReads: no measure's name or raw number is shown as
// a requirement. The sharpness line says what was seen (清晰, 可能有些模糊,
// 明显模糊) in words, and the advice says the estimate is ours.
func TestWordsAnAccountantReads(t *testing.T) {
	t.Parallel()
	jargon := []string{"拉普拉斯", "方差", "标准差", "旋转标记", "EXIF", "越大越清晰"}
	cases := []struct {
		name, sharpness string
		data            []byte
		kind            Kind
		want            []string
	}{
		{"sharp photo", "照片清晰", encJPEG(t, portrait(600, 840, white, 0), 90), Photo, nil},
		{"soft photo", "照片可能有些模糊", encJPEG(t, boxBlur(portrait(600, 840, white, 0), 5), 90), Photo,
			[]string{"建议", "重新拍摄", "平台没有公布具体的数值标准"}},
		{"blurred photo", "照片明显模糊", encJPEG(t, portrait(600, 840, white, 2), 90), Photo,
			[]string{"重新拍摄", "平台不收模糊的照片"}},
		{"rotated photo", "照片清晰", withOrientation(encJPEG(t, portrait(295, 413, white, 0), 90), 6), Photo,
			[]string{"横倒"}},
		{"uneven background", "", encJPEG(t, shaded(portrait(354, 496, white, 0)), 90), Photo,
			[]string{"背景不够干净"}},
		{"cut-off scan", "文字清楚", encJPEG(t, certificate(1240, 1754, 0.06, 200), 60), Scan,
			[]string{"右边的内容贴到了边上"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			text := Check(Input{Data: c.data}, spec(t, c.kind, "")).Text()
			for _, j := range jargon {
				if strings.Contains(text, j) {
					t.Errorf("text says %q:\n%s", j, text)
				}
			}
			if c.sharpness != "" {
				line := lineOf(text, "清晰度")
				if !strings.Contains(line, c.sharpness) {
					t.Errorf("sharpness line %q does not say %q:\n%s", line, c.sharpness, text)
				}
				if strings.IndexFunc(line, unicode.IsDigit) >= 0 {
					t.Errorf("sharpness line shows a number: %q", line)
				}
			}
			for _, w := range c.want {
				if !strings.Contains(text, w) {
					t.Errorf("text lacks %q:\n%s", w, text)
				}
			}
			// Only a verified rule is called a requirement.
			for _, name := range []string{"宽高比", "背景", "方向", "边缘完整", "摆正"} {
				if l := lineOf(text, name); strings.Contains(l, "要求：") {
					t.Errorf("advice shown as a requirement: %q", l)
				}
			}
		})
	}
}

// shaded darkens the left half of a portrait's background, as a shadow
// on the wall does.
func shaded(img *image.RGBA) *image.RGBA {
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X/2; x++ {
			i := img.PixOffset(x, y)
			if img.Pix[i] > 240 { // background only
				img.Pix[i], img.Pix[i+1], img.Pix[i+2] = 150, 150, 150
			}
		}
	}
	return img
}

// TestLocalHistoryIsNotAdvice: collection moved to the national platform,
// whose rule is only "not under 10KB". A place's 2019 limit must not
// contradict it: no ✅ 不小于 10KB next to ⚠️ 不超过 20KB, no advice to
// shrink a phone photo to 20 KB. It is shown once, dated, as history.
func TestLocalHistoryIsNotAdvice(t *testing.T) {
	t.Parallel()
	phone, xj := phonePhoto(), camera(1200, 1680)
	if len(phone) < 5<<20 || len(xj) < 900<<10 {
		t.Fatalf("the photos are only %d and %d bytes", len(phone), len(xj))
	}
	for _, c := range []struct {
		name, jur, history string
		data               []byte
	}{
		{"海南, an 88KB photo", "hainan", "海南 2019 年", encJPEG(t, portrait(600, 840, white, 0), 95)},
		{"海南, a phone photo", "hainan", "海南 2019 年", phone},
		{"新疆, a 900KB photo", "xinjiang", "新疆 2019 年", xj},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := Check(Input{Data: c.data}, spec(t, Photo, c.jur))
			text := r.Text()
			if !r.OK() {
				t.Errorf("a photo that meets the national rules failed:\n%s", text)
			}
			if l := lineOf(text, "文件大小"); !strings.HasPrefix(l, "✅") || strings.Count(text, "文件大小：") != 1 {
				t.Errorf("file size should be judged once, by the national rule:\n%s", text)
			}
			for _, bad := range []string{"压缩到", "以内", "⚠️ 文件大小"} {
				if strings.Contains(text, bad) {
					t.Errorf("text says %q:\n%s", bad, text)
				}
			}
			i := strings.Index(text, "以前的地方口径")
			if i < 0 || !strings.Contains(text[i:], c.history) {
				t.Fatalf("the local limit is not shown as dated history:\n%s", text)
			}
			hist := text[i:]
			if !strings.Contains(hist, "全国会计人员统一服务管理平台") {
				t.Errorf("history does not say which rules apply now:\n%s", text)
			}
		})
	}
	// A place without local rules gets no history.
	if text := Check(Input{Data: xj}, spec(t, Photo, "tianjin")).Text(); strings.Contains(text, "地方口径") {
		t.Errorf("history for a place without local rules:\n%s", text)
	}
}

// TestReasonMatchesTheFile: a file that is not a readable image gets one
// line naming what it is, and is never told it was compressed.
func TestReasonMatchesTheFile(t *testing.T) {
	t.Parallel()
	jpg := encJPEG(t, portrait(295, 413, white, 0), 90)
	junk := make([]byte, 300)
	for i := range junk {
		junk[i] = byte(i*7 + 1)
	}
	for _, c := range []struct {
		name string
		data []byte
		want string
	}{
		{"6-byte text file", []byte("hello\n"), "这是一个文本文件（6 字节），不是图片"},
		{"Chinese text file", []byte("照片在附件里，请查收。\r\n"), "文本文件"},
		{"6 binary bytes", []byte{0, 1, 2, 3, 4, 5}, "文件只有 6 字节，太小了，不可能是一张照片"},
		{"unknown binary", junk, "无法识别的文件格式"},
		{"cut-off JPEG", jpg[:40], "JPG 文件已损坏或不完整，无法读取（只有 40 字节）"},
		{"PDF", append([]byte("%PDF-1.7\n"), junk...), "PDF 文件，不是图片"},
		{"HEIC", append([]byte("\x00\x00\x00\x18ftypheic"), junk...), "HEIC 文件"},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := Check(Input{Data: c.data}, spec(t, Photo, ""))
			text := r.Text()
			if r.OK() {
				t.Fatalf("passed:\n%s", text)
			}
			if !strings.Contains(lineOf(text, "文件"), c.want) {
				t.Errorf("the file line does not say %q:\n%s", c.want, text)
			}
			if n := icons(text, "❌"); n != 1 {
				t.Errorf("%d failures for one unreadable file:\n%s", n, text)
			}
			if strings.Contains(text, "压缩") {
				t.Errorf("an unreadable file is blamed on compression:\n%s", text)
			}
			if strings.Contains(text, "自动估计") {
				t.Errorf("nothing was estimated on an unreadable file:\n%s", text)
			}
		})
	}
}

// TestSmallFileReason: a file under 10KB is blamed on compression only
// when its pixels are enough; a tiny image is told its pixels are short.
func TestSmallFileReason(t *testing.T) {
	t.Parallel()
	tiny := Check(Input{Data: encJPEG(t, portrait(100, 140, white, 0), 50)}, spec(t, Photo, "")).Text()
	if l := lineOf(tiny, "文件大小"); !strings.HasPrefix(l, "❌") {
		t.Fatalf("a 100×140 photo passed the size rule:\n%s", tiny)
	}
	if !strings.Contains(tiny, "像素太少") || strings.Contains(tiny, "压缩得太厉害") {
		t.Errorf("a tiny photo's size is not blamed on its pixels:\n%s", tiny)
	}
	squeezed := Check(Input{Data: encJPEG(t, portrait(295, 413, white, 0), 1)}, spec(t, Photo, "")).Text()
	if !strings.Contains(squeezed, "压缩得太厉害") || strings.Contains(squeezed, "像素太少") {
		t.Errorf("a photo of enough pixels saved at the lowest quality:\n%s", squeezed)
	}
}

// TestPhoneRatioGetsCropAdvice: a phone photo (3:4, 0.75) is wider than
// the ID photo's 5:7 (≈0.714): it is advised, not failed, to crop, and
// the example keeps its full height (4032 × 5/7 = 2880).
func TestPhoneRatioGetsCropAdvice(t *testing.T) {
	t.Parallel()
	r := Check(Input{Data: phonePhoto()}, spec(t, Photo, ""))
	text := r.Text()
	if !r.OK() {
		t.Errorf("a ratio, which is advice, failed the photo:\n%s", text)
	}
	l := lineOf(text, "宽高比")
	if !strings.HasPrefix(l, "⚠️") || !strings.Contains(l, "约 3:4") || !strings.Contains(l, "5:7") {
		t.Errorf("ratio line %q", l)
	}
	if !strings.Contains(text, "裁剪") || !strings.Contains(text, "2880×4032") {
		t.Errorf("no advice to crop:\n%s", text)
	}
	// ID photos at the platform's and at 300 dpi sizes are not advised to crop.
	for _, size := range [][2]int{{295, 413}, {354, 496}, {413, 579}} {
		text := Check(Input{Data: encJPEG(t, portrait(size[0], size[1], white, 0), 90)}, spec(t, Photo, "")).Text()
		if l := lineOf(text, "宽高比"); !strings.HasPrefix(l, "✅") {
			t.Errorf("%d×%d: %q", size[0], size[1], l)
		}
	}
}
