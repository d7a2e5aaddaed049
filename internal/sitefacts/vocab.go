package sitefacts

// categoryInfo ties a schema.org type to the words that suggest it and the hashtag a
// customer would use for it in Korean and English.
type categoryInfo struct {
	Type  string
	Ko    string
	En    string
	Words []string // lower case; Hangul words match inside compounds, Latin ones as words
}

var categories = []categoryInfo{
	{"CafeOrCoffeeShop", "카페", "cafe", []string{"카페", "커피", "라떼", "에스프레소", "아메리카노", "핸드드립", "원두", "로스터리", "cafe", "café", "coffee", "espresso", "latte", "roastery", "barista"}},
	{"Bakery", "베이커리", "bakery", []string{"베이커리", "빵집", "제과", "식빵", "크루아상", "bakery", "bread", "pastry", "pastries", "croissant", "sourdough", "boulangerie"}},
	{"Restaurant", "맛집", "restaurant", []string{"식당", "레스토랑", "맛집", "한식", "일식", "중식", "양식", "메뉴판", "코스요리", "restaurant", "dining", "bistro", "kitchen", "dinner", "lunch", "cuisine"}},
	{"BarOrPub", "술집", "bar", []string{"술집", "호프", "와인바", "칵테일", "이자카야", "포차", "bar", "pub", "cocktail", "cocktails", "taproom", "brewpub"}},
	{"IceCreamShop", "아이스크림", "icecream", []string{"아이스크림", "젤라또", "ice cream", "gelato"}},
	{"HairSalon", "미용실", "hairsalon", []string{"미용실", "헤어", "펌", "염색", "커트", "hair salon", "haircut", "hairdresser", "barber", "barbershop"}},
	{"NailSalon", "네일", "nails", []string{"네일", "젤네일", "nail", "nails", "manicure", "pedicure"}},
	{"BeautySalon", "뷰티", "beauty", []string{"피부관리", "에스테틱", "왁싱", "속눈썹", "beauty salon", "skincare", "facial", "waxing", "lashes"}},
	{"ExerciseGym", "운동", "fitness", []string{"헬스", "피트니스", "필라테스", "요가", "pt", "크로스핏", "gym", "fitness", "pilates", "yoga", "crossfit", "workout"}},
	{"Florist", "꽃집", "florist", []string{"꽃집", "플라워", "꽃다발", "부케", "florist", "flowers", "bouquet", "bouquets"}},
	{"ClothingStore", "옷가게", "fashion", []string{"의류", "옷", "패션", "편집샵", "boutique", "clothing", "fashion", "apparel"}},
	{"BookStore", "서점", "bookstore", []string{"서점", "책방", "독립서점", "bookstore", "bookshop", "books"}},
	{"PetStore", "반려동물", "petshop", []string{"애견", "반려동물", "펫샵", "애완", "pet shop", "pets", "grooming"}},
	{"Dentist", "치과", "dentist", []string{"치과", "임플란트", "교정", "dentist", "dental"}},
	{"LodgingBusiness", "숙소", "stay", []string{"펜션", "게스트하우스", "호텔", "민박", "숙소", "스테이", "hotel", "guesthouse", "hostel", "inn", "stay"}},
}

var categoryByType = func() map[string]categoryInfo {
	m := make(map[string]categoryInfo, len(categories))
	for _, c := range categories {
		m[c.Type] = c
	}
	return m
}()

// Labels for schema.org types that have no inference words of their own.
var extraTypeLabels = map[string][2]string{
	"FoodEstablishment":       {"맛집", "food"},
	"FastFoodRestaurant":      {"맛집", "food"},
	"Brewery":                 {"수제맥주", "craftbeer"},
	"Winery":                  {"와이너리", "winery"},
	"Store":                   {"가게", "shop"},
	"GroceryStore":            {"식료품", "grocery"},
	"HealthAndBeautyBusiness": {"뷰티", "beauty"},
	"DaySpa":                  {"스파", "spa"},
	"Hotel":                   {"호텔", "hotel"},
	"BedAndBreakfast":         {"펜션", "bnb"},
	"Hostel":                  {"게스트하우스", "hostel"},
	"MedicalClinic":           {"병원", "clinic"},
	"LocalBusiness":           {"동네가게", "localbusiness"},
}

