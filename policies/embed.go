// Package policies holds kuaiji's built-in corpus: national rules, guides,
// one guideline per jurisdiction, the FAQ, the jurisdiction table and the
// guided flows, all embedded in the binary.
package policies

import "embed"

// FS is the built-in corpus, laid out as this directory.
//
//go:embed docs faq flows jurisdictions.yaml uploads.yaml
var FS embed.FS
