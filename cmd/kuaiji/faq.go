package main

import (
	"cmp"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"
	"gopkg.in/yaml.v3"

	"github.com/kuaiji/kuaiji/deskfaq"
	"github.com/kuaiji/kuaiji/events"
	"github.com/kuaiji/kuaiji/feedback"
	"github.com/kuaiji/kuaiji/knowledge"
)

// faqHelp is what `kuaiji faq SUB --help` says about each subcommand.
var faqHelp = map[string]struct{ usage, about string }{
	"drafts":  {"kuaiji faq drafts", "列出待审核的帮助台答复草稿。"},
	"show":    {"kuaiji faq show 编号", "查看一条帮助台答复：问题、其他问法、答复、地区、依据文件、来源工单、日期和命中次数。"},
	"publish": {"kuaiji faq publish 编号 [--confirm]", "发布草稿：几秒内所有运行中的 kuaiji 都会用它回答相同或相近的问题，默认一年后到期。与内置常见问题重复时先提示，确认后加 --confirm 再发布。"},
	"retire":  {"kuaiji faq retire 编号", "停用已发布的答复：几秒内不再用于回答。"},
	"discard": {"kuaiji faq discard 编号", "放弃一条草稿。"},
	"list":    {"kuaiji faq list [--all]", "列出已发布的答复及其命中次数和 👍/👎 评价；--all 同时列出草稿、已停用和已放弃的。"},
	"export":  {"kuaiji faq export [文件]", "把已发布的答复导出为 policies/faq/*.yaml 的格式（未指定文件时输出到屏幕），审核后可并入内置常见问题。"},
	"add":     {"kuaiji faq add --question 问题 --answer 答复 [--variant 问法]... [--jurisdiction 地区] [--doc 文件编号]...", "手工新建一条草稿。"},
	"edit":    {"kuaiji faq edit 编号 [--question 问题] [--answer 答复] [--variant 问法]... [--jurisdiction 地区] [--doc 文件编号]...", "修改草稿或已发布的答复；给出的项替换原有内容（--variant、--doc 替换全部问法或文件）。"},
	"draft":   {"kuaiji faq draft --from-event 事件编号 [--answer 答复]", "用一条提问记录（kuaiji gaps 列出的事件编号）新建草稿；不给 --answer 时以当前的回答为初稿，请审核修改后再发布。"},
}

