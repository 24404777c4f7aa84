package telegram

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"path"
	"strings"

	tg "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"github.com/kuaiji/kuaiji"
	"github.com/kuaiji/kuaiji/uploadcheck"
)

// What users read about the upload check.
const (
	photoTooBigText = "抱歉，这个文件超过 10MB，无法检查，也没有下载。平台要求的证件照一般只有几十 KB，请先压缩或缩小尺寸后再发送。"
	photoFailText   = "抱歉，图片没能下载下来，请稍后再发送一次。"
	photoBusyText   = "抱歉，现在同时检查的图片较多，这张图片还没有检查。请过一两分钟再发送一次。"
)

// uploadRules gives the rules for a kind of file in a place;
// *uploadcheck.Policy implements it.
type uploadRules interface {
	Spec(kind uploadcheck.Kind, jurisdiction string) (uploadcheck.Spec, error)
}

// WithUploadCheck makes the bot check photos and image files against the
// upload rules (policies/uploads.yaml) instead of declining them. Checks
// share a [uploadcheck.Gate] of [uploadcheck.DefaultBudget] unless
// [WithUploadGate] gives another.
func WithUploadCheck(p *uploadcheck.Policy) Option {
	return func(a *Adapter) {
		if p != nil {
			a.uploads = p
			if a.photoGate == nil {
				a.photoGate = uploadcheck.NewGate(uploadcheck.DefaultBudget())
			}
		}
	}
}

// WithUploadGate sets the gate that bounds the memory of concurrent
// downloads and checks of images.
func WithUploadGate(g *uploadcheck.Gate) Option {
	return func(a *Adapter) {
		if g != nil {
			a.photoGate = g
		}
	}
}

// upload is an image a user sent, as the update describes it.
type upload struct {
	fileID     string
	size       int64
	compressed bool // sent as a photo: Telegram re-encoded and shrank it
}

// imageOf finds the image in a message: the largest size of a photo, or a
// document that is an image by MIME type or name. ok is false otherwise.
func imageOf(m *models.Message) (upload, bool) {
	if len(m.Photo) > 0 {
		best := m.Photo[0]
		for _, p := range m.Photo[1:] {
			if p.Width*p.Height > best.Width*best.Height {
				best = p
			}
		}
		return upload{fileID: best.FileID, size: int64(best.FileSize), compressed: true}, true
	}
	if d := m.Document; d != nil {
		ext := strings.ToLower(path.Ext(d.FileName))
		if strings.HasPrefix(d.MimeType, "image/") || ext == ".jpg" || ext == ".jpeg" || ext == ".png" {
			return upload{fileID: d.FileID, size: d.FileSize}, true
		}
	}
	return upload{}, false
}

// kindOf reads from the caption whether the image is a scan.
func kindOf(caption string) uploadcheck.Kind {
	for _, w := range []string{"证书", "扫描", "身份证", "证件", "学历", "学位", "毕业证"} {
		if strings.Contains(caption, w) {
			return uploadcheck.Scan
		}
	}
	return uploadcheck.Photo
}

// placeOf is the jurisdiction code the user gave in a flow or the
// profile, so local rules (or their history) are added to the national
// ones; "" when unknown or when the state cannot be read.
func (a *Adapter) placeOf(ctx context.Context, chat int64, m *models.Message) string {
	if a.describe == nil || m.From == nil {
		return ""
	}
	st, err := a.describe.Describe(ctx, chat, m.From.ID)
	if err != nil {
		a.log.Debug("upload check without the user's place", "chat_id", chat, "err", err)
		return ""
	}
	return st.Place
}

// checkUpload answers an image with the upload check, and reports whether
// it did. The image is downloaded into memory, checked and dropped: it is
// never written, logged, stored in Redis or relayed to staff.
func (a *Adapter) checkUpload(ctx context.Context, to target, m *models.Message) bool {
	if a.uploads == nil {
		return false
	}
	up, ok := imageOf(m)
	if !ok {
		return false
	}
	said := "[发送了一张图片，做上传前检查]"
	// The size in the update is checked before anything is downloaded.
	if up.size > uploadcheck.MaxFileBytes {
		a.sendText(ctx, to, photoTooBigText, nil)
		a.remember(ctx, to.chat, said, []kuaiji.Reply{{Text: photoTooBigText}})
		return true
	}
	// The file is held from download to the end of the check; a file of
	// unknown size counts as the largest one allowed.
	held := up.size
	if held <= 0 {
		held = uploadcheck.MaxFileBytes
	}
	release, ok := a.photoGate.Acquire(held)
	if !ok {
		a.log.Warn("image check refused: checks busy", "chat_id", to.chat)
		a.sendText(ctx, to, photoBusyText, nil)
		return true
	}
	defer release()
	a.typing(ctx, to)
	data, err := a.download(ctx, up.fileID)
	if err != nil {
		a.log.Warn("image download failed", "chat_id", to.chat, "err", a.redact(err))
		a.sendText(ctx, to, photoFailText, nil)
		return true
	}
	spec, err := a.uploads.Spec(kindOf(m.Caption), a.placeOf(ctx, to.chat, m))
	if err != nil {
		a.log.Error("upload rules", "err", err)
		a.sendText(ctx, to, busyText, nil)
		return true
	}
	r, err := a.photoGate.Check(uploadcheck.Input{Data: data, Compressed: up.compressed}, spec)
	data = nil
	if err != nil {
		a.log.Warn("image check refused", "chat_id", to.chat, "err", err)
		a.sendText(ctx, to, photoBusyText, nil)
		return true
	}
	text := r.Text() + "\n\n" + uploadcheck.PrivacyNote
	a.sendText(ctx, to, text, nil)
	a.remember(ctx, to.chat, said, []kuaiji.Reply{{Text: fmt.Sprintf("上传前检查：%d 项不符合要求", r.Failed())}})
	return true
}

// download fetches a file through getFile and the file URL into memory,
// refusing more than [uploadcheck.MaxFileBytes].
func (a *Adapter) download(ctx context.Context, fileID string) ([]byte, error) {
	var f *models.File
	err := a.out.do(ctx, "getFile", 0, func(ctx context.Context) error {
		var err error
		f, err = a.b.GetFile(ctx, &tg.GetFileParams{FileID: fileID})
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("getFile: %w", err)
	}
	if f.FileSize > uploadcheck.MaxFileBytes {
		return nil, fmt.Errorf("file of %d bytes is above the cap", f.FileSize)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, a.b.FileDownloadLink(f), nil)
	if err != nil {
		return nil, fmt.Errorf("file request: %w", err)
	}
	resp, err := a.httpClient.Do(req)
	if err != nil {
		// The URL holds the token and the file path: keep it out of logs.
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return nil, fmt.Errorf("file download: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("file download: status %d", resp.StatusCode)
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, uploadcheck.MaxFileBytes+1))
	if err != nil {
		return nil, fmt.Errorf("file download: %w", err)
	}
	if len(data) > uploadcheck.MaxFileBytes {
		return nil, fmt.Errorf("file download: more than %d bytes", uploadcheck.MaxFileBytes)
	}
	return data, nil
}
