// Package terminal is the stdin/stdout adapter of [bot.Router]: buttons
// become numbered options that the user answers with a number or a label.
package terminal

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/kuaiji/kuaiji"
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
	// SaveDir is where exported documents are written; "" is the working
	// directory.
	SaveDir string
}

// GoodbyeText is printed when the user leaves with /quit or /exit.
const GoodbyeText = "再见！欢迎随时回来咨询。"

// Run reads lines from in until EOF or ctx ends and prints the router's
// replies to out. A line that is the number or the label of an option of
// the last reply presses that button.
func Run(ctx context.Context, r *bot.Router, in io.Reader, out io.Writer, opt Options) error {
	w := bufio.NewWriter(out)
	defer w.Flush()
	if opt.Notice != "" {
		fmt.Fprintln(w, opt.Notice)
	}
	var options []kuaiji.Button
	var rate rater // rate.go
	send := func(m bot.Message) error {
		replies, err := handle(ctx, r, m)
		if err != nil {
			return err
		}
		options = render(w, replies, opt, &rate)
		return w.Flush()
	}
	if opt.Interactive {
		if err := send(bot.Message{ChatID: opt.UserID, UserID: opt.UserID, Text: "/start"}); err != nil {
			return err
		}
	}
	lines := make(chan inputLine)
	errc := make(chan error, 1)
	go func() {
		errc <- readLines(ctx, in, MaxLine, lines)
		close(lines)
	}()
	for {
		if opt.Interactive {
			fmt.Fprint(w, "> ")
			w.Flush()
		}
		var l inputLine
		var ok bool
		select {
		case <-ctx.Done():
			return nil
		case l, ok = <-lines:
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
		if l.tooLong {
			fmt.Fprintf(w, "抱歉，这一行超过了 %d MB，无法处理，已跳过。请把问题精简后重新输入。\n\n", MaxLine>>20)
			if err := w.Flush(); err != nil {
				return err
			}
			continue
		}
		line := l.text
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		if quits(line) {
			fmt.Fprintln(w, GoodbyeText)
			return nil
		}
		if msgs, ok := rate.parse(line, opt.UserID); ok {
			if len(msgs) == 0 {
				fmt.Fprint(w, NothingToRateText+"\n\n")
			}
			var err error
			for i, m := range msgs {
				if i < len(msgs)-1 { // a 👎 with its reason: the prompt for one is not shown
					_, err = handle(ctx, r, m)
				} else {
					err = send(m)
				}
				if err != nil {
					break
				}
			}
			if err != nil {
				if ctx.Err() != nil {
					return nil
				}
				return err
			}
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

// MaxLine is the longest input line handled, in bytes; longer lines are
// skipped with a message and the lines after them are still answered.
const MaxLine = 1 << 20

// inputLine is one line of input, or the report that a line was too long.
type inputLine struct {
	text    string
	tooLong bool
}

// readLines sends the lines of in to out until EOF or ctx ends. A line
// over max bytes is read to its end without being kept, so a hostile or
// mistaken paste costs at most max bytes of memory and never stops the
// chat (bufio.Scanner gives up for good at its first long line).
func readLines(ctx context.Context, in io.Reader, max int, out chan<- inputLine) error {
	br := bufio.NewReaderSize(in, 64*1024)
	var buf []byte
	tooLong := false
	for {
		chunk, err := br.ReadSlice('\n')
		if !tooLong {
			if len(buf)+len(chunk) > max+1 { // +1: the newline itself
				tooLong, buf = true, nil
			} else {
				buf = append(buf, chunk...)
			}
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		if len(buf) > 0 || tooLong || err == nil {
			l := inputLine{text: strings.TrimRight(string(buf), "\r\n"), tooLong: tooLong}
			select {
			case out <- l:
			case <-ctx.Done():
				return nil
			}
		}
		buf, tooLong = buf[:0], false
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

// handle runs one turn; the router contains its own panics, and this
// contains any other, so the terminal session outlives a bad turn.
func handle(ctx context.Context, r *bot.Router, m bot.Message) (out []kuaiji.Reply, err error) {
	defer func() {
		if p := recover(); p != nil {
			out, err = []kuaiji.Reply{{Text: bot.FailedText}}, nil
		}
	}()
	return r.Handle(ctx, m)
}

// pick finds the option a line names by number or exact label.
func pick(options []kuaiji.Button, line string) (kuaiji.Button, bool) {
	if n, err := strconv.Atoi(line); err == nil && n >= 1 && n <= len(options) {
		return options[n-1], true
	}
	for _, b := range options {
		if b.Label == line {
			return b, true
		}
	}
	return kuaiji.Button{}, false
}

// saveDocument writes d into dir ("" is the working directory) and says
// where it went, or why it could not be written.
func saveDocument(d *kuaiji.Document, dir string) string {
	name := filepath.Base(filepath.Clean("/" + d.Name))
	if name == "/" || name == "." {
		name = "导出.txt"
	}
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, d.Data, 0o644); err != nil {
		return "抱歉，文件没能保存（" + err.Error() + "）。"
	}
	if dir == "" {
		return "文件已保存到当前目录：" + name
	}
	return "文件已保存到：" + p
}

// typeHint says what to type for the options just listed: there is
// nothing to tap in a terminal.
func typeHint(opts []kuaiji.Button, before int) string {
	if len(opts) == 1 {
		return fmt.Sprintf("（请输入 %d 或“%s”）", before+1, opts[0].Label)
	}
	return fmt.Sprintf("（请输入序号 %d–%d，或直接输入选项文字，例如“%s”）", before+1, before+len(opts), opts[0].Label)
}

// render prints replies and returns their buttons in the order numbered.
func render(w io.Writer, replies []kuaiji.Reply, opt Options, rate *rater) []kuaiji.Button {
	var options []kuaiji.Button
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
		if hint := rate.seen(r); hint != "" {
			fmt.Fprintln(w, hint)
		}
		if d := r.Document; d != nil {
			fmt.Fprintln(w, saveDocument(d, opt.SaveDir))
		}
		first := len(options)
		for _, row := range r.Buttons {
			for _, b := range row {
				options = append(options, b)
				fmt.Fprintf(w, "  %d. %s\n", len(options), b.Label)
			}
		}
		if n := len(options) - first; n > 0 {
			fmt.Fprintln(w, typeHint(options[first:], first))
		}
		fmt.Fprintln(w)
	}
	return options
}

// quits reports whether a line asks to leave the terminal: /quit or /exit
// (the router has no such commands, since a Telegram chat is never left).
func quits(line string) bool {
	switch strings.ToLower(line) {
	case "/quit", "/exit", "/q":
		return true
	}
	return false
}
