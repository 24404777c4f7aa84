package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"os"
	"reflect"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/kuaiji/kuaiji"
	"github.com/kuaiji/kuaiji/bot"
	"github.com/kuaiji/kuaiji/flows"
	"github.com/kuaiji/kuaiji/flows/redisstore"
	"github.com/kuaiji/kuaiji/internal/wire"
	"github.com/kuaiji/kuaiji/knowledge"
)

// chatCase is a line of a conversation set: an [evalCase] that also says
// which flow the last reply should offer or start, or that it is small talk.
// Such lines run through the real [bot.Router], as `kuaiji chat` does, so
// flows, buttons and history count.
type chatCase struct {
	evalCase
	// ExpectFlow, when set, is the id of the flow the last reply must start
	// or offer as a button.
	ExpectFlow string `json:"expect_flow"`
	// ConvKind groups the report (followup, request, whole_sentence, …).
	ConvKind string `json:"conv_kind"`
}

// smalltalkMaxRunes bounds a reply to small talk: a short answer, not a
// policy text.
const smalltalkMaxRunes = 160

// isChatSet reports whether a question set needs the router: some line
// expects a flow or is small talk.
func isChatSet(path string) (bool, error) {
	cases, err := readChatCases(path)
	if err != nil {
		return false, err
	}
	for _, c := range cases {
		if c.ExpectFlow != "" || c.Kind == "smalltalk" || c.ConvKind != "" {
			return true, nil
		}
	}
	return false, nil
}

// readChatCases reads a set as [readEvalCases] does, then the fields only
// conversation lines carry.
func readChatCases(path string) ([]chatCase, error) {
	base, err := readEvalCases(path)
	if err != nil {
		return nil, err
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read conversation set: %w", err)
	}
	cases := make([]chatCase, 0, len(base))
	for _, line := range strings.Split(string(b), "\n") {
		if line = strings.TrimSpace(line); line == "" {
			continue
		}
		c := chatCase{evalCase: base[len(cases)]}
		if err := json.Unmarshal([]byte(line), &c); err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		cases = append(cases, c)
	}
	return cases, nil
}

// chatReport is the outcome of a conversation set, by conv_kind.
type chatReport struct {
	Total, Hits int
	ByKind      map[string][2]int // hits, total
	Failures    []chatFailure
}

type chatFailure struct {
	Case  chatCase
	Reply string
}

func (r chatReport) hitRate() float64 { return ratio(r.Hits, r.Total) }

// chatBench is a router over an in-process store, with the store kept so
// the evaluation can see which flow a turn started.
type chatBench struct {
	router *bot.Router
	store  flows.Store
	close  func()
}

func newChatBench(ix *knowledge.Index, ans bot.Answerer) (*chatBench, error) {
	store, closeFn, err := redisstore.NewInProcess()
	if err != nil {
		return nil, fmt.Errorf("start in-process store: %w", err)
	}
	parts, err := wire.Build(ix, store, wire.Options{Answerer: ans})
	if err != nil {
		closeFn()
		return nil, err
	}
	return &chatBench{router: parts.Router, store: store, close: closeFn}, nil
}

// evaluateChat plays each conversation in a chat of its own: /province
// when the line names one, the history, then the question. The last turn's
// replies are scored: expected flow started (the chat is in it or just
// finished it) or offered (a button starts it); small talk answered
// briefly without citations; out-of-scope declined; otherwise an expected
// phrase present.
func evaluateChat(ctx context.Context, b *chatBench, cases []chatCase) (chatReport, error) {
	rep := chatReport{ByKind: map[string][2]int{}}
	for i, c := range cases {
		chat := int64(1_000_000 + i)
		say := func(text string) ([]kuaiji.Reply, error) {
			return b.router.Handle(ctx, bot.Message{ChatID: chat, UserID: chat, Text: text})
		}
		var msgs []string
		if c.Province != "" {
			msgs = append(msgs, "/province "+c.Province)
		}
		msgs = append(msgs, c.History...)
		for _, m := range msgs {
			if _, err := say(m); err != nil {
				return rep, fmt.Errorf("conversation %s: %w", c.ID, err)
			}
		}
		before, err := b.store.Load(ctx, chat, chat)
		if err != nil {
			return rep, fmt.Errorf("conversation %s: %w", c.ID, err)
		}
		replies, err := say(c.Q)
		if err != nil {
			return rep, fmt.Errorf("conversation %s: %w", c.ID, err)
		}
		after, err := b.store.Load(ctx, chat, chat)
		if err != nil {
			return rep, fmt.Errorf("conversation %s: %w", c.ID, err)
		}
		hit := scoreChat(c, replies, before.Session, after.Session)
		rep.Total++
		k := rep.ByKind[c.ConvKind]
		k[1]++
		if hit {
			rep.Hits++
			k[0]++
		} else {
			rep.Failures = append(rep.Failures, chatFailure{c, flatReplies(replies)})
		}
		rep.ByKind[c.ConvKind] = k
	}
	return rep, nil
}

