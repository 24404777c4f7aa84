package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/kuaiji/kuaiji/bot/handoff"
)

// runTickets lists the hand-off tickets (`kuaiji tickets [--status S]`) or
// shows one (`kuaiji tickets show 12`), from the Redis that serve uses.
func runTickets(ctx context.Context, cfg config, args []string, stdout, stderr io.Writer) error {
	show := len(args) > 0 && args[0] == "show"
	if show {
		args = args[1:]
	}
	fs := flag.NewFlagSet("tickets", flag.ContinueOnError)
	fs.SetOutput(stderr)
	status := fs.String("status", "active", "active（待认领和处理中）、open、claimed、closed 或 all")
	limit := fs.Int("limit", 50, "最多显示几张")
	asJSON := fs.Bool("json", false, "输出 JSON")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if cfg.redisURL == "" {
		return errors.New("tickets: REDIS_URL is not set; tickets live in the Redis that kuaiji serve uses")
	}
	rdb, err := newRedis(cfg.redisURL, false)
	if err != nil {
		return fmt.Errorf("tickets: REDIS_URL: %w", err)
	}
	defer rdb.Close()
	store := handoff.New(rdb, handoff.WithPrefix(keyPrefix(cfg.redisURL)+"handoff:"), handoff.WithRetention(cfg.retention))
	if show {
		if fs.NArg() != 1 {
			return errors.New("tickets show: give one ticket number, e.g. kuaiji tickets show 12")
		}
		id, ok := handoff.ParseRef(fs.Arg(0))
		if !ok {
			return fmt.Errorf("tickets show: %q is not a ticket number", fs.Arg(0))
		}
		t, err := store.Get(ctx, id)
		if errors.Is(err, handoff.ErrNotFound) {
			return fmt.Errorf("没有 #%d 号工单（已关闭的工单保留 %s，之后自动删除）", id, formatAge(cfg.retention))
		} else if err != nil {
			return fmt.Errorf("tickets show: %w", err)
		}
		if *asJSON {
			return writeJSON(stdout, t)
		}
		printTicket(stdout, t)
		return nil
	}
	var list []handoff.Ticket
	switch *status {
	case "active":
		list, err = store.ListOpen(ctx)
		list = list[:min(len(list), *limit)]
	case "all":
		list, err = store.List(ctx, handoff.ListOptions{Limit: *limit})
	case string(handoff.Open), string(handoff.Claimed), string(handoff.Closed):
		list, err = store.List(ctx, handoff.ListOptions{Status: handoff.Status(*status), Limit: *limit})
	default:
		return fmt.Errorf("tickets: --status %q: use active, open, claimed, closed or all", *status)
	}
	if err != nil {
		return fmt.Errorf("tickets: %w", err)
	}
	if *asJSON {
		if list == nil {
			list = []handoff.Ticket{}
		}
		return writeJSON(stdout, list)
	}
	if len(list) == 0 {
		fmt.Fprintln(stdout, "没有符合条件的工单。")
		return nil
	}
	now := time.Now()
	for _, t := range list {
		fmt.Fprintln(stdout, oneLine(t.Summary(now)+" · "+t.Reason))
	}
	return nil
}

// printTicket shows a ticket as staff see its card, with the transcript.
func printTicket(w io.Writer, t handoff.Ticket) {
	fmt.Fprintf(w, "工单 %s · %s\n", t.Ref(), t.Status.Label())
	fmt.Fprintf(w, "用户：%s（user %d，chat %d）\n", t.UserName, t.UserID, t.ChatID)
	if t.Jurisdiction != "" {
		fmt.Fprintf(w, "地区：%s\n", placeName(t.Jurisdiction))
	}
	fmt.Fprintf(w, "原因：%s\n", t.Reason)
	fmt.Fprintf(w, "创建：%s\n", t.Created.Local().Format("2006-01-02 15:04"))
	if t.ClaimedByName != "" {
		fmt.Fprintf(w, "认领：%s\n", t.ClaimedByName)
	}
	if t.Status == handoff.Closed {
		fmt.Fprintf(w, "关闭：%s（%s）\n", t.Closed.Local().Format("2006-01-02 15:04"), t.ClosedBy)
	}
	if t.Flow != "" {
		fmt.Fprintf(w, "流程：%s\n", t.Flow) // its own lines are the answers
	}
	if len(t.Sources) > 0 {
		fmt.Fprintf(w, "已引用：%s\n", strings.Join(t.Sources, "；"))
	}
	if len(t.Turns) > 0 {
		fmt.Fprintln(w, "对话记录：")
		for _, tr := range t.Turns {
			who := "机器人"
			if tr.User {
				who = "用户"
			}
			fmt.Fprintf(w, "  %s：%s\n", who, oneLine(tr.Text))
		}
	}
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
