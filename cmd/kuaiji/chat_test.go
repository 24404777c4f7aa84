package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"
)

// chatScript runs `kuaiji chat --user ID` with a scripted stdin, as
// `printf '/check\n2\n…' | kuaiji chat` does.
func chatScript(t *testing.T, env map[string]string, user int64, lines ...string) string {
	t.Helper()
	if env == nil {
		env = map[string]string{}
	}
	if env["KUAIJI_DATA_DIR"] == "" {
		env["KUAIJI_DATA_DIR"] = dataDir(t)
	}
	var out, errOut bytes.Buffer
	in := strings.NewReader(strings.Join(lines, "\n") + "\n")
	args := []string{"chat", "--user", fmt.Sprint(user)}
	if err := run(context.Background(), args, func(k string) string { return env[k] }, in, &out, &errOut); err != nil {
		t.Fatalf("chat: %v\n%s", err, errOut.String())
	}
	return out.String()
}

func TestChatScriptedEligibility(t *testing.T) {
	t.Parallel()
	out := chatScript(t, nil, 1, "/check", "无职称", "是", "否", "跳过")
	for _, want := range []string{inProcessNotice, "  1. 是", "需要采集", "会计人员管理办法"} {
		if !strings.Contains(out, want) {
			t.Errorf("transcript lacks %q:\n%s", want, out)
		}
	}
}

func TestChatQuestionThenTransfer(t *testing.T) {
	t.Parallel()
	out := chatScript(t, nil, 1, "继续教育每年要多少学分", "/transfer", "深圳", "内蒙古")
	for _, want := range []string{"90学分", "属地调转", "工作地变更证明", "[1] "} {
		if !strings.Contains(out, want) {
			t.Errorf("transcript lacks %q:\n%s", want, out)
		}
	}
}

func TestChatUnknownPlaceSuggests(t *testing.T) {
	t.Parallel()
	out := chatScript(t, nil, 1, "/materials", "广冬")
	if !strings.Contains(out, "广东") {
		t.Errorf("no suggestion for a mistyped place:\n%s", out)
	}
}

// TestChatRealRedisResumesInANewProcess needs the redis-server that
// `make test` starts.
func TestChatRealRedisResumesInANewProcess(t *testing.T) {
	url := os.Getenv("KUAIJI_TEST_REDIS_URL")
	if url == "" {
		t.Skip("KUAIJI_TEST_REDIS_URL not set")
	}
	env := map[string]string{"REDIS_URL": url, "KUAIJI_DATA_DIR": dataDir(t)}
	user := time.Now().UnixNano() % 1e12
	first := chatScript(t, env, user, "/check", "中级")
	if strings.Contains(first, inProcessNotice) {
		t.Errorf("real Redis configured but in-process notice shown:\n%s", first)
	}
	if !strings.Contains(first, "是否在单位从事会计工作") {
		t.Fatalf("first run did not reach the work question:\n%s", first)
	}
	// A second process for the same user continues at the work question.
	second := chatScript(t, env, user, "否")
	if strings.Contains(second, "是什么级别") || !strings.Contains(second, "？") {
		t.Errorf("second run did not continue the flow:\n%s", second)
	}
}

// A pasted line over 1 MiB used to end `kuaiji chat` with "bufio.Scanner:
// token too long"; it is skipped with a message and the next line answered.
func TestChatLineOverOneMiB(t *testing.T) {
	t.Parallel()
	out := chatScript(t, nil, 1, strings.Repeat("a", 1<<20+10), "继续教育每年要多少学分")
	for _, want := range []string{"无法处理，已跳过", "90学分"} {
		if !strings.Contains(out, want) {
			t.Errorf("transcript lacks %q:\n%.2000s", want, out)
		}
	}
}
