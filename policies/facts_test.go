package policies_test

import (
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/kuaiji/kuaiji/flows"
	"github.com/kuaiji/kuaiji/internal/factcheck"
	"github.com/kuaiji/kuaiji/knowledge"
	"github.com/kuaiji/kuaiji/policies"
	"github.com/kuaiji/kuaiji/uploadcheck"
)

// text is one piece of corpus text that states facts, with the documents
// it rests on.
type text struct {
	where string
	body  string
	cites []string
	// plain texts must state no fact at all.
	plain bool
}

// corpus is the built-in documents, indexed for fact checks, and the ids of
// the national ones.
type corpus struct {
	c        *knowledge.Corpus
	facts    *factcheck.Corpus
	national []string
}

func loadCorpus(t *testing.T, fsys fs.FS) *corpus {
	t.Helper()
	c, err := knowledge.LoadCorpus(fsys)
	if err != nil {
		t.Fatal(err)
	}
	out := &corpus{c: c}
	var docs []factcheck.Doc
	for _, d := range c.Docs {
		var b strings.Builder
		b.WriteString(d.Title + "\n")
		for _, bl := range d.Blocks {
			b.WriteString(bl.Text + "\n")
		}
		docs = append(docs, factcheck.Doc{ID: d.ID, Text: b.String()})
		if d.Jurisdiction == "" {
			out.national = append(out.national, d.ID)
		}
	}
	out.facts = factcheck.NewCorpus(docs)
	return out
}

var (
	tmplRe = regexp.MustCompile(`\{([a-z_]+)(?:\.[a-z_]+)?\}`)
	quoted = regexp.MustCompile(`“[^”]*”`)
)

// flowTexts lists every text of every flow. A step's fixed citations back
// what it shows to everyone; an extra shown for one jurisdiction code is
// also backed by the citation templates that code fills in (jur-{from}
// with from=neimenggu is jur-neimenggu). A question that cites nothing is
// a national statement, backed by the national documents.
func flowTexts(t *testing.T, fsys fs.FS, co *corpus) []text {
	t.Helper()
	docs := flows.DocSet{}
	for _, d := range co.c.Docs {
		docs[d.ID] = d.Title
	}
	list, err := flows.Load(fsys, "flows", docs)
	if err != nil {
		t.Fatal(err)
	}
	var out []text
	for _, f := range list {
		out = append(out,
			text{where: f.ID + " intro", body: f.Intro, cites: co.national},
			text{where: f.ID + " description", body: f.Description, cites: co.national})
		for id, st := range f.Steps {
			where := f.ID + "/" + id
			var fixed, templ []string
			for _, c := range st.Cite {
				if strings.Contains(c, "{") {
					templ = append(templ, c)
				} else {
					fixed = append(fixed, c)
				}
			}
			if len(fixed) == 0 {
				fixed = co.national
			}
			add := func(what, body string, cites []string) {
				body = tmplRe.ReplaceAllString(body, "")
				out = append(out, text{where: where + " " + what, body: body, cites: cites, plain: st.Plain})
			}
			// A question's quoted spans are examples of an answer
			// (“2023年5月”), not facts.
			add("ask", quoted.ReplaceAllString(st.Ask, ""), fixed)
			add("say", st.Say, fixed)
			add("note", st.Note, fixed)
			for i, it := range st.Items {
				add(fmt.Sprintf("item %d", i+1), it.Text, fixed)
			}
			for _, ex := range st.Extras {
				for code, items := range ex.Items {
					cites := append([]string{}, fixed...)
					for _, c := range templ {
						if m := tmplRe.FindStringSubmatch(c); m != nil && m[1] == ex.Key {
							cites = append(cites, tmplRe.ReplaceAllString(c, code))
						}
					}
					for i, it := range items {
						add(fmt.Sprintf("extra %s=%s %d", ex.Key, code, i+1), it.Text, cites)
					}
				}
			}
		}
	}
	return out
}

