// Package factcheck finds the checkable facts in a text — numbers with a
// unit, dates, URLs, document numbers and platform names — and checks that
// each one appears in the documents the text cites.
//
// It is how kuaiji keeps a fact in one place. A guided flow's result, a FAQ
// answer or an upload rule may restate what a policy document says, in
// words that suit a chat; the document stays the only authority, and a test
// over the whole corpus (policies/facts_test.go) fails when a restatement
// names a number, date, URL, document number or platform its cited
// documents do not. We check rather than quote by reference because flow
// and FAQ texts are written for a reader in the middle of a dialog (they
// address "您", combine two sections, add the next step): pasting document
// sentences in at load time would make them read like extracts, and the
// wording would still need review. A check fails in CI, where the author
// who changed one side sees which other side disagrees.
package factcheck

import (
	"regexp"
	"strconv"
	"strings"
	"unicode"
)

// Kinds of facts.
const (
	Quantity = "quantity" // 90学分, 5个工作日, 10KB, 295×413
	Date     = "date"     // 2025年1月1日, 2024年, 4月15日
	URL      = "url"      // ausm.mof.gov.cn
	DocNo    = "docno"    // 财会〔2018〕10号
	Name     = "name"     // “全国会计人员统一服务管理平台”, 《工作地变更证明》
)

// Fact is one checkable statement found in a text.
type Fact struct {
	Kind string
	// Text is the fact as written (after folding full-width forms).
	Text string
	// Key is the normalised form compared with documents: "90学分",
	// "2025-1-1", "ausm.mof.gov.cn", "财会〔2018〕10号".
	Key string
}

var (
	urlRe = regexp.MustCompile(`(?i)(?:https?://)?(?:[a-z0-9-]+\.)+(?:gov\.cn|com\.cn|org\.cn|edu\.cn|net\.cn|cn|com|net|org)(?:/[a-z0-9_./-]*[a-z0-9_/-])?`)
	// docNoRe takes the issuer's characters before the year bracket; the
	// check later uses only the characters closest to the bracket, since
	// the text before an issuer ("依据财会") is part of the sentence.
	docNoRe = regexp.MustCompile(`(\p{Han}{1,8})〔(\d{4})〕(\d+)号`)
	dimsRe  = regexp.MustCompile(`(\d+)×(\d+)`)
	qtyRe   = regexp.MustCompile(`(\d+(?:\.\d+)?)(学分|学时|个工作日|工作日|个月|分钟|元|KB|MB|K|家|像素)`)
	ymdRe   = regexp.MustCompile(`(\d{4})年(?:(\d{1,2})月(?:(\d{1,2})日)?)?`)
	isoRe   = regexp.MustCompile(`(\d{4})-(\d{1,2})(?:-(\d{1,2}))?`)
	mdRe    = regexp.MustCompile(`(\d{1,2})月(\d{1,2})日`)
	// quoteRe finds quoted spans; nameSuffix says which of them name a
	// platform, a site or a form.
	quoteRe    = regexp.MustCompile(`[“"「]([^”"」]{2,40})[”"」]|《([^》]{2,40})》`)
	nameSuffix = regexp.MustCompile(`(平台|系统|网|网站|之家|之窗|之星|专区|证明|规定|办法|通知)$`)
	nationalRe = regexp.MustCompile(`全国会计人员\p{Han}{2,8}?平台`)
)

// Normalize folds full-width letters and digits to ASCII, writes 〔〕 for
// the year bracket of a document number and × for a pixel size, and drops
// white space, so "１０ KB" and "10KB" compare equal.
func Normalize(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case unicode.IsSpace(r):
			continue
		case r >= '０' && r <= '９', r >= 'Ａ' && r <= 'Ｚ', r >= 'ａ' && r <= 'ｚ':
			r -= 0xFEE0
		case r == '＊':
			r = '*'
		case r == '~':
			r = '～'
		}
		b.WriteRune(r)
	}
	out := b.String()
	// 295x413 and 295*413 are pixel sizes too, and [2021] or （2021） before a
	// number is a document number's year bracket.
	out = dimsASCII.ReplaceAllString(out, "$1×$2")
	out = yearBracket.ReplaceAllString(out, "〔$1〕$2")
	return out
}

