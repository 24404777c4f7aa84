package uploadcheck

import (
	"fmt"
	"math"
	"strings"
)

// The checks of what the file and its pixels are: format, file size,
// pixel size and the ID-photo ratio. They need only the header.

// checkFormat compares the format found in the bytes with the allowed
// ones; a renamed PNG is still a PNG.
func checkFormat(format string, s Spec) []Verdict {
	rule := s.Format
	if rule == nil {
		return nil
	}
	var names []string
	ok := false
	for _, f := range rule.Allowed {
		names = append(names, formatName(f))
		ok = ok || f == format
	}
	v := Verdict{Check: "format", Name: "格式", Outcome: outcome(ok, rule.Basis), Measured: formatName(format),
		Limit: strings.Join(names, " 或 "), Basis: rule.Basis}
	if !ok {
		v.Fix = "文件实际是 " + formatName(format) + " 格式（只改扩展名不算）。请在相册或画图软件里用“另存为 / 导出”保存为 JPG。"
		if format == "" {
			v.Fix = "无法识别文件格式。请用相册或画图软件重新导出为 JPG。"
		}
	}
	return []Verdict{v}
}

// checkBytes compares the file size with the limits. small says the
// image has too few pixels, which then explains a small file better than
// compression does.
func checkBytes(n int, s Spec, compressed, small bool) []Verdict {
	var out []Verdict
	if rule := s.MinBytes; rule != nil {
		v := Verdict{Check: "min_bytes", Name: "文件大小", Outcome: outcome(n >= rule.Value, rule.Basis),
			Measured: fmtBytes(n), Limit: "不小于 " + fmtBytes(rule.Value), Basis: rule.Basis}
		switch {
		case v.Outcome == Pass:
		case compressed:
			v.Fix = "请用原图发送（以文件形式），不要压缩：以“照片”方式发送时 Telegram 会压缩图片。"
		case small:
			v.Fix = "图片本身像素太少，文件自然也小。换成像素够的原图后，文件大小一般就够了。"
		default:
			v.Fix = "像素够了，文件却太小，多半是保存时压缩得太厉害。请用原图，或导出时把画质调高。"
		}
		out = append(out, v)
	}
	if rule := s.MaxBytes; rule != nil {
		v := Verdict{Check: "max_bytes", Name: "文件大小", Outcome: outcome(n <= rule.Value, rule.Basis),
			Measured: fmtBytes(n), Limit: "不超过 " + fmtBytes(rule.Value), Basis: rule.Basis}
		if v.Outcome != Pass {
			v.Fix = "请压缩到 " + fmtBytes(rule.Value) + " 以内：导出时降低画质，或把尺寸缩小（不要低于最小像素要求）。"
		}
		out = append(out, v)
	}
	return out
}

// fewPixels reports whether w×h is below a minimum of s.
func fewPixels(w, h int, s Spec) bool {
	if r := s.MinWidth; r != nil {
		if got, _ := r.side(w, h); got < r.Value {
			return true
		}
	}
	return s.MinHeight != nil && h < s.MinHeight.Value
}

// side is the side of a w×h image a width minimum applies to, and its name.
func (r *IntRule) side(w, h int) (int, string) {
	if r.ShortSide {
		return min(w, h), "短边"
	}
	return w, "宽度"
}

// checkPixels compares the pixel size with the minimums.
func checkPixels(w, h int, s Spec, compressed bool) []Verdict {
	var out []Verdict
	fix := "像素不够。请用原图或重新拍摄，不要用截图或从聊天记录里另存的图片。"
	if s.Kind == Scan {
		fix = "分辨率不够，小字会看不清。请用扫描仪以 300dpi 以上重新扫描，或用手机正对证件、铺满画面重新拍摄。"
	}
	if compressed {
		fix = "请用原图发送（以文件形式），不要压缩：以“照片”方式发送时 Telegram 会缩小图片。"
	}
	if rule := s.MinWidth; rule != nil {
		got, what := rule.side(w, h)
		v := Verdict{Check: "min_width", Name: "像素" + what, Outcome: outcome(got >= rule.Value, rule.Basis),
			Measured: fmt.Sprintf("%d 像素", got), Limit: fmt.Sprintf("不低于 %d 像素", rule.Value), Basis: rule.Basis}
		if v.Outcome != Pass {
			v.Fix = fix
		}
		out = append(out, v)
	}
	if rule := s.MinHeight; rule != nil {
		v := Verdict{Check: "min_height", Name: "像素高度", Outcome: outcome(h >= rule.Value, rule.Basis),
			Measured: fmt.Sprintf("%d 像素", h), Limit: fmt.Sprintf("不低于 %d 像素", rule.Value), Basis: rule.Basis}
		if v.Outcome != Pass {
			v.Fix = fix
		}
		out = append(out, v)
	}
	return out
}

