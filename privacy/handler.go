package privacy

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"log/slog"
	"strconv"
)

// HashedKeys are the attribute keys whose values [Handler] replaces with a
// keyed hash: a chat or user id is personal data in itself, but logs still
// need to tell one chat's lines from another's.
var HashedKeys = map[string]bool{"chat_id": true, "user_id": true}

// Handler is a [slog.Handler] that passes every record through [Mask]
// before the wrapped handler sees it: the message, every string attribute,
// errors and other values by their text, inside groups too. Attributes
// named in [HashedKeys] become a keyed hash. Wrapping the process's one
// handler means no call site can forget to mask.
type Handler struct {
	inner slog.Handler
	key   []byte
}

// NewHandler wraps inner. key keys the hash of chat and user ids: the same
// key gives the same hash in every process and after a restart, so it
// should be set for a deployment and kept secret.
func NewHandler(inner slog.Handler, key []byte) *Handler {
	return &Handler{inner: inner, key: key}
}

// Hash returns the keyed hash that stands for id in logs: the first 12 hex
// digits of HMAC-SHA256, enough to tell chats apart and not to reverse.
func (h *Handler) Hash(id string) string {
	m := hmac.New(sha256.New, h.key)
	m.Write([]byte(id))
	return hex.EncodeToString(m.Sum(nil))[:12]
}

// Enabled reports whether the wrapped handler takes records at level.
func (h *Handler) Enabled(ctx context.Context, level slog.Level) bool {
	return h.inner.Enabled(ctx, level)
}

// Handle masks r and passes it on.
func (h *Handler) Handle(ctx context.Context, r slog.Record) error {
	out := slog.NewRecord(r.Time, r.Level, Mask(r.Message), r.PC)
	r.Attrs(func(a slog.Attr) bool {
		out.AddAttrs(h.attr(a))
		return true
	})
	return h.inner.Handle(ctx, out)
}

// WithAttrs masks attrs once, when they are bound.
func (h *Handler) WithAttrs(attrs []slog.Attr) slog.Handler {
	masked := make([]slog.Attr, len(attrs))
	for i, a := range attrs {
		masked[i] = h.attr(a)
	}
	return &Handler{inner: h.inner.WithAttrs(masked), key: h.key}
}

// WithGroup names a group; group names are code, not user text.
func (h *Handler) WithGroup(name string) slog.Handler {
	return &Handler{inner: h.inner.WithGroup(name), key: h.key}
}

func (h *Handler) attr(a slog.Attr) slog.Attr {
	v := a.Value.Resolve()
	if HashedKeys[a.Key] {
		switch v.Kind() {
		case slog.KindInt64:
			return slog.String(a.Key, h.Hash(strconv.FormatInt(v.Int64(), 10)))
		case slog.KindUint64:
			return slog.String(a.Key, h.Hash(strconv.FormatUint(v.Uint64(), 10)))
		case slog.KindString:
			return slog.String(a.Key, h.Hash(v.String()))
		}
	}
	switch v.Kind() {
	case slog.KindString:
		return slog.String(a.Key, Mask(v.String()))
	case slog.KindGroup:
		g := v.Group()
		out := make([]slog.Attr, len(g))
		for i, x := range g {
			out[i] = h.attr(x)
		}
		return slog.Attr{Key: a.Key, Value: slog.GroupValue(out...)}
	case slog.KindAny:
		// Errors, stringers, structs and slices are logged by their text
		// (as the text handler would), masked: a JSON handler would
		// otherwise marshal their fields past the mask.
		if v.Any() == nil {
			return a
		}
		return slog.String(a.Key, Mask(text(v.Any())))
	case slog.KindInt64, slog.KindUint64:
		// A phone number logged as a number is still a phone number.
		if s := v.String(); Contains(s) {
			return slog.String(a.Key, Mask(s))
		}
	}
	return slog.Attr{Key: a.Key, Value: v}
}

// text is x as the text handler would print it. A nil pointer whose
// Error or String method panics prints as <nil>, as fmt does.
func text(x any) (s string) {
	defer func() {
		if recover() != nil {
			s = "<nil>"
		}
	}()
	switch x := x.(type) {
	case error:
		return x.Error()
	case fmt.Stringer:
		return x.String()
	}
	return fmt.Sprintf("%+v", x)
}
