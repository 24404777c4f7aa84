package flows_test

import (
	"strings"
	"testing"
	"testing/fstest"

	"github.com/kuaiji/kuaiji/flows"
)

func TestLoadRealFlows(t *testing.T) {
	fl := loadFlows(t)
	ids := map[string]bool{}
	for _, f := range fl {
		ids[f.ID] = true
		for id, st := range f.Steps {
			for i := range st.Choices {
				if n := len("v1|" + f.ID + "|" + id + "|" + string(rune('0'+i))); n > flows.MaxButtonData {
					t.Errorf("%s/%s: button data %d bytes", f.ID, id, n)
				}
			}
		}
	}
	for _, want := range []string{"check", "materials", "transfer", "walkthrough", "change", "province"} {
		if !ids[want] {
			t.Errorf("flow %s missing", want)
		}
	}
}

func TestLoadRejects(t *testing.T) {
	base := "id: f\ntitle: 测试\nversion: 1\nstart: a\nsteps:\n"
	for _, tt := range []struct{ name, steps, want string }{
		{"missing next", "  a: {ask: 问？, parse: yesno, save: x, next: nowhere}\n", `next "nowhere" does not exist`},
		{"unknown doc", "  a: {say: 好, cite: [no-such-doc], end: true}\n", `cited document "no-such-doc" does not exist`},
		{"unknown template", "  a: {say: '{nokey}', end: true}\n", "template {nokey} names no saved answer"},
		{"long step id", "  a: {ask: 问？, parse: yesno, save: x, next: " + strings.Repeat("b", 25) + "}\n  " + strings.Repeat("b", 25) + ": {say: 好, plain: true, end: true}\n", "step id must match"},
		{"unknown parse", "  a: {ask: 问？, parse: magic, save: x, next: b}\n  b: {say: 好, plain: true, end: true}\n", `unknown parse "magic"`},
		{"dead end", "  a: {say: 好}\n", "needs next or branch"},
		{"result cites nothing", "  a: {say: 结论：需要采集。, end: true}\n", "must cite at least one document"},
		{"result cites only a template", "  a: {ask: 哪里？, parse: place, save: j, next: b}\n  b: {say: 好, cite: [\"jur-{j}\"], end: true}\n", "must cite at least one document"},
		{"information step cites nothing", "  a: {say: 第1步, ask: 好了吗？, parse: yesno, save: x, next: b}\n  b: {say: 好, plain: true, end: true}\n", "must cite at least one document"},
		{"earlier takes two keys", "  a:\n    ask: 何时？\n    parse: date\n    save: x\n    branch: [{if: {earlier: [x]}, next: b}]\n    next: b\n  b: {say: 好, plain: true, end: true}\n", "take two keys"},
		{"unknown field", "  a: {say: 好, plain: true, end: true, colour: red}\n", "field colour not found"},
		{"bad yesno value", "  a:\n    ask: 问？\n    parse: yesno\n    save: x\n    choices: [{label: 可能, value: maybe}]\n    next: b\n  b: {say: 好, plain: true, end: true}\n", "yesno choice values"},
		{"condition on unknown key", "  a:\n    ask: 问？\n    parse: yesno\n    save: x\n    branch: [{if: {is: {y: [yes]}}, next: b}]\n    next: b\n  b: {say: 好, plain: true, end: true}\n", `condition on "y"`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := flows.Load(fstest.MapFS{"flows/f.yaml": {Data: []byte(base + tt.steps)}}, "flows", docs())
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want %q", err, tt.want)
			}
		})
	}
	t.Run("offer of unknown flow", func(t *testing.T) {
		_, err := flows.Load(fstest.MapFS{"flows/f.yaml": {Data: []byte(base + "  a: {say: 好, plain: true, end: true, offer: [{label: 去, start: ghost}]}\n")}}, "flows", docs())
		if err == nil || !strings.Contains(err.Error(), `unknown flow "ghost"`) {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("64-byte callbacks", func(t *testing.T) {
		id := strings.Repeat("x", 16)
		step := strings.Repeat("y", 24)
		y := "id: " + id + "\ntitle: 长\nversion: 1\nstart: " + step + "\nsteps:\n  " + step + ":\n    ask: 问？\n    choices: [{label: 是, value: yes}]\n    next: e\n  e: {say: 好, plain: true, end: true}\n"
		fl, err := flows.Load(fstest.MapFS{"flows/f.yaml": {Data: []byte(y)}}, "flows", docs())
		if err != nil {
			t.Fatal(err)
		}
		if n := len("v1|" + fl[0].ID + "|" + step + "|0"); n > flows.MaxButtonData {
			t.Fatalf("longest ids give %d bytes", n)
		}
	})
}

// TestRealDocsCited checks the static citations of every flow against the
// documents that exist under policies/docs (national ids are fixed by the
// corpus plan; guideline files appear as they are written).
func TestRealDocsCited(t *testing.T) {
	real, err := flows.ScanDocs(policiesFS(), "docs")
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := real["cpe-rules"]; !ok {
		t.Skip("policies/docs not written yet")
	}
	for id := range docs() {
		if strings.HasPrefix(id, "jur-") {
			continue
		}
		if _, ok := real[id]; !ok {
			t.Logf("national document %s not written yet", id)
		}
	}
	for id, title := range real {
		if title == "" {
			t.Errorf("document %s has no title", id)
		}
	}
}

// TestScanDocsReadsWindowsFiles: a document saved by a Windows editor (byte
// order mark, CRLF) is citable, as the index reads it; a file without front
// matter, or with one never closed, names nothing.
func TestScanDocsReadsWindowsFiles(t *testing.T) {
	fsys := fstest.MapFS{
		"docs/win.md":      {Data: []byte("\ufeff---\r\nid: win-doc\r\ntitle: 会计人员继续教育规定\r\n---\r\n正文\r\n")},
		"docs/plain.md":    {Data: []byte("# 没有前置信息\n")},
		"docs/unclosed.md": {Data: []byte("---\nid: open-doc\ntitle: 未闭合\n")},
	}
	got, err := flows.ScanDocs(fsys, "docs")
	if err != nil {
		t.Fatal(err)
	}
	want := flows.DocSet{"win-doc": "会计人员继续教育规定"}
	if len(got) != len(want) || got["win-doc"] != want["win-doc"] {
		t.Errorf("ScanDocs = %v, want %v", got, want)
	}
}
