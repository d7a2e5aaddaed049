package crawl

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"path"
	"sort"
	"strings"
	"sync"

	"github.com/o2sound/o2sound/internal/business"
	"github.com/o2sound/o2sound/internal/fetch"
	"github.com/o2sound/o2sound/internal/htmltext"
	"github.com/o2sound/o2sound/internal/o2sound"
	"github.com/o2sound/o2sound/internal/sitefacts"
)

// maxPageBytes caps one HTML page. Pages are parsed from their first maxPageBytes when
// longer: the head and the top of the body are what we need.
const maxPageBytes = 5 << 20

const (
	acceptHTML  = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5"
	acceptImage = "image/webp,image/jpeg,image/png,image/gif;q=0.9,*/*;q=0.1"
)

// webSource reads a live site through the safe fetcher.
type webSource struct {
	client *fetch.Client
	home   *url.URL

	mu    sync.Mutex
	hosts map[string]bool // the home host, and where its first page redirected to
}

func siteHost(u *url.URL) string {
	return strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.")
}

func (s *webSource) page(ctx context.Context, u *url.URL) (string, *url.URL, error) {
	resp, err := s.client.Get(ctx, fetch.Request{URL: u.String(), Accept: acceptHTML, MaxBytes: maxPageBytes, Robots: true})
	if err != nil {
		return "", nil, err
	}
	if err := fetch.StatusError(resp); err != nil {
		return "", nil, err
	}
	ct := resp.ContentType
	if ct == "" {
		ct, _, _ = strings.Cut(http.DetectContentType(resp.Body), ";")
	}
	if ct != "text/html" && ct != "application/xhtml+xml" {
		return "", nil, &fetch.Error{Code: o2sound.CodeCrawlNotHTML,
			Message: fmt.Sprintf("That address is not a web page (it is %s). Enter the address of your home page.", describeType(ct)),
			Err:     fmt.Errorf("crawl: %s: content type %q", resp.URL, ct)}
	}
	final, err := url.Parse(resp.URL)
	if err != nil {
		final = u
	}
	s.mu.Lock()
	if s.hosts == nil {
		// The first page fixes the site: example.com redirecting to shop.example.net
		// makes both "the site".
		s.hosts = map[string]bool{siteHost(s.home): true, siteHost(final): true}
	}
	s.mu.Unlock()
	text, _ := htmltext.DecodeHTML(resp.Body, resp.Header.Get("Content-Type"))
	return text, final, nil
}

func describeType(ct string) string {
	switch {
	case strings.HasPrefix(ct, "image/"):
		return "an image"
	case ct == "application/pdf":
		return "a PDF"
	case strings.Contains(ct, "json"):
		return "JSON data"
	case ct == "":
		return "an unknown kind of file"
	}
	return ct
}

func (s *webSource) image(ctx context.Context, u *url.URL, maxBytes int64) ([]byte, error) {
	resp, err := s.client.Get(ctx, fetch.Request{URL: u.String(), Accept: acceptImage, MaxBytes: maxBytes, Whole: true, Robots: true})
	if err != nil {
		switch fetch.ErrorCode(err) {
		case o2sound.CodeCrawlRobots:
			return nil, &dropError{ReasonRobots, ""}
		case o2sound.CodeCrawlAddress:
			return nil, &dropError{ReasonAddress, ""}
		case o2sound.CodeCrawlTimeout:
			return nil, &dropError{ReasonDownload, "timed out"}
		case o2sound.CodeCrawlInvalidURL:
			return nil, &dropError{ReasonDownload, "invalid URL"}
		case "":
			return nil, err // cancelled
		}
		return nil, &dropError{ReasonDownload, "unreachable"}
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return nil, &dropError{ReasonDownload, fmt.Sprintf("HTTP %d", resp.StatusCode)}
	}
	if resp.Truncated {
		return nil, &dropError{ReasonBytes, fmt.Sprintf("over %d MiB", maxBytes>>20)}
	}
	return resp.Body, nil
}

