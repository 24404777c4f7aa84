package main

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
)

// TestGapsFromChatAndForget asks questions in `kuaiji chat` on a Redis,
// reads them back grouped with `kuaiji gaps`, then /forget removes them.
func TestGapsFromChatAndForget(t *testing.T) {
	mr := miniredis.RunT(t)
	env := map[string]string{"REDIS_URL": "redis://" + mr.Addr(), "KUAIJI_DATA_DIR": t.TempDir()}
	chatScript(t, env, 11, "会计人员信息采集的系统一直转圈卡在第三页怎么办", "继续教育每年要多少学分",
		"/province 广东", "信息采集的系统一直转圈卡在第三页怎么办")
	chatScript(t, env, 12, "外籍会计人员的采集系统一直转圈卡住怎么办", "我的身份证号是110101199003071234，外籍会计人员的采集系统一直转圈卡住怎么办")

	out, errOut, err := runEnv(t, env, "", "gaps", "--since", "1d")
	if err != nil {
		t.Fatalf("gaps: %v\n%s", err, errOut)
	}
	for _, want := range []string{"共 5 个提问", "4 个回答把握不大", "转圈卡在第三页", "次数 2", "外籍会计人员", "相似问法"} {
		if !strings.Contains(out, want) {
			t.Errorf("gaps output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "学分") || strings.Contains(out, "110101199003071234") {
		t.Errorf("confident answer or an id number in the report:\n%s", out)
	}

	chatScript(t, env, 12, "/forget")
	out, _, err = runEnv(t, env, "", "gaps", "--json")
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		Questions int `json:"questions"`
		Gaps      []struct {
			Question      string         `json:"question"`
			Count         int            `json:"count"`
			Jurisdictions map[string]int `json:"jurisdictions"`
		} `json:"gaps"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if got.Questions != 3 || len(got.Gaps) != 1 || got.Gaps[0].Count != 2 {
		t.Errorf("after /forget of user 12: %+v", got)
	}

	// Retention: events older than KUAIJI_RETENTION are trimmed.
	time.Sleep(5 * time.Millisecond)
	env["KUAIJI_RETENTION"] = "1ms"
	out, _, err = runEnv(t, env, "", "gaps", "--since", "30d")
	if err != nil || !strings.Contains(out, "共 0 个提问") {
		t.Errorf("events kept past KUAIJI_RETENTION: %v\n%s", err, out)
	}
}

func TestParseAge(t *testing.T) {
	for in, want := range map[string]time.Duration{"180d": 180 * 24 * time.Hour, "12h": 12 * time.Hour, "0.5d": 12 * time.Hour} {
		if got, err := parseAge(in); err != nil || got != want {
			t.Errorf("parseAge(%q) = %v, %v", in, got, err)
		}
	}
	for _, in := range []string{"", "x", "-3d", "0"} {
		if _, err := parseAge(in); err == nil {
			t.Errorf("parseAge(%q) accepted", in)
		}
	}
	if _, err := loadConfig(func(k string) string { return map[string]string{"KUAIJI_RETENTION": "soon"}[k] }); err == nil {
		t.Error("bad KUAIJI_RETENTION accepted")
	}
}

func TestGapsAndTicketsNeedRedis(t *testing.T) {
	for _, cmd := range []string{"gaps", "tickets"} {
		if _, _, err := runEnv(t, map[string]string{}, "", cmd); err == nil || !strings.Contains(err.Error(), "REDIS_URL") {
			t.Errorf("%s without Redis: %v", cmd, err)
		}
	}
}

// TestGapsShowsDislikedAnswers rates answers in `kuaiji chat` and reads
// the 👎s back, most disliked first, with reasons and sources.
func TestGapsShowsDislikedAnswers(t *testing.T) {
	mr := miniredis.RunT(t)
	env := map[string]string{"REDIS_URL": "redis://" + mr.Addr(), "KUAIJI_DATA_DIR": t.TempDir()}
	chatScript(t, env, 21, "继续教育每年要多少学分", "/bad 信息过时", "继续教育每年要多少学分", "+")
	chatScript(t, env, 22, "继续教育每年需要多少学分", "/bad 还是没说清楚，电话13812345678")
	out, errOut, err := runEnv(t, env, "", "gaps", "--since", "1d")
	if err != nil {
		t.Fatalf("gaps: %v\n%s", err, errOut)
	}
	for _, want := range []string{"用户评价：共 3 次（👍 1，👎 2）", "被评为没帮助的回答", "👎 2 · 👍 1", "原因：信息过时 1、其他 1",
		"意见：还是没说清楚", "回答依据："} {
		if !strings.Contains(out, want) {
			t.Errorf("gaps output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "13812345678") {
		t.Errorf("a phone number in the report:\n%s", out)
	}
	out, _, err = runEnv(t, env, "", "gaps", "--json")
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		Ratings struct {
			Up, Down int
			Disliked []struct {
				Down    int            `json:"down"`
				Reasons map[string]int `json:"reasons"`
				Sources map[string]int `json:"sources"`
			} `json:"disliked"`
		} `json:"ratings"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if got.Ratings.Down != 2 || len(got.Ratings.Disliked) != 1 || got.Ratings.Disliked[0].Reasons["outdated"] != 1 ||
		len(got.Ratings.Disliked[0].Sources) == 0 {
		t.Errorf("json ratings: %+v", got.Ratings)
	}
	chatScript(t, env, 22, "/forget")
	out, _, _ = runEnv(t, env, "", "gaps")
	if !strings.Contains(out, "用户评价：共 2 次（👍 1，👎 1）") {
		t.Errorf("/forget left the user's rating:\n%s", out)
	}
}
