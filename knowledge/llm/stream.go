package llm

import (
	"strings"
	"unicode/utf8"

	"github.com/kuaiji/kuaiji/knowledge"
)

// streamer turns raw model deltas into deltas fit to show as a draft: the
// <think> block and the no-answer marker removed, citations renumbered as
// the final answer will number them, and a marker cut in two held back
// until it is whole.
type streamer struct {
	passages []knowledge.Passage
	onDelta  func(string)
	raw      strings.Builder
	shown    string
}

func (s *streamer) add(delta string) {
	s.raw.WriteString(delta)
	s.emit(false)
}

// emit sends what became showable; final sends everything left.
func (s *streamer) emit(final bool) {
	out := newCiter(s.passages).rewrite(showable(s.raw.String(), final))
	if len(out) > len(s.shown) && strings.HasPrefix(out, s.shown) {
		s.onDelta(out[len(s.shown):])
		s.shown = out
	}
}

// showable returns the part of a partial reply that can be shown.
func showable(raw string, final bool) string {
	t := strings.TrimLeft(raw, " \n\t")
	const open, closing = "<think>", "</think>"
	if !final && len(t) < len(open) && strings.HasPrefix(open, t) {
		return ""
	}
	if strings.HasPrefix(t, open) {
		_, after, ok := strings.Cut(t, closing)
		if !ok {
			return ""
		}
		t = strings.TrimLeft(after, " \n\t")
	}
	if !final && len(t) < len(noAnswerMarker) && strings.HasPrefix(noAnswerMarker, t) {
		return ""
	}
	if rest, ok := strings.CutPrefix(t, noAnswerMarker); ok {
		t = strings.TrimLeft(rest, " \n\t")
	}
	if !final {
		// A rune cut in two waits for its other half.
		for i := 0; i < utf8.UTFMax-1 && len(t) > 0; i++ {
			if r, n := utf8.DecodeLastRuneInString(t); r != utf8.RuneError || n != 1 {
				break
			}
			t = t[:len(t)-1]
		}
		if i := strings.LastIndexAny(t, "[［【"); i >= 0 && !strings.ContainsAny(t[i:], "]］】") && len(t)-i < 24 {
			t = t[:i]
		}
	}
	return t
}
