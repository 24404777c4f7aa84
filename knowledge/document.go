package knowledge

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/kuaiji/kuaiji/knowledge/extract"
	"gopkg.in/yaml.v3"
)

// Document statuses.
const (
	StatusInForce    = "in_force"
	StatusSuperseded = "superseded"
)

// Document is one policy text: a national rule, a guide or a jurisdiction's
// guideline, with the metadata its citations show.
type Document struct {
	ID           string `yaml:"id"`
	Title        string `yaml:"title"`
	Jurisdiction string `yaml:"jurisdiction"` // a code; "" for national documents
	Authority    string `yaml:"authority"`
	DocNumber    string `yaml:"doc_number"`
	Source       string `yaml:"source"`
	Effective    string `yaml:"effective"`
	Status       string `yaml:"status"`
	SupersededBy string `yaml:"superseded_by"`
	Reviewed     string `yaml:"reviewed"`

	// Path is where the document was read from, for error messages.
	Path string `yaml:"-"`
	// PlaceFrom says how Jurisdiction was decided for a file without front
	// matter: [PlaceFromTitle], [PlaceFromText], or "" (declared, or none).
	PlaceFrom string `yaml:"-"`
	// Hash identifies the source bytes, so unchanged files are not re-indexed.
	Hash   string          `yaml:"-"`
	Blocks []extract.Block `yaml:"-"`
}

// FrontMatterError locates a problem in a document's front matter.
type FrontMatterError struct {
	Path string
	Line int
	Msg  string
}

func (e *FrontMatterError) Error() string {
	return fmt.Sprintf("%s:%d: %s", e.Path, e.Line, e.Msg)
}

var yamlLine = regexp.MustCompile(`line (\d+)`)

// ParseMarkdown reads a Markdown or plain-text document with YAML front
// matter. Errors in the front matter are [*FrontMatterError] values naming
// file:line.
func ParseMarkdown(path string, src []byte, plainText bool) (*Document, error) {
	fm, body, bodyLine, ok := extract.SplitFrontMatter(src)
	doc := &Document{Path: path, Hash: hashBytes(src), Status: StatusInForce}
	if ok {
		if err := decodeFrontMatter(path, fm, bodyLine, doc); err != nil {
			return nil, err
		}
	} else {
		body = src
	}
	var d extract.Doc
	if plainText {
		d = extract.Text(body)
	} else {
		d = extract.Markdown(body)
	}
	doc.Blocks = d.Blocks
	if doc.Title == "" {
		doc.Title = d.Title
	}
	return doc, nil
}

func decodeFrontMatter(path string, fm []byte, bodyLine int, doc *Document) error {
	// The front matter starts on line 2, after the opening "---".
	const first = 2
	dec := yaml.NewDecoder(bytes.NewReader(fm))
	dec.KnownFields(true)
	if err := dec.Decode(doc); err != nil {
		line := first
		msg := strings.TrimPrefix(err.Error(), "yaml: ")
		if m := yamlLine.FindStringSubmatch(msg); m != nil {
			n, _ := strconv.Atoi(m[1])
			line = first + n - 1
			msg = strings.TrimSpace(yamlLine.ReplaceAllString(msg, ""))
			msg = strings.TrimPrefix(strings.TrimPrefix(msg, ":"), " ")
		}
		return &FrontMatterError{Path: path, Line: line, Msg: "front matter: " + msg}
	}
	at := func(key string) int {
		for i, l := range strings.Split(string(fm), "\n") {
			if strings.HasPrefix(strings.TrimSpace(l), key+":") {
				return first + i
			}
		}
		return first
	}
	switch {
	case doc.ID == "":
		return &FrontMatterError{path, first, "front matter: id is required"}
	case !validID.MatchString(doc.ID):
		return &FrontMatterError{path, at("id"), fmt.Sprintf("front matter: id %q may only use a-z, 0-9, - and _", doc.ID)}
	case doc.Title == "":
		return &FrontMatterError{path, first, "front matter: title is required"}
	case doc.Status != StatusInForce && doc.Status != StatusSuperseded:
		return &FrontMatterError{path, at("status"), fmt.Sprintf("front matter: status %q must be in_force or superseded", doc.Status)}
	case doc.Status == StatusSuperseded && doc.SupersededBy == "":
		return &FrontMatterError{path, at("status"), "front matter: a superseded document needs superseded_by"}
	}
	for key, v := range map[string]string{"effective": doc.Effective, "reviewed": doc.Reviewed} {
		if v == "" {
			continue
		}
		if _, err := time.Parse(time.DateOnly, v); err != nil {
			return &FrontMatterError{path, at(key), fmt.Sprintf("front matter: %s %q is not a YYYY-MM-DD date", key, v)}
		}
	}
	_ = bodyLine
	return nil
}

var validID = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]*$`)

func hashBytes(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:8])
}
