package main

import (
	"crypto/rand"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/kuaiji/kuaiji/events"
	"github.com/kuaiji/kuaiji/flows/redisstore"
	"github.com/kuaiji/kuaiji/privacy"
)

// config is everything read from the environment, read once.
type config struct {
	dataDir     string
	policiesDir string
	redisURL    string
	stateTTL    time.Duration
	retention   time.Duration // KUAIJI_RETENTION: Q&A events and closed tickets

	// Telegram (kuaiji serve).
	telegramToken  string
	telegramAPIURL string // without a trailing slash
	webhookURL     string
	webhookSecret  string
	webhookAddr    string
	staffChatID    int64
	staffUserIDs   map[int64]bool
	// faqPublisherIDs may publish help-desk FAQ entries from the staff
	// chat (KUAIJI_FAQ_PUBLISHER_IDS, default staffUserIDs).
	faqPublisherIDs map[int64]bool

	// Any OpenAI-compatible endpoint; all optional, nothing set = offline.
	openAIBaseURL        string
	openAIKey            string
	openAIModel          string
	openAIEmbeddingModel string

	// Web chat (kuaiji web; kuaiji serve when webAddr is set).
	webAddr    string   // WEB_ADDR
	webOrigins []string // KUAIJI_WEB_ORIGINS: sites that may embed the chat

	// Operations (kuaiji serve): health and metrics over HTTP, logs.
	httpAddr   string     // HTTP_ADDR: /healthz, /readyz, /metrics; "off" disables
	logFormat  string     // KUAIJI_LOG_FORMAT: json, text, or "" (json for serve)
	logLevel   slog.Level // KUAIJI_LOG_LEVEL
	logHashKey []byte     // KUAIJI_LOG_HASH_KEY keys the chat id hash; random if unset
}

func loadConfig(getenv func(string) string) (config, error) {
	cfg := config{
		dataDir:     getenv("KUAIJI_DATA_DIR"),
		policiesDir: getenv("KUAIJI_POLICIES_DIR"),
		redisURL:    getenv("REDIS_URL"),
		stateTTL:    redisstore.DefaultTTL,
	}
	cfg.telegramToken = getenv("TELEGRAM_BOT_TOKEN")
	cfg.telegramAPIURL = strings.TrimRight(getenv("TELEGRAM_API_URL"), "/")
	if cfg.telegramAPIURL == "" {
		cfg.telegramAPIURL = "https://api.telegram.org"
	}
	cfg.webhookURL = getenv("WEBHOOK_URL")
	cfg.webhookSecret = getenv("WEBHOOK_SECRET")
	cfg.webhookAddr = getenv("WEBHOOK_LISTEN")
	if cfg.webhookAddr == "" {
		cfg.webhookAddr = ":8080"
	}
	if s := getenv("KUAIJI_STAFF_CHAT_ID"); s != "" {
		id, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
		if err != nil {
			return cfg, fmt.Errorf("KUAIJI_STAFF_CHAT_ID: %q is not a chat id", s)
		}
		cfg.staffChatID = id
	}
	var err error
	if cfg.staffUserIDs, err = userIDs(getenv, "KUAIJI_STAFF_USER_IDS"); err != nil {
		return cfg, err
	}
	// Who may publish help-desk answers as FAQ entries: a list of its own
	// when set, else everyone who answers tickets.
	cfg.faqPublisherIDs = cfg.staffUserIDs
	if strings.TrimSpace(getenv("KUAIJI_FAQ_PUBLISHER_IDS")) != "" {
		if cfg.faqPublisherIDs, err = userIDs(getenv, "KUAIJI_FAQ_PUBLISHER_IDS"); err != nil {
			return cfg, err
		}
	}
	cfg.webAddr = strings.TrimSpace(getenv("WEB_ADDR"))
	for _, o := range strings.FieldsFunc(getenv("KUAIJI_WEB_ORIGINS"), func(r rune) bool { return r == ',' || r == ' ' }) {
		o = strings.TrimRight(o, "/")
		if u, err := url.Parse(o); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.Path != "" {
			return cfg, fmt.Errorf("KUAIJI_WEB_ORIGINS: %q is not an origin such as https://www.example.com", o)
		}
		cfg.webOrigins = append(cfg.webOrigins, o)
	}
	cfg.openAIBaseURL = strings.TrimRight(getenv("OPENAI_BASE_URL"), "/")
	cfg.openAIKey = getenv("OPENAI_API_KEY")
	cfg.openAIModel = getenv("OPENAI_MODEL")
	cfg.openAIEmbeddingModel = getenv("OPENAI_EMBEDDING_MODEL")
	if s := getenv("KUAIJI_STATE_TTL"); s != "" {
		d, err := parseAge(s)
		if err != nil {
			return cfg, fmt.Errorf("KUAIJI_STATE_TTL：%w", err)
		}
		cfg.stateTTL = d
	}
	cfg.retention = events.DefaultRetention
	if s := getenv("KUAIJI_RETENTION"); s != "" {
		d, err := parseAge(s)
		if err != nil {
			return cfg, fmt.Errorf("KUAIJI_RETENTION：%w", err)
		}
		cfg.retention = d
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
	cfg.logLevel = level
	cfg.httpAddr = getenv("HTTP_ADDR")
	if cfg.httpAddr == "" {
		cfg.httpAddr = ":9090"
	}
	switch cfg.logFormat = strings.ToLower(getenv("KUAIJI_LOG_FORMAT")); cfg.logFormat {
	case "", "json", "text":
	default:
		return cfg, fmt.Errorf("KUAIJI_LOG_FORMAT: %q is neither json nor text", cfg.logFormat)
	}
	if k := getenv("KUAIJI_LOG_HASH_KEY"); k != "" {
		cfg.logHashKey = []byte(k)
	} else {
		// Hashes then differ between processes and restarts: set the key
		// to follow a chat across them.
		cfg.logHashKey = make([]byte, 32)
		rand.Read(cfg.logHashKey)
	}
	return cfg, nil
}

// newLogger writes cfg's log format (or def when unset) to w, with every
// record masked by privacy.Handler: identifiers never reach a log line,
// and chat and user ids appear only as a keyed hash.
func newLogger(cfg config, w io.Writer, def string) *slog.Logger {
	opts := &slog.HandlerOptions{Level: cfg.logLevel}
	var h slog.Handler = slog.NewTextHandler(w, opts)
	if f := cfg.logFormat; f == "json" || f == "" && def == "json" {
		h = slog.NewJSONHandler(w, opts)
	}
	return slog.New(privacy.NewHandler(h, cfg.logHashKey))
}

// userIDs reads a comma- or space-separated list of Telegram user ids.
func userIDs(getenv func(string) string, name string) (map[int64]bool, error) {
	ids := map[int64]bool{}
	for _, f := range strings.FieldsFunc(getenv(name), func(r rune) bool { return r == ',' || r == ' ' }) {
		id, err := strconv.ParseInt(f, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("%s: %q is not a user id", name, f)
		}
		ids[id] = true
	}
	return ids, nil
}
