package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/kuaiji/kuaiji/bot"
	"github.com/kuaiji/kuaiji/knowledge"
	"github.com/kuaiji/kuaiji/knowledge/llm"
)

// evalCase is one line of a question set such as ../shared/eval/dev.jsonl.
type evalCase struct {
	ID string `json:"id"`
	// History, optional, holds the user's earlier questions, oldest first:
	// each is answered in turn, and Q is asked as the next message.
	History   []string `json:"history,omitempty"`
	Q         string   `json:"q"`
	Province  string   `json:"province"`
	ExpectAny []string `json:"expect_any"`
	Topic     string   `json:"topic"`
	Kind      string   `json:"kind"`
	// Ideal, optional, describes what a good first sentence says; it is
	// shown beside misses and with --show, never scored.
	Ideal string `json:"ideal,omitempty"`
}

// asked shows the question with what came before it.
func (c evalCase) asked() string {
	if len(c.History) == 0 {
		return c.Q
	}
	return strings.Join(c.History, " → ") + " → " + c.Q
}

// evalReport summarises a run; the CI test asserts on it.
type evalReport struct {
	Total, Hits       int
	Answerable, Cited int
	OOS, OOSDeclined  int
	ByTopic           map[string][2]int // hits, total
	// Lead counts hits whose key fact stands in the first leadRunes of
	// the answer: what a person reads before deciding it does not help.
	Lead int
	// HedgedHits counts hits that still open with "not sure" or offer a
	// hand-off; Misses and MissesFlagged count answerable misses and those
	// of them that were hedged, handed off or declined (the calibration).
	HedgedHits, Misses, MissesFlagged int
	// Retrieved counts answerable questions for which retrieval could be
	// inspected; SourcesTop3 those whose key fact is in the first three
	// passages a generator would be given.
	Retrieved, SourcesTop3 int
	P50, P99               time.Duration
	Failures               []evalFailure
	// Hit and Answers hold each case's outcome, in the order asked.
	Hit     []bool
	Answers []string
}

type evalFailure struct {
	Case   evalCase
	Answer string
}

func (r evalReport) hitRate() float64   { return ratio(r.Hits, r.Total) }
func (r evalReport) citedRate() float64 { return ratio(r.Cited, r.Answerable) }
func (r evalReport) oosRate() float64   { return ratio(r.OOSDeclined, r.OOS) }

// answerableHits are the hits among answerable questions.
func (r evalReport) answerableHits() int { return r.Hits - r.OOSDeclined }

func (r evalReport) leadRate() float64        { return ratio(r.Lead, r.answerableHits()) }
func (r evalReport) hedgedHitRate() float64   { return ratio(r.HedgedHits, r.answerableHits()) }
func (r evalReport) calibration() float64     { return ratio(r.MissesFlagged, r.Misses) }
func (r evalReport) sourcesTop3Rate() float64 { return ratio(r.SourcesTop3, r.Retrieved) }

// leadRunes is how much of an answer counts as its lead: about the first
// sentence or two on a phone screen.
const leadRunes = 120

// hedgeOpening is how an unsure extractive answer opens.
const hedgeOpening = "抱歉，这个问题我没有十足把握"

// hedged reports whether an answer tells the user it is unsure.
func hedged(a knowledge.Answer) bool {
	return a.Handoff || strings.Contains(a.Text, hedgeOpening)
}

// flat drops whitespace so that "90 学分" matches "90学分".
func flat(s string) string { return strings.Join(strings.Fields(s), "") }

// keyFactAt is the rune offset of the first expected phrase in text, or -1.
func keyFactAt(text string, expect []string) int {
	text = flat(text)
	best := -1
	for _, e := range expect {
		e = flat(e)
		if e == "" {
			continue
		}
		if i := strings.Index(text, e); i >= 0 && (best < 0 || i < best) {
			best = i
		}
	}
	if best < 0 {
		return -1
	}
	return utf8.RuneCountInString(text[:best])
}

