package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/term"

	"github.com/kuaiji/kuaiji/bot/telegram"
)

// runSetup walks an operator through connecting the bot to Telegram: it
// checks the token, finds the staff group and its members from the
// messages they send there, checks the bot's rights in the group, and
// writes the variables into the env file. The token is never printed.
func runSetup(ctx context.Context, cfg config, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("setup", flag.ContinueOnError)
	fs.SetOutput(stderr)
	envPath := fs.String("env", ".env", "写入配置的文件（已有的其他设置保留）")
	wait := fs.Duration("wait", 10*time.Minute, "等待群消息的最长时间")
	if err := fs.Parse(args); err != nil {
		return err
	}
	in := newLineReader(stdin)
	say := func(format string, a ...any) { fmt.Fprintf(stdout, format+"\n", a...) }

	say("第 1 步：检查机器人令牌")
	token, typed := cfg.telegramToken, false
	if token == "" {
		say("请在 Telegram 里打开 @BotFather，发送 /newbot 创建机器人（已有机器人可发送 /token 取得令牌）。")
		fmt.Fprint(stdout, "然后把令牌粘贴到这里（输入时不显示）：")
		var err error
		if token, err = in.secret(stdin); err != nil {
			return fmt.Errorf("setup: read token: %w", err)
		}
		fmt.Fprintln(stdout)
		typed = true
	}
	cctx, cancel := context.WithTimeout(ctx, checkTimeout)
	me, err := telegram.CheckToken(cctx, cfg.telegramAPIURL, token)
	cancel()
	switch {
	case errors.Is(err, telegram.ErrBadToken):
		say("✗ Telegram 不接受这个令牌：请在 @BotFather 里发送 /token 重新获取，完整复制“数字:字母”整串后再试。")
		return exitCode(1)
	case err != nil:
		say("✗ 无法连接 Telegram（%s）：请检查网络或 TELEGRAM_API_URL。", redact(cfg.telegramAPIURL))
		return exitCode(1)
	}
	say("✓ 令牌有效：机器人 @%s（编号 %d）", me.Username, me.ID)

	cctx, cancel = context.WithTimeout(ctx, checkTimeout)
	hook, err := telegram.WebhookURL(cctx, cfg.telegramAPIURL, token)
	cancel()
	if err != nil {
		say("✗ 无法读取 webhook 设置：%v", err)
		return exitCode(1)
	}
	if hook != "" {
		say("这个机器人设置了 webhook，查找群组需要先暂时删除它（kuaiji serve 启动时会按 WEBHOOK_URL 重新设置）。")
		if !in.yes(stdout, "现在删除 webhook 吗？[y/N] ") {
			say("已停止：没有修改任何设置。")
			return exitCode(1)
		}
		if err := telegram.DeleteWebhook(ctx, cfg.telegramAPIURL, token); err != nil {
			say("✗ 删除 webhook 失败：%v", err)
			return exitCode(1)
		}
	}

	say("")
	say("第 2 步：准备人工客服群（kuaiji serve 此时不要运行）")
	say("  1. 在 Telegram 新建一个群组；建议在群设置里开启“话题”（Topics），每张工单会有自己的话题。")
	say("  2. 把 @%s 加进群，并设为管理员，打开“管理话题”权限（管理员才能收到客服的普通回复）。", me.Username)
	say("  3. 请每位客服在群里发送 /whoami@%s 。", me.Username)
	say("正在等待群里的消息……所有客服都出现后按回车继续（最多等 %s）。", formatAge(*wait))

	dctx, stop := context.WithTimeout(ctx, *wait)
	var (
		mu        sync.Mutex
		shown     = map[string]bool{}
		haveGroup bool
	)
	go func() {
		// An Enter ends the wait once a group has been seen; the end of
		// input ends it at once.
		for {
			select {
			case _, ok := <-in.lines():
				mu.Lock()
				got := haveGroup
				mu.Unlock()
				if got || !ok {
					stop()
					return
				}
				say("还没有收到群里的消息：请确认机器人已在群里，并在群里发送 /whoami@%s 。", me.Username)
			case <-dctx.Done():
				return
			}
		}
	}()
	seen, err := telegram.Discover(dctx, cfg.telegramAPIURL, token, 10*time.Second, func(chats []telegram.SeenChat) bool {
		mu.Lock()
		defer mu.Unlock()
		for _, c := range chats {
			haveGroup = true
			if k := fmt.Sprint("g", c.ID); !shown[k] {
				shown[k] = true
				say("  发现群组「%s」（编号 %d）", safeText(c.Title), c.ID)
			}
			for _, u := range c.Senders {
				if k := fmt.Sprint("u", c.ID, u.ID); !shown[k] {
					shown[k] = true
					say("    发言者：%s（编号 %d）", describeUser(u), u.ID)
				}
			}
		}
		return false
	})
	stop()
	if err != nil {
		say("✗ 读取群消息失败：%v（是否有 kuaiji serve 或别的程序正在使用这个机器人？）", err)
		return exitCode(1)
	}
	if len(seen) == 0 {
		say("✗ 没有收到任何群消息：请把机器人加进群，在群里发送 /whoami@%s 后重新运行 kuaiji setup。", me.Username)
		return exitCode(1)
	}

	say("")
	say("第 3 步：选择客服群与客服")
	group := seen[0]
	if len(seen) > 1 {
		for i, c := range seen {
			say("  %d. %s（编号 %d）", i+1, safeText(c.Title), c.ID)
		}
		group = seen[in.choose(stdout, "请输入客服群的序号：", len(seen))-1]
	}
	cctx, cancel = context.WithTimeout(ctx, checkTimeout)
	check, err := telegram.CheckStaffChat(cctx, cfg.telegramAPIURL, token, me.ID, group.ID)
	cancel()
	if err != nil {
		say("✗ 无法读取群「%s」：%v", safeText(group.Title), err)
		return exitCode(1)
	}
	reportStaffChat(say, check)

	var staff []int64
	switch len(group.Senders) {
	case 0:
		say("群里还没有人发言：客服名单暂时留空，可以稍后在群里发送 /whoami 查看自己的编号，再填入 KUAIJI_STAFF_USER_IDS。")
	default:
		for i, u := range group.Senders {
			say("  %d. %s（编号 %d）", i+1, describeUser(u), u.ID)
		}
		for _, i := range in.chooseMany(stdout, "哪些人是客服？请输入序号，用逗号分隔；直接回车表示全部：", len(group.Senders)) {
			staff = append(staff, group.Senders[i-1].ID)
		}
	}

	set := map[string]string{
		"KUAIJI_STAFF_CHAT_ID":  strconv.FormatInt(group.ID, 10),
		"KUAIJI_STAFF_USER_IDS": joinIDs(staff),
	}
	if typed {
		set["TELEGRAM_BOT_TOKEN"] = token
	}
	if err := writeEnv(*envPath, set); err != nil {
		say("✗ 写入 %s 失败：%v", *envPath, err)
		return exitCode(1)
	}
	say("")
	say("已写入 %s：KUAIJI_STAFF_CHAT_ID=%d，KUAIJI_STAFF_USER_IDS=%s%s。", *envPath, group.ID, joinIDs(staff),
		map[bool]string{true: "，以及机器人令牌（不在此显示）", false: ""}[typed])
	if len(check.Problems) > 0 {
		say("请先按上面的提示修改群设置，再运行 kuaiji doctor 检查。")
		return exitCode(1)
	}
	say("下一步：运行 kuaiji doctor 检查全部配置，然后 kuaiji serve（或 docker compose up -d）。")
	return nil
}

