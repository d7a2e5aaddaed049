// Package business holds what O2Sound knows about one business: the facts the crawler
// finds on its website and every later stage (lyrics, music, video cards) reads.
// It has no I/O; it is the shared vocabulary of the pipeline packages.
package business

// Profile is a business as the pipeline sees it. Every field is optional except Name;
// producers fill what they can find, consumers cope with what is missing.
type Profile struct {
	Name        string   `json:"name"`
	Tagline     string   `json:"tagline,omitempty"`     // a short line for the opening card
	Description string   `json:"description,omitempty"` // a sentence or two about the business
	Keywords    []string `json:"keywords,omitempty"`
	Hashtags    []string `json:"hashtags,omitempty"` // 3–10, in the site's language, without '#'
	// Category is a schema.org LocalBusiness type when one is known (CafeOrCoffeeShop,
	// Bakery, Restaurant, ExerciseGym, …), otherwise a plain word inferred from the text.
	Category string `json:"category,omitempty"`
	Address  string `json:"address,omitempty"`
	Area     string `json:"area,omitempty"` // neighbourhood or district taken from the address, e.g. "강남구 역삼동"
	Phone    string `json:"phone,omitempty"`
	// PhoneE164 is Phone in E.164 (+8223367788) when it is a valid number; Country is
	// the business's ISO 3166-1 alpha-2 country (from its address, number, domain or
	// language) when known. Both are for formatting the number in its national form.
	PhoneE164    string   `json:"phone_e164,omitempty"`
	Country      string   `json:"country,omitempty"`
	URL          string   `json:"url,omitempty"`           // canonical URL of the site
	ThumbnailURL string   `json:"thumbnail_url,omitempty"` // og:image or the best image
	Language     string   `json:"language,omitempty"`      // BCP 47 base language: "ko", "en", …
	Colors       []string `json:"colors,omitempty"`        // brand colours as "#rrggbb", most important first
}

// IsKorean reports whether text for this business should be written in Korean.
func (p Profile) IsKorean() bool { return p.Language == "ko" }
