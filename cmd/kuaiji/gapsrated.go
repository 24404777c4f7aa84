package main

import (
	"fmt"
	"io"
	"time"

	"github.com/kuaiji/kuaiji/bot"
	"github.com/kuaiji/kuaiji/feedback"
)

// The ratings part of `kuaiji gaps`: the answers people disliked, most
// 👎s first, with the reasons given and the sources the answers rested on.
// A disliked answer may have been given with high confidence, so it is
// listed beside the low-confidence questions, not among them.

// votes counts the 👍 and 👎 among ratings.
func votes(rs []feedback.Rating) (up, down int) {
	for _, r := range rs {
		if r.Up {
			up++
		} else {
			down++
		}
	}
	return up, down
}

// reasonNames keys counts by reason code by their labels (答非所问).
func reasonNames(m map[string]int) map[string]int {
	out := make(map[string]int, len(m))
	for code, n := range m {
		out[bot.ReasonLabel(code)] += n
	}
	return out
}

func writeDisliked(w io.Writer, rated []feedback.Rating, groups []feedback.Group) {
	up, down := votes(rated)
	fmt.Fprintf(w, "\n用户评价：共 %d 次（👍 %d，👎 %d）。", len(rated), up, down)
	if len(groups) == 0 {
		fmt.Fprintln(w, "没有被评为没帮助的回答。")
		return
	}
	fmt.Fprintln(w, "被评为没帮助的回答（👎 多的在前）：")
	for i, g := range groups {
		fmt.Fprintf(w, "\n%d. %s\n   👎 %d · 👍 %d · 平均把握度 %.2f · 最近 %s\n", i+1, oneLine(g.Question), g.Down, g.Up,
			g.MeanConfidence, g.Last.Local().Format("2006-01-02 15:04"))
		if r := counted(reasonNames(g.Reasons), ""); r != "" {
			fmt.Fprintf(w, "   原因：%s\n", r)
		}
		for _, c := range g.Comments {
			fmt.Fprintf(w, "   意见：%s\n", oneLine(c))
		}
		for _, ex := range g.Examples {
			fmt.Fprintf(w, "   相似问法：%s\n", oneLine(ex))
		}
		if j := counted(placeNames(g.Jurisdictions), "全国/未指明"); j != "" {
			fmt.Fprintf(w, "   地区：%s\n", j)
		}
		if s := counted(g.Sources, ""); s != "" {
			fmt.Fprintf(w, "   回答依据：%s\n", s)
		}
	}
}

type ratingsJSON struct {
	Total    int            `json:"total"`
	Up       int            `json:"up"`
	Down     int            `json:"down"`
	Disliked []dislikedJSON `json:"disliked"`
}

type dislikedJSON struct {
	Question       string         `json:"question"`
	Examples       []string       `json:"examples"`
	Down           int            `json:"down"`
	Up             int            `json:"up"`
	Reasons        map[string]int `json:"reasons"`
	Comments       []string       `json:"comments"`
	Sources        map[string]int `json:"sources"`
	Jurisdictions  map[string]int `json:"jurisdictions"`
	MeanConfidence float64        `json:"mean_confidence"`
	Last           time.Time      `json:"last"`
}

func ratingsReport(rated []feedback.Rating, groups []feedback.Group) ratingsJSON {
	up, down := votes(rated)
	out := ratingsJSON{Total: len(rated), Up: up, Down: down, Disliked: []dislikedJSON{}}
	for _, g := range groups {
		out.Disliked = append(out.Disliked, dislikedJSON{g.Question, append([]string{}, g.Examples...), g.Down, g.Up,
			g.Reasons, append([]string{}, g.Comments...), g.Sources, g.Jurisdictions, g.MeanConfidence, g.Last})
	}
	return out
}
