package llm

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync/atomic"
	"time"

	openai "github.com/sashabaranov/go-openai"

	"github.com/kuaiji/kuaiji/knowledge"
	"github.com/kuaiji/kuaiji/privacy"
)

// Retriever finds what to ground an answer on; [*knowledge.Index]
// implements it.
type Retriever interface {
	Retrieve(ctx context.Context, q knowledge.Question) (knowledge.Retrieval, error)
	Places() *knowledge.Jurisdictions
}

// Answerer answers questions with a chat model, only from the passages r
// retrieves and always with citations, and falls back to the extractive
// answer when the endpoint fails or the reply does not pass the citation
// check. It is safe for concurrent use.
type Answerer struct {
	r     Retriever
	c     *Client
	model string
	set   settings
	stats stats
}

// NewAnswerer returns an answerer using model on c.
func NewAnswerer(r Retriever, c *Client, model string, opts ...Option) *Answerer {
	return &Answerer{r: r, c: c, model: model, set: newSettings(opts)}
}

// Model returns the chat model's name.
func (a *Answerer) Model() string { return a.model }

// Answer answers q. It returns an error only when retrieval fails: a
// failing endpoint yields the extractive answer.
func (a *Answerer) Answer(ctx context.Context, q knowledge.Question) (knowledge.Answer, error) {
	return a.answer(ctx, q, nil)
}

// AnswerStream is [Answerer.Answer] that also passes the reply to onDelta
// piece by piece as the model writes it, for a draft message. The returned
// answer is authoritative: it replaces the draft, and may be the
// extractive answer when the finished reply failed the citation check.
func (a *Answerer) AnswerStream(ctx context.Context, q knowledge.Question, onDelta func(string)) (knowledge.Answer, error) {
	return a.answer(ctx, q, onDelta)
}

// Outcomes of one answer, as logged and counted.
const (
	outcomeFinal     = "final"     // declined, greeting or clarifying: no model
	outcomeGenerated = "generated" // the model's reply, checked
	outcomeNoAnswer  = "no_answer" // the model says the sources do not answer
	outcomeFallback  = "fallback"  // the extractive answer
)

func (a *Answerer) answer(ctx context.Context, q knowledge.Question, onDelta func(string)) (knowledge.Answer, error) {
	start := time.Now()
	tctx, cancel := context.WithTimeout(ctx, a.set.timeout)
	defer cancel()
	// Identifiers never leave the process, not even to the endpoint.
	q.Text = privacy.Mask(q.Text)
	hist := make([]knowledge.Turn, len(q.History))
	for i, t := range q.History {
		hist[i] = knowledge.Turn{User: t.User, Text: privacy.Mask(t.Text)}
	}
	q.History = hist

	var use usage
	rq := a.standalone(tctx, q, &use)
	r, err := a.r.Retrieve(tctx, rq)
	if err != nil && ctx.Err() == nil && (tctx.Err() != nil || rq.Text != q.Text) {
		// The budget ran out or the rewrite misled retrieval: retrieve the
		// question as asked, with the caller's deadline.
		r, err = a.r.Retrieve(ctx, q)
	}
	if err != nil {
		return knowledge.Answer{}, err
	}
	if len(r.Passages) == 0 {
		a.done(outcomeFinal, "", start, use, 0, 0)
		return r.Answer, nil
	}

	place := ""
	if j, ok := a.r.Places().ByCode(r.Answer.Jurisdiction); ok {
		place = j.Name
	}
	msgs := buildMessages(r, place)
	reply, attempts, err := a.generate(tctx, msgs, r.Passages, onDelta, &use)
	if err != nil {
		reason := "endpoint"
		if tctx.Err() != nil {
			reason = "timeout"
		}
		a.set.log.Warn("llm answer failed, using extractive answer", "model", a.model, "reason", reason,
			"status", StatusCode(err), "attempts", attempts, "err", err)
		a.done(outcomeFallback, reason, start, use, attempts, len(r.Answer.Sources))
		return r.Answer, nil
	}
	g := check(reply, r.Passages, a.r.Places(), r.Answer.Jurisdiction)
	if g.Reject != "" {
		a.done(outcomeFallback, g.Reject, start, use, attempts, len(r.Answer.Sources))
		return r.Answer, nil
	}
	ans := r.Answer
	ans.Text, ans.Sources = ans.Note+g.Text, g.Sources
	outcome := outcomeGenerated
	if g.NoAnswer {
		outcome = outcomeNoAnswer
		ans.Handoff = true
		if !strings.Contains(ans.Text, "财政") && !strings.Contains(ans.Text, "人工") {
			ans.Text += "\n建议咨询当地财政部门（会计管理机构），或转人工客服。"
		}
	}
	a.done(outcome, "", start, use, attempts, len(ans.Sources))
	return ans, nil
}