// retriever is what the sources check needs: the passages a generator
// would be given. [*knowledge.Index] has it.
type retriever interface {
	Retrieve(ctx context.Context, q knowledge.Question) (knowledge.Retrieval, error)
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 1
	}
	return float64(a) / float64(b)
}

func runEval(ctx context.Context, cfg config, log *slog.Logger, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("eval", flag.ContinueOnError)
	fs.SetOutput(stderr)
	minHit := fs.Float64("min-hit", 0, "最低命中率（0–1），低于则以非零状态退出")
	minOOS := fs.Float64("min-oos", 0, "超范围问题的最低拒答率（0–1）")
	minCited := fs.Float64("min-cited", 0, "可回答问题中带出处回答的最低比例（0–1）")
	minLead := fs.Float64("min-lead", 0, "命中回答中关键事实出现在前120字的最低比例（0–1）")
	minSources := fs.Float64("min-sources", 0, "可回答问题中关键事实出现在前三条资料的最低比例（0–1）")
	show := fs.Bool("show", false, "逐题列出问题和回答的开头，便于像提问者一样阅读")
	withLLM := fs.Bool("llm", false, "用 LLM 作答（需设置 OPENAI_MODEL），并与离线回答逐题对比；阈值针对 LLM")
	files, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(files) != 1 {
		fmt.Fprintln(stdout, "用法：kuaiji eval [--llm] [--show] [--min-hit 0.95] [--min-oos 1] [--min-cited 1] [--min-lead 0.9] [--min-sources 0.97] 文件.jsonl")
		return exitCode(2)
	}
	// Conversation sets (expect_flow, small talk) run through the router.
	chat, err := isChatSet(files[0])
	if err != nil {
		return err
	}
	if chat && !*withLLM {
		return runEvalChat(ctx, cfg, log, files[0], *minHit, stdout)
	}
	cases, err := readEvalCases(files[0])
	if err != nil {
		return err
	}
	ix, err := openIndex(ctx, cfg, log)
	if err != nil {
		return err
	}
	rep, err := evaluate(ctx, ix, cases)
	if err != nil {
		return err
	}
	if *withLLM {
		la := llmAnswerer(cfg, log, ix)
		if la == nil {
			fmt.Fprintln(stdout, "--llm 需要先设置 OPENAI_MODEL（以及 OPENAI_BASE_URL、OPENAI_API_KEY），可用 kuaiji doctor 检查。")
			return exitCode(2)
		}
		offline := rep
		if rep, err = evaluate(ctx, la, cases); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "LLM（%s）：\n", la.Model())
		printReport(stdout, rep)
		printComparison(stdout, cases, offline, rep, la.Stats())
	} else {
		printReport(stdout, rep)
	}
	if *show {
		printAnswers(stdout, cases, rep)
	}
	if rep.hitRate() < *minHit || rep.oosRate() < *minOOS || rep.citedRate() < *minCited ||
		rep.leadRate() < *minLead || rep.sourcesTop3Rate() < *minSources {
		fmt.Fprintln(stdout, "未达到设定的阈值。")
		return exitCode(1)
	}
	return nil
}

func readEvalCases(path string) ([]evalCase, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open question set: %w", err)
	}
	defer f.Close()
	var cases []evalCase
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		var c evalCase
		if err := json.Unmarshal([]byte(line), &c); err != nil {
			return nil, fmt.Errorf("%s:%d: %w", path, n, err)
		}
		cases = append(cases, c)
	}
	return cases, sc.Err()
}