// reportStaffChat tells the operator what the Bot API says about the
// staff chat, with a line per problem.
func reportStaffChat(say func(string, ...any), c telegram.StaffChatCheck) {
	kind := "普通群"
	switch {
	case c.IsForum:
		kind = "开启话题的超级群（每张工单一个话题）"
	case c.Type == "supergroup":
		kind = "超级群（未开启话题：工单卡片都发在群里）"
	}
	role := map[bool]string{true: "管理员", false: "普通成员"}[c.IsAdmin]
	say("  群「%s」：%s；机器人身份：%s", safeText(c.Title), kind, role)
	if len(c.Problems) == 0 {
		say("  ✓ 机器人可以在这个群里发工单%s。", map[bool]string{true: "并创建话题", false: ""}[c.IsForum])
	}
	for _, p := range c.Problems {
		say("  ✗ %s", p)
	}
}

func describeUser(u telegram.SeenUser) string {
	name := safeText(u.Name)
	if name == "" {
		name = "（无名字）"
	}
	if u.Username != "" {
		name += " @" + safeText(u.Username)
	}
	return name
}

// safeText drops control characters from names and titles that reach
// the operator's terminal.
func safeText(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || r >= 0x80 && r < 0xa0 {
			return -1
		}
		return r
	}, s)
}

