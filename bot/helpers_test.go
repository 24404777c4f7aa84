package bot_test

import (
	"context"
	"os"
	"testing"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"

	"github.com/kuaiji/kuaiji"
	"github.com/kuaiji/kuaiji/bot"
	"github.com/kuaiji/kuaiji/flows"
	"github.com/kuaiji/kuaiji/flows/redisstore"
	"github.com/kuaiji/kuaiji/knowledge"
)

// fakeAnswerer echoes questions and records them.
type fakeAnswerer struct{ asked []knowledge.Question }

func (f *fakeAnswerer) Answer(_ context.Context, q knowledge.Question) (knowledge.Answer, error) {
	f.asked = append(f.asked, q)
	return knowledge.Answer{
		Text:    "答：" + q.Text,
		Sources: []kuaiji.Source{{ID: "cpe-rules", Title: "会计专业技术人员继续教育规定", Section: "第十二条"}},
	}, nil
}

// Jurisdictions returns a small set of places; the real list is in
// policies/jurisdictions.yaml.
func Jurisdictions(t testing.TB) *knowledge.Jurisdictions {
	t.Helper()
	js, err := knowledge.NewJurisdictions([]knowledge.Jurisdiction{
		{Code: "beijing", Name: "北京市", Short: "北京", Abbr: []string{"京"}},
		{Code: "tianjin", Name: "天津市", Short: "天津", Abbr: []string{"津"}},
		{Code: "neimenggu", Name: "内蒙古自治区", Short: "内蒙古", Aliases: []string{"内蒙"}},
		{Code: "shanghai", Name: "上海市", Short: "上海", Abbr: []string{"沪"}},
		{Code: "fujian", Name: "福建省", Short: "福建", Abbr: []string{"闽"}},
		{Code: "guangdong", Name: "广东省", Short: "广东", Abbr: []string{"粤"}},
		{Code: "xiamen", Name: "厦门市", Short: "厦门", Parent: "fujian"},
		{Code: "shenzhen", Name: "深圳市", Short: "深圳", Parent: "guangdong"},
	})
	if err != nil {
		t.Fatal(err)
	}
	return js
}

// Docs lists the national documents and a guideline per place.
func Docs(js *knowledge.Jurisdictions) flows.DocSet {
	d := flows.DocSet{
		"cpe-rules": "继续教育规定", "kjry-glbf": "会计人员管理办法", "kjz-abolished": "会计证取消",
		"national-platform": "全国会计人员统一服务管理平台", "collection-guide": "会计人员信息采集指南",
		"cpe-practice": "继续教育实务", "transfer-2021": "2021年起的网上跨省调转",
	}
	for _, j := range js.All() {
		d["jur-"+j.Code] = j.Name + "指引"
	}
	return d
}

func newRouter(t testing.TB) (*bot.Router, *fakeAnswerer, *miniredis.Miniredis) {
	t.Helper()
	fa := &fakeAnswerer{}
	r, mr := newRouterWith(t, fa)
	return r, fa, mr
}

// newRouterWith returns a router over the real flows with ans answering
// questions, and the miniredis its sessions live in.
func newRouterWith(t testing.TB, ans bot.Answerer) (*bot.Router, *miniredis.Miniredis) {
	t.Helper()
	mr := miniredis.RunT(t)
	rdb := redis.NewClient(&redis.Options{Addr: mr.Addr(), MaxRetries: -1})
	t.Cleanup(func() { rdb.Close() })
	js := Jurisdictions(t)
	fl, err := flows.Load(os.DirFS("../policies"), "flows", Docs(js))
	if err != nil {
		t.Fatal(err)
	}
	eng := flows.New(redisstore.New(rdb), fl, bot.PlacesFrom(js))
	return bot.NewRouter(eng, ans), mr
}
