//go:build !unix

package knowledge

import "time"

// processCPU is not measured here.
func processCPU() time.Duration { return 0 }
