package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/kuaiji/kuaiji/internal/tgfake"
)

// The demo runs the real Telegram side — `kuaiji serve` with go-telegram,
// hand-off, ticket cards and topics — against the in-repo fake Bot API, so
// an operator can try it before having a token. The operator types as an
// accountant in a private chat and as a help-desk agent in the staff
// group, and sees everything the bot sends to either.

const demoToken = "100200300:demo-token-for-the-in-process-fake"

var (
	demoUser  = tgfake.User{ID: 10001, FirstName: "张会计"}
	demoAgent = tgfake.User{ID: 20001, FirstName: "李客服"}
	demoStaff = tgfake.Chat{ID: -1001000000001, Type: "supergroup", Title: "帮助台（演示）", IsForum: true}
)

const demoHelp = `这是 Telegram 一侧的演示：机器人按 kuaiji serve 的方式运行，Telegram 由本机的模拟服务代替，不需要令牌，也不联网。
  直接输入            以用户“张会计”的身份给机器人发消息（/start、/check、/human 等命令也可以）
  输入数字 N          按下机器人发给您的最新一条消息里的第 N 个按钮
  客服 文字           以客服“李客服”的身份在工单话题里回复（/close 结束工单）
  客服 N              按下客服群最新一条带按钮消息的第 N 个按钮（如“认领”）
  /quit               退出（Ctrl-D 也可以）
`

// runDemo starts the fake Bot API and the bot, then reads the operator's
// lines until the input ends, /quit, or ctx ends.
func runDemo(ctx context.Context, cfg config, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	fs.SetOutput(stderr)
	if err := fs.Parse(args); err != nil {
		return err
	}
	api := tgfake.New(demoToken)
	defer api.Close()
	api.KeepCalls(false)
	api.SetChat(demoStaff)
	api.SetMember(demoStaff.ID, tgfake.ChatMember{Status: "administrator", User: api.Me(), CanManageTopics: true})

	cfg.telegramToken, cfg.telegramAPIURL = demoToken, api.URL()
	cfg.webhookURL = ""
	cfg.staffChatID, cfg.staffUserIDs = demoStaff.ID, map[int64]bool{demoAgent.ID: true}
	cfg.httpAddr = "off"
	if cfg.logLevel < slog.LevelError {
		// The bot's JSON logs would drown the conversation.
		cfg.logLevel = slog.LevelError
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	served := make(chan error, 1)
	go func() { served <- runServe(ctx, cfg, nil, stderr) }()

	p := &demoPrinter{api: api, w: stdout, shown: map[int64]map[int]string{}}
	fmt.Fprint(stdout, demoHelp)
	if !api.Until(30*time.Second, func() bool { return len(api.Calls("getUpdates")) > 0 || api.Pending() == 0 }) {
		return fmt.Errorf("demo: the bot did not start")
	}
	go p.loop(ctx)

	lines := bufio.NewScanner(stdin)
	lines.Buffer(make([]byte, 64*1024), 1<<20)
	for {
		fmt.Fprint(stdout, "> ")
		if !lines.Scan() {
			break
		}
		line := strings.TrimSpace(lines.Text())
		if line == "/quit" || line == "/exit" {
			break
		}
		if line == "" {
			continue
		}
		select {
		case err := <-served:
			return fmt.Errorf("demo: the bot stopped: %w", err)
		default:
		}
		before := p.count()
		p.act(line)
		// Wait briefly for the bot's answer so it prints before the next
		// prompt, as in a chat window.
		api.Until(5*time.Second, func() bool { return p.count() > before })
		p.flush()
	}
	cancel()
	<-served
	return nil
}

// demoPrinter prints what the bot sends to the user's chat and to the
// staff group, each message once and again when it is edited.
type demoPrinter struct {
	api   *tgfake.Server
	w     io.Writer
	mu    sync.Mutex
	shown map[int64]map[int]string // chat → message id → text shown
	// lastTopic is the forum topic of the newest ticket card.
	lastTopic int
}

func (p *demoPrinter) loop(ctx context.Context) {
	t := time.NewTicker(100 * time.Millisecond)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			p.flush()
		}
	}
}

func (p *demoPrinter) count() int {
	return len(p.api.Messages(demoUser.ID)) + len(p.api.Messages(demoStaff.ID)) + p.edits()
}

func (p *demoPrinter) edits() int {
	n := 0
	for _, chat := range []int64{demoUser.ID, demoStaff.ID} {
		for _, m := range p.api.Messages(chat) {
			if m.EditDate != 0 {
				n++
			}
		}
	}
	return n
}

func (p *demoPrinter) flush() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, chat := range []int64{demoUser.ID, demoStaff.ID} {
		if p.shown[chat] == nil {
			p.shown[chat] = map[int]string{}
		}
		for _, m := range p.api.Messages(chat) {
			text := m.Text
			if m.Document != nil {
				text = "📎 文件：" + m.Document.FileName + "\n" + m.Caption
			}
			var btns []string
			for i, b := range m.Buttons() {
				btns = append(btns, fmt.Sprintf("[%d %s]", i+1, b.Text))
			}
			view := strings.TrimSpace(text + "\n" + strings.Join(btns, " "))
			old, seen := p.shown[chat][m.MessageID]
			if seen && old == view {
				continue
			}
			p.shown[chat][m.MessageID] = view
			who := "机器人 → 张会计"
			if chat == demoStaff.ID {
				who = "机器人 → 客服群"
				if m.MessageThreadID != 0 {
					who += fmt.Sprintf("（话题 %d）", m.MessageThreadID)
					if strings.Contains(m.Text, "工单 #") {
						p.lastTopic = m.MessageThreadID
					}
				}
			}
			if seen {
				who += "（消息已更新）"
			}
			fmt.Fprintf(p.w, "\n【%s】\n%s\n", who, view)
		}
	}
}

// act turns one operator line into what the user or the agent does.
func (p *demoPrinter) act(line string) {
	if rest, ok := strings.CutPrefix(line, "客服"); ok && (rest == "" || rest[0] == ' ' || strings.HasPrefix(rest, "：") || strings.HasPrefix(rest, ":")) {
		rest = strings.TrimLeft(rest, " ：:")
		if n, err := strconv.Atoi(rest); err == nil {
			p.press(demoAgent, demoStaff.ID, n)
			return
		}
		p.mu.Lock()
		topic := p.lastTopic
		p.mu.Unlock()
		p.api.Send(tgfake.Message{From: &demoAgent, Chat: demoStaff, Text: rest, MessageThreadID: topic, IsTopicMessage: topic != 0})
		return
	}
	if n, err := strconv.Atoi(line); err == nil && p.press(demoUser, demoUser.ID, n) {
		return
	}
	p.api.Text(demoUser, line)
}

// press presses button n of the newest message with buttons in chat; false
// when there is no such button (the line is then sent as text).
func (p *demoPrinter) press(u tgfake.User, chat int64, n int) bool {
	ms := p.api.Messages(chat)
	for i := len(ms) - 1; i >= 0; i-- {
		if b := ms[i].Buttons(); len(b) > 0 {
			if n < 1 || n > len(b) || b[n-1].CallbackData == "" {
				return false
			}
			p.api.Press(u, ms[i], b[n-1].CallbackData)
			return true
		}
	}
	return false
}
