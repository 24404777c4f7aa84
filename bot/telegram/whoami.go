package telegram

import (
	"context"
	"fmt"

	"github.com/go-telegram/bot/models"
)

// whoami answers /whoami in the staff chat: who the sender is, whether
// they may act on tickets, and this chat's id — what an operator needs to
// fill KUAIJI_STAFF_USER_IDS and KUAIJI_STAFF_CHAT_ID, since logs show
// user ids only hashed. Anyone in the staff chat may ask; the staff chat
// is the help desk's own group.
func (a *Adapter) whoami(ctx context.Context, to target, m *models.Message) {
	role := "还不是客服：请管理员把这个编号加入 KUAIJI_STAFF_USER_IDS（逗号分隔）后重启机器人。"
	if a.staff[m.From.ID] {
		role = "已是客服，可以认领、回复和关闭工单。"
	}
	text := fmt.Sprintf("%s，您的 Telegram 用户编号是 %d，%s\n本群编号（KUAIJI_STAFF_CHAT_ID）：%d", staffName(m.From), m.From.ID, role, m.Chat.ID)
	if _, err := a.sendText(ctx, to, text, nil); err != nil {
		a.log.Error("whoami reply failed", "err", err)
	}
}
