package telegram

import (
	"context"
	"errors"
	"fmt"
	"github.com/kuaiji/kuaiji/privacy"
	"strconv"
	"strings"
	"time"

	"github.com/go-telegram/bot/models"
	"github.com/redis/go-redis/v9"

	"github.com/kuaiji/kuaiji"
	"github.com/kuaiji/kuaiji/bot/handoff"
	"github.com/kuaiji/kuaiji/deskfaq"
)

// Help-desk answers become FAQ entries in the staff chat: when a ticket
// that staff answered closes, the bot asks the staff member who answered
// 「整理为常见问题？」; a yes makes a draft from the ticket and posts it as a
// card, which staff edit by replying and publish or discard with its
// buttons. Publishing is for KUAIJI_FAQ_PUBLISHER_IDS only.

// FAQDesk keeps the drafts and published entries; *deskfaq.Store
// implements it.
type FAQDesk interface {
	Create(ctx context.Context, e deskfaq.Entry) (deskfaq.Entry, error)
	Get(ctx context.Context, n int64) (deskfaq.Entry, error)
	Edit(ctx context.Context, n int64, fn func(*deskfaq.Entry) error) (deskfaq.Entry, error)
	Publish(ctx context.Context, n int64, confirm bool, by string) (deskfaq.Entry, error)
	Discard(ctx context.Context, n int64, by string) (deskfaq.Entry, error)
	ForgetTickets(ctx context.Context, tickets []int64) (int, error)
}

// WithFAQDesk turns answered tickets into FAQ drafts in d; publishers may
// publish them from the staff chat.
// placeName names a place code in words on draft cards (nil: the code).
func WithFAQDesk(d FAQDesk, publishers map[int64]bool, placeName func(code string) string) Option {
	return func(a *Adapter) { a.desk, a.publishers, a.deskPlace = d, publishers, placeName }
}

// The callback data of the desk's buttons: "fq|<action>|<number>", a
// ticket number for mk and no, an entry number for the others.
const dataFAQ = "fq|"

// The fields a reply to an edit prompt sets.
var faqFields = map[string]string{"q": "问题", "a": "答复", "p": "其他问法", "j": "地区"}

// offerDraft asks the staff member who answered a closed ticket whether
// to make an FAQ entry of the answer.
func (a *Adapter) offerDraft(ctx context.Context, t handoff.Ticket) {
	if a.desk == nil || len(t.Answers) == 0 || t.UserID == 0 {
		return
	}
	id := strconv.FormatInt(t.ID, 10)
	who := t.ClaimedByName
	if who == "" {
		who = "工作人员"
	}
	text := who + "：工单 " + t.Ref() + " 已答复并关闭。整理为常见问题？以后有人问同样的问题，机器人就能直接用这份答复回答（发布前会经过审核）。"
	a.sendText(ctx, staffTarget(t), text, [][]kuaiji.Button{{{Label: "整理为常见问题", Data: dataFAQ + "mk|" + id}, {Label: "不用了", Data: dataFAQ + "no|" + id}}})
}

func (a *Adapter) cardKey(msg int) string {
	return a.prefix + "desk:card:" + strconv.FormatInt(a.staffChat, 10) + ":" + strconv.Itoa(msg)
}

// linkCard records that staff-chat message msg is entry n's card (field
// "") or a prompt to edit one of its fields.
func (a *Adapter) linkCard(ctx context.Context, msg int, n int64, field string) {
	if err := a.rdb.Set(ctx, a.cardKey(msg), strconv.FormatInt(n, 10)+"|"+field, 30*24*time.Hour).Err(); err != nil {
		a.log.Error("draft card not linked", "entry", n, "err", err)
	}
}

// cardOf is the entry and field a staff-chat message belongs to.
func (a *Adapter) cardOf(ctx context.Context, msg int) (n int64, field string, ok bool) {
	v, err := a.rdb.Get(ctx, a.cardKey(msg)).Result()
	if err != nil {
		if !errors.Is(err, redis.Nil) {
			a.log.Error("draft card lookup failed", "err", err)
		}
		return 0, "", false
	}
	num, field, _ := strings.Cut(v, "|")
	n, ok = deskfaq.ParseID(num)
	return n, field, ok
}

