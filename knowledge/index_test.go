package knowledge

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/kuaiji/kuaiji/policies"
)

func TestPersistedIndexIsReusedAndUpdatedIncrementally(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	c, err := LoadCorpus(policies.FS)
	if err != nil {
		t.Fatal(err)
	}
	_, first, err := Open(ctx, c, Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if first.Embedded != first.Chunks || first.Chunks == 0 {
		t.Fatalf("first open embedded %d of %d chunks", first.Embedded, first.Chunks)
	}
	_, again, err := Open(ctx, c, Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if again.Embedded != 0 || again.ReusedVectors != again.Chunks {
		t.Errorf("restart re-embedded %d chunks (reused %d of %d)", again.Embedded, again.ReusedVectors, again.Chunks)
	}

	// Edit one document: only its changed chunk is re-indexed.
	c2, _ := LoadCorpus(policies.FS)
	d, _ := c2.Doc("jur-qingdao")
	edited := *d
	edited.Blocks = slices.Clone(d.Blocks)
	for i := range edited.Blocks {
		if edited.Blocks[i].Level == 0 {
			edited.Blocks[i].Text += "（补充说明）"
			break
		}
	}
	c2.put(&edited)
	_, changed, err := Open(ctx, c2, Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if changed.Updated != 1 || changed.Embedded != 1 || changed.Added != 0 {
		t.Errorf("one edited paragraph: %+v", changed)
	}

	// Another embedder's vectors are not reused.
	_, other, err := Open(ctx, c2, Options{Dir: dir, Embedder: LocalEmbedder(DefaultSegmenter()), EmbedderName: "other-model"})
	if err != nil {
		t.Fatal(err)
	}
	if other.Embedded != other.Chunks {
		t.Errorf("embedder change re-embedded %d of %d", other.Embedded, other.Chunks)
	}
}

func TestIngestFilesSurvivesBadOnesAndPersists(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	src := t.TempDir()
	write := func(name, body string) {
		if err := os.WriteFile(filepath.Join(src, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("珠海市会计继续教育补充通知.html", `<html><head><title>珠海补充通知</title><script>alert(1)</script></head>
<body><nav>首页 | 通知</nav><h1>珠海补充通知</h1><h2>一、学习安排</h2><p>珠海的会计人员请在每年11月30日前完成网络学习并打印学时证明。</p><footer>版权所有</footer></body></html>`)
	write("notes.txt", "第一章 总则\n\n第一条 本说明适用于示范单位的出纳人员轮岗培训。\n")
	write("broken.pdf", "%PDF-1.4 this is not really a pdf")

	c, err := LoadCorpus(policies.FS)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	ix, _, err := Open(ctx, c, Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	var docs []*Document
	var failed []string
	for _, name := range []string{"珠海市会计继续教育补充通知.html", "notes.txt", "broken.pdf"} {
		d, err := LoadFile(filepath.Join(src, name), ix.Places())
		if err != nil {
			failed = append(failed, err.Error())
			continue
		}
		docs = append(docs, d)
	}
	if len(failed) != 1 || !strings.Contains(failed[0], "broken.pdf") {
		t.Fatalf("failures = %q, want only broken.pdf named", failed)
	}
	st, err := ix.Ingest(ctx, docs, IngestOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if st.Added == 0 {
		t.Fatalf("nothing added: %+v", st)
	}
	a, err := ix.Answer(ctx, Question{Text: "珠海的会计继续教育网络学习要在几月前完成"})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(a.Text, "11月30日") || strings.Contains(a.Text, "alert") || strings.Contains(a.Text, "版权所有") {
		t.Errorf("answer from the ingested HTML: %q", a.Text)
	}

	// A restart keeps what was ingested without re-embedding it, and a
	// re-ingest of the same files changes nothing.
	ix2, st2, err := Open(ctx, c, Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if st2.Embedded != 0 || st2.Documents != st.Documents {
		t.Errorf("restart after ingest: %+v (before %+v)", st2, st)
	}
	st3, err := ix2.Ingest(ctx, docs, IngestOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if st3.Added+st3.Updated+st3.Removed+st3.Embedded != 0 {
		t.Errorf("re-ingest of unchanged files: %+v", st3)
	}
}

func TestOverlayDirReplacesAndReportsBadFiles(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "shenzhen.md"), []byte("---\nid: jur-shenzhen\ntitle: 深圳市会计人员指引（新版）\njurisdiction: shenzhen\nstatus: in_force\n---\n# 深圳\n## 三、继续教育\n深圳2027年度的继续教育学习期为3月1日至12月31日。\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "bad.md"), []byte("---\nid: bad\ntitle: 坏: 文件\n---\n正文"), 0o644)
	c, err := LoadCorpus(policies.FS)
	if err != nil {
		t.Fatal(err)
	}
	errs := c.Overlay(dir)
	if len(errs) != 1 || !strings.Contains(errs[0].Error(), "bad.md:3") {
		t.Errorf("overlay errors = %v, want bad.md:3", errs)
	}
	d, _ := c.Doc("jur-shenzhen")
	if !strings.Contains(d.Title, "新版") {
		t.Errorf("jur-shenzhen not overridden: %q", d.Title)
	}
}

// TestIngestedReplacementLastsAndCanBeRemoved: an operator's newer text of a
// built-in document, ingested with Replace, keeps answering after a
// restart; removing it brings the built-in text back; a copy reviewed
// before the built-in text loses to it at the next start.
func TestIngestedReplacementLastsAndCanBeRemoved(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	src, dir := t.TempDir(), t.TempDir()
	builtIn, _ := builtin(t).Corpus().Doc("jur-qingdao")
	today := reviewedDay(t, builtIn.Reviewed, 3)
	write := func(reviewed string) string {
		p := filepath.Join(src, "qingdao.md")
		body := "---\nid: jur-qingdao\ntitle: 青岛市会计人员继续教育补充通知\njurisdiction: 青岛\nreviewed: " + reviewed +
			"\n---\n# 青岛市会计人员继续教育补充通知\n\n## 学习安排\n\n青岛的会计人员请在每年10月15日前完成珊瑚课程的网络学习。\n"
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	open := func(today time.Time) *Index {
		t.Helper()
		c, err := LoadCorpus(policies.FS)
		if err != nil {
			t.Fatal(err)
		}
		ix, _, err := Open(ctx, c, Options{Dir: dir, Today: today})
		if err != nil {
			t.Fatal(err)
		}
		return ix
	}
	q := Question{Text: "青岛珊瑚课程的网络学习几号前完成"}
	says := func(ix *Index) bool {
		a, err := ix.Answer(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		return strings.Contains(a.Text, "10月15日")
	}

	ix := open(today)
	d, err := LoadFile(write(today.Format(time.DateOnly)), ix.Places())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ix.Ingest(ctx, []*Document{d}, IngestOptions{Replace: true, Today: today}); err != nil {
		t.Fatal(err)
	}
	if !says(ix) {
		t.Fatal("ingested text not used")
	}
	ix = open(today)
	if !says(ix) {
		t.Fatal("restart brought the built-in text back over the operator's newer one")
	}
	if _, err := ix.Remove(ctx, []string{"jur-qingdao-nope"}); !errors.Is(err, ErrNotIngested) {
		t.Errorf("removing an unknown id: %v", err)
	}
	if _, err := ix.Remove(ctx, []string{"cpe-rules"}); !errors.Is(err, ErrNotIngested) {
		t.Errorf("removing a built-in document: %v", err)
	}
	st, err := ix.Remove(ctx, []string{"jur-qingdao"})
	if err != nil || st.Added+st.Updated+st.Removed == 0 {
		t.Fatalf("remove: %+v %v", st, err)
	}
	if says(ix) || says(open(today)) {
		t.Error("removed text still answers")
	}
	for _, info := range ix.Documents() {
		if info.ID == "jur-qingdao" && (info.Ingested || info.Jurisdiction != "青岛市" && info.Jurisdiction != "青岛") {
			t.Errorf("built-in document not back: %+v", info)
		}
	}
}
