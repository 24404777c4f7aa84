// Command gendict writes the segmentation dictionary kuaiji embeds: the
// common words of gse's simplified-Chinese dictionary plus every dictionary
// word that occurs in the policy corpus. Loading all 350,000 words takes
// over a second; this subset keeps start-up fast while segmenting the
// corpus the same way.
//
// Usage (from the knowledge directory, see the go:generate line in segment.go):
//
//	go run ./internal/gendict -gse $(go list -m -f '{{.Dir}}' github.com/go-ego/gse) -corpus ../policies -out dict.txt
package main

import (
	"bufio"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

func main() {
	gseDir := flag.String("gse", "", "directory of the github.com/go-ego/gse module")
	corpus := flag.String("corpus", "../policies", "policy corpus directory")
	out := flag.String("out", "dict.txt", "output file")
	minFreq := flag.Float64("min-freq", 100, "keep words at least this frequent even when absent from the corpus")
	flag.Parse()
	if err := run(*gseDir, *corpus, *out, *minFreq); err != nil {
		fmt.Fprintln(os.Stderr, "gendict:", err)
		os.Exit(1)
	}
}

func run(gseDir, corpus, out string, minFreq float64) error {
	var text strings.Builder
	err := filepath.WalkDir(corpus, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		switch filepath.Ext(path) {
		case ".md", ".yaml", ".txt":
			b, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			text.Write(b)
			text.WriteByte('\n')
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("read corpus: %w", err)
	}
	all := text.String()

	f, err := os.Open(filepath.Join(gseDir, "data", "dict", "zh", "s_1.txt"))
	if err != nil {
		return fmt.Errorf("open gse dictionary: %w", err)
	}
	defer f.Close()
	var lines []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) < 2 {
			continue
		}
		freq, err := strconv.ParseFloat(fields[1], 64)
		if err != nil {
			continue
		}
		if freq >= minFreq || strings.Contains(all, fields[0]) {
			lines = append(lines, sc.Text())
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("read gse dictionary: %w", err)
	}
	sort.Strings(lines)
	return os.WriteFile(out, []byte(strings.Join(lines, "\n")+"\n"), 0o644)
}