// draftCard is the card staff edit a draft on.
func draftCard(e deskfaq.Entry, place string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "<b>常见问题 %s</b> · %s\n", e.Ref(), e.Status.Label())
	fmt.Fprintf(&b, "<b>问题</b>：%s\n", escape(e.Question))
	if len(e.Paraphrases) > 0 {
		fmt.Fprintf(&b, "<b>其他问法</b>：%s\n", escape(strings.Join(e.Paraphrases, "；")))
	}
	fmt.Fprintf(&b, "<b>答复</b>：\n%s\n", escape(privacy.Cut(e.Answer, 2500)))
	if place == "" {
		place = "全国"
	}
	fmt.Fprintf(&b, "<b>地区</b>：%s\n", escape(place))
	if e.Ticket != 0 {
		fmt.Fprintf(&b, "来源：工单 #%d\n", e.Ticket)
	}
	switch e.Status {
	case deskfaq.Draft:
		b.WriteString("\n以上内容已去除身份证号、手机号等个人信息。点“改问题”等按钮后回复提示消息即可修改；发布后，几秒内所有用户问到相同或相近的问题都会得到这份答复。")
	case deskfaq.Published:
		fmt.Fprintf(&b, "\n已发布，回答时注明「来源：帮助台答复（%s，经审核）」，到期日 %s。", e.Reviewed.In(shanghai).Format("2006-01-02"), e.Expires.In(shanghai).Format("2006-01-02"))
	}
	return b.String()
}

func (a *Adapter) draftButtons(e deskfaq.Entry, publish bool) [][]kuaiji.Button {
	if e.Status != deskfaq.Draft {
		return nil
	}
	n := strconv.FormatInt(e.Number, 10)
	rows := [][]kuaiji.Button{
		{{Label: "改问题", Data: dataFAQ + "q|" + n}, {Label: "改答复", Data: dataFAQ + "a|" + n}},
		{{Label: "加问法", Data: dataFAQ + "p|" + n}, {Label: "设地区", Data: dataFAQ + "j|" + n}},
	}
	last := []kuaiji.Button{{Label: "放弃", Data: dataFAQ + "dis|" + n}}
	if publish {
		last = append([]kuaiji.Button{{Label: "发布", Data: dataFAQ + "pub|" + n}}, last...)
	}
	return append(rows, last)
}

// onFAQCallback handles the desk's buttons. Staff who answer tickets may
// make and edit drafts; only publishers may publish.
func (a *Adapter) onFAQCallback(ctx context.Context, q *models.CallbackQuery, msg *models.Message, answer func(string)) {
	if a.desk == nil {
		answer("这个按钮已失效。")
		return
	}
	parts := strings.Split(q.Data, "|")
	if len(parts) != 3 {
		answer("这个按钮已失效。")
		return
	}
	act, n := parts[1], parseID(parts[2])
	publisher, staff := a.publishers[q.From.ID], a.staff[q.From.ID]
	if !staff && !publisher || (act == "pub" || act == "pubc") && !publisher {
		a.log.Warn("FAQ button pressed by unauthorised user ignored", "user_id", q.From.ID, "action", act)
		answer("仅限授权的工作人员操作。")
		return
	}
	by := staffName(&q.From)
	here := target{chat: a.staffChat}
	if msg != nil {
		here = where(msg)
		here.replyTo = msg.ID
	}
	switch act {
	case "no":
		answer("")
		if msg != nil {
			a.editHTML(ctx, msg.Chat.ID, msg.ID, escape("好的，工单 #"+parts[2]+" 不整理为常见问题。"), nil)
		}
	case "mk":
		answer("")
		a.makeDraft(ctx, n, q.From.ID, msg)
	case "q", "a", "p", "j":
		answer("")
		prompt := map[string]string{
			"q": "请回复本消息，写出新的问题（用用户会问的话）。",
			"a": "请回复本消息，写出新的答复全文。",
			"p": "请回复本消息，写出另一种问法（一行一种，可写多行）。",
			"j": "请回复本消息，写出适用地区（如 广东、深圳），全国适用请写“全国”。",
		}[act]
		if m, err := a.sendText(ctx, here, "FAQ-"+parts[2]+"："+prompt, nil); err == nil && m != nil {
			a.linkCard(ctx, m.ID, n, act)
		}
	case "pub", "pubc":
		answer("")
		a.publishDraft(ctx, n, act == "pubc", by, here)
	case "dis":
		e, err := a.desk.Discard(ctx, n, by)
		if err != nil {
			answer(faqFailure(err))
			return
		}
		answer("已放弃。")
		a.refreshDraft(ctx, msg, e)
	default:
		answer("这个按钮已失效。")
	}
}

