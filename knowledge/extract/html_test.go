package extract

import (
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"
)

func TestHTML(t *testing.T) {
	tests := []struct {
		name   string
		src    string
		title  string
		blocks []Block
	}{
		{
			name: "drops furniture, keeps headings and text",
			src: `<!DOCTYPE html><html><head><title>关于会计人员管理的通知_财政部</title>
<style>p { color: red }</style><script>var x = "<p>not text</p>";</script></head>
<body>
<header class="site-header"><a href="/">首页</a> Site banner</header>
<nav><ul><li>首页</li><li>政策法规</li></ul></nav>
<div class="breadcrumb">首页 &gt; 政策</div>
<div id="main-menu">Menu item</div>
<main>
  <h1>关于会计人员管理的通知</h1>
  <p>各省、自治区、直辖市财政厅（局）：</p>
  <h2>一、  总体要求</h2>
  <p>为加强会计人员管理，
     现就有关事项通知如下。</p>
  <ul><li>第一项 &amp; 细则</li><li>第二项 <b>加粗</b> 文字</li></ul>
  <blockquote>引用的内容</blockquote>
  <pre>  code   block  </pre>
  <table><tr><th>项目</th><th>标准</th></tr><tr><td>住宿费</td><td> 500&nbsp;元 </td><td></td></tr></table>
  <h3>Details &lt;3</h3>
  <div class="share-buttons">分享到微信</div>
  <div class="comments">Comment text</div>
  <noscript>Enable JS</noscript>
  <iframe src="x"></iframe>
  <form action="/search"><input name="q"><button>搜索</button></form>
</main>
<aside class="sidebar">Related links</aside>
<footer>版权所有 © 财政部</footer>
</body></html>`,
			title: "关于会计人员管理的通知_财政部",
			blocks: []Block{
				h(1, "关于会计人员管理的通知"),
				p("各省、自治区、直辖市财政厅（局）："),
				h(2, "一、总体要求"),
				p("为加强会计人员管理，现就有关事项通知如下。"),
				p("第一项 & 细则"),
				p("第二项加粗文字"), // no spaces between Chinese characters
				p("引用的内容"),
				p("code block"),
				p("项目 | 标准"),
				p("住宿费 | 500 元"),
				h(3, "Details <3"),
			},
		},
		{
			name: "government page layout: br-separated lines, outline text, ASP.NET form",
			src: `<html><body><form id="form1" method="post" action="./show.aspx">
<div class="TRS_Editor"><p align="center"><strong>会计人员管理办法</strong></p>
第一章　总则<br>第一条　为了加强会计人员管理，制定本办法。<br/>
第二条　本办法适用于会计人员。<br>
（一）基本原则。各单位应当依法办事。
</div></form></body></html>`,
			title: "",
			blocks: []Block{
				p("会计人员管理办法"),
				h(2, "第一章 总则"),
				h(4, "第一条"), p("为了加强会计人员管理，制定本办法。"),
				h(4, "第二条"), p("本办法适用于会计人员。"),
				h(3, "（一）基本原则"), p("各单位应当依法办事。"),
			},
		},
		{
			name: "article header kept, hidden elements dropped, wrappers kept",
			src: `<body class="has-sidebar"><div class="layout-with-sidebar"><article>
<header><h1>Article title</h1><p class="meta">2024-01-01</p></header>
<p>Visible.</p><p hidden>Hidden attr.</p><p style="display: none">Hidden style.</p>
<p aria-hidden="true">Hidden aria.</p><div role="navigation">Pager</div>
<p class="unavailable">Kept: "unavailable" is not "nav".</p>
</article></div></body>`,
			title: "Article title",
			blocks: []Block{
				h(1, "Article title"), p("2024-01-01"), p("Visible."),
				p(`Kept: "unavailable" is not "nav".`),
			},
		},
		{
			name:   "title prefers h1",
			src:    `<h2>Second level</h2><h1>First</h1>`,
			title:  "First",
			blocks: []Block{h(2, "Second level"), h(1, "First")},
		},
		{
			name:   "title from any heading, but not an outline heading",
			src:    `<h2>第一章 总则</h2><h3>Third level</h3>`,
			title:  "Third level",
			blocks: []Block{h(2, "第一章 总则"), h(3, "Third level")},
		},
		{
			name:   "fragment and inline text",
			src:    `Loose <em>text</em> with <a href="#">a link</a>`,
			blocks: []Block{p("Loose text with a link")},
		},
		{
			name:   "empty",
			src:    ``,
			blocks: nil,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := HTML(strings.NewReader(tt.src))
			if err != nil {
				t.Fatal(err)
			}
			checkDoc(t, doc, tt.title, tt.blocks)
		})
	}
}

func TestHTMLCharset(t *testing.T) {
	gbk := func(s string) string {
		b, err := simplifiedchinese.GBK.NewEncoder().String(s)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	const body = `<title>会计制度</title><h1>第一章 总则</h1><p>会计人员应当遵守职业道德。</p>`
	want := []Block{h(1, "第一章 总则"), p("会计人员应当遵守职业道德。")}
	tests := []struct {
		name string
		src  string
	}{
		{"utf-8 declared", `<meta charset="utf-8">` + body},
		{"utf-8 undeclared", body},
		{"utf-8 bom", "\xef\xbb\xbf" + body},
		{"gbk meta charset", gbk(`<meta charset="gbk">` + body)},
		{"gb2312 http-equiv", gbk(`<meta http-equiv="Content-Type" content="text/html; charset=gb2312">` + body)},
		{"gb18030", gbk(`<meta charset="GB18030">` + body)},
		{"gbk undeclared", gbk(body)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := HTML(strings.NewReader(tt.src))
			if err != nil {
				t.Fatal(err)
			}
			checkDoc(t, doc, "会计制度", want)
		})
	}
}

func TestHTMLTooLarge(t *testing.T) {
	r := strings.NewReader(strings.Repeat("a", maxFileSize+1))
	if _, err := HTML(r); err == nil || !strings.Contains(err.Error(), "50 MB") {
		t.Errorf("err = %v, want the size limit", err)
	}
}

func TestIsBoilerplate(t *testing.T) {
	tests := map[string]bool{
		"nav": true, "navbar": true, "topnav": true, "site-footer": true, "main_menu": true,
		"breadcrumbs": true, "sidebar-left": true, "share": true, "comment-list": true,
		"content": false, "unavailable": false, "article-body": false, "": false,
	}
	for v, want := range tests {
		if got := isBoilerplate(v); got != want {
			t.Errorf("isBoilerplate(%q) = %v, want %v", v, got, want)
		}
	}
}

func FuzzHTML(f *testing.F) {
	f.Add(`<html><head><title>t</title></head><body><nav>x</nav><h1>h</h1><table><tr><td><table><tr><td>n</td></tr></table></td></tr></table></body></html>`)
	f.Add("<meta charset=gbk>\xb6\xfe")
	f.Fuzz(func(t *testing.T, s string) {
		_, _ = HTML(strings.NewReader(s))
	})
}
