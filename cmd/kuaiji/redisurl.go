package main

import (
	"context"
	"crypto/tls"
	"fmt"
	"log/slog"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
)

// REDIS_URL forms (README, "Scale-out"):
//
//	redis://[user:password@]host:6379/0           one node (redis.ParseURL; rediss:// for TLS)
//	redis-sentinel://[user:password@]host1:26379,host2:26379/mymaster[?db=0&sentinel_password=…]
//	redis-cluster://[user:password@]host1:6379,host2:6379
//
// Sentinel and cluster take rediss-sentinel:// and rediss-cluster:// for
// TLS. user:password are those of the Redis servers (for Sentinel, the
// sentinels' own password is sentinel_password).

// newRedis connects to rawURL. failFast makes commands fail at once while
// Redis is down (no retries, 1 s dial), for paths that have a fallback.
func newRedis(rawURL string, failFast bool) (redis.UniversalClient, error) {
	scheme, _, _ := strings.Cut(rawURL, "://")
	switch scheme {
	case "redis", "rediss", "unix":
		o, err := redis.ParseURL(rawURL)
		if err != nil {
			return nil, err
		}
		if failFast {
			o.MaxRetries, o.DialTimeout = -1, time.Second
		}
		return redis.NewClient(o), nil
	case "redis-sentinel", "rediss-sentinel", "redis-cluster", "rediss-cluster":
	default:
		return nil, fmt.Errorf("%q: the scheme must be redis, rediss, redis-sentinel or redis-cluster", redact(rawURL))
	}
	// url.Parse rejects a host list with ports: take the hosts out and
	// parse the rest with a placeholder host.
	rest := strings.TrimPrefix(rawURL, scheme+"://")
	end := strings.IndexAny(rest, "/?")
	if end < 0 {
		end = len(rest)
	}
	hosts, tail := rest[:end], rest[end:]
	userinfo := ""
	if i := strings.LastIndex(hosts, "@"); i >= 0 {
		userinfo, hosts = hosts[:i+1], hosts[i+1:]
	}
	u, err := url.Parse("redis://" + userinfo + "placeholder" + tail)
	if err != nil {
		return nil, fmt.Errorf("%q: %w", redact(rawURL), err)
	}
	addrs := strings.Split(hosts, ",")
	for i, a := range addrs {
		if a == "" {
			return nil, fmt.Errorf("%q: empty host", redact(rawURL))
		}
		if !strings.Contains(a, ":") {
			if strings.HasSuffix(scheme, "sentinel") {
				addrs[i] += ":26379"
			} else {
				addrs[i] += ":6379"
			}
		}
	}
	user := u.User.Username()
	pass, _ := u.User.Password()
	var tlsConf *tls.Config
	if strings.HasPrefix(scheme, "rediss") {
		tlsConf = &tls.Config{MinVersion: tls.VersionTLS12}
	}
	q := u.Query()
	retries, dial := 3, 5*time.Second
	if failFast {
		retries, dial = -1, time.Second
	}
	if strings.HasSuffix(scheme, "cluster") {
		return redis.NewClusterClient(&redis.ClusterOptions{Addrs: addrs, Username: user, Password: pass,
			TLSConfig: tlsConf, MaxRetries: retries, DialTimeout: dial}), nil
	}
	master := strings.Trim(u.Path, "/")
	if master == "" {
		return nil, fmt.Errorf("%q: name the master set after the hosts, e.g. redis-sentinel://host1,host2/mymaster", redact(rawURL))
	}
	db := 0
	if s := q.Get("db"); s != "" {
		if db, err = strconv.Atoi(s); err != nil {
			return nil, fmt.Errorf("%q: db=%q is not a number", redact(rawURL), s)
		}
	}
	return redis.NewFailoverClient(&redis.FailoverOptions{MasterName: master, SentinelAddrs: addrs,
		SentinelPassword: q.Get("sentinel_password"), Username: user, Password: pass, DB: db,
		TLSConfig: tlsConf, MaxRetries: retries, DialTimeout: dial}), nil
}

// go-redis prints Sentinel and pool chatter to stderr, which would land in
// the terminal chat; it goes to our logger at debug level instead, masked
// like every other line. The logger is process-wide in go-redis, so the
// first configuration's logger is kept.
var redisLogOnce sync.Once

func routeRedisLogs(l *slog.Logger) {
	redisLogOnce.Do(func() { redis.SetLogger(redisLog{l}) })
}

type redisLog struct{ l *slog.Logger }

func (r redisLog) Printf(ctx context.Context, format string, v ...any) {
	r.l.DebugContext(ctx, fmt.Sprintf(format, v...), "component", "go-redis")
}

// keyPrefix is the prefix of every key kuaiji writes. On a cluster all
// keys share one hash tag: the flows store writes a chat's session and its
// user's profile in one script and tickets move between keys in one
// transaction, which a cluster allows only within a slot. A cluster then
// gives failover, not sharding (README, "Scale-out").
func keyPrefix(rawURL string) string {
	if strings.Contains(rawURL, "-cluster://") {
		return "{kuaiji}:"
	}
	return "kuaiji:"
}

// redact hides a password in a Redis URL (a host list defeats url.Parse,
// so by pattern).
func redact(rawURL string) string {
	return userinfoPassword.ReplaceAllString(rawURL, "://$1:***@")
}

var userinfoPassword = regexp.MustCompile(`://([^:@/]*):[^@/]*@`)
