package knowledge

// scope says which jurisdictions' passages a question may be answered from.
type scope struct {
	// places are the codes named by or known for the asker, primary first.
	places []string
}

func (s scope) primary() string {
	if len(s.places) == 0 {
		return ""
	}
	return s.places[0]
}

func (s scope) has(code string) bool {
	for _, p := range s.places {
		if p == code {
			return true
		}
	}
	return false
}
