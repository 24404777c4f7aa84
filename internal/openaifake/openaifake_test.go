package openaifake_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"

	openai "github.com/sashabaranov/go-openai"

	"github.com/kuaiji/kuaiji/internal/openaifake"
)

func client(f *openaifake.Server, key string) *openai.Client {
	cfg := openai.DefaultConfig(key)
	cfg.BaseURL = f.URL()
	return openai.NewClientWithConfig(cfg)
}

func TestChatPlainAndStream(t *testing.T) {
	f := openaifake.New(t.Cleanup)
	f.Reply(func(r openaifake.ChatRequest) string { return "回答：" + r.LastUser() })
	c := client(f, "")
	req := openai.ChatCompletionRequest{Model: "fake-chat", Messages: []openai.ChatCompletionMessage{
		{Role: "system", Content: "规则"}, {Role: "user", Content: "学分"},
	}}
	res, err := c.CreateChatCompletion(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	if got := res.Choices[0].Message.Content; got != "回答：学分" || res.Usage.TotalTokens == 0 {
		t.Errorf("reply %q usage %+v", got, res.Usage)
	}

	req.StreamOptions = &openai.StreamOptions{IncludeUsage: true}
	st, err := c.CreateChatCompletionStream(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var b strings.Builder
	var sawUsage bool
	chunks := 0
	for {
		ch, err := st.Recv()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		chunks++
		if ch.Usage != nil {
			sawUsage = true
		}
		for _, c := range ch.Choices {
			b.WriteString(c.Delta.Content)
		}
	}
	if b.String() != "回答：学分" || !sawUsage || chunks < 3 {
		t.Errorf("stream %q usage %v chunks %d", b.String(), sawUsage, chunks)
	}
	if r := f.Requests(); len(r) != 2 || !r[1].Stream || !r[1].IncludeUsage || r[0].System() != "规则" {
		t.Errorf("requests %+v", r)
	}
}

func TestEmbeddingsAndModels(t *testing.T) {
	f := openaifake.New(t.Cleanup)
	c := client(f, "")
	res, err := c.CreateEmbeddings(context.Background(), openai.EmbeddingRequest{
		Model: "fake-embed", Input: []string{"会计继续教育", "信息采集"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Data) != 2 || res.Data[1].Index != 1 || len(res.Data[0].Embedding) != 32 {
		t.Errorf("embeddings %+v", res.Data)
	}
	if f.EmbeddedTexts() != 2 || f.Calls(openaifake.PathEmbeddings) != 1 {
		t.Errorf("counted %d texts, %d calls", f.EmbeddedTexts(), f.Calls(openaifake.PathEmbeddings))
	}
	ms, err := c.ListModels(context.Background())
	if err != nil || len(ms.Models) != 2 || ms.Models[0].ID != "fake-chat" {
		t.Errorf("models %+v %v", ms, err)
	}
}

func TestErrors(t *testing.T) {
	f := openaifake.New(t.Cleanup)
	f.RequireKey("sk-right")
	_, err := client(f, "sk-wrong").ListModels(context.Background())
	var api *openai.APIError
	if !errors.As(err, &api) || api.HTTPStatusCode != http.StatusUnauthorized || api.Code != "invalid_api_key" {
		t.Fatalf("wrong key: %v", err)
	}
	f.Fail(openaifake.PathChat, openaifake.Failure{Status: 429}, openaifake.Failure{Status: 500})
	c := client(f, "sk-right")
	req := openai.ChatCompletionRequest{Model: "m", Messages: []openai.ChatCompletionMessage{{Role: "user", Content: "x"}}}
	for _, want := range []int{429, 500} {
		_, err := c.CreateChatCompletion(context.Background(), req)
		if !errors.As(err, &api) || api.HTTPStatusCode != want || api.Message == "" {
			t.Errorf("want %d, got %v", want, err)
		}
	}
	if _, err := c.CreateChatCompletion(context.Background(), req); err != nil {
		t.Errorf("after the scripted failures: %v", err)
	}
	// A stream that fails before its first chunk carries the same error.
	f.Fail(openaifake.PathChat, openaifake.Failure{Status: 503})
	if _, err := c.CreateChatCompletionStream(context.Background(), req); !errors.As(err, &api) || api.HTTPStatusCode != 503 {
		t.Errorf("stream error: %v", err)
	}
}
