package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/kuaiji/kuaiji/knowledge"
	"github.com/kuaiji/kuaiji/knowledge/llm"
)

// checkTimeout bounds each network check of doctor.
const checkTimeout = 10 * time.Second

// runDoctor prints what kuaiji will use and checks the LLM endpoint and
// Redis. Secrets are shown masked. It exits non-zero when a configured
// service fails its check.
func runDoctor(ctx context.Context, cfg config, stdout io.Writer) error {
	w := &doctorOut{w: stdout, secrets: []string{cfg.openAIKey, cfg.telegramToken, cfg.webhookSecret}}
	failed := false

	switch {
	case cfg.openAIModel != "":
		w.linef("回答方式：LLM（对话模型 %s），接口失败或回答未通过出处检查时改用抽取式回答", cfg.openAIModel)
	default:
		w.linef("回答方式：离线（抽取式回答）")
	}
	c := llmClient(cfg)
	if c != nil {
		w.linef("接口地址：%s", c.BaseURL())
		if cfg.openAIKey != "" {
			w.linef("API 密钥：%s", maskSecret(cfg.openAIKey))
		} else {
			w.linef("API 密钥：未设置（Ollama、vLLM 等本地服务通常不需要）")
		}
	} else if cfg.openAIBaseURL != "" || cfg.openAIKey != "" {
		w.linef("提示：设置了 OPENAI_BASE_URL 或 OPENAI_API_KEY，但没有设置 OPENAI_MODEL 或 OPENAI_EMBEDDING_MODEL，仍为离线。")
	}
	if cfg.openAIEmbeddingModel != "" {
		w.linef("向量模型：%s（由接口计算，保存在索引目录，更换模型后首次启动重新计算一次）", cfg.openAIEmbeddingModel)
	} else {
		w.linef("向量模型：本地哈希向量（%s）", knowledge.LocalEmbedderName)
	}
	w.linef("索引目录：%s", describeDataDir(cfg.dataDir))
	if !doctorRedis(ctx, cfg, w) {
		failed = true
	}
	describeTelegram(cfg, w)
	if !doctorTelegram(ctx, cfg, w) {
		failed = true
	}

	if c != nil {
		w.linef("")
		w.linef("检查接口：")
		if !doctorEndpoint(ctx, cfg, c, w) {
			failed = true
		}
	}
	if failed {
		w.linef("")
		w.linef("有检查未通过，见上。")
		return exitCode(1)
	}
	return nil
}

// doctorOut writes lines with every secret replaced by its mask, so no
// error message can leak one.
type doctorOut struct {
	w       io.Writer
	secrets []string
}

func (d *doctorOut) linef(format string, args ...any) {
	s := fmt.Sprintf(format, args...)
	for _, sec := range d.secrets {
		if len(sec) >= 4 {
			s = strings.ReplaceAll(s, sec, maskSecret(sec))
		}
	}
	fmt.Fprintln(d.w, maskURLSecrets(s))
}

var (
	urlUserinfoRe = regexp.MustCompile(`(?i)\b([a-z][a-z0-9+.\-]*://)([^\s/?#@]+)@`)
	urlParamRe    = regexp.MustCompile(`(?i)\b((?:[a-z_]*password|passwd|pwd|token|api_key|apikey|key|secret)=)[^&\s#]+`)
)

// maskURLSecrets hides the credentials of every URL in s: the password of
// user:password@ (the whole userinfo when it is a bare token) and
// password-like query parameters. Any URL doctor prints may carry them:
// REDIS_URL, OPENAI_BASE_URL, TELEGRAM_API_URL, and error messages that
// quote one.
func maskURLSecrets(s string) string {
	s = urlUserinfoRe.ReplaceAllStringFunc(s, func(m string) string {
		sub := urlUserinfoRe.FindStringSubmatch(m)
		user, _, hasPass := strings.Cut(sub[2], ":")
		if !hasPass {
			return sub[1] + "****@"
		}
		return sub[1] + user + ":****@"
	})
	return urlParamRe.ReplaceAllString(s, "${1}****")
}

// maskSecret keeps the first three and last four characters of a long
// secret, enough to tell two keys apart.
func maskSecret(s string) string {
	if r := []rune(s); len(r) >= 16 {
		return string(r[:3]) + "…" + string(r[len(r)-4:])
	}
	return "****"
}

func describeDataDir(dir string) string {
	if dir == "" {
		return "未设置（索引只在内存中，每次启动重建）"
	}
	if _, err := os.Stat(filepath.Join(dir, knowledge.IndexFile)); err == nil {
		return dir + "（已有索引）"
	}
	return dir + "（尚无索引，首次启动时建立）"
}