var (
	dimsASCII   = regexp.MustCompile(`(\d+)[xX*](\d+)`)
	yearBracket = regexp.MustCompile(`[\[［【(（](\d{4})[\]］】)）](\d+号)`)
)

// Extract returns the facts in text, in order of appearance. known lists
// platform names (from the documents) that count as facts even when a text
// does not quote them.
func Extract(text string, known []string) []Fact {
	s := Normalize(text)
	var out []Fact
	add := func(kind, txt, key string) { out = append(out, Fact{Kind: kind, Text: txt, Key: key}) }

	// URLs first, and blanked out, so their digits are not read as numbers.
	s = urlRe.ReplaceAllStringFunc(s, func(m string) string {
		add(URL, m, urlKey(m))
		return strings.Repeat(" ", len(m))
	})
	s = docNoRe.ReplaceAllStringFunc(s, func(m string) string {
		add(DocNo, m, m)
		return strings.Repeat(" ", len(m))
	})
	for _, m := range dimsRe.FindAllStringSubmatch(s, -1) {
		add(Quantity, m[0], m[1]+"×"+m[2])
	}
	s = dimsRe.ReplaceAllStringFunc(s, func(m string) string { return strings.Repeat(" ", len(m)) })
	for _, m := range ymdRe.FindAllStringSubmatch(s, -1) {
		add(Date, m[0], dateKey(m[1], m[2], m[3]))
	}
	s = ymdRe.ReplaceAllStringFunc(s, func(m string) string { return strings.Repeat(" ", len(m)) })
	for _, m := range isoRe.FindAllStringSubmatch(s, -1) {
		add(Date, m[0], dateKey(m[1], m[2], m[3]))
	}
	s = isoRe.ReplaceAllStringFunc(s, func(m string) string { return strings.Repeat(" ", len(m)) })
	for _, m := range mdRe.FindAllStringSubmatch(s, -1) {
		add(Date, m[0], "-"+trimZero(m[1])+"-"+trimZero(m[2]))
	}
	s = mdRe.ReplaceAllStringFunc(s, func(m string) string { return strings.Repeat(" ", len(m)) })
	for _, m := range qtyRe.FindAllStringSubmatch(s, -1) {
		add(Quantity, m[0], trimZero(m[1])+unitKey(m[2]))
	}
	seen := map[string]bool{}
	for _, m := range quoteRe.FindAllStringSubmatch(Normalize(text), -1) {
		n := m[1] + m[2]
		if nameSuffix.MatchString(n) && !seen[n] {
			seen[n] = true
			add(Name, n, nameKey(n))
		}
	}
	// The national platform's name is rarely quoted; a garbled form of it
	// (统一管理服务平台) is still a wrong name.
	for _, m := range nationalRe.FindAllString(Normalize(text), -1) {
		if !seen[m] {
			seen[m] = true
			add(Name, m, m)
		}
	}
	plain := nameKey(Normalize(text))
	for _, n := range known {
		if k := nameKey(n); !seen[n] && strings.Contains(plain, k) {
			seen[n] = true
			add(Name, n, k)
		}
	}
	return out
}

func urlKey(u string) string {
	u = strings.ToLower(u)
	u = strings.TrimPrefix(strings.TrimPrefix(u, "https://"), "http://")
	return strings.TrimRight(u, "/.")
}

func dateKey(y, m, d string) string {
	k := y
	if m != "" {
		k += "-" + trimZero(m)
		if d != "" {
			k += "-" + trimZero(d)
		}
	}
	return k
}

func trimZero(n string) string {
	if i, err := strconv.Atoi(n); err == nil {
		return strconv.Itoa(i)
	}
	return n
}

func unitKey(u string) string {
	switch u {
	case "K":
		return "KB"
	case "工作日":
		return "个工作日"
	}
	return u
}

// nameKey drops the quotes around and inside a name, so “会计之家” and
// "会计之家" compare equal.
func nameKey(s string) string {
	return strings.Map(func(r rune) rune {
		if strings.ContainsRune(`“”"「」《》'‘’`, r) {
			return -1
		}
		return r
	}, s)
}