// runFAQ runs `kuaiji faq SUB …` on the Redis that serve uses.
func runFAQ(ctx context.Context, cfg config, log *slog.Logger, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" {
		fmt.Fprintln(stderr, "子命令：")
		for _, sub := range []string{"drafts", "show", "publish", "retire", "discard", "list", "export", "add", "edit", "draft"} {
			fmt.Fprintf(stderr, "  %s\n      %s\n", faqHelp[sub].usage, faqHelp[sub].about)
		}
		if len(args) == 0 {
			return errors.New("faq：请给出子命令，例如 kuaiji faq drafts")
		}
		return nil
	}
	sub, args := args[0], args[1:]
	if _, ok := faqHelp[sub]; !ok {
		return fmt.Errorf("faq：没有“%s”这个子命令，运行 kuaiji faq --help 查看", sub)
	}
	fs := flag.NewFlagSet("faq "+sub, flag.ContinueOnError)
	fs.SetOutput(stderr)
	var f entryFlags
	var confirm, all bool
	var from string
	by := "运维（命令行）"
	switch sub {
	case "publish":
		fs.BoolVar(&confirm, "confirm", false, "与内置常见问题重复时仍然发布")
	case "list":
		fs.BoolVar(&all, "all", false, "同时列出草稿、已停用和已放弃的")
	case "draft":
		fs.StringVar(&from, "from-event", "", "提问记录的事件编号（kuaiji gaps 列出）")
	}
	switch sub {
	case "publish", "retire", "discard":
		fs.StringVar(&by, "by", by, "审核人，记入发布或停用记录")
	case "add", "edit", "draft":
		f.register(fs, sub)
	}
	pos, err := parseMixed(fs, args)
	if err != nil {
		return err
	}
	if cfg.redisURL == "" {
		return errors.New("faq：未设置 REDIS_URL；帮助台答复保存在 kuaiji serve 所用的 Redis 中")
	}
	rdb, err := newRedis(cfg.redisURL, false)
	if err != nil {
		return fmt.Errorf("faq: REDIS_URL: %w", err)
	}
	defer rdb.Close()
	var ix *knowledge.Index
	if sub == "publish" || sub == "draft" && f.answer == "" {
		if ix, err = openIndex(ctx, cfg, log); err != nil {
			return err
		}
	}
	store := newDeskStore(cfg, rdb, ix)
	number := func() (int64, error) {
		if len(pos) != 1 {
			return 0, fmt.Errorf("faq %s：请给出一条答复的编号，例如 kuaiji faq %s 12", sub, sub)
		}
		n, ok := deskfaq.ParseID(pos[0])
		if !ok {
			return 0, fmt.Errorf("faq %s：“%s”不是答复编号", sub, pos[0])
		}
		return n, nil
	}
	switch sub {
	case "drafts", "list":
		var list []deskfaq.Entry
		switch {
		case sub == "drafts":
			list, err = store.List(ctx, deskfaq.Draft)
		case all:
			list, err = store.List(ctx)
		default:
			list, err = store.List(ctx, deskfaq.Published)
		}
		if err != nil {
			return fmt.Errorf("faq %s: %w", sub, err)
		}
		return printEntries(ctx, stdout, list, sub == "list", feedbackCounts{openFeedback(cfg, nil, rdb)})
	case "export":
		return exportFAQ(ctx, store, strings.Join(pos, " "), stdout)
	case "add":
		e, err := store.Create(ctx, f.entry())
		if err != nil {
			return faqError("add", err)
		}
		fmt.Fprintf(stdout, "已新建草稿 %s。审核后发布：kuaiji faq publish %d\n", e.Ref(), e.Number)
		return nil
	case "draft":
		return draftFromEvent(ctx, cfg, rdb, store, ix, from, f, stdout)
	}
	n, err := number()
	if err != nil {
		return err
	}
	var e deskfaq.Entry
	switch sub {
	case "show":
		if e, err = store.Get(ctx, n); err != nil {
			return faqError(sub, err)
		}
		printEntry(stdout, e)
		return nil
	case "edit":
		e, err = store.Edit(ctx, n, f.apply)
	case "publish":
		e, err = store.Publish(ctx, n, confirm, by)
		if ov, ok := deskfaq.IsConfirm(err); ok {
			fmt.Fprint(stdout, overlapWarning(ov))
			return fmt.Errorf("%s 未发布：确认这条答复适用后，请运行 kuaiji faq publish %d --confirm", e.Ref(), n)
		}
	case "retire":
		e, err = store.Retire(ctx, n, by)
	case "discard":
		e, err = store.Discard(ctx, n, by)
	}
	if err != nil {
		return faqError(sub, err)
	}
	switch sub {
	case "edit":
		fmt.Fprintf(stdout, "已修改 %s（%s）。\n", e.Ref(), e.Status.Label())
	case "publish":
		fmt.Fprintf(stdout, "已发布 %s，几秒内所有运行中的 kuaiji 都会用它回答，到期日 %s。\n", e.Ref(), day(e.Expires))
		if e.Defers != "" {
			fmt.Fprintf(stdout, "回答中会注明：与《%s》不一致时以后者为准。\n", e.Defers)
		}
	case "retire":
		fmt.Fprintf(stdout, "已停用 %s，几秒内不再用于回答。\n", e.Ref())
	case "discard":
		fmt.Fprintf(stdout, "已放弃草稿 %s。\n", e.Ref())
	}
	return nil
}

