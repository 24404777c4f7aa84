package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/kuaiji/kuaiji"
	"github.com/kuaiji/kuaiji/internal/openaifake"
)

// runEnv runs the command line with env as the whole environment.
func runEnv(t *testing.T, env map[string]string, stdin string, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var out, errOut bytes.Buffer
	err = run(context.Background(), args, func(k string) string { return env[k] }, strings.NewReader(stdin), &out, &errOut)
	return out.String(), errOut.String(), err
}

// quoteFirst answers with the first source's text and cites it, as a
// faithful model would.
var firstSource = regexp.MustCompile(`(?s)\[1\][^\n]*\n(.*?)\n\n`)

func quoteFirst(r openaifake.ChatRequest) string {
	if strings.Contains(r.System(), "改写") {
		return r.LastUser()
	}
	m := firstSource.FindStringSubmatch(r.LastUser())
	if m == nil {
		return "【资料未涵盖】资料中没有相关规定。"
	}
	return "根据资料：" + m[1] + "[1]"
}

// llmVars configure the chat model of f.
func llmVars(f *openaifake.Server) []string {
	return []string{"OPENAI_BASE_URL", f.URL() + "/", "OPENAI_API_KEY", "sk-test-secret-123456", "OPENAI_MODEL", "fake-chat"}
}

// llmEnv is a data directory and the chat model of f.
func llmEnv(t *testing.T, f *openaifake.Server) map[string]string {
	env := map[string]string{"KUAIJI_DATA_DIR": dataDir(t)}
	kv := llmVars(f)
	for i := 0; i+1 < len(kv); i += 2 {
		env[kv[i]] = kv[i+1]
	}
	return env
}

func TestAskWithLLM(t *testing.T) {
	t.Parallel()
	f := openaifake.New(t.Cleanup)
	f.RequireKey("sk-test-secret-123456")
	f.Reply(quoteFirst)
	out, _, err := runEnv(t, llmEnv(t, f), "", "ask", "--json", "深圳的公需课去哪里学")
	if err != nil {
		t.Fatal(err)
	}
	var a struct {
		Answer  string          `json:"answer"`
		Sources []kuaiji.Source `json:"sources"`
	}
	if err := json.Unmarshal([]byte(out), &a); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if !strings.HasPrefix(a.Answer, "根据资料：") || !strings.HasSuffix(a.Answer, "[1]") || len(a.Sources) != 1 {
		t.Errorf("answer %+v", a)
	}
	if f.Calls(openaifake.PathChat) != 1 {
		t.Errorf("%d chat calls", f.Calls(openaifake.PathChat))
	}
}

func TestAskWithLLMDownIsExtractive(t *testing.T) {
	t.Parallel()
	f := openaifake.New(t.Cleanup)
	for range 3 {
		f.Fail(openaifake.PathChat, openaifake.Failure{Status: 500})
	}
	env := llmEnv(t, f)
	got, _, err := runEnv(t, env, "", "ask", "继续教育每年多少学分")
	if err != nil {
		t.Fatal(err)
	}
	want, _, err := runCLI(t, dataDir(t), "ask", "继续教育每年多少学分")
	if err != nil || got != want {
		t.Errorf("with the endpoint down:\n%s\noffline:\n%s", got, want)
	}
}

func TestChatWithLLMAndFollowUp(t *testing.T) {
	t.Parallel()
	f := openaifake.New(t.Cleanup)
	f.Reply(quoteFirst)
	out, _, err := runEnv(t, llmEnv(t, f), "继续教育每年要多少学分\n那深圳呢？\n", "chat")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Count(out, "根据资料：") != 2 {
		t.Errorf("transcript:\n%s", out)
	}
	// The follow-up was rewritten with the earlier question in view.
	var rewrites int
	for _, r := range f.Requests() {
		if strings.Contains(r.System(), "改写") {
			rewrites++
			if !strings.Contains(r.LastUser(), "继续教育每年要多少学分") {
				t.Errorf("rewrite without history: %s", r.LastUser())
			}
		}
	}
	if rewrites != 1 {
		t.Errorf("%d rewrites", rewrites)
	}
}

