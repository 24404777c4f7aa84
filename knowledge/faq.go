package knowledge

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"
)

// FAQ is a frequently asked question with the ways people phrase it.
type FAQ struct {
	ID           string   `yaml:"id"`
	Topic        string   `yaml:"topic"`
	Jurisdiction string   `yaml:"jurisdiction"`
	Question     string   `yaml:"question"`
	Variants     []string `yaml:"variants"`
	Answer       string   `yaml:"answer"`
	Source       string   `yaml:"source"`
	Section      string   `yaml:"section"`
}

// LoadFAQ reads a YAML list of FAQ entries.
func LoadFAQ(fsys fs.FS, path string) ([]FAQ, error) {
	b, err := fs.ReadFile(fsys, path)
	if err != nil {
		return nil, fmt.Errorf("read faq: %w", err)
	}
	var list []FAQ
	if err := yaml.Unmarshal(b, &list); err != nil {
		return nil, fmt.Errorf("parse %s: %w", path, err)
	}
	for i, f := range list {
		if f.ID == "" || f.Question == "" || f.Answer == "" {
			return nil, fmt.Errorf("%s: entry %d needs id, question and answer", path, i+1)
		}
	}
	return list, nil
}

// LoadFAQDir reads every YAML file under dir (subdirectories included), in
// the lexical order of their paths, so that the FAQ can be kept one file per
// topic and still load the same way every time. A missing dir is an empty
// FAQ. An id used twice, in one file or in two, is an error naming both
// files: entries are told apart by id, and a second entry with the same id
// would silently shadow or double the first.
func LoadFAQDir(fsys fs.FS, dir string) ([]FAQ, error) {
	var paths []string
	err := fs.WalkDir(fsys, dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if ext := strings.ToLower(path.Ext(p)); !d.IsDir() && (ext == ".yaml" || ext == ".yml") {
			paths = append(paths, p)
		}
		return nil
	})
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("list faq files: %w", err)
	}
	sort.Strings(paths)
	var (
		all  []FAQ
		errs []error
	)
	seen := map[string]string{}
	for _, p := range paths {
		list, err := LoadFAQ(fsys, p)
		if err != nil {
			return nil, err
		}
		for _, f := range list {
			if first, ok := seen[f.ID]; ok {
				errs = append(errs, fmt.Errorf("%s: faq id %q is already used in %s", p, f.ID, first))
				continue
			}
			seen[f.ID] = p
			all = append(all, f)
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return all, nil
}
