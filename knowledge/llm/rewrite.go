package llm

import (
	"context"
	"strings"
	"unicode/utf8"

	openai "github.com/sashabaranov/go-openai"

	"github.com/kuaiji/kuaiji/knowledge"
)

// standalone has the model rewrite a follow-up such as "那深圳呢？" into a
// question that stands alone, before retrieval. When q is not a follow-up,
// or the model fails or answers with something that is not a question, q
// is returned unchanged and the index's offline rewriter resolves it.
func (a *Answerer) standalone(ctx context.Context, q knowledge.Question, use *usage) knowledge.Question {
	if !hasUserTurn(q.History) || !looksLikeFollowUp(q.Text) {
		return q
	}
	// A quarter of the budget: the answer itself matters more.
	ctx, cancel := context.WithTimeout(ctx, a.set.timeout/4)
	defer cancel()
	req := openai.ChatCompletionRequest{Model: a.model, Messages: rewriteMessages(q.History, q.Text)}
	limitTokens(&req, 200)
	var out string
	_, err := a.set.retry(ctx, func(ctx context.Context) error {
		res, err := a.c.api.CreateChatCompletion(ctx, req)
		if err != nil {
			return err
		}
		use.add(&res.Usage)
		if len(res.Choices) > 0 {
			out = res.Choices[0].Message.Content
		}
		return nil
	})
	if err != nil {
		a.set.log.Warn("llm rewrite failed, using offline rewriter", "model", a.model, "status", StatusCode(err), "err", err)
		return q
	}
	s, ok := cleanRewrite(out)
	if !ok {
		a.set.log.Info("llm rewrite unusable, using offline rewriter", "model", a.model)
		return q
	}
	return knowledge.Question{Text: s, Jurisdiction: q.Jurisdiction}
}

// cleanRewrite accepts a rewritten question: one line, not too long.
func cleanRewrite(s string) (string, bool) {
	s = strings.TrimSpace(stripThink(s))
	for _, p := range []string{"改写后的问题：", "改写后的问题:", "问题：", "问题:"} {
		s = strings.TrimPrefix(s, p)
	}
	s = strings.Trim(strings.TrimSpace(s), "\"“”「」'")
	if s == "" || strings.Contains(s, "\n") || utf8.RuneCountInString(s) > 200 {
		return "", false
	}
	return s, true
}

func hasUserTurn(h []knowledge.Turn) bool {
	for _, t := range h {
		if t.User && strings.TrimSpace(t.Text) != "" {
			return true
		}
	}
	return false
}

var (
	followUpStarts = []string{"那", "还有", "另外", "如果", "要是", "然后", "同样", "也是", "再问", "顺便"}
	followUpWords  = []string{"这个", "那个", "这些", "那些", "这种", "那种", "上面", "刚才", "前面", "它", "同上", "呢"}
)

// looksLikeFollowUp guesses whether a message needs the conversation to be
// understood: short, opening like a continuation, or pointing back.
func looksLikeFollowUp(s string) bool {
	s = strings.TrimSpace(s)
	if utf8.RuneCountInString(strings.Trim(s, " ?？。!！,，")) <= 8 {
		return true
	}
	for _, p := range followUpStarts {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	for _, w := range followUpWords {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}
