package extract

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"
	"unicode/utf8"
)

// WordprocessingML namespaces: transitional (what Word and WPS write) and
// strict.
const (
	wNS       = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
	wStrictNS = "http://purl.oclc.org/ooxml/wordprocessingml/main"
	mcNS      = "http://schemas.openxmlformats.org/markup-compatibility/2006"
)

// oleMagic starts an OLE compound file: a legacy .doc, or a password
// protected .docx, which Office wraps in OLE.
var oleMagic = []byte{0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1}

// DOCX reads word/document.xml (archive/zip + encoding/xml): paragraphs with
// a Heading1..Heading6 / 标题 1.. style (also outline level) become headings;
// tables become one block per row (cells joined by " | ").
//
// Styles are resolved through word/styles.xml, because Chinese Word names
// heading styles by number ("1", "2") and only the style's name says
// "heading 1"; basedOn chains and outline levels on the style or the
// paragraph count too. The Title style gives a level-1 heading and the
// document title; failing that the title comes from docProps/core.xml, then
// the first heading. Empty cells are left out of table rows; table of
// contents paragraphs are dropped, as they repeat the headings; body
// paragraphs holding a Chinese outline line become headings as in [Text].
// Headers, footers, footnotes and comments are not read. Files over 50 MB
// are refused, and so is more than 32 MB of decompressed XML in one part.
func DOCX(r io.ReaderAt, size int64) (Doc, error) {
	if size > maxFileSize {
		return Doc{}, fmt.Errorf("read docx: %w", errTooLarge)
	}
	zr, err := zip.NewReader(r, size)
	if err != nil {
		magic := make([]byte, len(oleMagic))
		if _, rerr := r.ReadAt(magic, 0); rerr == nil && bytes.Equal(magic, oleMagic) {
			return Doc{}, errors.New("read docx: file is an OLE compound document (a password-protected .docx or a legacy .doc), not a zip archive")
		}
		return Doc{}, fmt.Errorf("read docx: not a valid zip archive: %w", err)
	}

	docPath := mainDocumentPath(zr)
	styles, err := readStyles(zr, path.Join(path.Dir(docPath), "styles.xml"))
	if err != nil {
		return Doc{}, err
	}
	p := docxParser{styles: styles}
	if err := withZipFile(zr, docPath, true, p.parse); err != nil {
		return Doc{}, err
	}

	doc := Doc{Title: normalize(p.title), Blocks: p.blocks}
	if doc.Title == "" {
		doc.Title = coreTitle(zr)
	}
	if doc.Title == "" {
		doc.Title = titleFrom(doc.Blocks, true)
	}
	return doc, nil
}

// mainDocumentPath finds the main document part through _rels/.rels, which
// is how Office locates it, and falls back to the usual word/document.xml.
func mainDocumentPath(zr *zip.Reader) string {
	const fallback = "word/document.xml"
	var rels struct {
		Rel []struct {
			Type   string `xml:"Type,attr"`
			Target string `xml:"Target,attr"`
		} `xml:"Relationship"`
	}
	err := withZipFile(zr, "_rels/.rels", false, func(r io.Reader) error {
		return xml.NewDecoder(r).Decode(&rels)
	})
	if err != nil {
		return fallback
	}
	for _, rel := range rels.Rel {
		if strings.HasSuffix(rel.Type, "/officeDocument") {
			target := strings.TrimPrefix(path.Clean("/"+rel.Target), "/")
			if zipFile(zr, target) != nil {
				return target
			}
		}
	}
	return fallback
}

// zipFile looks a part up by name; part names are case-insensitive in OPC.
func zipFile(zr *zip.Reader, name string) *zip.File {
	for _, f := range zr.File {
		if f.Name == name {
			return f
		}
	}
	for _, f := range zr.File {
		if strings.EqualFold(f.Name, name) {
			return f
		}
	}
	return nil
}

// withZipFile opens a part and passes it to fn with its decompressed size
// capped at maxXMLSize. A missing part is an error only when required.
func withZipFile(zr *zip.Reader, name string, required bool, fn func(io.Reader) error) error {
	f := zipFile(zr, name)
	if f == nil {
		if required {
			return fmt.Errorf("read docx: %s not found in archive (not a Word document?)", name)
		}
		return nil
	}
	if f.UncompressedSize64 > uint64(maxXMLSize) {
		return fmt.Errorf("read docx: %w", xmlTooLarge(name))
	}
	rc, err := f.Open()
	if err != nil {
		return fmt.Errorf("read docx: open %s: %w", name, err)
	}
	defer rc.Close()
	if err := fn(&cappedReader{r: rc, n: maxXMLSize, name: name}); err != nil {
		return fmt.Errorf("read docx: %s: %w", name, err)
	}
	return nil
}

// cappedReader fails once more than n bytes have been read, because a zip
// entry's declared size can lie.
type cappedReader struct {
	r    io.Reader
	n    int64
	name string
}

func xmlTooLarge(name string) error {
	return limitErr(fmt.Sprintf("%s is larger than %d MB uncompressed", name, maxXMLSize>>20),
		fmt.Sprintf("文档内容（%s）解压后超过 %d MB，文件可能有问题，不予导入。", name, maxXMLSize>>20))
}

func (c *cappedReader) Read(p []byte) (int, error) {
	if c.n <= 0 {
		return 0, xmlTooLarge(c.name)
	}
	if int64(len(p)) > c.n {
		p = p[:c.n]
	}
	n, err := c.r.Read(p)
	c.n -= int64(n)
	return n, err
}

