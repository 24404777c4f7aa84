package extract

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/simplifiedchinese"
)

// HTML extracts the article text of a web page.
//
// It drops script, style, nav, header, footer, aside, form, noscript, iframe
// (and template, svg, button, select, textarea, object, embed), hidden
// elements, and elements whose class or id says nav, menu, breadcrumb,
// footer, sidebar, share or comment. h1–h6 become headings; p, li, pre,
// blockquote, div and other block elements become body blocks; a table row
// becomes one block with its non-empty cells joined by " | "; <br> ends a
// block, as government pages often separate paragraphs with <br> alone.
// Paragraphs holding a Chinese outline line ("第一章 总则", "第一条 ……")
// become headings as in [Text].
//
// Three deliberate exceptions keep the article when a page is built in an
// unusual way: a header inside article or main (the article's own title) is
// kept; a form is kept when it contains headings, paragraphs or tables,
// because ASP.NET pages wrap the whole page in one form; and the class/id
// test never drops html, body, main or article, or an element containing
// main or article, since "has-sidebar" on a wrapper must not drop the page.
//
// The charset comes from a BOM or <meta charset>/http-equiv (UTF-8, GBK,
// GB2312, GB18030, Big5, …); a page that declares nothing is read as UTF-8
// when valid and as GB18030 otherwise. The title is the <title> text, else
// the first level-1 heading, else the first heading. Input over 50 MB is
// refused.
func HTML(r io.Reader) (Doc, error) {
	data, err := readAllLimited(r)
	if err != nil {
		return Doc{}, fmt.Errorf("read html: %w", err)
	}
	enc := htmlEncoding(data)
	root, err := html.Parse(enc.NewDecoder().Reader(bytes.NewReader(data)))
	if err != nil {
		return Doc{}, fmt.Errorf("parse html: %w", err)
	}
	w := htmlWalker{}
	w.walk(root)
	w.flush(0)
	doc := Doc{Title: normalize(w.title), Blocks: w.blocks}
	if doc.Title == "" {
		doc.Title = titleFrom(doc.Blocks, true)
	}
	return doc, nil
}

// htmlEncoding picks the page's encoding. x/net's sniffer falls back to
// windows-1252 when a page declares nothing; for our corpus of Chinese sites
// an undeclared non-UTF-8 page is far more likely GBK, so we use GB18030.
func htmlEncoding(data []byte) encoding.Encoding {
	e, name, _ := charset.DetermineEncoding(data, "")
	if name != "windows-1252" {
		return e
	}
	head := data
	if len(head) > 1024 {
		head = head[:1024]
	}
	switch {
	case utf8.Valid(data):
		e, _ = charset.Lookup("utf-8")
	case !bytes.Contains(bytes.ToLower(head), []byte("charset")):
		e = simplifiedchinese.GB18030
	}
	return e
}

// skipTags are elements that never hold article text.
var skipTags = map[atom.Atom]bool{
	atom.Script: true, atom.Style: true, atom.Nav: true, atom.Header: true,
	atom.Footer: true, atom.Aside: true, atom.Form: true, atom.Noscript: true,
	atom.Iframe: true, atom.Template: true, atom.Svg: true, atom.Button: true,
	atom.Select: true, atom.Textarea: true, atom.Object: true, atom.Embed: true,
	atom.Head: true,
}

// boilerWords mark page furniture in class and id values.
var boilerWords = []string{"nav", "menu", "breadcrumb", "footer", "sidebar", "share", "comment"}

// blockTags end the current block before and after their content.
var blockTags = map[atom.Atom]bool{
	atom.P: true, atom.Div: true, atom.Li: true, atom.Ul: true, atom.Ol: true,
	atom.Pre: true, atom.Blockquote: true, atom.Section: true, atom.Article: true,
	atom.Main: true, atom.Dl: true, atom.Dt: true, atom.Dd: true, atom.Figure: true,
	atom.Figcaption: true, atom.Caption: true, atom.Table: true, atom.Tbody: true,
	atom.Thead: true, atom.Tfoot: true, atom.Address: true, atom.Center: true,
	atom.Hr: true, atom.Header: true, atom.Form: true, atom.Fieldset: true,
	atom.Details: true, atom.Summary: true, atom.Body: true, atom.Html: true,
	atom.Tr: true,
}

var headingLevel = map[atom.Atom]int{
	atom.H1: 1, atom.H2: 2, atom.H3: 3, atom.H4: 4, atom.H5: 5, atom.H6: 6,
}

type htmlWalker struct {
	blocks []Block
	buf    strings.Builder
	title  string
	inCell int // >0 inside a table cell: block boundaries become spaces
	inHead int // >0 inside a heading: <br> becomes a space
	inArt  int // >0 inside article or main
}

// flush ends the pending text as a block of the given level. Body text that
// is a Chinese outline line becomes a heading.
func (w *htmlWalker) flush(level int) {
	text := collapse(w.buf.String())
	w.buf.Reset()
	w.blocks = appendOutlined(w.blocks, level, text)
}