// faqFiles lists every YAML file under faq/, in any subdirectory, so
// entries added in new files are checked as soon as they exist.
func faqFiles(t *testing.T, fsys fs.FS) []string {
	t.Helper()
	var files []string
	err := fs.WalkDir(fsys, "faq", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && (path.Ext(p) == ".yaml" || path.Ext(p) == ".yml") {
			files = append(files, p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no FAQ files under faq/")
	}
	return files
}

// faqTexts lists every FAQ answer, backed by its source document; a
// national entry may also rest on any national document.
func faqTexts(t *testing.T, fsys fs.FS, co *corpus) []text {
	t.Helper()
	var out []text
	for _, p := range faqFiles(t, fsys) {
		list, err := knowledge.LoadFAQ(fsys, p)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range list {
			cites := []string{f.Source}
			if f.Jurisdiction == "" {
				cites = append(cites, co.national...)
			} else {
				cites = append(cites, "jur-"+f.Jurisdiction)
			}
			out = append(out, text{where: p + " " + f.ID, body: f.Answer, cites: cites})
		}
	}
	return out
}

// uploadTexts lists every upload rule that claims an official basis
// (verified, historical or unverified): its source note and its limit as a
// person would write it (10240 bytes is 10KB). National rules rest on the
// national documents, local ones on the place's guideline. Advice is ours
// and rests on no document.
func uploadTexts(t *testing.T, fsys fs.FS, co *corpus) []text {
	t.Helper()
	p, err := uploadcheck.Load(fsys, "uploads.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var out []text
	rules := func(where string, s *uploadcheck.Spec, cites []string) {
		add := func(name string, b uploadcheck.Basis, limit string) {
			if b.Status == uploadcheck.Advice {
				return
			}
			out = append(out, text{where: where + " " + name, body: b.Source + "\n" + limit, cites: cites})
		}
		size := func(r *uploadcheck.IntRule) string {
			if r.Value%1024 == 0 {
				return fmt.Sprintf("%dKB", r.Value/1024)
			}
			return fmt.Sprintf("%d字节", r.Value)
		}
		if r := s.Format; r != nil {
			add("format", r.Basis, "")
		}
		if r := s.MinBytes; r != nil {
			add("min_bytes", r.Basis, size(r))
		}
		if r := s.MaxBytes; r != nil {
			add("max_bytes", r.Basis, size(r))
		}
		if s.MinWidth != nil && s.MinHeight != nil && s.MinWidth.Status == s.MinHeight.Status {
			add("min_width×min_height", s.MinWidth.Basis, fmt.Sprintf("%d×%d", s.MinWidth.Value, s.MinHeight.Value))
		} else {
			for name, r := range map[string]*uploadcheck.IntRule{"min_width": s.MinWidth, "min_height": s.MinHeight} {
				if r != nil {
					add(name, r.Basis, fmt.Sprintf("%d像素", r.Value))
				}
			}
		}
		if r := s.Sharpness; r != nil {
			add("sharpness", r.Basis, "")
			if r.Blurred != nil {
				add("sharpness.blurred", r.Blurred.Basis, "")
			}
		}
		if r := s.Background; r != nil {
			add("background", r.Basis, "")
		}
		if r := s.Aspect; r != nil {
			add("aspect", r.Basis, "")
		}
	}
	for kind, s := range p.Kinds {
		rules("uploads "+string(kind), s, co.national)
	}
	for j, kinds := range p.Jurisdictions {
		for kind, s := range kinds {
			rules("uploads "+j+" "+string(kind), s, []string{"jur-" + j})
		}
	}
	return out
}

// check reports every fact of texts that its cited documents do not state.
func check(co *corpus, texts []text) []string {
	var bad []string
	for _, tx := range texts {
		if strings.TrimSpace(tx.body) == "" {
			continue
		}
		if tx.plain {
			for _, f := range factcheck.Extract(tx.body, co.facts.Names()) {
				bad = append(bad, fmt.Sprintf("%s: marked plain but states %s %q", tx.where, f.Kind, f.Text))
			}
			continue
		}
		for _, c := range tx.cites {
			if !co.facts.Has(c) {
				bad = append(bad, fmt.Sprintf("%s: cites %q, which is not a document", tx.where, c))
			}
		}
		for _, p := range co.facts.Check(tx.body, tx.cites) {
			bad = append(bad, fmt.Sprintf("%s: %s %q is in none of the documents it cites %v", tx.where, p.Fact.Kind, p.Fact.Text, shortCites(p.Cites, co)))
		}
	}
	return bad
}

func shortCites(cites []string, co *corpus) []string {
	if len(cites) > len(co.national) {
		return append(cites[:len(cites)-len(co.national):len(cites)-len(co.national)], "national documents")
	}
	return cites
}

// TestFactsStatedOnce checks every number with a unit, date, URL, document
// number and platform name in the flows, the FAQ and the upload rules
// against the documents each cites.
func TestFactsStatedOnce(t *testing.T) {
	co := loadCorpus(t, policies.FS)
	for name, texts := range map[string][]text{
		"flows":   flowTexts(t, policies.FS, co),
		"faq":     faqTexts(t, policies.FS, co),
		"uploads": uploadTexts(t, policies.FS, co),
	} {
		t.Run(name, func(t *testing.T) {
			facts := 0
			for _, tx := range texts {
				facts += len(factcheck.Extract(tx.body, co.facts.Names()))
			}
			// Guard against a check that silently checks nothing.
			if facts < 10 {
				t.Fatalf("only %d facts found in %d texts: the extraction is broken", facts, len(texts))
			}
			for _, b := range check(co, texts) {
				t.Error(b)
			}
		})
	}
}

// TestPlantedWrongFactsFail plants wrong facts in copies of real texts and
// expects the check to name each one.
func TestPlantedWrongFactsFail(t *testing.T) {
	co := loadCorpus(t, policies.FS)
	for _, c := range []struct {
		name, file, from, to, want string
	}{
		{"review days in a flow extra", "flows/transfer.yaml", "提交后10个工作日", "提交后15个工作日", "15个工作日"},
		{"credits in a flow item", "flows/check.yaml", "每年不少于90学分", "每年不少于80学分", "80学分"},
		{"photo size in a flow", "flows/materials.yaml", "不小于10KB", "不小于15KB", "15KB"},
		{"URL in a flow", "flows/transfer.yaml", "（ausm.mof.gov.cn）", "（ausm.mof.gov.com）", "ausm.mof.gov.com"},
		{"document number in a flow note", "flows/transfer.yaml", "财办会〔2021〕23号", "财办会〔2021〕32号", "〔2021〕32号"},
		{"date in a FAQ answer", "faq/faq.yaml", "2025年3月20日至2026年3月20日", "2025年3月20日至2026年4月20日", "2026年4月20日"},
		{"platform name in a FAQ answer", "faq/faq.yaml", "“浙江会计之家”", "“浙江会计服务平台”", "浙江会计服务平台"},
		{"national platform's name garbled", "flows/walkthrough.yaml", "打开全国会计人员统一服务管理平台", "打开全国会计人员统一管理服务平台", "全国会计人员统一管理服务平台"},
		{"limit in the upload rules", "uploads.yaml", "value: 20480 # ≤20K", "value: 30720 # ≤30K", "30KB"},
	} {
		t.Run(c.name, func(t *testing.T) {
			fsys := copyFS(t, policies.FS)
			b := string(fsys[c.file].Data)
			if !strings.Contains(b, c.from) {
				t.Fatalf("%s no longer contains %q: pick another text to plant in", c.file, c.from)
			}
			fsys[c.file] = &fstest.MapFile{Data: []byte(strings.Replace(b, c.from, c.to, 1))}
			var texts []text
			switch {
			case strings.HasPrefix(c.file, "flows/"):
				texts = flowTexts(t, fsys, co)
			case strings.HasPrefix(c.file, "faq/"):
				texts = faqTexts(t, fsys, co)
			default:
				texts = uploadTexts(t, fsys, co)
			}
			bad := check(co, texts)
			found := false
			for _, b := range bad {
				found = found || strings.Contains(b, c.want)
			}
			if !found {
				t.Errorf("planted %q was not reported; problems: %v", c.to, bad)
			}
		})
	}
	t.Run("FAQ in a new file", func(t *testing.T) {
		fsys := copyFS(t, policies.FS)
		fsys["faq/more/extra.yaml"] = &fstest.MapFile{Data: []byte(`- id: planted-entry
  topic: cpe
  jurisdiction: ""
  question: 继续教育每年多少学分？
  answer: 会计人员每年参加继续教育取得的学分不少于120学分。
  source: cpe-rules
  section: 第十二条 学分要求
`)}
		bad := check(co, faqTexts(t, fsys, co))
		if len(bad) != 1 || !strings.Contains(bad[0], "planted-entry") || !strings.Contains(bad[0], "120学分") {
			t.Errorf("a wrong number in a new FAQ file: got %v", bad)
		}
	})
}

func copyFS(t *testing.T, src fs.FS) fstest.MapFS {
	t.Helper()
	out := fstest.MapFS{}
	err := fs.WalkDir(src, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(src, p)
		out[p] = &fstest.MapFile{Data: b}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}