// docxPara is a paragraph being read. Paragraphs nest when a text box sits
// inside a paragraph.
type docxPara struct {
	text    strings.Builder
	style   string
	outline int
}

// docxTable is a table being read; tables nest inside cells.
type docxTable struct {
	cells []string
	cell  *strings.Builder
}

type docxParser struct {
	styles map[string]docxStyle
	blocks []Block
	title  string
	paras  []*docxPara
	tables []*docxTable
	runes  int // of the text in blocks, against MaxTextRunes
}

func isW(n xml.Name) bool { return n.Space == wNS || n.Space == wStrictNS }

// parse streams document.xml. It keeps only what reading order needs: text
// runs, tabs and breaks, paragraph styles, and table structure.
func (p *docxParser) parse(r io.Reader) error {
	dec := xml.NewDecoder(r)
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("parse xml: %w", err)
		}
		if p.runes > MaxTextRunes {
			// Stop now rather than parse the rest of a huge part.
			return errTooMuchText
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if t.Name.Space == mcNS && t.Name.Local == "Fallback" {
				// The same content as mc:Choice, for older readers.
				if err := dec.Skip(); err != nil {
					return fmt.Errorf("parse xml: %w", err)
				}
				continue
			}
			if !isW(t.Name) {
				continue
			}
			if err := p.start(dec, t); err != nil {
				return err
			}
		case xml.EndElement:
			if isW(t.Name) {
				p.end(t.Name.Local)
			}
		}
	}
}

func (p *docxParser) para() *docxPara {
	if len(p.paras) == 0 {
		return nil
	}
	return p.paras[len(p.paras)-1]
}

func (p *docxParser) start(dec *xml.Decoder, t xml.StartElement) error {
	switch t.Name.Local {
	case "p":
		p.paras = append(p.paras, &docxPara{outline: -1})
	case "pStyle":
		if para := p.para(); para != nil {
			para.style = wAttr(t, "val")
		}
	case "outlineLvl":
		if para := p.para(); para != nil {
			para.outline = atoiOr(wAttr(t, "val"), -1)
		}
	case "pPrChange", "rPrChange", "instrText", "delText", "delInstrText", "moveFrom":
		// Old formatting and moved-away text of tracked changes, and
		// field codes, are not text.
		if err := dec.Skip(); err != nil {
			return fmt.Errorf("parse xml: %w", err)
		}
	case "t":
		var s string
		if err := dec.DecodeElement(&s, &t); err != nil {
			return fmt.Errorf("parse xml: %w", err)
		}
		if para := p.para(); para != nil {
			para.text.WriteString(s)
		}
	case "tab", "ptab", "br", "cr":
		if para := p.para(); para != nil {
			para.text.WriteByte(' ')
		}
	case "noBreakHyphen":
		if para := p.para(); para != nil {
			para.text.WriteByte('-')
		}
	case "tbl":
		p.tables = append(p.tables, &docxTable{})
	case "tr":
		if tb := p.table(); tb != nil {
			tb.cells = tb.cells[:0]
		}
	case "tc":
		if tb := p.table(); tb != nil {
			tb.cell = &strings.Builder{}
		}
	}
	return nil
}

func (p *docxParser) table() *docxTable {
	if len(p.tables) == 0 {
		return nil
	}
	return p.tables[len(p.tables)-1]
}

func (p *docxParser) end(local string) {
	switch local {
	case "p":
		if len(p.paras) == 0 {
			return
		}
		para := p.para()
		p.paras = p.paras[:len(p.paras)-1]
		p.endPara(para)
	case "tc":
		if tb := p.table(); tb != nil && tb.cell != nil {
			if c := normalize(tb.cell.String()); c != "" {
				tb.cells = append(tb.cells, c)
			}
			tb.cell = nil
		}
	case "tr":
		if tb := p.table(); tb != nil {
			p.text(0, strings.Join(tb.cells, " | "), false)
			tb.cells = tb.cells[:0]
		}
	case "tbl":
		if len(p.tables) > 0 {
			p.tables = p.tables[:len(p.tables)-1]
		}
	}
}

// endPara emits a finished paragraph as a heading or body block.
func (p *docxParser) endPara(para *docxPara) {
	text := para.text.String()
	level, title, toc := styleKind(p.styles, para.style)
	if toc {
		return
	}
	if para.outline >= 0 && para.outline <= 8 {
		level = min(para.outline+1, 6)
	} else if para.outline == 9 {
		level = 0 // explicitly body text
	}
	if title && p.title == "" {
		p.title = text
	}
	p.text(level, text, true)
}

// text routes text to the innermost open table cell, or emits it as a block.
// Paragraphs (outlined says so) get outline detection; table rows do not.
func (p *docxParser) text(level int, text string, outlined bool) {
	if tb := p.table(); tb != nil {
		if tb.cell != nil {
			tb.cell.WriteString(" " + text)
			return
		}
		if !outlined && len(p.tables) > 1 {
			// A row of a nested table ends up in the enclosing cell.
			if outer := p.tables[len(p.tables)-2]; outer.cell != nil {
				outer.cell.WriteString(" " + text)
				return
			}
		}
	}
	if outlined {
		p.blocks = appendOutlined(p.blocks, level, collapse(text))
	} else {
		p.blocks = appendBlock(p.blocks, level, text)
	}
	p.runes += utf8.RuneCountInString(text)
}

// wAttr returns the value of a w: attribute of t.
func wAttr(t xml.StartElement, local string) string {
	for _, a := range t.Attr {
		if a.Name.Local == local && (a.Name.Space == "" || isW(a.Name)) {
			return a.Value
		}
	}
	return ""
}
