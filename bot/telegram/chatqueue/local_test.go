package chatqueue

import (
	"slices"
	"testing"
	"time"
)

func TestLocalKeepsEachChatsOrder(t *testing.T) {
	t.Parallel()
	const chats, jobs = 8, 50
	q, j := newLocal(), newJournal()
	// Pushed from one goroutine, the chats interleaved: the order of each
	// chat's pushes is the order its jobs must run in.
	for id := range int64(jobs) {
		for chat := range int64(chats) {
			q.push(chat, func() { j.run("local", chat, id+1, nil) })
		}
	}
	if !q.wait(guard) {
		t.Fatal("jobs still running")
	}
	for chat := range int64(chats) {
		if got := j.ids(chat); !slices.Equal(got, seq(jobs)) {
			t.Errorf("chat %d ran %v", chat, got)
		}
	}
	j.checkNoOverlap(t)
	q.mu.Lock()
	defer q.mu.Unlock()
	if len(q.chats) != 0 {
		t.Errorf("%d chats still have a goroutine after their jobs ended", len(q.chats))
	}
}

func TestLocalRunsChatsInParallel(t *testing.T) {
	t.Parallel()
	q := newLocal()
	// Each of the two jobs waits for the other to start: they finish only
	// if they run at the same time.
	one, two := make(chan struct{}), make(chan struct{})
	done := make(chan struct{}, 2)
	q.push(1, func() { close(one); await(t, two, "chat 2's job"); done <- struct{}{} })
	q.push(2, func() { close(two); await(t, one, "chat 1's job"); done <- struct{}{} })
	recv(t, done, "the first job")
	recv(t, done, "the second job")

	// A chat whose job does not end holds up only itself.
	release := make(chan struct{})
	q.push(1, func() { <-release })
	j := newJournal()
	for id := range int64(10) {
		q.push(2, func() { j.run("local", 2, id+1, nil) })
	}
	j.waitFor(t, 10)
	close(release)
	if !q.wait(guard) {
		t.Fatal("jobs still running")
	}
	if got := j.ids(2); !slices.Equal(got, seq(10)) {
		t.Errorf("chat 2 ran %v while chat 1 was busy", got)
	}
}

func TestLocalRunsJobsPushedByAJob(t *testing.T) {
	t.Parallel()
	q, j := newLocal(), newJournal()
	q.push(1, func() {
		j.run("local", 1, 1, nil)
		// As Sweep and Accept do: a push while the chat's goroutine
		// runs, from inside a job of that chat and of another.
		q.push(1, func() { j.run("local", 1, 3, nil) })
		q.push(2, func() { j.run("local", 2, 1, nil) })
		j.run("local", 1, 2, nil)
	})
	if !q.wait(guard) {
		t.Fatal("jobs still running")
	}
	if got := j.ids(1); !slices.Equal(got, seq(3)) {
		t.Errorf("chat 1 ran %v, want the pushed job after the one that pushed it", got)
	}
	if got := j.ids(2); !slices.Equal(got, seq(1)) {
		t.Errorf("chat 2 ran %v", got)
	}
}

func TestLocalWaitWaitsForEveryJob(t *testing.T) {
	t.Parallel()
	q, j := newLocal(), newJournal()
	release := make(chan struct{})
	q.push(1, func() { j.run("local", 1, 1, func() { <-release }) })
	q.push(1, func() { j.run("local", 1, 2, nil) })
	q.push(2, func() { j.run("local", 2, 1, nil) })
	j.waitFor(t, 2) // chat 1's first job and chat 2's
	// The first job cannot end before release: wait must give up.
	if q.wait(time.Millisecond) {
		t.Fatal("wait returned true while a job was blocked")
	}
	close(release)
	if !q.wait(guard) {
		t.Fatal("jobs still running")
	}
	if got := j.ids(1); !slices.Equal(got, seq(2)) {
		t.Errorf("after wait chat 1 had run %v", got)
	}
}
