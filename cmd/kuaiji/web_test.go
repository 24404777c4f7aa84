package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"regexp"
	"strings"
	"testing"
	"time"
)

// webTurn loads the page at base (once per jar) and sends text as a turn,
// returning the event stream of the answer.
func webTurn(t *testing.T, hc *http.Client, base, text string) string {
	t.Helper()
	res, err := hc.Get(base + "/")
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(res.Body)
	res.Body.Close()
	m := regexp.MustCompile(`name="kuaiji-csrf" content="([^"]+)"`).FindSubmatch(page)
	if m == nil || !bytes.Contains(page, []byte(`<textarea name="q"`)) {
		t.Fatalf("not the chat page:\n%s", page)
	}
	req, _ := http.NewRequest("POST", base+"/api/send", strings.NewReader(fmt.Sprintf(`{"text":%q}`, text)))
	req.Header.Set("X-Kuaiji-Csrf", string(m[1]))
	res, err = hc.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return string(body)
}

func TestWebCommandServesThePage(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	out := &syncBuffer{}
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"web", "--addr", "127.0.0.1:0"}, func(k string) string {
			return map[string]string{"KUAIJI_DATA_DIR": dataDir(t)}[k]
		}, strings.NewReader(""), out, io.Discard)
	}()
	var base string
	for range 600 {
		if m := regexp.MustCompile(`http://127\.0\.0\.1:\d+`).FindString(out.String()); m != "" {
			base = m
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if base == "" {
		cancel()
		t.Fatalf("kuaiji web printed no address:\n%s", out.String())
	}
	if !strings.Contains(out.String(), "未设置 REDIS_URL") {
		t.Errorf("no in-process Redis notice:\n%s", out.String())
	}
	jar, _ := cookiejar.New(nil)
	if got := webTurn(t, &http.Client{Jar: jar}, base, "继续教育每年要多少学分"); !strings.Contains(got, "90学分") || !strings.Contains(got, "现行有效") {
		t.Errorf("answer on the web:\n%s", got)
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("kuaiji web: %v", err)
	}
}

// TestServeWithWebAddr: serve also serves the web chat on WEB_ADDR, and a
// web user's 转人工 opens a ticket in the Telegram staff chat.
func TestServeWithWebAddr(t *testing.T) {
	addr := freeAddr(t)
	h := newServeHarness(t, withStaff(-100778), withEnv("WEB_ADDR", addr))
	jar, _ := cookiejar.New(nil)
	hc := &http.Client{Jar: jar}
	for range 600 { // the index opens before the listener
		if c, err := net.Dial("tcp", addr); err == nil {
			c.Close()
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if got := webTurn(t, hc, "http://"+addr, "/human"); !strings.Contains(got, "工单 #") {
		t.Fatalf("web /human:\n%s", got)
	}
	h.wait(h.staff.ID, "渠道：网页对话")
	if err := h.stop(); err != nil {
		t.Fatalf("serve: %v", err)
	}
}
