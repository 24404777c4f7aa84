package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"

	"github.com/kuaiji/kuaiji/knowledge"
)

// The short forms of the load and fault runs (README, "Load and fault
// tests"): 20 chats through the fake Bot API and a real Redis, each run
// failing on any lost, duplicated or reordered reply or ticket left open.
// These tests and those of kill_test.go mostly wait (think times, quiet
// periods, restarts) and each has its own fake Bot API, bot id and Redis
// key prefix, so they run in parallel.

// The index is only read, by every chat at once, so the runs share one.
func init() {
	open := openIndex
	once := sync.OnceValues(func() (*knowledge.Index, error) { return open(context.Background()) })
	openIndex = func(context.Context) (*knowledge.Index, error) { return once() }
}

func loadRun(t *testing.T, args ...string) string {
	t.Helper()
	if os.Getenv("KUAIJI_TEST_REDIS_URL") == "" {
		t.Skip("KUAIJI_TEST_REDIS_URL not set (make test starts a redis-server)")
	}
	if testing.Short() {
		t.Skip("load run")
	}
	var out bytes.Buffer
	err := run(context.Background(), append([]string{"-chats", "20", "-think", "100ms"}, args...), &out)
	t.Log(out.String())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "lost replies: 0; chats whose replies differ from the reference (lost, duplicated or reordered): 0") {
		t.Errorf("unexpected report:\n%s", out.String())
	}
	return out.String()
}

func TestLoadShort(t *testing.T) {
	t.Parallel()
	loadRun(t)
}

// Telegram answers one message in ten with 5xx or 429 while the bot is
// restarted mid-flow: everything still arrives once, in order.
func TestLoadTelegramErrorsAndBotRestart(t *testing.T) {
	t.Parallel()
	out := loadRun(t, "-faults", "telegram,bot")
	if !strings.Contains(out, "fault: bot stopped") {
		t.Errorf("bot not restarted:\n%s", out)
	}
}

// Redis is killed mid-flow and restarted from its AOF: flows and tickets
// go on where they were.
func TestLoadRedisKilledAndRestarted(t *testing.T) {
	t.Parallel()
	bin := os.Getenv("KUAIJI_TEST_REDIS_BIN")
	if bin == "" {
		var err error
		if bin, err = exec.LookPath("redis-server"); err != nil {
			t.Skip("no redis-server")
		}
	}
	out := loadRun(t, "-faults", "redis", "-redis-bin", bin)
	if !strings.Contains(out, "fault: Redis killed and restarted") {
		t.Errorf("Redis not restarted:\n%s", out)
	}
}
