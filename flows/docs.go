package flows

import (
	"bufio"
	"bytes"
	"fmt"
	"io/fs"
	"path"
	"strings"

	"gopkg.in/yaml.v3"
)

// Documents tells the loader which policy document ids exist (validation of
// cite) and the engine what they are called (citations).
type Documents interface {
	// Title returns the document's title and whether the id exists.
	Title(id string) (string, bool)
}

// DocSet is a [Documents] from a map of id to title.
type DocSet map[string]string

// Title implements [Documents].
func (d DocSet) Title(id string) (string, bool) {
	t, ok := d[id]
	return t, ok
}

// ScanDocs reads the id and title from the front matter of every .md file
// under dir in fsys.
func ScanDocs(fsys fs.FS, dir string) (DocSet, error) {
	set := DocSet{}
	err := fs.WalkDir(fsys, dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || path.Ext(p) != ".md" {
			return nil
		}
		b, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		fm, ok := frontMatter(b)
		if !ok {
			return nil
		}
		var meta struct {
			ID    string `yaml:"id"`
			Title string `yaml:"title"`
		}
		if err := yaml.Unmarshal(fm, &meta); err != nil {
			return fmt.Errorf("front matter of %s: %w", p, err)
		}
		if meta.ID != "" {
			set[meta.ID] = meta.Title
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("scan documents: %w", err)
	}
	return set, nil
}

func frontMatter(b []byte) ([]byte, bool) {
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	if !sc.Scan() || strings.TrimSpace(sc.Text()) != "---" {
		return nil, false
	}
	var out bytes.Buffer
	for sc.Scan() {
		if strings.TrimSpace(sc.Text()) == "---" {
			return out.Bytes(), true
		}
		out.Write(sc.Bytes())
		out.WriteByte('\n')
	}
	return nil, false
}
