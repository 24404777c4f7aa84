package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"

	"github.com/kuaiji/kuaiji/deskfaq"
	"github.com/kuaiji/kuaiji/knowledge"
)

func faqEnv(t *testing.T) map[string]string {
	mr := miniredis.RunT(t)
	return map[string]string{"REDIS_URL": "redis://" + mr.Addr(), "KUAIJI_DATA_DIR": dataDir(t)}
}

func mustRun(t *testing.T, env map[string]string, args ...string) string {
	t.Helper()
	out, errOut, err := runEnv(t, env, "", args...)
	if err != nil {
		t.Fatalf("%v: %v\n%s%s", args, err, out, errOut)
	}
	return out
}

// TestFAQLoopOnTheCommandLine: an entry added by hand and published
// answers a question asked in other words in `kuaiji chat`, with its
// provenance; it is counted, exported in the FAQ format, and retiring it
// stops it.
func TestFAQLoopOnTheCommandLine(t *testing.T) {
	env := faqEnv(t)
	out := mustRun(t, env, "faq", "add", "--question", "继续教育发票怎么开？", "--variant", "继教交完钱发票在哪开",
		"--answer", "缴费后可以在所选学习平台的个人中心申请电子发票，联系人手机13812345678。", "--doc", "cpe-rules")
	if !strings.Contains(out, "已新建草稿 FAQ-1") {
		t.Fatalf("add: %s", out)
	}
	if out := mustRun(t, env, "faq", "show", "1"); strings.Contains(out, "13812345678") || !strings.Contains(out, "138****5678") {
		t.Errorf("show does not show the masked answer:\n%s", out)
	}
	if out := mustRun(t, env, "faq", "drafts"); !strings.Contains(out, "FAQ-1 · 草稿") {
		t.Errorf("drafts:\n%s", out)
	}
	before := chatScript(t, env, 21, "继续教育交了费，发票去哪里开？")
	if strings.Contains(before, "帮助台答复") {
		t.Fatalf("a draft answered:\n%s", before)
	}
	if out := mustRun(t, env, "faq", "publish", "1"); !strings.Contains(out, "已发布 FAQ-1") {
		t.Fatalf("publish: %s", out)
	}
	after := chatScript(t, env, 22, "继续教育交了费，发票去哪里开？")
	if !strings.Contains(after, "个人中心申请电子发票") || !regexp.MustCompile(`来源：帮助台答复（\d{4}-\d\d-\d\d，经审核）`).MatchString(after) {
		t.Errorf("published entry did not answer with its provenance:\n%s", after)
	}
	if out := mustRun(t, env, "faq", "list"); !strings.Contains(out, "FAQ-1 · 已发布 · 全国 · 命中 1") {
		t.Errorf("list:\n%s", out)
	}
	file := filepath.Join(t.TempDir(), "desk.yaml")
	mustRun(t, env, "faq", "export", file)
	list, err := knowledge.LoadFAQDir(os.DirFS(filepath.Dir(file)), ".")
	if err != nil || len(list) != 1 {
		t.Fatalf("exported file does not load: %v %+v", err, list)
	}
	if f := list[0]; f.ID != "desk-1" || f.Question != "继续教育发票怎么开？" || len(f.Variants) != 1 || f.Source != "cpe-rules" || !strings.Contains(f.Answer, "138****5678") {
		t.Errorf("exported entry = %+v", f)
	}
	mustRun(t, env, "faq", "retire", "1")
	if out := chatScript(t, env, 23, "继续教育交了费，发票去哪里开？"); strings.Contains(out, "帮助台答复") {
		t.Errorf("retired entry still answers:\n%s", out)
	}
}

