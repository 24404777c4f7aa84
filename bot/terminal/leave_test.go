package terminal_test

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"

	"github.com/kuaiji/kuaiji/bot/terminal"
)

// TestExportWritesTheFileItNames: the file /export names is in the working
// directory afterwards, holding the checklist.
func TestExportWritesTheFileItNames(t *testing.T) {
	r := newRouter(t)
	dir := t.TempDir()
	t.Chdir(dir)
	var out bytes.Buffer
	in := "/materials\n深圳\n首次采集\n中级\n是\n/export\n"
	if err := terminal.Run(context.Background(), r, strings.NewReader(in), &out, terminal.Options{UserID: 5}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "材料清单-深圳市.txt") {
		t.Fatalf("export names no file:\n%s", out.String())
	}
	b, err := os.ReadFile(dir + "/材料清单-深圳市.txt")
	if err != nil {
		t.Fatalf("named file not written: %v\n%s", err, out.String())
	}
	for _, want := range []string{"在深圳市办理首次采集", "近期标准证件照", "会计专业技术资格（职称）证书"} {
		if !strings.Contains(string(b), want) {
			t.Errorf("file lacks %q:\n%s", want, b)
		}
	}
}

// TestQuitAndExitLeave: nothing typed after /quit or /exit is answered.
func TestQuitAndExitLeave(t *testing.T) {
	for _, cmd := range []string{"/quit", "/exit", "/QUIT"} {
		t.Run(cmd, func(t *testing.T) {
			var out bytes.Buffer
			in := cmd + "\n/check\n"
			if err := terminal.Run(context.Background(), newRouter(t), strings.NewReader(in), &out, terminal.Options{UserID: 6}); err != nil {
				t.Fatal(err)
			}
			s := out.String()
			if !strings.Contains(s, "再见") || strings.Contains(s, "职称") || strings.Contains(s, "没有 /") {
				t.Errorf("%s did not leave:\n%s", cmd, s)
			}
		})
	}
}

// TestOptionsSayWhatToType: a terminal has nothing to tap, so options come
// with what to type, and no text asks to tap.
func TestOptionsSayWhatToType(t *testing.T) {
	var out bytes.Buffer
	in := "/walkthrough\n下一步\n"
	if err := terminal.Run(context.Background(), newRouter(t), strings.NewReader(in), &out, terminal.Options{UserID: 7}); err != nil {
		t.Fatal(err)
	}
	s := out.String()
	if strings.Contains(s, "请点") || strings.Contains(s, "点击") {
		t.Errorf("terminal text asks to tap:\n%s", s)
	}
	if !strings.Contains(s, "请输入序号 1–3") || !strings.Contains(s, "第2步（共8步）") {
		t.Errorf("no typing hint or typed label not taken:\n%s", s)
	}
}
