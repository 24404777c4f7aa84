package main

import (
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
)

// config is everything read from the environment, read once.
type config struct {
	dataDir     string
	policiesDir string
	logger      *slog.Logger
	stderr      io.Writer
}

func loadConfig(getenv func(string) string) (config, error) {
	cfg := config{
		dataDir:     getenv("KUAIJI_DATA_DIR"),
		policiesDir: getenv("KUAIJI_POLICIES_DIR"),
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
