package main

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/kuaiji/kuaiji/bot"
	"github.com/kuaiji/kuaiji/bot/telegram"
	"github.com/kuaiji/kuaiji/flows"
	"github.com/kuaiji/kuaiji/knowledge"
	"github.com/kuaiji/kuaiji/knowledge/llm"
	"github.com/kuaiji/kuaiji/metrics"
)

// observers connect the hooks that the adapters and the core expose (func
// fields and options, declared where they are called) to the metrics, so
// that only this package and metrics know about Prometheus. Where a seam
// already exists (the Answerer, go-redis hooks) it is wrapped here
// instead of touching the package.
type observers struct {
	m   *metrics.Set
	log *slog.Logger
}

func newObservers(m *metrics.Set, log *slog.Logger) *observers {
	return &observers{m: m, log: log}
}

// telegramHooks count updates, API errors and hand-offs.
func (o *observers) telegramHooks() telegram.Hooks {
	return telegram.Hooks{
		Update:          o.m.Update,
		APIError:        o.m.TelegramError,
		Handoff:         o.m.Handoff,
		FirstStaffReply: o.m.FirstStaffReply,
	}
}

// flowOption counts flow transitions and logs them with the flow, so a
// chat's log lines can be followed through a flow.
func (o *observers) flowOption() flows.Option {
	return flows.WithTransitions(func(t flows.Transition) {
		o.m.Flow(t.Flow, t.Step, t.Event)
		o.log.Info("flow "+t.Event, "chat_id", t.Chat, "flow", t.Flow, "step", t.Step)
	})
}

// llmOption records the model's tokens and latency.
func (o *observers) llmOption() llm.Option {
	return llm.WithReport(func(r llm.Report) {
		o.m.LLM(r.Model, r.Outcome, r.PromptTokens, r.CompletionTokens, r.Latency)
	})
}

// answerer times and classifies every answer of a.
func (o *observers) answerer(a bot.Answerer) bot.Answerer {
	t := timedAnswerer{inner: a, m: o.m}
	if s, ok := a.(bot.StreamAnswerer); ok {
		return timedStreamAnswerer{t, s}
	}
	return t
}

type timedAnswerer struct {
	inner bot.Answerer
	m     *metrics.Set
}

func (t timedAnswerer) Answer(ctx context.Context, q knowledge.Question) (knowledge.Answer, error) {
	start := time.Now()
	a, err := t.inner.Answer(ctx, q)
	t.observe(a, err, start)
	return a, err
}

func (t timedAnswerer) observe(a knowledge.Answer, err error, start time.Time) {
	kind := "passage"
	switch {
	case err != nil:
		kind = "error"
	case a.Declined:
		kind = "declined"
	case a.FAQ:
		kind = "faq"
	}
	t.m.Answer(kind, a.Confidence, time.Since(start))
}

// timedStreamAnswerer keeps streaming available when the inner answerer
// streams: the router checks for the interface.
type timedStreamAnswerer struct {
	timedAnswerer
	s bot.StreamAnswerer
}

func (t timedStreamAnswerer) AnswerStream(ctx context.Context, q knowledge.Question, onDelta func(string)) (knowledge.Answer, error) {
	start := time.Now()
	a, err := t.s.AnswerStream(ctx, q, onDelta)
	t.observe(a, err, start)
	return a, err
}

// redisHook counts failed Redis commands; redis.Nil (no such key) and
// lost optimistic transactions are answers, not failures.
func (o *observers) redisHook() redis.Hook { return redisErrors{o.m} }

type redisErrors struct{ m *metrics.Set }

func (redisErrors) DialHook(next redis.DialHook) redis.DialHook {
	return next
}

func (h redisErrors) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error {
		err := next(ctx, cmd)
		if failed(err) {
			h.m.RedisError(strings.ToLower(cmd.Name()))
		}
		return err
	}
}

func (h redisErrors) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error {
		err := next(ctx, cmds)
		if failed(err) {
			h.m.RedisError("pipeline")
		}
		return err
	}
}

func failed(err error) bool {
	return err != nil && !errors.Is(err, redis.Nil) && !errors.Is(err, redis.TxFailedErr) &&
		!errors.Is(err, context.Canceled)
}
