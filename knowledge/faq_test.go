package knowledge

import (
	"math"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/kuaiji/kuaiji/policies"
)

func faqYAML(ids ...string) *fstest.MapFile {
	var b strings.Builder
	for _, id := range ids {
		b.WriteString("- id: " + id + "\n  question: 问" + id + "？\n  answer: 答" + id + "。\n")
	}
	return &fstest.MapFile{Data: []byte(b.String())}
}

func TestLoadFAQDirReadsEveryFileInPathOrder(t *testing.T) {
	fsys := fstest.MapFS{
		"faq/b.yaml":       faqYAML("b1", "b2"),
		"faq/a.yaml":       faqYAML("a1"),
		"faq/sub/c.yml":    faqYAML("c1"),
		"faq/README.md":    &fstest.MapFile{Data: []byte("- id: not-an-entry\n")},
		"other/x.yaml":     faqYAML("x1"),
		"faq/z/notes.yaml": faqYAML("z1"),
	}
	list, err := LoadFAQDir(fsys, "faq")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range list {
		got = append(got, f.ID)
	}
	if want := "a1 b1 b2 c1 z1"; strings.Join(got, " ") != want {
		t.Errorf("loaded %v, want %s", got, want)
	}
}

func TestLoadFAQDirRejectsDuplicateIDs(t *testing.T) {
	for name, fsys := range map[string]fstest.MapFS{
		"two files": {"faq/a.yaml": faqYAML("same", "a2"), "faq/b.yaml": faqYAML("b1", "same")},
		"one file":  {"faq/a.yaml": faqYAML("same", "same")},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := LoadFAQDir(fsys, "faq")
			if err == nil {
				t.Fatal("duplicate id accepted")
			}
			// The message must let whoever edits the FAQ find both entries.
			msg := err.Error()
			if !strings.Contains(msg, `"same"`) || !strings.Contains(msg, "faq/a.yaml") {
				t.Errorf("error %q does not name the id and the file holding it first", msg)
			}
			if name == "two files" && !strings.Contains(msg, "faq/b.yaml") {
				t.Errorf("error %q does not name the second file", msg)
			}
		})
	}
}

func TestLoadCorpusRejectsDuplicateFAQ(t *testing.T) {
	entry := &fstest.MapFile{Data: []byte("- {id: credits, question: 每年多少学分？, answer: 不少于90学分。, source: national, section: 学分}\n")}
	fsys := smallCorpusFS()
	fsys["faq/faq.yaml"] = entry
	if _, err := LoadCorpus(fsys); err != nil {
		t.Fatalf("one FAQ file: %v", err)
	}
	fsys["faq/zz-extra.yaml"] = entry
	if _, err := LoadCorpus(fsys); err == nil || !strings.Contains(err.Error(), "faq/zz-extra.yaml") {
		t.Fatalf("LoadCorpus with a copied FAQ file: err = %v, want a duplicate-id error naming the copy", err)
	}
}

func TestLoadFAQDirWithoutDir(t *testing.T) {
	list, err := LoadFAQDir(fstest.MapFS{"docs/a.md": &fstest.MapFile{}}, "faq")
	if err != nil || len(list) != 0 {
		t.Errorf("missing faq dir: %d entries, err %v; want none and no error", len(list), err)
	}
}

// TestBuiltinFAQFiles checks that every file of the built-in FAQ is loaded
// and that each entry is phrased in several ways, which is what lets the
// matcher recognise a question typed differently.
func TestBuiltinFAQFiles(t *testing.T) {
	c, err := LoadCorpus(policies.FS)
	if err != nil {
		t.Fatal(err)
	}
	files, err := LoadFAQDir(policies.FS, "faq")
	if err != nil {
		t.Fatal(err)
	}
	if len(c.FAQ) != len(files) {
		t.Errorf("corpus holds %d FAQ entries, the faq directory %d", len(c.FAQ), len(files))
	}
	for _, f := range c.FAQ {
		if n := len(f.Variants); n < 4 || n > 8 {
			t.Errorf("faq %s has %d variants, want 4–8", f.ID, n)
		}
		if f.Source == "" || f.Section == "" {
			t.Errorf("faq %s names no source document and section", f.ID)
		}
	}
}

// TestLocalFAQNeverHidesNationalAnswer: many local entries are phrased
// like the national question they specialise ("采集去哪个网站" for each
// place). For an asker with no place the national entry must still answer,
// confidently and without another place's rule; with a place, that place's
// entry answers.
func TestLocalFAQNeverHidesNationalAnswer(t *testing.T) {
	for _, tt := range []struct{ place, q, want string }{
		{"", "会计信息采集在哪个网站办", "ausm.mof.gov.cn"},
		{"", "原来省里的采集系统还能用吗", "全国会计人员统一服务管理平台"},
		{"jiangsu", "原来的采集系统还能用吗", "kj.jscz.gov.cn"},
	} {
		a := ask(t, Question{Text: tt.q, Jurisdiction: tt.place})
		lead := strings.SplitN(a.Text, "。", 2)[0]
		if !a.FAQ || a.Handoff || !strings.Contains(a.Text, tt.want) {
			t.Errorf("place %q, %q: want a confident FAQ answer with %q, got (FAQ %v):\n%s", tt.place, tt.q, tt.want, a.FAQ, a.Text)
		}
		if tt.place == "" {
			for _, j := range builtin(t).corpus.Places.All() {
				if strings.Contains(lead, j.Short) {
					t.Errorf("%q with no place opens with %s's rule: %q", tt.q, j.Short, lead)
				}
			}
		}
	}
}

// BenchmarkFAQMatch scores the whole built-in FAQ against each question of
// a held-out set: the FAQ is matched on every answer, so its cost grows with
// every entry and phrasing added.
func BenchmarkFAQMatch(b *testing.B) {
	ix := builtin(b)
	type prepared struct {
		vec  []float32
		toks []string
	}
	var qs []prepared
	for _, q := range benchQuestions(b) {
		n := Normalize(q.Text)
		toks := ix.seg.Tokens(n)
		qs = append(qs, prepared{ix.seg.vector(expandText(n, toks)), toks})
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		q := qs[i%len(qs)]
		ix.faq.match(q.vec, q.toks)
	}
}

// The coverage summed over each word's holders is the coverage each
// phrasing's words give, looked up one phrasing at a time.
func TestCoverageFromHolders(t *testing.T) {
	ix := builtin(t)
	for _, q := range []string{"继续教育每年要多少学分", "户口在安徽，人在南京上班，采集选哪边", "照片能戴眼镜吗 信息采集",
		"之前在河南做会计，今年跳槽到广东了，会计信息和继续教育档案怎么转过去", "小区停车费多少钱"} {
		toks := withoutNoise(ix.seg.Tokens(Normalize(q)))
		fq := ix.faq.weigh(toks, map[string]bool{"学分": true})
		have := fq.covered()
		for k := range ix.faq.texts {
			want, _ := fq.coverage(ix.faq.texts[k].terms)
			if math.Abs(have[k]-want) > 1e-9 {
				t.Fatalf("%q, phrasing %d: %v from holders, %v looked up", q, k, have[k], want)
			}
		}
	}
}
