package crawl

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/o2sound/o2sound/internal/htmltext"
	"github.com/o2sound/o2sound/internal/sitefacts"
)

// source is where pages and images come from: the web through the safe fetcher, or a
// local folder.
type source interface {
	// page returns a page's decoded HTML and its final URL (after redirects).
	page(ctx context.Context, u *url.URL) (html string, final *url.URL, err error)
	// image returns an image file's bytes, or a *dropError saying why it is unusable.
	image(ctx context.Context, u *url.URL, maxBytes int64) ([]byte, error)
	// sameSite reports whether u is part of the site (a page worth visiting).
	sameSite(u *url.URL) bool
	// display is how a URL appears in the Result.
	display(u *url.URL) string
}

// dropError is an image failure that becomes a DroppedImage rather than a crawl error.
type dropError struct {
	reason, detail string
}

func (e *dropError) Error() string { return e.reason + ": " + e.detail }

// maxShellHops bounds meta-refresh and frameset hops from the home page.
const maxShellHops = 2

// run crawls from start: the home page (following shell redirects), the pages that
// matter, then the images of all of them.
func run(ctx context.Context, src source, start *url.URL, opts Options) (*Result, error) {
	res := &Result{Images: []Image{}, Dropped: []DroppedImage{}}
	body, final, err := src.page(ctx, start)
	if err != nil {
		return nil, err
	}
	visited := map[string]bool{start.String(): true, final.String(): true}
	doc := htmltext.ParseHTML(body)
	meta := sitefacts.ExtractPage(doc, final)
	for hop := 0; hop < maxShellHops && meta.Next != ""; hop++ {
		next, err := url.Parse(meta.Next)
		if err != nil || visited[next.String()] || !src.sameSite(next) {
			break
		}
		visited[next.String()] = true
		b, f, err := src.page(ctx, next)
		if err != nil {
			break // the shell itself is all we have
		}
		res.Pages = append(res.Pages, src.display(final))
		body, final, doc = b, f, htmltext.ParseHTML(b)
		meta = sitefacts.ExtractPage(doc, final)
		visited[final.String()] = true
	}
	if l, ok := src.(interface{ learn(*sitefacts.Page) }); ok {
		l.learn(meta)
	}
	metas := []*sitefacts.Page{meta}
	res.Pages = append(res.Pages, src.display(final))
	cands, overflow := extractCandidates(doc, final, meta, 0)

	for i, link := range pickPages(meta.Links, src, visited, opts.MaxPages-1) {
		if ctx.Err() != nil {
			break
		}
		b, f, err := src.page(ctx, link)
		if err != nil || visited[f.String()] && f.String() != link.String() {
			continue // an extra page failing is not the crawl failing
		}
		visited[f.String()] = true
		d := htmltext.ParseHTML(b)
		m := sitefacts.ExtractPage(d, f)
		metas = append(metas, m)
		res.Pages = append(res.Pages, src.display(f))
		c, o := extractCandidates(d, f, m, i+1)
		cands = mergeCandidates(cands, c)
		overflow += o
	}

	res.Profile = sitefacts.BuildProfile(metas, final.String())
	ip := &imagePipeline{src: src, opts: opts, profile: &res.Profile}
	ip.run(ctx, cands)
	res.Images, res.Dropped = ip.kept, ip.dropped
	res.MoreDropped = overflow
	res.capDropped()
	from, colors, logo := ip.brandLogo(ctx, pickLogos(cands, metas))
	if from != "" {
		res.LogoURL = src.display(sitefacts.MustParse(from))
		res.Profile.Colors = appendColors(res.Profile.Colors, colors...)
	}
	res.Logo = logo
	if ip.topColors != nil && len(res.Profile.Colors) == 0 {
		res.Profile.Colors = ip.topColors
	}
	sitefacts.CompleteProfile(&res.Profile, res.imageURLs())
	if !usable(res, metas) {
		return nil, nothingUsable(src, src.display(final))
	}
	if errors.Is(context.Cause(ctx), context.Canceled) {
		return nil, fmt.Errorf("crawl: %w", context.Cause(ctx))
	}
	// Running out of time while examining images leaves a smaller but valid result.
	return res, nil
}

// usable: a crawl is worth keeping when the page named the business or described it,
// or gave us at least one photo.
func usable(res *Result, metas []*sitefacts.Page) bool {
	if len(res.Images) > 0 || res.Profile.Description != "" {
		return true
	}
	return res.Profile.Name != "" && (sitefacts.RuneLen(metas[0].Text) > 0 || namedByTitle(res, metas[0]))
}

func (r *Result) capDropped() {
	if len(r.Dropped) > maxDroppedListed {
		r.MoreDropped += len(r.Dropped) - maxDroppedListed
		r.Dropped = r.Dropped[:maxDroppedListed]
	}
}

// mergeCandidates adds a later page's candidates, keeping the first sighting of an
// image (the logo on every page is one logo) and the first alt text found for it.
func mergeCandidates(all, more []candidate) []candidate {
	index := make(map[string]int, len(all))
	for i, c := range all {
		index[c.URL] = i
	}
	for _, c := range more {
		if i, ok := index[c.URL]; ok {
			if all[i].Alt == "" {
				all[i].Alt = c.Alt
			}
			continue
		}
		index[c.URL] = len(all)
		all = append(all, c)
	}
	return all
}

// appendColors adds colours that are visibly different from those already listed.
func appendColors(list []string, more ...string) []string {
	for _, c := range more {
		rc, ok := hexRGB(c)
		if !ok {
			continue
		}
		dup := false
		for _, e := range list {
			if re, ok := hexRGB(e); ok && colorDistance(rc, re) < 60 {
				dup = true
			}
		}
		if !dup && len(list) < 5 {
			list = append(list, c)
		}
	}
	return list
}

// pickPages chooses up to n same-site pages from the home page's links: one per kind
// (menu, about, location, contact, gallery), in that order of preference.
func pickPages(links []sitefacts.Link, src source, visited map[string]bool, n int) []*url.URL {
	if n <= 0 {
		return nil
	}
	chosen := map[string]bool{}
	var out []*url.URL
	for _, kind := range sitefacts.PageKinds {
		if len(out) >= n {
			break
		}
		for _, l := range links {
			u, err := url.Parse(l.URL)
			if err != nil || visited[u.String()] || chosen[u.String()] || !src.sameSite(u) || sitefacts.IsAssetPath(u.Path) {
				continue
			}
			hay := strings.ToLower(u.Path + " " + u.RawQuery + " " + l.Text)
			match := false
			for _, w := range kind.Words {
				if strings.Contains(hay, w) {
					match = true
					break
				}
			}
			if match {
				chosen[u.String()] = true
				out = append(out, u)
				break
			}
		}
	}
	return out
}
