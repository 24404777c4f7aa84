package chatqueue

import (
	"sync"
	"time"
)

// local runs functions in order per chat, chats in parallel, within one
// process.
type local struct {
	mu    sync.Mutex
	chats map[int64][]func()
	wg    sync.WaitGroup
}

func newLocal() *local { return &local{chats: map[int64][]func(){}} }

func (q *local) push(chat int64, f func()) {
	q.mu.Lock()
	defer q.mu.Unlock()
	pending, running := q.chats[chat]
	q.chats[chat] = append(pending, f)
	if !running {
		q.wg.Add(1)
		go q.run(chat)
	}
}

func (q *local) run(chat int64) {
	defer q.wg.Done()
	for {
		q.mu.Lock()
		fs := q.chats[chat]
		if len(fs) == 0 {
			delete(q.chats, chat)
			q.mu.Unlock()
			return
		}
		f := fs[0]
		fs[0] = nil
		q.chats[chat] = fs[1:]
		q.mu.Unlock()
		f()
	}
}

// wait waits up to d for every queued function to finish.
func (q *local) wait(d time.Duration) bool {
	done := make(chan struct{})
	go func() { q.wg.Wait(); close(done) }()
	select {
	case <-done:
		return true
	case <-time.After(d):
		return false
	}
}
