// Package metrics holds kuaiji's Prometheus collectors and the small
// functions the rest of the program reports through. It is the only
// package besides cmd/kuaiji that imports client_golang: adapters and the
// core expose hooks (func fields), and cmd/kuaiji points them here.
//
// Each [Set] has its own registry, so tests can run several servers in
// one process without colliding on the global one.
package metrics

import (
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Namespace prefixes every metric name.
const Namespace = "kuaiji"

// Set is one process's collectors. Its methods are safe for concurrent
// use, and a nil *Set ignores every call, so callers need no checks.
type Set struct {
	reg *prometheus.Registry

	updates         *prometheus.CounterVec
	answers         *prometheus.CounterVec
	answerLatency   prometheus.Histogram
	answerConf      prometheus.Histogram
	handoffs        *prometheus.CounterVec
	firstStaffReply prometheus.Histogram
	flows           *prometheus.CounterVec
	telegramErrors  *prometheus.CounterVec
	redisErrors     *prometheus.CounterVec
	llmTokens       *prometheus.CounterVec
	llmLatency      *prometheus.HistogramVec
	llmAnswers      *prometheus.CounterVec
	ratings         *prometheus.CounterVec
	ratingReasons   *prometheus.CounterVec
}

// New returns a set with every collector registered, plus the Go runtime
// and process collectors.
func New() *Set {
	s := &Set{reg: prometheus.NewRegistry()}
	s.updates = prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: Namespace, Name: "updates_total",
		Help: "Telegram updates processed, by kind (message, command, callback, media, staff, duplicate)."}, []string{"kind"})
	s.answers = prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: Namespace, Name: "answers_total",
		Help: "Policy questions answered, by kind: faq (a FAQ entry matched), passage (from retrieved passages), declined (greeting or out of scope), error."}, []string{"kind"})
	s.answerLatency = prometheus.NewHistogram(prometheus.HistogramOpts{Namespace: Namespace, Name: "answer_duration_seconds",
		Help:    "Time to answer a policy question, retrieval and any model calls included.",
		Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2, 5, 10, 20}})
	s.answerConf = prometheus.NewHistogram(prometheus.HistogramOpts{Namespace: Namespace, Name: "answer_confidence",
		Help: "Confidence of answers that were not declined (0–1).", Buckets: prometheus.LinearBuckets(0.1, 0.1, 10)})
	s.handoffs = prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: Namespace, Name: "handoffs_total",
		Help: "Hand-off tickets by event: opened, claimed, closed."}, []string{"event"})
	s.firstStaffReply = prometheus.NewHistogram(prometheus.HistogramOpts{Namespace: Namespace, Name: "handoff_first_reply_seconds",
		Help:    "Time from opening a ticket to the first staff reply relayed to the user.",
		Buckets: []float64{10, 30, 60, 120, 300, 600, 1800, 3600, 4 * 3600, 24 * 3600}})
	s.flows = prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: Namespace, Name: "flow_events_total",
		Help: "Guided flow events (started, completed, abandoned) per flow and the step where it happened."}, []string{"flow", "step", "event"})
	s.telegramErrors = prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: Namespace, Name: "telegram_api_errors_total",
		Help: "Failed Bot API calls (each attempt), by method and error code (429, 400, …, network)."}, []string{"method", "code"})
	s.redisErrors = prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: Namespace, Name: "redis_errors_total",
		Help: "Failed Redis commands (not redis.Nil), by command."}, []string{"command"})
	s.llmTokens = prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: Namespace, Name: "llm_tokens_total",
		Help: "Tokens used by the language model, by model and type (prompt, completion)."}, []string{"model", "type"})
	s.llmLatency = prometheus.NewHistogramVec(prometheus.HistogramOpts{Namespace: Namespace, Name: "llm_answer_duration_seconds",
		Help: "Time of the model calls for one answer, by model.", Buckets: []float64{.25, .5, 1, 2, 4, 8, 15, 30}}, []string{"model"})
	s.llmAnswers = prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: Namespace, Name: "llm_answers_total",
		Help: "Answers by the model path, by model and outcome (generated, no_answer, fallback, final)."}, []string{"model", "outcome"})
	s.ratings = prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: Namespace, Name: "ratings_total",
		Help: "Answers rated by the people asking, by vote (up, down); a second tap on one answer is not counted."}, []string{"vote"})
	s.ratingReasons = prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: Namespace, Name: "rating_reasons_total",
		Help: "Reasons given for a 👎, by code: wrong (答非所问), outdated (信息过时), incomplete (不完整), unclear (看不懂), other (其他)."}, []string{"reason"})
	s.reg.MustRegister(s.updates, s.answers, s.answerLatency, s.answerConf, s.handoffs, s.firstStaffReply, s.flows,
		s.telegramErrors, s.redisErrors, s.llmTokens, s.llmLatency, s.llmAnswers, s.ratings, s.ratingReasons,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return s
}

