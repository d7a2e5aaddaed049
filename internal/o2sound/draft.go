package o2sound

// Draft is what the expensive stages of a task are made from, as the owner sees and
// edits it: the facts on the cards, the lyrics as sung, the photos in video order, the
// logo, the music's style and the video's shape and length.
type Draft struct {
	TaskID   string
	Facts    Facts
	Lyrics   DraftLyrics
	Photos   []DraftPhoto
	Logo     *DraftPhoto // nil: no logo
	Style    Style
	Aspect   string
	Duration float64
}

// Facts are the business's details the video shows.
type Facts struct {
	Name     string   `json:"name"`
	Tagline  string   `json:"tagline"`
	Phone    string   `json:"phone"`
	Address  string   `json:"address"`
	Website  string   `json:"website"`
	Hashtags []string `json:"hashtags"`
}

// DraftLyrics is a song text: a title and named sections of lines.
type DraftLyrics struct {
	Title    string         `json:"title"`
	Sections []DraftSection `json:"sections"`
}

// DraftSection is one part of the song.
type DraftSection struct {
	Name  string   `json:"name"`
	Lines []string `json:"lines"`
}

// DraftPhoto is one of the owner's photos as a draft lists it.
type DraftPhoto struct {
	PhotoID string
	Width   int
	Height  int
	Source  string // PhotoFromSite or PhotoFromUpload
}

// Style is how the song sounds.
type Style struct {
	Genre string `json:"genre"`
	Mood  string `json:"mood"`
	Tempo int    `json:"tempo"`
}

// DraftChanges are an owner's edits for a re-make; nil fields keep the source's value.
type DraftChanges struct {
	Facts    *FactChanges
	Lyrics   *DraftLyrics // replaces the whole text, sung as written
	Photos   []string     // nil: unchanged; otherwise the whole ordered list of photo ids
	Logo     *string      // nil: unchanged; "": no logo; else a photo id
	Style    *StyleChanges
	Aspect   string  // "": unchanged
	Duration float64 // 0: unchanged
}

// FactChanges replace the facts they set.
type FactChanges struct {
	Name     *string
	Tagline  *string
	Phone    *string
	Address  *string
	Website  *string
	Hashtags []string // nil: unchanged
}

// StyleChanges replace the style fields they set.
type StyleChanges struct {
	Genre string
	Mood  string
	Tempo int
}

// Limits of a draft, shared by the validators and the API's documentation.
const (
	MaxDraftPhotos = 30
	MaxTaglineLen  = 120
)
