// Command kuaiji answers accountants' questions about 会计人员信息采集 and
// 会计继续教育, in a terminal or on Telegram.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/kuaiji/kuaiji/knowledge/extract"
)

func main() {
	// A PDF is read by a child process of this same binary (see
	// extract.ServeChild), which must not get as far as the commands.
	extract.ServeChild()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if code := exitStatus(run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr), os.Stderr); code != 0 {
		os.Exit(code)
	}
}

// exitStatus is the process's exit status for what run returned: a
// command chooses its own with [exitCode] (check-photo's 2 for a usage
// error), any other error is reported on stderr and exits 1.
func exitStatus(err error, stderr io.Writer) int {
	if err == nil {
		return 0
	}
	var ec exitCode
	if errors.As(err, &ec) && ec != 0 {
		return int(ec)
	}
	fmt.Fprintln(stderr, "kuaiji:", err)
	return 1
}

// exitCode is returned when the command already reported its failure and
// only the exit status is left to set.
type exitCode int

func (e exitCode) Error() string { return fmt.Sprintf("exit status %d", int(e)) }

const usage = `用法：kuaiji <命令> [参数]

命令：
  chat [--user 编号]                   在终端里对话：提问，或用 /check /materials /transfer 等引导办理
  web [--addr 127.0.0.1:8080]          在浏览器里对话（http://127.0.0.1:8080），也可嵌入其他网站
  ask [--province 地区] [--json] 问题   回答一个政策问题
  eval [阈值参数] 文件.jsonl            用问题集评测回答质量
  ingest [--prune] 目录...             导入文档（Markdown、文本、HTML、PDF、DOCX）并更新索引；--prune 同时清理目录里已没有的旧导入
  ingest --remove 编号...              删除以前导入的文档
  docs [--ingested] [--json]           列出回答可以引用的文档（编号、来源、地区、状态、审阅日期）
  serve                                运行 Telegram 机器人（需 TELEGRAM_BOT_TOKEN；设置 WEBHOOK_URL 时使用 webhook）
  gaps [--since 30d] [--json]         把握不大或转人工的提问，按相似度归组：缺哪些文档
  tickets [--status S] | tickets show 编号  列出或查看人工工单
  faq drafts|show|publish|retire|list|export|add|edit|draft  帮助台答复整理成的常见问题：审核、发布、停用、导出
  demo                                 不需要令牌，试用 Telegram 一侧：以用户和客服的身份打字，看机器人与人工转接
  setup [--env .env]                   连接 Telegram：检查令牌，找到客服群和客服，写入 .env
  doctor                               显示将使用的配置（密钥已遮盖），并检查 Telegram、LLM 接口与 Redis
  healthcheck                          检查本机运行中的 serve 是否存活（供容器 HEALTHCHECK 使用）
  check-photo 文件 [--jurisdiction 地区] [--kind photo|scan]  上传前检查证件照或扫描件（格式、大小、像素、清晰度等）

每个命令的参数：kuaiji <命令> --help

环境变量（docker compose 从 .env 读取，示例见 .env.example）：
  TELEGRAM_BOT_TOKEN   @BotFather 给的机器人令牌（serve、setup 需要）
  TELEGRAM_API_URL     Bot API 地址（默认 https://api.telegram.org）
  WEBHOOK_URL          webhook 的公网 HTTPS 地址；设置后 serve 使用 webhook
  WEBHOOK_SECRET       webhook 密钥（与 WEBHOOK_URL 一起设置）
  WEBHOOK_LISTEN       webhook 监听地址（默认 :8080）
  KUAIJI_STAFF_CHAT_ID 人工客服群的编号（-100 开头；kuaiji setup 可以找到）
  KUAIJI_STAFF_USER_IDS 可以接单的客服用户编号，逗号分隔
  KUAIJI_FAQ_PUBLISHER_IDS 可以在客服群里发布常见问题的用户编号，逗号分隔（未设置时同 KUAIJI_STAFF_USER_IDS）
  KUAIJI_DATA_DIR      索引保存目录（默认：用户缓存目录下的 kuaiji）
  KUAIJI_POLICIES_DIR  启动时追加或覆盖的政策文档目录
  REDIS_URL            会话状态所在的 Redis（未设置时使用进程内 Redis，退出即清空）
  KUAIJI_STATE_TTL     会话状态保留时长（默认 7d；时长都可写成 7d、12h、90m）
  KUAIJI_RETENTION     提问记录与已关闭工单的保留时长（默认 180d）
  KUAIJI_LOG_LEVEL     日志级别：debug、info、warn、error（默认 warn）
  KUAIJI_LOG_FORMAT    日志格式：json 或 text（serve 默认 json，其余命令默认 text）
  KUAIJI_LOG_HASH_KEY  日志中聊天与用户编号哈希所用的密钥（未设置时每个进程随机生成）
  WEB_ADDR             serve 同时提供网页对话的地址（如 :8081；未设置时不提供）
  KUAIJI_WEB_ORIGINS   可以嵌入网页对话的网站，逗号分隔（如 https://www.example.com）
  HTTP_ADDR            serve 提供 /healthz、/readyz、/metrics 的地址（默认 :9090；off 为关闭）
  OPENAI_BASE_URL      OpenAI 兼容接口地址（默认 https://api.openai.com/v1）
  OPENAI_API_KEY       接口密钥（本地 Ollama、vLLM 可不设）
  OPENAI_MODEL         对话模型；设置后由模型依据检索到的资料作答并标注出处
  OPENAI_EMBEDDING_MODEL 向量模型；设置后由接口计算文档与问题的向量
`

