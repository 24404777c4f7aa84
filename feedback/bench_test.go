package feedback_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/kuaiji/kuaiji/feedback"
	"github.com/kuaiji/kuaiji/internal/redistest"
)

// BenchmarkOffer is what every rateable answer adds to its turn: one
// script on Redis.
func BenchmarkOffer(b *testing.B) {
	ctx := context.Background()
	s := feedback.New(redistest.Client(b), feedback.WithPrefix(fmt.Sprintf("fbb:%d:", rand.Int64())))
	a := feedback.Answer{Question: "广东继续教育每年需要多少学分？", Sources: []string{"cpe-rules", "jur-guangdong"}, Confidence: 0.8}
	for b.Loop() {
		if _, err := s.Offer(ctx, 1, a); err != nil {
			b.Fatal(err)
		}
	}
}
