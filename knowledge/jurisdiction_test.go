package knowledge

import "testing"

func TestResolveJurisdictions(t *testing.T) {
	places := builtin(t).Places()
	tests := []struct{ in, want string }{
		{"广东", "guangdong"}, {"粤", "guangdong"}, {"广东省", "guangdong"},
		{"深圳", "shenzhen"}, {"深圳市", "shenzhen"}, {"我在深圳上班", "shenzhen"},
		{"内蒙", "neimenggu"}, {"内蒙古自治区", "neimenggu"}, {"沪", "shanghai"},
		{"xiamen", "xiamen"}, {"广西壮族自治区", "guangxi"},
		// Cities resolve to their province, the 计划单列市 to themselves.
		{"杭州", "zhejiang"}, {"我在太原上班", "shanxi"}, {"宁波", "ningbo"}, {"广州", "guangdong"},
		{"从成都调到深圳", "sichuan"},
	}
	for _, tt := range tests {
		j, ok := places.Resolve(tt.in)
		if !ok || j.Code != tt.want {
			t.Errorf("Resolve(%q) = %q, %v; want %q", tt.in, j.Code, ok, tt.want)
		}
	}
	for _, bad := range []string{"", "火星", "新入职"} {
		if j, ok := places.Resolve(bad); ok {
			t.Errorf("Resolve(%q) = %q, want no match", bad, j.Code)
		}
	}
	if len(places.All()) != 36 {
		t.Errorf("%d jurisdictions, want 36", len(places.All()))
	}
}

func TestMentionsLongestFirstInOrder(t *testing.T) {
	m := builtin(t).Places().Mentions("从深圳调到广东省广州，再去青岛")
	var got []string
	for _, j := range m {
		got = append(got, j.Code)
	}
	want := []string{"shenzhen", "guangdong", "qingdao"}
	if len(got) != len(want) {
		t.Fatalf("Mentions = %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("Mentions = %v, want %v", got, want)
		}
	}
}

// TestAbbreviationStandingAlone: a one-character abbreviation set off by
// spaces or punctuation names its place; inside words it does not.
func TestAbbreviationStandingAlone(t *testing.T) {
	places := builtin(t).Places()
	tests := []struct{ text, want string }{
		{"豫 继续教育在哪个网站学", "henan"},
		{"渝，网校一年收多少钱", "chongqing"},
		{"继续教育要多少分（粤）", "guangdong"},
		{"新的规定出来了吗", ""},
		{"青年会计要采集吗", ""},
		{"苏州会计去哪学继续教育", "jiangsu"},
		{"甬，网校有几家", "ningbo"},
		// Idioms that contain a city's name are no place.
		{"各地规定大同小异吗", ""},
	}
	for _, tt := range tests {
		got := ""
		if m := places.Mentions(tt.text); len(m) > 0 {
			got = m[0].Code
		}
		if got != tt.want {
			t.Errorf("Mentions(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}

func TestSuggestForUnknownPlace(t *testing.T) {
	sug := builtin(t).Places().Suggest("广冬", 3)
	if len(sug) == 0 || sug[0].Code != "guangdong" {
		t.Errorf("Suggest(广冬) = %v, want 广东 first", sug)
	}
}
