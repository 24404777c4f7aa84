package factcheck

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
)

// platformSuffix picks, of the names documents quote, those of a platform or
// site (not of a form or a rule, which are checked only where quoted).
var platformSuffix = regexp.MustCompile(`(平台|系统|网|网站|之家|之窗|之星|专区)$`)

// Doc is a document facts are checked against.
type Doc struct {
	ID   string
	Text string
}

// Corpus holds the facts of a set of documents.
type Corpus struct {
	docs  map[string]*docFacts
	names []string
}

type docFacts struct {
	plain string          // normalised text without quotes, for names and URLs
	keys  map[string]bool // fact keys, dates also by year, year-month and month-day
}

// NewCorpus indexes docs. The platform names quoted in any document become
// known names: a text that mentions one, quoted or not, must cite a
// document that names it.
func NewCorpus(docs []Doc) *Corpus {
	c := &Corpus{docs: map[string]*docFacts{}}
	seen := map[string]bool{}
	for _, d := range docs {
		for _, f := range Extract(d.Text, nil) {
			if f.Kind == Name && platformSuffix.MatchString(f.Key) && !seen[f.Key] {
				seen[f.Key] = true
				c.names = append(c.names, f.Key)
			}
		}
	}
	sort.Strings(c.names)
	for _, d := range docs {
		df := &docFacts{plain: nameKey(strings.ToLower(Normalize(d.Text))), keys: map[string]bool{}}
		for _, f := range Extract(d.Text, c.names) {
			df.keys[f.Kind+":"+f.Key] = true
			if f.Kind == Date {
				// A document's 2021年11月1日 supports a text's 2021年,
				// 2021年11月 and 11月1日.
				parts := strings.Split(f.Key, "-")
				if len(parts) >= 2 && parts[0] != "" {
					df.keys[Date+":"+parts[0]] = true
					df.keys[Date+":"+parts[0]+"-"+parts[1]] = true
				}
				if len(parts) == 3 && parts[0] != "" {
					df.keys[Date+":-"+parts[1]+"-"+parts[2]] = true
				}
			}
		}
		c.docs[d.ID] = df
	}
	return c
}

// Names returns the known platform names.
func (c *Corpus) Names() []string { return c.names }

// Has reports whether a document with the id was indexed.
func (c *Corpus) Has(id string) bool { return c.docs[id] != nil }

// Problem is a fact that none of the cited documents states.
type Problem struct {
	Fact  Fact
	Cites []string
}

func (p Problem) String() string {
	return fmt.Sprintf("%s %q is in none of %v", p.Fact.Kind, p.Fact.Text, p.Cites)
}

// Check returns the facts of text that none of the documents cites holds.
// An unknown document id holds nothing.
func (c *Corpus) Check(text string, cites []string) []Problem {
	var out []Problem
	for _, f := range Extract(text, c.names) {
		if !c.supported(f, cites) {
			out = append(out, Problem{Fact: f, Cites: cites})
		}
	}
	return out
}

func (c *Corpus) supported(f Fact, cites []string) bool {
	for _, id := range cites {
		d := c.docs[id]
		if d == nil {
			continue
		}
		switch f.Kind {
		case URL:
			if strings.Contains(d.plain, f.Key) {
				return true
			}
		case Name:
			if strings.Contains(d.plain, strings.ToLower(f.Key)) {
				return true
			}
		case DocNo:
			if d.docNo(f.Key) {
				return true
			}
		default:
			if d.keys[f.Kind+":"+f.Key] {
				return true
			}
		}
	}
	return false
}

// docNo matches a document number by its number and the two issuer
// characters next to the bracket (财会〔2018〕10号 in 依据财会〔2018〕10号),
// or the whole issuer when it is shorter.
func (d *docFacts) docNo(key string) bool {
	m := docNoRe.FindStringSubmatch(key)
	if m == nil {
		return false
	}
	issuer := []rune(m[1])
	if len(issuer) > 2 {
		issuer = issuer[len(issuer)-2:]
	}
	return strings.Contains(d.plain, string(issuer)+"〔"+m[2]+"〕"+m[3]+"号")
}