// overlapWarning tells a publisher which built-in entry already answers
// the draft's question, and what it says.
func overlapWarning(ov deskfaq.Overlap) string {
	return fmt.Sprintf("注意：内置常见问题「%s」已经回答了这个问题（依据《%s》）：\n  %s\n"+
		"确认发布后，回答会注明两者不一致时以《%s》为准。\n", ov.Question, ov.Applies, oneLine(ov.Says), ov.Applies)
}

// faqError says in words what went wrong with an entry.
func faqError(sub string, err error) error {
	switch {
	case errors.Is(err, deskfaq.ErrNotFound):
		return errors.New("没有这条帮助台答复，kuaiji faq list --all 可以查看全部编号")
	case errors.Is(err, deskfaq.ErrStatus):
		return fmt.Errorf("faq %s：这条答复当前的状态不能这样操作（草稿才能发布或放弃，已发布的才能停用，已过期的可以重新发布）", sub)
	case errors.Is(err, deskfaq.ErrIncomplete):
		return fmt.Errorf("faq %s：问题和答复都不能为空", sub)
	case errors.Is(err, deskfaq.ErrUnknownPlace):
		return fmt.Errorf("faq %s：无法识别地区（%v），请写省份或城市名，如 广东、深圳", sub, err)
	}
	return fmt.Errorf("faq %s: %w", sub, err)
}

// entryFlags are the fields add, edit and draft take.
type entryFlags struct {
	question, answer, jurisdiction, expires string
	variants, docs                          []string
	staff                                   int64
	set                                     map[string]bool
}

func (f *entryFlags) register(fs *flag.FlagSet, sub string) {
	f.set = map[string]bool{}
	str := func(p *string, name, usage string) {
		fs.Func(name, usage, func(v string) error { *p, f.set[name] = v, true; return nil })
	}
	list := func(p *[]string, name, usage string) {
		fs.Func(name, usage, func(v string) error { *p, f.set[name] = append(*p, v), true; return nil })
	}
	str(&f.answer, "answer", "答复正文")
	if sub == "draft" {
		return
	}
	str(&f.question, "question", "问题")
	list(&f.variants, "variant", "其他问法（可重复）")
	str(&f.jurisdiction, "jurisdiction", "地区，如 广东；不填为全国")
	list(&f.docs, "doc", "答复依据的文件编号（可重复，见 kuaiji docs）")
	str(&f.expires, "expires", "到期日 YYYY-MM-DD（默认发布后一年）")
	fs.Int64Var(&f.staff, "staff", 0, "答复的工作人员的用户编号")
}

func (f *entryFlags) entry() deskfaq.Entry {
	var e deskfaq.Entry
	f.apply(&e)
	return e
}

// apply sets the fields given on the command line.
func (f *entryFlags) apply(e *deskfaq.Entry) error {
	if f.set["question"] {
		e.Question = f.question
	}
	if f.set["answer"] {
		e.Answer = f.answer
	}
	if f.set["variant"] {
		e.Paraphrases = f.variants
	}
	if f.set["jurisdiction"] {
		e.Jurisdiction = f.jurisdiction
	}
	if f.set["doc"] {
		e.Docs = f.docs
	}
	if f.set["expires"] {
		t, err := time.ParseInLocation("2006-01-02", f.expires, shanghai)
		if err != nil {
			return fmt.Errorf("--expires：请写成 2027-12-31 这样的日期")
		}
		e.Expires = t.UTC()
	}
	if f.staff != 0 {
		e.Staff = f.staff
	}
	return nil
}

var shanghai = time.FixedZone("CST", 8*3600)

func day(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.In(shanghai).Format("2006-01-02")
}

// ratingCounter reads the 👍/👎 counts of rated answers per source id
// from the rating store; an entry's are those of its id ("desk-12").
type ratingCounter interface {
	RatingCounts(ctx context.Context, since time.Time) (map[string]upDown, error)
}