// TestFAQPublishOverABuiltInEntryNeedsConfirmation: a draft whose
// question the built-in FAQ already answers is published only with
// --confirm, and its answers say which document applies.
func TestFAQPublishOverABuiltInEntryNeedsConfirmation(t *testing.T) {
	env := faqEnv(t)
	mustRun(t, env, "faq", "add", "--question", "继续教育一年要多少学分？", "--answer", "我们这里按每年90学分掌握。")
	out, _, err := runEnv(t, env, "", "faq", "publish", "1")
	if err == nil || !strings.Contains(out, "内置常见问题「会计继续教育每年要修满多少学分？」") || !strings.Contains(err.Error(), "--confirm") {
		t.Fatalf("publish without --confirm: %v\n%s", err, out)
	}
	if out := mustRun(t, env, "faq", "drafts"); !strings.Contains(out, "FAQ-1") {
		t.Errorf("not a draft any more:\n%s", out)
	}
	if out := mustRun(t, env, "faq", "publish", "1", "--confirm"); !strings.Contains(out, "以后者为准") {
		t.Errorf("confirmed publish: %s", out)
	}
	if out := mustRun(t, env, "faq", "show", "1"); !strings.Contains(out, "已发布") || !strings.Contains(out, "不一致时以后者为准") {
		t.Errorf("show:\n%s", out)
	}
}

// TestFAQDraftFromEventAndExpiry: a logged question becomes a draft with
// the documents its answer cited; an entry past its review date stops
// answering and is listed by gaps.
func TestFAQDraftFromEventAndExpiry(t *testing.T) {
	env := faqEnv(t)
	chatScript(t, env, 31, "我电话13912345678，会计人员信息采集的系统一直转圈卡在第三页怎么办")
	out := mustRun(t, env, "gaps", "--json")
	var g struct {
		Gaps []struct {
			LastEvent string `json:"last_event"`
		} `json:"gaps"`
	}
	if err := json.Unmarshal([]byte(out), &g); err != nil || len(g.Gaps) == 0 || g.Gaps[0].LastEvent == "" {
		t.Fatalf("gaps: %v\n%s", err, out)
	}
	out = mustRun(t, env, "faq", "draft", "--from-event", g.Gaps[0].LastEvent, "--answer", "请换用电脑端的浏览器重试，仍不行请联系当地财政局。")
	if !strings.Contains(out, "已新建草稿 FAQ-1：会计人员信息采集的系统一直转圈卡在第三页怎么办") {
		t.Fatalf("draft: %s", out)
	}
	show := mustRun(t, env, "faq", "show", "1")
	if strings.Contains(show, "13912345678") || !strings.Contains(show, "来源提问记录") {
		t.Errorf("show:\n%s", show)
	}
	mustRun(t, env, "faq", "publish", "1")
	if out := chatScript(t, env, 32, "信息采集系统一直在转圈，卡在第三页了"); !strings.Contains(out, "换用电脑端的浏览器") {
		t.Errorf("published entry did not answer:\n%s", out)
	}
	mustRun(t, env, "faq", "edit", "1", "--expires", "2020-01-01")
	if out := chatScript(t, env, 33, "信息采集系统一直在转圈，卡在第三页了"); strings.Contains(out, "换用电脑端的浏览器") {
		t.Errorf("expired entry still answers:\n%s", out)
	}
	if out := mustRun(t, env, "gaps"); !strings.Contains(out, "已过期、不再回答的帮助台答复 1 条") || !strings.Contains(out, "FAQ-1") {
		t.Errorf("gaps does not list the expired entry:\n%s", out)
	}
}

type fakeRatings map[string]upDown

func (f fakeRatings) RatingCounts(context.Context, time.Time) (map[string]upDown, error) {
	return f, nil
}

func TestFAQListShowsRatings(t *testing.T) {
	list := []deskfaq.Entry{{Number: 4, Status: deskfaq.Published, Question: "问", Hits: 9}}
	var b bytes.Buffer
	if err := printEntries(context.Background(), &b, list, true, fakeRatings{"desk-4": {Up: 3, Down: 1}}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "命中 9 · 👍 3 👎 1") {
		t.Errorf("list: %s", b.String())
	}
}

func TestFAQSubcommandsHaveHelp(t *testing.T) {
	for sub, h := range faqHelp {
		out, _, err := runEnv(t, nil, "", "faq", sub, "--help")
		if err != nil || !strings.HasPrefix(out, "用法："+h.usage) || strings.Contains(out, "Usage of") {
			t.Errorf("faq %s --help: %v\n%s", sub, err, out)
		}
	}
}