func scoreChat(c chatCase, replies []kuaiji.Reply, before, after flows.Session) bool {
	text := flatReplies(replies)
	cited := false
	for _, r := range replies {
		cited = cited || len(r.Sources) > 0
	}
	switch {
	case c.ExpectFlow != "":
		if after.Flow == c.ExpectFlow && (before.Flow != c.ExpectFlow || after.Step != before.Step) {
			return true
		}
		// A flow without questions (photo) starts and finishes in one turn.
		if after.Last != nil && after.Last.Flow == c.ExpectFlow && !reflect.DeepEqual(before.Last, after.Last) {
			return true
		}
		for _, r := range replies {
			for _, row := range r.Buttons {
				for _, btn := range row {
					if btn.Data == flows.StartData(c.ExpectFlow) {
						return true
					}
				}
			}
		}
		return false
	case c.Kind == "smalltalk":
		return !cited && utf8.RuneCountInString(text) <= smalltalkMaxRunes
	case c.Kind == "out_of_scope":
		for _, r := range replies {
			if r.Handoff {
				return true
			}
		}
		return !cited && strings.Contains(text, knowledge.Capabilities)
	}
	for _, e := range c.ExpectAny {
		if strings.Contains(text, strings.Join(strings.Fields(e), "")) {
			return true
		}
	}
	return false
}

// flatReplies joins a turn's texts without whitespace, for phrase matching.
func flatReplies(replies []kuaiji.Reply) string {
	var b strings.Builder
	for _, r := range replies {
		b.WriteString(strings.Join(strings.Fields(r.Text), ""))
	}
	return b.String()
}

// runEvalChat evaluates a conversation set and prints its figures by kind.
func runEvalChat(ctx context.Context, cfg config, log *slog.Logger, path string, minHit float64, stdout io.Writer) error {
	cases, err := readChatCases(path)
	if err != nil {
		return err
	}
	ix, err := openIndex(ctx, cfg, log)
	if err != nil {
		return err
	}
	b, err := newChatBench(ix, newAnswerer(cfg, log, ix))
	if err != nil {
		return err
	}
	defer b.close()
	rep, err := evaluateChat(ctx, b, cases)
	if err != nil {
		return err
	}
	printChatReport(stdout, rep)
	if rep.hitRate() < minHit {
		fmt.Fprintln(stdout, "未达到设定的阈值。")
		return exitCode(1)
	}
	return nil
}

func printChatReport(w io.Writer, r chatReport) {
	fmt.Fprintf(w, "对话正确率：%.1f%%（%d/%d）\n", 100*r.hitRate(), r.Hits, r.Total)
	kinds := make([]string, 0, len(r.ByKind))
	for k := range r.ByKind {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	fmt.Fprintln(w, "按对话类型：")
	for _, k := range kinds {
		v := r.ByKind[k]
		fmt.Fprintf(w, "  %-15s %5.1f%%（%d/%d）\n", k, 100*ratio(v[0], v[1]), v[0], v[1])
	}
	if len(r.Failures) > 0 {
		fmt.Fprintln(w, "未命中：")
		for _, f := range r.Failures {
			want := strings.Join(f.Case.ExpectAny, " / ")
			switch {
			case f.Case.ExpectFlow != "":
				want = "开始或提供流程 " + f.Case.ExpectFlow
			case f.Case.Kind == "smalltalk":
				want = "简短的寒暄回复"
			case f.Case.Kind == "out_of_scope":
				want = "说明不在范围内"
			}
			fmt.Fprintf(w, "  [%s] %s\n    期望：%s\n    回复：%s\n", f.Case.ID, f.Case.asked(), want, f.Reply)
		}
	}
}
