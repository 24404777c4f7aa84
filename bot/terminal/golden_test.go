package terminal_test

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kuaiji/kuaiji/bot/terminal"
)

var update = flag.Bool("update", false, "rewrite the golden transcripts in testdata")

// TestGolden keeps whole chat transcripts in testdata/*.golden; run with
// -update after changing a flow on purpose and review the diff.
func TestGolden(t *testing.T) {
	for name, input := range map[string]string{
		"check":     "/check\n中级\n是\n否\n2023年5月\n广东\n",
		"materials": "/materials\n天津\n首次采集\n无\n否\n否\n/export\n",
		"transfer":  "/transfer\n深圳\n广东\n",
	} {
		t.Run(name, func(t *testing.T) {
			path, err := filepath.Abs(filepath.Join("testdata", name+".golden"))
			if err != nil {
				t.Fatal(err)
			}
			r := newRouter(t)
			// /export writes into the working directory.
			t.Chdir(t.TempDir())
			var out bytes.Buffer
			if err := terminal.Run(context.Background(), r, strings.NewReader(input), &out, terminal.Options{UserID: 1}); err != nil {
				t.Fatal(err)
			}
			if *update {
				if err := os.WriteFile(path, out.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run with -update)", err)
			}
			if out.String() != string(want) {
				t.Errorf("transcript differs from %s (run with -update and review):\n%s", path, out.String())
			}
		})
	}
}
