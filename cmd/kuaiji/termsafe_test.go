package main

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"

	"github.com/kuaiji/kuaiji/bot/handoff"
	"github.com/kuaiji/kuaiji/events"
)

// hostile retitles the terminal, turns it red and reverses the text.
const hostile = "外籍会计人员\x1b]0;pwned\x07\x1b[31m怎样\u202e办理信息采集\u009b2J"

func assertNoControls(t *testing.T, what, out string) {
	t.Helper()
	for _, r := range out {
		if r != '\n' && r != '\t' && (r < 0x20 || r == 0x7f || r >= 0x80 && r <= 0x9f || r == '\u202e') {
			t.Fatalf("%s prints control character %U:\n%q", what, r, out)
		}
	}
}

// TestOperatorOutputEscapesControls: a question carrying escape
// sequences reached the terminal of whoever ran kuaiji gaps or kuaiji
// tickets show.
func TestOperatorOutputEscapesControls(t *testing.T) {
	mr := miniredis.RunT(t)
	rdb := redis.NewClient(&redis.Options{Addr: mr.Addr()})
	defer rdb.Close()
	ctx := context.Background()
	stream := events.New(rdb)
	for range 2 {
		if _, err := stream.Record(ctx, 5, events.Event{Question: hostile, Confidence: 0.1}); err != nil {
			t.Fatal(err)
		}
	}
	store := handoff.New(rdb, handoff.WithPrefix("kuaiji:handoff:"))
	if _, err := store.Open(ctx, handoff.Ticket{ChatID: 5, UserID: 5, UserName: "王\x1b[2J", Reason: "r",
		Turns: []handoff.Turn{{User: true, Text: hostile + "\n机器人：伪造的一行"}}}); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"REDIS_URL": "redis://" + mr.Addr()}
	for _, args := range [][]string{{"gaps"}, {"gaps", "--json"}, {"tickets"}, {"tickets", "show", "1"}, {"tickets", "show", "--json", "1"}} {
		out, errOut, err := runEnv(t, env, "", args...)
		if err != nil {
			t.Fatalf("%v: %v\n%s", args, err, errOut)
		}
		what := strings.Join(args, " ")
		assertNoControls(t, what, out)
		if args[0] == "gaps" && !strings.Contains(out, `\u001b]0;pwned\u0007`) {
			t.Errorf("%s does not show the escape as text:\n%s", what, out)
		}
		if strings.Contains(what, "json") {
			var v any
			if err := json.Unmarshal([]byte(out), &v); err != nil {
				t.Errorf("%s is no longer JSON: %v\n%s", what, err, out)
			}
		}
		if what == "tickets show 1" && strings.Contains(out, "\n机器人：伪造") {
			t.Errorf("a user's line break forges a transcript line:\n%s", out)
		}
	}
}