// appendOutlined appends text as a block, turning a body paragraph that is a
// Chinese outline line into a heading plus its body; used by HTML and DOCX,
// whose authors type "第一条" rather than use heading markup.
func appendOutlined(blocks []Block, level int, text string) []Block {
	if level == 0 {
		if o, ok := parseOutline(text, true); ok {
			return appendOutline(blocks, o)
		}
	}
	return appendBlock(blocks, level, text)
}

func (w *htmlWalker) walk(n *html.Node) {
	switch n.Type {
	case html.TextNode:
		w.buf.WriteString(n.Data)
		return
	case html.ElementNode:
	case html.DocumentNode:
		w.children(n)
		return
	default:
		return
	}

	if n.DataAtom == atom.Title && w.title == "" {
		w.title = textOf(n)
		return
	}
	if n.DataAtom == atom.Head {
		// Only the title matters in <head>.
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type == html.ElementNode && c.DataAtom == atom.Title {
				w.walk(c)
			}
		}
		return
	}
	if w.skip(n) {
		return
	}

	if lvl, ok := headingLevel[n.DataAtom]; ok && w.inCell == 0 {
		w.flush(0)
		w.inHead++
		w.children(n)
		w.inHead--
		w.flush(lvl)
		return
	}

	switch n.DataAtom {
	case atom.Br:
		if w.inCell > 0 || w.inHead > 0 {
			w.buf.WriteByte(' ')
		} else {
			w.flush(0)
		}
		return
	case atom.Tr:
		if w.inCell == 0 {
			w.flush(0)
			w.blocks = appendBlock(w.blocks, 0, w.row(n))
			return
		}
	case atom.Article, atom.Main:
		w.inArt++
		defer func() { w.inArt-- }()
	}

	if blockTags[n.DataAtom] || headingLevel[n.DataAtom] > 0 {
		if w.inCell > 0 {
			w.buf.WriteByte(' ')
			w.children(n)
			w.buf.WriteByte(' ')
			return
		}
		w.flush(0)
		w.children(n)
		w.flush(0)
		return
	}
	w.children(n)
}

func (w *htmlWalker) children(n *html.Node) {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		w.walk(c)
	}
}

// row renders a table row as its non-empty cells joined by " | ". Nested
// tables end up inside the cell text.
func (w *htmlWalker) row(tr *html.Node) string {
	var cells []string
	for c := tr.FirstChild; c != nil; c = c.NextSibling {
		if c.Type != html.ElementNode || (c.DataAtom != atom.Td && c.DataAtom != atom.Th) || w.skip(c) {
			continue
		}
		saved := w.buf.String()
		w.buf.Reset()
		w.inCell++
		w.children(c)
		w.inCell--
		if t := normalize(w.buf.String()); t != "" {
			cells = append(cells, t)
		}
		w.buf.Reset()
		w.buf.WriteString(saved)
	}
	return strings.Join(cells, " | ")
}

// skip reports whether n is page furniture rather than content.
func (w *htmlWalker) skip(n *html.Node) bool {
	if skipTags[n.DataAtom] {
		switch n.DataAtom {
		case atom.Header:
			return w.inArt == 0
		case atom.Form:
			return !hasDescendant(n, atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6, atom.P, atom.Table, atom.Article, atom.Main)
		}
		return true
	}
	if _, ok := attr(n, "hidden"); ok {
		return true
	}
	if v, _ := attr(n, "aria-hidden"); v == "true" {
		return true
	}
	if v, _ := attr(n, "style"); strings.Contains(strings.ReplaceAll(strings.ToLower(v), " ", ""), "display:none") {
		return true
	}
	if v, _ := attr(n, "role"); v == "navigation" {
		return true
	}
	switch n.DataAtom {
	case atom.Html, atom.Body, atom.Main, atom.Article:
		return false
	}
	class, _ := attr(n, "class")
	id, _ := attr(n, "id")
	if !isBoilerplate(class + " " + id) {
		return false
	}
	return !hasDescendant(n, atom.Main, atom.Article)
}

// isBoilerplate reports whether a class/id value names page furniture: some
// word of it (split at non-letters) starts or ends with one of boilerWords,
// so "navbar", "topnav", "site-footer" and "comments" match but
// "unavailable" does not.
func isBoilerplate(v string) bool {
	words := strings.FieldsFunc(strings.ToLower(v), func(r rune) bool {
		return !(r >= 'a' && r <= 'z')
	})
	for _, w := range words {
		for _, k := range boilerWords {
			if strings.HasPrefix(w, k) || strings.HasSuffix(w, k) {
				return true
			}
		}
	}
	return false
}

func attr(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Namespace == "" && a.Key == key {
			return a.Val, true
		}
	}
	return "", false
}

func hasDescendant(n *html.Node, tags ...atom.Atom) bool {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type != html.ElementNode {
			continue
		}
		for _, t := range tags {
			if c.DataAtom == t {
				return true
			}
		}
		if hasDescendant(c, tags...) {
			return true
		}
	}
	return false
}

// textOf returns all text below n.
func textOf(n *html.Node) string {
	var b strings.Builder
	var rec func(*html.Node)
	rec = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			rec(c)
		}
	}
	rec(n)
	return b.String()
}
