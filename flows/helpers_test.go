package flows_test

import (
	"context"
	"sort"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"

	"github.com/kuaiji/kuaiji"
	"github.com/kuaiji/kuaiji/flows"
	"github.com/kuaiji/kuaiji/flows/redisstore"
)

// fakePlaces knows the 36 jurisdictions by code, name, short name and a
// few abbreviations; longer names win, so 深圳 is never 广东.
type fakePlaces struct {
	list  []flows.Place
	names []struct {
		name string
		i    int
	}
}

var placeData = `beijing 北京 北京市;tianjin 天津 天津市;hebei 河北 河北省 冀;shanxi 山西 山西省 晋;neimenggu 内蒙古 内蒙古自治区 内蒙;liaoning 辽宁 辽宁省 辽;jilin 吉林 吉林省 吉;heilongjiang 黑龙江 黑龙江省 黑;shanghai 上海 上海市 沪;jiangsu 江苏 江苏省 苏;zhejiang 浙江 浙江省 浙;anhui 安徽 安徽省 皖;fujian 福建 福建省 闽;jiangxi 江西 江西省 赣;shandong 山东 山东省 鲁;henan 河南 河南省 豫;hubei 湖北 湖北省 鄂;hunan 湖南 湖南省 湘;guangdong 广东 广东省 粤;guangxi 广西 广西壮族自治区 桂;hainan 海南 海南省 琼;chongqing 重庆 重庆市 渝;sichuan 四川 四川省 川;guizhou 贵州 贵州省 黔;yunnan 云南 云南省 滇;xizang 西藏 西藏自治区 藏;shaanxi 陕西 陕西省 陕;gansu 甘肃 甘肃省 甘;qinghai 青海 青海省 青;ningxia 宁夏 宁夏回族自治区 宁;xinjiang 新疆 新疆维吾尔自治区 新;dalian 大连 大连市 -liaoning;qingdao 青岛 青岛市 -shandong;ningbo 宁波 宁波市 -zhejiang;xiamen 厦门 厦门市 -fujian;shenzhen 深圳 深圳市 -guangdong`

func newFakePlaces() *fakePlaces {
	p := &fakePlaces{}
	for i, rec := range strings.Split(placeData, ";") {
		f := strings.Fields(rec)
		pl := flows.Place{Code: f[0], Name: f[2]}
		var names []string
		names = append(names, f[1], f[2])
		for _, x := range f[3:] {
			if strings.HasPrefix(x, "-") {
				pl.Parent = x[1:]
			} else {
				names = append(names, x)
			}
		}
		p.list = append(p.list, pl)
		for _, n := range names {
			p.names = append(p.names, struct {
				name string
				i    int
			}{n, i})
		}
	}
	sort.SliceStable(p.names, func(a, b int) bool {
		return utf8.RuneCountInString(p.names[a].name) > utf8.RuneCountInString(p.names[b].name)
	})
	return p
}

func (p *fakePlaces) Resolve(s string) (flows.Place, bool) {
	for _, pl := range p.list {
		if pl.Code == s {
			return pl, true
		}
	}
	for _, n := range p.names {
		if utf8.RuneCountInString(n.name) == 1 {
			if s == n.name {
				return p.list[n.i], true
			}
			continue
		}
		if strings.Contains(s, n.name) {
			return p.list[n.i], true
		}
	}
	return flows.Place{}, false
}

func (p *fakePlaces) Suggest(s string, n int) []flows.Place {
	var out []flows.Place
	for _, pl := range p.list {
		for _, r := range s {
			if strings.ContainsRune(pl.Name, r) && !strings.ContainsRune("省市区自治", r) {
				out = append(out, pl)
				break
			}
		}
		if len(out) == n {
			break
		}
	}
	return out
}

// docs lists the document ids flows may cite.
func docs() flows.DocSet {
	d := flows.DocSet{
		"cpe-rules":         "会计专业技术人员继续教育规定（财会〔2018〕10号）",
		"kjry-glbf":         "会计人员管理办法（财会〔2018〕33号）",
		"kjz-abolished":     "会计从业资格取消与2017年《会计法》修改",
		"national-platform": "全国会计人员统一服务管理平台（财办〔2024〕35号）",
		"collection-guide":  "会计人员信息采集指南",
		"cpe-practice":      "继续教育实务",
		"transfer-2021":     "2021年起的网上跨省调转（财办会〔2021〕23号）",
	}
	for _, pl := range newFakePlaces().list {
		d["jur-"+pl.Code] = pl.Name + "会计人员信息采集与继续教育指引"
	}
	return d
}

func loadFlows(t testing.TB) []*flows.Flow {
	t.Helper()
	fl, err := flows.Load(policiesFS(), "flows", docs())
	if err != nil {
		t.Fatal(err)
	}
	return fl
}

type rig struct {
	eng   *flows.Engine
	store *redisstore.Store
	mr    *miniredis.Miniredis
	rdb   *redis.Client
	qa    flows.AnswerFunc
	asked []flows.Query
}

func newRig(t testing.TB, opts ...flows.Option) *rig {
	t.Helper()
	mr := miniredis.RunT(t)
	rdb := redis.NewClient(&redis.Options{Addr: mr.Addr()})
	t.Cleanup(func() { rdb.Close() })
	r := &rig{store: redisstore.New(rdb), mr: mr, rdb: rdb}
	r.eng = flows.New(r.store, loadFlows(t), newFakePlaces(), opts...)
	r.qa = func(ctx context.Context, q flows.Query) (flows.Answer, error) {
		r.asked = append(r.asked, q)
		return flows.Answer{Text: "【答】" + q.Text, Sources: []kuaiji.Source{{ID: "cpe-rules", Title: "继续教育规定"}}}, nil
	}
	return r
}

// send handles a line as a user would type it: "/cmd arg", "#data" for a
// button press, anything else as text.
func (r *rig) send(t testing.TB, chat int64, line string) []kuaiji.Reply {
	t.Helper()
	in := flows.Input{Chat: chat, User: chat}
	switch {
	case strings.HasPrefix(line, "/"):
		cmd, arg, _ := strings.Cut(line[1:], " ")
		in.Command, in.Arg = cmd, arg
	case strings.HasPrefix(line, "#"):
		in.Data = line[1:]
	default:
		in.Text = line
	}
	out, err := r.eng.Handle(context.Background(), in, r.qa)
	if err != nil {
		t.Fatalf("handle %q: %v", line, err)
	}
	return out
}

func joined(rs []kuaiji.Reply) string {
	var b strings.Builder
	for _, r := range rs {
		b.WriteString(r.Text)
		b.WriteString("\n")
		for _, row := range r.Buttons {
			for _, btn := range row {
				b.WriteString("[" + btn.Label + "]")
			}
		}
		for _, c := range r.Sources {
			b.WriteString("{" + c.ID + "}")
		}
		b.WriteString("\n")
	}
	return b.String()
}

func lastButtons(rs []kuaiji.Reply) []kuaiji.Button {
	var out []kuaiji.Button
	for _, r := range rs {
		for _, row := range r.Buttons {
			out = append(out, row...)
		}
	}
	return out
}
