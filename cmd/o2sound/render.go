package main

import (
	"github.com/o2sound/o2sound/internal/crawl"
	"github.com/o2sound/o2sound/internal/fetch"
	"github.com/o2sound/o2sound/internal/render"
)

// rendering turns CRAWL_RENDER into what the crawl needs. The renderer dials under the
// crawler's own address policy, so a page rendered in the browser reaches exactly what
// the crawler may. With "off" there is no renderer at all: no browser is ever looked for.
func rendering(mode string, fo fetch.Options) (crawl.RenderMode, crawl.Renderer, error) {
	m, err := crawl.ParseRenderMode(mode)
	if err != nil || m == crawl.RenderOff {
		return m, nil, err
	}
	return m, render.New(render.Options{Fetch: fo}), nil
}
