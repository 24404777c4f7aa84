//go:build !unix

package knowledge

import "os"

// mapVectors is not available here: the vectors are read instead.
func mapVectors(*os.File, int64, int, int) (*vectorIndex, bool) { return nil, false }