// usage adds up the tokens of the model calls of one answer.
type usage struct{ prompt, completion int }

func (u *usage) add(x *openai.Usage) {
	if x != nil {
		u.prompt += x.PromptTokens
		u.completion += x.CompletionTokens
	}
}

// done logs and counts one answer; the question is not logged.
func (a *Answerer) done(outcome, reason string, start time.Time, u usage, attempts, sources int) {
	a.stats.count(outcome, u)
	if a.set.report != nil {
		a.set.report(Report{Model: a.model, Outcome: outcome, PromptTokens: u.prompt, CompletionTokens: u.completion,
			Latency: time.Since(start)})
	}
	a.set.log.Info("llm answer", "model", a.model, "outcome", outcome, "reason", reason,
		"attempts", attempts, "prompt_tokens", u.prompt, "completion_tokens", u.completion,
		"latency_ms", time.Since(start).Milliseconds(), "sources", sources)
}

// generate asks the model, retrying on 429, 5xx and broken connections
// until the first delta reached onDelta; after that a failure is final.
func (a *Answerer) generate(ctx context.Context, msgs []openai.ChatCompletionMessage, passages []knowledge.Passage,
	onDelta func(string), use *usage) (string, int, error) {
	req := openai.ChatCompletionRequest{Model: a.model, Messages: msgs}
	limitTokens(&req, 1024)
	if !reasoningModel(a.model) {
		req.Temperature = 0.2
	}
	var reply string
	if onDelta == nil {
		n, err := a.set.retry(ctx, func(ctx context.Context) error {
			res, err := a.c.api.CreateChatCompletion(ctx, req)
			if err != nil {
				return err
			}
			use.add(&res.Usage)
			if len(res.Choices) == 0 {
				return errors.New("no choices in reply")
			}
			reply = res.Choices[0].Message.Content
			return nil
		})
		return reply, n, err
	}
	req.StreamOptions = &openai.StreamOptions{IncludeUsage: true}
	var shown bool
	settings := a.set
	n, err := settings.retry(ctx, func(ctx context.Context) error {
		if shown {
			return errStreamBroken
		}
		st := &streamer{passages: passages, onDelta: func(d string) { shown = true; onDelta(d) }}
		text, err := a.stream(ctx, req, st, use)
		if err != nil {
			if shown {
				return fmt.Errorf("%w: %w", errStreamBroken, err)
			}
			return err
		}
		st.emit(true)
		reply = text
		return nil
	})
	return reply, n, err
}

// errStreamBroken is a stream that failed after part of it was shown; it
// is not retried, since the draft cannot be taken back.
var errStreamBroken = errors.New("stream broken after first delta")

func (a *Answerer) stream(ctx context.Context, req openai.ChatCompletionRequest, st *streamer, use *usage) (string, error) {
	s, err := a.c.api.CreateChatCompletionStream(ctx, req)
	if err != nil {
		return "", err
	}
	defer s.Close()
	var all strings.Builder
	for {
		chunk, err := s.Recv()
		if errors.Is(err, io.EOF) {
			return all.String(), nil
		}
		if err != nil {
			return "", err
		}
		use.add(chunk.Usage)
		for _, ch := range chunk.Choices {
			if ch.Index == 0 && ch.Delta.Content != "" {
				all.WriteString(ch.Delta.Content)
				st.add(ch.Delta.Content)
			}
		}
	}
}

// Stats counts answers since the answerer was made.
type Stats struct {
	Answers   int64 // all answers, including those that needed no model
	Generated int64 // model replies that passed the citation check
	NoAnswer  int64 // model replies saying the sources do not answer
	Fallbacks int64 // extractive answers after a failure or a rejected reply

	PromptTokens, CompletionTokens int64
}

type stats struct {
	answers, generated, noAnswer, fallbacks atomic.Int64
	prompt, completion                      atomic.Int64
}

func (s *stats) count(outcome string, u usage) {
	s.answers.Add(1)
	switch outcome {
	case outcomeGenerated:
		s.generated.Add(1)
	case outcomeNoAnswer:
		s.noAnswer.Add(1)
	case outcomeFallback:
		s.fallbacks.Add(1)
	}
	s.prompt.Add(int64(u.prompt))
	s.completion.Add(int64(u.completion))
}

// Stats returns the counts so far.
func (a *Answerer) Stats() Stats {
	return Stats{
		Answers: a.stats.answers.Load(), Generated: a.stats.generated.Load(),
		NoAnswer: a.stats.noAnswer.Load(), Fallbacks: a.stats.fallbacks.Load(),
		PromptTokens: a.stats.prompt.Load(), CompletionTokens: a.stats.completion.Load(),
	}
}
