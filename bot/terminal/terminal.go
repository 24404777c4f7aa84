// Package terminal is the stdin/stdout adapter of [bot.Router]: buttons
// become numbered options that the user answers with a number or a label.
package terminal

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/kuaiji/kuaiji/bot"
)

// Options configure [Run].
type Options struct {
	// UserID identifies the user (and the chat) in the store.
	UserID int64
	// Interactive prints a "> " prompt and greets the user first.
	Interactive bool
	// Notice is printed once before anything else, e.g. that state is kept
	// in an in-process Redis.
	Notice string
	// SaveDir, when set, is where exported documents are written; otherwise
	// their text is printed.
	SaveDir string
}

// Run reads lines from in until EOF or ctx ends and prints the router's
// replies to out. A line that is the number or the label of an option of
// the last reply presses that button.
func Run(ctx context.Context, r *bot.Router, in io.Reader, out io.Writer, opt Options) error {
	w := bufio.NewWriter(out)
	defer w.Flush()
	if opt.Notice != "" {
		fmt.Fprintln(w, opt.Notice)
	}
	var options []bot.Button
	send := func(m bot.Message) error {
		replies, err := r.Handle(ctx, m)
		if err != nil {
			return err
		}
		options = render(w, replies, opt)
		return w.Flush()
	}
	if opt.Interactive {
		if err := send(bot.Message{ChatID: opt.UserID, UserID: opt.UserID, Text: "/start"}); err != nil {
			return err
		}
	}
	lines := make(chan string)
	errc := make(chan error, 1)
	go func() {
		sc := bufio.NewScanner(in)
		sc.Buffer(make([]byte, 64*1024), 1<<20)
		for sc.Scan() {
			select {
			case lines <- sc.Text():
			case <-ctx.Done():
				return
			}
		}
		errc <- sc.Err()
		close(lines)
	}()
	for {
		if opt.Interactive {
			fmt.Fprint(w, "> ")
			w.Flush()
		}
		var line string
		var ok bool
		select {
		case <-ctx.Done():
			return nil
		case line, ok = <-lines:
		}
		if !ok {
			if opt.Interactive {
				fmt.Fprintln(w)
			}
			if err := <-errc; err != nil {
				return fmt.Errorf("read input: %w", err)
			}
			return nil
		}
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		m := bot.Message{ChatID: opt.UserID, UserID: opt.UserID, Text: line}
		if b, ok := pick(options, line); ok {
			m = bot.Message{ChatID: opt.UserID, UserID: opt.UserID, Callback: b.Data}
		}
		if err := send(m); err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return err
		}
	}
}

// pick finds the option a line names by number or exact label.
func pick(options []bot.Button, line string) (bot.Button, bool) {
	if n, err := strconv.Atoi(line); err == nil && n >= 1 && n <= len(options) {
		return options[n-1], true
	}
	for _, b := range options {
		if b.Label == line {
			return b, true
		}
	}
	return bot.Button{}, false
}

// render prints replies and returns their buttons in the order numbered.
func render(w io.Writer, replies []bot.Reply, opt Options) []bot.Button {
	var options []bot.Button
	for _, r := range replies {
		if r.Text != "" {
			fmt.Fprintln(w, r.Text)
		}
		for i, s := range r.Sources {
			line := fmt.Sprintf("[%d] %s", i+1, s.Title)
			if s.Section != "" {
				line += " · " + s.Section
			}
			fmt.Fprintln(w, line)
		}
		if d := r.Document; d != nil {
			if opt.SaveDir != "" {
				p := filepath.Join(opt.SaveDir, filepath.Base(d.Name))
				if err := os.WriteFile(p, d.Data, 0o644); err == nil {
					fmt.Fprintln(w, "已保存到 "+p)
				} else {
					fmt.Fprintln(w, "保存失败："+err.Error())
				}
			} else {
				fmt.Fprintln(w, "—— "+d.Name+" ——")
				fmt.Fprint(w, string(d.Data))
				fmt.Fprintln(w, "—— 文件结束 ——")
			}
		}
		for _, row := range r.Buttons {
			for _, b := range row {
				options = append(options, b)
				fmt.Fprintf(w, "  %d. %s\n", len(options), b.Label)
			}
		}
		fmt.Fprintln(w)
	}
	return options
}