// feedbackCounts reads the ratings users gave answers (package feedback).
type feedbackCounts struct{ s *feedback.Store }

func (f feedbackCounts) RatingCounts(ctx context.Context, since time.Time) (map[string]upDown, error) {
	ts, err := f.s.Counts(ctx, since)
	if err != nil {
		return nil, fmt.Errorf("read ratings: %w", err)
	}
	out := make(map[string]upDown, len(ts))
	for id, t := range ts {
		out[id] = upDown{t.Up, t.Down}
	}
	return out, nil
}

// upDown is how many 👍 and 👎 answers resting on a source got.
type upDown struct{ Up, Down int }

// printEntries lists entries one or two lines each; with counts, the
// hits and ratings (ratings nil: not available).
func printEntries(ctx context.Context, w io.Writer, list []deskfaq.Entry, counts bool, ratings ratingCounter) error {
	if len(list) == 0 {
		fmt.Fprintln(w, "没有符合条件的帮助台答复。")
		return nil
	}
	var votes map[string]upDown
	if counts && ratings != nil {
		var err error
		if votes, err = ratings.RatingCounts(ctx, time.Time{}); err != nil {
			return fmt.Errorf("faq list: read ratings: %w", err)
		}
	}
	now := time.Now()
	for _, e := range list {
		line := e.Ref() + " · " + e.Status.Label()
		if e.Expired(now) {
			line += "（已过期，不再回答）"
		}
		line += " · " + cmp.Or(placeName(e.Jurisdiction), "全国")
		if counts {
			line += fmt.Sprintf(" · 命中 %d", e.Hits)
			if ratings == nil {
				line += " · 评价 —"
			} else {
				v := votes[e.ID()]
				line += fmt.Sprintf(" · 👍 %d 👎 %d", v.Up, v.Down)
			}
		}
		if e.Status == deskfaq.Published {
			line += " · 审核 " + day(e.Reviewed) + " · 到期 " + day(e.Expires)
		} else {
			line += " · 创建 " + day(e.Created)
		}
		fmt.Fprintln(w, oneLine(line))
		fmt.Fprintln(w, "   "+oneLine(e.Question))
	}
	return nil
}

// printEntry shows one entry in full.
func printEntry(w io.Writer, e deskfaq.Entry) {
	fmt.Fprintf(w, "%s · %s（回答中引用为 %s）\n", e.Ref(), e.Status.Label(), e.ID())
	fmt.Fprintf(w, "问题：%s\n", oneLine(e.Question))
	for _, p := range e.Paraphrases {
		fmt.Fprintf(w, "其他问法：%s\n", oneLine(p))
	}
	fmt.Fprintf(w, "答复：\n%s\n", e.Answer)
	fmt.Fprintf(w, "地区：%s\n", cmp.Or(placeName(e.Jurisdiction), "全国"))
	if len(e.Docs) > 0 {
		fmt.Fprintf(w, "依据文件：%s\n", strings.Join(e.Docs, "、"))
	}
	if e.Ticket != 0 {
		fmt.Fprintf(w, "来源工单：#%d（kuaiji tickets show %d）\n", e.Ticket, e.Ticket)
	}
	if e.Event != "" {
		fmt.Fprintf(w, "来源提问记录：%s\n", e.Event)
	}
	if e.Staff != 0 {
		fmt.Fprintf(w, "答复人：用户编号 %d\n", e.Staff)
	}
	fmt.Fprintf(w, "创建：%s", day(e.Created))
	if !e.Reviewed.IsZero() {
		fmt.Fprintf(w, " · 审核：%s（%s）", day(e.Reviewed), e.ReviewedBy)
	}
	if !e.Expires.IsZero() {
		fmt.Fprintf(w, " · 到期：%s", day(e.Expires))
	}
	fmt.Fprintf(w, " · 命中 %d\n", e.Hits)
	if e.Defers != "" {
		fmt.Fprintf(w, "与《%s》不一致时以后者为准（发布时已确认）。\n", e.Defers)
	}
}