// checkAspect compares width:height with the ID-photo ratio of the
// rules, in words: "约 3:4，比证件照宽", not 0.75 against 0.71.
func checkAspect(w, h int, s Spec) []Verdict {
	rule := s.Aspect
	if rule == nil {
		return nil
	}
	want := rule.Width / rule.Height
	got := float64(w) / float64(h)
	name := ratio(rule.Width, rule.Height)
	v := Verdict{Check: "aspect", Name: "宽高比", Outcome: outcome(math.Abs(got-want)/want <= rule.Tolerance, rule.Basis),
		Measured: "符合证件照比例", Limit: fmt.Sprintf("%s，即 %gmm×%gmm", name, rule.Width, rule.Height), Basis: rule.Basis}
	if v.Outcome == Pass {
		return []Verdict{v}
	}
	shape := "比证件照宽"
	switch {
	case w > h:
		shape = "横向，证件照应为竖版"
	case got < want:
		shape = "比证件照瘦长"
	}
	if c := commonRatio(got); c != "" {
		v.Measured = "约 " + c + "，" + shape
	} else {
		v.Measured = shape
	}
	// The example keeps as much of this photo as the ratio allows, so a
	// phone photo is told to trim its sides, not to shrink to the minimum.
	cw, ch := w, int(math.Round(float64(w)/want))
	if got > want {
		cw, ch = int(math.Round(float64(h)*want)), h
	}
	v.Fix = "建议按 " + name + " 的比例裁剪成竖版证件照"
	switch {
	case !fewPixels(cw, ch, s) && w <= h:
		v.Fix += fmt.Sprintf("，例如裁成 %d×%d 像素", cw, ch)
	case s.MinWidth != nil && s.MinHeight != nil:
		v.Fix += fmt.Sprintf("，例如 %d×%d 像素", s.MinWidth.Value, s.MinHeight.Value)
	}
	v.Fix += "，头像居中，头顶上方留一点空白。"
	if w > h {
		v.Fix += "照片现在是横向的，请确认没有被旋转。"
	}
	return []Verdict{v}
}

// commonRatios are the shapes people know photos by: a phone's 3:4, a
// square, the ID photo's 5:7.
var commonRatios = []struct {
	w, h float64
	name string
}{
	{1, 1, "1:1"}, {5, 7, "5:7"}, {3, 4, "3:4"}, {2, 3, "2:3"}, {4, 5, "4:5"}, {9, 16, "9:16"},
	{4, 3, "4:3"}, {3, 2, "3:2"}, {5, 4, "5:4"}, {16, 9, "16:9"},
}

// commonRatio names the common ratio within 1.5% of r, or "".
func commonRatio(r float64) string {
	for _, c := range commonRatios {
		if want := c.w / c.h; math.Abs(r-want)/want <= 0.015 {
			return c.name
		}
	}
	return ""
}

// ratio writes 25×35 as "5:7"; non-integer sides are written as given.
func ratio(w, h float64) string {
	a, b := int(w), int(h)
	if float64(a) != w || float64(b) != h || a <= 0 || b <= 0 {
		return fmt.Sprintf("%g:%g", w, h)
	}
	x, y := a, b
	for y != 0 {
		x, y = y, x%y
	}
	return fmt.Sprintf("%d:%d", a/x, b/x)
}
