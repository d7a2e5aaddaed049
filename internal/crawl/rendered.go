package crawl

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"sync"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/o2sound/o2sound/internal/fetch"
	"github.com/o2sound/o2sound/internal/htmltext"
	"github.com/o2sound/o2sound/internal/o2sound"
	"github.com/o2sound/o2sound/internal/render"
	"github.com/o2sound/o2sound/internal/sitefacts"
)

// RenderMode says when the crawler renders a page in a browser (CRAWL_RENDER).
type RenderMode string

// Render modes. The zero value means RenderAuto.
const (
	// RenderAuto renders a page only when its HTML is a shell: scripts, and no
	// text or photos until they run.
	RenderAuto RenderMode = "auto"
	// RenderOff never renders (and never starts a browser).
	RenderOff RenderMode = "off"
	// RenderAlways renders every page the crawl reads.
	RenderAlways RenderMode = "always"
)

// ParseRenderMode reads a CRAWL_RENDER value; "" is RenderAuto.
func ParseRenderMode(s string) (RenderMode, error) {
	switch m := RenderMode(strings.ToLower(strings.TrimSpace(s))); m {
	case "", RenderAuto:
		return RenderAuto, nil
	case RenderOff, RenderAlways:
		return m, nil
	}
	return "", fmt.Errorf("crawl: render mode %q is not auto, off or always", s)
}

// Renderer loads a page in a browser and returns the DOM its scripts built.
// *render.Chromium is the real one; it returns render.ErrUnavailable without a browser.
type Renderer interface {
	Render(ctx context.Context, pageURL string) (*render.Page, error)
}

// maxAutoRenders bounds the renders of one crawl in auto mode: a site whose every page
// is a shell gets its home page and a couple more, not a browser per link.
const maxAutoRenders = 3

// renderingSource reads pages through the safe fetcher and, when the mode says so,
// swaps a page's static HTML for its rendered DOM. Everything else (images, the site's
// bounds) is the web source's: images named by the rendered DOM are downloaded,
// checked and decoded exactly as those of a static page.
type renderingSource struct {
	*webSource
	mode     RenderMode
	renderer Renderer

	mu       sync.Mutex
	renders  int
	rendered bool   // a page was rendered
	missing  bool   // a shell was found and no browser could render it
	failure  string // the last render failure, for the logs
}

func newRenderingSource(ws *webSource, opts Options) source {
	mode := opts.Render
	if mode == "" {
		mode = RenderAuto
	}
	if mode == RenderOff {
		return ws
	}
	return &renderingSource{webSource: ws, mode: mode, renderer: opts.Renderer}
}

func (s *renderingSource) page(ctx context.Context, u *url.URL) (string, *url.URL, error) {
	body, final, err := s.webSource.page(ctx, u)
	if err != nil {
		return "", nil, err
	}
	if s.mode == RenderAuto && !isShell(htmltext.ParseHTML(body)) {
		return body, final, nil
	}
	s.mu.Lock()
	if s.renderer == nil {
		s.missing = true
		s.mu.Unlock()
		return body, final, nil
	}
	if s.mode == RenderAuto && s.renders >= maxAutoRenders {
		s.mu.Unlock()
		return body, final, nil
	}
	s.renders++
	s.mu.Unlock()

	p, err := s.renderer.Render(ctx, final.String())
	switch {
	case errors.Is(err, render.ErrUnavailable):
		s.mu.Lock()
		s.missing = true
		s.mu.Unlock()
		return body, final, nil
	case err != nil:
		// A page that cannot be rendered is still the page we fetched.
		s.note(fmt.Sprintf("%s: %v", final, err))
		return body, final, nil
	}
	rf, err := url.Parse(p.URL)
	if err != nil || !s.sameSite(rf) {
		// A script that navigated elsewhere does not make elsewhere the business.
		s.note(fmt.Sprintf("%s: rendered page ended on %s", final, p.URL))
		return body, final, nil
	}
	s.mu.Lock()
	s.rendered = true
	s.mu.Unlock()
	slog.Debug("crawl: rendered", "url", final.String(), "took", p.Duration, "requests", p.Requests, "bytes", p.Bytes, "stopped", p.Stopped, "refused", len(p.Refused))
	return p.HTML, rf, nil
}

