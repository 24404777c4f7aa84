package flows

import (
	"fmt"
	"testing"
)

func TestTransitions(t *testing.T) {
	in := func(flow, step string) Session { return Session{Flow: flow, Step: step} }
	fin := func(s Session, flow, step string) Session {
		s.Last = &Finished{Flow: flow, Step: step, Answers: map[string]string{"x": "1"}}
		return s
	}
	tests := []struct {
		name          string
		before, after Session
		want          string
	}{
		{"nothing", Session{}, Session{}, "[]"},
		{"next step", in("check", "a"), in("check", "b"), "[]"},
		{"start", Session{}, in("check", "a"), "[{1 check a started}]"},
		{"complete", in("check", "b"), fin(Session{}, "check", "done"), "[{1 check done completed}]"},
		{"start and complete at once", Session{}, fin(Session{}, "materials", "list"),
			"[{1 materials  started} {1 materials list completed}]"},
		{"cancel", in("check", "b"), Session{}, "[{1 check b abandoned}]"},
		{"switch", in("check", "b"), in("transfer", "from"), "[{1 check b abandoned} {1 transfer from started}]"},
		{"old result kept", fin(in("check", "a"), "check", "done"), fin(in("check", "b"), "check", "done"), "[]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := fmt.Sprint(transitions(1, tt.before, tt.after)); got != tt.want {
				t.Errorf("got %s, want %s", got, tt.want)
			}
		})
	}
}
