package terminal_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/kuaiji/kuaiji/bot/terminal"
	"github.com/kuaiji/kuaiji/knowledge"
)

// A line longer than the limit gets a message, and the lines after it are
// still answered (bufio.Scanner used to stop the chat there).
func TestLongLineSkipped(t *testing.T) {
	for _, n := range []int{terminal.MaxLine + 1, 3 * terminal.MaxLine, 64*1024 + 7} {
		long := strings.Repeat("学", n/3+1)
		in := "广东继续教育要多少学分\n" + long + "\n北京呢\n"
		var out bytes.Buffer
		if err := terminal.Run(context.Background(), newRouter(t), strings.NewReader(in), &out, terminal.Options{UserID: 5}); err != nil {
			t.Fatalf("%d bytes: %v", len(long), err)
		}
		s := out.String()
		if !strings.Contains(s, "答：北京呢") || !strings.Contains(s, "答：广东继续教育要多少学分") {
			t.Fatalf("%d bytes: lines around it not answered:\n%.500s", len(long), s)
		}
		skipped := strings.Contains(s, "无法处理，已跳过")
		if want := len(long) > terminal.MaxLine; skipped != want {
			t.Fatalf("%d bytes: skipped = %v, want %v", len(long), skipped, want)
		}
		if skipped && strings.Contains(s, "学学学学") {
			t.Fatalf("the long line was echoed or answered")
		}
	}
}

// The last line needs no newline, and CRLF input is understood.
func TestLineEndings(t *testing.T) {
	var out bytes.Buffer
	in := "/check\r\n3\r\n/back"
	if err := terminal.Run(context.Background(), newRouter(t), strings.NewReader(in), &out, terminal.Options{UserID: 6}); err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{"什么级别", "从事会计工作", "回到上一步"} {
		if !strings.Contains(out.String(), w) {
			t.Fatalf("lacks %q:\n%s", w, out.String())
		}
	}
}

type panicky struct{}

func (panicky) Answer(context.Context, knowledge.Question) (knowledge.Answer, error) {
	panic("answerer bug")
}

// A turn that panics is answered with an apology and the session goes on.
func TestPanicContainedToTurn(t *testing.T) {
	r, _ := newRouterWith(t, panicky{})
	var out bytes.Buffer
	in := "继续教育多少学分\n/check\n3\n"
	if err := terminal.Run(context.Background(), r, strings.NewReader(in), &out, terminal.Options{UserID: 7}); err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{"抱歉，系统出了点问题", "什么级别", "从事会计工作"} {
		if !strings.Contains(out.String(), w) {
			t.Fatalf("lacks %q:\n%s", w, out.String())
		}
	}
}

// The reproduction of a /back that followed a stored trail into a step the
// flow no longer has: the terminal process died of a nil pointer.
func TestBackOverMissingStep(t *testing.T) {
	r, mr := newRouterWith(t, echo{})
	mr.HSet("kuaiji:chat:8", "v", "2", "s", `{"sv":1,"f":"check","fv":1,"s":"working","t":["renamed"]}`)
	var out bytes.Buffer
	if err := terminal.Run(context.Background(), r, strings.NewReader("/back\n/check\n3\n"), &out, terminal.Options{UserID: 8}); err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{"已为您重置", "什么级别", "从事会计工作"} {
		if !strings.Contains(out.String(), w) {
			t.Fatalf("lacks %q:\n%s", w, out.String())
		}
	}
}
