package main

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// Docker is not available where the tests run, so these are lint-level
// checks of the files' promises: a static non-root image with a health
// check, Redis with AOF on a volume, and every variable documented.

func readRoot(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile("../../" + name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestDockerfile(t *testing.T) {
	d := readRoot(t, "Dockerfile")
	for _, want := range []string{
		"AS build", "CGO_ENABLED=0", "./cmd/kuaiji", "USER 65532", `HEALTHCHECK`, `"healthcheck"`,
		"ENTRYPOINT", `CMD ["serve"]`, "HTTP_ADDR=:9090",
	} {
		if !strings.Contains(d, want) {
			t.Errorf("Dockerfile lacks %q", want)
		}
	}
	if froms := regexp.MustCompile(`(?m)^FROM `).FindAllString(d, -1); len(froms) != 2 {
		t.Errorf("want a two-stage build, got %d FROM lines", len(froms))
	}
	if regexp.MustCompile(`(?m)^USER (root|0)\b`).MatchString(d) {
		t.Error("image runs as root")
	}
}

func TestCompose(t *testing.T) {
	var c struct {
		Services map[string]struct {
			Build       any               `yaml:"build"`
			Image       string            `yaml:"image"`
			Command     []string          `yaml:"command"`
			Environment map[string]string `yaml:"environment"`
			Volumes     []string          `yaml:"volumes"`
		} `yaml:"services"`
		Volumes map[string]any `yaml:"volumes"`
	}
	if err := yaml.Unmarshal([]byte(readRoot(t, "docker-compose.yml")), &c); err != nil {
		t.Fatalf("docker-compose.yml: %v", err)
	}
	k, r := c.Services["kuaiji"], c.Services["redis"]
	if k.Build == nil || !strings.HasPrefix(k.Environment["REDIS_URL"], "redis://redis:") {
		t.Errorf("kuaiji service: %+v", k)
	}
	if !strings.Contains(strings.Join(r.Command, " "), "--appendonly yes") {
		t.Errorf("redis without AOF: %v", r.Command)
	}
	for name, s := range map[string][]string{"redis": r.Volumes, "kuaiji": k.Volumes} {
		if len(s) == 0 {
			t.Errorf("%s has no volume", name)
			continue
		}
		vol, _, _ := strings.Cut(s[0], ":")
		if _, ok := c.Volumes[vol]; !ok {
			t.Errorf("%s volume %q not declared", name, vol)
		}
	}
}

// TestEveryVariableDocumented: each variable config.go reads has a row
// in the README table.
func TestEveryVariableDocumented(t *testing.T) {
	src, err := os.ReadFile("config.go")
	if err != nil {
		t.Fatal(err)
	}
	readme := readRoot(t, "README.md")
	vars := regexp.MustCompile(`getenv\("([A-Z0-9_]+)"\)`).FindAllStringSubmatch(string(src), -1)
	if len(vars) < 10 {
		t.Fatalf("only %d variables found in config.go", len(vars))
	}
	for _, v := range vars {
		if !strings.Contains(readme, "| `"+v[1]+"` |") {
			t.Errorf("README has no table row for %s", v[1])
		}
	}
}
