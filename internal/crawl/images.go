package crawl

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"unicode"

	"github.com/o2sound/o2sound/internal/business"
	"github.com/o2sound/o2sound/internal/imageprep"
	"github.com/o2sound/o2sound/internal/sitefacts"
)

// decodeSlots bounds how many images are decoded at once: decoding is the memory peak
// (a 40 MP photo is 160 MB as RGBA) and the CPU cost, downloads are neither.
const decodeSlots = 2

// imagePipeline downloads, filters, dedupes, ranks and writes a crawl's images.
type imagePipeline struct {
	src     source
	opts    Options
	profile *business.Profile

	mu        sync.Mutex
	kept      []Image
	dropped   []DroppedImage
	topColors []string
}

// examined is a candidate that passed every check on its own.
type examined struct {
	cand   candidate
	hdr    imageprep.Header
	size   int // bytes downloaded
	outW   int
	outH   int
	bytes  int64
	tmp    string
	stats  imageprep.Stats
	colors []string
	score  float64
}

func (ip *imagePipeline) drop(c candidate, reason, detail string) {
	ip.mu.Lock()
	defer ip.mu.Unlock()
	ip.dropped = append(ip.dropped, DroppedImage{SourceURL: ip.display(c.URL), Reason: reason, Detail: detail, order: c.Order})
}

func (ip *imagePipeline) display(rawURL string) string {
	if u, err := url.Parse(rawURL); err == nil {
		return ip.src.display(u)
	}
	return rawURL
}

func (ip *imagePipeline) run(ctx context.Context, cands []candidate) {
	ip.kept, ip.dropped = []Image{}, []DroppedImage{}
	var queue []candidate
	shown := map[string]bool{}
	for _, c := range cands {
		// Two spellings of one file (a saved site's absolute and relative links) are one
		// candidate.
		d := ip.display(c.URL)
		if shown[d] {
			continue
		}
		shown[d] = true
		if reason, detail := preFilter(c); reason != "" {
			ip.drop(c, reason, detail)
			continue
		}
		queue = append(queue, c)
	}
	sortForDownload(queue)
	if len(queue) > ip.opts.MaxDownloads {
		for _, c := range queue[ip.opts.MaxDownloads:] {
			ip.drop(c, ReasonBudget, fmt.Sprintf("only the first %d candidates are examined", ip.opts.MaxDownloads))
		}
		queue = queue[:ip.opts.MaxDownloads]
	}

	results := make([]*examined, len(queue))
	slots := make(chan struct{}, decodeSlots)
	work := make(chan int)
	var wg sync.WaitGroup
	for range min(ip.opts.Concurrency, max(1, len(queue))) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				results[i] = ip.examine(ctx, i, queue[i], slots)
			}
		}()
	}
	for i := range queue {
		work <- i
	}
	close(work)
	wg.Wait()

	var ok []*examined
	for _, e := range results {
		if e != nil {
			e.score = ip.score(e)
			ok = append(ok, e)
		}
	}
	sort.SliceStable(ok, func(i, j int) bool {
		if ok[i].score != ok[j].score {
			return ok[i].score > ok[j].score
		}
		return ok[i].cand.Order < ok[j].cand.Order
	})
	var kept []*examined
	for _, e := range ok {
		var dup *examined
		for _, k := range kept {
			if imageprep.HammingDistance(e.stats.Hash, k.stats.Hash) <= imageprep.DuplicateBits {
				dup = k
				break
			}
		}
		switch {
		case dup != nil:
			ip.drop(e.cand, ReasonDuplicate, "same photo as "+ip.display(dup.cand.URL))
			removeQuietly(e.tmp)
		case len(kept) >= ip.opts.MaxImages:
			ip.drop(e.cand, ReasonLimit, fmt.Sprintf("only the best %d images are kept", ip.opts.MaxImages))
			removeQuietly(e.tmp)
		default:
			kept = append(kept, e)
		}
	}
	for i, e := range kept {
		img := Image{
			SourceURL: ip.display(e.cand.URL), Width: e.outW, Height: e.outH, Bytes: e.bytes,
			SourceWidth: e.hdr.Width, SourceHeight: e.hdr.Height, SourceBytes: e.size,
			Score: e.score, Alt: e.cand.Alt, Origin: e.cand.Origin,
		}
		if e.tmp != "" {
			final := filepath.Join(ip.opts.OutDir, fmt.Sprintf("image-%02d.jpg", i+1))
			if err := os.Rename(e.tmp, final); err != nil {
				ip.drop(e.cand, ReasonDownload, "could not be saved")
				removeQuietly(e.tmp)
				continue
			}
			img.Path = final
		}
		ip.kept = append(ip.kept, img)
	}
	if len(kept) > 0 {
		ip.topColors = kept[0].colors
	}
	// Workers finish in any order; the report should not.
	sort.SliceStable(ip.dropped, func(i, j int) bool { return ip.dropped[i].order < ip.dropped[j].order })
}

