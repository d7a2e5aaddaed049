package sitefacts

import (
	"testing"

	"github.com/o2sound/o2sound/internal/business"
)

func TestCleanProfile(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"Sunny Bakery", "Sunny Bakery"},
		{"\x00Sunny\x07Bakery\x1b[31m\x7f", "Sunny Bakery"},
		{"Bak\xff\xfeery", "Bak ery"},
		{"\u202eSunny\u200b Bakery\u202c\ufeff", "Sunny Bakery"},
		{"line\none\ttwo", "line one two"},
		{"👩\u200d🍳 Kitchen", "👩\u200d🍳 Kitchen"},
		{"\uFFFD\uFFFD", ""},
	}
	for _, tt := range tests {
		p := business.Profile{Name: tt.in, Keywords: []string{tt.in, "\x00"}}
		cleanProfile(&p)
		if p.Name != tt.want {
			t.Errorf("cleanProfile(%+q) name = %+q, want %+q", tt.in, p.Name, tt.want)
		}
		if tt.want != "" && (len(p.Keywords) != 1 || p.Keywords[0] != tt.want) {
			t.Errorf("cleanProfile(%+q) keywords = %+q", tt.in, p.Keywords)
		}
	}
}
