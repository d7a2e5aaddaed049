package sitefacts

import (
	"encoding/json"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/o2sound/o2sound/internal/htmltext"
)

// ldBusiness is what the JSON-LD on a page says about the business.
type ldBusiness struct {
	Type        string // the most specific schema.org type, e.g. CafeOrCoffeeShop
	Rank        int    // 3 local business, 2 organization, 1 web site
	Name        string
	Description string
	Slogan      string
	Telephone   string
	URL         string
	Address     ldAddress
	Images      []string
	Logo        string
	Keywords    []string
	// Publisher: the node is a page's publisher, the site's own brand.
	Publisher bool
	// SiteName is the name of the page's WebSite node, kept beside a better node.
	SiteName string
}

type ldAddress struct {
	Text     string // an address given as one string
	Street   string
	Locality string
	Region   string
	Postal   string
	Country  string
}

func (a ldAddress) empty() bool { return a == ldAddress{} }

// Limits on what one page's JSON-LD may cost us.
const (
	maxLDScriptBytes = 256 << 10
	maxLDScripts     = 20
	maxLDDepth       = 8
	maxLDNodes       = 500
)

// genericTypes never describe the business itself.
var genericTypes = map[string]bool{
	"WebSite": true, "WebPage": true, "BreadcrumbList": true, "ListItem": true, "ImageObject": true,
	"Person": true, "Offer": true, "Product": true, "Menu": true, "MenuItem": true, "MenuSection": true,
	"PostalAddress": true, "GeoCoordinates": true, "OpeningHoursSpecification": true, "Review": true,
	"AggregateRating": true, "Rating": true, "SearchAction": true, "EntryPoint": true, "Thing": true,
	"ItemList": true, "VideoObject": true, "Article": true, "BlogPosting": true, "FAQPage": true,
	"Question": true, "Answer": true, "Event": true, "ContactPoint": true, "Place": true,
	"Organization": true, "Corporation": true, "LocalBusiness": true, "SiteNavigationElement": true,
	"CollectionPage": true, "AboutPage": true, "ContactPage": true, "ReadAction": true,
}

// businessTypes are schema.org LocalBusiness subtypes a small business uses. Any other
// non-generic type that names a business (…Store, …Shop, …Business) is accepted too.
var businessTypes = map[string]bool{
	"FoodEstablishment": true, "CafeOrCoffeeShop": true, "Bakery": true, "Restaurant": true,
	"FastFoodRestaurant": true, "BarOrPub": true, "Brewery": true, "Winery": true, "Distillery": true,
	"IceCreamShop": true, "Store": true, "ClothingStore": true, "Florist": true, "BookStore": true,
	"GroceryStore": true, "ConvenienceStore": true, "PetStore": true, "ShoeStore": true, "JewelryStore": true,
	"HomeGoodsStore": true, "FurnitureStore": true, "GardenStore": true, "SportingGoodsStore": true,
	"ToyStore": true, "ElectronicsStore": true, "HealthAndBeautyBusiness": true, "HairSalon": true,
	"BeautySalon": true, "NailSalon": true, "DaySpa": true, "TattooParlor": true, "ExerciseGym": true,
	"SportsActivityLocation": true, "SportsClub": true, "Dentist": true, "MedicalClinic": true,
	"Physician": true, "Optician": true, "Pharmacy": true, "VeterinaryCare": true, "LodgingBusiness": true,
	"Hotel": true, "Motel": true, "BedAndBreakfast": true, "Hostel": true, "Resort": true,
	"Campground": true, "AutoRepair": true, "AutoDealer": true, "ProfessionalService": true,
	"LegalService": true, "Attorney": true, "AccountingService": true, "RealEstateAgent": true,
	"TravelAgency": true, "EntertainmentBusiness": true, "ChildCare": true, "Preschool": true,
	"EducationalOrganization": true, "School": true, "DanceSchool": true, "MusicSchool": true,
	"HomeAndConstructionBusiness": true, "Plumber": true, "Electrician": true, "HousePainter": true,
	"Locksmith": true, "MovingCompany": true, "DryCleaningOrLaundry": true, "SelfStorage": true,
	"ArtGallery": true, "MovieTheater": true, "NightClub": true, "BowlingAlley": true,
	"AmusementPark": true, "TouristAttraction": true, "MedicalBusiness": true, "Spa": true,
	"YogaStudio": true, "PilatesStudio": true,
}

