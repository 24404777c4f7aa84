package main

import (
	"strings"
	"testing"

	"github.com/redis/go-redis/v9"
)

func TestRedisURLForms(t *testing.T) {
	t.Parallel()
	c, err := newRedis("redis://:pw@127.0.0.1:6390/2", true)
	if err != nil {
		t.Fatal(err)
	}
	if o := c.(*redis.Client).Options(); o.Addr != "127.0.0.1:6390" || o.DB != 2 || o.Password != "pw" || o.MaxRetries > 0 {
		t.Errorf("single node options %+v", o)
	}
	c.Close()

	c, err = newRedis("redis-cluster://u:pw@127.0.0.1:7000,127.0.0.2", false)
	if err != nil {
		t.Fatal(err)
	}
	if o := c.(*redis.ClusterClient).Options(); strings.Join(o.Addrs, ",") != "127.0.0.1:7000,127.0.0.2:6379" || o.Username != "u" || o.Password != "pw" {
		t.Errorf("cluster options %+v", o)
	}
	c.Close()

	c, err = newRedis("redis-sentinel://:pw@s1,s2:26380/mymaster?db=1&sentinel_password=sp", false)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := c.(*redis.Client); !ok {
		t.Errorf("sentinel client is %T", c)
	}
	c.Close()

	for _, bad := range []string{"http://x", "redis-sentinel://s1,s2", "redis-sentinel://s1/m?db=x", "redis-cluster://a,,b"} {
		if _, err := newRedis(bad, false); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	if _, err := newRedis("redis-sentinel://:secret@s1", false); err == nil || strings.Contains(err.Error(), "secret") {
		t.Errorf("password in error: %v", err)
	}
	if r := redact("redis-sentinel://u:secret@s1:1,s2:2/m"); r != "redis-sentinel://u:***@s1:1,s2:2/m" {
		t.Errorf("redact: %s", r)
	}
	if keyPrefix("redis-cluster://a") != "{kuaiji}:" || keyPrefix("redis://a") != "kuaiji:" {
		t.Error("keyPrefix")
	}
}
