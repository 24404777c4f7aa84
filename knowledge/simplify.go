package knowledge

import (
	"sync"

	"github.com/longbridgeapp/opencc"
)

// t2s is built on first use: its dictionaries load in a few milliseconds,
// which a process that never sees a question need not pay.
var t2s = sync.OnceValue(func() *opencc.OpenCC {
	c, err := opencc.New("t2s")
	if err != nil {
		return nil
	}
	return c
})

// Simplify converts traditional characters to simplified ones (會計繼續教育
// → 会计继续教育), so a question typed in traditional script, as some users
// from Hong Kong, Macao or Taiwan do, finds the simplified corpus. Simplified
// text comes back unchanged.
func Simplify(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			ascii = false
			break
		}
	}
	if ascii {
		return s
	}
	c := t2s()
	if c == nil {
		return s
	}
	out, err := c.Convert(s)
	if err != nil {
		return s
	}
	return out
}
