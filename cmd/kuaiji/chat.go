package main

import (
	"context"
	"flag"
	"io"
	"log/slog"
	"os"

	"github.com/mattn/go-isatty"

	"github.com/kuaiji/kuaiji/bot/terminal"
)

func runChat(ctx context.Context, cfg config, log *slog.Logger, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("chat", flag.ContinueOnError)
	fs.SetOutput(stderr)
	user := fs.Int64("user", 1, "模拟的用户编号（不同编号互不影响）")
	if err := fs.Parse(args); err != nil {
		return err
	}
	app, err := build(ctx, cfg, log, nil)
	if err != nil {
		return err
	}
	defer app.close()
	interactive := false
	if f, ok := stdin.(*os.File); ok {
		interactive = isatty.IsTerminal(f.Fd())
	}
	return terminal.Run(ctx, app.router, stdin, stdout, terminal.Options{
		UserID:      *user,
		Interactive: interactive,
		Notice:      app.notice,
	})
}
