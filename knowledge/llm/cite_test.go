package llm

import (
	"strings"
	"testing"

	"github.com/kuaiji/kuaiji/knowledge"
)

func passages(n int) []knowledge.Passage {
	p := make([]knowledge.Passage, n)
	for i := range p {
		p[i].Source = knowledge.Source{ID: string(rune('a' + i))}
	}
	return p
}

func TestRewrite(t *testing.T) {
	tests := []struct{ in, want string }{
		{"甲[2]乙[1]丙[2]", "甲[1]乙[2]丙[1]"},
		{"甲[2][2]乙［3］", "甲[1]乙[2]"},
		{"甲[1、3]乙[3,1]", "甲[1][2]乙[2][1]"},
		{"甲[9]", "甲[9]"},
		{"甲【3】乙[1]", "甲[1]乙[2]"},
		{"数组[ 2 ]", "数组[1]"},
	}
	for _, tt := range tests {
		if got := newCiter(passages(3)).rewrite(tt.in); got != tt.want {
			t.Errorf("rewrite(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestStreamSplits feeds a reply cut at every byte boundary and checks the
// deltas always add up to the final text.
func TestStreamSplits(t *testing.T) {
	reply := "<think>想</think>【资料未涵盖】甲[2]，乙[1][3]。丙［2］"
	want := check(reply, passages(3), nil, "").Text
	for cut := 1; cut < len(reply); cut++ {
		var got strings.Builder
		st := &streamer{passages: passages(3), onDelta: func(d string) { got.WriteString(d) }}
		st.add(reply[:cut])
		st.add(reply[cut:])
		st.emit(true)
		if got.String() != want {
			t.Fatalf("cut %d: streamed %q, final %q", cut, got.String(), want)
		}
	}
}

func TestSentenceBefore(t *testing.T) {
	text := "第一句。深圳市规定：第二句；第三句[1]"
	if got := sentenceBefore(text, strings.Index(text, "[1]")); got != "深圳市规定：第二句；第三句" {
		t.Errorf("got %q", got)
	}
}

// TestCitationLikeTokens: every token a reader would take for a reference
// either names a given passage or rejects the reply; document numbers,
// list items and bracketed words without a number are no references.
func TestCitationLikeTokens(t *testing.T) {
	tests := []struct {
		reply  string
		reject bool
	}{
		{"每年90学分[1]，专业科目[3]。", false},
		{"每年90学分【2】。", false},
		{"每年90学分［1、3］。", false},
		{"依据财会〔2018〕10号，每年90学分[1]。", false},
		{"（1）每年90学分[1]；（2）可以结转[2]。", false},
		{"【注意】每年90学分[1]。", false},
		{"每年90学分[1]。【7】", true},
		{"每年90学分[1][9999]。", true},
		{"每年90学分[1][0]。", true},
		{"每年90学分[12a]。", true},
		{"每年90学分[1 a]。", true},
		{"每年90学分[1]²。", true},
		{"每年90学分[资料1]。", true},
		{"每年90学分[1-2]。", true},
		{"每年90学分[99999999999999999999999]。", true},
	}
	for _, tt := range tests {
		g := check(tt.reply, passages(3), nil, "")
		if got := g.Reject != ""; got != tt.reject {
			t.Errorf("check(%q): reject = %v (%q), want %v", tt.reply, got, g.Reject, tt.reject)
		}
	}
}
