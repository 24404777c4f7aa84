package uploadcheck

import (
	"fmt"
	"unicode/utf8"
)

// tinyBytes is below the size of any real image file: the smallest
// valid JPEG of a photo is some hundreds of bytes, so a smaller file that
// is not a readable image is named as too small to be one.
const tinyBytes = 100

// textWindow is how much of a file looksLikeText reads.
const textWindow = 512

// unreadable says what a file is that image.DecodeConfig cannot read, by
// what its bytes look like, and what to do; format is what sniff found.
// The reason matches the file: a text file is called a text file, not an
// image "compressed too much".
func unreadable(data []byte, format string, s Spec) (measured, fix string) {
	n := fmtBytes(len(data))
	want := "请换成" + s.title() + "的 JPG 图片文件再检查：手机相册里的原图，或用相册、画图软件另存为 JPG 的文件。"
	switch format {
	case "":
		switch {
		case looksLikeText(data):
			return fmt.Sprintf("这是一个文本文件（%s），不是图片", n), want
		case len(data) < tinyBytes:
			return fmt.Sprintf("文件只有 %s，太小了，不可能是一张照片", n), want
		}
		return fmt.Sprintf("无法识别的文件格式（%s），不是能读取的图片", n), want
	case "jpeg", "png", "gif":
		what := formatName(format) + " 文件已损坏或不完整，无法读取"
		if len(data) < tinyBytes {
			what = fmt.Sprintf("%s（只有 %s）", what, n)
		}
		return what, "文件可能没有传完整或已经损坏。请重新导出或重新拍摄，再用原图发送。"
	case "heic":
		return "HEIC 文件，无法读取（苹果手机默认的照片格式）",
			"请先转换为 JPG：在相册里把照片导出为 JPG，或在手机“设置 → 相机 → 格式”里选“兼容性最佳”后重新拍摄。"
	case "pdf":
		return "PDF 文件，不是图片", "请把照片或扫描件导出为 JPG 图片（扫描软件一般可以直接保存为 JPG）再检查。"
	}
	return formatName(format) + " 文件，无法读取", "请先转换为 JPG 格式（相册或画图软件里“另存为 / 导出”选 JPG）后再检查。"
}

// looksLikeText reports whether the start of data is printable UTF-8
// text. A GBK-encoded text file is not recognised and is called a file of
// unknown format, which is still true.
func looksLikeText(data []byte) bool {
	head := data[:min(len(data), textWindow)]
	for len(head) > 0 {
		r, size := utf8.DecodeRune(head)
		if r == utf8.RuneError && size == 1 {
			// A rune cut off by the window is still text.
			return len(head) < utf8.UTFMax && len(data) > textWindow
		}
		if r < 0x20 && r != '\n' && r != '\r' && r != '\t' {
			return false
		}
		head = head[size:]
	}
	return len(data) > 0
}

// title is what the spec checks, for sentences ("证件照").
func (s Spec) title() string {
	if s.Title == "" {
		return "图片"
	}
	return s.Title
}
