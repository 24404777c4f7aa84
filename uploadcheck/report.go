package uploadcheck

import (
	"fmt"
	"strings"
)

// PrivacyNote tells users what happens to their image.
const PrivacyNote = "🔒 图片只在内存中检查，检查完即丢弃：不保存、不记录，也不会转给工作人员。"

// Text renders the report for users: a line per check (✅, ❌, or ⚠️ for
// advice), how to fix each problem, a conclusion, the place's historical
// rules as dated history, and the sources.
func (r Report) Text() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s检查结果", r.Spec.title())
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
			// Only a verified rule is a requirement; ours is advice.
			label := "参考"
			if v.Basis.Official() {
				label = "要求"
			}
			fmt.Fprintf(&b, "（%s：%s）", label, v.Limit)
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
		b.WriteString("结论：符合已核实的官方要求，可以上传；标 ⚠️ 的是建议，可酌情调整。")
	default:
		b.WriteString("结论：符合已核实的官方要求，可以上传。")
	}
	if r.estimated() {
		b.WriteString("\n清晰度、背景等是自动估计，最终以平台审核为准。")
	}
	// A place's old limit is shown, dated, after the conclusion rather
	// than dropped: someone who read the 2019 notice learns that it no
	// longer applies instead of wondering why the check ignores it.
	if h := r.Spec.History; len(h) > 0 {
		b.WriteString("\n\n以前的地方口径（仅供了解，本次没有按它检查）：")
		for _, x := range h {
			b.WriteString("\n- " + x.Source)
		}
		b.WriteString("\n信息采集已统一到全国会计人员统一服务管理平台办理（2024 年下半年起陆续切换，2025 年起全国统一），" +
			"照片按全国平台的要求准备即可，不必再按以前的地方限值压缩或调整。")
	}
	if len(sources) > 0 {
		b.WriteString("\n\n依据：")
		for _, s := range sources {
			b.WriteString("\n- " + s)
		}
	}
	return b.String()
}

// estimated reports whether a verdict rests on our reading of the
// picture, which only a decoded image has: a file refused unread has none.
func (r Report) estimated() bool {
	for _, v := range r.Verdicts {
		switch v.Check {
		case "sharpness", "background", "edges", "skew":
			return true
		}
	}
	return false
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
	// Historical rules never reach a verdict: they are history (Spec.History).
	switch b.Status {
	case Unverified:
		return "〔建议：未核实，以平台页面提示为准〕"
	case Advice:
		return "〔建议，非官方要求〕"
	}
	return ""
}
