package chatqueue

import (
	"context"
	"testing"

	"github.com/go-telegram/bot/models"

	"github.com/kuaiji/kuaiji/internal/redistest"
	"github.com/kuaiji/kuaiji/privacy/privacytest"
)

// TestQueuedUpdateHoldsNoIdentifiers: an update waiting in its chat's
// queue lies in Redis; what the user wrote there is masked, text and
// caption alike.
func TestQueuedUpdateHoldsNoIdentifiers(t *testing.T) {
	rdb := redistest.Client(t)
	q := New(rdb, Config{Prefix: "t:mask:", Lease: DefaultLease, DedupeTTL: DefaultTTL, Handle: func(*models.Update) {}})
	g := privacytest.New(5)
	id, phone, card := g.IDCard18(), g.Mobile(), g.IDCard18X()
	ctx := context.Background()
	for i, u := range []*models.Update{
		{ID: 1, Message: &models.Message{ID: 1, Chat: models.Chat{ID: 42}, Text: "我的身份证" + id.Value + "，手机" + phone.Value}},
		{ID: 2, Message: &models.Message{ID: 2, Chat: models.Chat{ID: 42}, Caption: "证件号 " + card.Value}},
	} {
		if _, _, _, err := q.enqueue(ctx, 42, u); err != nil {
			t.Fatalf("enqueue %d: %v", i, err)
		}
	}
	d, err := privacytest.DumpRedis(ctx, rdb, "t:mask:*")
	if err != nil {
		t.Fatal(err)
	}
	if leaks := privacytest.Leaks(d, []privacytest.ID{id, phone, card}); len(leaks) > 0 {
		t.Errorf("queued updates hold identifiers in clear: %v", leaks)
	}
	if len(d) == 0 {
		t.Fatal("nothing queued: the test checks nothing")
	}
}
