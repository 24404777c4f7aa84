package flows_test

import (
	"strings"
	"testing"
	"time"

	"github.com/kuaiji/kuaiji/flows"
)

func TestParseYesNo(t *testing.T) {
	for _, tt := range []struct {
		in      string
		yes, ok bool
	}{
		{"是", true, true}, {"是的", true, true}, {"对", true, true}, {"有", true, true}, {"嗯", true, true},
		{"yes", true, true}, {"YES", true, true}, {" 是！", true, true}, {"是，我在单位做出纳", true, true},
		{"否", false, true}, {"不是", false, true}, {"没有", false, true}, {"无", false, true}, {"no", false, true},
		{"不是的，我在读书", false, true}, {"没有呢", false, true}, {"ｎｏ", false, true},
		{"", false, false}, {"不知道", false, false}, {"是否需要采集", false, false}, {"有没有要求", false, false},
		{"广东", false, false}, {"不清楚", false, false},
	} {
		yes, ok := flows.ParseYesNo(tt.in)
		if yes != tt.yes || ok != tt.ok {
			t.Errorf("ParseYesNo(%q) = %v, %v; want %v, %v", tt.in, yes, ok, tt.yes, tt.ok)
		}
	}
}

func TestParseLevel(t *testing.T) {
	for in, want := range map[string]string{
		"初级": flows.LevelJunior, "助理会计师": flows.LevelJunior, "初级会计职称": flows.LevelJunior, "初会": flows.LevelJunior,
		"中级": flows.LevelIntermediate, "会计师": flows.LevelIntermediate, "中级会计师": flows.LevelIntermediate,
		"高级": flows.LevelSenior, "高级会计师": flows.LevelSenior, "副高": flows.LevelSenior,
		"正高级": flows.LevelProfessor, "正高级会计师": flows.LevelProfessor,
		"无": flows.LevelNone, "没有": flows.LevelNone, "没有职称": flows.LevelNone, "无职称": flows.LevelNone,
		"我是中级": flows.LevelIntermediate, "junior": flows.LevelJunior,
		"注册会计师": "", "会计证": "", "从业资格证": "", "广东": "", "": "",
	} {
		got, ok := flows.ParseLevel(in)
		if got != want || ok != (want != "") {
			t.Errorf("ParseLevel(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
}

func TestParseDate(t *testing.T) {
	for in, want := range map[string]flows.Month{
		"2023年5月": {2023, time.May}, "2023年05月": {2023, time.May}, "2023-05": {2023, time.May},
		"2023.5": {2023, time.May}, "2023/05/10": {2023, time.May}, "202305": {2023, time.May},
		"23年5月": {2023, time.May}, "2023年": {2023, 0}, "2023年5月10日": {2023, time.May}, "大约2019年3月左右": {2019, time.March},
		"２０２３年５月": {2023, time.May}, "2020": {2020, 0},
	} {
		got, ok := flows.ParseDate(in)
		if !ok || got != want {
			t.Errorf("ParseDate(%q) = %v, %v; want %v", in, got, ok, want)
		}
	}
	for _, in := range []string{"", "2023年13月", "1800年1月", "去年", "2023-00", "5月", "2023-05-40", "20231", "1800"} {
		if got, ok := flows.ParseDate(in); ok {
			t.Errorf("ParseDate(%q) = %v, want no parse", in, got)
		}
	}
}

func TestParsePlace(t *testing.T) {
	p := newFakePlaces()
	for in, want := range map[string]string{
		"广东": "guangdong", "粤": "guangdong", "广东省": "guangdong", "深圳": "shenzhen", "深圳市": "shenzhen",
		"我在深圳": "shenzhen", "内蒙": "neimenggu", "内蒙古自治区": "neimenggu", " 厦门 ": "xiamen", "guangdong": "guangdong",
	} {
		if got, ok := flows.ParsePlace(p, in); !ok || got.Code != want {
			t.Errorf("ParsePlace(%q) = %+v, %v; want %s", in, got, ok, want)
		}
	}
	for _, in := range []string{"", "火星", "广州"} {
		if got, ok := flows.ParsePlace(p, in); ok {
			t.Errorf("ParsePlace(%q) = %+v, want no parse", in, got)
		}
	}
}

func TestLooksLikeQuestion(t *testing.T) {
	for in, want := range map[string]bool{
		"继续教育每年要多少学分？": true, "广东怎么采集": true, "需要采集吗": true, "是": false, "中级": false,
		"2023年5月": false, "不是的": false, "我在单位做出纳": false,
	} {
		if got := flows.LooksLikeQuestion(in); got != want {
			t.Errorf("LooksLikeQuestion(%q) = %v", in, got)
		}
	}
}

func FuzzYesNo(f *testing.F) {
	for _, s := range []string{"是", "不是", "没有", "yes", "是否", "有没有", "嗯嗯", "不知道"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		yes, ok := flows.ParseYesNo(s)
		if !ok && yes {
			t.Fatalf("ParseYesNo(%q): yes without ok", s)
		}
		if y2, ok2 := flows.ParseYesNo(" " + s + "。"); y2 != yes || ok2 != ok {
			t.Fatalf("ParseYesNo(%q) = %v,%v but with padding %v,%v", s, yes, ok, y2, ok2)
		}
	})
}

func FuzzLevel(f *testing.F) {
	for _, s := range []string{"初级", "助理会计师", "会计师", "高级会计师", "正高级", "无", "注册会计师", "中级职称"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		l, ok := flows.ParseLevel(s)
		if !ok {
			return
		}
		name, known := flows.LevelNames[l]
		if !known {
			t.Fatalf("ParseLevel(%q) = unknown level %q", s, l)
		}
		if back, _ := flows.ParseLevel(name); back != l {
			t.Fatalf("level %s named %s parses as %s", l, name, back)
		}
	})
}

func FuzzPlace(f *testing.F) {
	for _, s := range []string{"广东", "粤", "深圳市", "我在内蒙", "火星", "guangdong", "广东深圳"} {
		f.Add(s)
	}
	p := newFakePlaces()
	codes := map[string]bool{}
	for _, pl := range p.list {
		codes[pl.Code] = true
	}
	f.Fuzz(func(t *testing.T, s string) {
		pl, ok := flows.ParsePlace(p, s)
		if !ok {
			return
		}
		if !codes[pl.Code] {
			t.Fatalf("ParsePlace(%q) = unknown %q", s, pl.Code)
		}
		if back, ok := flows.ParsePlace(p, pl.Name); !ok || back.Code != pl.Code {
			t.Fatalf("name %s of %s parses as %+v", pl.Name, pl.Code, back)
		}
	})
}

func FuzzDate(f *testing.F) {
	for _, s := range []string{"2023年5月", "2023-05", "23年5月", "2023.5", "202305", "2023年13月", "1899-01"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		m, ok := flows.ParseDate(s)
		if !ok {
			return
		}
		if m.Year < 1950 || m.Year > 2100 || m.Month < 0 || m.Month > 12 {
			t.Fatalf("ParseDate(%q) = %v out of range", s, m)
		}
		if m.Month == 0 {
			return
		}
		for _, form := range []string{m.String(), m.Code()} {
			if back, ok := flows.ParseDate(form); !ok || back != m {
				t.Fatalf("%v formatted as %q parses as %v", m, form, back)
			}
		}
		if !strings.Contains(m.String(), "年") {
			t.Fatal("String lacks 年")
		}
	})
}
