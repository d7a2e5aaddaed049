package lyrics

import (
	"slices"
	"testing"

	"github.com/o2sound/o2sound/internal/business"
)

func TestSplitSyllables(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want []string
	}{
		{"카페 블루문", []string{"카", "페", "블", "루", "문"}},
		{"커피가, 생각나는 날!", []string{"커", "피", "가", "생", "각", "나", "는", "날"}},
		{"GS25편의점", []string{"G", "S", "2", "5", "편", "의", "점"}},
		{"coffee in the morning", []string{"cof", "fee", "in", "the", "mor", "ning"}},
		{"Fresh bread", []string{"Fresh", "bread"}},
		{"table", []string{"ta", "ble"}},
		{"make time", []string{"make", "time"}},
		{"bakery", []string{"ba", "ke", "ry"}},
		{"places makes wanted loved", []string{"pla", "ces", "makes", "wan", "ted", "loved"}},
		{"we're yes eyes", []string{"we're", "yes", "eyes"}},
		{"sunshine extra", []string{"sun", "shine", "ex", "tra"}},
		{"BBQ night", []string{"B", "B", "Q", "night"}},
		{"Café latte", []string{"Ca", "fé", "lat", "te"}},
		{"  ", nil},
		{"...!?", nil},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			t.Parallel()
			got := SplitSyllables(tt.in)
			if !slices.Equal(got, tt.want) {
				t.Errorf("SplitSyllables(%q) = %q, want %q", tt.in, got, tt.want)
			}
			if Syllables(tt.in) != len(tt.want) {
				t.Errorf("Syllables(%q) = %d, want %d", tt.in, Syllables(tt.in), len(tt.want))
			}
		})
	}
}

func TestAttachJosa(t *testing.T) {
	t.Parallel()
	tests := []struct{ word, particle, want string }{
		{"커피", "이", "커피가"},
		{"빵", "이", "빵이"},
		{"원두", "을", "원두를"},
		{"소금빵", "을", "소금빵을"},
		{"역삼동", "로", "역삼동으로"},
		{"서울", "로", "서울로"},
		{"바다", "로", "바다로"},
		{"케이크", "와", "케이크와"},
		{"빵", "와", "빵과"},
		{"블루문", "은", "블루문은"},
		{"Bluemoon", "은", "Bluemoon은"},
		{"Cafe", "이", "Cafe가"},
		{"Hotel", "로", "Hotel로"},
		{"24", "이", "24가"},
		{"7", "로", "7로"},
		{"커피", "도", "커피도"},
	}
	for _, tt := range tests {
		if got := attachJosa(tt.word, tt.particle); got != tt.want {
			t.Errorf("attachJosa(%q, %q) = %q, want %q", tt.word, tt.particle, got, tt.want)
		}
	}
}

func TestNames(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, short, sing string }{
		{"카페 블루문 강남점", "블루문", "블루문"},
		{"카페 블루문", "블루문", "카페 블루문"},
		{"오월의 빵집", "오월의 빵집", "오월의 빵집"},
		{"The Corner Bakery (Downtown)", "Corner Bakery", "The Corner Bakery"},
		{"Harbor Street Diner", "Harbor Street Diner", "Harbor Street Diner"},
		{"서울특별시 강남구 청담동 프리미엄 헤어살롱 본점", "서울특별시 강남구 청담동 프리미엄 헤어살롱", "서울특별시 강남구"},
	}
	for _, tt := range tests {
		if got := ShortName(tt.name); got != tt.short {
			t.Errorf("ShortName(%q) = %q, want %q", tt.name, got, tt.short)
		}
		if got := singName(tt.name); got != tt.sing {
			t.Errorf("singName(%q) = %q, want %q", tt.name, got, tt.sing)
		}
	}
}

func TestAreaName(t *testing.T) {
	t.Parallel()
	tests := []struct {
		p    business.Profile
		want string
	}{
		{business.Profile{Area: "강남구 역삼동", Language: "ko"}, "역삼동"},
		{business.Profile{Address: "서울 마포구 연남동 239-12", Language: "ko"}, "연남동"},
		{business.Profile{Address: "서울특별시 송파구 올림픽로 240", Language: "ko"}, "송파구"},
		{business.Profile{Area: "Old Port, Portland", Language: "en"}, "Old Port"},
		{business.Profile{Address: "415 Harbor Street, Portland, ME 04101", Language: "en"}, "Portland"},
		{business.Profile{Address: "88 Maple Avenue", Language: "en"}, ""},
		{business.Profile{Language: "en"}, ""},
	}
	for _, tt := range tests {
		if got := AreaName(tt.p); got != tt.want {
			t.Errorf("AreaName(%+v) = %q, want %q", tt.p, got, tt.want)
		}
	}
}

func TestClassify(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		p    business.Profile
		want Theme
	}{
		{"schema cafe", business.Profile{Category: "CafeOrCoffeeShop"}, ThemeCafe},
		{"schema gym", business.Profile{Category: "ExerciseGym"}, ThemeFitness},
		{"bakery keywords", business.Profile{Keywords: []string{"소금빵", "커피"}}, ThemeBakery},
		{"korean cafe word in name", business.Profile{Name: "카페 블루문"}, ThemeCafe},
		{"barber is not a bar", business.Profile{Name: "Kings Barber"}, ThemeBeauty},
		{"steakhouse is not a stay", business.Profile{Name: "스테이크하우스 역삼"}, ThemeRestaurant},
		{"category beats keywords", business.Profile{Category: "Bakery", Keywords: []string{"coffee"}}, ThemeBakery},
		{"description last", business.Profile{Name: "Blue Door", Description: "Pilates and yoga classes for all levels"}, ThemeFitness},
		{"nothing known", business.Profile{Name: "Acme"}, ThemeGeneral},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := Classify(tt.p); got != tt.want {
				t.Errorf("Classify = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestCanonicalSection(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"Verse 1": Verse, "[Chorus]": Chorus, "Pre-Chorus": PreChorus, "후렴": Chorus, "후렴 2": Chorus,
		"Bridge": Bridge, "Outro": Outro, "rap": "", "": "", "Hook": Chorus,
	} {
		if got := CanonicalSection(in); got != want {
			t.Errorf("CanonicalSection(%q) = %q, want %q", in, got, want)
		}
	}
}

func BenchmarkBuiltinWrite(b *testing.B) {
	p := loadProfile(b, "cafe_ko")
	w := NewBuiltin()
	for i := 0; b.Loop(); i++ {
		if _, err := w.Write(b.Context(), p, int64(i)); err != nil {
			b.Fatal(err)
		}
	}
}
