package bot_test

import (
	"context"
	"net"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/kuaiji/kuaiji/bot"
	"github.com/kuaiji/kuaiji/flows"
	"github.com/kuaiji/kuaiji/flows/redisstore"
)

// redisServer runs KUAIJI_TEST_REDIS_BIN on port until stopped.
func redisServer(t *testing.T, bin string, port int) (stop func()) {
	t.Helper()
	cmd := exec.Command(bin, "--port", strconv.Itoa(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", t.TempDir())
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	c := redis.NewClient(&redis.Options{Addr: "127.0.0.1:" + strconv.Itoa(port), MaxRetries: -1})
	defer c.Close()
	for i := 0; ; i++ {
		if c.Ping(context.Background()).Err() == nil {
			break
		}
		if i == 100 {
			cmd.Process.Kill()
			t.Fatal("redis-server did not start")
		}
		time.Sleep(50 * time.Millisecond)
	}
	stopped := false
	stop = func() {
		if !stopped {
			stopped = true
			cmd.Process.Kill()
			cmd.Wait()
		}
	}
	t.Cleanup(stop)
	return stop
}

func freePort(t *testing.T) int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// TestRedisStoppedAndBack stops a real redis-server mid-flow: guided flows
// pause with a clear message while questions are still answered, and work
// again once Redis is back.
func TestRedisStoppedAndBack(t *testing.T) {
	bin := os.Getenv("KUAIJI_TEST_REDIS_BIN")
	if bin == "" {
		t.Skip("KUAIJI_TEST_REDIS_BIN not set")
	}
	port := freePort(t)
	stop := redisServer(t, bin, port)
	rdb := redis.NewClient(&redis.Options{Addr: "127.0.0.1:" + strconv.Itoa(port), MaxRetries: -1, DialTimeout: time.Second})
	defer rdb.Close()
	js := Jurisdictions(t)
	fl, err := flows.Load(os.DirFS("../policies"), "flows", Docs(js))
	if err != nil {
		t.Fatal(err)
	}
	fa := &fakeAnswerer{}
	r := bot.NewRouter(flows.New(redisstore.New(rdb), fl, bot.PlacesFrom(js)), fa)

	handle(t, r, bot.Message{Text: "/check"})
	if out := handle(t, r, bot.Message{Text: "中级"}); !strings.Contains(out[0].Text, "从事会计工作") {
		t.Fatalf("before outage: %+v", out)
	}
	stop()
	if out := handle(t, r, bot.Message{Text: "是"}); len(out) != 1 || out[0].Text != bot.PausedText {
		t.Fatalf("during outage, an answer: %+v", out)
	}
	out := handle(t, r, bot.Message{Text: "广东继续教育要多少学分？"})
	if len(out) != 2 || out[0].Text != "答：广东继续教育要多少学分？" || out[1].Text != bot.PausedText {
		t.Fatalf("during outage, a question: %+v", out)
	}
	redisServer(t, bin, port)
	out = handle(t, r, bot.Message{Text: "/check"})
	if !strings.Contains(out[len(out)-1].Text, "什么级别") {
		t.Fatalf("after outage: %+v", out)
	}
	if out := handle(t, r, bot.Message{Text: "中级"}); !strings.Contains(out[0].Text, "从事会计工作") {
		t.Fatalf("after outage: %+v", out)
	}
}
