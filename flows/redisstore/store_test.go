package redisstore_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"

	"github.com/kuaiji/kuaiji/flows"
	"github.com/kuaiji/kuaiji/flows/redisstore"
	"github.com/kuaiji/kuaiji/internal/redistest"
)

func miniClient(t testing.TB) (*redis.Client, *miniredis.Miniredis) {
	mr := miniredis.RunT(t)
	c := redis.NewClient(&redis.Options{Addr: mr.Addr(), MaxRetries: -1})
	t.Cleanup(func() { c.Close() })
	return c, mr
}

func testRoundTrip(t *testing.T, c *redis.Client) {
	ctx := context.Background()
	s := redisstore.New(c, redisstore.WithPrefix(fmt.Sprintf("kt%d:", time.Now().UnixNano())))
	snap, err := s.Load(ctx, 1, 2)
	if err != nil || snap.Version != 0 || snap.Session.Flow != "" || len(snap.Profile) != 0 {
		t.Fatalf("empty load = %+v, %v", snap, err)
	}
	snap.Session = flows.Session{Schema: 1, Flow: "check", Step: "working", Answers: map[string]string{"level": "junior"}}
	snap.Profile, snap.ProfileChanged = flows.Profile{"level": "junior"}, true
	if err := s.Save(ctx, 1, 2, snap); err != nil {
		t.Fatal(err)
	}
	got, err := s.Load(ctx, 1, 2)
	if err != nil || got.Version != 1 || got.Session.Step != "working" || got.Profile["level"] != "junior" {
		t.Fatalf("load = %+v, %v", got, err)
	}
	// A writer holding the old version loses.
	if err := s.Save(ctx, 1, 2, snap); !errors.Is(err, flows.ErrConflict) {
		t.Fatalf("stale save: %v", err)
	}
	// The profile is left alone unless changed, and deleted when emptied.
	got.ProfileChanged = false
	got.Profile = nil
	if err := s.Save(ctx, 1, 2, got); err != nil {
		t.Fatal(err)
	}
	again, _ := s.Load(ctx, 1, 2)
	if again.Profile["level"] != "junior" || again.Version != 2 {
		t.Fatalf("profile lost: %+v", again)
	}
	again.Profile, again.ProfileChanged = flows.Profile{}, true
	if err := s.Save(ctx, 1, 2, again); err != nil {
		t.Fatal(err)
	}
	if last, _ := s.Load(ctx, 1, 2); len(last.Profile) != 0 {
		t.Fatalf("profile not deleted: %+v", last.Profile)
	}
}

func TestStoreMiniredis(t *testing.T) {
	c, _ := miniClient(t)
	testRoundTrip(t, c)
}

func TestStoreRealRedis(t *testing.T) {
	testRoundTrip(t, redistest.Real(t))
}

func TestTTL(t *testing.T) {
	c, mr := miniClient(t)
	ctx := context.Background()
	s := redisstore.New(c, redisstore.WithTTL(time.Hour), redisstore.WithProfileTTL(48*time.Hour))
	snap := flows.Snapshot{Session: flows.Session{Schema: 1, Flow: "check", Step: "level"},
		Profile: flows.Profile{"jurisdiction": "guangdong"}, ProfileChanged: true}
	if err := s.Save(ctx, 1, 1, snap); err != nil {
		t.Fatal(err)
	}
	mr.FastForward(59 * time.Minute)
	if got, _ := s.Load(ctx, 1, 1); got.Session.Flow != "check" {
		t.Fatal("session expired early")
	}
	mr.FastForward(2 * time.Minute)
	got, err := s.Load(ctx, 1, 1)
	if err != nil || got.Session.Flow != "" || got.Version != 0 {
		t.Fatalf("session not expired: %+v %v", got, err)
	}
	if got.Profile["jurisdiction"] != "guangdong" {
		t.Fatal("profile expired with the session")
	}
	if d := mr.TTL("kuaiji:chat:1"); d != 0 {
		t.Fatalf("ttl %v", d)
	}
}

