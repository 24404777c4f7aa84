package terminal_test

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"

	"github.com/kuaiji/kuaiji"
	"github.com/kuaiji/kuaiji/bot"
	"github.com/kuaiji/kuaiji/bot/terminal"
	"github.com/kuaiji/kuaiji/flows"
	"github.com/kuaiji/kuaiji/flows/redisstore"
	"github.com/kuaiji/kuaiji/knowledge"
)

type echo struct{}

func (echo) Answer(_ context.Context, q knowledge.Question) (knowledge.Answer, error) {
	return knowledge.Answer{Text: "答：" + q.Text, Sources: []kuaiji.Source{
		{ID: "cpe-rules", Title: "会计专业技术人员继续教育规定", Section: "第十二条 学分"},
		{ID: "jur-guangdong", Title: "广东省指引"},
	}}, nil
}

func newRouter(t *testing.T) *bot.Router {
	t.Helper()
	r, _ := newRouterWith(t, echo{})
	return r
}

// newRouterWith returns a router over the real flows with ans answering
// questions, and the miniredis its sessions live in.
func newRouterWith(t *testing.T, ans bot.Answerer) (*bot.Router, *miniredis.Miniredis) {
	t.Helper()
	return newRouterOn(t, ans, nil)
}

// newRouterOn is newRouterWith with options that use the Redis.
func newRouterOn(t *testing.T, ans bot.Answerer, opts func(*redis.Client) []bot.Option) (*bot.Router, *miniredis.Miniredis) {
	t.Helper()
	mr := miniredis.RunT(t)
	rdb := redis.NewClient(&redis.Options{Addr: mr.Addr()})
	t.Cleanup(func() { rdb.Close() })
	js, err := knowledge.NewJurisdictions([]knowledge.Jurisdiction{
		{Code: "beijing", Name: "北京市", Short: "北京"},
		{Code: "tianjin", Name: "天津市", Short: "天津"},
		{Code: "neimenggu", Name: "内蒙古自治区", Short: "内蒙古", Aliases: []string{"内蒙"}},
		{Code: "shanghai", Name: "上海市", Short: "上海"},
		{Code: "guangdong", Name: "广东省", Short: "广东", Abbr: []string{"粤"}},
		{Code: "shenzhen", Name: "深圳市", Short: "深圳", Parent: "guangdong"},
		{Code: "qingdao", Name: "青岛市", Short: "青岛", Parent: "shandong"},
		{Code: "shandong", Name: "山东省", Short: "山东"},
	})
	if err != nil {
		t.Fatal(err)
	}
	docs := flows.DocSet{"cpe-rules": "继续教育规定", "kjry-glbf": "会计人员管理办法", "national-platform": "全国会计人员统一服务管理平台",
		"collection-guide": "会计人员信息采集指南", "transfer-2021": "2021年起的网上跨省调转", "cpe-practice": "继续教育实务"}
	for _, j := range js.All() {
		docs["jur-"+j.Code] = j.Name + "会计人员信息采集与继续教育指引"
	}
	fl, err := flows.Load(os.DirFS("../../policies"), "flows", docs)
	if err != nil {
		t.Fatal(err)
	}
	var ropts []bot.Option
	if opts != nil {
		ropts = opts(rdb)
	}
	return bot.NewRouter(flows.New(redisstore.New(rdb), fl, bot.PlacesFrom(js)), ans, ropts...), mr
}

// TestScripts drives every flow through the terminal as
// `printf '/check\n2\n…' | kuaiji chat` would.
func TestScripts(t *testing.T) {
	tests := []struct {
		name  string
		input string
		want  []string
	}{
		{"check by numbers", "/check\n3\n1\n2\n2023-05\n广东\n",
			[]string{"  1. 无职称", "  3. 中级", "结论：需要采集", "从2024年开始", "[1] 继续教育规定", "  1. 查看材料清单"}},
		{"check by labels and words", "/check\n无职称\n否\n不是\n否\n否\n",
			[]string{"结论：无需采集"}},
		{"dispatch needs a person", "/check\n无\n是\n是\n1\n",
			[]string{"结论：需要采集，采集地点建议先向当地确认", "终端对话里无法转接人工", "Telegram"}},
		{"materials with export", "/materials\n深圳\n首次采集\n中级\n是\n/export\n",
			[]string{"在深圳市办理首次采集", "4. 会计专业技术资格（职称）证书", "文件已保存到：", "材料清单-深圳市.txt"}},
		{"transfer Shenzhen to Guangdong", "/transfer\n深圳\n广东\n",
			[]string{"从深圳市调往广东省", "分开管理", "深圳市会计人员信息采集与继续教育指引"}},
		{"transfer same place", "/transfer\n上海\n上海市\n",
			[]string{"不需要办理调转"}},
		{"transfer out of Inner Mongolia", "/transfer\n内蒙\n北京\n",
			[]string{"从内蒙古调出：全国平台上线前，内蒙古要求打印《工作地变更证明》"}},
		{"walkthrough", "/walkthrough\n下一步\n2\n1\n",
			[]string{"第1步（共8步）", "第3步（共8步）", "回到上一步", "第2步（共8步）"}},
		{"change", "/change\n青岛\n学历学位\n",
			[]string{"青岛：会定期清理", "国家层面没有查到"}},
		{"question with sources", "广东继续教育要多少学分\n",
			[]string{"答：广东继续教育要多少学分", "[1] 会计专业技术人员继续教育规定 · 第十二条 学分", "[2] 广东省指引"}},
		{"digression inside a flow", "/check\n继续教育每年多少学分？\n中级\n",
			[]string{"答：继续教育每年多少学分？", "我们继续刚才的问题", "从事会计工作"}},
		{"cancel and back", "/check\n中级\n/back\n/cancel\n",
			[]string{"回到上一步", "已退出「是否需要信息采集」"}},
		{"profile and forget", "/province 粤\n/profile\n/forget\n/profile\n",
			[]string{"所在地区：广东省", "已清除", "目前没有记住"}},
		{"help", "/help\n", []string{"/check", "/materials", "/transfer", "/walkthrough", "/change", "/province", "/forget", "/human"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			err := terminal.Run(context.Background(), newRouter(t), strings.NewReader(tt.input), &out, terminal.Options{UserID: 42, SaveDir: t.TempDir()})
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range tt.want {
				if !strings.Contains(out.String(), w) {
					t.Errorf("output lacks %q:\n%s", w, out.String())
				}
			}
		})
	}
}

func TestInteractive(t *testing.T) {
	var out bytes.Buffer
	err := terminal.Run(context.Background(), newRouter(t), strings.NewReader("2\n"), &out,
		terminal.Options{UserID: 1, Interactive: true, Notice: "（会话保存在进程内的 Redis 中）"})
	if err != nil {
		t.Fatal(err)
	}
	s := out.String()
	for _, w := range []string{"（会话保存在进程内的 Redis 中）\n", "您好", "  1. 是否需要信息采集", "> ", "在哪个地区办理"} {
		if !strings.Contains(s, w) {
			t.Errorf("lacks %q:\n%s", w, s)
		}
	}
}

func TestSaveDir(t *testing.T) {
	dir := t.TempDir()
	var out bytes.Buffer
	in := "/materials\n广东\n1\n无\n是\n/export\n"
	if err := terminal.Run(context.Background(), newRouter(t), strings.NewReader(in), &out, terminal.Options{UserID: 3, SaveDir: dir}); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(dir + "/材料清单-广东省.txt")
	if err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	if !strings.Contains(string(b), "近期标准证件照") {
		t.Fatalf("file = %s", b)
	}
}
