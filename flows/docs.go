package flows

import (
	"fmt"
	"io/fs"
	"path"

	"gopkg.in/yaml.v3"

	"github.com/kuaiji/kuaiji/knowledge/extract"
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
// under dir in fsys. Front matter is split as the corpus loader splits it
// ([extract.SplitFrontMatter]), so a file the index reads is one the flows
// can cite.
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
		fm, _, _, ok := extract.SplitFrontMatter(b)
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