func TestDefaultTTL(t *testing.T) {
	c, mr := miniClient(t)
	s := redisstore.New(c)
	if err := s.Save(context.Background(), 3, 3, flows.Snapshot{Session: flows.Session{Schema: 1}}); err != nil {
		t.Fatal(err)
	}
	if d := mr.TTL("kuaiji:chat:3"); d != 7*24*time.Hour {
		t.Fatalf("ttl = %v, want 7 days", d)
	}
}

func TestCorrupt(t *testing.T) {
	c, mr := miniClient(t)
	mr.HSet("kuaiji:chat:1", "v", "4", "s", "{oops")
	snap, err := redisstore.New(c).Load(context.Background(), 1, 1)
	if !errors.Is(err, flows.ErrCorrupt) || snap.Version != 4 {
		t.Fatalf("snap %+v err %v", snap, err)
	}
}

func TestUnavailable(t *testing.T) {
	c, mr := miniClient(t)
	mr.Close()
	s := redisstore.New(c)
	if _, err := s.Load(context.Background(), 1, 1); !errors.Is(err, flows.ErrUnavailable) {
		t.Fatalf("load: %v", err)
	}
	if err := s.Save(context.Background(), 1, 1, flows.Snapshot{}); !errors.Is(err, flows.ErrUnavailable) {
		t.Fatalf("save: %v", err)
	}
}

func TestNewInProcess(t *testing.T) {
	s, stop, err := redisstore.NewInProcess()
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	if err := s.Save(context.Background(), 1, 1, flows.Snapshot{Session: flows.Session{Schema: 1, Flow: "x"}}); err != nil {
		t.Fatal(err)
	}
	if got, err := s.Load(context.Background(), 1, 1); err != nil || got.Session.Flow != "x" {
		t.Fatalf("%+v %v", got, err)
	}
}

// testBrokenKeys stores sessions and profiles no writer of ours produces
// (as a manual HSET or another program would): each must load as corrupt,
// not as an outage, and the next save must replace it exactly once.
func testBrokenKeys(t *testing.T, c *redis.Client) {
	ctx := context.Background()
	for _, tt := range []struct {
		name     string
		breakKey func(key, profile string) error
	}{
		{"version not a number", func(k, _ string) error { return c.HSet(ctx, k, "v", "abc", "s", `{"sv":1}`).Err() }},
		{"negative version", func(k, _ string) error { return c.HSet(ctx, k, "v", "-3").Err() }},
		{"session of the wrong type", func(k, _ string) error { return c.Set(ctx, k, "x", 0).Err() }},
		{"session list", func(k, _ string) error { return c.RPush(ctx, k, "a", "b").Err() }},
		{"profile of the wrong type", func(_, p string) error { return c.HSet(ctx, p, "a", "b").Err() }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			prefix := fmt.Sprintf("kb%d:", time.Now().UnixNano())
			s := redisstore.New(c, redisstore.WithPrefix(prefix))
			key, profile := prefix+"chat:801", prefix+"user:801"
			t.Cleanup(func() { c.Del(ctx, key, profile) })
			if err := tt.breakKey(key, profile); err != nil {
				t.Fatal(err)
			}
			snap, err := s.Load(ctx, 801, 801)
			if !errors.Is(err, flows.ErrCorrupt) || errors.Is(err, flows.ErrUnavailable) {
				t.Fatalf("load = %v, want corrupt", err)
			}
			snap.Session = flows.Session{Schema: 1, Flow: "check", Step: "level"}
			if err := s.Save(ctx, 801, 801, snap); err != nil {
				t.Fatalf("reset save: %v", err)
			}
			got, err := s.Load(ctx, 801, 801)
			if err != nil || got.Session.Step != "level" || got.Version != 1 || got.Replace {
				t.Fatalf("after reset: %+v, %v", got, err)
			}
			// A second writer holding the same corrupt snapshot must not
			// reset the repaired session again.
			if err := s.Save(ctx, 801, 801, snap); !errors.Is(err, flows.ErrConflict) {
				t.Fatalf("second reset: %v, want conflict", err)
			}
		})
	}
}

func TestBrokenKeysMiniredis(t *testing.T) {
	c, _ := miniClient(t)
	testBrokenKeys(t, c)
}

func TestBrokenKeysRealRedis(t *testing.T) {
	testBrokenKeys(t, redistest.Real(t))
}
