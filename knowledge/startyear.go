package knowledge

import (
	"fmt"
	"regexp"
	"strconv"
)

// Years a question gives for the asker's own case: when they started
// working in accounting, and when they obtained a title.
var (
	givenYear   = regexp.MustCompile(`(19|20)[0-9]{2}`)
	workedSince = regexp.MustCompile(`开始做会计|开始从事|从事会计|做会计|干会计|当会计|参加工作|入职|上班|工作`)
	titledIn    = regexp.MustCompile(`考下|考过|考了|考的|考到|考出|考取|取得|拿到|拿了|拿的|通过|评上|过了|过的`)
)

// startYearLead applies the rule on the first year of continuing
// education to the years the asker gives ("2021年开始做会计，2023年才考下
// 初级，继续教育从哪年开始算"): the year after obtaining a title, or after
// starting work for those without one, and in 海南 the year after the
// earlier of the two. It is "" when the question does not ask for the
// year or gives no year of its own, and where the rule for both years is
// not known (both given, outside 海南).
func startYearLead(q string, sc scope) string {
	if !startAsk.MatchString(q) || student.MatchString(q) {
		// Students' first year is set apart in some places (天津: the
		// year after graduating).
		return ""
	}
	work, title, last := 0, 0, 0
	earliest := func(y, was int) int {
		if was == 0 || y < was {
			return y
		}
		return was
	}
	for _, clause := range clauseBreak.Split(q, -1) {
		if oldCert.MatchString(clause) && !titleWords.MatchString(clause) || notPassed.MatchString(clause) {
			// The cancelled 会计证 is no title, nor an exam not passed or
			// not yet scored; the rule cannot be applied with confidence.
			return ""
		}
		locs := givenYear.FindAllStringIndex(clause, -1)
		if len(locs) == 0 && last > 0 && monthOnly.MatchString(clause) {
			// "2023年6月毕业，10月拿到初级证书": the month is of the year
			// last named.
			locs = [][]int{{0, 0}}
		}
		for n, loc := range locs {
			y := last
			if loc[1] > loc[0] {
				y, _ = strconv.Atoi(clause[loc[0]:loc[1]])
				last = y
			}
			// What the year is of: the words after it, up to the next
			// year, or else the words before it.
			rest := clause[loc[1]:]
			if n+1 < len(locs) {
				rest = clause[loc[1]:locs[n+1][0]]
			}
			before := clause[:loc[0]]
			if n > 0 {
				before = ""
			}
			switch {
			case titleWords.MatchString(rest+before) && !otherQualification.MatchString(rest+before) &&
				(titledIn.MatchString(rest) || titledIn.MatchString(before)):
				title = earliest(y, title)
			case workedSince.MatchString(rest) || workedSince.MatchString(before):
				work = earliest(y, work)
			}
		}
	}
	if title > 0 && work == 0 && workedFor.MatchString(q) {
		// "做了五年会计，2024年考过初级": work without its year may be the
		// earlier, and decide.
		return ""
	}
	switch {
	case work > 0 && title > 0 && sc.primary() == "hainan":
		return fmt.Sprintf("按海南的“孰早”原则，您应从%d年开始参加继续教育：开始做会计（%d年）和取得资格（%d年）取较早的一年，从它的次年开始。", min(work, title)+1, work, title)
	case work > 0 && title > 0 && work == title:
		return fmt.Sprintf("按规定，您应从%d年开始参加继续教育：取得资格和开始从事会计工作都在%d年，从次年开始。", work+1, work)
	case work > 0 && title > 0:
		return ""
	case title > 0:
		return fmt.Sprintf("按规定，您应从%d年开始参加继续教育：取得会计专业技术资格的，从取得资格的次年开始。", title+1)
	case work > 0 && noTitle.MatchString(q):
		return fmt.Sprintf("按规定，您应从%d年开始参加继续教育：没有会计专业技术资格但从事会计工作的，从开始从事会计工作的次年开始。", work+1)
	}
	return ""
}

// notPassed is an exam not passed or not yet scored; otherQualification
// a qualification that is no accounting title.
var (
	notPassed          = regexp.MustCompile(`没过|没考过|没通过|未通过|没考上|还没出|没出成绩|成绩还没|等成绩`)
	otherQualification = regexp.MustCompile(`注册会计师|注会|cpa|税务师|审计师|经济师|毕业证|学位证|学历`)
)

// workedFor is work in accounting said by its length, without its year.
var workedFor = regexp.MustCompile(`(做|干|从事|当)了?[一二三四五六七八九十几两0-9]+年(多)?的?会计|会计(做|干)了|工作(了)?[一二三四五六七八九十几两0-9]+年|一直(在)?(做|干)会计`)

// monthOnly is a month without its year.
var monthOnly = regexp.MustCompile(`^[^0-9]{0,4}(1[0-2]|[1-9])月`)

// startAsk asks for the first year of continuing education.
var startAsk = regexp.MustCompile(`(从|自)哪一?年|哪一?年(开始|起|算起)|起算|起始年|什么时候开始(学|参加|算)|几几年开始`)

// student and titleWords: a student's case, and the names of titles.
var (
	student    = regexp.MustCompile(`在校|学生|在读|上大学|大[一二三四]|毕业前|读书`)
	titleWords = regexp.MustCompile(`初级|中级|高级|正高|职称|专业技术资格|会计师`)
)

// noTitle says the asker has no title.
var noTitle = regexp.MustCompile(`没有?职称|没有?证|无职称|没考|还没考|没有资格|没资格|啥证都没`)
