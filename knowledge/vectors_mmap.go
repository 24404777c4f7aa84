//go:build unix

package knowledge

import (
	"encoding/binary"
	"os"
	"runtime"
	"syscall"
	"unsafe"
)

// mapVectors maps n vectors of dims float32s at offset of f, read-only,
// and reports false where that is not possible (a big-endian machine, an
// empty index, a failed mmap), so the caller reads them instead.
//
// Mapping makes a start at 30,000 chunks (117 MB of vectors) cost nothing
// for the vectors, and a query touches only the pages of the dimensions it
// uses. The mapping stays valid while the index lives, because the file is
// only ever replaced by renaming a new one over it, never rewritten in
// place; it is unmapped when the index is collected.
func mapVectors(f *os.File, offset int64, dims, n int) (*vectorIndex, bool) {
	size := 4 * dims * n
	if size == 0 || binary.NativeEndian.Uint16([]byte{1, 0}) != 1 {
		return nil, false
	}
	data, err := syscall.Mmap(int(f.Fd()), offset, size, syscall.PROT_READ, syscall.MAP_SHARED)
	if err != nil {
		return nil, false
	}
	vi := &vectorIndex{dims: dims, n: n, cols: unsafe.Slice((*float32)(unsafe.Pointer(&data[0])), dims*n)}
	runtime.AddCleanup(vi, func(b []byte) { syscall.Munmap(b) }, data)
	return vi, true
}