func removeQuietly(p string) {
	if p != "" {
		_ = os.Remove(p)
	}
}

// examine downloads one candidate and checks it: format and pixel count from the header,
// then size and shape, then the decoded pixels (blank, flat). A passing image is
// normalised and written to a temporary file in OutDir. It returns nil when dropped.
func (ip *imagePipeline) examine(ctx context.Context, i int, c candidate, slots chan struct{}) *examined {
	if ctx.Err() != nil {
		ip.drop(c, ReasonDownload, "the crawl ran out of time")
		return nil
	}
	u, err := url.Parse(c.URL)
	if err != nil {
		ip.drop(c, ReasonDownload, "invalid URL")
		return nil
	}
	data, err := ip.src.image(ctx, u, ip.opts.MaxImageBytes)
	if err != nil {
		var de *dropError
		if errors.As(err, &de) {
			ip.drop(c, de.reason, de.detail)
		} else {
			ip.drop(c, ReasonDownload, "the crawl ran out of time")
		}
		return nil
	}
	hdr, err := imageprep.Inspect(data, ip.opts.MaxPixels)
	if err != nil {
		reason, sentinel := ReasonNotImage, imageprep.ErrNotImage
		switch {
		case errors.Is(err, imageprep.ErrSVG):
			reason, sentinel = ReasonSVG, imageprep.ErrSVG
		case errors.Is(err, imageprep.ErrUnsupportedFormat):
			reason, sentinel = ReasonFormat, imageprep.ErrUnsupportedFormat
		case errors.Is(err, imageprep.ErrTooManyPixels):
			reason, sentinel = ReasonPixels, imageprep.ErrTooManyPixels
		}
		ip.drop(c, reason, strings.TrimPrefix(strings.TrimPrefix(err.Error(), sentinel.Error()), ": "))
		return nil
	}
	w, h := hdr.Width, hdr.Height
	long, short := max(w, h), min(w, h)
	dims := fmt.Sprintf("%d×%d", w, h)
	switch {
	case w*h <= 4:
		ip.drop(c, ReasonTracking, dims)
		return nil
	case float64(long)/float64(short) > ip.opts.MaxAspect:
		ip.drop(c, ReasonAspect, dims)
		return nil
	case long < ip.opts.MinLongSide || short < ip.opts.MinShortSide:
		ip.drop(c, ReasonTooSmall, dims)
		return nil
	}

	select {
	case slots <- struct{}{}:
	case <-ctx.Done():
		ip.drop(c, ReasonDownload, "the crawl ran out of time")
		return nil
	}
	defer func() { <-slots }()
	release, err := imageprep.ReserveDecode(ctx, hdr)
	if err != nil {
		ip.drop(c, ReasonDownload, "the crawl ran out of time")
		return nil
	}
	defer release()
	img, err := imageprep.Decode(data, hdr.Format)
	if err != nil {
		ip.drop(c, ReasonNotImage, "the file is damaged")
		return nil
	}
	size := len(data)
	rgba := imageprep.Normalize(img, hdr.Orientation, ip.opts.MaxLongSide)
	stats := imageprep.Measure(rgba)
	if stats.StdDev < 4 {
		ip.drop(c, ReasonFlat, fmt.Sprintf("%s, almost one colour", dims))
		return nil
	}
	e := &examined{cand: c, hdr: hdr, size: size, outW: rgba.Bounds().Dx(), outH: rgba.Bounds().Dy(),
		stats: stats, colors: dominantColors(rgba, 3)}
	if ip.opts.OutDir != "" {
		e.tmp = filepath.Join(ip.opts.OutDir, fmt.Sprintf(".candidate-%03d.jpg", i))
		n, err := imageprep.WriteJPEG(rgba, e.tmp)
		if err != nil {
			ip.drop(c, ReasonDownload, "could not be saved")
			return nil
		}
		e.bytes = n
	}
	return e
}

// score ranks a photo from 0 to 1: bigger, earlier, chosen by the owner (og:image,
// JSON-LD), described with the business's own words, landscape like the video, and
// with detail in it. Images in the header, navigation or footer rank lower.
func (ip *imagePipeline) score(e *examined) float64 {
	w, h := float64(e.hdr.Width), float64(e.hdr.Height)
	size := math.Min(1, math.Sqrt(w*h/(1920*1080)))
	origin := originPrior[e.cand.Origin]
	pos := float64(e.cand.Order % 10000)
	position := 1 / (1 + pos/8)
	if e.cand.Order >= 10000 {
		position *= 0.8 // found on a secondary page
	}
	relevance := ip.relevance(e.cand)
	var aspect float64
	switch r := w / h; {
	case r >= 1.2 && r <= 2.0:
		aspect = 1
	case r > 2.0:
		aspect = 0.7
	case r >= 0.9:
		aspect = 0.85
	default:
		aspect = 0.6
	}
	detail := math.Min(1, e.stats.Detail/10)
	s := 0.30*size + 0.20*origin + 0.15*position + 0.15*relevance + 0.10*aspect + 0.10*detail
	if e.cand.Chrome {
		s *= 0.7
	}
	return math.Round(s*1000) / 1000
}

