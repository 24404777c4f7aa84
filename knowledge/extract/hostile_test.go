package extract

import (
	"archive/zip"
	"bytes"
	"compress/zlib"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"syscall"
	"testing"
	"time"
)

// sharedStreamPDF builds a small PDF of pages pages that all draw one
// Flate-compressed content stream of about contentBytes of text-showing
// operators: the compression makes the file tiny, the sharing multiplies
// the work by the page count. op, if given, replaces the text-showing
// operators.
func sharedStreamPDF(pages, contentBytes int, op ...string) []byte {
	var content bytes.Buffer
	for i := 0; content.Len() < contentBytes; i++ {
		if len(op) > 0 {
			content.WriteString(op[0])
			continue
		}
		fmt.Fprintf(&content, "BT /F1 12 Tf %d %d Td (Hello world %d) Tj ET\n", 72+i%400, 40+i%700, i%97)
	}
	var z bytes.Buffer
	zw, _ := zlib.NewWriterLevel(&z, zlib.BestCompression)
	zw.Write(content.Bytes())
	zw.Close()
	kids := make([]string, pages)
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"", // pages, below
		fmt.Sprintf("<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream", z.Len(), z.Bytes()),
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
	}
	for i := range pages {
		kids[i] = fmt.Sprintf("%d 0 R", len(objs)+1)
		// Distinct page dictionaries (StructParents), one shared stream.
		objs = append(objs, fmt.Sprintf("<< /Type /Page /Parent 2 0 R /StructParents %d /MediaBox [0 0 595 842] /Contents 3 0 R /Resources << /Font << /F1 4 0 R >> >> >>", i))
	}
	objs[1] = fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count %d >>", strings.Join(kids, " "), pages)
	return assemblePDF(objs)
}

// bigTextDOCX builds a small DOCX whose document.xml holds paragraphs
// paragraphs of highly compressible text, about xmlBytes in all.
func bigTextDOCX(xmlBytes int) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, _ := zw.Create("word/document.xml")
	w.Write([]byte(`<w:document ` + docxNS + `><w:body>`))
	p := []byte(`<w:p><w:r><w:t>会计人员继续教育每年不少于90学分，其中专业科目不少于三分之二。</w:t></w:r></w:p>`)
	for n := 0; n < xmlBytes; n += len(p) {
		w.Write(p)
	}
	w.Write([]byte(`</w:body></w:document>`))
	zw.Close()
	return buf.Bytes()
}

