package extract

import (
	"bytes"
	"context"
	"encoding/gob"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime/debug"
	"runtime/metrics"
	"strconv"
	"time"
)

// PDFs are read in a child process: the same executable started again with
// childEnv set, which [ServeChild] turns into a PDF reader.
//
// ledongthuc/pdf takes no context and has loops that can spin or allocate
// for minutes on malformed input (a 6.7 KB file took 198 s and 842 MB). A
// goroutine cannot be stopped from outside, so a time limit on one only
// abandons it: it keeps burning a core and holding memory, and at `serve`
// start-up (KUAIJI_POLICIES_DIR) it would do so for the life of the bot. A
// process can be killed. The child also watches its own memory and stops
// at a cap, since a parent polling it could only notice later. Costs: a
// fork and exec per PDF (milliseconds, against the seconds of a big
// extraction) and every binary that reads PDFs must call ServeChild first
// thing (kuaiji's main and the TestMain of the packages that test it).

const (
	childEnv      = "KUAIJI_EXTRACT_CHILD" // "pdf": this process is a PDF reader
	childPathEnv  = "KUAIJI_EXTRACT_PATH"
	childMemEnv   = "KUAIJI_EXTRACT_MEM"     // memory cap in bytes
	childTimeEnv  = "KUAIJI_EXTRACT_TIMEOUT" // time limit, a Go duration
	childResultOK = 0
)

// pdfTimeout and pdfMemory bound one PDF's extraction; variables so that
// tests can lower them. 1,000 ordinary pages take well under a second and
// a few tens of MB.
var (
	pdfTimeout       = 2 * time.Minute
	pdfMemory  int64 = 1 << 30
)

// A PDF's time limit grows with its size from pdfTimeBase by pdfTimePerMB,
// up to pdfTimeout: a small file that keeps the reader busy is stuck in a
// loop, and should not hold a core for two minutes before it is stopped. A
// five-page export takes 10–20 ms, so the base leaves a wide margin on a
// loaded machine.
const (
	pdfTimeBase  = 15 * time.Second
	pdfTimePerMB = 2 * time.Second
)

// pdfTimeLimit is the time limit for reading a PDF of size bytes.
func pdfTimeLimit(size int64) time.Duration {
	return min(pdfTimeBase+time.Duration(size>>20)*pdfTimePerMB, pdfTimeout)
}

// childResult is what a child writes to its standard output.
type childResult struct {
	Doc Doc
	Err string
	// Limit holds the operator's reason when a limit stopped the child.
	Limit, LimitWhy string
}

// ServeChild makes this process a PDF reader and exits when it was
// started as one by [File]; otherwise it returns at once. Call it first in
// main, and in TestMain of tests that read PDF files.
func ServeChild() {
	if os.Getenv(childEnv) != "pdf" {
		return
	}
	limit, _ := strconv.ParseInt(os.Getenv(childMemEnv), 10, 64)
	if limit <= 0 {
		limit = pdfMemory
	}
	out := os.Stdout
	// The parent kills the child at the time limit; the child keeps the
	// limit too, so it also ends when the parent itself was killed first.
	if d, err := time.ParseDuration(os.Getenv(childTimeEnv)); err == nil && d > 0 {
		time.AfterFunc(d, func() { os.Exit(2) })
	}
	// Collect early rather than grow past the cap; the watchdog stops
	// what collecting cannot keep under it.
	debug.SetMemoryLimit(limit / 2)
	go watchMemory(limit, out)
	res := readPDFFile(os.Getenv(childPathEnv))
	gob.NewEncoder(out).Encode(res)
	os.Exit(childResultOK)
}

func readPDFFile(path string) childResult {
	f, err := os.Open(path)
	if err != nil {
		return childResult{Err: err.Error()}
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return childResult{Err: err.Error()}
	}
	doc, err := PDF(f, fi.Size())
	if err == nil {
		err = checkText(doc)
	}
	var le *LimitError
	switch {
	case errors.As(err, &le):
		return childResult{Limit: le.Reason, LimitWhy: err.Error()}
	case err != nil:
		return childResult{Err: err.Error()}
	}
	return childResult{Doc: doc}
}

// watchMemory ends the process, after reporting why, once the memory the
// Go runtime holds from the system exceeds limit.
func watchMemory(limit int64, out io.Writer) {
	sample := []metrics.Sample{{Name: "/memory/classes/total:bytes"}}
	for range time.Tick(10 * time.Millisecond) {
		metrics.Read(sample)
		if used := int64(sample[0].Value.Uint64()); used > limit {
			gob.NewEncoder(out).Encode(childResult{
				Limit:    fmt.Sprintf("读取 PDF 需要的内存超过 %d MB，已停止；文件可能有问题。", limit>>20),
				LimitWhy: fmt.Sprintf("read pdf: stopped at %d MB of memory (limit %d MB)", used>>20, limit>>20),
			})
			os.Exit(childResultOK)
		}
	}
}

// lastChildPID is the process id of the latest child, for tests that
// check it is gone.
var lastChildPID int

// pdfInChild reads the PDF at path, of size bytes, in a child process,
// killed when it exceeds its time limit or ctx ends.
func pdfInChild(ctx context.Context, path string, size int64) (Doc, error) {
	if os.Getenv(childEnv) != "" {
		// A child that did not serve (a binary without ServeChild) must not
		// start children of its own.
		return Doc{}, errors.New("read pdf: this program cannot read PDF files (ServeChild not called)")
	}
	exe, err := os.Executable()
	if err != nil {
		return Doc{}, fmt.Errorf("read pdf: find own executable: %w", err)
	}
	limit := pdfTimeLimit(size)
	ctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()
	cmd := exec.CommandContext(ctx, exe)
	cmd.Env = append(os.Environ(), childEnv+"=pdf", childPathEnv+"="+path, childMemEnv+"="+strconv.FormatInt(pdfMemory, 10), childTimeEnv+"="+limit.String())
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &limitedWriter{w: &stderr, n: 4 << 10}
	if err := cmd.Start(); err != nil {
		return Doc{}, fmt.Errorf("read pdf: start reader process: %w", err)
	}
	lastChildPID = cmd.Process.Pid
	err = cmd.Wait()
	if ctx.Err() != nil {
		return Doc{}, limitErr(fmt.Sprintf("read pdf: stopped after %v", limit),
			fmt.Sprintf("读取 PDF 超过 %v 仍未完成，已停止；文件可能有问题（例如对象引用成环）。", limit))
	}
	var res childResult
	if derr := gob.NewDecoder(&stdout).Decode(&res); derr != nil {
		return Doc{}, fmt.Errorf("read pdf: reader process failed: %v: %s", err, bytes.TrimSpace(stderr.Bytes()))
	}
	switch {
	case res.Limit != "":
		return Doc{}, limitErr(res.LimitWhy, res.Limit)
	case res.Err != "":
		return Doc{}, errors.New(res.Err)
	}
	return res.Doc, nil
}

// limitedWriter keeps the first n bytes written to it.
type limitedWriter struct {
	w io.Writer
	n int
}

func (l *limitedWriter) Write(p []byte) (int, error) {
	if l.n > 0 {
		k := min(l.n, len(p))
		l.w.Write(p[:k])
		l.n -= k
	}
	return len(p), nil
}