// relevance is how much the image's alt text and file name speak of the business: its
// keywords, hashtags, name and category words.
func (ip *imagePipeline) relevance(c candidate) float64 {
	text := strings.ToLower(c.Alt + " " + strings.Map(func(r rune) rune {
		if r == '-' || r == '_' || r == '.' {
			return ' '
		}
		return r
	}, c.Hints))
	if strings.TrimSpace(text) == "" {
		return 0
	}
	terms := sitefacts.RelevanceTerms(ip.profile)
	hits := 0
	for _, t := range terms {
		if sitefacts.CountWord(text, t) > 0 {
			hits++
			if hits == 3 {
				break
			}
		}
	}
	return float64(hits) / 3
}

// Tokens that mark an image as an icon when they appear in its own class, id, alt or
// file name. Logos are matched more widely, since they sit in <a class="logo">.
var iconTokens = map[string]bool{
	"icon": true, "icons": true, "ico": true, "ic": true, "favicon": true, "emoji": true,
	"emoticon": true, "sprite": true, "sprites": true, "avatar": true, "badge": true,
	"spinner": true, "loader": true, "btn": true, "button": true, "bullet": true, "arrow": true,
	"sns": true,
}

var pixelTokens = map[string]bool{
	"pixel": true, "tracking": true, "tracker": true, "beacon": true, "spacer": true,
	"blank": true, "transparent": true, "1x1": true, "clear": true, "placeholder": true,
}

// trackerHosts serve analytics beacons disguised as images.
var trackerHosts = []string{
	"google-analytics.com", "googletagmanager.com", "doubleclick.net", "facebook.net",
	"analytics.naver.com", "wcs.naver.net", "wcs.naver.com", "bat.bing.com",
	"scorecardresearch.com", "pixel.wp.com", "stats.wp.com", "ads.linkedin.com",
	"analytics.twitter.com", "ct.pinterest.com", "mc.yandex.ru", "stat.tiara.kakao.com",
	"adservice.google.com", "analytics.tiktok.com",
}

func hintTokens(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

func hasLogoToken(s string) bool {
	for _, t := range hintTokens(s) {
		if strings.Contains(t, "logo") || t == "로고" || strings.HasSuffix(t, "로고") {
			return true
		}
	}
	return false
}

// preFilter drops what can be judged from the URL and markup alone, saving a download.
func preFilter(c candidate) (reason, detail string) {
	u, err := url.Parse(c.URL)
	if err != nil {
		return ReasonDownload, "invalid URL"
	}
	switch ext := strings.ToLower(path.Ext(u.Path)); ext {
	case ".svg", ".svgz":
		return ReasonSVG, ""
	case ".ico", ".bmp", ".tif", ".tiff", ".avif", ".heic", ".heif", ".jxl", ".psd":
		return ReasonFormat, strings.TrimPrefix(ext, ".")
	}
	if c.DeclW > 0 && c.DeclH > 0 && c.DeclW <= 2 && c.DeclH <= 2 {
		return ReasonTracking, fmt.Sprintf("declared %d×%d", c.DeclW, c.DeclH)
	}
	host := strings.ToLower(u.Hostname())
	for _, t := range trackerHosts {
		if host == t || strings.HasSuffix(host, "."+t) {
			return ReasonTracking, host
		}
	}
	if host == "www.facebook.com" && strings.HasPrefix(u.Path, "/tr") {
		return ReasonTracking, host
	}
	if hasLogoToken(c.Hints) || hasLogoToken(c.Context) {
		return ReasonLogo, ""
	}
	if c.Chrome && (strings.Contains(c.Context, "brand") || strings.Contains(c.Hints, "brand")) {
		return ReasonLogo, "site brand in the header"
	}
	for _, t := range hintTokens(c.Hints) {
		if iconTokens[t] {
			return ReasonIcon, t
		}
		if pixelTokens[t] {
			return ReasonTracking, t
		}
	}
	if c.DeclW > 0 && c.DeclH > 0 && max(c.DeclW, c.DeclH) < 64 {
		return ReasonIcon, fmt.Sprintf("declared %d×%d", c.DeclW, c.DeclH)
	}
	return "", ""
}
