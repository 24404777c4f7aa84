package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
)

// commandHelp is what `kuaiji CMD --help` says about each command: its
// usage line, what it does, and the environment variables it reads.
var commandHelp = map[string]struct {
	usage, about string
	env          []string
	noFlags      bool // takes no arguments: never run it to list flags
}{
	"chat":        {"kuaiji chat [--user 编号]", "在终端里对话：提问，或用 /check /materials /transfer 等引导办理；/quit 或 Ctrl-D 退出。", []string{"REDIS_URL", "KUAIJI_STATE_TTL", "KUAIJI_DATA_DIR", "KUAIJI_POLICIES_DIR", "OPENAI_*"}, false},
	"web":         {"kuaiji web [--addr 127.0.0.1:8080]", "在浏览器里对话：打开 http://127.0.0.1:8080 提问或办理，页面可用 widget.js 嵌入 KUAIJI_WEB_ORIGINS 列出的网站。", []string{"REDIS_URL", "KUAIJI_STATE_TTL", "KUAIJI_WEB_ORIGINS", "KUAIJI_DATA_DIR", "KUAIJI_POLICIES_DIR", "OPENAI_*"}, false},
	"ask":         {"kuaiji ask [--province 地区] [--json] 问题", "回答一个政策问题，并列出出处。", []string{"KUAIJI_DATA_DIR", "KUAIJI_POLICIES_DIR", "OPENAI_*"}, false},
	"eval":        {"kuaiji eval [阈值参数] 文件.jsonl...", "用问题集评测回答质量：命中率、拒答率、出处、首句命中、把握度校准。", []string{"KUAIJI_DATA_DIR", "OPENAI_*（--llm 时）"}, false},
	"ingest":      {"kuaiji ingest [--prune] 目录... | kuaiji ingest --remove 编号...", "导入 Markdown、文本、HTML、PDF、DOCX 文档并更新索引，或删除以前导入的文档。", []string{"KUAIJI_DATA_DIR", "OPENAI_EMBEDDING_MODEL"}, false},
	"docs":        {"kuaiji docs [--ingested] [--json]", "列出回答可以引用的文档（编号、来源、地区、状态、审阅日期）。", []string{"KUAIJI_DATA_DIR", "KUAIJI_POLICIES_DIR"}, false},
	"serve":       {"kuaiji serve", "运行 Telegram 机器人与人工客服转接；设置 WEBHOOK_URL 时使用 webhook，否则长轮询；设置 WEB_ADDR 时同时提供网页对话（转人工进入同一个客服群）。", []string{"TELEGRAM_BOT_TOKEN", "WEB_ADDR", "KUAIJI_WEB_ORIGINS", "TELEGRAM_API_URL", "WEBHOOK_URL", "WEBHOOK_SECRET", "WEBHOOK_LISTEN", "KUAIJI_STAFF_CHAT_ID", "KUAIJI_STAFF_USER_IDS", "REDIS_URL", "KUAIJI_STATE_TTL", "KUAIJI_RETENTION", "KUAIJI_DATA_DIR", "KUAIJI_POLICIES_DIR", "HTTP_ADDR", "KUAIJI_LOG_*", "OPENAI_*"}, false},
	"setup":       {"kuaiji setup [--env .env] [--wait 10m]", "连接 Telegram：检查令牌，从群消息中找到客服群和客服，检查机器人在群里的权限，把设置写入 .env（令牌不显示）。", []string{"TELEGRAM_BOT_TOKEN", "TELEGRAM_API_URL"}, false},
	"demo":        {"kuaiji demo", "不需要令牌也不联网：机器人按 serve 的方式运行在本机的模拟 Telegram 上，您以用户“张会计”和客服“李客服”的身份打字，看到机器人发给双方的全部消息。", []string{"KUAIJI_DATA_DIR", "OPENAI_*"}, false},
	"doctor":      {"kuaiji doctor", "显示将使用的配置（密钥已遮盖），并检查 Telegram 令牌与客服群、LLM 接口和 Redis；有检查未通过时以非零状态退出。", []string{"全部（见 kuaiji help）"}, true},
	"healthcheck": {"kuaiji healthcheck", "检查本机运行中的 serve 是否存活（供容器 HEALTHCHECK 使用）。", []string{"HTTP_ADDR"}, true},
	"gaps":        {"kuaiji gaps [--since 30d] [--json]", "列出把握不大或转人工的提问，按相似度归组：看缺哪些文档。", []string{"REDIS_URL", "KUAIJI_RETENTION"}, false},
	"tickets":     {"kuaiji tickets [--status 状态] | kuaiji tickets show 编号", "列出或查看人工工单。", []string{"REDIS_URL", "KUAIJI_RETENTION"}, false},
	"faq":         {"kuaiji faq 子命令 [参数]", "帮助台答复整理成的常见问题：drafts 列出草稿，show 查看，publish 发布，retire 停用，discard 放弃，list 列出已发布的及命中和评价，export 导出为 YAML，add 手工新建，edit 修改，draft --from-event 由提问记录新建。每个子命令的参数：kuaiji faq 子命令 --help", []string{"REDIS_URL", "KUAIJI_DATA_DIR", "KUAIJI_POLICIES_DIR"}, false},
	"check-photo": {"kuaiji check-photo 文件 [--jurisdiction 地区] [--kind photo|scan]", "上传前检查证件照或扫描件（格式、大小、像素、清晰度等）；不符合已核实规则时退出状态为 1，用法错误为 2。", nil, false},
}

