package main

import (
	"context"
	"os"
	"testing"
)

// TestQuestionSets runs the question sets the way `kuaiji eval` does and
// holds answer quality to the bar the product promises.
func TestQuestionSets(t *testing.T) {
	t.Parallel()
	// lead: share of hits with the key fact in the first 120 characters;
	// hedged: most hits that may still say "not sure"; sources: share of
	// answerable questions whose key fact is in the first three passages a
	// generator is given. Set at the level reached, with a small margin.
	sets := []struct {
		file                  string
		minHit, minOOS, cited float64
		lead, hedged, sources float64
	}{
		{"testdata/dev.jsonl", 0.95, 1, 1, 0.9, 0.05, 0.97},
		{"../../knowledge/testdata/heldout.jsonl", 0.85, 1, 1, 0.9, 0.05, 0.95},
		{"../../knowledge/testdata/heldout2.jsonl", 0.85, 1, 1, 0.9, 0.05, 0.95},
		{"../../knowledge/testdata/heldout3.jsonl", 0.85, 1, 1, 0.85, 0.05, 0.95},
		{"../../knowledge/testdata/heldout4.jsonl", 0.85, 1, 1, 0.9, 0.1, 0.95},
		{"../../knowledge/testdata/heldout5.jsonl", 0.85, 1, 1, 0.9, 0.08, 0.95},
		{"../../knowledge/testdata/followups.jsonl", 0.85, 1, 1, 0.9, 0.05, 0.95},
		// Written from the facts only for the answers' rework: A guided
		// it, B was held back and judged answer by answer (docs/quality.md).
		{"../../knowledge/testdata/answers-a.jsonl", 0.9, 1, 1, 0.9, 0.05, 0.93},
		{"../../knowledge/testdata/answers-b.jsonl", 0.8, 1, 0.95, 0.9, 0.05, 0.87},
		// Written from the facts only for the next round: F was judged and
		// guided it, E was held back until the end and judged once.
		{"../../knowledge/testdata/answers-f.jsonl", 0.9, 1, 1, 0.9, 0.05, 0.95},
		{"../../knowledge/testdata/answers-e.jsonl", 0.9, 0.95, 1, 0.9, 0.05, 0.95},
		// Written from the facts only for the round after: G was judged and
		// guided it, H was held back until the end and judged once.
		{"../../knowledge/testdata/answers-g.jsonl", 0.9, 1, 1, 0.9, 0.05, 0.95},
		{"../../knowledge/testdata/answers-h.jsonl", 0.95, 1, 1, 0.9, 0.05, 0.95},
		// Written last, judged on the build before and after the round; its
		// judgement guided the last fixes.
		{"../../knowledge/testdata/answers-i.jsonl", 0.93, 1, 1, 0.9, 0.05, 0.95},
		// Written after it, held back and judged once, at the end.
		{"../../knowledge/testdata/answers-j.jsonl", 0.93, 1, 1, 0.9, 0.05, 0.95},
		// Written from the facts only for the round after: K and M were
		// judged and guided it, L was held back and judged on the builds
		// before and after.
		{"../../knowledge/testdata/answers-k.jsonl", 0.9, 1, 1, 0.9, 0.05, 0.95},
		{"../../knowledge/testdata/answers-m.jsonl", 0.9, 1, 1, 0.9, 0.05, 0.95},
		{"../../knowledge/testdata/answers-l.jsonl", 0.9, 1, 1, 0.9, 0.05, 0.9},
		// Written from the facts only by four more writers and judged
		// answer by answer (docs/quality.md): the thresholds keep what the
		// answers reached, out of scope declined in full among it.
		{"../../knowledge/testdata/answers-n.jsonl", 0.95, 1, 1, 0.95, 0.05, 0.95},
		{"../../knowledge/testdata/answers-o.jsonl", 0.92, 1, 1, 0.9, 0.05, 0.95},
		{"../../knowledge/testdata/answers-p.jsonl", 0.93, 1, 1, 0.95, 0.05, 0.95},
		{"../../knowledge/testdata/answers-q.jsonl", 0.93, 1, 1, 0.9, 0.05, 0.95},
	}
	cfg := testConfig(t)
	ix, err := openIndex(context.Background(), cfg, cliLogger(cfg))
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range sets {
		t.Run(s.file, func(t *testing.T) {
			t.Parallel()
			if _, err := os.Stat(s.file); err != nil {
				t.Skipf("question set absent: %v", err)
			}
			cases, err := readEvalCases(s.file)
			if err != nil {
				t.Fatal(err)
			}
			rep, err := evaluate(context.Background(), ix, cases)
			if err != nil {
				t.Fatal(err)
			}
			if rep.leadRate() < s.lead || rep.hedgedHitRate() > s.hedged || rep.sourcesTop3Rate() < s.sources {
				t.Errorf("lead %.3f (want ≥ %.2f), hedged hits %.3f (want ≤ %.2f), key fact in the first three sources %.3f (want ≥ %.2f)",
					rep.leadRate(), s.lead, rep.hedgedHitRate(), s.hedged, rep.sourcesTop3Rate(), s.sources)
			}
			if rep.hitRate() < s.minHit || rep.oosRate() < s.minOOS || rep.citedRate() < s.cited {
				for _, f := range rep.Failures {
					t.Logf("miss %s %q\n  want one of %q\n  got %q", f.Case.ID, f.Case.Q, f.Case.ExpectAny, f.Answer)
				}
				t.Errorf("hit %.3f (want ≥ %.2f), out-of-scope declined %.3f (want ≥ %.2f), cited %.3f (want ≥ %.2f)",
					rep.hitRate(), s.minHit, rep.oosRate(), s.minOOS, rep.citedRate(), s.cited)
			}
		})
	}
}

func testConfig(t testing.TB) config {
	t.Helper()
	cfg, err := loadConfig(func(k string) string {
		if k == "KUAIJI_DATA_DIR" {
			return dataDir(t)
		}
		return ""
	})
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}