// parseJSONLD reads the ld+json scripts of a page and returns the node that best
// describes the business, or nil. Broken JSON is skipped: one bad script must not hide
// a good one.
func parseJSONLD(scripts []string) *ldBusiness {
	var best *ldBusiness
	site := ""
	nodes := 0
	if len(scripts) > maxLDScripts {
		scripts = scripts[:maxLDScripts]
	}
	for _, s := range scripts {
		if len(s) > maxLDScriptBytes {
			continue
		}
		s = cleanLDScript(s)
		var v any
		if err := json.Unmarshal([]byte(s), &v); err != nil {
			continue
		}
		walkLD(v, "", 0, &nodes, func(m map[string]any, key string) {
			b := ldFromNode(m)
			if b == nil {
				return
			}
			b.Publisher = key == "publisher" && b.Rank >= 2
			if b.Rank == 1 && site == "" {
				site = b.Name
			}
			// A publisher is the site speaking of itself: it beats another
			// organization mentioned on the page, not a local business.
			if best == nil || b.Rank > best.Rank || b.Rank == best.Rank && b.Publisher && !best.Publisher {
				best = b
			}
		})
	}
	if best != nil && best.Rank >= 2 {
		best.SiteName = site
	}
	return best
}

// notTheSite are properties whose values are other parties: who wrote an article,
// made or branded a product, belongs to or reviewed something. An Organization found
// there is not the business that runs the site.
var notTheSite = map[string]bool{
	"author": true, "creator": true, "contributor": true, "editor": true, "member": true,
	"members": true, "alumni": true, "founder": true, "founders": true, "employee": true,
	"employees": true, "brand": true, "manufacturer": true, "review": true, "reviews": true,
	"itemReviewed": true, "performer": true, "performers": true, "attendee": true,
	"sponsor": true, "funder": true, "parentOrganization": true, "subOrganization": true,
	"memberOf": true, "worksFor": true, "affiliation": true, "copyrightHolder": true,
	"sourceOrganization": true, "about": true, "mentions": true, "competitor": true,
}

// cleanLDScript strips the comment and CDATA wrappers CMSes put around JSON.
func cleanLDScript(s string) string {
	s = strings.TrimSpace(s)
	for _, w := range []string{"<!--", "-->", "//<![CDATA[", "//]]>", "<![CDATA[", "]]>"} {
		s = strings.ReplaceAll(s, w, "")
	}
	return strings.TrimSpace(s)
}

// walkLD visits every typed node with the property it was found under ("" at the top
// or in a @graph), skipping the subtrees of notTheSite properties.
func walkLD(v any, key string, depth int, nodes *int, visit func(m map[string]any, key string)) {
	if depth > maxLDDepth || *nodes > maxLDNodes || notTheSite[key] {
		return
	}
	switch t := v.(type) {
	case []any:
		for _, e := range t {
			walkLD(e, key, depth+1, nodes, visit)
		}
	case map[string]any:
		*nodes++
		if _, ok := t["@type"]; ok {
			visit(t, key)
		}
		// In key order: a map's own order is random, and ties between nodes of one
		// rank must not be.
		for _, k := range slices.Sorted(maps.Keys(t)) {
			e := t[k]
			if k == "@context" {
				continue
			}
			if k == "@graph" {
				k = ""
			}
			walkLD(e, k, depth+1, nodes, visit)
		}
	}
}

func ldFromNode(m map[string]any) *ldBusiness {
	types := ldTypes(m["@type"])
	b := &ldBusiness{}
	for _, t := range types {
		rank := 0
		switch {
		case businessTypes[t] || !genericTypes[t] && looksLikeBusinessType(t):
			rank = 3
		case t == "LocalBusiness":
			rank = 3
		case t == "Organization" || t == "Corporation":
			rank = 2
		case t == "WebSite":
			rank = 1
		}
		// The first type wins, except that a specific subtype beats plain LocalBusiness.
		if rank > b.Rank || rank == 3 && b.Type == "LocalBusiness" && t != "LocalBusiness" {
			b.Rank, b.Type = rank, t
		}
	}
	if b.Rank == 0 {
		return nil
	}
	b.Name = ldString(m["name"])
	if b.Name == "" {
		b.Name = ldString(m["alternateName"])
	}
	b.Description = ldString(m["description"])
	b.Slogan = ldString(m["slogan"])
	b.Telephone = ldString(m["telephone"])
	b.URL = ldString(m["url"])
	b.Address = ldAddressOf(m["address"])
	b.Images = ldURLs(m["image"])
	b.Images = append(b.Images, ldURLs(m["photo"])...)
	if logos := ldURLs(m["logo"]); len(logos) > 0 {
		b.Logo = logos[0]
	}
	b.Keywords = ldList(m["keywords"])
	b.Keywords = append(b.Keywords, ldList(m["servesCuisine"])...)
	if b.Rank == 1 {
		// A WebSite node only tells us the name; its description is the site's.
		*b = ldBusiness{Rank: 1, Type: b.Type, Name: b.Name, URL: b.URL}
	}
	return b
}