func writeTemp(t *testing.T, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// limitReason returns the operator's reason of a *LimitError in err.
func limitReason(t *testing.T, err error) string {
	t.Helper()
	var le *LimitError
	if !errors.Is(err, ErrLimit) || !errors.As(err, &le) {
		t.Fatalf("err = %v, want a limit error", err)
	}
	return le.Reason
}

// TestPDFPagesSharingOneStreamAreRefused: the reported file, 20 pages
// drawing one 1 MB compressed stream, stops at the text cap on its second
// page; 40 pages of a stream without text stop at the content cap.
func TestPDFPagesSharingOneStreamAreRefused(t *testing.T) {
	// In this process (no reader child) and with the default limits.
	t.Parallel()
	for _, c := range []struct {
		data  []byte
		limit string
	}{
		{sharedStreamPDF(20, 1<<20), "万字"},
		{sharedStreamPDF(40, 1<<20, "0 0 m 10 10 l S\n"), "32 MB"},
	} {
		if len(c.data) > 256<<10 {
			t.Fatalf("the file is %d bytes; the point is a small one", len(c.data))
		}
		_, err := PDF(bytes.NewReader(c.data), int64(len(c.data)))
		if r := limitReason(t, err); !strings.Contains(r, c.limit) {
			t.Errorf("reason %q does not state the limit %s", r, c.limit)
		}
	}
}

// TestDOCXTextLimits: the reported 82 KB DOCX with 20 MB of XML is under
// the XML cap but far over the text cap; 40 MB of XML is over both.
func TestDOCXTextLimits(t *testing.T) {
	// With the default limits; the tests that change them run first.
	t.Parallel()
	for _, size := range []int{20 << 20, 40 << 20} {
		data := bigTextDOCX(size)
		if len(data) > 256<<10 {
			t.Fatalf("the archive is %d bytes; the point is a small one", len(data))
		}
		_, err := File(writeTemp(t, "big.docx", data))
		if r := limitReason(t, err); !strings.Contains(r, "MB") && !strings.Contains(r, "万字") {
			t.Errorf("%d MB of XML: reason %q does not state the limit", size>>20, r)
		}
	}
}

// TestTextLimitCountsCharacters: just under the cap passes, just over
// does not, whatever the format.
func TestTextLimitCountsCharacters(t *testing.T) {
	line := strings.Repeat("继续教育学分", 100) + "\n\n" // 600 characters
	under := strings.Repeat(line, MaxTextRunes/600-1)
	if _, err := File(writeTemp(t, "under.txt", []byte(under))); err != nil {
		t.Errorf("under the cap: %v", err)
	}
	over := strings.Repeat(line, MaxTextRunes/600+1)
	if _, err := File(writeTemp(t, "over.txt", []byte(over))); !errors.Is(err, ErrLimit) {
		t.Errorf("over the cap: %v", err)
	}
}

// TestPDFTimeLimitStopsTheReader: a PDF still being read at the time limit
// is stopped, its reader process killed rather than left running.
func TestPDFTimeLimitStopsTheReader(t *testing.T) {
	defer func(d time.Duration) { pdfTimeout = d }(pdfTimeout)
	pdfTimeout = 200 * time.Millisecond
	// Thirty 1 MB pages take seconds, then hit the content cap.
	p := writeTemp(t, "slow.pdf", sharedStreamPDF(30, 1<<20, "0 0 m 10 10 l S\n"))
	_, err := File(p)
	if r := limitReason(t, err); !strings.Contains(r, "已停止") {
		t.Errorf("reason %q", r)
	}
	if err := syscall.Kill(lastChildPID, 0); !errors.Is(err, syscall.ESRCH) {
		t.Errorf("reader process %d still exists after the time limit: %v", lastChildPID, err)
	}
}

// TestPDFMemoryLimitStopsTheReader: a reader that needs more memory than
// allowed stops itself and says so.
func TestPDFMemoryLimitStopsTheReader(t *testing.T) {
	defer func(n int64) { pdfMemory = n }(pdfMemory)
	// Less than any Go process holds: the reader's first look at its
	// memory stops it, long before these pages are read.
	pdfMemory = 1 << 20
	_, err := File(writeTemp(t, "big.pdf", sharedStreamPDF(20, 1<<20, "0 0 m 10 10 l S\n")))
	if r := limitReason(t, err); !strings.Contains(r, "内存") {
		t.Errorf("reason %q", r)
	}
}

// TestPDFFileMatchesInProcess: read through the child process, a PDF
// gives what the in-process reader gives.
func TestPDFFileMatchesInProcess(t *testing.T) {
	data := minimalPDF([]byte("BT /F1 12 Tf 72 700 Td (Hello from the reader process) Tj ET"), []byte(testCMap))
	want, err := PDF(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	got, err := File(writeTemp(t, "ok.pdf", data))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) || len(got.Blocks) == 0 {
		t.Errorf("child %+v, in process %+v", got, want)
	}
	if _, err := File(writeTemp(t, "broken.pdf", []byte("%PDF-1.4 not really"))); err == nil || errors.Is(err, ErrLimit) {
		t.Errorf("broken file: %v", err)
	}
}

// TestPDFReaderKeepsItsOwnTimeLimit: a reader whose parent is gone (killed
// before it could kill the reader) still ends at the time limit.
func TestPDFReaderKeepsItsOwnTimeLimit(t *testing.T) {
	exe, err := os.Executable()
	if err != nil {
		t.Skip(err)
	}
	cmd := exec.Command(exe)
	cmd.Env = append(os.Environ(), childEnv+"=pdf", childPathEnv+"="+writeTemp(t, "slow.pdf", sharedStreamPDF(30, 1<<20, "0 0 m 10 10 l S\n")),
		childTimeEnv+"=100ms")
	err = cmd.Run()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 2 {
		t.Errorf("reader without a parent's kill: %v, want exit status 2 at its own time limit", err)
	}
}

// TestPDFTimeLimitGrowsWithSize: a small file is stopped long before two
// minutes, a large one gets time in proportion, and none more than two.
func TestPDFTimeLimitGrowsWithSize(t *testing.T) {
	for _, c := range []struct {
		size int64
		want time.Duration
	}{
		{6_700, 15 * time.Second},
		{10 << 20, 35 * time.Second},
		{50 << 20, 115 * time.Second},
		{1 << 40, 2 * time.Minute},
	} {
		if got := pdfTimeLimit(c.size); got != c.want {
			t.Errorf("%d bytes: limit %v, want %v", c.size, got, c.want)
		}
	}
}
