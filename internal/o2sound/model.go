package o2sound

import "time"

// User is an account. UserID is the login name of the seed API ("testuser");
// ID is the stable UUID every other row refers to.
type User struct {
	ID           string
	UserID       string
	Name         string
	Email        string
	PhoneNumber  string
	PasswordHash string // empty for accounts that only sign in with Google
	GoogleSub    string
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// Item is one of a user's businesses.
type Item struct {
	ID           string
	OwnerID      string
	Name         string
	Address      string
	URL          string
	PhoneNumber  string
	ThumbnailURL string
	Hashtags     []string
	Metadata     []byte // the crawler's full business profile as JSON, for later stages
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// Video statuses.
const (
	VideoProcessing = "processing"
	VideoCompleted  = "completed"
	VideoFailed     = "failed"
)

// Video is a finished (or in-progress) promotional video. Filename is the random,
// unguessable name under which it streams; ThumbnailName likewise for its JPEG.
type Video struct {
	ID            string
	OwnerID       string
	ItemID        string // empty when the business was deleted
	TaskID        string
	Title         string
	Description   string
	Filename      string
	ThumbnailName string
	CaptionsName  string // the WebVTT file's random name; its SubRip twin ends in .srt
	Resolution    string
	Status        string
	Duration      float64
	SizeBytes     int64
	DownloadCount int64
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

// Page is an optional pagination request; the zero value means "everything".
type Page struct {
	Number int // 1-based
	Size   int
}

// Offset is the number of rows before the page.
func (p Page) Offset() int {
	if p.Size == 0 {
		return 0
	}
	return (p.Number - 1) * p.Size
}

// Photo sources.
const (
	PhotoFromSite   = "site"
	PhotoFromUpload = "upload"
)

// Photo is one of an owner's pictures: found on their site by a task's crawl, or
// uploaded. Its file is stored under its id; Format is "jpeg" or "png".
type Photo struct {
	ID        string
	OwnerID   string
	TaskID    string // the task whose crawl found it; empty for uploads
	Source    string
	Format    string
	Width     int
	Height    int
	SizeBytes int64
	CreatedAt time.Time
}
