package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kuaiji/kuaiji/internal/tgfake"
)

// TestIngestReachesRunningReplicas: two webhook replicas share Redis and
// the data directory; a notice ingested while both run is answered by
// each of them within seconds, without a restart.
func TestIngestReachesRunningReplicas(t *testing.T) {
	// One at a time, so that the count of setWebhook calls tells which
	// replica is up.
	h := newServeHarness(t, withEnv("KUAIJI_DATA_DIR", dataDir(t)), withWebhook("/hook", "s"))
	replicas := []*serveReplica{h.serveReplica, h.start(withWebhook("/hook", "s"))}
	ask := func(r *serveReplica, user tgfake.User, text string) string {
		t.Helper()
		return h.next(user.ID, func() { r.post(user, text) }).Text
	}
	const q = "四川2026年度会计继续教育的学习截止日期是哪天"
	const fact = "12月15日"
	u1 := newUser("甲")
	if a := ask(replicas[0], u1, q); strings.Contains(a, fact) {
		t.Fatalf("the notice's fact before it was ingested:\n%s", a)
	}

	notices := t.TempDir()
	os.WriteFile(filepath.Join(notices, "sichuan-2026.md"), []byte("---\nid: sichuan-2026-notice\ntitle: 四川省2026年度会计人员继续教育通知\njurisdiction: 四川\n---\n# 四川省2026年度会计人员继续教育通知\n\n## 学习时间\n\n四川2026年度会计继续教育的学习截止日期为2026年12月15日，逾期不再补学。\n"), 0o644)
	if out, errOut, err := h.run("ingest", notices); err != nil {
		t.Fatalf("ingest: %v\n%s%s", err, out, errOut)
	}
	for i, r := range replicas {
		u := newUser("乙")
		var a string
		deadline := time.Now().Add(15 * time.Second)
		for a = ask(r, u, q); !strings.Contains(a, fact) && time.Now().Before(deadline); a = ask(r, u, q) {
			time.Sleep(300 * time.Millisecond)
		}
		if !strings.Contains(a, fact) {
			t.Errorf("replica %d still answers without the ingested notice:\n%s", i+1, a)
		}
	}
}
