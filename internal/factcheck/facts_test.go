package factcheck

import (
	"reflect"
	"strings"
	"testing"
)

func keys(fs []Fact) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.Kind+":"+f.Key)
	}
	return out
}

func TestExtract(t *testing.T) {
	for _, c := range []struct {
		text string
		want []string
	}{
		{"每年不少于90学分，其中专业科目不少于60学分。", []string{"quantity:90学分", "quantity:60学分"}},
		{"提交后１０个工作日可查；审核约3 工作日。", []string{"quantity:10个工作日", "quantity:3个工作日"}},
		{"jpg格式，不小于10KB，像素不低于295×413；有资料称20K～500K。", []string{"quantity:295×413", "quantity:10KB", "quantity:20KB", "quantity:500KB"}},
		{"上海从2021年11月1日起开通，2025年起全国统一，截止到2025-12-31。", []string{"date:2021-11-1", "date:2025", "date:2025-12-31"}},
		{"报名时间为4月1日至12月31日。", []string{"date:-4-1", "date:-12-31"}},
		{"网址是 https://ausm.mof.gov.cn/ 。", []string{"url:ausm.mof.gov.cn"}},
		{"依据财会〔2018〕10号和财办会[2021]23号。", []string{"docno:依据财会〔2018〕10号", "docno:和财办会〔2021〕23号"}},
		{"学习入口在“会计之家”，上传《工作地变更证明》。", []string{"name:会计之家", "name:工作地变更证明"}},
		{"请在全国会计人员统一服务管理平台办理。", []string{"name:全国会计人员统一服务管理平台"}},
		// Numbers inside a URL or a document number are not quantities.
		{"cz.xm.gov.cn/kjzc 与 黔财会〔2020〕1号", []string{"url:cz.xm.gov.cn/kjzc", "docno:与黔财会〔2020〕1号"}},
		{"您好，请选择下一步。", nil},
	} {
		if got := keys(Extract(c.text, nil)); !reflect.DeepEqual(got, c.want) {
			t.Errorf("Extract(%q) = %v, want %v", c.text, got, c.want)
		}
	}
	if got := keys(Extract("重庆的平台是会计之家。", []string{"会计之家"})); !reflect.DeepEqual(got, []string{"name:会计之家"}) {
		t.Errorf("a known name unquoted: %v", got)
	}
}

func TestCheck(t *testing.T) {
	c := NewCorpus([]Doc{
		{ID: "nat", Text: "每年不少于90学分。网址是ausm.mof.gov.cn。依据财会〔2018〕10号。"},
		{ID: "sh", Text: "按上海2021年的做法，提交后10个工作日可以查询。上海从2021年11月1日起开通。原平台为“上海市会计人员信息管理系统”。"},
	})
	for _, x := range []struct {
		text  string
		cites []string
		bad   []string
	}{
		{"每年90学分，在ausm.mof.gov.cn办理，依据财会〔2018〕10号。", []string{"nat"}, nil},
		{"每年80学分。", []string{"nat"}, []string{"80学分"}},
		{"提交后10个工作日可查。", []string{"nat"}, []string{"10个工作日"}},
		{"提交后10个工作日可查（2021年，11月1日起）。", []string{"nat", "sh"}, nil},
		{"依据财办〔2018〕10号。", []string{"nat"}, []string{"依据财办〔2018〕10号"}},
		{"网址是ausm.mof.gov.com。", []string{"nat"}, []string{"ausm.mof.gov.com"}},
		{"到上海市会计人员信息管理系统办理。", []string{"nat"}, []string{"上海市会计人员信息管理系统"}},
		{"每年90学分。", []string{"missing"}, []string{"90学分"}},
	} {
		var bad []string
		for _, p := range c.Check(x.text, x.cites) {
			bad = append(bad, p.Fact.Text)
		}
		if strings.Join(bad, "|") != strings.Join(x.bad, "|") {
			t.Errorf("Check(%q, %v) reports %v, want %v", x.text, x.cites, bad, x.bad)
		}
	}
}
