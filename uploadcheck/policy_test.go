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
