package knowledge

import (
	"fmt"
	"io/fs"

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
