package extract

import (
	"archive/zip"
	"encoding/xml"
	"io"
	"regexp"
	"strconv"
	"strings"
)

// docxStyle is what we need of a paragraph style.
type docxStyle struct {
	name    string
	basedOn string
	outline int // 0-based outline level, -1 if none
}

var headingStyleRe = regexp.MustCompile(`^(?:heading|标题)\s*([1-9])$`)

// readStyles reads the paragraph styles; a document without styles.xml is
// valid and simply has none.
func readStyles(zr *zip.Reader, name string) (map[string]docxStyle, error) {
	var doc struct {
		Style []struct {
			Type    string  `xml:"type,attr"`
			ID      string  `xml:"styleId,attr"`
			Name    valAttr `xml:"name"`
			BasedOn valAttr `xml:"basedOn"`
			PPr     struct {
				OutlineLvl *valAttr `xml:"outlineLvl"`
			} `xml:"pPr"`
		} `xml:"style"`
	}
	err := withZipFile(zr, name, false, func(r io.Reader) error {
		return xml.NewDecoder(r).Decode(&doc)
	})
	if err != nil {
		return nil, err
	}
	styles := make(map[string]docxStyle, len(doc.Style))
	for _, s := range doc.Style {
		if s.Type != "" && s.Type != "paragraph" {
			continue
		}
		st := docxStyle{name: s.Name.Val, basedOn: s.BasedOn.Val, outline: -1}
		if s.PPr.OutlineLvl != nil {
			st.outline = atoiOr(s.PPr.OutlineLvl.Val, -1)
		}
		styles[s.ID] = st
	}
	return styles, nil
}

type valAttr struct {
	Val string `xml:"val,attr"`
}

func atoiOr(s string, def int) int {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil {
		return def
	}
	return n
}

// styleKind classifies a paragraph style: heading level (1..6), title, table
// of contents, or body. It follows basedOn a few steps, guarding against
// cycles.
func styleKind(styles map[string]docxStyle, id string) (level int, title, toc bool) {
	for range 10 {
		name := strings.ToLower(strings.TrimSpace(id))
		st, ok := styles[id]
		if ok {
			name = strings.ToLower(strings.TrimSpace(st.name))
		}
		compact := strings.ReplaceAll(name, " ", "")
		switch {
		case compact == "title" || compact == "标题":
			return 1, true, false
		case strings.HasPrefix(compact, "toc") || strings.HasPrefix(compact, "目录"):
			return 0, false, true
		}
		if m := headingStyleRe.FindStringSubmatch(name); m != nil {
			return min(atoiOr(m[1], 6), 6), false, false
		}
		if m := headingStyleRe.FindStringSubmatch(strings.ToLower(id)); m != nil {
			return min(atoiOr(m[1], 6), 6), false, false
		}
		if !ok {
			return 0, false, false
		}
		if st.outline >= 0 && st.outline <= 8 {
			return min(st.outline+1, 6), false, false
		}
		if st.basedOn == "" || st.basedOn == id {
			return 0, false, false
		}
		id = st.basedOn
	}
	return 0, false, false
}

// coreTitle reads dc:title from docProps/core.xml, ignoring any error: the
// title is a nicety, and the body has been read already.
func coreTitle(zr *zip.Reader) string {
	var core struct {
		Title string `xml:"title"`
	}
	_ = withZipFile(zr, "docProps/core.xml", false, func(r io.Reader) error {
		return xml.NewDecoder(r).Decode(&core)
	})
	return normalize(core.Title)
}
