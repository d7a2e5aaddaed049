package lyrics

import (
	"strings"

	"github.com/o2sound/o2sound/internal/business"
)

// Theme is the kind of business as far as a song cares: it picks the imagery of the
// lyrics here and the genre and mood of the music in package music.
type Theme string

// Themes, from the most to the least specific cue.
const (
	ThemeCafe       Theme = "cafe"
	ThemeBakery     Theme = "bakery"
	ThemeRestaurant Theme = "restaurant"
	ThemeBar        Theme = "bar"
	ThemeFitness    Theme = "fitness"
	ThemeWellness   Theme = "wellness"
	ThemeBeauty     Theme = "beauty"
	ThemeFlorist    Theme = "florist"
	ThemeShop       Theme = "shop"
	ThemeEducation  Theme = "education"
	ThemeHealth     Theme = "health"
	ThemeLodging    Theme = "lodging"
	ThemeGeneral    Theme = "general"
)

// themeCues maps words found in the category, keywords, hashtags, name and description to
// themes. Order matters: the first theme with a cue in the strongest field wins, so more
// specific themes (bakery before cafe, wellness before fitness) come first.
var themeCues = []struct {
	theme Theme
	cues  []string
}{
	{ThemeBakery, []string{"bakery", "베이커리", "빵", "제과", "bread", "pastry", "patisserie", "파티세리", "케이크", "cake", "donut", "도넛", "bagel", "베이글", "croissant", "크루아상", "크로와상", "디저트", "dessert", "마카롱"}},
	{ThemeCafe, []string{"cafeorcoffeeshop", "cafe", "café", "coffee", "카페", "커피", "espresso", "에스프레소", "latte", "라떼", "roastery", "로스터리", "tea house", "찻집", "브런치", "brunch"}},
	{ThemeBar, []string{"barorpub", "bar", "pub", "brewery", "winery", "술집", "펍", "와인", "wine", "beer", "맥주", "이자카야", "izakaya", "칵테일", "cocktail", "포차"}},
	{ThemeRestaurant, []string{"restaurant", "foodestablishment", "식당", "맛집", "레스토랑", "한식", "중식", "일식", "양식", "고기", "삼겹살", "갈비", "국밥", "bbq", "바베큐", "스테이크", "steak", "pizza", "피자", "burger", "버거", "파스타", "pasta", "sushi", "초밥", "kitchen", "bistro", "diner", "치킨", "chicken", "noodle", "국수", "냉면"}},
	{ThemeWellness, []string{"dayspa", "yoga", "요가", "spa", "스파", "massage", "마사지", "명상", "meditation", "healing", "힐링", "찜질", "sauna", "사우나"}},
	{ThemeFitness, []string{"exercisegym", "sportsactivitylocation", "healthclub", "gym", "헬스", "피트니스", "fitness", "필라테스", "pilates", "crossfit", "크로스핏", "pt", "복싱", "boxing", "운동", "workout", "training", "트레이닝", "태권도", "taekwondo", "martial", "무술", "클라이밍", "climbing", "수영", "swim"}},
	{ThemeBeauty, []string{"beautysalon", "hairsalon", "nailsalon", "미용실", "헤어", "hair", "네일", "nail", "뷰티", "beauty", "피부", "skin", "salon", "살롱", "barber", "바버", "속눈썹", "lash", "메이크업", "makeup"}},
	{ThemeFlorist, []string{"florist", "꽃집", "꽃", "플라워", "flower", "bouquet", "부케", "wedding", "웨딩", "garden", "가든"}},
	{ThemeEducation, []string{"educationalorganization", "school", "학원", "교실", "academy", "아카데미", "수업", "lesson", "class", "클래스", "tutor", "과외", "유치원", "kindergarten", "어린이", "kids", "영어", "수학", "피아노", "piano", "미술", "art class"}},
	{ThemeHealth, []string{"medicalclinic", "dentist", "physician", "hospital", "병원", "의원", "치과", "한의원", "clinic", "클리닉", "pharmacy", "약국", "dental", "재활", "physio", "veterinary", "동물병원", "vet"}},
	{ThemeLodging, []string{"lodgingbusiness", "hotel", "호텔", "펜션", "게스트하우스", "guesthouse", "hostel", "호스텔", "resort", "리조트", "motel", "모텔", "stay", "스테이", "숙소", "inn", "b&b", "캠핑", "camping", "glamping", "글램핑"}},
	{ThemeShop, []string{"store", "shop", "clothingstore", "숍", "샵", "가게", "상점", "의류", "옷", "fashion", "패션", "boutique", "부티크", "편집숍", "소품", "gift", "선물", "bookstore", "서점", "책방", "market", "마켓", "문구", "jewelry", "주얼리", "안경", "optician"}},
}

// Classify picks the Theme of a business from its category first, then its keywords and
// hashtags, then its name and description.
func Classify(p business.Profile) Theme {
	fields := [][]string{
		{p.Category},
		append(append([]string{}, p.Keywords...), p.Hashtags...),
		{p.Name},
		{p.Description, p.Tagline},
	}
	for _, f := range fields {
		text := strings.ToLower(strings.Join(f, " | "))
		if strings.TrimSpace(text) == "" {
			continue
		}
		best, bestAt := ThemeGeneral, -1
		for _, tc := range themeCues {
			for _, cue := range tc.cues {
				if at := cueIndex(text, cue); at >= 0 && (bestAt < 0 || at < bestAt) {
					best, bestAt = tc.theme, at
				}
			}
		}
		if bestAt >= 0 {
			return best
		}
	}
	return ThemeGeneral
}

// cueIndex finds cue in text. Latin cues must match whole words ("bar" is not in
// "barber"; "pt" is not in "script"); Hangul cues match inside words because Korean
// attaches endings ("카페에서").
func cueIndex(text, cue string) int {
	if hasHangul(cue) {
		return strings.Index(text, cue)
	}
	from := 0
	for {
		i := strings.Index(text[from:], cue)
		if i < 0 {
			return -1
		}
		i += from
		end := i + len(cue)
		if (i == 0 || !isWordByte(text[i-1])) && (end == len(text) || !isWordByte(text[end])) {
			return i
		}
		from = i + 1
	}
}

func isWordByte(b byte) bool {
	return b >= 'a' && b <= 'z' || b >= '0' && b <= '9' || b >= 0x80
}
