// Package redistest gives tests a Redis: the real redis-server that
// `make test` starts (KUAIJI_TEST_REDIS_URL), or an in-process miniredis
// where a test does not need real Redis behaviour.
package redistest

import (
	"os"
	"testing"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"
)

// EnvURL names the variable `make test` sets to its throwaway redis-server.
const EnvURL = "KUAIJI_TEST_REDIS_URL"

// Real returns a client of the real test Redis and skips the test when
// none is configured.
func Real(t testing.TB) *redis.Client {
	t.Helper()
	u := os.Getenv(EnvURL)
	if u == "" {
		t.Skip(EnvURL + " not set")
	}
	opt, err := redis.ParseURL(u)
	if err != nil {
		t.Fatalf("%s: %v", EnvURL, err)
	}
	c := redis.NewClient(opt)
	t.Cleanup(func() { c.Close() })
	return c
}

// Client returns the real test Redis when configured, else a miniredis
// that lives as long as the test.
func Client(t testing.TB) redis.UniversalClient {
	t.Helper()
	if os.Getenv(EnvURL) != "" {
		return Real(t)
	}
	mr := miniredis.RunT(t)
	c := redis.NewClient(&redis.Options{Addr: mr.Addr()})
	t.Cleanup(func() { c.Close() })
	return c
}
