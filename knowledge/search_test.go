package knowledge

import (
	"context"
	"errors"
	"strings"
	"testing"
	"testing/fstest"
)

// smallCorpus has one national rule and two local guidelines that say
// different things about the same subject.
func smallCorpus(t *testing.T) *Index {
	t.Helper()
	return openFS(t, smallCorpusFS())
}

// openFS opens an in-memory index of the corpus in fsys.
func openFS(t *testing.T, fsys fstest.MapFS) *Index {
	t.Helper()
	c, err := LoadCorpus(fsys)
	if err != nil {
		t.Fatal(err)
	}
	ix, _, err := Open(context.Background(), c, Options{})
	if err != nil {
		t.Fatal(err)
	}
	return ix
}

func smallCorpusFS() fstest.MapFS {
	doc := func(id, j, title, body string) *fstest.MapFile {
		return &fstest.MapFile{Data: []byte("---\nid: " + id + "\ntitle: " + title + "\njurisdiction: " + j + "\nstatus: in_force\n---\n# " + title + "\n" + body)}
	}
	fsys := fstest.MapFS{
		"jurisdictions.yaml": {Data: []byte(`
- {code: guangdong, name: 广东省, short: 广东, abbr: [粤], aliases: [广东省, 广东], type: province, doc: jur-guangdong}
- {code: shenzhen, name: 深圳市, short: 深圳, abbr: [], aliases: [深圳市, 深圳], type: separately_planned_city, parent: guangdong, doc: jur-shenzhen}
`)},
		"docs/national.md": doc("national", "", "全国规定", "## 学分\n会计人员每年参加继续教育取得的学分不少于90学分。\n## 照片\n证件照不小于10KB。\n"),
		"docs/gd.md":       doc("jur-guangdong", "guangdong", "广东指引", "## 公需课\n广东的公需课在人社部门平台学习，公需科目不少于30学分。\n"),
		"docs/sz.md":       doc("jur-shenzhen", "shenzhen", "深圳指引", "## 公需课\n深圳的公需课在深圳市会计管理综合平台学习，自动登记学分。\n"),
	}
	return fsys
}

func TestSearchFusionAndScope(t *testing.T) {
	ix := smallCorpus(t)
	ctx := context.Background()
	search := func(q string, places ...string) []Hit {
		t.Helper()
		n := Normalize(q)
		hits, err := ix.search(ctx, n, ix.seg.Tokens(n), scope{places: places}, 5)
		if err != nil {
			t.Fatal(err)
		}
		return hits
	}

	if h := search("证件照要多大"); len(h) == 0 || h[0].Chunk.DocID != "national" || h[0].Chunk.Section != "照片" {
		t.Errorf("photo question ranked %v first", first(h))
	}
	// With a known place, the other place's guideline is never returned and
	// the asker's own ranks first.
	h := search("公需课在哪学", "shenzhen")
	if len(h) == 0 || h[0].Chunk.DocID != "jur-shenzhen" {
		t.Errorf("shenzhen scope ranked %v first", first(h))
	}
	for _, x := range h {
		if x.Chunk.DocID == "jur-guangdong" {
			t.Error("shenzhen scope returned 广东's guideline")
		}
	}
	if h := search("公需课在哪学", "guangdong"); len(h) == 0 || h[0].Chunk.DocID != "jur-guangdong" {
		t.Errorf("guangdong scope ranked %v first", first(h))
	}
	// Without a place, local passages are allowed but the national rule wins
	// a question both answer.
	if h := search("继续教育学分要多少"); len(h) == 0 || h[0].Chunk.DocID != "national" {
		t.Errorf("unscoped credit question ranked %v first", first(h))
	}
}

func first(h []Hit) string {
	if len(h) == 0 {
		return "nothing"
	}
	return h[0].Chunk.ID
}

func TestSearchSurvivesAFailingEmbedder(t *testing.T) {
	c, err := LoadCorpus(smallCorpusFS())
	if err != nil {
		t.Fatal(err)
	}
	down := false
	failing := func(ctx context.Context, text string) ([]float32, error) {
		if down {
			return nil, errors.New("endpoint down")
		}
		return DefaultSegmenter().vector(text), nil
	}
	ix, _, err := Open(context.Background(), c, Options{Embedder: failing, EmbedderName: "remote"})
	if err != nil {
		t.Fatal(err)
	}
	down = true // the corpus is embedded, then the endpoint goes down
	a, err := ix.Answer(context.Background(), Question{Text: "证件照要多大"})
	if err != nil || !strings.Contains(a.Text, "10KB") {
		t.Errorf("answer with the embedder down: %q, %v", a.Text, err)
	}
}
