package main

import (
	"strings"
	"testing"
	"time"
)

// TestDurationsOneSyntax: every duration variable takes the same spelling,
// days included, and a bad value is refused naming the variable.
func TestDurationsOneSyntax(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"KUAIJI_STATE_TTL", "KUAIJI_RETENTION"} {
		for in, want := range map[string]time.Duration{"7d": 7 * 24 * time.Hour, "12h": 12 * time.Hour, "1.5d": 36 * time.Hour} {
			cfg, err := loadConfig(func(k string) string {
				if k == name {
					return in
				}
				return ""
			})
			if err != nil {
				t.Fatalf("%s=%s: %v", name, in, err)
			}
			got := cfg.stateTTL
			if name == "KUAIJI_RETENTION" {
				got = cfg.retention
			}
			if got != want {
				t.Errorf("%s=%s: got %v, want %v", name, in, got, want)
			}
		}
		_, err := loadConfig(func(k string) string {
			if k == name {
				return "seven days"
			}
			return ""
		})
		if err == nil || !strings.Contains(err.Error(), name) || !strings.Contains(err.Error(), "7d") {
			t.Errorf("%s=seven days: %v", name, err)
		}
	}
}

func TestFormatAge(t *testing.T) {
	t.Parallel()
	for d, want := range map[time.Duration]string{
		180 * 24 * time.Hour:          "180 天",
		7*24*time.Hour + 12*time.Hour: "7 天 12 小时",
		12 * time.Hour:                "12 小时",
		30 * time.Minute:              "30 分钟",
	} {
		if got := formatAge(d); got != want {
			t.Errorf("formatAge(%v) = %q, want %q", d, got, want)
		}
	}
}

// TestEveryCommandHasHelp: `kuaiji CMD --help` prints the command's usage
// on stdout and exits 0, for every command, without running it.
func TestEveryCommandHasHelp(t *testing.T) {
	t.Parallel()
	for name := range commandHelp {
		for _, flag := range []string{"--help", "-h"} {
			out, _, err := runEnv(t, map[string]string{"KUAIJI_DATA_DIR": dataDir(t)}, "", name, flag)
			if err != nil {
				t.Errorf("%s %s: %v", name, flag, err)
			}
			if !strings.HasPrefix(out, "用法：kuaiji "+name) || strings.Contains(out, "Usage of") {
				t.Errorf("%s %s printed:\n%s", name, flag, out)
			}
		}
	}
	out, _, _ := runEnv(t, nil, "", "help", "ingest")
	if !strings.Contains(out, "-prune") {
		t.Errorf("help ingest lacks its flags:\n%s", out)
	}
}

// TestOperatorPlaceNames: operator output names places as people write
// them, not by their codes.
func TestOperatorPlaceNames(t *testing.T) {
	t.Parallel()
	got := counted(placeNames(map[string]int{"guangdong": 2, "": 1, "shenzhen": 1}), "全国/未指明")
	if got != "广东省 2、全国/未指明 1、深圳市 1" {
		t.Errorf("gaps places: %q", got)
	}
}