func TestAskWithEmbeddingModel(t *testing.T) {
	t.Parallel()
	f := openaifake.New(t.Cleanup)
	env := map[string]string{
		"KUAIJI_DATA_DIR":        dataDir(t),
		"OPENAI_BASE_URL":        f.URL(),
		"OPENAI_EMBEDDING_MODEL": "fake-embed",
	}
	if _, _, err := runEnv(t, env, "", "ask", "继续教育每年多少学分"); err != nil {
		t.Fatal(err)
	}
	first := f.EmbeddedTexts()
	out, _, err := runEnv(t, env, "", "ask", "继续教育每年多少学分")
	if err != nil {
		t.Fatal(err)
	}
	if first < 50 || f.EmbeddedTexts() != first+1 || !strings.Contains(out, "90") {
		t.Errorf("first run embedded %d, second %d:\n%s", first, f.EmbeddedTexts()-first, out)
	}
	if f.Calls(openaifake.PathChat) != 0 {
		t.Error("no OPENAI_MODEL, yet the chat model was asked")
	}

	// With the endpoint down at start, the local embedder answers.
	f.Close()
	env["KUAIJI_DATA_DIR"] = dataDir(t)
	if out, _, err := runEnv(t, env, "", "ask", "继续教育每年多少学分"); err != nil || !strings.Contains(out, "90") {
		t.Errorf("endpoint down: %v\n%s", err, out)
	}
}

func TestEvalLLMComparesWithOffline(t *testing.T) {
	t.Parallel()
	set := filepath.Join(t.TempDir(), "set.jsonl")
	os.WriteFile(set, []byte(`{"id":"a","q":"继续教育每年多少学分","province":"","expect_any":["90学分"],"topic":"cpe","kind":"answerable"}
{"id":"b","q":"会计信息采集需要准备哪些材料","province":"","expect_any":["一个只有模型会说的短语"],"topic":"reg","kind":"answerable"}
{"id":"c","q":"今天天气怎么样","province":"","expect_any":[],"topic":"oos","kind":"out_of_scope"}
`), 0o644)
	f := openaifake.New(t.Cleanup)
	f.Reply(func(r openaifake.ChatRequest) string {
		if strings.Contains(r.LastUser(), "材料") {
			return "一个只有模型会说的短语[1]。"
		}
		return "【资料未涵盖】资料中没有相关规定。"
	})
	out, _, err := runEnv(t, llmEnv(t, f), "", "eval", "--llm", "--min-hit", "0.6", set)
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	for _, want := range []string{
		"LLM（fake-chat）：", "命中率：66.7%（2/3） → 66.7%（2/3）",
		"仅 LLM 命中：1\n  [b]", "仅离线命中：1\n  [a]", "资料未涵盖 1",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("lacks %q:\n%s", want, out)
		}
	}
	if f.Calls(openaifake.PathChat) != 2 {
		t.Errorf("%d chat calls; the declined question must not reach the model", f.Calls(openaifake.PathChat))
	}

	out, _, err = runCLI(t, dataDir(t), "eval", "--llm", set)
	if !errors.As(err, new(exitCode)) || !strings.Contains(out, "需要先设置 OPENAI_MODEL") {
		t.Errorf("--llm offline: %v\n%s", err, out)
	}
}

// TestServeStreamsLLMAnswer: with a model configured, `kuaiji serve` shows
// the answer as a draft while the model streams it (SSE from the fake
// endpoint, sendMessageDraft to the fake Bot API), then sends one final
// message with the cited sources.
func TestServeStreamsLLMAnswer(t *testing.T) {
	f := openaifake.New(t.Cleanup)
	f.Reply(quoteFirst)
	h := newServeHarness(t, withEnv(llmVars(f)...))
	user := newUser("流")
	final := h.ask(user, "深圳的公需课去哪里学", "来源：")
	if err := h.stop(); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(final.Text, "根据资料") || !strings.Contains(final.Text, "[1] ") {
		t.Errorf("final message is not the generated, cited answer:\n%s", final.Text)
	}
	drafts := h.api.Calls("sendMessageDraft")
	if len(drafts) == 0 || !strings.Contains(drafts[0].Params["text"], "根据") {
		t.Errorf("no draft of the generated answer: %d drafts", len(drafts))
	}
	n := 0
	for _, m := range h.api.Messages(user.ID) {
		if strings.Contains(m.Text, "根据资料") {
			n++
		}
	}
	if n != 1 {
		t.Errorf("%d messages carry the answer, want one final message", n)
	}
}