// exportFAQ writes the answering entries as policies/faq YAML, to path
// or, when path is "", to stdout.
func exportFAQ(ctx context.Context, store *deskfaq.Store, path string, stdout io.Writer) error {
	live, _, err := store.Answering(ctx, time.Now())
	if err != nil {
		return fmt.Errorf("faq export: %w", err)
	}
	list := make([]knowledge.FAQ, len(live))
	for i, e := range live {
		list[i] = e.FAQ()
	}
	b, err := yaml.Marshal(list)
	if err != nil {
		return fmt.Errorf("faq export: %w", err)
	}
	head := "# 帮助台答复（kuaiji faq export，" + day(time.Now()) + " 导出），格式同 policies/faq/*.yaml。\n" +
		"# 并入内置常见问题前请逐条审核，并把 source 设为答复依据的文档编号。\n"
	b = append([]byte(head), b...)
	if path == "" {
		_, err = stdout.Write(b)
		return err
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		return fmt.Errorf("faq export: %w", err)
	}
	fmt.Fprintf(stdout, "已导出 %d 条到 %s。\n", len(list), path)
	return nil
}

// draftFromEvent makes a draft of a logged question: its question cut to
// the question, the given answer or, without one, today's answer as a
// first draft to review, and the documents that answer cited.
func draftFromEvent(ctx context.Context, cfg config, rdb redis.UniversalClient, store *deskfaq.Store, ix *knowledge.Index, id string, f entryFlags, stdout io.Writer) error {
	if id == "" {
		return errors.New("faq draft：请用 --from-event 给出事件编号（kuaiji gaps 列出）")
	}
	stream := events.New(rdb, events.WithPrefix(keyPrefix(cfg.redisURL)), events.WithRetention(cfg.retention))
	ev, err := stream.Get(ctx, id)
	if errors.Is(err, events.ErrNotFound) {
		return fmt.Errorf("没有编号为 %s 的提问记录（提问记录保留 %s）", id, formatAge(cfg.retention))
	} else if err != nil {
		return fmt.Errorf("faq draft: %w", err)
	}
	asked := cmp.Or(ev.Standalone, ev.Question)
	e := deskfaq.Entry{Question: deskfaq.QuestionOf([]string{asked}), Answer: f.answer, Jurisdiction: ev.Jurisdiction, Event: ev.ID}
	if q := deskfaq.QuestionOf([]string{ev.Question}); q != e.Question && q != "" {
		e.Paraphrases = []string{q}
	}
	for _, s := range ev.Sources {
		if !strings.HasPrefix(s, deskfaq.IDPrefix) {
			e.Docs = append(e.Docs, s)
		}
	}
	if e.Answer == "" {
		a, err := ix.Answer(ctx, knowledge.Question{Text: asked, Jurisdiction: ev.Jurisdiction})
		if err != nil {
			return fmt.Errorf("faq draft: %w", err)
		}
		e.Answer = a.Text
	}
	d, err := store.Create(ctx, e)
	if err != nil {
		return faqError("draft", err)
	}
	fmt.Fprintf(stdout, "已新建草稿 %s：%s\n请审核答复（kuaiji faq show %d，修改用 kuaiji faq edit %d --answer …），再发布：kuaiji faq publish %d\n",
		d.Ref(), oneLine(d.Question), d.Number, d.Number, d.Number)
	return nil
}

// parseMixed parses flags wherever they stand among the arguments
// ("publish 12 --confirm" as well as "publish --confirm 12") and returns
// the others in order.
func parseMixed(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		if fs.NArg() == 0 {
			return pos, nil
		}
		pos, args = append(pos, fs.Arg(0)), fs.Args()[1:]
	}
}