// doctorRedis describes and pings REDIS_URL; false means it is set and
// unusable.
func doctorRedis(ctx context.Context, cfg config, w *doctorOut) bool {
	if cfg.redisURL == "" {
		w.linef("Redis：未设置 REDIS_URL（使用进程内 Redis，退出后会话状态不保留）")
		return true
	}
	shown := redact(cfg.redisURL) // redisurl.go: also Sentinel and Cluster forms
	rdb, err := newRedis(cfg.redisURL, true)
	if err != nil {
		w.linef("Redis：%s ✗ REDIS_URL 无法解析：%v", shown, err)
		return false
	}
	defer rdb.Close()
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	if err := rdb.Ping(ctx).Err(); err != nil {
		w.linef("Redis：%s ✗ 无法连接：%v", shown, err)
		return false
	}
	w.linef("Redis：%s ✓ 连接正常", shown)
	return true
}

func describeTelegram(cfg config, w *doctorOut) {
	if cfg.telegramToken == "" {
		w.linef("Telegram：未配置（未设置 TELEGRAM_BOT_TOKEN）")
		return
	}
	mode := "长轮询"
	if cfg.webhookURL != "" {
		mode = "webhook，监听 " + cfg.webhookAddr
	}
	staff := "未设置工作人员群"
	if cfg.staffChatID != 0 {
		staff = fmt.Sprintf("工作人员群 %d", cfg.staffChatID)
	}
	w.linef("Telegram：已配置（令牌 %s，API %s，%s，%s）", maskSecret(cfg.telegramToken), cfg.telegramAPIURL, mode, staff)
}

// doctorEndpoint lists the models and tries the configured ones; false
// means a configured model does not work.
func doctorEndpoint(ctx context.Context, cfg config, c *llm.Client, w *doctorOut) bool {
	ok := true
	cctx, cancel := context.WithTimeout(ctx, checkTimeout)
	ids, err := c.Models(cctx)
	cancel()
	switch {
	case err != nil:
		// Some compatible servers have no /models: the model checks decide.
		w.linef("  ! 模型列表：%s", describeAPIError(err))
	default:
		w.linef("  ✓ 模型列表：%d 个模型", len(ids))
		for _, m := range []string{cfg.openAIModel, cfg.openAIEmbeddingModel} {
			if m != "" && !slices.Contains(ids, m) {
				w.linef("  ! 列表中没有 %s，请核对模型名（下面的测试会确认能否使用）", m)
			}
		}
	}
	if m := cfg.openAIModel; m != "" {
		start := time.Now()
		cctx, cancel := context.WithTimeout(ctx, checkTimeout)
		err := c.CheckChat(cctx, m)
		cancel()
		if err != nil {
			ok = false
			w.linef("  ✗ 对话模型 %s：%s", m, describeAPIError(err))
		} else {
			w.linef("  ✓ 对话模型 %s：1 token 测试通过（%s）", m, time.Since(start).Round(time.Millisecond))
		}
	}
	if m := cfg.openAIEmbeddingModel; m != "" {
		start := time.Now()
		cctx, cancel := context.WithTimeout(ctx, checkTimeout)
		v, err := llm.NewEmbedder(c, m, llm.WithRetry(1, 0)).Embed(cctx, "会计继续教育")
		cancel()
		if err != nil {
			ok = false
			w.linef("  ✗ 向量模型 %s：%s", m, describeAPIError(err))
		} else {
			w.linef("  ✓ 向量模型 %s：1 条文本测试通过，维度 %d（%s）", m, len(v), time.Since(start).Round(time.Millisecond))
		}
	}
	return ok
}

// describeAPIError says in a line what probably went wrong.
func describeAPIError(err error) string {
	msg := err.Error()
	if r := []rune(msg); len(r) > 300 {
		msg = string(r[:300]) + "…"
	}
	hint := ""
	switch s := llm.StatusCode(err); {
	case s == http.StatusUnauthorized || s == http.StatusForbidden:
		hint = "密钥无效或无权使用（检查 OPENAI_API_KEY）"
	case s == http.StatusNotFound:
		hint = "地址或模型不存在（检查 OPENAI_BASE_URL 是否以 /v1 结尾、模型名是否正确）"
	case s == http.StatusTooManyRequests:
		hint = "请求过多或额度不足"
	case s >= 500:
		hint = "服务端出错，请稍后再试"
	case s >= 400:
		hint = "请求被拒绝"
	case s == 0:
		hint = "无法连接（检查地址、网络，或本地服务是否已启动）"
	}
	return "失败：" + hint + "：" + msg
}
