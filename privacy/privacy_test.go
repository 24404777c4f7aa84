package privacy

import (
	"strings"
	"testing"
)

func TestMask(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"plain", "我想问继续教育", "我想问继续教育"},
		{"id card", "我的身份证号是11010519900307123X，帮我查一下", "我的身份证号是110105********123X，帮我查一下"},
		{"id card lower x", "身份证 11010519900307123x", "身份证 110105********123x"},
		{"old id", "440301800101123", "440301*****1123"},
		{"phone", "电话13812345678", "电话138****5678"},
		{"phone with +86", "+86 138-1234-5678 找我", "138****5678 找我"},
		{"phone spaced", "138 1234 5678", "138****5678"},
		{"full width phone", "手机１３８１２３４５６７８", "手机138****5678"},
		{"email", "邮箱 zhang.san@example.com 谢谢", "邮箱 z***@example.com 谢谢"},
		{"two", "13812345678 或 li@qq.com", "138****5678 或 l***@qq.com"},
		{"year not phone", "2023年5月取得中级", "2023年5月取得中级"},
		{"photo pixels", "295×413像素，10KB", "295×413像素，10KB"},
		{"long number not id", "订单号1234567890123456789012", "订单号1234567890123456789012"},
		{"landline not masked as phone", "0755-12345678", "0755-12345678"},
		{"not a mobile", "12345678901", "12345678901"},
		{"bank card", "卡号6222021234567894，户名张三", "卡号6222********7894，户名张三"},
		{"bank card 19 digits spaced", "6217 0000 1001 2345 677 请退款", "6217***********5677 请退款"},
		{"bank card dashes", "4111-1111-1111-1111", "4111********1111"},
		{"random 16 digits not a card", "发票号码1234567890123456", "发票号码1234567890123456"},
		{"random 19 digits not a card", "流水号6217000010012345678", "流水号6217000010012345678"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Mask(tt.in); got != tt.want {
				t.Errorf("Mask(%q) = %q, want %q", tt.in, got, tt.want)
			}
			if got, want := Contains(tt.in), tt.in != tt.want; got != want {
				t.Errorf("Contains(%q) = %v, want %v", tt.in, got, want)
			}
		})
	}
}

func TestFindKinds(t *testing.T) {
	ms := Find("身份证11010519900307123X 手机13812345678 邮箱a@b.cn 卡号5555555555554444")
	var kinds []string
	for _, m := range ms {
		kinds = append(kinds, string(m.Kind))
	}
	if got := strings.Join(kinds, ","); got != "id_card,phone,email,bank_card" {
		t.Fatalf("kinds = %s", got)
	}
}

func FuzzMask(f *testing.F) {
	for _, s := range []string{"13812345678", "11010519900307123X", "a@b.cn", "２０２３年", "+86 138",
		"6222021234567894", "6217 0000 1001 2345 677", "4111-1111-1111-1111 a@b.cn", "1234567890123456",
		"８６２２０２１２３４５６７８９４", "62220212345678941381234567"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		m := Mask(s)
		if Contains(m) {
			t.Fatalf("Mask(%q) = %q still contains an identifier", s, m)
		}
	})
}
