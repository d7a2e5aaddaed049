package lyrics

// Phrase banks for the built-in writer. Every phrase was written to be sung as one bar:
// 4–9 syllables once its slots are filled with typical values (a 2–3 syllable keyword, a
// 3–4 syllable area). The writer measures each filled line and skips those that no longer
// fit, so each list also holds phrases with no optional slot to fall back on.
//
// Slots: {name} the name as sung, {short} its short form, {area} the neighbourhood,
// {kw}/{kw2} two keywords, {noun} what the place is. {x|을} attaches a Korean particle in
// the form x's last sound needs (을/를, 이/가, 은/는, 와/과, 으로/로, 아/야 …).

var koreanBank = bank{
	titles: []string{
		"{short}의 노래",
		"{area}의 작은 {noun}",
		"안녕, {short}",
		"{short}에서 만나요",
		"오늘도 {short}",
	},
	opening: []string{
		"{area} 골목길 따라",
		"{area}의 아침이 밝아",
		"{area}에 숨은 보석",
		"{area} 모두가 아는 곳",
		"바쁜 하루 잠시 멈춰",
		"익숙한 길 모퉁이에",
		"오늘도 문을 열어요",
	},
	keywordLines: []string{
		"{kw|이} 생각나는 날",
		"{kw|로} 채우는 하루",
		"모두가 찾는 {kw}",
		"{kw|은} 여기가 최고",
		"{kw} 가득 담아 드려요",
		"{kw|을} 만나는 시간",
		"좋은 것만 골라 담아",
	},
	keywordPair: []string{
		"{kw|도} {kw2|도} 좋아요",
		"{kw|와} {kw2}, 다 있어요",
		"{kw|와} {kw2|이} 반겨 줘요",
		"좋은 것만 골라 담아",
		"하나부터 열까지 정성",
	},
	leadIn: []string{
		"오늘도 그곳으로 가요",
		"발걸음이 가벼워져",
		"마음이 먼저 달려가",
		"자, 다 같이 불러 봐요",
		"웃으며 문을 열어요",
	},
	chorusHook: []string{
		"{name}, {name}",
		"우리들의 {name}",
		"여기는 {name}",
		"사랑해요 {name}",
	},
	chorusKeyword: []string{
		"{kw|와} 함께라면 좋아",
		"언제나 {kw} 가득",
		"{kw|이} 있는 그곳",
		"달콤한 하루를 선물해",
	},
	chorusInvite: []string{
		"{area}에서 만나요",
		"{area|로} 놀러 와요",
		"언제든 놀러 와요",
		"문은 활짝 열려 있어요",
		"당신을 기다려요",
	},
	chorusClose: []string{
		"오늘도 {name}",
		"바로 여기 {name}",
		"기억해요 {name}",
		"언제나 {name}",
	},
	bridge: []string{
		"힘들었던 하루 끝에",
		"작은 쉼표가 되어 줄게",
		"멀리 있어도 생각나",
		"다시 찾고 싶은 그곳",
		"계절이 바뀌어도",
		"늘 같은 자리에서",
	},
	outro: []string{
		"또 만나요, 우리",
		"오늘도 고마워요",
		"다음에 또 봐요",
	},
	outroName: []string{
		"{name}에서 기다릴게요",
		"안녕, {short}",
		"언제나 여기 {name}",
	},
	themes: map[Theme]themeBank{
		ThemeCafe: {"카페", []string{"커피", "라떼", "디저트", "원두", "브런치"}, []string{
			"따뜻한 커피 향이 번져", "창가에 햇살이 머물러", "한 잔의 여유를 마셔요",
			"라떼 위에 그린 하트", "향긋한 오후의 쉼표", "조용한 음악이 흘러"}},
		ThemeBakery: {"빵집", []string{"빵", "케이크", "쿠키", "크루아상", "디저트"}, []string{
			"갓 구운 빵 냄새 가득", "오븐 속에 꿈이 부풀어", "달콤한 아침이 시작돼",
			"바삭한 소리에 웃어요", "따끈한 행복을 굽는 곳", "버터 향이 솔솔 풍겨"}},
		ThemeRestaurant: {"맛집", []string{"요리", "정성", "한 그릇", "밥상", "맛"}, []string{
			"지글지글 맛있는 소리", "한 숟갈에 미소가 번져", "정성 담은 따뜻한 한 끼",
			"모두 함께 둘러앉아", "배부른 웃음이 가득", "맛있는 냄새 따라와"}},
		ThemeBar: {"아지트", []string{"와인", "맥주", "칵테일", "안주", "음악"}, []string{
			"잔을 들어 건배해요", "노을 지는 밤이 오면", "오늘 밤은 우리 거야",
			"부드러운 음악 속에", "하루 끝의 작은 축제", "반짝이는 불빛 아래"}},
		ThemeFitness: {"체육관", []string{"운동", "땀방울", "근력", "건강", "에너지"}, []string{
			"땀 흘린 만큼 빛나", "한 번 더 힘을 내", "어제보다 강한 나",
			"심장이 뛰는 소리", "포기란 없어 달려", "한계를 넘어서 가자"}},
		ThemeWellness: {"쉼터", []string{"요가", "휴식", "명상", "힐링", "호흡"}, []string{
			"깊게 숨을 들이쉬어", "몸과 마음이 가벼워", "고요한 쉼이 찾아와",
			"천천히 나를 만나요", "지친 어깨를 내려놔", "따스한 손길 속에서"}},
		ThemeBeauty: {"살롱", []string{"헤어", "네일", "스타일", "메이크업", "케어"}, []string{
			"거울 속에 빛나는 나", "오늘은 더 예뻐질 거야", "새로운 나를 만나요",
			"반짝이는 변화의 시간", "자신감이 피어나요", "기분까지 새로워져"}},
		ThemeFlorist: {"꽃집", []string{"꽃다발", "장미", "튤립", "꽃향기", "화분"}, []string{
			"꽃향기가 바람에 날려", "한 송이에 마음 담아", "활짝 핀 미소처럼",
			"계절을 선물할게요", "꽃잎 위에 햇살 한 줌", "사랑을 전해 줄게요"}},
		ThemeShop: {"가게", []string{"선물", "소품", "스타일", "신상", "보물"}, []string{
			"하나하나 골라 담아", "마음에 쏙 드는 하루", "특별한 걸 찾았어요",
			"구경하는 재미 가득", "오늘은 나를 위한 선물", "새로운 설렘이 가득"}},
		ThemeEducation: {"교실", []string{"배움", "꿈", "공부", "수업", "친구"}, []string{
			"배움이 즐거워지는 곳", "꿈을 키워 가는 시간", "한 걸음씩 자라나요",
			"궁금한 건 다 물어봐", "어제보다 더 똑똑하게", "반짝이는 눈빛 가득"}},
		ThemeHealth: {"병원", []string{"건강", "미소", "케어", "치료", "행복"}, []string{
			"건강한 하루를 위해", "따뜻한 손길 속에서", "걱정은 내려놓아요",
			"웃음을 되찾아 드려요", "언제나 곁에 있어요", "아픔은 이제 안녕"}},
		ThemeLodging: {"숙소", []string{"여행", "휴가", "바다", "별빛", "쉼"}, []string{
			"여행의 설렘을 안고", "포근한 밤이 기다려", "창밖엔 별이 가득해",
			"편히 쉬어 가세요", "아침 햇살에 눈을 떠", "추억이 쌓이는 곳"}},
		ThemeGeneral: {"가게", []string{"정성", "미소", "행복", "믿음", "친절"}, []string{
			"반가운 얼굴들 가득", "늘 한결같은 마음", "정성을 다하는 곳",
			"당신을 기다렸어요", "작은 행복이 피어나", "좋은 하루가 시작돼"}},
	},
}

