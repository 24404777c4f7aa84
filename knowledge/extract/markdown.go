package extract

import (
	"bufio"
	"bytes"
	"html"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/parser"
	ghtml "github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
	xhtml "golang.org/x/net/html"
)

// mdParser parses CommonMark with the GFM tables, strikethrough and task
// lists that policy notes copied from web pages use. A goldmark parser is
// safe for concurrent use once built.
var mdParser = goldmark.New(
	goldmark.WithParser(parser.NewParser(
		parser.WithBlockParsers(parser.DefaultBlockParsers()...),
		parser.WithInlineParsers(inlineParsers()...),
		parser.WithParagraphTransformers(parser.DefaultParagraphTransformers()...),
	)),
	goldmark.WithExtensions(extension.Table, extension.Strikethrough, extension.TaskList),
).Parser()

// Markdown parses Markdown body text (front matter already removed by the
// caller; see [SplitFrontMatter]).
//
// Headings become headings; paragraphs, list items (one block each), block
// quotes and code blocks become body blocks; each table row becomes one block
// with its non-empty cells joined by " | "; HTML blocks are read as HTML.
// Inline markup (emphasis, code spans, links, images, HTML tags, escapes,
// entities) is reduced to its text. The title is the first level-1 heading,
// else the first heading, skipping Chinese outline headings ("第一章 总则").
func Markdown(src []byte) Doc {
	source := []byte(strings.Join(splitLines(decodeText(src)), "\n"))
	root := mdParser.Parse(text.NewReader(source))
	w := mdWalker{src: source}
	_ = ast.Walk(root, w.visit)
	return Doc{Title: titleFrom(w.blocks, true), Blocks: w.blocks}
}

type mdWalker struct {
	src    []byte
	blocks []Block
}

func (w *mdWalker) visit(n ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	switch n := n.(type) {
	case *ast.Heading:
		w.blocks = appendBlock(w.blocks, n.Level, w.inline(n))
	case *ast.Paragraph, *ast.TextBlock:
		w.blocks = appendBlock(w.blocks, 0, w.inline(n))
	case *ast.CodeBlock, *ast.FencedCodeBlock:
		w.blocks = appendBlock(w.blocks, 0, w.lines(n))
	case *ast.HTMLBlock:
		w.blocks = append(w.blocks, htmlFragment(w.lines(n))...)
	case *east.TableHeader, *east.TableRow:
		var cells []string
		for c := n.FirstChild(); c != nil; c = c.NextSibling() {
			if t := normalize(w.inline(c)); t != "" {
				cells = append(cells, t)
			}
		}
		w.blocks = appendBlock(w.blocks, 0, strings.Join(cells, " | "))
	default:
		return ast.WalkContinue, nil
	}
	return ast.WalkSkipChildren, nil
}

// lines returns the raw lines of a code or HTML block.
func (w *mdWalker) lines(n ast.Node) string {
	var b strings.Builder
	segs := n.Lines()
	for i := 0; i < segs.Len(); i++ {
		s := segs.At(i)
		b.Write(s.Value(w.src))
	}
	if h, ok := n.(*ast.HTMLBlock); ok && h.HasClosure() {
		b.Write(h.ClosureLine.Value(w.src))
	}
	return b.String()
}

// inline returns the plain text of n's inline content.
func (w *mdWalker) inline(n ast.Node) string {
	var b bytes.Buffer
	w.inlineTo(&b, n)
	return b.String()
}

func (w *mdWalker) inlineTo(b *bytes.Buffer, n ast.Node) {
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		switch c := c.(type) {
		case *ast.Text:
			v := c.Value(w.src)
			if c.IsRaw() {
				b.Write(v)
			} else {
				b.WriteString(unescapeText(v))
			}
			if c.SoftLineBreak() || c.HardLineBreak() {
				b.WriteByte(' ')
			}
		case *ast.String:
			b.Write(c.Value)
		case *ast.CodeSpan:
			// Backslashes and entities in code are literal.
			for t := c.FirstChild(); t != nil; t = t.NextSibling() {
				if t, ok := t.(*ast.Text); ok {
					b.Write(t.Value(w.src))
				}
			}
		case *ast.AutoLink:
			b.Write(c.Label(w.src))
		case *ast.RawHTML:
			// A tag separates words, as it does in the rendered page.
			b.WriteByte(' ')
		case *east.TaskCheckBox:
		default:
			w.inlineTo(b, c)
		}
	}
}

// mdWriter resolves backslash escapes and entity references exactly as
// goldmark's HTML renderer does; its output is HTML-escaped, which
// html.UnescapeString undoes.
var mdWriter = ghtml.NewWriter()

func unescapeText(v []byte) string {
	if bytes.IndexByte(v, '\\') < 0 && bytes.IndexByte(v, '&') < 0 {
		return string(v)
	}
	var b bytes.Buffer
	bw := bufio.NewWriter(&b)
	mdWriter.Write(bw, v)
	_ = bw.Flush() // cannot fail on a bytes.Buffer
	return html.UnescapeString(b.String())
}

// htmlFragment extracts the text of an HTML block with the HTML extractor's
// rules: comments and scripts vanish, headings stay headings.
func htmlFragment(src string) []Block {
	root, err := xhtml.Parse(strings.NewReader(src))
	if err != nil {
		return nil
	}
	w := htmlWalker{}
	w.walk(root)
	w.flush(0)
	return w.blocks
}
