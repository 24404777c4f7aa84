package knowledge

import "testing"

func TestResolveJurisdictions(t *testing.T) {
	places := builtin(t).Places()
	tests := []struct{ in, want string }{
		{"广东", "guangdong"}, {"粤", "guangdong"}, {"广东省", "guangdong"},
		{"深圳", "shenzhen"}, {"深圳市", "shenzhen"}, {"我在深圳上班", "shenzhen"},
		{"内蒙", "neimenggu"}, {"内蒙古自治区", "neimenggu"}, {"沪", "shanghai"},
		{"xiamen", "xiamen"}, {"广西壮族自治区", "guangxi"},
	}
	for _, tt := range tests {
		j, ok := places.Resolve(tt.in)
		if !ok || j.Code != tt.want {
			t.Errorf("Resolve(%q) = %q, %v; want %q", tt.in, j.Code, ok, tt.want)
		}
	}
	for _, bad := range []string{"", "火星", "新入职"} {
		if j, ok := places.Resolve(bad); ok {
			t.Errorf("Resolve(%q) = %q, want no match", bad, j.Code)
		}
	}
	if len(places.All()) != 36 {
		t.Errorf("%d jurisdictions, want 36", len(places.All()))
	}
}

func TestMentionsLongestFirstInOrder(t *testing.T) {
	m := builtin(t).Places().Mentions("从深圳调到广东省广州，再去青岛")
	var got []string
	for _, j := range m {
		got = append(got, j.Code)
	}
	want := []string{"shenzhen", "guangdong", "qingdao"}
	if len(got) != len(want) {
		t.Fatalf("Mentions = %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("Mentions = %v, want %v", got, want)
		}
	}
}

func TestSuggestForUnknownPlace(t *testing.T) {
	sug := builtin(t).Places().Suggest("广冬", 3)
	if len(sug) == 0 || sug[0].Code != "guangdong" {
		t.Errorf("Suggest(广冬) = %v, want 广东 first", sug)
	}
}
