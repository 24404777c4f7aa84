package flows_test

import (
	"strings"
	"testing"
	"time"

	"github.com/kuaiji/kuaiji/flows"
)

// TestLoaderChecksRequestWords: the words that lead to a flow are checked
// when flows load, like every other part of a flow.
func TestLoaderChecksRequestWords(t *testing.T) {
	base := "id: x\ntitle: X\nstart: a\nsteps:\n  a: {ask: 在哪？, parse: place, save: jurisdiction, next: b}\n  b: {say: 好, cite: [cpe-rules], end: true}\n"
	for name, tt := range map[string]struct {
		extra, want string
	}{
		"empty word":           {"requests: [帮我+]\n", "empty word"},
		"suggest without text": {"suggest: {when: [采集]}\n", "suggest needs text"},
		"cues on a non-place":  {"", ""},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := flows.Parse([]byte(base+tt.extra), docs())
			if tt.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want %q", err, tt.want)
			}
		})
	}
	bad := "id: x\ntitle: X\nstart: a\nsteps:\n  a: {ask: 是吗？, parse: yesno, save: ok, cues: [从], next: b}\n  b: {say: 好, cite: [cpe-rules], end: true}\n"
	if _, err := flows.Parse([]byte(bad), docs()); err == nil || !strings.Contains(err.Error(), "cues are for place steps") {
		t.Errorf("cues on a yes/no step: err = %v", err)
	}
}

// BenchmarkSettles measures what the router spends per typed message on
// asking every flow whether the message settles it.
func BenchmarkSettles(b *testing.B) {
	eng := flows.New(nil, loadFlows(b), newFakePlaces(), flows.WithClock(func() time.Time { return time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC) }))
	text := "我没有职称，也没做会计，就是个在读大学生，暂时不打算考试"
	for b.Loop() {
		for _, f := range eng.All() {
			eng.Settles(f.ID, text, 3)
		}
	}
}
