package main

import (
	"errors"
	"strings"
	"testing"

	"github.com/alicebob/miniredis/v2"

	"github.com/kuaiji/kuaiji/internal/openaifake"
	"github.com/kuaiji/kuaiji/internal/tgfake"
)

func TestDoctorOffline(t *testing.T) {
	t.Parallel()
	out, _, err := runEnv(t, map[string]string{"KUAIJI_DATA_DIR": t.TempDir()}, "", "doctor")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"回答方式：离线", "本地哈希向量", "尚无索引", "进程内 Redis", "Telegram：未配置"} {
		if !strings.Contains(out, want) {
			t.Errorf("lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "检查接口") {
		t.Errorf("offline doctor checked an endpoint:\n%s", out)
	}
}

func TestDoctorChecksEndpointAndMasksSecrets(t *testing.T) {
	f := openaifake.New(t.Cleanup)
	f.RequireKey("sk-test-secret-123456")
	mr := miniredis.RunT(t)
	mr.RequireAuth("redis-pass-987")
	env := llmEnv(t, f)
	env["OPENAI_EMBEDDING_MODEL"] = "fake-embed"
	env["REDIS_URL"] = "redis://:redis-pass-987@" + mr.Addr()
	env["TELEGRAM_BOT_TOKEN"] = "123456789:AAEhBP0av28-secret-token"
	api := tgfake.New(env["TELEGRAM_BOT_TOKEN"])
	t.Cleanup(api.Close)
	env["TELEGRAM_API_URL"] = api.URL()
	out, _, err := runEnv(t, env, "", "doctor")
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	for _, want := range []string{
		"回答方式：LLM（对话模型 fake-chat）", "接口地址：" + f.URL(), "API 密钥：sk-…3456",
		"向量模型：fake-embed", "✓ 模型列表：2 个模型", "✓ 对话模型 fake-chat：1 token 测试通过",
		"✓ 向量模型 fake-embed：1 条文本测试通过，维度 32", "✓ 连接正常", "Telegram：已配置（令牌 123…oken",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("lacks %q:\n%s", want, out)
		}
	}
	for _, secret := range []string{"sk-test-secret-123456", "redis-pass-987", "secret-token"} {
		if strings.Contains(out, secret) {
			t.Errorf("secret %q printed:\n%s", secret, out)
		}
	}
	if r := f.Requests(); len(r) != 1 || r[0].MaxTokens != 1 {
		t.Errorf("chat check: %+v", r)
	}
}

func TestDoctorReportsFailures(t *testing.T) {
	f := openaifake.New(t.Cleanup)
	f.RequireKey("sk-the-right-key-000000")
	env := llmEnv(t, f)
	env["REDIS_URL"] = "redis://:pw@127.0.0.1:1"
	out, _, err := runEnv(t, env, "", "doctor")
	if !errors.As(err, new(exitCode)) {
		t.Fatalf("want a non-zero exit, got %v\n%s", err, out)
	}
	for _, want := range []string{"✗ 对话模型 fake-chat：失败：密钥无效", "✗ 无法连接", "有检查未通过"} {
		if !strings.Contains(out, want) {
			t.Errorf("lacks %q:\n%s", want, out)
		}
	}

	f.Close()
	out, _, err = runEnv(t, llmEnv(t, f), "", "doctor")
	if !errors.As(err, new(exitCode)) || !strings.Contains(out, "无法连接（检查地址") {
		t.Errorf("endpoint down: %v\n%s", err, out)
	}
}

// TestDoctorMasksURLCredentials: doctor printed user:password@ of
// OPENAI_BASE_URL and TELEGRAM_API_URL in full while its own error lines
// masked them.
func TestDoctorMasksURLCredentials(t *testing.T) {
	f := openaifake.New(t.Cleanup)
	env := llmEnv(t, f)
	env["OPENAI_BASE_URL"] = strings.Replace(f.URL(), "http://", "http://user:basicpw@", 1)
	env["TELEGRAM_BOT_TOKEN"] = "123456789:AAEhBP0av28-secret-token"
	env["TELEGRAM_API_URL"] = "https://bot:tgapipw@tg.example.com/api?password=qpw1&x=1"
	env["REDIS_URL"] = "redis://:redispw@127.0.0.1:1"
	out, _, _ := runEnv(t, env, "", "doctor")
	for _, secret := range []string{"basicpw", "tgapipw", "qpw1", "redispw"} {
		if strings.Contains(out, secret) {
			t.Errorf("doctor printed %q:\n%s", secret, out)
		}
	}
	for _, want := range []string{"http://user:****@", "https://bot:****@tg.example.com/api?password=****&x=1"} {
		if !strings.Contains(out, want) {
			t.Errorf("lacks %q:\n%s", want, out)
		}
	}
}