func joinIDs(ids []int64) string {
	s := make([]string, len(ids))
	for i, id := range ids {
		s[i] = strconv.FormatInt(id, 10)
	}
	return strings.Join(s, ",")
}

// writeEnv sets keys in the env file at path, keeping every other line;
// a missing file starts from .env.example beside it when there is one.
// The file holds the token, so it is written readable by its owner only.
func writeEnv(path string, set map[string]string) error {
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		b, err = os.ReadFile(strings.TrimSuffix(path, ".env") + ".env.example")
		if errors.Is(err, os.ErrNotExist) {
			b, err = nil, nil
		}
	}
	if err != nil {
		return err
	}
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	if len(b) == 0 {
		lines = nil
	}
	done := map[string]bool{}
	keyRe := regexp.MustCompile(`^\s*(?:#\s*)?([A-Z][A-Z0-9_]*)\s*=`)
	for i, l := range lines {
		m := keyRe.FindStringSubmatch(l)
		if m == nil {
			continue
		}
		if v, ok := set[m[1]]; ok && !done[m[1]] {
			lines[i] = m[1] + "=" + v
			done[m[1]] = true
		}
	}
	keys := make([]string, 0, len(set))
	for k := range set {
		if !done[k] {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	for _, k := range keys {
		lines = append(lines, k+"="+set[k])
	}
	return os.WriteFile(path, []byte(strings.Join(lines, "\n")+"\n"), 0o600)
}

// lineReader reads the operator's answers, one line at a time, from a
// goroutine started on first use: the discovery wait can then select on
// the next line and a line typed during it is never lost.
type lineReader struct {
	r    *bufio.Reader
	once sync.Once
	ch   chan string
}

func newLineReader(r io.Reader) *lineReader {
	return &lineReader{r: bufio.NewReader(r), ch: make(chan string)}
}

// lines is the channel of the operator's lines; it is closed at the end
// of input.
func (l *lineReader) lines() <-chan string {
	l.once.Do(func() {
		go func() {
			defer close(l.ch)
			for {
				s, err := l.r.ReadString('\n')
				if err != nil && s == "" {
					return
				}
				l.ch <- strings.TrimSpace(s)
			}
		}()
	})
	return l.ch
}

func (l *lineReader) line() (string, error) {
	s, ok := <-l.lines()
	if !ok {
		return "", io.EOF
	}
	return s, nil
}

// secret reads the token without echo when stdin is a terminal. It must
// come before the first [lineReader.line].
func (l *lineReader) secret(stdin io.Reader) (string, error) {
	if f, ok := stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		b, err := term.ReadPassword(int(f.Fd()))
		return strings.TrimSpace(string(b)), err
	}
	return l.line()
}

func (l *lineReader) yes(w io.Writer, prompt string) bool {
	fmt.Fprint(w, prompt)
	s, err := l.line()
	return err == nil && (strings.EqualFold(s, "y") || strings.EqualFold(s, "yes") || s == "是")
}

// choose asks for one number in 1..n until it gets one (or input ends:
// then 1).
func (l *lineReader) choose(w io.Writer, prompt string, n int) int {
	for {
		fmt.Fprint(w, prompt)
		s, err := l.line()
		if err != nil {
			return 1
		}
		if i, err := strconv.Atoi(s); err == nil && i >= 1 && i <= n {
			return i
		}
		fmt.Fprintf(w, "请输入 1 到 %d 之间的序号。\n", n)
	}
}

// chooseMany asks for numbers in 1..n separated by commas or spaces; an
// empty answer (or the end of input) means all.
func (l *lineReader) chooseMany(w io.Writer, prompt string, n int) []int {
	all := make([]int, n)
	for i := range all {
		all[i] = i + 1
	}
	for {
		fmt.Fprint(w, prompt)
		s, err := l.line()
		if err != nil || s == "" {
			return all
		}
		var got []int
		ok := true
		for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == '，' || r == ' ' || r == '、' }) {
			i, err := strconv.Atoi(f)
			if err != nil || i < 1 || i > n {
				ok = false
				break
			}
			if !slices.Contains(got, i) {
				got = append(got, i)
			}
		}
		if ok && len(got) > 0 {
			return got
		}
		fmt.Fprintf(w, "请输入 1 到 %d 之间的序号，例如 1,2。\n", n)
	}
}
