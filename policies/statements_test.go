package policies_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/kuaiji/kuaiji/knowledge"
	"github.com/kuaiji/kuaiji/policies"
)

// replyOpening is a sentence that starts as the answer to a question it
// does not contain: 「不需要，……」, 「是的，……」, 「多数地区不能，……」.
// Passages are quoted to people who asked something else, so such an
// opening reads as a non sequitur.
var replyOpening = regexp.MustCompile(`^(?:多数地区|一般|通常|基本上)?(?:不需要|需要|是的|是|对的|对|可以|不可以|能|不能|不用|不必|不会|会|没有|有|不是|不行|行|当然|要|不要|不一定|必须|须)(?:参加|采集|结转|补学)?[，,。！!；;]`)

func TestPassagesReadAsStatements(t *testing.T) {
	for _, s := range []string{"不需要，湖南规定……", "需要参加。按……", "多数地区不能，要先……", "是的，可以。"} {
		if !replyOpening.MatchString(s) {
			t.Fatalf("the pattern misses the reply opening %q", s)
		}
	}
	for _, s := range []string{"需要信息采集的基本是2类人", "可以自愿参加继续教育的只有……", "是否需要，看的是职称"} {
		if replyOpening.MatchString(s) {
			t.Fatalf("the pattern takes the statement %q for a reply", s)
		}
	}
	co := loadCorpus(t, policies.FS)
	chunks := 0
	for _, d := range co.c.Docs {
		for _, ch := range knowledge.ChunkDocument(d) {
			chunks++
			for _, para := range strings.Split(ch.Text, "\n") {
				if replyOpening.MatchString(strings.TrimSpace(para)) {
					t.Errorf("%s (%s): a passage opens as a reply: %.40s", ch.ID, ch.Section, para)
				}
			}
		}
	}
	if chunks < 100 {
		t.Fatalf("only %d chunks: the corpus did not load", chunks)
	}
	for _, p := range faqFiles(t, policies.FS) {
		list, err := knowledge.LoadFAQ(policies.FS, p)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range list {
			if replyOpening.MatchString(strings.TrimSpace(f.Answer)) {
				t.Errorf("%s %s: the answer opens as a reply (its sentences are also quoted for other questions): %.40s", p, f.ID, f.Answer)
			}
		}
	}
}
