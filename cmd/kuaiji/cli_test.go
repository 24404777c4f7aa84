package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// runCLI runs the command line with its own index directory.
func runCLI(t *testing.T, dataDir string, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	env := map[string]string{"KUAIJI_DATA_DIR": dataDir}
	var out, errOut bytes.Buffer
	err = run(context.Background(), args, func(k string) string { return env[k] }, strings.NewReader(""), &out, &errOut)
	return out.String(), errOut.String(), err
}

func TestAskJSONShape(t *testing.T) {
	t.Parallel()
	out, _, err := runCLI(t, dataDir(t), "ask", "--json", "深圳的公需课去哪里学")
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]json.RawMessage
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("not one JSON object: %v\n%s", err, out)
	}
	for _, k := range []string{"answer", "sources", "confidence", "handoff", "suggestions"} {
		if _, ok := got[k]; !ok {
			t.Errorf("missing key %q in %s", k, out)
		}
	}
	var sources []map[string]any
	json.Unmarshal(got["sources"], &sources)
	if len(sources) == 0 {
		t.Fatal("no sources")
	}
	for _, k := range []string{"id", "title", "province", "section", "score"} {
		if _, ok := sources[0][k]; !ok {
			t.Errorf("source lacks %q: %v", k, sources[0])
		}
	}
	if sources[0]["province"] != "深圳市" {
		t.Errorf("first source province %v", sources[0]["province"])
	}
}

func TestAskFlagsAfterQuestionAndPlainOutput(t *testing.T) {
	t.Parallel()
	out, _, err := runCLI(t, dataDir(t), "ask", "公需课去哪里学", "--province", "深圳")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "深圳") || !strings.Contains(out, "来源：\n[1] ") {
		t.Errorf("plain answer:\n%s", out)
	}
}

func TestAskBadInput(t *testing.T) {
	t.Parallel()
	out, _, err := runCLI(t, dataDir(t), "ask", "  ")
	if !errors.As(err, new(exitCode)) || !strings.Contains(out, "请在 ask 后面写上您的问题") {
		t.Errorf("empty question: %v %q", err, out)
	}
	out, _, err = runCLI(t, dataDir(t), "ask", "--province", "广冬", "学分")
	if !errors.As(err, new(exitCode)) || !strings.Contains(out, "广东省") || !strings.Contains(out, "没有找到地区“广冬”") {
		t.Errorf("unknown province: %v %q", err, out)
	}
}

func TestIngestNamesBadFilesAndKeepsTheRest(t *testing.T) {
	t.Parallel()
	src := t.TempDir()
	os.WriteFile(filepath.Join(src, "good.md"), []byte("# 珠海补充通知\n\n珠海的会计人员请在每年11月30日前完成网络学习。\n"), 0o644)
	os.WriteFile(filepath.Join(src, "bad.md"), []byte("---\nid: bad\ntitle: 坏: 文件\n---\n正文\n"), 0o644)
	os.WriteFile(filepath.Join(src, "table.xlsx"), []byte("PK"), 0o644)
	data := dataDir(t)
	out, errOut, err := runCLI(t, data, "ingest", src)
	if !errors.As(err, new(exitCode)) {
		t.Fatalf("want a non-zero exit, got %v", err)
	}
	if !strings.Contains(errOut, "bad.md:3") || !strings.Contains(errOut, "table.xlsx") || strings.Contains(errOut, "good.md") {
		t.Errorf("report:\n%s", errOut)
	}
	if !strings.Contains(out, "已导入 1 个文件") {
		t.Errorf("summary: %s", out)
	}
	ans, _, err := runCLI(t, data, "ask", "珠海的继续教育网络学习几月前完成")
	if err != nil || !strings.Contains(ans, "11月30日") {
		t.Errorf("ingested document not used: %v\n%s", err, ans)
	}
}

