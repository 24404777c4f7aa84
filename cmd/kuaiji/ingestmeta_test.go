package main

import (
	"archive/zip"
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// plainDOCX is a DOCX converted from plain text: paragraphs, no styles,
// no title in its properties.
func plainDOCX(t *testing.T, paras ...string) []byte {
	t.Helper()
	var body strings.Builder
	for _, p := range paras {
		body.WriteString(`<w:p><w:r><w:t xml:space="preserve">` + p + `</w:t></w:r></w:p>`)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, _ := zw.Create("word/document.xml")
	w.Write([]byte(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>` + body.String() + `<w:sectPr/></w:body></w:document>`))
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func write(t *testing.T, p string, b []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestIngestReadsTitleAndPlace: a DOCX without a styled title gets its
// first line as title and its place from it; a place only the text names
// is taken with a warning; a sidecar or --jurisdiction says it outright;
// and the ingest report shows each.
func TestIngestReadsTitleAndPlace(t *testing.T) {
	t.Parallel()
	data, notices := dataDir(t), t.TempDir()
	env := map[string]string{"KUAIJI_DATA_DIR": data}
	write(t, filepath.Join(notices, "sichuan-2026.docx"), plainDOCX(t,
		"四川省财政厅关于做好2026年度会计人员继续教育工作的通知",
		"各市（州）财政局：2026年度会计人员继续教育学习截止时间为2026年11月30日。"))
	write(t, filepath.Join(notices, "notice-b.docx"), plainDOCX(t,
		"关于做好2026年度会计人员信息采集工作的通知",
		"请贵州各地会计人员及时完成信息采集。", "贵州省各级财政部门负责审核。"))
	write(t, filepath.Join(notices, "notice-c.docx"), plainDOCX(t,
		"关于继续教育学分登记的说明", "学分登记请按本通知办理。"))
	write(t, filepath.Join(notices, "notice-c.docx.yaml"), []byte("jurisdiction: 深圳\ntitle: 深圳市会计继续教育学分登记说明\n"))
	write(t, filepath.Join(notices, "notice-d.docx"), plainDOCX(t,
		"关于会计人员继续教育的补充说明", "学习记录以平台为准。"))
	out, errOut, err := runEnv(t, env, "", "ingest", notices)
	if !errors.As(err, new(exitCode)) {
		t.Fatalf("ingest with a file naming no place: want exit 1, got %v\n%s", err, out)
	}
	out += errOut
	for _, want := range []string{
		"sichuan-2026.docx：《四川省财政厅关于做好2026年度会计人员继续教育工作的通知》，地区：四川",
		"notice-b.docx：《关于做好2026年度会计人员信息采集工作的通知》，地区：贵州", "（从正文推断）⚠️",
		"notice-c.docx：《深圳市会计继续教育学分登记说明》，地区：深圳",
		"notice-d.docx：未导入（看不出适用的地区", "notice-d.docx.yaml",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("ingest report lacks %q:\n%s", want, out)
		}
	}
	if strings.Count(out, "未导入") != 1 {
		t.Errorf("only the placeless notice is refused (a sidecar is no document):\n%s", out)
	}
	// Said to be national, it is taken as such.
	if out, _, err := runEnv(t, env, "", "ingest", "--jurisdiction", "全国", notices); err != nil || !strings.Contains(out, "notice-d.docx：《关于会计人员继续教育的补充说明》，地区：全国") {
		t.Errorf("--jurisdiction 全国: %v\n%s", err, out)
	}
	// The deadline is answered for 四川, as 四川's.
	a, _, err := runEnv(t, env, "", "ask", "--province", "四川", "2026年度继续教育学习截止时间是什么时候")
	if err != nil || !strings.Contains(a, "11月30日") {
		t.Errorf("四川's notice not answered for 四川: %v\n%s", err, a)
	}
	// --jurisdiction overrides what the file says.
	write(t, filepath.Join(notices, "cq", "x.docx"), plainDOCX(t, "关于继续教育的通知", "请按时学习。"))
	out, _, err = runEnv(t, env, "", "ingest", "--jurisdiction", "重庆", filepath.Join(notices, "cq"))
	if err != nil || !strings.Contains(out, "x.docx：《关于继续教育的通知》，地区：重庆") {
		t.Errorf("--jurisdiction: %v\n%s", err, out)
	}
	if out, _, err := runEnv(t, env, "", "ingest", "--jurisdiction", "火星", filepath.Join(notices, "cq")); err == nil || !strings.Contains(out, "不认识地区") {
		t.Errorf("unknown place: %v\n%s", err, out)
	}
}

// TestPruneOnlyWhatCameFromTheFolder: --prune with one folder keeps what
// was ingested earlier from another.
func TestPruneOnlyWhatCameFromTheFolder(t *testing.T) {
	t.Parallel()
	data, a, b := dataDir(t), t.TempDir(), t.TempDir()
	env := map[string]string{"KUAIJI_DATA_DIR": data}
	write(t, filepath.Join(a, "a.md"), []byte("---\nid: notice-a\ntitle: 甲通知\njurisdiction: 四川\n---\n# 甲通知\n\n四川会计人员继续教育通知甲。\n"))
	write(t, filepath.Join(b, "b.md"), []byte("---\nid: notice-b\ntitle: 乙通知\njurisdiction: 四川\n---\n# 乙通知\n\n四川会计人员继续教育通知乙。\n"))
	if out, _, err := runEnv(t, env, "", "ingest", a); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if out, _, err := runEnv(t, env, "", "ingest", "--prune", b); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	out, _, _ := runEnv(t, env, "", "docs", "--ingested")
	if !strings.Contains(out, "notice-a") || !strings.Contains(out, "notice-b") {
		t.Errorf("prune of %s removed a notice from %s:\n%s", b, a, out)
	}
	os.Remove(filepath.Join(b, "b.md"))
	write(t, filepath.Join(b, "c.md"), []byte("---\nid: notice-c\ntitle: 丙通知\njurisdiction: 四川\n---\n# 丙通知\n\n四川会计人员继续教育通知丙。\n"))
	runEnv(t, env, "", "ingest", "--prune", b)
	out, _, _ = runEnv(t, env, "", "docs", "--ingested")
	if !strings.Contains(out, "notice-a") || strings.Contains(out, "notice-b") || !strings.Contains(out, "notice-c") {
		t.Errorf("prune of %s after b.md went:\n%s", b, out)
	}
}