var englishBank = bank{
	titles: []string{
		"The {short} Song",
		"Meet Me at {short}",
		"Hello, {short}",
		"Only at {short}",
		"A Day at {short}",
	},
	opening: []string{
		"Down in {area}, morning light",
		"Walking through {area} today",
		"Right in the heart of {area}",
		"Everybody in {area} knows",
		"Take a break from the busy day",
		"Round the corner, down the street",
		"Doors are open, come on in",
	},
	keywordLines: []string{
		"All the {kw} you could want",
		"Come for the {kw}, stay for more",
		"Nothing beats the {kw} here",
		"Dreaming of the {kw} again",
		"Can't get enough of the {kw}",
		"Good things come in every size",
	},
	keywordPair: []string{
		"{kw} and {kw2}, we've got it all",
		"A bit of {kw}, a bit of {kw2}",
		"{kw} and {kw2} all day long",
		"Everything you're looking for",
	},
	leadIn: []string{
		"So come on down and see",
		"Everybody sing along",
		"Here's the place you need to be",
		"Let me hear you sing it now",
		"Can't wait to be there soon",
	},
	chorusHook: []string{
		"{name}, {name}",
		"Oh, {name}",
		"Meet me at {name}",
		"Come on down to {name}",
	},
	chorusKeyword: []string{
		"Where the {kw} is always right",
		"Full of {kw} and full of love",
		"Bringing {kw} to your day",
		"Every day a little brighter",
	},
	chorusInvite: []string{
		"Right here in {area}",
		"Meet us in {area}",
		"Doors are open, come on in",
		"We'll be waiting here for you",
		"Come and see us any time",
	},
	chorusClose: []string{
		"Only at {name}",
		"We love you, {name}",
		"Always {name}",
		"Take me back to {name}",
	},
	bridge: []string{
		"When the day is feeling long",
		"Here's a place where you belong",
		"Even when the seasons change",
		"Every time I come back here",
		"Little moments, big delight",
		"Something special every time",
	},
	outro: []string{
		"See you soon, my friend",
		"Thank you for today",
		"Come back anytime",
	},
	outroName: []string{
		"We'll be waiting at {name}",
		"Goodbye from {name}",
		"See you at {name}",
	},
	themes: map[Theme]themeBank{
		ThemeCafe: {"cafe", []string{"coffee", "latte", "pastries", "espresso", "brunch"}, []string{
			"Coffee brewing, warm and slow", "Sunlight on the window seat", "Every cup a little smile",
			"Steam is rising from my mug", "Quiet music, cozy chair", "Take it easy, sip it slow"}},
		ThemeBakery: {"bakery", []string{"bread", "croissants", "cakes", "cookies", "pastries"}, []string{
			"Fresh from the oven every day", "Golden crust and sugar sweet", "Smell of bread is in the air",
			"Butter, flour and a little love", "Warm and flaky, just for you", "Rise and shine with something sweet"}},
		ThemeRestaurant: {"kitchen", []string{"flavor", "dinner", "good food", "fresh plates", "spice"}, []string{
			"Sizzling plates and happy sounds", "Every bite tastes just like home", "Pull a chair up to the table",
			"Friends together, share a meal", "Something cooking, smells so good", "Made with love and served up hot"}},
		ThemeBar: {"bar", []string{"cocktails", "wine", "music", "good times", "beer"}, []string{
			"Raise your glass and make a toast", "When the city lights come on", "Music playing soft and low",
			"Tonight the night is ours", "Friends are laughing at the bar", "Clink your glasses, here we go"}},
		ThemeFitness: {"gym", []string{"strength", "sweat", "training", "energy", "power"}, []string{
			"Feel the beat and feel the burn", "One more rep, you've got this", "Stronger than you were before",
			"Heart is pounding, let it go", "Push it harder, don't give up", "Every drop of sweat is gold"}},
		ThemeWellness: {"studio", []string{"calm", "yoga", "balance", "stillness", "breath"}, []string{
			"Take a breath and let it go", "Slow it down and feel at ease", "Quiet mind and open heart",
			"Find your calm, find your glow", "Let your shoulders fall away", "Gentle hands and peaceful air"}},
		ThemeBeauty: {"salon", []string{"style", "color", "glow", "nails", "shine"}, []string{
			"Look in the mirror, shine so bright", "A brand new you is waiting here", "Feeling fresh and feeling fine",
			"Little changes, big smile", "Walk out glowing, head up high", "Time to treat yourself today"}},
		ThemeFlorist: {"flower shop", []string{"roses", "tulips", "bouquets", "blossoms", "petals"}, []string{
			"Petals dancing in the breeze", "Every bloom a little song", "Wrap a bouquet full of love",
			"Colors of the season here", "Sunlight on a flower bed", "Say it with a single rose"}},
		ThemeShop: {"shop", []string{"treasures", "gifts", "style", "finds", "surprises"}, []string{
			"Something special on the shelf", "Pick a treasure, take it home", "Every visit something new",
			"Little finds that make you smile", "Treat yourself, you deserve it", "Browse around and take your time"}},
		ThemeEducation: {"school", []string{"learning", "lessons", "dreams", "friends", "questions"}, []string{
			"Every lesson lights the way", "Step by step we learn and grow", "Curious minds are welcome here",
			"Dream it big and make it real", "Raise your hand and ask away", "Smarter than we were today"}},
		ThemeHealth: {"clinic", []string{"care", "health", "comfort", "smiles", "kindness"}, []string{
			"Caring hands to help you heal", "Healthy days are on the way", "Leave your worries at the door",
			"Feel better, smile again", "Always here right by your side", "Gentle care in every step"}},
		ThemeLodging: {"stay", []string{"sunsets", "rest", "adventure", "starlight", "comfort"}, []string{
			"Pack your bags and come along", "Cozy nights and starry skies", "Wake up to a brand new view",
			"Rest your head and stay a while", "Memories are waiting here", "Far from home but feeling free"}},
		ThemeGeneral: {"place", []string{"service", "smiles", "quality", "kindness", "care"}, []string{
			"Friendly faces at the door", "Always here to help you out", "Made with care in every way",
			"We've been waiting just for you", "Little joys in every day", "Good things happen here"}},
	},
}
