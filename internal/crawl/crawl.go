// Package crawl turns a small business's website into what the rest of O2Sound needs:
// a business.Profile (name, description, address, phone, hashtags, colours …) and a
// ranked set of clean photos re-encoded as JPEGs. It is the first stage of the workflow
// (task1_crawl and task1_crawl_images in the seed documents).
//
// Crawl reads a live site through the SSRF-safe fetch.Client; CrawlDir reads a local
// folder (a saved site, or photos plus a business.json) without touching the network.
// Either way every image is decoded and re-encoded here, so nothing downloaded from the
// web reaches ffmpeg as it came.
//
// Failures are *fetch.Error with the stable codes of o2sound (CodeCrawl…):
//
//	CRAWL_001  unreachable               CRAWL_005  address not allowed
//	CRAWL_002  timed out                 CRAWL_006  nothing usable found
//	CRAWL_003  not an HTML page          CRAWL_007  invalid URL (or folder)
//	CRAWL_004  blocked by robots.txt     CRAWL_008  the site answered with an error status
//
// Message is written for the business owner; errors.As(err, new(*fetch.Error)) works
// through any wrapping.
package crawl

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/o2sound/o2sound/internal/business"
	"github.com/o2sound/o2sound/internal/fetch"
	"github.com/o2sound/o2sound/internal/imageprep"
	"github.com/o2sound/o2sound/internal/o2sound"
	"github.com/o2sound/o2sound/internal/sitefacts"
)

// Options configures a crawl. Zero values take the defaults noted.
type Options struct {
	// Fetch configures the HTTP client when Client is nil.
	Fetch fetch.Options `json:"fetch"`
	// Client, when set, is used as is (shared robots.txt cache, test hooks).
	Client *fetch.Client `json:"-"`

	MaxPages      int     `json:"max_pages,omitempty"`       // pages read, home included; default 4
	MaxImages     int     `json:"max_images,omitempty"`      // images kept; default 12
	MaxDownloads  int     `json:"max_downloads,omitempty"`   // images examined; default 40
	MaxImageBytes int64   `json:"max_image_bytes,omitempty"` // per image file; default 20 MiB
	MaxPixels     int     `json:"max_pixels,omitempty"`      // per image, checked before decoding; default 40 MP
	MaxLongSide   int     `json:"max_long_side,omitempty"`   // of kept images; default 2560
	MinLongSide   int     `json:"min_long_side,omitempty"`   // smaller images are dropped; default 480
	MinShortSide  int     `json:"min_short_side,omitempty"`  // default 240
	MaxAspect     float64 `json:"max_aspect,omitempty"`      // long/short side; default 3
	// OutDir receives the kept images as image-01.jpg, image-02.jpg … in rank order,
	// and the logo as logo.png. It must exist. Empty means the images are examined and ranked but not written.
	OutDir string `json:"out_dir,omitempty"`
	// Timeout bounds the whole crawl; default 2 minutes.
	Timeout time.Duration `json:"timeout,omitempty"`
	// Concurrency is the number of images downloaded at once; default 4.
	Concurrency int `json:"concurrency,omitempty"`
	// Render says when a page is rendered in a browser before it is read (CRAWL_RENDER):
	// RenderAuto ("") only shells, RenderAlways every page, RenderOff never.
	Render RenderMode `json:"render,omitempty"`
	// Renderer renders; nil means rendering is not available (auto then reads the
	// static HTML, as with no browser installed). Folders are never rendered.
	Renderer Renderer `json:"-"`
}

func (o Options) withDefaults() Options {
	def := func(v *int, d int) {
		if *v <= 0 {
			*v = d
		}
	}
	def(&o.MaxPages, 4)
	def(&o.MaxImages, 12)
	def(&o.MaxDownloads, 40)
	def(&o.MaxPixels, imageprep.DefaultMaxPixels)
	def(&o.MaxLongSide, imageprep.DefaultMaxLongSide)
	def(&o.MinLongSide, 480)
	def(&o.MinShortSide, 240)
	def(&o.Concurrency, 4)
	if o.MaxImageBytes <= 0 {
		o.MaxImageBytes = imageprep.DefaultMaxImageBytes
	}
	if o.MaxAspect <= 1 {
		o.MaxAspect = 3
	}
	if o.Timeout <= 0 {
		o.Timeout = 2 * time.Minute
	}
	return o
}

// Result is what a crawl found.
type Result struct {
	Profile business.Profile `json:"profile"`
	// Images are the kept photos, best first.
	Images []Image `json:"images"`
	// Dropped lists images that were considered and left out, with the reason; at most
	// maxDroppedListed entries, MoreDropped counts the rest.
	Dropped     []DroppedImage `json:"dropped"`
	MoreDropped int            `json:"more_dropped,omitempty"`
	// Pages are the pages read, home first (URLs, or paths inside the folder).
	Pages []string `json:"pages"`
	// LogoURL is the image the brand colours were taken from, if any.
	LogoURL string `json:"logo_url,omitempty"`
	// Logo is the site's logo saved as OutDir/logo.png (transparency kept) for the
	// video's cards; nil when the site has none readable and at least MinLogoSide.
	Logo *Logo `json:"logo,omitempty"`
}

// Image is a kept photo. Width, Height and Bytes describe the written JPEG; the Source
// fields describe what the site served.
type Image struct {
	Path         string  `json:"path,omitempty"`
	SourceURL    string  `json:"source_url"`
	Width        int     `json:"width"`
	Height       int     `json:"height"`
	Bytes        int64   `json:"bytes"`
	SourceWidth  int     `json:"source_width"`
	SourceHeight int     `json:"source_height"`
	SourceBytes  int     `json:"source_bytes"`
	Score        float64 `json:"score"`
	Alt          string  `json:"alt,omitempty"`
	Origin       string  `json:"origin"` // og:image, json-ld, img, picture, link, background, css, file
}

