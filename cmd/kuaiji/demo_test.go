package main

import (
	"context"
	"io"
	"testing"
)

// TestDemoUserAndAgent: in the demo, an operator typing as the user gets
// a cited answer, hands off, and sees the agent's reply typed on the
// other side relayed back, and the ticket closed.
func TestDemoUserAndAgent(t *testing.T) {
	t.Parallel()
	pr, pw := io.Pipe()
	out := &syncBuffer{}
	done := make(chan error, 1)
	go func() {
		done <- run(context.Background(), []string{"demo"}, func(k string) string {
			return map[string]string{"KUAIJI_DATA_DIR": dataDir(t)}[k]
		}, pr, out, io.Discard)
	}()
	say := func(line, want string) {
		t.Helper()
		io.WriteString(pw, line+"\n")
		waitFor(t, out, want)
	}
	waitFor(t, out, "> ")
	say("继续教育每年要多少学分", "90学分")
	say("/human", "工单 #1 · 待认领")
	waitFor(t, out, "已为您转接人工服务")
	say("客服 您好，我是李客服", "工作人员回复：\n您好，我是李客服")
	say("我在广东", "张会计：\n我在广东")
	say("客服 /close", "人工服务已结束（工单 #1）")
	pw.Close()
	if err := <-done; err != nil {
		t.Fatalf("demo: %v\n%s", err, out)
	}
}
