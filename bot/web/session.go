package web

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/binary"
	"math"
	"net"
	"net/http"
	"net/url"
	"strings"
)

// Cookies: the page at / keeps its session in a SameSite=Lax cookie; the
// page framed by the widget on another site cannot receive a Lax cookie,
// so /embed/ has its own, SameSite=None and Partitioned (kept per
// embedding site, which also works where third-party cookies are blocked).
const (
	pageCookie  = "kuaiji_sid"
	embedCookie = "kuaiji_wsid"
	csrfHeader  = "X-Kuaiji-Csrf"
)

// session is one anonymous visitor: the token in the cookie, and the chat
// id the router, the flows store and tickets know it by.
type session struct {
	token string
	chat  int64
	embed bool
}

// ChatID is the router's chat (and user) id of the session with token.
//
// Web chat ids lie in [math.MinInt64, -2^62): Telegram's private chats are
// positive and its groups and channels are negative numbers well above
// -2^53 (supergroups are -100… with at most 52-bit ids), so the two never
// meet in the flows store or in tickets, and no prefix is needed in the
// int64 key space the router, the store and handoff already share. The id
// is a hash of the token, not the token: a chat id on a ticket card or in
// Redis does not let anyone take over the session.
func ChatID(token string) int64 {
	h := sha256.Sum256([]byte("kuaiji-web-chat\x00" + token))
	return math.MinInt64 + int64(binary.BigEndian.Uint64(h[:8])&(1<<62-1))
}

// IsWebChat reports whether a chat id belongs to the web channel.
func IsWebChat(chat int64) bool { return chat < -(1 << 62) }

// validToken accepts the tokens newToken makes: 22 characters of URL-safe
// base64 (16 random bytes). Anything else gets a fresh session.
func validToken(t string) bool {
	if len(t) != 22 {
		return false
	}
	_, err := base64.RawURLEncoding.DecodeString(t)
	return err == nil
}

func newToken() string {
	b := make([]byte, 16)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// session returns the request's session, creating one (and its cookie)
// when create is set and there is none.
func (s *Server) session(w http.ResponseWriter, r *http.Request, embed, create bool) (session, bool) {
	name := pageCookie
	if embed {
		name = embedCookie
	}
	if c, err := r.Cookie(name); err == nil && validToken(c.Value) {
		if create {
			s.setCookie(w, r, name, c.Value, embed) // sliding expiry
		}
		return session{token: c.Value, chat: ChatID(c.Value), embed: embed}, true
	}
	if !create {
		return session{}, false
	}
	tok := newToken()
	s.setCookie(w, r, name, tok, embed)
	return session{token: tok, chat: ChatID(tok), embed: embed}, true
}

func (s *Server) setCookie(w http.ResponseWriter, r *http.Request, name, tok string, embed bool) {
	c := &http.Cookie{Name: name, Value: tok, Path: "/", MaxAge: int(s.ttl.Seconds()),
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: secure(r)}
	if embed {
		c.Path, c.SameSite, c.Secure, c.Partitioned = "/embed/", http.SameSiteNoneMode, true, true
	}
	http.SetCookie(w, c)
}

// secure reports whether the page was reached over HTTPS (directly or
// through a proxy that says so).
func secure(r *http.Request) bool {
	return r.TLS != nil || strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https")
}

// csrf is the session's CSRF token: a MAC of its cookie token under the
// shared key. The page carries it in a meta tag, and every POST must send
// it in a header, which a page of another site can neither read nor set.
func (s *Server) csrf(sess session) string {
	m := hmac.New(sha256.New, s.csrfKey)
	m.Write([]byte(sess.token))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

func (s *Server) csrfOK(r *http.Request, sess session) bool {
	got := r.Header.Get(csrfHeader)
	return got != "" && subtle.ConstantTimeCompare([]byte(got), []byte(s.csrf(sess))) == 1
}

// sameOrigin reports whether a request may use the API: a browser sends
// Origin on cross-origin requests and on POSTs, and Sec-Fetch-Site on all;
// either naming another site refuses it. Clients that send neither (curl)
// still need the cookie and, for POST, the CSRF header.
func sameOrigin(r *http.Request) bool {
	if o := r.Header.Get("Origin"); o != "" {
		u, err := url.Parse(o)
		if err != nil || !strings.EqualFold(u.Host, r.Host) {
			return false
		}
	}
	switch r.Header.Get("Sec-Fetch-Site") {
	case "", "same-origin":
		return true
	}
	return false
}

// originOf is the scheme://host of a URL such as a Referer, "" if none.
func originOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme == "" || u.Host == "" {
		return ""
	}
	return u.Scheme + "://" + u.Host
}

// clientAddr is the address the per-address limit counts: the peer's IP.
// X-Forwarded-For is not trusted, since any client can set it; behind a
// proxy, the proxy's own limits apply per user.
func clientAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}
