package main

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/kuaiji/kuaiji/deskfaq"
	"github.com/kuaiji/kuaiji/events"
	"github.com/kuaiji/kuaiji/feedback"
	"github.com/kuaiji/kuaiji/knowledge"
	"github.com/kuaiji/kuaiji/policies"
)

// runGaps prints the questions answered with low confidence or handed
// off, grouped by similarity: what documents are missing.
func runGaps(ctx context.Context, cfg config, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("gaps", flag.ContinueOnError)
	fs.SetOutput(stderr)
	since := fs.String("since", "30d", "时间范围，如 30d、12h")
	minConf := fs.Float64("min-confidence", 0.5, "低于此把握度的回答计入")
	similar := fs.Float64("similarity", 0.5, "归为一组所需的相似度（字二元组 Jaccard，0–1）")
	limit := fs.Int("limit", 30, "最多显示几组")
	asJSON := fs.Bool("json", false, "输出 JSON")
	if err := fs.Parse(args); err != nil {
		return err
	}
	age, err := parseAge(*since)
	if err != nil {
		return fmt.Errorf("gaps: --since: %w", err)
	}
	if cfg.redisURL == "" {
		return errors.New("gaps: REDIS_URL is not set; the questions are recorded in the Redis that kuaiji serve uses")
	}
	rdb, err := newRedis(cfg.redisURL, false)
	if err != nil {
		return fmt.Errorf("gaps: REDIS_URL: %w", err)
	}
	defer rdb.Close()
	stream := events.New(rdb, events.WithPrefix(keyPrefix(cfg.redisURL)), events.WithRetention(cfg.retention))
	if _, err := stream.Trim(ctx); err != nil {
		return fmt.Errorf("gaps: %w", err)
	}
	evs, err := stream.Since(ctx, time.Now().Add(-age))
	if err != nil {
		return fmt.Errorf("gaps: %w", err)
	}
	fb := openFeedback(cfg, nil, rdb)
	if _, err := fb.Trim(ctx); err != nil {
		return fmt.Errorf("gaps: %w", err)
	}
	rated, err := fb.Since(ctx, time.Now().Add(-age))
	if err != nil {
		return fmt.Errorf("gaps: %w", err)
	}
	disliked := feedback.Disliked(rated, *similar)
	disliked = disliked[:min(len(disliked), *limit)]
	gaps := events.Gaps(evs, *minConf, *similar)
	weak, groups := 0, len(gaps)
	for _, g := range gaps {
		weak += g.Count
	}
	gaps = gaps[:min(len(gaps), *limit)]
	// Help-desk entries past their review date answer no more: they are
	// gaps until reviewed.
	_, expired, err := newDeskStore(cfg, rdb, nil).Answering(ctx, time.Now())
	if err != nil {
		return fmt.Errorf("gaps: %w", err)
	}
	if *asJSON {
		return writeGapsJSON(stdout, gaps, len(evs), weak, rated, disliked, expired)
	}
	fmt.Fprintf(stdout, "最近 %s：共 %d 个提问，其中 %d 个回答把握不大或转了人工，归为 %d 组（显示前 %d 组）。\n",
		*since, len(evs), weak, groups, len(gaps))
	for i, g := range gaps {
		fmt.Fprintf(stdout, "\n%d. %s\n   次数 %d · 转人工 %d · 平均把握度 %.2f · 最近 %s\n", i+1, oneLine(g.Question), g.Count,
			g.Handoffs, g.MeanConfidence, g.Last.Local().Format("2006-01-02 15:04"))
		if j := counted(placeNames(g.Jurisdictions), "全国/未指明"); j != "" {
			fmt.Fprintf(stdout, "   地区：%s\n", j)
		}
		for _, ex := range g.Examples {
			fmt.Fprintf(stdout, "   相似问法：%s\n", oneLine(ex))
		}
		if s := counted(g.Sources, ""); s != "" {
			fmt.Fprintf(stdout, "   已引用：%s\n", s)
		}
		if g.LastID != "" {
			fmt.Fprintf(stdout, "   整理为常见问题：kuaiji faq draft --from-event %s\n", g.LastID)
		}
	}
	if len(expired) > 0 {
		fmt.Fprintf(stdout, "\n已过期、不再回答的帮助台答复 %d 条（复核后 kuaiji faq publish 编号 重新发布，或 kuaiji faq retire 编号 停用）：\n", len(expired))
		for _, e := range expired {
			fmt.Fprintf(stdout, "   %s · 到期 %s · 命中 %d · %s\n", e.Ref(), day(e.Expires), e.Hits, oneLine(e.Question))
		}
	}
	writeDisliked(stdout, rated, disliked)
	return nil
}

