package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestChatWholeSentencePersonas drives `kuaiji chat` as people type: the
// request starts the flow and every answer is a whole sentence.
func TestChatWholeSentencePersonas(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		lines []string
		want  []string
	}{
		{"check, new hire", []string{"帮我判断一下要不要做信息采集", "中级职称，在职，不是派遣", "去年拿的证", "广东"},
			[]string{"已记下：中级、在职做会计、非派遣", "结论：需要采集", "工作单位所在地"}},
		{"check, student", []string{"我需要做信息采集吗", "我没有职称，也没做会计，就是个在读大学生，暂时不打算考试"},
			[]string{"一步步帮您判断是否需要采集", "结论：无需采集"}},
		{"transfer", []string{"我要跨省调转", "从北京调到上海"},
			[]string{"已记下：北京市、上海市", "从北京市调往上海市", "调入上海"}},
		{"change", []string{"我要办理信息变更", "我在广东", "换了单位", "新单位还在广东"},
			[]string{"新单位是否还在广东省", "新单位的工作证明"}},
		{"materials", []string{"帮我看看要准备什么材料", "深圳", "第一次采集", "我是初级，在职"},
			[]string{"在深圳市办理首次采集", "会计专业技术资格（职称）证书", "从事会计工作的证明"}},
		{"walkthrough typed", []string{"带我一步步把采集做完", "下一步"},
			[]string{"第2步（共8步）", "请输入序号"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			out := chatScript(t, nil, 1, tt.lines...)
			for _, w := range tt.want {
				if !strings.Contains(out, w) {
					t.Errorf("transcript lacks %q:\n%s", w, out)
				}
			}
		})
	}
}

// TestChatExportAndQuit: /export writes the file it names into the working
// directory, and /quit leaves before the next line.
func TestChatExportAndQuit(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"KUAIJI_DATA_DIR": dataDir(t)}
	// openIndex reads the corpus from the embedded policies, so the working
	// directory is free for the export.
	t.Chdir(dir)
	out := chatScript(t, env, 1, "/materials", "深圳", "首次采集", "中级", "是", "/export", "/quit", "/check")
	if !strings.Contains(out, "材料清单-深圳市.txt") || !strings.Contains(out, "再见") {
		t.Fatalf("export or quit missing:\n%s", out)
	}
	if strings.Contains(out, "是什么级别？（原") {
		t.Errorf("a line after /quit was handled:\n%s", out)
	}
	b, err := os.ReadFile(filepath.Join(dir, "材料清单-深圳市.txt"))
	if err != nil {
		t.Fatalf("exported file not written: %v\n%s", err, out)
	}
	if !strings.Contains(string(b), "近期标准证件照") {
		t.Errorf("exported file lacks the checklist:\n%s", b)
	}
}
