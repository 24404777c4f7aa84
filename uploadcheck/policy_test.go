package uploadcheck

import (
	"strings"
	"testing"
)

func TestPolicyLoads(t *testing.T) {
	p := policy(t)
	s := spec(t, Photo, "")
	if s.MinBytes == nil || s.MinBytes.Value != 10240 || !s.MinBytes.Official() {
		t.Errorf("national photo minimum size: %+v", s.MinBytes)
	}
	if s.MinWidth.Value != 295 || s.MinHeight.Value != 413 {
		t.Errorf("national photo pixels: %d×%d", s.MinWidth.Value, s.MinHeight.Value)
	}
	if s.Background.Official() || s.Aspect.Official() {
		t.Error("background and ratio have no verified rule: they must be advice")
	}
	// Local limits found in old notices never bind.
	for _, j := range p.Local() {
		for k, l := range p.Jurisdictions[j] {
			for _, b := range []*Basis{basisOf(l.MaxBytes), basisOf(l.MinBytes)} {
				if b != nil && b.Official() {
					t.Errorf("%s %s: a local rule is marked verified; the national platform took over", j, k)
				}
			}
		}
	}
	// A historical local rule leaves the national rule in force and is
	// kept as history.
	for _, j := range p.Local() {
		for k, l := range p.Jurisdictions[j] {
			s := spec(t, k, j)
			if l.MaxBytes != nil && l.MaxBytes.Status == Historical {
				if s.MaxBytes != p.Kinds[k].MaxBytes || len(s.History) == 0 {
					t.Errorf("%s %s: historical max_bytes applied as a rule: %+v", j, k, s.MaxBytes)
				}
			}
		}
	}
	if _, err := p.Spec("selfie", ""); err == nil {
		t.Error("unknown kind accepted")
	}
}

func basisOf(r *IntRule) *Basis {
	if r == nil {
		return nil
	}
	return &r.Basis
}

func TestPolicyRejectsBadData(t *testing.T) {
	base := "kinds:\n  photo:\n    title: x\n  scan:\n    title: y\n"
	for name, extra := range map[string]string{
		"no source":      "    min_bytes: {value: 10, status: verified}\n",
		"bad status":     "    min_bytes: {value: 10, status: maybe, source: s}\n",
		"historical":     "    min_bytes: {value: 10, status: historical, source: s}\n",
		"unknown field":  "    max_pixels: {value: 10, status: advice, source: s}\n",
		"unknown format": "    format: {allowed: [jpeg2000], status: advice, source: s}\n",
		"zero value":     "    min_width: {value: 0, status: advice, source: s}\n",
		// Our own blur number cannot be an official limit.
		"verified blur number": "    sharpness: {min: 30, status: verified, year: 2025, source: s}\n",
		"blurred above min":    "    sharpness: {min: 30, status: advice, source: s, blurred: {below: 40, status: verified, source: s}}\n",
		// A national rule is current or no rule at all.
		"historical national rule": "    min_bytes: {value: 10, status: historical, year: 2019, source: 2019 年口径}\n",
		// History is read as written: its source must carry the year.
		"history without its year": "jurisdictions:\n  x:\n    photo:\n      max_bytes: {value: 10, status: historical, year: 2019, source: 原平台要求}\n",
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := Parse([]byte(base + extra)); err == nil {
				t.Error("accepted")
			}
		})
	}
	if _, err := Parse([]byte(base)); err != nil {
		t.Errorf("minimal policy: %v", err)
	}
	if _, err := Parse([]byte(strings.Replace(base, "photo", "portrait", 1))); err == nil {
		t.Error("policy without photo rules accepted")
	}
}

// TestSharpnessFailsOnlyWhenClearlyBlurred: the platform refuses blurred
// photos but publishes no number, so a value near our estimate's threshold
// warns and only a value far below it (clearly blurred) fails.
func TestSharpnessFailsOnlyWhenClearlyBlurred(t *testing.T) {
	r := spec(t, Photo, "").Sharpness
	if r == nil || r.Blurred == nil {
		t.Fatal("the national photo rules need a sharpness rule with a clearly-blurred limit")
	}
	if r.Official() {
		t.Error("the sharpness threshold is our estimate: it must not be marked verified")
	}
	if !r.Blurred.Official() {
		t.Error("clearly blurred photos break the platform's verified rule")
	}
	if r.Blurred.Below*3 > r.Min {
		t.Errorf("clearly blurred (< %g) is not far enough below the warning threshold %g", r.Blurred.Below, r.Min)
	}
	for _, c := range []struct {
		got  float64
		want Outcome
	}{
		{r.Min * 2, Pass},
		{r.Min, Pass},
		{r.Min - 1, Warn},
		{r.Blurred.Below, Warn},
		{r.Blurred.Below - 1, Fail},
		{0, Fail},
	} {
		if o, _ := r.judge(c.got); o != c.want {
			t.Errorf("sharpness %g: %v, want %v", c.got, o, c.want)
		}
	}
	if o, _ := spec(t, Scan, "").Sharpness.judge(0); o != Warn {
		t.Errorf("a blurred scan is advice (no verified rule for scans), got %v", o)
	}
}
