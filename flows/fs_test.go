package flows_test

import (
	"io/fs"
	"os"
)

func policiesFS() fs.FS { return os.DirFS("../policies") }
