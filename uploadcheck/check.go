package uploadcheck

import (
	"bytes"
	"fmt"
	"image"
	_ "image/gif" // decoders for what people send besides JPEG
	_ "image/jpeg"
	_ "image/png"
	"math"
	"strings"
)

// Safety caps, not policy: they protect the process, whatever the rules.
const (
	// MaxFileBytes is the largest file checked; Telegram refuses larger
	// ones before downloading them.
	MaxFileBytes = 10 << 20
	// MaxPixels is the largest image decoded. The header is read first
	// (image.DecodeConfig), so a small file claiming 20000×20000 pixels
	// (a decompression bomb) is refused without allocating its pixels.
	MaxPixels = 30_000_000
	// MaxRatio is the most elongated image measured; a 1×30,000,000
	// strip would otherwise defeat the reduction to a small working copy.
	MaxRatio = 20
	// MaxPixelsPerByte bounds how many pixels each byte of the file may
	// claim. Real photos hold one byte per few dozen pixels and even a
	// one-colour JPEG about one per thousand; a tiny file claiming
	// megapixels is a bomb that would make the decoder allocate them.
	MaxPixelsPerByte = 1000
)

// Outcome is the result of one check.
type Outcome int

// The outcomes. A rule that is not [Verified] never fails: it warns.
const (
	Pass Outcome = iota
	Fail
	Warn
)

// Verdict is the result of one check, with what was measured, the limit
// and how to fix a failure.
type Verdict struct {
	Check    string // format, min_bytes, max_bytes, min_width, min_height, aspect, background, sharpness, edges, orientation, file
	Name     string // what users read: 格式, 文件大小…
	Outcome  Outcome
	Measured string
	Limit    string
	Fix      string
	Basis    Basis
}

// Input is a file to check.
type Input struct {
	Data []byte
	// Compressed says the file came through Telegram as a photo, which
	// Telegram re-encodes and shrinks: the fix is then to send the
	// original as a file.
	Compressed bool
}

// Report is the result of checking one file.
type Report struct {
	Spec          Spec
	Bytes         int
	Format        string // by content: jpeg, png… ("" when unknown)
	Width, Height int
	Verdicts      []Verdict
}

// OK reports whether no official rule failed.
func (r Report) OK() bool {
	for _, v := range r.Verdicts {
		if v.Outcome == Fail {
			return false
		}
	}
	return true
}

// Failed is the number of failed official rules.
func (r Report) Failed() int {
	n := 0
	for _, v := range r.Verdicts {
		if v.Outcome == Fail {
			n++
		}
	}
	return n
}

// outcome is Fail for a broken verified rule and Warn for any other.
func outcome(ok bool, b Basis) Outcome {
	switch {
	case ok:
		return Pass
	case b.Official():
		return Fail
	}
	return Warn
}