// Handler serves the set in the Prometheus exposition format.
func (s *Set) Handler() http.Handler {
	return promhttp.HandlerFor(s.reg, promhttp.HandlerOpts{Registry: s.reg})
}

// Registry returns the registry, for tests that read values.
func (s *Set) Registry() *prometheus.Registry { return s.reg }

// Update counts one processed update of kind.
func (s *Set) Update(kind string) {
	if s != nil {
		s.updates.WithLabelValues(kind).Inc()
	}
}

// Answer counts one answer of kind; confidence is observed unless the
// question was declined or failed.
func (s *Set) Answer(kind string, confidence float64, took time.Duration) {
	if s == nil {
		return
	}
	s.answers.WithLabelValues(kind).Inc()
	s.answerLatency.Observe(took.Seconds())
	if kind != "declined" && kind != "error" {
		s.answerConf.Observe(confidence)
	}
}

// Handoff counts a ticket event: opened, claimed or closed.
func (s *Set) Handoff(event string) {
	if s != nil {
		s.handoffs.WithLabelValues(event).Inc()
	}
}

// FirstStaffReply observes how long a user waited for a person.
func (s *Set) FirstStaffReply(wait time.Duration) {
	if s != nil {
		s.firstStaffReply.Observe(wait.Seconds())
	}
}

// Flow counts a flow event at step.
func (s *Set) Flow(flow, step, event string) {
	if s != nil {
		s.flows.WithLabelValues(flow, step, event).Inc()
	}
}

// TelegramError counts a failed Bot API call; code is the HTTP-like
// status ("429") or a word such as "network".
func (s *Set) TelegramError(method, code string) {
	if s != nil {
		s.telegramErrors.WithLabelValues(method, code).Inc()
	}
}

// RedisError counts a failed Redis command.
func (s *Set) RedisError(command string) {
	if s != nil {
		s.redisErrors.WithLabelValues(command).Inc()
	}
}

// LLM records one answer's use of the model.
func (s *Set) LLM(model, outcome string, promptTokens, completionTokens int, took time.Duration) {
	if s == nil {
		return
	}
	s.llmAnswers.WithLabelValues(model, outcome).Inc()
	s.llmTokens.WithLabelValues(model, "prompt").Add(float64(promptTokens))
	s.llmTokens.WithLabelValues(model, "completion").Add(float64(completionTokens))
	if outcome != "final" {
		s.llmLatency.WithLabelValues(model).Observe(took.Seconds())
	}
}

// Rating counts a vote on an answer (reason "") or a reason given for a
// 👎, once each per answer.
func (s *Set) Rating(up bool, reason string) {
	switch {
	case s == nil:
	case reason != "":
		s.ratingReasons.WithLabelValues(reason).Inc()
	case up:
		s.ratings.WithLabelValues("up").Inc()
	default:
		s.ratings.WithLabelValues("down").Inc()
	}
}

// Code is the label for an HTTP status: "429", or "0" when there was none.
func Code(status int) string { return strconv.Itoa(status) }