func (s *webSource) sameSite(u *url.URL) bool {
	if u.Scheme != "http" && u.Scheme != "https" {
		return false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.hosts == nil {
		return siteHost(u) == siteHost(s.home)
	}
	return s.hosts[siteHost(u)]
}

func (s *webSource) display(u *url.URL) string { return u.String() }

// dirSource reads a local folder through os.Root, which refuses paths (and symlinks)
// that lead outside it.
type dirSource struct {
	root *os.Root

	mu    sync.Mutex
	hosts map[string]bool // the site's own hosts, from canonical/og:url, mapped to files
}

const maxBusinessJSONBytes = 1 << 20

var imageExts = map[string]bool{".jpg": true, ".jpeg": true, ".png": true, ".gif": true, ".webp": true}

// localPath maps a URL onto a path inside the folder: file: URLs directly, and absolute
// URLs on the site's own host (a saved site keeps its https://mycafe.kr/… links).
func (s *dirSource) localPath(u *url.URL) (string, bool) {
	switch u.Scheme {
	case "file":
	case "http", "https":
		s.mu.Lock()
		ok := s.hosts[siteHost(u)]
		s.mu.Unlock()
		if !ok {
			return "", false
		}
	default:
		return "", false
	}
	p := path.Clean("/" + u.Path)
	p = strings.TrimPrefix(p, "/")
	if p == "" || p == "." {
		p = "index.html"
	}
	if st, err := s.root.Stat(p); err == nil && st.IsDir() {
		p = path.Join(p, "index.html")
	}
	return p, true
}

// learn records the hosts a saved site calls itself.
func (s *dirSource) learn(m *sitefacts.Page) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.hosts == nil {
		s.hosts = map[string]bool{}
	}
	for _, raw := range []string{m.Canonical, m.OGURL} {
		if u, err := url.Parse(raw); err == nil && sitefacts.IsWebURL(raw) && u.Hostname() != "" {
			s.hosts[siteHost(u)] = true
		}
	}
	if m.LD != nil && sitefacts.IsWebURL(m.LD.URL) {
		if u, err := url.Parse(m.LD.URL); err == nil && u.Hostname() != "" {
			s.hosts[siteHost(u)] = true
		}
	}
}

func (s *dirSource) readFile(p string, max int64) ([]byte, error) {
	f, err := s.root.Open(p)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("%s is not a regular file", p)
	}
	if st.Size() > max {
		return nil, errFileTooLarge
	}
	return io.ReadAll(io.LimitReader(f, max))
}

var errFileTooLarge = errors.New("file too large")

func (s *dirSource) page(ctx context.Context, u *url.URL) (string, *url.URL, error) {
	if err := ctx.Err(); err != nil {
		return "", nil, err
	}
	p, ok := s.localPath(u)
	if !ok {
		return "", nil, &fetch.Error{Code: o2sound.CodeCrawlInvalidURL, Message: "The page is outside the folder.", Err: fmt.Errorf("crawl: %s outside the folder", u)}
	}
	if ext := strings.ToLower(path.Ext(p)); ext != ".html" && ext != ".htm" {
		return "", nil, &fetch.Error{Code: o2sound.CodeCrawlNotHTML, Message: "That file is not a web page.", Err: fmt.Errorf("crawl: %s is not .html", p)}
	}
	body, err := s.readFile(p, maxPageBytes)
	if errors.Is(err, errFileTooLarge) {
		return "", nil, &fetch.Error{Code: o2sound.CodeCrawlNotHTML, Message: "That page is too large.", Err: fmt.Errorf("crawl: %s: %w", p, err)}
	}
	if err != nil {
		return "", nil, &fetch.Error{Code: o2sound.CodeCrawlUnreachable, Message: "A page of the folder could not be read.", Err: fmt.Errorf("crawl: %w", err)}
	}
	text, _ := htmltext.DecodeHTML(body, "")
	return text, &url.URL{Scheme: "file", Path: "/" + p}, nil
}

func (s *dirSource) image(ctx context.Context, u *url.URL, maxBytes int64) ([]byte, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	p, ok := s.localPath(u)
	if !ok {
		return nil, &dropError{ReasonOutsideSite, "a local site's images must be inside its folder"}
	}
	b, err := s.readFile(p, maxBytes)
	switch {
	case errors.Is(err, errFileTooLarge):
		return nil, &dropError{ReasonBytes, fmt.Sprintf("over %d MiB", maxBytes>>20)}
	case errors.Is(err, fs.ErrNotExist):
		return nil, &dropError{ReasonDownload, "no such file"}
	case err != nil:
		return nil, &dropError{ReasonOutsideSite, "cannot be read inside the folder"}
	}
	return b, nil
}

