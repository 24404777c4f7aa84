package main

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// parseAge reads a positive duration the way operators write one: days
// ("180d", "7d", "1.5d") or Go durations ("12h", "90m"). Every duration
// setting and flag goes through it, so the same spelling works everywhere.
func parseAge(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	if n, ok := strings.CutSuffix(s, "d"); ok {
		days, err := strconv.ParseFloat(n, 64)
		if err != nil || days <= 0 {
			return 0, fmt.Errorf("“%s”不是有效的天数，请写成 180d 这样的形式", s)
		}
		return time.Duration(days * float64(24*time.Hour)), nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("“%s”不是有效的时长，请写成 7d、12h 或 90m 这样的形式", s)
	}
	return d, nil
}

// formatAge shows a duration to an operator in days and hours ("180 天",
// "7 天 12 小时", "12 小时", "30 分钟") rather than Go's "4320h0m0s".
func formatAge(d time.Duration) string {
	if d < time.Hour {
		return fmt.Sprintf("%d 分钟", int(d.Round(time.Minute)/time.Minute))
	}
	h := int(d.Round(time.Hour) / time.Hour)
	days, hours := h/24, h%24
	switch {
	case days == 0:
		return fmt.Sprintf("%d 小时", hours)
	case hours == 0:
		return fmt.Sprintf("%d 天", days)
	default:
		return fmt.Sprintf("%d 天 %d 小时", days, hours)
	}
}
