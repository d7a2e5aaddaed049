package lyrics

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/o2sound/o2sound/internal/business"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata/golden")

// fixtures are the profiles under testdata/, by file stem.
var fixtures = []string{"cafe_ko", "bakery_ko", "gym_ko", "diner_en", "yoga_en"}

func loadProfile(t testing.TB, name string) business.Profile {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name+".json"))
	if err != nil {
		t.Fatal(err)
	}
	var p business.Profile
	if err := json.Unmarshal(b, &p); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return p
}

func TestBuiltinGolden(t *testing.T) {
	t.Parallel()
	for _, name := range fixtures {
		for _, seed := range []int64{1, 2} {
			t.Run(name+"/"+string(rune('0'+seed)), func(t *testing.T) {
				t.Parallel()
				p := loadProfile(t, name)
				l, err := NewBuiltin().Write(context.Background(), p, seed)
				if err != nil {
					t.Fatal(err)
				}
				got, err := json.MarshalIndent(l, "", "  ")
				if err != nil {
					t.Fatal(err)
				}
				got = append(got, '\n')
				path := filepath.Join("testdata", "golden", name+"_seed"+string(rune('0'+seed))+".json")
				if *update {
					if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
						t.Fatal(err)
					}
					if err := os.WriteFile(path, got, 0o644); err != nil {
						t.Fatal(err)
					}
				}
				want, err := os.ReadFile(path)
				if err != nil {
					t.Fatalf("%v (run go test -update to create it)", err)
				}
				if !bytes.Equal(got, want) {
					t.Errorf("lyrics differ from %s (run go test -update after checking):\n%s", path, got)
				}
			})
		}
	}
}

func TestBuiltinProperties(t *testing.T) {
	t.Parallel()
	for _, name := range fixtures {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			p := loadProfile(t, name)
			l, err := NewBuiltin().Write(context.Background(), p, 7)
			if err != nil {
				t.Fatal(err)
			}
			if err := l.Validate(p.Name); err != nil {
				t.Fatal(err)
			}
			if want := map[bool]string{true: "ko", false: "en"}[p.IsKorean()]; l.Language != want {
				t.Errorf("language %q, want %q", l.Language, want)
			}
			text := l.Text()
			// The lines must use what the site told us: at least one of its keywords and,
			// when known, its area.
			usedKeyword := false
			for _, k := range append(append([]string{}, p.Keywords...), p.Hashtags...) {
				if k != "" && strings.Contains(strings.ToLower(text), strings.ToLower(k)) && !strings.Contains(p.Name, k) {
					usedKeyword = true
				}
			}
			if !usedKeyword {
				t.Errorf("no keyword of %v in lyrics:\n%s", p.Keywords, text)
			}
			if area := AreaName(p); area != "" && !strings.Contains(text, area) {
				t.Errorf("area %q not in lyrics:\n%s", area, text)
			}
			for _, line := range l.Lines() {
				if n := Syllables(line.Text); n > builtinNameMax {
					t.Errorf("line %q has %d syllables", line.Text, n)
				}
			}
			// Same seed, same text; another seed, another text.
			again, _ := NewBuiltin().Write(context.Background(), p, 7)
			if again.Text() != text || again.Title != l.Title {
				t.Error("same seed gave different lyrics")
			}
			other, _ := NewBuiltin().Write(context.Background(), p, 8)
			if other.Text() == text {
				t.Error("seeds 7 and 8 gave identical lyrics")
			}
		})
	}
}

func TestBuiltinDiffersAcrossBusinesses(t *testing.T) {
	t.Parallel()
	seen := map[string]string{}
	for _, name := range fixtures {
		l, err := NewBuiltin().Write(context.Background(), loadProfile(t, name), 1)
		if err != nil {
			t.Fatal(err)
		}
		if prev, ok := seen[l.Text()]; ok {
			t.Errorf("%s and %s got the same lyrics", prev, name)
		}
		seen[l.Text()] = name
	}
}