// categoryLabel is the hashtag for a category in the site's language.
func categoryLabel(typ, lang string) string {
	if c, ok := categoryByType[typ]; ok {
		if lang == "ko" {
			return c.Ko
		}
		return c.En
	}
	if l, ok := extraTypeLabels[typ]; ok {
		if lang == "ko" {
			return l[0]
		}
		return l[1]
	}
	return ""
}

// topicWords are things a small business's customers tag: what it sells and what it is
// like. They become hashtags and keywords when the site mentions them.
var topicWordsKo = []string{
	"브런치", "디저트", "커피", "케이크", "베이커리", "빵", "라떼", "핸드드립", "스페셜티", "원두", "에스프레소",
	"크루아상", "마카롱", "쿠키", "스콘", "와플", "빙수", "샌드위치", "샐러드", "파스타", "피자", "스테이크",
	"버거", "한식", "일식", "중식", "양식", "초밥", "라멘", "국밥", "삼겹살", "치킨", "떡볶이", "비건",
	"글루텐프리", "수제", "유기농", "와인", "맥주", "칵테일", "전통주", "말차", "밀크티", "홍차", "녹차",
	"루프탑", "테라스", "뷰맛집", "데이트", "애견동반", "단체", "포장", "배달", "예약", "오마카세",
	"꽃다발", "플라워", "네일", "헤어", "필라테스", "요가", "독서", "전시", "공방", "원데이클래스",
}

var topicWordsEn = []string{
	"brunch", "dessert", "coffee", "cake", "bakery", "bread", "latte", "espresso", "pastry",
	"croissant", "cookies", "waffles", "sandwich", "salad", "pasta", "pizza", "steak", "burger",
	"sushi", "ramen", "vegan", "glutenfree", "organic", "handmade", "wine", "beer", "cocktails",
	"tea", "matcha", "rooftop", "terrace", "datenight", "dogfriendly", "takeaway", "delivery",
	"flowers", "nails", "yoga", "pilates", "books", "gallery", "workshop", "specialty",
}

// genericNames are page titles that do not name anything.
var genericNames = map[string]bool{
	"home": true, "홈": true, "메인": true, "main": true, "index": true, "welcome": true,
	"환영합니다": true, "untitled": true, "document": true, "react app": true, "vite app": true,
	"loading": true, "loading...": true, "loading…": true, "로딩중": true, "coming soon": true,
	"index of /": true, "welcome to nginx!": true, "default page": true, "홈페이지": true,
	"official website": true, "official site": true, "공식 홈페이지": true, "공식홈페이지": true,
	"untitled document": true, "new page": true, "page not found": true, "404": true, "app": true,
	"메인페이지": true, "main page": true, "homepage": true, "start": true, "intro": true, "인트로": true,
}

// PageKinds are the same-site pages worth a visit, best first, and the words that
// identify them in a link's URL or text.
var PageKinds = []struct {
	Kind  string
	Words []string
}{
	{"menu", []string{"menu", "메뉴", "food", "drinks", "products", "상품", "제품"}},
	{"about", []string{"about", "소개", "story", "스토리", "브랜드", "brand", "intro", "company", "회사"}},
	{"location", []string{"location", "오시는", "찾아오", "위치", "map", "지도", "directions", "visit", "매장안내", "매장"}},
	{"contact", []string{"contact", "연락", "문의", "예약", "reservation", "booking"}},
	{"gallery", []string{"gallery", "갤러리", "photos", "사진", "portfolio", "interior", "인테리어"}},
}