// evaluate asks every question and scores the answers: a hit is an answer
// containing one of the expected phrases (ignoring spaces), or for an
// out-of-scope question a decline or a hand-off.
func evaluate(ctx context.Context, ix bot.Answerer, cases []evalCase) (evalReport, error) {
	rep := evalReport{ByTopic: map[string][2]int{}}
	var lat []time.Duration
	for _, c := range cases {
		var hist []knowledge.Turn
		for _, h := range c.History {
			a, err := ix.Answer(ctx, knowledge.Question{Text: h, Jurisdiction: c.Province, History: hist})
			if err != nil {
				return rep, fmt.Errorf("answer %s: %w", c.ID, err)
			}
			hist = append(hist, knowledge.Turn{User: true, Text: h}, knowledge.Turn{Text: a.Text})
		}
		start := time.Now()
		ans, err := ix.Answer(ctx, knowledge.Question{Text: c.Q, Jurisdiction: c.Province, History: hist})
		if err != nil {
			return rep, fmt.Errorf("answer %s: %w", c.ID, err)
		}
		lat = append(lat, time.Since(start))
		hit := false
		if c.Kind == "out_of_scope" {
			rep.OOS++
			hit = ans.Declined || ans.Handoff
			if hit {
				rep.OOSDeclined++
			}
		} else {
			rep.Answerable++
			if len(ans.Sources) > 0 {
				rep.Cited++
			}
			at := keyFactAt(ans.Text, c.ExpectAny)
			hit = at >= 0
			switch {
			case hit && at < leadRunes:
				rep.Lead++
				fallthrough
			case hit:
				if hedged(ans) {
					rep.HedgedHits++
				}
			default:
				rep.Misses++
				if hedged(ans) || ans.Declined {
					rep.MissesFlagged++
				}
			}
			if rt, ok := ix.(retriever); ok {
				r, err := rt.Retrieve(ctx, knowledge.Question{Text: c.Q, Jurisdiction: c.Province, History: hist})
				if err != nil {
					return rep, fmt.Errorf("retrieve %s: %w", c.ID, err)
				}
				rep.Retrieved++
				var top []string
				for _, p := range r.Passages[:min(3, len(r.Passages))] {
					top = append(top, p.Text)
				}
				if keyFactAt(strings.Join(top, "\n"), c.ExpectAny) >= 0 {
					rep.SourcesTop3++
				}
			}
		}
		rep.Total++
		t := rep.ByTopic[c.Topic]
		t[1]++
		if hit {
			rep.Hits++
			t[0]++
		} else {
			rep.Failures = append(rep.Failures, evalFailure{c, ans.Text})
		}
		rep.ByTopic[c.Topic] = t
		rep.Hit = append(rep.Hit, hit)
		rep.Answers = append(rep.Answers, ans.Text)
	}
	sort.Slice(lat, func(a, b int) bool { return lat[a] < lat[b] })
	if n := len(lat); n > 0 {
		rep.P50 = lat[n/2]
		rep.P99 = lat[min(n-1, (n*99+99)/100-1)]
	}
	return rep, nil
}

func printReport(w io.Writer, r evalReport) {
	fmt.Fprintf(w, "命中率：%.1f%%（%d/%d）\n", 100*r.hitRate(), r.Hits, r.Total)
	fmt.Fprintf(w, "超范围问题拒答或转人工：%.1f%%（%d/%d）\n", 100*r.oosRate(), r.OOSDeclined, r.OOS)
	fmt.Fprintf(w, "可回答问题带出处：%.1f%%（%d/%d）\n", 100*r.citedRate(), r.Cited, r.Answerable)
	fmt.Fprintf(w, "关键事实在回答前%d字（命中中）：%.1f%%（%d/%d）\n", leadRunes, 100*r.leadRate(), r.Lead, r.answerableHits())
	fmt.Fprintf(w, "命中但表示没把握：%.1f%%（%d/%d）\n", 100*r.hedgedHitRate(), r.HedgedHits, r.answerableHits())
	fmt.Fprintf(w, "未命中中表示没把握、转人工或拒答（校准）：%.1f%%（%d/%d）\n", 100*r.calibration(), r.MissesFlagged, r.Misses)
	if r.Retrieved > 0 {
		fmt.Fprintf(w, "关键事实在前三条资料中：%.1f%%（%d/%d）\n", 100*r.sourcesTop3Rate(), r.SourcesTop3, r.Retrieved)
	}
	fmt.Fprintf(w, "延迟：p50 %s，p99 %s\n", r.P50.Round(time.Microsecond), r.P99.Round(time.Microsecond))
	topics := make([]string, 0, len(r.ByTopic))
	for t := range r.ByTopic {
		topics = append(topics, t)
	}
	sort.Strings(topics)
	fmt.Fprintln(w, "按主题：")
	for _, t := range topics {
		v := r.ByTopic[t]
		fmt.Fprintf(w, "  %-12s %5.1f%%（%d/%d）\n", t, 100*ratio(v[0], v[1]), v[0], v[1])
	}
	if len(r.Failures) > 0 {
		fmt.Fprintln(w, "未命中：")
		for _, f := range r.Failures {
			fmt.Fprintf(w, "  [%s] %s\n    期望包含：%s\n", f.Case.ID, f.Case.asked(), strings.Join(f.Case.ExpectAny, " / "))
			if f.Case.Ideal != "" {
				fmt.Fprintf(w, "    理想的开头：%s\n", f.Case.Ideal)
			}
			fmt.Fprintf(w, "    回答：%s\n", strings.ReplaceAll(f.Answer, "\n", " "))
		}
	}
}