func (s *dirSource) sameSite(u *url.URL) bool {
	_, ok := s.localPath(u)
	return ok
}

func (s *dirSource) display(u *url.URL) string {
	if p, ok := s.localPath(u); ok {
		return p
	}
	return u.String()
}

func (s *dirSource) indexPage() string {
	for _, name := range []string{"index.html", "index.htm"} {
		if st, err := s.root.Stat(name); err == nil && st.Mode().IsRegular() {
			return name
		}
	}
	return ""
}

// businessJSON reads the owner's business.json, strictly: a misspelt field name is
// an error the owner should hear about, not silently lost information.
func (s *dirSource) businessJSON() (*business.Profile, error) {
	b, err := s.readFile("business.json", maxBusinessJSONBytes)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, &fetch.Error{Code: o2sound.CodeCrawlInvalidURL, Message: "business.json could not be read.", Err: fmt.Errorf("crawl: business.json: %w", err)}
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var p business.Profile
	if err := dec.Decode(&p); err != nil {
		return nil, &fetch.Error{Code: o2sound.CodeCrawlInvalidURL, Message: fmt.Sprintf("business.json is not valid: %v", err), Err: fmt.Errorf("crawl: business.json: %w", err)}
	}
	if strings.TrimSpace(p.Name) == "" {
		return nil, &fetch.Error{Code: o2sound.CodeCrawlInvalidURL, Message: `business.json needs at least a "name".`, Err: errors.New("crawl: business.json: no name")}
	}
	return &p, nil
}

// photoFiles lists the images at the top of the folder, by name: owners number their
// favourites (01-storefront.jpg, 02-latte.jpg …).
func (s *dirSource) photoFiles() ([]string, error) {
	entries, err := fs.ReadDir(s.root.FS(), ".")
	if err != nil {
		return nil, err
	}
	var out []string
	for _, e := range entries {
		name := e.Name()
		if strings.HasPrefix(name, ".") || !e.Type().IsRegular() || !imageExts[strings.ToLower(path.Ext(name))] {
			continue
		}
		out = append(out, name)
	}
	sort.Strings(out)
	return out, nil
}

// runPhotoFolder handles a folder of photos plus business.json.
func runPhotoFolder(ctx context.Context, src *dirSource, opts Options, profile business.Profile) (*Result, error) {
	files, err := src.photoFiles()
	if err != nil {
		return nil, &fetch.Error{Code: o2sound.CodeCrawlInvalidURL, Message: "The folder could not be listed.", Err: fmt.Errorf("crawl: %w", err)}
	}
	res := &Result{Profile: profile, Images: []Image{}, Dropped: []DroppedImage{}, Pages: []string{}}
	var cands []candidate
	for i, name := range files {
		u := &url.URL{Scheme: "file", Path: "/" + name}
		stem := fileStem(u)
		cands = append(cands, candidate{
			URL: u.String(), Origin: originFile, Order: i + 1,
			Alt:   strings.Join(strings.FieldsFunc(stem, func(r rune) bool { return r == '-' || r == '_' }), " "),
			Hints: strings.ToLower(stem),
		})
	}
	sitefacts.CompleteProfile(&res.Profile, res.imageURLs())
	ip := &imagePipeline{src: src, opts: opts, profile: &res.Profile}
	ip.run(ctx, cands)
	res.Images, res.Dropped = ip.kept, ip.dropped
	res.capDropped()
	// The logo goes on the cards even when business.json names the colours.
	from, colors, logo := ip.brandLogo(ctx, pickLogos(cands, nil))
	if len(profile.Colors) == 0 && from != "" {
		res.LogoURL = src.display(sitefacts.MustParse(from))
		res.Profile.Colors = colors
	}
	res.Logo = logo
	if len(res.Profile.Colors) == 0 && ip.topColors != nil {
		res.Profile.Colors = ip.topColors
	}
	if errors.Is(context.Cause(ctx), context.Canceled) {
		return nil, fmt.Errorf("crawl: %w", context.Cause(ctx))
	}
	return res, nil
}