// TestIngestPruneRemoveAndList: the operator's folder is the truth with
// --prune (but not while a file in it is broken), --remove drops one
// document, and docs lists what answers can cite.
func TestIngestPruneRemoveAndList(t *testing.T) {
	t.Parallel()
	src, data := t.TempDir(), dataDir(t)
	write := func(name, body string) {
		if err := os.WriteFile(filepath.Join(src, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("zhuhai.md", "---\nid: zhuhai-note\ntitle: 珠海补充通知\n---\n珠海的会计人员请在每年11月30日前完成网络学习。\n")
	write("shantou.md", "---\nid: shantou-note\ntitle: 汕头补充通知\n---\n汕头的会计人员请在每年10月31日前完成网络学习。\n")
	if out, errOut, err := runCLI(t, data, "ingest", src); err != nil {
		t.Fatalf("ingest: %v\n%s%s", err, out, errOut)
	}
	out, _, err := runCLI(t, data, "docs", "--ingested")
	if err != nil || !strings.Contains(out, "zhuhai-note") || !strings.Contains(out, "shantou-note") || !strings.Contains(out, "共 2 个文档") {
		t.Fatalf("docs --ingested: %v\n%s", err, out)
	}

	os.Remove(filepath.Join(src, "shantou.md"))
	write("broken.pdf", "%PDF-1.4 not really")
	out, _, err = runCLI(t, data, "ingest", "--prune", src)
	if !errors.As(err, new(exitCode)) || !strings.Contains(out, "没有清理") {
		t.Errorf("prune with a broken file: %v\n%s", err, out)
	}
	if ans, _, _ := runCLI(t, data, "ask", "汕头的网络学习几月前完成"); !strings.Contains(ans, "10月31日") {
		t.Errorf("a broken file in the folder pruned another document:\n%s", ans)
	}
	os.Remove(filepath.Join(src, "broken.pdf"))
	out, _, err = runCLI(t, data, "ingest", "--prune", src)
	if err != nil || !strings.Contains(out, "shantou-note") {
		t.Errorf("prune: %v\n%s", err, out)
	}
	if ans, _, _ := runCLI(t, data, "ask", "汕头的网络学习几月前完成"); strings.Contains(ans, "10月31日") {
		t.Errorf("pruned document still answers:\n%s", ans)
	}

	out, _, err = runCLI(t, data, "ingest", "--remove", "cpe-rules")
	if !errors.As(err, new(exitCode)) || !strings.Contains(out, "只能删除用 ingest 导入的文档") {
		t.Errorf("removing a built-in document: %v\n%s", err, out)
	}
	if out, _, err = runCLI(t, data, "ingest", "--remove", "zhuhai-note"); err != nil {
		t.Errorf("remove: %v\n%s", err, out)
	}
	out, _, err = runCLI(t, data, "docs", "--json")
	var list []struct {
		ID       string `json:"id"`
		Ingested bool   `json:"ingested"`
	}
	if err != nil || json.Unmarshal([]byte(out), &list) != nil || len(list) < 40 {
		t.Fatalf("docs --json: %v\n%s", err, out)
	}
	for _, d := range list {
		if d.Ingested {
			t.Errorf("still ingested after remove and prune: %s", d.ID)
		}
	}
}

// TestEvalWithHistory: a case may carry the user's earlier questions; the
// follow-up is then understood in their light.
func TestEvalWithHistory(t *testing.T) {
	t.Parallel()
	set := filepath.Join(t.TempDir(), "set.jsonl")
	os.WriteFile(set, []byte(`{"id":"f","history":["广东继续教育公需课要多少学分"],"q":"那深圳呢？","province":"","expect_any":["会计管理综合平台"],"topic":"cpe","kind":"answerable"}
{"id":"g","q":"那深圳呢？","province":"","expect_any":["会计管理综合平台"],"topic":"cpe","kind":"answerable"}
`), 0o644)
	out, _, err := runCLI(t, dataDir(t), "eval", set)
	if err != nil || !strings.Contains(out, "命中率：50.0%") || !strings.Contains(out, "[g]") || strings.Contains(out, "[f]") {
		t.Errorf("eval with history: %v\n%s", err, out)
	}
}

func TestEvalExitsBelowThreshold(t *testing.T) {
	t.Parallel()
	set := filepath.Join(t.TempDir(), "set.jsonl")
	os.WriteFile(set, []byte(`{"id":"a","q":"继续教育每年多少学分","province":"","expect_any":["90学分"],"topic":"cpe","kind":"answerable"}
{"id":"b","q":"继续教育每年多少学分","province":"","expect_any":["一个不可能出现的短语"],"topic":"cpe","kind":"answerable"}
`), 0o644)
	out, _, err := runCLI(t, dataDir(t), "eval", "--min-hit", "0.9", set)
	if !errors.As(err, new(exitCode)) || !strings.Contains(out, "命中率：50.0%") || !strings.Contains(out, "[b]") {
		t.Errorf("eval: %v\n%s", err, out)
	}
	if _, _, err := runCLI(t, dataDir(t), "eval", "--min-hit", "0.5", set); err != nil {
		t.Errorf("eval at threshold: %v", err)
	}
}