func looksLikeBusinessType(t string) bool {
	for _, suffix := range []string{"Store", "Shop", "Business", "Restaurant", "Salon", "Studio", "Clinic", "Service"} {
		if strings.HasSuffix(t, suffix) {
			return true
		}
	}
	return false
}

// ldTypes normalises @type: a string or list, possibly a full IRI or a prefixed name.
func ldTypes(v any) []string {
	var raw []string
	switch t := v.(type) {
	case string:
		raw = []string{t}
	case []any:
		for _, e := range t {
			if s, ok := e.(string); ok {
				raw = append(raw, s)
			}
		}
	}
	out := raw[:0]
	for _, s := range raw {
		if i := strings.LastIndexAny(s, "/:#"); i >= 0 {
			s = s[i+1:]
		}
		if validTypeName(s) {
			out = append(out, s)
		}
	}
	return out
}

func validTypeName(s string) bool {
	if s == "" || len(s) > 60 {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			return false
		}
	}
	return s[0] >= 'A' && s[0] <= 'Z'
}

// ldString reads a text value: a string, a number, {"@value": …}, or the first of a list.
func ldString(v any) string {
	switch t := v.(type) {
	case string:
		return htmltext.CollapseSpace(t)
	case float64:
		return strconv.FormatFloat(t, 'f', -1, 64)
	case map[string]any:
		if s, ok := t["@value"]; ok {
			return ldString(s)
		}
	case []any:
		for _, e := range t {
			if s := ldString(e); s != "" {
				return s
			}
		}
	}
	return ""
}

// ldList reads keywords: a comma-separated string or a list of strings.
func ldList(v any) []string {
	var out []string
	switch t := v.(type) {
	case string:
		out = splitKeywords(t)
	case []any:
		for _, e := range t {
			if s := ldString(e); s != "" {
				out = append(out, splitKeywords(s)...)
			}
		}
	}
	return out
}

// ldURLs reads image-like values: a URL, an ImageObject, or a list of either.
func ldURLs(v any) []string {
	switch t := v.(type) {
	case string:
		if s := strings.TrimSpace(t); s != "" {
			return []string{s}
		}
	case map[string]any:
		// Not "@id": it names the node and is often a page URL with a #fragment.
		for _, k := range []string{"contentUrl", "url"} {
			if s := ldString(t[k]); s != "" {
				return []string{s}
			}
		}
	case []any:
		var out []string
		for _, e := range t {
			out = append(out, ldURLs(e)...)
			if len(out) >= 20 {
				break
			}
		}
		return out
	}
	return nil
}

func ldAddressOf(v any) ldAddress {
	switch t := v.(type) {
	case string:
		return ldAddress{Text: htmltext.CollapseSpace(t)}
	case map[string]any:
		return ldAddress{
			Street:   ldString(t["streetAddress"]),
			Locality: ldString(t["addressLocality"]),
			Region:   ldString(t["addressRegion"]),
			Postal:   ldString(t["postalCode"]),
			Country:  ldString(t["addressCountry"]),
		}
	case []any:
		for _, e := range t {
			if a := ldAddressOf(e); !a.empty() {
				return a
			}
		}
	}
	return ldAddress{}
}

// String formats the address the way people write it: Korean addresses go from the
// largest unit down (서울특별시 강남구 테헤란로 123), Western ones the other way.
func (a ldAddress) String() string {
	if a.Text != "" {
		return a.Text
	}
	if htmltext.HangulShare(a.Street+a.Locality+a.Region) > 0.3 {
		var parts []string
		for _, p := range []string{a.Region, a.Locality, a.Street} {
			if p != "" && !containsFold(parts, p) {
				parts = append(parts, p)
			}
		}
		return strings.Join(parts, " ")
	}
	street, locality := strings.TrimSpace(a.Street), cleanLocality(a.Locality)
	region, postal := strings.TrimSpace(a.Region), strings.Trim(strings.TrimSpace(a.Postal), " -–,")
	var parts []string
	if hasContent(street) {
		parts = append(parts, street)
	}
	// "Austin, TX 78702" where regions are short codes; "40472 Düsseldorf" elsewhere.
	if region != "" && len(region) <= 3 && region == strings.ToUpper(region) || postal == "" {
		if hasContent(locality) {
			parts = append(parts, locality)
		}
		if r := strings.TrimSpace(region + " " + postal); hasContent(r) {
			parts = append(parts, r)
		}
	} else if town := strings.TrimSpace(postal + " " + locality); hasContent(town) {
		parts = append(parts, town)
	}
	return strings.Join(parts, ", ")
}

func containsFold(list []string, s string) bool {
	for _, e := range list {
		if strings.EqualFold(e, s) || strings.Contains(e, s) {
			return true
		}
	}
	return false
}
