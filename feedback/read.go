package feedback

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/kuaiji/kuaiji/events"
)

// Since returns the ratings from t on, oldest first, reading in pages.
func (s *Store) Since(ctx context.Context, t time.Time) ([]Rating, error) {
	var out []Rating
	err := events.Range(ctx, s.rdb, s.key(), t, func(m redis.XMessage) {
		if r, ok := decode(m); ok {
			out = append(out, r)
		}
	})
	if err != nil {
		return nil, fmt.Errorf("read ratings: %w", err)
	}
	return out, nil
}

func decode(m redis.XMessage) (Rating, bool) {
	raw, _ := m.Values["a"].(string)
	var r Rating
	if json.Unmarshal([]byte(raw), &r.Answer) != nil {
		return Rating{}, false
	}
	r.ID = m.ID
	v, _ := m.Values["v"].(string)
	r.Up = v == "up"
	r.Reason, _ = m.Values["rc"].(string)
	r.Text, _ = m.Values["rt"].(string)
	ms, _, _ := strings.Cut(m.ID, "-")
	if n, err := strconv.ParseInt(ms, 10, 64); err == nil {
		r.Time = time.UnixMilli(n).UTC()
	}
	return r, true
}

// Tally is the ratings of the answers that rested on one source.
type Tally struct {
	Up, Down int
	// Reasons counts the reason codes given with the 👎s.
	Reasons map[string]int
}

// Counts tallies the ratings from since on per source id: each rating
// counts once for every source its answer rested on.
func (s *Store) Counts(ctx context.Context, since time.Time) (map[string]Tally, error) {
	rs, err := s.Since(ctx, since)
	if err != nil {
		return nil, err
	}
	return Tallies(rs), nil
}

// Tallies is [Store.Counts] over ratings already read.
func Tallies(rs []Rating) map[string]Tally {
	out := map[string]Tally{}
	for _, r := range rs {
		for _, src := range r.Sources {
			t := out[src]
			if r.Up {
				t.Up++
			} else {
				t.Down++
				if r.Reason != "" {
					if t.Reasons == nil {
						t.Reasons = map[string]int{}
					}
					t.Reasons[r.Reason]++
				}
			}
			out[src] = t
		}
	}
	return out
}

// Group is the ratings of answers to similar questions.
type Group struct {
	// Question is the group's most frequent (standalone) question;
	// Examples up to three other wordings.
	Question string
	Examples []string
	Up, Down int
	// Reasons counts the reason codes of the 👎s; Comments are up to
	// three free-text reasons (masked), newest first.
	Reasons  map[string]int
	Comments []string
	// Sources counts the documents the rated answers rested on.
	Sources        map[string]int
	Jurisdictions  map[string]int
	MeanConfidence float64
	Last           time.Time
}

// Disliked groups the ratings by question similarity (see
// [events.Similarity], at least threshold against the group's first
// question) and returns the groups with a 👎, the most disliked first: most
// 👎s, then the larger share of 👎s, then the latest.
func Disliked(rs []Rating, threshold float64) []Group {
	type group struct {
		g       Group
		texts   map[string]int
		confSum float64
	}
	freq := map[string]int{}
	for _, r := range rs {
		freq[text(r)]++
	}
	// Newest first, so comments are; then most frequent wordings first,
	// so a group is led by its usual form.
	order := slices.Clone(rs)
	slices.Reverse(order)
	slices.SortStableFunc(order, func(a, b Rating) int { return cmp.Compare(freq[text(b)], freq[text(a)]) })
	var groups []*group
	for _, r := range order {
		t := text(r)
		var into *group
		for _, gr := range groups {
			if events.Similarity(t, gr.g.Question) >= threshold {
				into = gr
				break
			}
		}
		if into == nil {
			into = &group{g: Group{Question: t, Reasons: map[string]int{}, Sources: map[string]int{}, Jurisdictions: map[string]int{}},
				texts: map[string]int{}}
			groups = append(groups, into)
		}
		g := &into.g
		if r.Up {
			g.Up++
		} else {
			g.Down++
			if r.Reason != "" {
				g.Reasons[r.Reason]++
			}
			if r.Text != "" && len(g.Comments) < 3 {
				g.Comments = append(g.Comments, r.Text)
			}
		}
		into.confSum += r.Confidence
		g.Jurisdictions[r.Jurisdiction]++
		for _, s := range r.Sources {
			g.Sources[s]++
		}
		if r.Time.After(g.Last) {
			g.Last = r.Time
		}
		if t != g.Question {
			into.texts[t]++
		}
	}
	var out []Group
	for _, gr := range groups {
		if gr.g.Down == 0 {
			continue
		}
		gr.g.MeanConfidence = gr.confSum / float64(gr.g.Up+gr.g.Down)
		var others []string
		for t := range gr.texts {
			others = append(others, t)
		}
		slices.SortFunc(others, func(a, b string) int {
			return cmp.Or(cmp.Compare(gr.texts[b], gr.texts[a]), strings.Compare(a, b))
		})
		gr.g.Examples = others[:min(3, len(others))]
		out = append(out, gr.g)
	}
	slices.SortStableFunc(out, func(a, b Group) int {
		// a.Down/(a.Up+a.Down) > b.Down/(b.Up+b.Down), without division.
		return cmp.Or(cmp.Compare(b.Down, a.Down), cmp.Compare(b.Down*(a.Up+a.Down), a.Down*(b.Up+b.Down)),
			b.Last.Compare(a.Last))
	})
	return out
}

// text is what was searched: the standalone question when a follow-up was
// resolved.
func text(r Rating) string {
	if r.Standalone != "" {
		return r.Standalone
	}
	return r.Question
}
