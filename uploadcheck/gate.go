package uploadcheck

import (
	"bufio"
	"errors"
	"fmt"
	"math"
	"os"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
)

// ErrBusy is returned by [Gate.Check] and reported by [Gate.Acquire] when
// the checks already running hold the memory this one would need: the
// caller asks the user to try again instead of risking the process.
var ErrBusy = errors.New("upload checks busy")

// Gate bounds the memory that concurrent checks hold. Each check holds
// its estimated decode cost (see [MaxDecodeBytes]) while it runs, and a
// caller may hold a downloaded file's size with [Gate.Acquire]; a request
// that does not fit is refused at once rather than queued, so a burst of
// hostile images cannot pile up downloads or decodes.
type Gate struct {
	mu          sync.Mutex
	total, used int64
}

// NewGate returns a gate over budget bytes, raised to what one check of
// the largest admitted image needs so that any admitted file can be
// checked when nothing else runs.
func NewGate(budget int64) *Gate {
	return &Gate{total: max(budget, minBudget)}
}

// minBudget is one check of the costliest admitted image and its file.
const minBudget = MaxDecodeBytes + workBytes + MaxFileBytes

// maxBudget caps the default budget on large machines: more parallel
// photo checks than this allows are not needed by one bot.
const maxBudget = 512 << 20

// DefaultBudget is a quarter of the memory the process may use (the
// smallest of GOMEMLIMIT, the cgroup limit and the machine's memory),
// within [minBudget] and 512 MiB. A quarter leaves room for the garbage
// collector, which lets the heap grow to about twice what is live, and
// for the rest of the bot.
func DefaultBudget() int64 {
	return min(max(memoryLimit()/4, minBudget), maxBudget)
}

// memoryLimit is the smallest memory limit the process can find.
func memoryLimit() int64 {
	limit := int64(math.MaxInt64)
	if l := debug.SetMemoryLimit(-1); l > 0 {
		limit = min(limit, l)
	}
	for _, f := range []string{"/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"} {
		if b, err := os.ReadFile(f); err == nil {
			if n, err := strconv.ParseInt(strings.TrimSpace(string(b)), 10, 64); err == nil && n > 0 {
				limit = min(limit, n)
			}
		}
	}
	if f, err := os.Open("/proc/meminfo"); err == nil {
		defer f.Close()
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			if rest, ok := strings.CutPrefix(sc.Text(), "MemTotal:"); ok {
				if kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64); err == nil {
					limit = min(limit, kb<<10)
				}
			}
		}
	}
	return limit
}

// Budget is the number of bytes the gate hands out.
func (g *Gate) Budget() int64 { return g.total }

// Acquire holds n bytes of the budget and returns the function that gives
// them back; ok is false, and nothing is held, when they do not fit.
func (g *Gate) Acquire(n int64) (release func(), ok bool) {
	n = max(n, 0)
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.used+n > g.total {
		return nil, false
	}
	g.used += n
	var once sync.Once
	return func() {
		once.Do(func() {
			g.mu.Lock()
			g.used -= n
			g.mu.Unlock()
		})
	}, true
}

// Check runs [Check] while holding the memory it is estimated to need, or
// returns an error wrapping [ErrBusy] without reading past the header when
// that memory is held by other checks.
func (g *Gate) Check(in Input, spec Spec) (Report, error) {
	n := checkCost(in.Data)
	release, ok := g.Acquire(n)
	if !ok {
		return Report{}, fmt.Errorf("check needing %d MB: %w", n>>20, ErrBusy)
	}
	defer release()
	return Check(in, spec), nil
}
