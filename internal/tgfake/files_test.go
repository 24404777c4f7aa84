package tgfake

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"testing"
)

func TestGetFileAndDownload(t *testing.T) {
	s := New("42:tok")
	defer s.Close()
	want := []byte("\xFF\xD8\xFFjpeg bytes")
	m := s.SendDocument(User{ID: 5, FirstName: "a"}, want, "photo.jpg", "image/jpeg", 0, "")
	if m.Document.FileSize != len(want) || m.Document.MimeType != "image/jpeg" {
		t.Fatalf("document %+v", m.Document)
	}
	resp, err := http.PostForm(s.URL()+"/bot42:tok/getFile", url.Values{"file_id": {m.Document.FileID}})
	if err != nil {
		t.Fatal(err)
	}
	var env struct {
		OK     bool `json:"ok"`
		Result File `json:"result"`
	}
	json.NewDecoder(resp.Body).Decode(&env)
	resp.Body.Close()
	if !env.OK || env.Result.FilePath == "" {
		t.Fatalf("getFile: %+v", env)
	}
	for _, c := range []struct {
		token string
		code  int
	}{{"42:tok", 200}, {"wrong", 401}} {
		resp, err := http.Get(s.URL() + "/file/bot" + c.token + "/" + env.Result.FilePath)
		if err != nil {
			t.Fatal(err)
		}
		got, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != c.code || c.code == 200 && !bytes.Equal(got, want) {
			t.Errorf("%s: %d %q", c.token, resp.StatusCode, got)
		}
	}
	if d, g := s.Downloads(); d != 1 || g != 1 {
		t.Errorf("downloads %d, getFile %d", d, g)
	}
	resp, _ = http.PostForm(s.URL()+"/bot42:tok/getFile", url.Values{"file_id": {"nope"}})
	if resp.StatusCode != 400 {
		t.Errorf("unknown file: %d", resp.StatusCode)
	}
	resp.Body.Close()
	p := s.SendPhoto(User{ID: 5, FirstName: "a"}, want, 800, 1000, 0, "")
	if len(p.Photo) != 2 || p.Photo[1].Width != 800 || p.Photo[1].FileSize != len(want) {
		t.Errorf("photo sizes %+v", p.Photo)
	}
}