func (s *renderingSource) note(failure string) {
	s.mu.Lock()
	s.failure = failure
	s.mu.Unlock()
	slog.Warn("crawl: render failed", "err", failure)
}

// nothingUsable is CRAWL_006, saying whether rendering was tried: an owner whose site
// needs JavaScript should know if we ran it.
func nothingUsable(src source, final string) error {
	msg := "We found no business name, description or photos on that page. If the site needs JavaScript to show anything, try another page of it, or make a video from a folder of photos instead."
	cause := fmt.Errorf("crawl: %s: no name, text or images", final)
	if rs, ok := src.(*renderingSource); ok {
		rs.mu.Lock()
		defer rs.mu.Unlock()
		switch {
		case rs.rendered:
			msg = "We found no business name, description or photos on that page, even after running its JavaScript in a browser. Try another page of the site, or make a video from a folder of photos instead."
		case rs.missing:
			msg = "We found no business name, description or photos on that page. The site seems to need JavaScript, and rendering it in a browser is not available here. Try another page of it, or make a video from a folder of photos instead."
			cause = fmt.Errorf("%w (rendering not available)", cause)
		case rs.failure != "":
			msg = "We found no business name, description or photos on that page, and it could not be shown in a browser. Try another page of the site, or make a video from a folder of photos instead."
			cause = fmt.Errorf("%w (render: %s)", cause, rs.failure)
		}
	}
	return &fetch.Error{Code: o2sound.CodeCrawlNothingUsable, Message: msg, Err: cause}
}

// shellMaxText is the visible text, in runes, below which a page with scripts and no
// images is taken for a shell ("You need to enable JavaScript", "Loading…").
const shellMaxText = 120

// isShell reports whether a page's HTML is a shell its scripts fill in: it has scripts,
// almost no visible text and no images. Metadata alone does not make a page complete:
// the photos and the words a video needs are what rendering would add.
func isShell(doc *html.Node) bool {
	scripts, images, text := 0, 0, 0
	var walk func(n *html.Node, hidden bool)
	walk = func(n *html.Node, hidden bool) {
		switch n.Type {
		case html.TextNode:
			if !hidden {
				text += sitefacts.RuneLen(strings.TrimSpace(n.Data))
			}
		case html.ElementNode:
			switch n.DataAtom {
			case atom.Script:
				if t := strings.ToLower(htmltext.Attr(n, "type")); !strings.Contains(t, "json") && t != "text/template" {
					scripts++
				}
			case atom.Img:
				if htmltext.Attr(n, "src") != "" || htmltext.Attr(n, "data-src") != "" || htmltext.Attr(n, "srcset") != "" {
					images++
				}
			case atom.Meta:
				if p := strings.ToLower(htmltext.Attr(n, "property")); p == "og:image" && htmltext.Attr(n, "content") != "" {
					images++
				}
			}
			hidden = hidden || htmltext.SkipText(n.DataAtom)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, hidden)
		}
	}
	walk(doc, false)
	return scripts > 0 && images == 0 && text < shellMaxText
}

// namedByTitle: the page's own title or site name gave the business's name. A shell
// whose only content is <title>카페 블루문</title> names the business, and that is worth
// a video made from the owner's photos even when nothing else can be read.
func namedByTitle(res *Result, home *sitefacts.Page) bool {
	name := strings.TrimSpace(res.Profile.Name)
	if name == "" {
		return false
	}
	for _, s := range []string{home.Title, home.SiteName, home.OGTitle} {
		if strings.Contains(s, name) {
			return true
		}
	}
	return false
}
