package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strings"

	"github.com/kuaiji/kuaiji"
	"github.com/kuaiji/kuaiji/knowledge"
)

func runAsk(ctx context.Context, cfg config, log *slog.Logger, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("ask", flag.ContinueOnError)
	fs.SetOutput(stderr)
	province := fs.String("province", "", "提问者所在地区（名称、简称或别名）")
	asJSON := fs.Bool("json", false, "输出一个 JSON 对象")
	words, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	question := strings.TrimSpace(strings.Join(words, " "))
	if question == "" {
		fmt.Fprintln(stdout, `请在 ask 后面写上您的问题，例如：kuaiji ask "继续教育每年要多少学分？"`)
		return exitCode(2)
	}
	ix, err := openIndex(ctx, cfg, log)
	if err != nil {
		return err
	}
	if *province != "" {
		if _, ok := ix.Places().Resolve(*province); !ok {
			fmt.Fprintln(stdout, unknownPlace(ix.Places(), *province))
			return exitCode(2)
		}
	}
	ans, err := newAnswerer(cfg, log, ix).Answer(ctx, knowledge.Question{Text: question, Jurisdiction: *province})
	if err != nil {
		return fmt.Errorf("answer: %w", err)
	}
	if *asJSON {
		if ans.Sources == nil {
			ans.Sources = []kuaiji.Source{}
		}
		if ans.Suggestions == nil {
			ans.Suggestions = []string{}
		}
		enc := json.NewEncoder(stdout)
		enc.SetEscapeHTML(false)
		return enc.Encode(ans)
	}
	fmt.Fprint(stdout, renderAnswer(ans))
	return nil
}

// parseInterspersed lets flags follow the question, as people type
// `kuaiji ask 问题 --json`.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var words []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		if fs.NArg() == 0 {
			return words, nil
		}
		words = append(words, fs.Arg(0))
		args = fs.Args()[1:]
	}
}

// unknownPlace explains that a place was not recognised and suggests
// close matches.
func unknownPlace(places *knowledge.Jurisdictions, s string) string {
	msg := fmt.Sprintf("抱歉，没有找到地区“%s”。", s)
	if sug := places.Suggest(s, 3); len(sug) > 0 {
		names := make([]string, len(sug))
		for i, j := range sug {
			names[i] = j.Name
		}
		msg += "您是不是要找：" + strings.Join(names, "、") + "？"
	}
	return msg + "请输入省、自治区、直辖市或计划单列市（大连、青岛、宁波、厦门、深圳）的名称。"
}

// renderAnswer formats an answer for a terminal.
func renderAnswer(a knowledge.Answer) string {
	var b strings.Builder
	b.WriteString(a.Text)
	b.WriteString("\n")
	if len(a.Sources) > 0 {
		b.WriteString("\n来源：\n")
		for i, s := range a.Sources {
			fmt.Fprintf(&b, "[%d] %s", i+1, s.Title)
			if s.Section != "" {
				b.WriteString(" · " + s.Section)
			}
			b.WriteString("\n")
		}
	}
	if len(a.Suggestions) > 0 {
		b.WriteString("\n您可能想问：\n")
		for _, s := range a.Suggestions {
			b.WriteString("· " + s + "\n")
		}
	}
	return b.String()
}
