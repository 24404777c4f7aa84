package knowledge

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/kuaiji/kuaiji/policies"
)

// ownIndex is an index of the embedded corpus of its own, for tests that
// change its help-desk entries; they run in parallel.
func ownIndex(t testing.TB) *Index {
	t.Helper()
	c, err := LoadCorpus(policies.FS)
	if err != nil {
		t.Fatal(err)
	}
	ix, _, err := Open(context.Background(), c, Options{})
	if err != nil {
		t.Fatal(err)
	}
	return ix
}

var invoiceEntry = DeskFAQ{
	FAQ: FAQ{ID: "desk-3", Question: "继续教育发票怎么开？", Variants: []string{"继教交完钱发票在哪开"},
		Answer: "缴费后可以在所选学习平台的个人中心申请电子发票，抬头可以写单位名称。"},
	Reviewed: time.Date(2026, 12, 2, 3, 0, 0, 0, time.UTC), Expires: time.Now().Add(24 * time.Hour),
	Docs: []string{"cpe-rules"},
}

func TestDeskEntryAnswersItsQuestionInOtherWords(t *testing.T) {
	t.Parallel()
	ix := ownIndex(t)
	ctx := context.Background()
	q := Question{Text: "继续教育交了费，发票去哪里开？"}
	before, _ := ix.Answer(ctx, q)
	if strings.Contains(before.Text, "个人中心申请电子发票") {
		t.Fatalf("answered with the entry before it was set: %s", before.Text)
	}
	ix.SetDeskFAQ([]DeskFAQ{invoiceEntry})
	a, err := ix.Answer(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(a.Text, "缴费后可以在所选学习平台的个人中心申请电子发票") || !strings.Contains(a.Text, "来源：帮助台答复（2026-12-02，经审核）") {
		t.Errorf("answer = %q, want the entry with its provenance", a.Text)
	}
	if len(a.Sources) < 2 || a.Sources[0].ID != "desk-3" || a.Sources[1].ID != "cpe-rules" || a.Handoff {
		t.Errorf("sources = %+v handoff %v, want desk-3 then the document it rests on", a.Sources, a.Handoff)
	}
	// A built-in question is still answered by its built-in entry.
	if b, _ := ix.Answer(ctx, Question{Text: "继教一年要学满多少分啊"}); !strings.Contains(b.Text, "90学分") || strings.Contains(b.Text, "帮助台") {
		t.Errorf("built-in question answered %q", b.Text)
	}
	ix.SetDeskFAQ(nil)
	if a, _ := ix.Answer(ctx, q); strings.Contains(a.Text, "帮助台答复") {
		t.Errorf("removed entry still answers: %q", a.Text)
	}
}

func TestExpiredDeskEntryStopsAnswering(t *testing.T) {
	t.Parallel()
	ix := ownIndex(t)
	e := invoiceEntry
	e.Expires = time.Now().Add(-time.Minute)
	ix.SetDeskFAQ([]DeskFAQ{e})
	if a, _ := ix.Answer(context.Background(), Question{Text: "继教交完钱发票在哪开"}); strings.Contains(a.Text, "帮助台答复") {
		t.Errorf("expired entry answered: %q", a.Text)
	}
}

func TestDeskEntryOverABuiltInOneSaysWhichApplies(t *testing.T) {
	t.Parallel()
	ix := ownIndex(t)
	ctx := context.Background()
	b, ok, err := ix.BuiltInAnswer(ctx, "继续教育一年要多少学分", "")
	if err != nil || !ok || b.Question != "会计继续教育每年要修满多少学分？" || b.Applies == "" || !strings.Contains(b.Says, "90学分") {
		t.Fatalf("built-in answer = %+v %v %v", b, ok, err)
	}
	if _, ok, _ := ix.BuiltInAnswer(ctx, "继续教育发票怎么开？", ""); ok {
		t.Error("an entry answers the invoice question")
	}
	e := invoiceEntry
	e.Defers = b.Applies
	ix.SetDeskFAQ([]DeskFAQ{e})
	a, _ := ix.Answer(ctx, Question{Text: "继教交完钱发票在哪开"})
	if !strings.Contains(a.Text, "两者不一致时以《"+b.Applies+"》为准") {
		t.Errorf("answer = %q, want it to say which applies", a.Text)
	}
}