// faqFailure says why a draft could not be changed.
func faqFailure(err error) string {
	switch {
	case errors.Is(err, deskfaq.ErrNotFound):
		return "找不到这条草稿（可能已被删除）。"
	case errors.Is(err, deskfaq.ErrStatus):
		return "这条已经发布、停用或放弃，不能再这样操作。"
	case errors.Is(err, deskfaq.ErrIncomplete):
		return "问题和答复都不能为空。"
	case errors.Is(err, deskfaq.ErrUnknownPlace):
		return "无法识别这个地区，请写省份或城市名，如 广东、深圳；全国适用请写“全国”。"
	}
	return "操作失败，请稍后再试。"
}

// makeDraft makes a draft of ticket id and shows its card in place of
// the offer.
func (a *Adapter) makeDraft(ctx context.Context, id, staff int64, offer *models.Message) {
	t, err := a.tickets.Get(ctx, id)
	if err != nil || t.UserID == 0 || len(t.Answers) == 0 {
		// Gone, or the user asked to forget it meanwhile.
		if offer != nil {
			a.editHTML(ctx, offer.Chat.ID, offer.ID, escape("工单 #"+strconv.FormatInt(id, 10)+" 的记录已不存在，无法整理。"), nil)
		}
		return
	}
	var asked, answers []string
	for _, tr := range t.Turns {
		if tr.User {
			asked = append(asked, tr.Text)
		}
	}
	// What the user wrote to staff during the ticket counts too, when
	// the question was asked only then.
	if recent, err := a.tickets.Turns(ctx, t.ChatID); err == nil {
		for _, tr := range recent {
			if tr.User && tr.At.After(t.Created) && (t.FirstReply.IsZero() || tr.At.Before(t.FirstReply)) {
				asked = append(asked, tr.Text)
			}
		}
	}
	for _, x := range t.Answers {
		answers = append(answers, x.Text)
	}
	e := deskfaq.Entry{Question: deskfaq.QuestionOf(asked), Answer: strings.Join(answers, "\n"),
		Jurisdiction: t.Jurisdiction, Ticket: t.ID, Staff: cmpStaff(t.ClaimedBy, staff)}
	d, err := a.desk.Create(ctx, e)
	if errors.Is(err, deskfaq.ErrUnknownPlace) {
		e.Jurisdiction = ""
		d, err = a.desk.Create(ctx, e)
	}
	if err != nil {
		a.log.Error("FAQ draft not made", "ticket", id, "err", err)
		a.sendText(ctx, staffTarget(t), "未能整理工单 "+t.Ref()+"，请稍后再试。", nil)
		return
	}
	a.log.Info("FAQ draft made", "ticket", id, "entry", d.Number)
	card := draftCard(d, t.Jurisdiction)
	rows := a.draftButtons(d, a.publishers[d.Staff] || a.publishers[staff])
	if offer != nil && a.editHTML(ctx, offer.Chat.ID, offer.ID, card, rows) == nil {
		a.linkCard(ctx, offer.ID, d.Number, "")
		return
	}
	if m, err := a.sendHTMLParts(ctx, staffTarget(t), []string{card}, rows); err == nil && m != nil {
		a.linkCard(ctx, m.ID, d.Number, "")
	}
}

func cmpStaff(claimed, tapped int64) int64 {
	if claimed != 0 {
		return claimed
	}
	return tapped
}

