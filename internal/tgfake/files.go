package tgfake

import (
	"net/http"
	"strconv"
	"strings"
	"sync"
)

// File is the Bot API's File object, answered by getFile.
type File struct {
	FileID       string `json:"file_id"`
	FileUniqueID string `json:"file_unique_id"`
	FileSize     int    `json:"file_size,omitempty"`
	FilePath     string `json:"file_path,omitempty"`
}

// fileStore holds the files users sent, by file_id, and counts downloads.
type fileStore struct {
	mu        sync.Mutex
	byID      map[string]storedFile
	next      int
	downloads int
	gets      int
}

type storedFile struct {
	path string
	data []byte
}

// AddFile registers data as a file users sent and returns its file_id.
// The bot gets it with getFile and downloads it from
// /file/bot<token>/<file_path>, as from the real Bot API.
func (s *Server) AddFile(name string, data []byte) string {
	f := &s.files
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.byID == nil {
		f.byID = map[string]storedFile{}
	}
	f.next++
	id := "file" + strconv.Itoa(f.next)
	dir := "documents"
	if name == "" {
		dir, name = "photos", "file_"+strconv.Itoa(f.next)+".jpg"
	}
	f.byID[id] = storedFile{path: dir + "/" + id + "_" + name, data: data}
	return id
}

// Downloads is how many file downloads the bot made, and how many getFile
// calls.
func (s *Server) Downloads() (downloads, getFiles int) {
	f := &s.files
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.downloads, f.gets
}

// SendPhoto queues a photo message from user, as Telegram delivers a
// compressed photo: a thumbnail and the full size (w×h, data), each with
// its file_size. size overrides the reported size of the full photo when
// non-zero (to test the size cap without sending the bytes).
func (s *Server) SendPhoto(user User, data []byte, w, h, size int, caption string) Message {
	thumb := s.AddFile("", data[:min(len(data), 64)])
	full := s.AddFile("", data)
	if size == 0 {
		size = len(data)
	}
	m, _ := s.Send(Message{From: &user, Chat: Private(user), Caption: caption, Photo: []PhotoSize{
		{FileID: thumb, FileUniqueID: "u" + thumb, Width: 90, Height: 90 * h / max(1, w), FileSize: min(len(data), 64)},
		{FileID: full, FileUniqueID: "u" + full, Width: w, Height: h, FileSize: size},
	}})
	return m
}

// SendDocument queues a message with a file from user, with its name and
// MIME type; size overrides the reported file_size when non-zero.
func (s *Server) SendDocument(user User, data []byte, name, mime string, size int, caption string) Message {
	id := s.AddFile(name, data)
	if size == 0 {
		size = len(data)
	}
	m, _ := s.Send(Message{From: &user, Chat: Private(user), Caption: caption,
		Document: &Document{FileID: id, FileUniqueID: "u" + id, FileName: name, MimeType: mime, FileSize: size}})
	return m
}

// getFile answers getFile for a registered file.
func (s *Server) getFile(p map[string]string) (any, error) {
	f := &s.files
	f.mu.Lock()
	defer f.mu.Unlock()
	f.gets++
	sf, ok := f.byID[p["file_id"]]
	if !ok {
		return nil, badRequest("invalid file_id")
	}
	return File{FileID: p["file_id"], FileUniqueID: "u" + p["file_id"], FileSize: len(sf.data), FilePath: sf.path}, nil
}

// serveFile serves GET /file/bot<token>/<file_path>.
func (s *Server) serveFile(w http.ResponseWriter, r *http.Request) {
	rest := strings.TrimPrefix(r.URL.Path, "/file/bot")
	token, path, ok := strings.Cut(rest, "/")
	if !ok || token != s.token {
		http.Error(w, "Unauthorized", http.StatusUnauthorized)
		return
	}
	f := &s.files
	f.mu.Lock()
	var data []byte
	found := false
	for _, sf := range f.byID {
		if sf.path == path {
			data, found = sf.data, true
			break
		}
	}
	if found {
		f.downloads++
	}
	f.mu.Unlock()
	if !found {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(data)))
	w.Write(data)
}
