package telegram_test

import (
	"strings"
	"testing"

	"github.com/kuaiji/kuaiji/bot/telegram"
	"github.com/kuaiji/kuaiji/internal/testimage"
	"github.com/kuaiji/kuaiji/policies"
	"github.com/kuaiji/kuaiji/uploadcheck"
)

func withUploads(t *testing.T) telegram.Option {
	t.Helper()
	p, err := uploadcheck.Load(policies.FS, "uploads.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return telegram.WithUploadCheck(p)
}

// TestPhotoCheckDocument: an original sent as a file is downloaded through
// getFile and the file URL, checked, and answered rule by rule.
func TestPhotoCheckDocument(t *testing.T) {
	h := newHarness(t, withUploads(t))
	u := h.user(7001, "小林")
	h.api.SendDocument(u.u, testimage.JPEG(t, testimage.Portrait(295, 413), 90), "证件照.jpg", "image/jpeg", 0, "")
	m := u.wait("证件照检查结果")
	for _, want := range []string{"✅ 格式：JPG", "✅ 像素宽度：295 像素", "✅ 像素高度：413 像素", "可以上传", uploadcheck.PrivacyNote} {
		if !strings.Contains(m.Text, want) {
			t.Errorf("reply lacks %q:\n%s", want, m.Text)
		}
	}
	// A PNG renamed .jpg: Telegram reports image/jpeg from the name.
	h.api.SendDocument(u.u, testimage.PNG(t, testimage.Portrait(295, 413)), "照片.jpg", "image/jpeg", 0, "")
	m = u.wait("证件照检查结果")
	for _, want := range []string{"❌ 格式：PNG（要求：JPG）", "只改扩展名不算", "有 1 项不符合要求"} {
		if !strings.Contains(m.Text, want) {
			t.Errorf("reply lacks %q:\n%s", want, m.Text)
		}
	}
	// A certificate scan, named in the caption.
	h.api.SendDocument(u.u, testimage.JPEG(t, testimage.Portrait(600, 800), 80), "毕业证.jpg", "image/jpeg", 0, "毕业证书扫描件")
	m = u.wait("扫描件检查结果")
	if !strings.Contains(m.Text, "短边") {
		t.Errorf("scan reply:\n%s", m.Text)
	}
	if d, g := h.api.Downloads(); d != 3 || g != 3 {
		t.Errorf("downloads %d, getFile %d; want 3 each", d, g)
	}
	if strings.Contains(h.logs.String(), "documents/") || strings.Contains(h.logs.String(), token) {
		t.Errorf("file path or token logged:\n%s", h.logs.String())
	}
}

// TestPhotoCheckCompressed: a photo sent as a photo arrives compressed;
// the largest size is checked and the fix says to send the original file.
func TestPhotoCheckCompressed(t *testing.T) {
	h := newHarness(t, withUploads(t))
	u := h.user(7002, "小陈")
	small := testimage.JPEG(t, testimage.Portrait(295, 413), 1) // what compression leaves: a few KB
	h.api.SendPhoto(u.u, small, 295, 413, 0, "")
	m := u.wait("证件照检查结果")
	for _, want := range []string{"❌ 文件大小", "（要求：不小于 10KB）", "请用原图发送（以文件形式），不要压缩", uploadcheck.PrivacyNote} {
		if !strings.Contains(m.Text, want) {
			t.Errorf("reply lacks %q:\n%s", want, m.Text)
		}
	}
	// The full size, not the thumbnail, was fetched.
	calls := h.api.Calls("getFile")
	if len(calls) != 1 || calls[0].Params["file_id"] != "file2" {
		t.Errorf("getFile calls %+v", calls)
	}
}

// TestPhotoCheckUsesTheUsersPlace: a user whose place is known gets that
// place's local rules next to the national ones (海南's old 20K limit, as
// advice), a user without one only the national rules.
func TestPhotoCheckUsesTheUsersPlace(t *testing.T) {
	h := newHarness(t, withUploads(t))
	photo := testimage.JPEG(t, testimage.Portrait(600, 800), 92)
	if len(photo) <= 20*1024 {
		t.Fatalf("test photo only %d bytes", len(photo))
	}
	u := h.user(7005, "小海")
	u.send("/province 海南")
	u.wait("海南")
	h.api.SendDocument(u.u, photo, "证件照.jpg", "image/jpeg", 0, "")
	m := u.wait("证件照检查结果")
	if !strings.Contains(m.Text, "2019 年地方口径") || !strings.Contains(m.Text, "海南") {
		t.Errorf("no local rule for a user in 海南:\n%s", m.Text)
	}
	v := h.user(7006, "小全")
	h.api.SendDocument(v.u, photo, "证件照.jpg", "image/jpeg", 0, "")
	m = v.wait("证件照检查结果")
	if strings.Contains(m.Text, "地方口径") {
		t.Errorf("local rule for a user without a place:\n%s", m.Text)
	}
}

// TestPhotoCheckRefusesLargeFile: the size in the update is enough to
// refuse a file above 10 MB; nothing is downloaded.
func TestPhotoCheckRefusesLargeFile(t *testing.T) {
	h := newHarness(t, withUploads(t))
	u := h.user(7003, "小王")
	h.api.SendDocument(u.u, []byte("\xFF\xD8\xFF"), "大图.jpg", "image/jpeg", 11<<20, "")
	u.wait("超过 10MB")
	if d, g := h.api.Downloads(); d != 0 || g != 0 {
		t.Errorf("downloads %d, getFile %d; want none", d, g)
	}
	// Other files are still declined without download.
	h.api.SendDocument(u.u, []byte("%PDF-1.4"), "合同.pdf", "application/pdf", 0, "")
	u.wait("只能处理文字消息")
	if d, g := h.api.Downloads(); d != 0 || g != 0 {
		t.Errorf("a PDF was downloaded: %d, %d", d, g)
	}
}

// TestChecklistOffersPhotoCheck: the materials checklist has a 检查照片
// button; it explains how to send, and the photo sent next is checked.
func TestChecklistOffersPhotoCheck(t *testing.T) {
	h := newHarness(t, withUploads(t))
	u := h.user(7004, "小赵")
	run(t, u, []step{{"/materials", "哪个地区"}, {"天津", "哪一项业务"}, {"[首次采集]", "什么级别"},
		{"[无职称]", "从事会计工作"}, {"[否]", "在校学生"}, {"[否]", "请准备以下材料"}})
	u.press("检查照片")
	u.wait("以“文件”方式发送原图")
	h.api.SendDocument(u.u, testimage.JPEG(t, testimage.Portrait(200, 280), 95), "photo.jpg", "image/jpeg", 0, "")
	m := u.wait("证件照检查结果")
	if !strings.Contains(m.Text, "❌ 像素宽度：200 像素（要求：不低于 295 像素）") {
		t.Errorf("reply:\n%s", m.Text)
	}
}

// TestPhotoCheckDownloadFails: a file that cannot be fetched gets an
// apology, and the log names neither the token nor the file path.
func TestPhotoCheckDownloadFails(t *testing.T) {
	h := newHarness(t, withUploads(t))
	u := h.user(7005, "小孙")
	h.api.Fail("getFile", 400, 0)
	h.api.SendDocument(u.u, testimage.JPEG(t, testimage.Portrait(295, 413), 90), "张三身份证.jpg", "image/jpeg", 0, "")
	u.wait("没能下载下来")
	if logs := h.logs.String(); strings.Contains(logs, token) || strings.Contains(logs, "张三") {
		t.Errorf("log leaks:\n%s", logs)
	}
}

// TestPhotoCheckBusy: while other checks hold the memory budget, an image
// is answered with "try again" instead of being downloaded and decoded;
// once they finish, it is checked.
func TestPhotoCheckBusy(t *testing.T) {
	gate := uploadcheck.NewGate(0)
	h := newHarness(t, withUploads(t), telegram.WithUploadGate(gate))
	u := h.user(7011, "小周")
	release, ok := gate.Acquire(gate.Budget())
	if !ok {
		t.Fatal("cannot fill the gate")
	}
	photo := testimage.JPEG(t, testimage.Portrait(295, 413), 90)
	h.api.SendDocument(u.u, photo, "证件照.jpg", "image/jpeg", 0, "")
	u.wait("同时检查的图片较多")
	if d, _ := h.api.Downloads(); d != 0 {
		t.Errorf("%d downloads while busy", d)
	}
	release()
	h.api.SendDocument(u.u, photo, "证件照.jpg", "image/jpeg", 0, "")
	u.wait("证件照检查结果")
}