// printAnswers lists every question with the opening of its answer, marked
// ✓ for a hit with the key fact in the lead, ~ for a buried hit and ✗ for a
// miss, so a run can be read the way the asker reads it.
func printAnswers(w io.Writer, cases []evalCase, r evalReport) {
	fmt.Fprintln(w, "逐题：")
	for i, c := range cases {
		mark := "✗"
		if r.Hit[i] {
			mark = "✓"
			if c.Kind != "out_of_scope" && keyFactAt(r.Answers[i], c.ExpectAny) >= leadRunes {
				mark = "~"
			}
		}
		open := []rune(strings.ReplaceAll(r.Answers[i], "\n", " "))
		if len(open) > 2*leadRunes {
			open = append(open[:2*leadRunes], '…')
		}
		where := ""
		if c.Province != "" {
			where = "（" + c.Province + "）"
		}
		fmt.Fprintf(w, "%s [%s]%s %s\n    %s\n", mark, c.ID, where, c.asked(), string(open))
	}
}

// printComparison sets the offline and the LLM runs of one question set
// side by side and lists the questions only one of them got right.
func printComparison(w io.Writer, cases []evalCase, off, on evalReport, st llm.Stats) {
	fmt.Fprintln(w, "对比（离线 → LLM）：")
	fmt.Fprintf(w, "  命中率：%.1f%%（%d/%d） → %.1f%%（%d/%d）\n", 100*off.hitRate(), off.Hits, off.Total, 100*on.hitRate(), on.Hits, on.Total)
	fmt.Fprintf(w, "  超范围拒答或转人工：%.1f%% → %.1f%%\n", 100*off.oosRate(), 100*on.oosRate())
	fmt.Fprintf(w, "  带出处：%.1f%% → %.1f%%\n", 100*off.citedRate(), 100*on.citedRate())
	fmt.Fprintf(w, "  延迟 p50：%s → %s；p99：%s → %s\n", off.P50.Round(time.Microsecond), on.P50.Round(time.Millisecond),
		off.P99.Round(time.Microsecond), on.P99.Round(time.Millisecond))
	fmt.Fprintf(w, "  LLM 回答 %d 次：通过出处检查 %d，资料未涵盖 %d，改用抽取式 %d；tokens 输入 %d，输出 %d\n",
		st.Answers, st.Generated, st.NoAnswer, st.Fallbacks, st.PromptTokens, st.CompletionTokens)
	var better, worse []int
	for i := range cases {
		switch {
		case on.Hit[i] && !off.Hit[i]:
			better = append(better, i)
		case off.Hit[i] && !on.Hit[i]:
			worse = append(worse, i)
		}
	}
	for _, part := range []struct {
		title string
		idx   []int
	}{{"仅 LLM 命中", better}, {"仅离线命中", worse}} {
		fmt.Fprintf(w, "%s：%d\n", part.title, len(part.idx))
		for _, i := range part.idx {
			c := cases[i]
			fmt.Fprintf(w, "  [%s] %s\n    离线：%s\n    LLM：%s\n", c.ID, c.Q,
				strings.ReplaceAll(off.Answers[i], "\n", " "), strings.ReplaceAll(on.Answers[i], "\n", " "))
		}
	}
}