// DroppedImage is a candidate left out, and why. Reason is one of the Reason…
// constants; Detail adds specifics (sizes, the URL it duplicates, the HTTP status).
type DroppedImage struct {
	SourceURL string `json:"source_url"`
	Reason    string `json:"reason"`
	Detail    string `json:"detail,omitempty"`

	order int // the candidate's place on the site, so the list reads in page order
}

// Reasons an image is dropped.
const (
	ReasonSVG         = "svg"
	ReasonFormat      = "unsupported format"
	ReasonNotImage    = "not an image"
	ReasonLogo        = "logo"
	ReasonIcon        = "icon"
	ReasonTracking    = "tracking pixel"
	ReasonTooSmall    = "too small"
	ReasonAspect      = "extreme aspect ratio"
	ReasonPixels      = "too many pixels"
	ReasonBytes       = "file too large"
	ReasonFlat        = "blank or flat"
	ReasonDuplicate   = "duplicate"
	ReasonRobots      = "blocked by robots.txt"
	ReasonAddress     = "address not allowed"
	ReasonDownload    = "download failed"
	ReasonBudget      = "over download limit"
	ReasonLimit       = "over image limit"
	ReasonOutsideSite = "outside the folder"
)

const maxDroppedListed = 200

// Crawl reads the site at rawURL: the home page, up to MaxPages-1 same-site pages that
// matter (menu, about, location, contact), and their images.
func Crawl(ctx context.Context, rawURL string, opts Options) (*Result, error) {
	opts = opts.withDefaults()
	u, err := fetch.NormalizeURL(rawURL)
	if err != nil {
		return nil, err
	}
	client := opts.Client
	if client == nil {
		client = fetch.NewClient(opts.Fetch)
		defer client.CloseIdleConnections()
	}
	ctx, cancel := context.WithTimeout(ctx, opts.Timeout)
	defer cancel()
	return run(ctx, newRenderingSource(&webSource{client: client, home: u}, opts), u, opts)
}

// CrawlDir reads a local folder. A folder with index.html is read as a saved site (its
// pages and images, never anything outside the folder and never the network); a folder
// of photos needs a business.json holding a business.Profile (at least "name"). When
// both are present, business.json overrides what the pages say.
func CrawlDir(ctx context.Context, dir string, opts Options) (*Result, error) {
	opts = opts.withDefaults()
	ctx, cancel := context.WithTimeout(ctx, opts.Timeout)
	defer cancel()
	st, err := os.Stat(dir)
	if err != nil || !st.IsDir() {
		return nil, &fetch.Error{Code: o2sound.CodeCrawlInvalidURL, Message: "That folder does not exist or is not a folder.", Err: fmt.Errorf("crawl: %s: %w", dir, errOrNotDir(err))}
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, &fetch.Error{Code: o2sound.CodeCrawlInvalidURL, Message: "That folder cannot be opened.", Err: fmt.Errorf("crawl: %w", err)}
	}
	defer root.Close()
	src := &dirSource{root: root}
	override, err := src.businessJSON()
	if err != nil {
		return nil, err
	}
	var res *Result
	if index := src.indexPage(); index != "" {
		res, err = run(ctx, src, &url.URL{Scheme: "file", Path: "/" + index}, opts)
		if err != nil && override == nil {
			return nil, err
		}
	}
	if res == nil {
		if override == nil {
			return nil, &fetch.Error{Code: o2sound.CodeCrawlNothingUsable,
				Message: "The folder has no index.html and no business.json. Add a business.json with at least your business's name next to your photos.",
				Err:     fmt.Errorf("crawl: %s: no index.html or business.json", dir)}
		}
		res, err = runPhotoFolder(ctx, src, opts, *override)
		if err != nil {
			return nil, err
		}
	}
	if override != nil {
		res.Profile = mergeOverride(res.Profile, *override)
	}
	sitefacts.CompleteProfile(&res.Profile, res.imageURLs())
	return res, nil
}

func errOrNotDir(err error) error {
	if err != nil {
		return err
	}
	return fmt.Errorf("not a directory")
}

// mergeOverride lays the owner's business.json over what the pages said.
func mergeOverride(p, o business.Profile) business.Profile {
	str := func(dst *string, v string) {
		if strings.TrimSpace(v) != "" {
			*dst = strings.TrimSpace(v)
		}
	}
	str(&p.Name, o.Name)
	str(&p.Tagline, o.Tagline)
	str(&p.Description, o.Description)
	str(&p.Category, o.Category)
	str(&p.Address, o.Address)
	str(&p.Area, o.Area)
	str(&p.Phone, o.Phone)
	str(&p.URL, o.URL)
	str(&p.ThumbnailURL, o.ThumbnailURL)
	str(&p.Language, o.Language)
	if len(o.Keywords) > 0 {
		p.Keywords = o.Keywords
	}
	if len(o.Hashtags) > 0 {
		p.Hashtags = o.Hashtags
	}
	if len(o.Colors) > 0 {
		p.Colors = o.Colors
	}
	if o.Address != "" && o.Area == "" {
		p.Area = ""
	}
	return p
}

// imageURLs are where the kept images came from, best first.
func (r *Result) imageURLs() []string {
	urls := make([]string, len(r.Images))
	for i, im := range r.Images {
		urls[i] = im.SourceURL
	}
	return urls
}