// TestBuiltinSparseProfiles covers what the crawler often returns: a name and little else,
// long names, names that swallow the keywords.
func TestBuiltinSparseProfiles(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		p    business.Profile
	}{
		{"name only ko", business.Profile{Name: "해피마트", Language: "ko"}},
		{"name only en", business.Profile{Name: "Joe's", Language: "en"}},
		{"no language", business.Profile{Name: "Acme Plumbing"}},
		{"long ko name", business.Profile{Name: "서울특별시 강남구 청담동 프리미엄 헤어살롱 본점", Category: "HairSalon", Language: "ko"}},
		{"long en name", business.Profile{Name: "The Extraordinarily Wonderful Neighborhood Community Bakery Cooperative", Language: "en"}},
		{"name holds keywords", business.Profile{Name: "커피 빵 카페", Keywords: []string{"커피", "빵", "카페"}, Language: "ko"}},
		{"hangul keywords on english site", business.Profile{Name: "Seoul Garden", Keywords: []string{"불고기", "비빔밥"}, Category: "Restaurant", Language: "en"}},
		{"debris keywords", business.Profile{Name: "Nice Nails", Keywords: []string{"{{name}}", "#", "  ", "lorem ipsum", "12345"}, Category: "NailSalon", Language: "en"}},
		{"address only area", business.Profile{Name: "동네 꽃집", Address: "부산광역시 해운대구 우동 1408", Category: "Florist", Language: "ko"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			for seed := int64(0); seed < 20; seed++ {
				l, err := NewBuiltin().Write(context.Background(), tt.p, seed)
				if err != nil {
					t.Fatalf("seed %d: %v", seed, err)
				}
				if err := l.Validate(tt.p.Name); err != nil {
					t.Fatalf("seed %d: %v\n%s", seed, err, l.Text())
				}
			}
		})
	}
}

// TestBuiltinCopesWithAnyName: a page may leave the name empty, or fill it with emoji,
// punctuation, control characters or ten thousand letters. The writer still writes valid
// lyrics, singing a cleaned name, the site's host, or what the place is.
func TestBuiltinCopesWithAnyName(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		p    business.Profile
		sung string // what the chorus must name
	}{
		{"no name, Korean", business.Profile{Language: "ko"}, "우리"},
		{"no name, a host", business.Profile{Language: "en", URL: "https://www.harbor-bakery.com/menu"}, "Harbor Bakery"},
		{"no name, an IP address", business.Profile{Language: "en", URL: "http://127.0.0.1:8080/", Category: "Bakery"}, "The Bakery"},
		{"emoji", business.Profile{Name: "☕️🥐🍰", Language: "en", URL: "https://blue-moon.cafe/"}, "Blue Moon"},
		{"punctuation", business.Profile{Name: "!!! ??? *** — ···", Language: "en"}, ""},
		{"markup", business.Profile{Name: "{{name}} <b>Joe's</b> #1 *BBQ*", Language: "en"}, "Joe's"},
		{"control characters", business.Profile{Name: "\x00Sunny\x07 Bakery\x1b[31m\x7f", Language: "en"}, "Sunny Bakery"},
		{"bidi override and zero-width", business.Profile{Name: "\u202eSunny\u200b Bakery\u202c\ufeff", Language: "en"}, "Sunny Bakery"},
		{"zalgo", business.Profile{Name: "Z\u0337\u0322\u0335\u0338\u0336a\u0335l\u0338g\u0336o\u0334 Bakery", Language: "en"}, "Bakery"},
		{"invalid UTF-8", business.Profile{Name: "Bak\xff\xfeery Nord", Language: "en"}, "Nord"},
		{"one enormous word", business.Profile{Name: strings.Repeat("a", 10000), Language: "en"}, ""},
		{"ten thousand characters", business.Profile{Name: strings.Repeat("Bread and butter ", 600), Language: "ko"}, "Bread"},
		{"ellipsis", business.Profile{Name: "Loading...", Language: "en"}, "Loading"},
		{"Hangul name, English page", business.Profile{Name: "카페 블루문 역삼 본점 커피 하우스", Language: "en"}, "블루문"},
		{"RTL", business.Profile{Name: "مخبز الأصدقاء", Language: "ar"}, "مخبز"},
		{"area and tagline debris", business.Profile{Name: "Joe's", Language: "en", Area: "\x00{area}", Address: "<br>Main St, *Portland*", Tagline: "Best... ever"}, "Joe's"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			for seed := int64(1); seed <= 4; seed++ {
				l, err := NewBuiltin().Write(context.Background(), tt.p, seed)
				if err != nil {
					t.Fatalf("seed %d: %v", seed, err)
				}
				if err := l.Validate(""); err != nil {
					t.Fatalf("seed %d: %v\n%s", seed, err, l.Text())
				}
				if tt.sung != "" && !strings.Contains(l.Text(), tt.sung) {
					t.Errorf("seed %d: lyrics never sing %q:\n%s", seed, tt.sung, l.Text())
				}
			}
		})
	}
}
