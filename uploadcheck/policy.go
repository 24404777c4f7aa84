// Package uploadcheck checks a photo or a scanned certificate before it is
// uploaded to the 会计人员 platform: format by content, file size, pixel
// size, 一寸 ratio, background, sharpness, and for scans cut-off edges and
// rotation. The limits come from policies/uploads.yaml ([Load]); each has
// a status, and only a verified, current rule can fail a file. Unverified
// rules and our own are advice (建议); a place's historical rules are not
// checked at all but listed as dated history ([Spec.History]), since the
// national platform's rules replaced them.
//
// Images are checked in memory; the package never writes, logs or keeps
// them.
package uploadcheck

import (
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// Kind is what a file is meant to be.
type Kind string

// The kinds policies/uploads.yaml describes.
const (
	Photo Kind = "photo" // 证件照
	Scan  Kind = "scan"  // 证书、身份证等扫描件
)

// Status says how far a rule binds.
type Status string

// The statuses of a rule. Only [Verified] rules fail a file;
// [Unverified] and [Advice] rules warn; [Historical] rules are history,
// never checked.
const (
	Verified   Status = "verified"
	Historical Status = "historical"
	Unverified Status = "unverified"
	Advice     Status = "advice"
)

// Basis is where a rule comes from.
type Basis struct {
	Status Status `yaml:"status"`
	Year   int    `yaml:"year"`
	Source string `yaml:"source"`
}

// Official reports whether breaking the rule fails the file.
func (b Basis) Official() bool { return b.Status == Verified }

// basis lets generic code reach the Basis every rule embeds.
func (b *Basis) basis() *Basis { return b }

// rule is any rule of a [Spec]: each embeds a [Basis].
type rule interface{ basis() *Basis }

// IntRule is a numeric limit (bytes or pixels).
type IntRule struct {
	Basis `yaml:",inline"`
	Value int `yaml:"value"`
	// ShortSide applies a width minimum to the shorter side, for scans that
	// may be portrait or landscape.
	ShortSide bool `yaml:"short_side"`
}

// FormatRule lists the accepted formats ("jpeg", "png").
type FormatRule struct {
	Basis   `yaml:",inline"`
	Allowed []string `yaml:"allowed"`
}

// SharpnessRule is the least variance of the Laplacian a sharp image has.
// The platforms say only that blurred photos are refused, never by how
// much, so Min is our estimate and its Basis is advice: below it a file
// warns. Blurred, when set, is the much lower value below which a photo is
// clearly blurred; only there does the platform's own rule (with its
// Basis, usually verified) fail the file.
type SharpnessRule struct {
	Basis   `yaml:",inline"`
	Min     float64      `yaml:"min"`
	Blurred *BlurredRule `yaml:"blurred"`
}

// BlurredRule is the sharpness below which an image is clearly blurred.
type BlurredRule struct {
	Basis `yaml:",inline"`
	Below float64 `yaml:"below"`
}

// judge is the outcome of a measured sharpness and the basis it rests on:
// pass at or above Min, the platform's rule below Blurred.Below, and the
// advice of Min in between, so a borderline estimate of ours never fails.
func (r *SharpnessRule) judge(got float64) (Outcome, Basis) {
	switch {
	case got >= r.Min:
		return Pass, r.Basis
	case r.Blurred != nil && got < r.Blurred.Below:
		return outcome(false, r.Blurred.Basis), r.Blurred.Basis
	}
	return outcome(false, r.Basis), r.Basis
}

// AspectRule is a width:height ratio and how far (relative) it may be off.
type AspectRule struct {
	Basis     `yaml:",inline"`
	Width     float64 `yaml:"width"`
	Height    float64 `yaml:"height"`
	Tolerance float64 `yaml:"tolerance"`
}

// BackgroundRule lists the background colours (white, blue, red) and how
// uneven the background may be (standard deviation of its brightness).
type BackgroundRule struct {
	Basis     `yaml:",inline"`
	Colors    []string `yaml:"colors"`
	MaxSpread float64  `yaml:"max_spread"`
}

// EdgesRule is the largest share of dark pixels in a border strip before
// the content counts as touching the edge.
type EdgesRule struct {
	Basis    `yaml:",inline"`
	MaxTouch float64 `yaml:"max_touch"`
}

// OrientationRule warns about a rotation tag and, when MaxSkew is set,
// about a page tilted by more than MaxSkew degrees.
type OrientationRule struct {
	Basis   `yaml:",inline"`
	MaxSkew float64 `yaml:"max_skew"`
}

// Spec is the set of rules for one kind of file in one place. A nil rule
// is not checked.
type Spec struct {
	Title       string           `yaml:"title"`
	Format      *FormatRule      `yaml:"format"`
	MinBytes    *IntRule         `yaml:"min_bytes"`
	MaxBytes    *IntRule         `yaml:"max_bytes"`
	MinWidth    *IntRule         `yaml:"min_width"`
	MinHeight   *IntRule         `yaml:"min_height"`
	Sharpness   *SharpnessRule   `yaml:"sharpness"`
	Aspect      *AspectRule      `yaml:"aspect"`
	Background  *BackgroundRule  `yaml:"background"`
	Edges       *EdgesRule       `yaml:"edges"`
	Orientation *OrientationRule `yaml:"orientation"`

	// Kind and Jurisdiction say what the spec was built for.
	Kind         Kind   `yaml:"-"`
	Jurisdiction string `yaml:"-"`
	// History holds the place's historical rules, which are not checked:
	// collection moved to the national platform, whose rules replace
	// them, so a 2019 local limit is shown only as dated history
	// ([Report.Text]), never as advice that would contradict them.
	History []Basis `yaml:"-"`
}

// Policy is policies/uploads.yaml: national rules per kind, and local
// rules that replace or add to them.
type Policy struct {
	Kinds         map[Kind]*Spec            `yaml:"kinds"`
	Jurisdictions map[string]map[Kind]*Spec `yaml:"jurisdictions"`
}

// Load reads and validates the policy at path in fsys.
func Load(fsys fs.FS, path string) (*Policy, error) {
	b, err := fs.ReadFile(fsys, path)
	if err != nil {
		return nil, fmt.Errorf("load upload rules: %w", err)
	}
	return Parse(b)
}

// Parse reads and validates a policy.
func Parse(b []byte) (*Policy, error) {
	var p Policy
	dec := yaml.NewDecoder(strings.NewReader(string(b)))
	dec.KnownFields(true)
	if err := dec.Decode(&p); err != nil {
		return nil, fmt.Errorf("parse upload rules: %w", err)
	}
	if p.Kinds[Photo] == nil || p.Kinds[Scan] == nil {
		return nil, fmt.Errorf("parse upload rules: kinds photo and scan are required")
	}
	for k, s := range p.Kinds {
		if err := s.validate(); err != nil {
			return nil, fmt.Errorf("parse upload rules: %s: %w", k, err)
		}
		for _, b := range s.bases() {
			if b.Status == Historical {
				// A national rule is either current or not a rule.
				return nil, fmt.Errorf("parse upload rules: %s: a national rule cannot be historical (%s)", k, b.Source)
			}
		}
	}
	for j, kinds := range p.Jurisdictions {
		for k, s := range kinds {
			if p.Kinds[k] == nil {
				return nil, fmt.Errorf("parse upload rules: %s: unknown kind %q", j, k)
			}
			if err := s.validate(); err != nil {
				return nil, fmt.Errorf("parse upload rules: %s %s: %w", j, k, err)
			}
		}
	}
	return &p, nil
}

// validate checks that every rule says where it comes from and that its
// numbers make sense.
func (s *Spec) validate() error {
	var errs []string
	basis := func(name string, b *Basis) {
		switch b.Status {
		case Verified, Historical, Unverified, Advice:
		default:
			errs = append(errs, fmt.Sprintf("%s: status %q", name, b.Status))
		}
		if b.Source == "" {
			errs = append(errs, name+": no source")
		}
		if b.Status == Historical && (b.Year == 0 || !strings.Contains(b.Source, strconv.Itoa(b.Year))) {
			// The source is what users read as history: it must carry its year.
			errs = append(errs, name+": a historical rule needs its year, also in its source")
		}
	}
	if r := s.Format; r != nil {
		basis("format", &r.Basis)
		for _, f := range r.Allowed {
			if formatNames[f] == "" {
				errs = append(errs, "format: unknown "+f)
			}
		}
	}
	for name, r := range map[string]*IntRule{"min_bytes": s.MinBytes, "max_bytes": s.MaxBytes, "min_width": s.MinWidth, "min_height": s.MinHeight} {
		if r != nil {
			basis(name, &r.Basis)
			if r.Value <= 0 {
				errs = append(errs, name+": value must be positive")
			}
		}
	}
	if r := s.Sharpness; r != nil {
		basis("sharpness", &r.Basis)
		if r.Basis.Official() {
			// The number is ours even when the requirement is not.
			errs = append(errs, "sharpness: min is our estimate, so its status cannot be verified (put the platform's rule under blurred)")
		}
		if b := r.Blurred; b != nil {
			basis("sharpness.blurred", &b.Basis)
			if b.Below <= 0 || b.Below >= r.Min {
				errs = append(errs, "sharpness.blurred: below must be positive and less than min")
			}
		}
	}
	if r := s.Aspect; r != nil {
		basis("aspect", &r.Basis)
		if r.Width <= 0 || r.Height <= 0 || r.Tolerance <= 0 {
			errs = append(errs, "aspect: width, height and tolerance must be positive")
		}
	}
	if r := s.Background; r != nil {
		basis("background", &r.Basis)
		for _, c := range r.Colors {
			if colorNames[c] == "" {
				errs = append(errs, "background: unknown colour "+c)
			}
		}
		if r.MaxSpread <= 0 {
			errs = append(errs, "background: max_spread must be positive")
		}
	}
	if r := s.Edges; r != nil {
		basis("edges", &r.Basis)
		if r.MaxTouch <= 0 || r.MaxTouch >= 1 {
			errs = append(errs, "edges: max_touch must be between 0 and 1")
		}
	}
	if r := s.Orientation; r != nil {
		basis("orientation", &r.Basis)
		if r.MaxSkew < 0 || r.MaxSkew >= 45 {
			errs = append(errs, "orientation: max_skew must be between 0 and 45 degrees")
		}
	}
	if len(errs) > 0 {
		sort.Strings(errs)
		return fmt.Errorf("%s", strings.Join(errs, "; "))
	}
	return nil
}

// Spec returns the rules for kind in jurisdiction (a code such as
// "hainan"; "" for national rules only). Local rules replace the national
// rule of the same name, except historical ones, which go to
// [Spec.History] and leave the national rule in force. Unknown
// jurisdictions get the national rules.
func (p *Policy) Spec(kind Kind, jurisdiction string) (Spec, error) {
	base := p.Kinds[kind]
	if base == nil {
		return Spec{}, fmt.Errorf("upload rules: unknown kind %q", kind)
	}
	s := *base
	s.Kind, s.Jurisdiction = kind, jurisdiction
	l := p.Jurisdictions[jurisdiction][kind]
	if l == nil {
		return s, nil
	}
	override(&s, &s.Format, l.Format)
	override(&s, &s.MinBytes, l.MinBytes)
	override(&s, &s.MaxBytes, l.MaxBytes)
	override(&s, &s.MinWidth, l.MinWidth)
	override(&s, &s.MinHeight, l.MinHeight)
	override(&s, &s.Sharpness, l.Sharpness)
	override(&s, &s.Aspect, l.Aspect)
	override(&s, &s.Background, l.Background)
	override(&s, &s.Edges, l.Edges)
	override(&s, &s.Orientation, l.Orientation)
	return s, nil
}

// override replaces a national rule with the local one where there is
// one, or records the local one as history when it is historical.
func override[T any, P interface {
	*T
	rule
}](s *Spec, dst **T, local *T) {
	if local == nil {
		return
	}
	if b := P(local).basis(); b.Status == Historical {
		s.History = append(s.History, *b)
		return
	}
	*dst = local
}

// bases lists the basis of every rule s has.
func (s *Spec) bases() []*Basis {
	var out []*Basis
	add := func(r rule, ok bool) {
		if ok {
			out = append(out, r.basis())
		}
	}
	add(s.Format, s.Format != nil)
	add(s.MinBytes, s.MinBytes != nil)
	add(s.MaxBytes, s.MaxBytes != nil)
	add(s.MinWidth, s.MinWidth != nil)
	add(s.MinHeight, s.MinHeight != nil)
	add(s.Sharpness, s.Sharpness != nil)
	if s.Sharpness != nil && s.Sharpness.Blurred != nil {
		add(s.Sharpness.Blurred, true)
	}
	add(s.Aspect, s.Aspect != nil)
	add(s.Background, s.Background != nil)
	add(s.Edges, s.Edges != nil)
	add(s.Orientation, s.Orientation != nil)
	return out
}

// Local lists the jurisdictions with rules of their own, sorted.
func (p *Policy) Local() []string {
	var out []string
	for j := range p.Jurisdictions {
		out = append(out, j)
	}
	sort.Strings(out)
	return out
}