// wantsHelp reports whether a command's arguments ask for its help.
func wantsHelp(args []string) bool {
	for _, a := range args {
		switch a {
		case "-h", "-help", "--help":
			return true
		case "--":
			return false
		}
	}
	return false
}

// printCommandHelp writes a command's help to w. The flags come from the
// command itself: it is run with -h and its flag set prints them, so a
// flag added to a command appears here without a second list to keep.
func printCommandHelp(ctx context.Context, cfg config, log *slog.Logger, name string, w io.Writer) error {
	h, ok := commandHelp[name]
	if !ok {
		return fmt.Errorf("没有“%s”这个命令，运行 kuaiji help 查看可用的命令", name)
	}
	fmt.Fprintf(w, "用法：%s\n\n%s\n", h.usage, h.about)
	var flags bytes.Buffer
	if !h.noFlags {
		dispatch(ctx, cfg, log, name, []string{"-h"}, strings.NewReader(""), io.Discard, &flags)
	}
	if lines := strings.SplitN(flags.String(), "\n", 2); len(lines) == 2 && strings.TrimSpace(lines[1]) != "" {
		fmt.Fprintf(w, "\n参数：\n%s", lines[1])
	}
	if len(h.env) > 0 {
		fmt.Fprintf(w, "\n环境变量：%s（说明见 kuaiji help）\n", strings.Join(h.env, "、"))
	}
	return nil
}

// printFAQHelp writes the help of `kuaiji faq sub`, its flags from the
// subcommand's own flag set as printCommandHelp does.
func printFAQHelp(ctx context.Context, cfg config, log *slog.Logger, sub string, w io.Writer) error {
	h, ok := faqHelp[sub]
	if !ok {
		return fmt.Errorf("faq：没有“%s”这个子命令，运行 kuaiji faq --help 查看", sub)
	}
	fmt.Fprintf(w, "用法：%s\n\n%s\n", h.usage, h.about)
	var flags bytes.Buffer
	dispatch(ctx, cfg, log, "faq", []string{sub, "-h"}, strings.NewReader(""), io.Discard, &flags)
	if lines := strings.SplitN(flags.String(), "\n", 2); len(lines) == 2 && strings.TrimSpace(lines[1]) != "" {
		fmt.Fprintf(w, "\n参数：\n%s", lines[1])
	}
	fmt.Fprintln(w, "\n环境变量：REDIS_URL、KUAIJI_DATA_DIR、KUAIJI_POLICIES_DIR（说明见 kuaiji help）")
	return nil
}
