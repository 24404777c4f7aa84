package main

import (
	"debug/elf"
	"os"
	"os/exec"
	"path/filepath"
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
	t.Parallel()
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
	t.Parallel()
	src, err := os.ReadFile("config.go")
	if err != nil {
		t.Fatal(err)
	}
	readme := readRoot(t, "README.md")
	vars := regexp.MustCompile(`getenv(?:\(|, )"([A-Z0-9_]+)"`).FindAllStringSubmatch(string(src), -1)
	if len(vars) < 10 {
		t.Fatalf("only %d variables found in config.go", len(vars))
	}
	for _, v := range vars {
		if !strings.Contains(readme, "| `"+v[1]+"` |") {
			t.Errorf("README has no table row for %s", v[1])
		}
	}
}

// configVars lists the variables config.go reads.
func configVars(t *testing.T) []string {
	t.Helper()
	src, err := os.ReadFile("config.go")
	if err != nil {
		t.Fatal(err)
	}
	var vars []string
	for _, m := range regexp.MustCompile(`getenv(?:\(|, )"([A-Z0-9_]+)"`).FindAllStringSubmatch(string(src), -1) {
		vars = append(vars, m[1])
	}
	if len(vars) < 10 {
		t.Fatalf("only %d variables found in config.go", len(vars))
	}
	return vars
}

// TestComposePassesEveryVariable: an operator who follows .env.example
// gets every variable config.go reads into the container — through the
// env_file, or fixed by the compose file itself — and .env.example names
// no variable the program does not read.
func TestComposePassesEveryVariable(t *testing.T) {
	var c struct {
		Services map[string]struct {
			EnvFile     []struct{ Path string } `yaml:"env_file"`
			Environment map[string]string       `yaml:"environment"`
			Ports       []string                `yaml:"ports"`
			Volumes     []string                `yaml:"volumes"`
		} `yaml:"services"`
	}
	if err := yaml.Unmarshal([]byte(readRoot(t, "docker-compose.yml")), &c); err != nil {
		t.Fatalf("docker-compose.yml: %v", err)
	}
	k := c.Services["kuaiji"]
	fromEnvFile := false
	for _, f := range k.EnvFile {
		fromEnvFile = fromEnvFile || f.Path == ".env"
	}
	if !fromEnvFile {
		t.Fatal("the kuaiji service does not read .env (env_file), so variables set there never reach it")
	}
	example := map[string]bool{}
	for _, line := range strings.Split(readRoot(t, ".env.example"), "\n") {
		if name, _, ok := strings.Cut(strings.TrimSpace(line), "="); ok && !strings.HasPrefix(name, "#") {
			example[name] = true
		}
	}
	read := map[string]bool{}
	for _, v := range configVars(t) {
		read[v] = true
		if !example[v] {
			t.Errorf(".env.example has no line for %s", v)
		}
	}
	for v := range example {
		if !read[v] {
			t.Errorf(".env.example names %s, which config.go does not read", v)
		}
	}
	for v := range k.Environment {
		if !read[v] {
			t.Errorf("compose sets %s, which config.go does not read", v)
		}
	}
	// The webhook listener and the notices folder must be reachable.
	published := strings.Join(k.Ports, " ")
	if listen := k.Environment["WEBHOOK_LISTEN"]; listen == "" || !strings.Contains(published, listen+" ") && !strings.HasSuffix(published, listen) {
		t.Errorf("webhook listener %q is not published (ports %v)", listen, k.Ports)
	}
	dir := k.Environment["KUAIJI_POLICIES_DIR"]
	mounted := false
	for _, v := range k.Volumes {
		parts := strings.Split(v, ":")
		mounted = mounted || len(parts) >= 2 && parts[1] == dir
	}
	if dir == "" || !mounted {
		t.Errorf("KUAIJI_POLICIES_DIR %q is not a mounted volume (%v)", dir, k.Volumes)
	}
}

// TestDockerfileBuildsStaticBinary runs the Dockerfile's own build command
// (no Docker engine is needed for that step) and checks that the binary is
// static, as the distroless/static base image requires: no ELF interpreter
// and no shared libraries.
func TestDockerfileBuildsStaticBinary(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("builds the release binary")
	}
	m := regexp.MustCompile(`(?m)^RUN (CGO_ENABLED=0 [^\n\\]*go build [^\n\\]*)`).FindStringSubmatch(readRoot(t, "Dockerfile"))
	if m == nil {
		t.Fatal("Dockerfile has no `RUN CGO_ENABLED=0 … go build` line")
	}
	out := t.TempDir()
	cmdline := strings.ReplaceAll(strings.TrimSpace(m[1]), "/out/", out+"/")
	cmd := exec.Command("sh", "-c", cmdline)
	cmd.Dir = "../.."
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s: %v\n%s", cmdline, err, b)
	}
	f, err := elf.Open(filepath.Join(out, "kuaiji"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP {
			t.Error("binary has an ELF interpreter: it is dynamically linked")
		}
	}
	if libs, _ := f.ImportedLibraries(); len(libs) > 0 {
		t.Errorf("binary needs shared libraries %v", libs)
	}
}