// Check checks in.Data against spec. It never keeps the data: the decoded
// image is dropped when it returns.
func Check(in Input, spec Spec) Report {
	r := Report{Spec: spec, Bytes: len(in.Data), Format: sniff(in.Data)}
	refuse := func(measured, fix string) Report {
		r.Verdicts = append(r.Verdicts, Verdict{Check: "file", Name: "文件", Outcome: Fail, Measured: measured, Fix: fix,
			Basis: Basis{Status: Verified}})
		return r
	}
	switch {
	case len(in.Data) == 0:
		return refuse("空文件（0 字节）", "文件是空的，请重新导出或重新拍摄后再发送。")
	case len(in.Data) > MaxFileBytes:
		return refuse(fmtBytes(len(in.Data)), "文件超过 10MB，无法检查。请先压缩或缩小尺寸。")
	}
	cfg, _, err := image.DecodeConfig(bytes.NewReader(in.Data))
	if err != nil {
		// Nothing else is measured on a file that is not a readable image,
		// so no size or format advice can blame compression or an
		// extension for it: one line names what the file is.
		return refuse(unreadable(in.Data, r.Format, spec))
	}
	r.Verdicts = append(r.Verdicts, checkFormat(r.Format, spec)...)
	r.Verdicts = append(r.Verdicts, checkBytes(len(in.Data), spec, in.Compressed, fewPixels(cfg.Width, cfg.Height, spec))...)
	r.Width, r.Height = cfg.Width, cfg.Height
	if cfg.Width <= 0 || cfg.Height <= 0 || int64(cfg.Width)*int64(cfg.Height) > MaxPixels {
		return refuse(fmt.Sprintf("%d×%d 像素", cfg.Width, cfg.Height),
			"图片像素数异常（超过 3000 万像素），为安全起见不予解码。请缩小尺寸后再发送。")
	}
	if int64(cfg.Width)*int64(cfg.Height) > MaxPixelsPerByte*int64(len(in.Data)) {
		return refuse(fmt.Sprintf("%d×%d 像素，文件只有 %s", cfg.Width, cfg.Height, fmtBytes(len(in.Data))),
			"图片标明的像素数与文件大小不符，文件可能已损坏。请重新导出后再发送。")
	}
	if max(cfg.Width, cfg.Height) > MaxRatio*min(cfg.Width, cfg.Height) {
		return refuse(fmt.Sprintf("%d×%d 像素", cfg.Width, cfg.Height),
			"图片长宽比例异常，不像证件照或证件扫描件。请裁剪后再发送。")
	}
	r.Verdicts = append(r.Verdicts, checkPixels(cfg.Width, cfg.Height, spec, in.Compressed)...)
	r.Verdicts = append(r.Verdicts, checkAspect(cfg.Width, cfg.Height, spec)...)
	if r.Format == "jpeg" {
		r.Verdicts = append(r.Verdicts, checkOrientation(exifOrientation(in.Data), spec)...)
	}

	if cost, what := estimate(in.Data); cost > MaxDecodeBytes {
		return refuse(fmt.Sprintf("%s，%d×%d 像素，解码约需 %d MB 内存", what, cfg.Width, cfg.Height, cost>>20),
			fmt.Sprintf("这张图片解码所需的内存超过 %d MB 的安全上限，为安全起见没有解码，清晰度、背景等项目未检查。请导出为普通的 JPG"+
				"（8 位色深、非渐进式）后再发送；证件照一般只需几十 KB。", MaxDecodeBytes>>20))
	}
	img, _, err := image.Decode(bytes.NewReader(in.Data))
	if err != nil {
		return refuse("图片数据不完整或已损坏", "文件可能没有传完整或已经损坏。请重新导出、重新拍摄，或用原图重新发送。")
	}
	p := reduce(img)
	img = nil
	r.Verdicts = append(r.Verdicts, checkSharpness(p, spec)...)
	r.Verdicts = append(r.Verdicts, checkBackground(p, spec)...)
	r.Verdicts = append(r.Verdicts, checkEdges(p, spec)...)
	r.Verdicts = append(r.Verdicts, checkSkew(p, spec)...)
	return r
}

// checkOrientation warns about an EXIF rotation tag: the phone shows the
// photo upright by it, but an upload page that ignores it shows the
// pixels as they are stored.
func checkOrientation(o int, s Spec) []Verdict {
	rule := s.Orientation
	if rule == nil {
		return nil
	}
	v := Verdict{Check: "orientation", Name: "方向", Outcome: outcome(o <= 1, rule.Basis),
		Measured: "在手机、电脑和网页上显示一致", Basis: rule.Basis}
	if o > 1 {
		shown := "横倒"
		switch o {
		case 2, 4:
			shown = "翻转（镜像）"
		case 3:
			shown = "倒过来"
		}
		v.Measured = "照片带有“旋转”信息，有些上传页面会把它显示成" + shown + "的样子"
		v.Fix = "请把照片转正后另存为一份新的 JPG 再上传（证件照软件或电脑上的图片编辑软件一般都能做到），上传后看一眼预览是否正立。"
	}
	return []Verdict{v}
}

// checkSharpness flags a blurred image by the variance of the Laplacian
// (of the face area for a photo, of the whole page for a scan). The number
// is ours and means nothing to the person reading, so the verdict says
// only what it suggests: sharp, perhaps soft, or clearly blurred.
func checkSharpness(p *plane, s Spec) []Verdict {
	rule := s.Sharpness
	if rule == nil {
		return nil
	}
	area := image.Rect(0, 0, p.w, p.h)
	if s.Kind == Photo {
		area = p.centre()
	}
	o, basis := rule.judge(p.laplacianVar(area))
	v := Verdict{Check: "sharpness", Name: "清晰度", Outcome: o, Measured: "照片清晰", Basis: basis}
	const estimate = "清晰度是我们按图片自动估计的，平台没有公布具体的数值标准，仅供参考。"
	switch {
	case s.Kind == Scan:
		v.Measured = "文字清楚"
		if o != Pass {
			v.Measured = "文字可能看不清"
			v.Fix = "请重新扫描或拍摄：扫描分辨率 300dpi 以上，拍照时对准焦点、手机拿稳、光线充足。" + estimate
		}
	case o == Fail:
		v.Measured, v.Limit = "照片明显模糊", "照片清晰，平台不收模糊的照片"
		v.Fix = "请在光线充足的地方对焦后重新拍摄，不要用放大后的截图或翻拍的照片。模糊程度是我们估计的，最终以平台审核为准。"
	case o == Warn:
		v.Measured = "照片可能有些模糊"
		v.Fix = estimate + "如果放大后五官和发丝都看得清，可以上传；否则建议在光线充足的地方对焦后重新拍摄。"
	}
	return []Verdict{v}
}

