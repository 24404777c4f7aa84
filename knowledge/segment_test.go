package knowledge

import (
	"slices"
	"testing"
)

func TestTokens(t *testing.T) {
	seg := DefaultSegmenter()
	tests := []struct {
		in      string
		want    []string
		wantNot []string
	}{
		{"我在公司做出纳，要不要采集", []string{"出纳", "采集"}, []string{"做出", "纳", "要不要", "不要"}},
		{"会计信息采集怎么弄", []string{"会计信息采集", "采集"}, []string{"怎么"}},
		{"继续教肓要多少学份", []string{"继续教育", "学分"}, []string{"教肓", "学份"}},
		{"ＡＵＳＭ平台网址", []string{"ausm", "平台", "网址"}, nil},
		{"公需课和专业课", []string{"公需课", "专业课"}, []string{"和"}},
	}
	for _, tt := range tests {
		got := seg.Tokens(tt.in)
		for _, w := range tt.want {
			if !slices.Contains(got, w) {
				t.Errorf("Tokens(%q) = %q, missing %q", tt.in, got, w)
			}
		}
		for _, w := range tt.wantNot {
			if slices.Contains(got, w) {
				t.Errorf("Tokens(%q) = %q, should not contain %q", tt.in, got, w)
			}
		}
	}
}

func TestBigramsSkipNonHan(t *testing.T) {
	got := Bigrams("学分90个，调转")
	want := []string{"学分", "调转"}
	if !slices.Equal(got, want) {
		t.Errorf("Bigrams = %q, want %q", got, want)
	}
}

func TestExpandSynonyms(t *testing.T) {
	terms := expand([]string{"会计证", "继教"}, "会计证和继教")
	for _, w := range []string{"会计从业资格证书", "继续教育"} {
		if terms[w] == 0 || terms[w] >= 1 {
			t.Errorf("expand: %q weight %v, want a synonym weight in (0,1)", w, terms[w])
		}
	}
	if terms["会计证"] != 1 {
		t.Errorf("expand: the typed word keeps weight 1, got %v", terms["会计证"])
	}
}

func TestLocalEmbedderDeterministicAndNormalised(t *testing.T) {
	seg := DefaultSegmenter()
	a, b := seg.vector("继续教育学分"), seg.vector("继续教育学分")
	if !slices.Equal(a, b) {
		t.Fatal("same text, different vectors")
	}
	if n := cosine(a, a); n < 0.999 || n > 1.001 {
		t.Errorf("|v|² = %v, want 1", n)
	}
	near := cosine(seg.vector("继续教育每年多少学分"), seg.vector("继教一年要修几个学分"))
	far := cosine(seg.vector("继续教育每年多少学分"), seg.vector("身份证正反面都要上传"))
	if near <= far {
		t.Errorf("paraphrase similarity %.3f not above unrelated %.3f", near, far)
	}
	if v := seg.vector(""); cosine(v, v) == 0 {
		t.Error("empty text must not give a zero vector")
	}
}

// Credits said as points are credits; minutes stay minutes.
func TestCreditsAsPoints(t *testing.T) {
	for in, want := range map[string]string{
		"去年多学了三十分，能挪到今年用吗": "去年多学了三十学分，能挪到今年用吗",
		"学够了90分":   "学够了90学分",
		"每天刷十分钟网课": "每天刷十分钟网课",
		"考了60分":    "考了60分",
	} {
		if got := Normalize(in); got != want {
			t.Errorf("Normalize(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestIntentionIsNoSubject: words of intention and worry in a question
// ("今年打算报考初级", "有点慌") are never what it asks about, however rare
// the FAQ's phrasings make them; the subject's words are.
func TestIntentionIsNoSubject(t *testing.T) {
	seg := builtin(t).seg
	for _, w := range []string{"打算", "计划", "想要"} {
		if _, incidental := seg.role(w); !incidental {
			t.Errorf("%s may be a key word", w)
		}
	}
	for _, w := range []string{"报考", "调入", "出纳"} {
		if _, incidental := seg.role(w); incidental {
			t.Errorf("%s is taken for an everyday word", w)
		}
	}
	for _, w := range []string{"有点慌", "着急", "担心"} {
		if slices.Contains(seg.Tokens("继续教育没学完会怎么样 "+w), w) {
			t.Errorf("%s is kept as a word of the question", w)
		}
	}
}