// refreshDraft redraws a draft's card.
func (a *Adapter) refreshDraft(ctx context.Context, card *models.Message, e deskfaq.Entry) {
	if card == nil {
		return
	}
	a.editHTML(ctx, card.Chat.ID, card.ID, draftCard(e, a.placeName(e.Jurisdiction)), a.draftButtons(e, a.publishers[e.Staff]))
}

// placeName is a place code in words for a draft card.
func (a *Adapter) placeName(code string) string {
	if code == "" || a.deskPlace == nil {
		return code
	}
	return a.deskPlace(code)
}

// publishDraft publishes entry n; over a built-in entry it first asks for
// a second confirmation.
func (a *Adapter) publishDraft(ctx context.Context, n int64, confirm bool, by string, here target) {
	e, err := a.desk.Publish(ctx, n, confirm, by)
	if ov, ok := deskfaq.IsConfirm(err); ok {
		text := fmt.Sprintf("注意：内置常见问题「%s」已经回答了这个问题（依据《%s》）：\n%s\n\n仍然发布的话，回答会注明两者不一致时以《%s》为准。确定发布 FAQ-%d 吗？",
			ov.Question, ov.Applies, privacy.Cut(ov.Says, 300), ov.Applies, n)
		id := strconv.FormatInt(n, 10)
		a.sendText(ctx, here, text, [][]kuaiji.Button{{{Label: "仍然发布", Data: dataFAQ + "pubc|" + id}, {Label: "先不发布", Data: dataFAQ + "keep|" + id}}})
		return
	}
	if err != nil {
		a.sendText(ctx, here, "FAQ-"+strconv.FormatInt(n, 10)+" 未发布："+faqFailure(err), nil)
		return
	}
	a.log.Info("FAQ entry published", "entry", e.Number)
	text := fmt.Sprintf("已发布 %s：几秒内所有用户问到相同或相近的问题都会得到这份答复，并注明「来源：帮助台答复（%s，经审核）」。到期日 %s；停用请运行 kuaiji faq retire %d。",
		e.Ref(), e.Reviewed.In(shanghai).Format("2006-01-02"), e.Expires.In(shanghai).Format("2006-01-02"), e.Number)
	a.sendText(ctx, here, text, nil)
}

// onDraftReply applies a staff reply to a draft's card or edit prompt:
// to a prompt it sets that field; to the card itself, "问：", "答：",
// "问法：" or "地区：" say which, and plain text replaces the answer.
func (a *Adapter) onDraftReply(ctx context.Context, m *models.Message, n int64, field, text string, here target) {
	if !a.staff[m.From.ID] && !a.publishers[m.From.ID] {
		a.log.Warn("draft edit from unauthorised user ignored", "user_id", m.From.ID)
		return
	}
	if text == "" {
		a.sendText(ctx, here, "请用文字回复。", nil)
		return
	}
	if field == "" {
		field = "a"
		for f, prefixes := range map[string][]string{"q": {"问：", "问题："}, "a": {"答：", "答复："}, "p": {"问法："}, "j": {"地区："}} {
			for _, p := range prefixes {
				if rest, ok := strings.CutPrefix(text, p); ok {
					field, text = f, strings.TrimSpace(rest)
				}
			}
		}
	}
	e, err := a.desk.Edit(ctx, n, func(e *deskfaq.Entry) error {
		switch field {
		case "q":
			e.Question = text
		case "a":
			e.Answer = text
		case "p":
			for _, line := range strings.Split(text, "\n") {
				e.Paraphrases = append(e.Paraphrases, line)
			}
		case "j":
			if text == "全国" {
				text = ""
			}
			e.Jurisdiction = text
		}
		return nil
	})
	if err != nil {
		a.sendText(ctx, here, "FAQ-"+strconv.FormatInt(n, 10)+" 未修改："+faqFailure(err), nil)
		return
	}
	card := draftCard(e, a.placeName(e.Jurisdiction))
	rows := a.draftButtons(e, a.publishers[e.Staff] || a.publishers[m.From.ID])
	if sent, err := a.sendHTMLParts(ctx, here, []string{"已修改" + faqFields[field] + "。\n\n" + card}, rows); err == nil && sent != nil {
		a.linkCard(ctx, sent.ID, e.Number, "")
	}
}
