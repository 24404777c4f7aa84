package extract

import "testing"

func TestNormalize(t *testing.T) {
	tests := []struct{ in, want string }{
		{"  a \t b\n\nc  ", "a b c"},
		{"会 计 人 员", "会计人员"},
		{"会计 ， 人员 。", "会计，人员。"},
		{"使用 Excel 软件", "使用 Excel 软件"},
		{"2024 年 1 月", "2024 年 1 月"},
		{"（一） 基本原则", "（一）基本原则"},
		{"“会计” 人员", "“会计”人员"},
		{"ひらがな カタカナ", "ひらがなカタカナ"},
		{"회계 담당자", "회계 담당자"}, // Korean separates words
		{"全角\u3000空格", "全角空格"},
		{"no\u00a0break\u2003space", "no break space"},
		{"zero\u200bwidth soft\u00adhyphen", "zerowidth softhyphen"},
		{"ctrl\x00\x07char", "ctrl char"},
		{"会计⼈员的⽇常⼯作", "会计人员的日常工作"}, // Kangxi radicals from a browser's PDF
		{"⾦額 \uf90a", "金額金"},       // a compatibility ideograph
		{"", ""},
	}
	for _, tt := range tests {
		if got := normalize(tt.in); got != tt.want {
			t.Errorf("normalize(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestDecodeText(t *testing.T) {
	tests := []struct {
		name string
		in   []byte
		want string
	}{
		{"utf-8", []byte("会计"), "会计"},
		{"utf-8 bom", []byte("\xef\xbb\xbf会计"), "会计"},
		{"gbk", []byte{0xbb, 0xe1, 0xbc, 0xc6}, "会计"},
		{"utf-16le bom", []byte{0xff, 0xfe, 0x1a, 0x4f, 0xa1, 0x8b}, "会计"},
		{"utf-16be bom", []byte{0xfe, 0xff, 0x4f, 0x1a, 0x8b, 0xa1}, "会计"},
	}
	for _, tt := range tests {
		if got := decodeText(tt.in); got != tt.want {
			t.Errorf("%s: decodeText = %q, want %q", tt.name, got, tt.want)
		}
	}
}
