package main

import (
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/kuaiji/kuaiji/flows/redisstore"
)

// config is everything read from the environment, read once.
type config struct {
	dataDir     string
	policiesDir string
	redisURL    string
	stateTTL    time.Duration
	logger      *slog.Logger
	stderr      io.Writer
}

func loadConfig(getenv func(string) string) (config, error) {
	cfg := config{
		dataDir:     getenv("KUAIJI_DATA_DIR"),
		policiesDir: getenv("KUAIJI_POLICIES_DIR"),
		redisURL:    getenv("REDIS_URL"),
		stateTTL:    redisstore.DefaultTTL,
	}
	if s := getenv("KUAIJI_STATE_TTL"); s != "" {
		d, err := time.ParseDuration(s)
		if err != nil || d <= 0 {
			return cfg, fmt.Errorf("KUAIJI_STATE_TTL: %q is not a positive duration such as 168h", s)
		}
		cfg.stateTTL = d
	}
	if cfg.dataDir == "" {
		if dir, err := os.UserCacheDir(); err == nil {
			cfg.dataDir = filepath.Join(dir, "kuaiji")
		}
	}
	level := slog.LevelWarn
	if s := getenv("KUAIJI_LOG_LEVEL"); s != "" {
		if err := level.UnmarshalText([]byte(strings.ToUpper(s))); err != nil {
			return cfg, fmt.Errorf("KUAIJI_LOG_LEVEL: %w", err)
		}
	}
	cfg.logger = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))
	return cfg, nil
}
