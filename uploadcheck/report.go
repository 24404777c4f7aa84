package uploadcheck

import (
	"fmt"
	"strings"
)

// PrivacyNote tells users what happens to their image.
const PrivacyNote = "🔒 图片只在内存中检查，检查完即丢弃：不保存、不记录，也不会转给工作人员。"

// Text renders the report for users: a line per check (✅, ❌, or ⚠️ for
// advice), how to fix each problem, a conclusion and the sources.
func (r Report) Text() string {
	var b strings.Builder
	what := r.Spec.Title
	if what == "" {
		what = "图片"
	}
	fmt.Fprintf(&b, "%s检查结果", what)
	if r.Width > 0 {
		fmt.Fprintf(&b, "（%s，%d×%d 像素，%s）", formatName(r.Format), r.Width, r.Height, fmtBytes(r.Bytes))
	}
	b.WriteString("：\n")
	var sources []string
	seen := map[string]bool{}
	for _, v := range r.Verdicts {
		icon := "✅"
		switch v.Outcome {
		case Fail:
			icon = "❌"
		case Warn:
			icon = "⚠️"
		}
		fmt.Fprintf(&b, "%s %s：%s", icon, v.Name, v.Measured)
		if v.Limit != "" {
			fmt.Fprintf(&b, "（要求：%s）", v.Limit)
		}
		if tag := v.Basis.tag(); tag != "" && v.Outcome != Pass {
			b.WriteString(" " + tag)
		}
		b.WriteString("\n")
		if v.Fix != "" && v.Outcome != Pass {
			b.WriteString("   👉 " + v.Fix + "\n")
		}
		if src := v.Basis.Source; src != "" && v.Basis.Status != Advice && !seen[src] {
			seen[src] = true
			sources = append(sources, src)
		}
	}
	b.WriteString("\n")
	switch n := r.Failed(); {
	case n > 0:
		fmt.Fprintf(&b, "结论：有 %d 项不符合要求，请按提示修改后再上传。", n)
	case r.warned():
		b.WriteString("结论：符合已核实的官方要求；标 ⚠️ 的是建议，可酌情调整。")
	default:
		b.WriteString("结论：符合已核实的官方要求，可以上传。")
	}
	b.WriteString("\n清晰度、背景等是自动估计，最终以平台审核为准。")
	if len(sources) > 0 {
		b.WriteString("\n\n依据：")
		for _, s := range sources {
			b.WriteString("\n- " + s)
		}
	}
	return b.String()
}

func (r Report) warned() bool {
	for _, v := range r.Verdicts {
		if v.Outcome == Warn {
			return true
		}
	}
	return false
}

// tag says why a rule only advises.
func (b Basis) tag() string {
	switch b.Status {
	case Historical:
		return fmt.Sprintf("〔建议：%d 年地方口径，现以全国平台为准〕", b.Year)
	case Unverified:
		return "〔建议：未核实，以平台页面提示为准〕"
	case Advice:
		return "〔建议，非官方要求〕"
	}
	return ""
}