// checkBackground checks that a portrait's background is one even colour
// of those allowed.
func checkBackground(p *plane, s Spec) []Verdict {
	rule := s.Background
	if rule == nil || s.Kind != Photo {
		return nil
	}
	name, spread := p.background()
	allowed := false
	var names []string
	for _, c := range rule.Colors {
		names = append(names, colorNames[c])
		allowed = allowed || c == name
	}
	even := spread <= rule.MaxSpread
	v := Verdict{Check: "background", Name: "背景", Outcome: outcome(allowed && even, rule.Basis),
		Measured: colorNames[name], Limit: "纯" + strings.Join(names, "、") + "背景", Basis: rule.Basis}
	if !even {
		v.Measured += "，不够均匀"
	}
	switch {
	case !allowed:
		v.Fix = "请在纯" + strings.Join(names, "、") + "的背景前重拍，或用证件照软件换底色。"
	case !even:
		v.Fix = "背景不够干净。请站在纯色墙面或背景布前重拍，避免阴影、杂物和渐变。"
	}
	return []Verdict{v}
}

// checkEdges flags a scan whose content touches the border.
func checkEdges(p *plane, s Spec) []Verdict {
	rule := s.Edges
	if rule == nil {
		return nil
	}
	touch := p.edgeTouch()
	var sides []string
	for i, t := range touch {
		if t > rule.MaxTouch {
			sides = append(sides, sideNames[i])
		}
	}
	v := Verdict{Check: "edges", Name: "边缘完整", Outcome: outcome(len(sides) == 0, rule.Basis),
		Measured: "四边留白", Limit: "证件四边完整，四周留白", Basis: rule.Basis}
	if len(sides) > 0 {
		v.Measured = strings.Join(sides, "、") + "边的内容贴到了边上，或带进了深色背景"
		v.Fix = "证件可能被裁掉了一部分，或带进了桌面等背景。请把证件完整放进画面、四周留白，再裁掉多余的背景。"
	}
	return []Verdict{v}
}

// checkSkew flags a scan whose text lines are tilted.
func checkSkew(p *plane, s Spec) []Verdict {
	rule := s.Orientation
	if rule == nil || rule.MaxSkew == 0 {
		return nil
	}
	deg, ok := p.skew()
	if !ok {
		return nil // too little structure to tell
	}
	v := Verdict{Check: "skew", Name: "摆正", Outcome: outcome(math.Abs(deg) <= rule.MaxSkew, rule.Basis),
		Measured: fmt.Sprintf("倾斜约 %.0f°", math.Abs(deg)), Limit: fmt.Sprintf("倾斜不超过 %g°", rule.MaxSkew), Basis: rule.Basis}
	if v.Outcome != Pass {
		v.Fix = "扫描件是歪的。请把证件放正、贴紧扫描仪玻璃重新扫描，或用手机扫描类应用自动摆正后再导出。"
	}
	return []Verdict{v}
}

var formatNames = map[string]string{
	"jpeg": "JPG", "png": "PNG", "gif": "GIF", "webp": "WebP", "heic": "HEIC", "bmp": "BMP", "tiff": "TIFF", "pdf": "PDF",
}

func formatName(f string) string {
	if n := formatNames[f]; n != "" {
		return n
	}
	return "未知格式"
}

var colorNames = map[string]string{"white": "白色", "blue": "蓝色", "red": "红色", "grey": "灰色", "other": "其他颜色", "": "无法判断"}

// fmtBytes writes a size the way the rules do: 10KB, 8.2KB, 1.5MB.
func fmtBytes(n int) string {
	switch {
	case n < 1024:
		return fmt.Sprintf("%d 字节", n)
	case n < 1<<20:
		return strings.TrimSuffix(fmt.Sprintf("%.1f", float64(n)/1024), ".0") + "KB"
	}
	return strings.TrimSuffix(fmt.Sprintf("%.1f", float64(n)/(1<<20)), ".0") + "MB"
}
