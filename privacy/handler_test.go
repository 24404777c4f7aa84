package privacy

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"testing"
)

type stringer struct{ s string }

type nilErr struct{ msg string }

func (e *nilErr) Error() string { return e.msg }

func (s stringer) String() string { return s.s }

func TestHandlerMasksEveryLine(t *testing.T) {
	var buf bytes.Buffer
	h := NewHandler(slog.NewJSONHandler(&buf, nil), []byte("k1"))
	log := slog.New(h).With("bound", "邮箱 li@qq.com")
	log.Info("用户发来 13812345678",
		"text", "身份证11010519900307123X",
		"err", fmt.Errorf("send: %w", errors.New("chat 6222021234567894 bad")),
		"who", stringer{"a@b.cn"},
		"list", []string{"13912345678"},
		"n", int64(13812345678),
		"count", 3,
		slog.Group("g", "card", "4111 1111 1111 1111"),
		"chat_id", int64(123456789),
		"user_id", int64(42),
	)
	log.WithGroup("req").Warn("x", "phone", "+86 138-1234-5678", "nilerr", (*nilErr)(nil))
	out := buf.String()
	for _, clear := range []string{"13812345678", "11010519900307123X", "li@qq.com", "6222021234567894",
		"a@b.cn", "13912345678", "4111 1111 1111 1111", "123456789", "+86 138-1234-5678"} {
		if strings.Contains(out, clear) {
			t.Errorf("log holds %q in clear:\n%s", clear, out)
		}
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 2 {
		t.Fatalf("want 2 lines, got %d:\n%s", len(lines), out)
	}
	var rec map[string]any
	if err := json.Unmarshal([]byte(lines[0]), &rec); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{
		"msg": "用户发来 138****5678", "bound": "邮箱 l***@qq.com", "text": "身份证110105********123X",
		"err": "send: chat 6222********7894 bad", "who": "a***@b.cn", "n": "138****5678", "count": float64(3),
		"chat_id": h.Hash("123456789"), "user_id": h.Hash("42"),
	}
	for k, v := range want {
		if rec[k] != v {
			t.Errorf("%s = %#v, want %#v", k, rec[k], v)
		}
	}
	if g, _ := rec["g"].(map[string]any); g["card"] != "4111********1111" {
		t.Errorf("group not masked: %#v", rec["g"])
	}
	if h.Hash("123456789") == NewHandler(nil, []byte("k2")).Hash("123456789") {
		t.Error("hash does not depend on the key")
	}
	if len(h.Hash("1")) != 12 {
		t.Errorf("hash %q", h.Hash("1"))
	}
}

func TestHandlerKeepsLevel(t *testing.T) {
	var buf bytes.Buffer
	h := NewHandler(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelWarn}), nil)
	if h.Enabled(context.Background(), slog.LevelInfo) || !h.Enabled(context.Background(), slog.LevelError) {
		t.Error("Enabled does not follow the wrapped handler")
	}
	slog.New(h).Info("dropped")
	if buf.Len() != 0 {
		t.Errorf("info logged: %s", buf.String())
	}
}

// BenchmarkHandler is the cost the masking adds to one typical log line.
func BenchmarkHandler(b *testing.B) {
	for _, bc := range []struct {
		name, text string
		h          slog.Handler
	}{
		{"json", "继续教育每年要多少学分？", slog.NewJSONHandler(io.Discard, nil)},
		{"masked_json", "继续教育每年要多少学分？", NewHandler(slog.NewJSONHandler(io.Discard, nil), []byte("k"))},
		{"masked_json_with_phone", "我的手机13812345678", NewHandler(slog.NewJSONHandler(io.Discard, nil), []byte("k"))},
	} {
		b.Run(bc.name, func(b *testing.B) {
			log := slog.New(bc.h)
			err := errors.New("send: chat not found")
			b.ReportAllocs()
			for b.Loop() {
				log.Info("update handled", "update_id", int64(812345678), "chat_id", int64(5012345678), "kind", "message",
					"ms", 12, "err", err, "text", bc.text)
			}
		})
	}
}
