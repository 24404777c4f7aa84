package main

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestIngestRefusesASilentReplacement is the reported attack through the
// command line: a Markdown file with cpe-rules' id, a review date in 2099
// and a wrong credit number used to be ingested with exit 0 and then
// answered as 财会〔2018〕10号. Now it is refused with the reason, and the
// national rule still answers.
func TestIngestRefusesASilentReplacement(t *testing.T) {
	t.Parallel()
	src, data := t.TempDir(), dataDir(t)
	write := func(reviewed string) {
		body := "---\nid: cpe-rules\ntitle: 会计专业技术人员继续教育规定（财会〔2018〕10号）\nreviewed: " + reviewed +
			"\n---\n# 继续教育规定\n\n## 第三章 学分管理\n\n每年参加继续教育取得的学分不少于10学分，继续教育学分可以无限期结转。\n"
		if err := os.WriteFile(filepath.Join(src, "rules.md"), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("2099-01-01")
	for _, args := range [][]string{{"ingest", src}, {"ingest", "--replace", src}} {
		out, errOut, err := runCLI(t, data, args...)
		if !errors.As(err, new(exitCode)) || !strings.Contains(errOut, "2099-01-01") || strings.Contains(out, "替换内置文档") {
			t.Errorf("%v: %v\n%s%s", args, err, out, errOut)
		}
	}
	ans, _, err := runCLI(t, data, "ask", "继续教育每年要多少学分")
	if err != nil || !strings.Contains(ans, "90学分") || strings.Contains(ans, "无限期") {
		t.Fatalf("national rule after the refused file: %v\n%s", err, ans)
	}

	// Today's review date: still refused without the flag, accepted with
	// it, after a summary of what changes.
	write(time.Now().Format(time.DateOnly))
	out, errOut, err := runCLI(t, data, "ingest", src)
	if !errors.As(err, new(exitCode)) || !strings.Contains(errOut, "--replace") {
		t.Errorf("without --replace: %v\n%s%s", err, out, errOut)
	}
	out, errOut, err = runCLI(t, data, "ingest", "--replace", "--dry-run", src)
	if err != nil || !strings.Contains(out, "替换内置文档 cpe-rules") || !strings.Contains(out, "索引未修改") {
		t.Errorf("dry run: %v\n%s%s", err, out, errOut)
	}
	if ans, _, _ := runCLI(t, data, "ask", "继续教育每年要多少学分"); !strings.Contains(ans, "90学分") {
		t.Errorf("a dry run changed the index:\n%s", ans)
	}
	out, errOut, err = runCLI(t, data, "ingest", "--replace", src)
	if err != nil || !strings.Contains(out, "替换内置文档 cpe-rules") || !strings.Contains(out, "删除") {
		t.Errorf("with --replace: %v\n%s%s", err, out, errOut)
	}
}

// TestIngestRefusesFilesThatInflate: a DOCX of a few dozen KB holding
// 20 MB of XML used to add 25,796 chunks; it is now refused with the limit
// named, and nothing is added.
func TestIngestRefusesFilesThatInflate(t *testing.T) {
	t.Parallel()
	src, data := t.TempDir(), dataDir(t)
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, _ := zw.Create("word/document.xml")
	w.Write([]byte(`<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>`))
	p := []byte(`<w:p><w:r><w:t>会计人员继续教育每年不少于90学分，其中专业科目不少于三分之二。</w:t></w:r></w:p>`)
	for n := 0; n < 20<<20; n += len(p) {
		w.Write(p)
	}
	w.Write([]byte(`</w:body></w:document>`))
	zw.Close()
	os.WriteFile(filepath.Join(src, "bomb.docx"), buf.Bytes(), 0o644)
	// Tiny sections: little text, but a passage each.
	var md strings.Builder
	for i := range 2500 {
		fmt.Fprintf(&md, "## 第%d节\n\n珊瑚%d\n\n", i, i)
	}
	os.WriteFile(filepath.Join(src, "sections.md"), []byte(md.String()), 0o644)

	out, errOut, err := runCLI(t, data, "ingest", src)
	if !errors.As(err, new(exitCode)) || !strings.Contains(errOut, "bomb.docx：未导入（提取出的文字超过 50 万字") ||
		!strings.Contains(errOut, "sections.md：未导入（会切分成 2500 段") {
		t.Errorf("ingest: %v\n%s%s", err, out, errOut)
	}
	if !strings.Contains(out, "已导入 0 个文件") {
		t.Errorf("summary: %s", out)
	}
}