// counted is "广东 3、上海 1", most frequent first; empty keys are named
// blank (or dropped when blank is "").
// placeNames keys counts by jurisdiction by the names people write
// (广东省, not guangdong) for operator output.
func placeNames(m map[string]int) map[string]int {
	out := make(map[string]int, len(m))
	for code, n := range m {
		out[placeName(code)] += n
	}
	return out
}

// placeName is a jurisdiction code's name ("" stays "").
func placeName(code string) string {
	if code == "" {
		return ""
	}
	if places, err := builtinPlaces(); err == nil {
		if j, ok := places.ByCode(code); ok {
			return j.Name
		}
	}
	return code
}

var builtinPlaces = sync.OnceValues(func() (*knowledge.Jurisdictions, error) {
	return knowledge.LoadJurisdictions(policies.FS, "jurisdictions.yaml")
})

func counted(m map[string]int, blank string) string {
	keys := slices.Collect(maps.Keys(m))
	slices.SortFunc(keys, func(a, b string) int { return cmp.Or(cmp.Compare(m[b], m[a]), strings.Compare(a, b)) })
	var parts []string
	for _, k := range keys {
		name := k
		if k == "" {
			if blank == "" {
				continue
			}
			name = blank
		}
		parts = append(parts, name+" "+strconv.Itoa(m[k]))
	}
	return strings.Join(parts, "、")
}

func writeGapsJSON(w io.Writer, gaps []events.Gap, total, weak int, rated []feedback.Rating, disliked []feedback.Group, expired []deskfaq.Entry) error {
	type gap struct {
		Question       string         `json:"question"`
		Examples       []string       `json:"examples"`
		Count          int            `json:"count"`
		Handoffs       int            `json:"handoffs"`
		MeanConfidence float64        `json:"mean_confidence"`
		Jurisdictions  map[string]int `json:"jurisdictions"`
		Sources        map[string]int `json:"sources"`
		Last           time.Time      `json:"last"`
		LastEvent      string         `json:"last_event"`
	}
	type entry struct {
		ID       string    `json:"id"`
		Question string    `json:"question"`
		Expires  time.Time `json:"expires"`
		Hits     int64     `json:"hits"`
	}
	out := struct {
		Questions int         `json:"questions"`
		Weak      int         `json:"weak"`
		Gaps      []gap       `json:"gaps"`
		Ratings   ratingsJSON `json:"ratings"`
		// ExpiredDesk are the help-desk entries past their review date.
		ExpiredDesk []entry `json:"expired_desk"`
	}{Questions: total, Weak: weak, Gaps: []gap{}, Ratings: ratingsReport(rated, disliked), ExpiredDesk: []entry{}}
	for _, e := range expired {
		out.ExpiredDesk = append(out.ExpiredDesk, entry{e.ID(), e.Question, e.Expires, e.Hits})
	}
	for _, g := range gaps {
		out.Gaps = append(out.Gaps, gap{g.Question, append([]string{}, g.Examples...), g.Count, g.Handoffs, g.MeanConfidence,
			g.Jurisdictions, g.Sources, g.Last, g.LastID})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}
