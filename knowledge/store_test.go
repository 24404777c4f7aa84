package knowledge

import (
	"context"
	"encoding/gob"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/kuaiji/kuaiji/policies"
)

// TestPersistedIndexAnswersAsTheFreshOne: an index loaded from disk (terms
// and vectors read, not rebuilt) answers exactly as one built in memory.
func TestPersistedIndexAnswersAsTheFreshOne(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	c, err := LoadCorpus(policies.FS)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := Open(ctx, c, Options{Dir: dir}); err != nil {
		t.Fatal(err)
	}
	loaded, st, err := Open(ctx, c, Options{Dir: dir})
	if err != nil || st.Embedded != 0 || st.Added != 0 {
		t.Fatalf("reload: %+v %v", st, err)
	}
	fresh := builtin(t)
	for _, q := range []Question{
		{Text: "继续教育每年要多少学分"},
		{Text: "深圳的公需课在哪里学"},
		{Text: "会计人员信息采集需要准备什么材料", Jurisdiction: "广东"},
		{Text: "从江苏调到浙江，会计信息怎么调转"},
	} {
		want, _ := fresh.search(ctx, q.Text, fresh.seg.Tokens(q.Text), scope{}, 6)
		got, _ := loaded.search(ctx, q.Text, loaded.seg.Tokens(q.Text), scope{}, 6)
		if len(got) != len(want) {
			t.Fatalf("%s: %d hits, want %d", q.Text, len(got), len(want))
		}
		for i := range got {
			if got[i].Chunk.ID != want[i].Chunk.ID || got[i].Score != want[i].Score || got[i].Cosine != want[i].Cosine {
				t.Errorf("%s: hit %d = %s %v %v, want %s %v %v", q.Text, i,
					got[i].Chunk.ID, got[i].Score, got[i].Cosine, want[i].Chunk.ID, want[i].Score, want[i].Cosine)
			}
		}
	}
}

// TestCorruptIndexFileIsRebuilt: a truncated index file costs a rebuild,
// not the start.
func TestCorruptIndexFileIsRebuilt(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	c, _ := LoadCorpus(policies.FS)
	if _, _, err := Open(ctx, c, Options{Dir: dir}); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, stateFile)
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	for _, cut := range []int{0, 10, len(b) / 3, len(b) - 7} {
		if err := os.WriteFile(p, b[:cut], 0o644); err != nil {
			t.Fatal(err)
		}
		ix, st, err := Open(ctx, c, Options{Dir: dir})
		if err != nil {
			t.Fatalf("cut at %d: %v", cut, err)
		}
		if st.Embedded != st.Chunks {
			t.Errorf("cut at %d: embedded %d of %d", cut, st.Embedded, st.Chunks)
		}
		if a, _ := ix.Answer(ctx, Question{Text: "继续教育每年要多少学分"}); a.Confidence == 0 {
			t.Errorf("cut at %d: no answer after the rebuild", cut)
		}
	}
}

// TestLegacyIndexKeepsIngestedDocuments: an index persisted by the
// previous layout (index.gob and chromem's vectors directory) is replaced
// by the new file, and what an operator ingested into it is kept.
func TestLegacyIndexKeepsIngestedDocuments(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	note := &Document{ID: "zhuhai-note", Title: "珠海补充通知", Status: StatusInForce, Path: "zhuhai.md", Hash: "x"}
	chunks := []Chunk{{ID: "zhuhai-note#0", DocID: "zhuhai-note", Text: "珠海的会计人员请在每年11月30日前完成珊瑚课程的网络学习。", Hash: "h"}}
	// The old chunks carried their tokens; gob must skip them.
	type oldChunk struct {
		ID, DocID, Jurisdiction, Section, Text, Hash string
		Tokens                                       []string
	}
	old := struct {
		Version  int
		Embedder string
		Dict     string
		Docs     []Document
		Origin   map[string]string
		Chunks   []oldChunk
	}{1, LocalEmbedderName, dictVersion(), []Document{*note}, map[string]string{note.ID: originIngest},
		[]oldChunk{{ID: chunks[0].ID, DocID: chunks[0].DocID, Text: chunks[0].Text, Hash: chunks[0].Hash, Tokens: []string{"珠海"}}}}
	f, err := os.Create(filepath.Join(dir, legacyStateFile))
	if err != nil {
		t.Fatal(err)
	}
	if err := gob.NewEncoder(f).Encode(old); err != nil {
		t.Fatal(err)
	}
	f.Close()
	os.MkdirAll(filepath.Join(dir, legacyVectorsDir, "chunks"), 0o755)

	c, _ := LoadCorpus(policies.FS)
	ix, _, err := Open(ctx, c, Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	a, err := ix.Answer(ctx, Question{Text: "珠海珊瑚课程的网络学习几号前完成"})
	if err != nil || !containsSource(a, "zhuhai-note") {
		t.Errorf("ingested document lost in the upgrade: %v %+v", err, a)
	}
	for _, gone := range []string{legacyStateFile, legacyVectorsDir} {
		if _, err := os.Stat(filepath.Join(dir, gone)); !os.IsNotExist(err) {
			t.Errorf("%s left behind: %v", gone, err)
		}
	}
	got, err := readState(dir)
	if err != nil || !reflect.DeepEqual(got.Origin[note.ID], originIngest) {
		t.Errorf("new file: %v %v", got.Origin, err)
	}
}

func containsSource(a Answer, id string) bool {
	for _, s := range a.Sources {
		if s.ID == id {
			return true
		}
	}
	return false
}