func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stdout, usage)
		return nil
	}
	cfg, err := loadConfig(getenv)
	if err != nil {
		return err
	}
	log := cliLogger(cfg) // serve builds its own, in its log format
	if args[0] != "serve" {
		routeRedisLogs(log)
	}
	if args[0] == "faq" && len(args) > 2 && wantsHelp(args[2:]) {
		return printFAQHelp(ctx, cfg, log, args[1], stdout)
	}
	if wantsHelp(args[1:]) {
		return printCommandHelp(ctx, cfg, log, args[0], stdout)
	}
	if args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		if len(args) > 1 {
			return printCommandHelp(ctx, cfg, log, args[1], stdout)
		}
		fmt.Fprint(stdout, usage)
		return nil
	}
	if _, ok := commandHelp[args[0]]; !ok {
		fmt.Fprint(stderr, usage)
		return fmt.Errorf("没有“%s”这个命令，可用的命令见上", args[0])
	}
	return dispatch(ctx, cfg, log, args[0], args[1:], stdin, stdout, stderr)
}

// cliLogger is the logger of every command but serve: text on the
// process's stderr unless KUAIJI_LOG_FORMAT says otherwise.
func cliLogger(cfg config) *slog.Logger { return newLogger(cfg, os.Stderr, "text") }

// dispatch runs the command name with its arguments, logging to log.
// Flag errors and usage go to stderr.
func dispatch(ctx context.Context, cfg config, log *slog.Logger, name string, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	// Commands an operator runs over user or document text print through
	// termSafe (termsafe.go).
	switch name {
	case "chat":
		return runChat(ctx, cfg, log, args, stdin, stdout, stderr)
	case "web":
		return runWeb(ctx, cfg, log, args, stdout, stderr)
	case "ask":
		return runAsk(ctx, cfg, log, args, stdout, stderr)
	case "eval":
		return runEval(ctx, cfg, log, args, stdout, stderr)
	case "serve":
		return runServe(ctx, cfg, args, stderr)
	case "ingest":
		err := runIngest(ctx, cfg, log, args, termSafe(stdout), stderr)
		if ec := exitCode(0); !errors.As(err, &ec) || ec != 2 { // 2: usage, nothing changed
			// Running serve and chat processes reload within seconds.
			if aerr := announceIndex(ctx, cfg); aerr != nil {
				fmt.Fprintf(stdout, "提示：无法通知正在运行的 kuaiji（%v），它们要重启后才会使用新导入的文档。\n", aerr)
			}
		}
		return err
	case "docs":
		return runDocs(ctx, cfg, log, args, termSafe(stdout), stderr)
	case "healthcheck":
		return runHealthcheck(ctx, cfg, stdout)
	case "gaps":
		return runGaps(ctx, cfg, args, termSafe(stdout), stderr)
	case "tickets":
		return runTickets(ctx, cfg, args, termSafe(stdout), stderr)
	case "faq":
		return runFAQ(ctx, cfg, log, args, termSafe(stdout), stderr)
	case "doctor":
		return runDoctor(ctx, cfg, stdout)
	case "setup":
		return runSetup(ctx, cfg, args, stdin, stdout, stderr)
	case "demo":
		return runDemo(ctx, cfg, args, stdin, stdout, stderr)
	case "check-photo":
		return runCheckPhoto(ctx, cfg, args, stdout, stderr)
	}
	return fmt.Errorf("unknown command %q", name)
}
