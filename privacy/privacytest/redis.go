package privacytest

import (
	"context"
	"fmt"
	"strings"

	"github.com/redis/go-redis/v9"
)

// DumpRedis is every key matching pattern and its value, one "key = value"
// line each, for a scan with [Leaks]: strings, lists, hashes, sets, sorted
// sets and streams. Keys deleted while it runs are left out.
func DumpRedis(ctx context.Context, rdb redis.UniversalClient, pattern string) (string, error) {
	var b strings.Builder
	iter := rdb.Scan(ctx, 0, pattern, 1000).Iterator()
	for iter.Next(ctx) {
		k := iter.Val()
		typ, err := rdb.Type(ctx, k).Result()
		if err != nil {
			return "", fmt.Errorf("type of %s: %w", k, err)
		}
		var v any
		switch typ {
		case "string":
			v, err = rdb.Get(ctx, k).Result()
		case "list":
			v, err = rdb.LRange(ctx, k, 0, -1).Result()
		case "hash":
			v, err = rdb.HGetAll(ctx, k).Result()
		case "set":
			v, err = rdb.SMembers(ctx, k).Result()
		case "zset":
			v, err = rdb.ZRangeWithScores(ctx, k, 0, -1).Result()
		case "stream":
			v, err = rdb.XRange(ctx, k, "-", "+").Result()
		case "none":
			continue
		default:
			v = "<" + typ + ">"
		}
		if err == redis.Nil {
			continue
		} else if err != nil {
			return "", fmt.Errorf("read %s: %w", k, err)
		}
		fmt.Fprintf(&b, "%s = %v\n", k, v)
	}
	if err := iter.Err(); err != nil {
		return "", fmt.Errorf("scan %s: %w", pattern, err)
	}
	return b.String(), nil
}
