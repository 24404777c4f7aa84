package telegram_test

import (
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kuaiji/kuaiji/internal/testimage"
	"github.com/kuaiji/kuaiji/policies"
	"github.com/kuaiji/kuaiji/uploadcheck"

	"github.com/kuaiji/kuaiji/bot/telegram"
)

// BenchmarkPhotoBurst sends the costliest image the check still decodes
// (a 16-bit RGBA PNG of 3600×4600 pixels) from eight users at once through
// the fake Bot API, waits until each is answered, and reports the peak
// resident memory of the process and how many were told to try again.
// Eight such files used to take 2.8 GB together. Run it alone:
//
//	go test -run '^$' -bench PhotoBurst -benchtime 1x ./bot/telegram
func BenchmarkPhotoBurst(b *testing.B) {
	p, err := uploadcheck.Load(policies.FS, "uploads.yaml")
	if err != nil {
		b.Fatal(err)
	}
	h := newHarness(b, telegram.WithUploadCheck(p))
	data := testimage.BlankPNG(b, 3600, 4600, 6, 16, false)
	var users []*person
	for i := range 8 {
		users = append(users, h.user(int64(7100+i), "用户"+strconv.Itoa(i)))
	}
	busy := 0
	for b.Loop() {
		for _, u := range users {
			h.api.SendDocument(u.u, data, "照片.png", "image/png", 0, "")
		}
		for _, u := range users {
			var text string
			if !h.api.Until(10*time.Minute, func() bool {
				ms := h.api.Messages(u.chat.ID)
				for i := u.seen; i < len(ms); i++ {
					if strings.Contains(ms[i].Text, "检查结果") || strings.Contains(ms[i].Text, "同时检查") {
						text, u.seen = ms[i].Text, i+1
						return true
					}
				}
				return false
			}) {
				b.Fatal("no answer")
			}
			if strings.Contains(text, "同时检查") {
				busy++
			}
		}
	}
	b.ReportMetric(float64(busy)/float64(b.N), "busy/burst")
	if st, err := os.ReadFile("/proc/self/status"); err == nil {
		for _, l := range strings.Split(string(st), "\n") {
			if rest, ok := strings.CutPrefix(l, "VmHWM:"); ok {
				kb, _ := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")))
				b.ReportMetric(float64(kb>>10), "peak-RSS-MiB")
			}
		}
	}
}
