package main

import (
	"context"
	"errors"

	"github.com/kuaiji/kuaiji/bot/telegram"
)

// doctorTelegram asks the Bot API whether the token works and whether the
// staff chat can take tickets; false means something must be fixed before
// `kuaiji serve` can run as configured.
func doctorTelegram(ctx context.Context, cfg config, w *doctorOut) bool {
	if cfg.telegramToken == "" {
		return true
	}
	ok := true
	cctx, cancel := context.WithTimeout(ctx, checkTimeout)
	me, err := telegram.CheckToken(cctx, cfg.telegramAPIURL, cfg.telegramToken)
	cancel()
	switch {
	case errors.Is(err, telegram.ErrBadToken):
		w.linef("  ✗ 机器人令牌：Telegram 不接受这个令牌。请在 @BotFather 里发送 /token 重新获取，填入 TELEGRAM_BOT_TOKEN。")
		return false
	case err != nil:
		w.linef("  ✗ 机器人令牌：无法连接 %s（%v）。请检查网络，或 TELEGRAM_API_URL 是否正确。", redact(cfg.telegramAPIURL), err)
		return false
	}
	w.linef("  ✓ 机器人：@%s", me.Username)
	if cfg.staffChatID == 0 {
		w.linef("  ! 未设置 KUAIJI_STAFF_CHAT_ID：用户转人工时只会被建议联系当地财政部门。运行 kuaiji setup 可以找到客服群。")
		return ok
	}
	cctx, cancel = context.WithTimeout(ctx, checkTimeout)
	c, err := telegram.CheckStaffChat(cctx, cfg.telegramAPIURL, cfg.telegramToken, me.ID, cfg.staffChatID)
	cancel()
	if err != nil {
		w.linef("  ✗ 客服群 %d：读取失败（%v）。机器人是否已在群里？编号是否以 -100 开头？运行 kuaiji setup 可以重新查找。", cfg.staffChatID, err)
		return false
	}
	reportStaffChat(func(f string, a ...any) { w.linef(f, a...) }, c)
	if len(c.Problems) > 0 {
		ok = false
	}
	if len(cfg.staffUserIDs) == 0 {
		w.linef("  ✗ 设置了 KUAIJI_STAFF_CHAT_ID，但没有设置 KUAIJI_STAFF_USER_IDS：没有人能接单和回复。请填入客服的用户编号（客服在群里发送 /whoami 可以看到）。")
		ok = false
	}
	return ok
}
