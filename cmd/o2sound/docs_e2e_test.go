package main

import (
	"strings"
	"testing"
	"time"
)

// TestAPIDocsRenderOffline opens /docs (Swagger UI) and /redoc (ReDoc) in headless
// Chromium. The machine has no route to a CDN, so they render only if every asset is
// served by O2Sound itself.
func TestAPIDocsRenderOffline(t *testing.T) {
	t.Parallel()
	bin := buildBinary(t)
	env, _, _ := e2eEnv(t, "sqlite")
	srv := startServe(t, bin, env)
	p := newBrowserPage(t, srv.base)
	p.desktop()

	p.open("/docs", ".swagger-ui .info .title")
	if title := p.text(".swagger-ui .info .title"); !strings.Contains(title, "O2Sound API") {
		t.Fatalf("Swagger UI title %q", title)
	}
	p.waitFor("Swagger UI lists the operations", `document.querySelectorAll('.opblock').length >= 20`, 10*time.Second)
	p.shot("docs-swagger")

	p.open("/redoc", "h1")
	p.waitFor("ReDoc lists the operations", `document.body.innerText.includes('Start making a video from a website')`, 15*time.Second)
	if h := p.text("h1"); !strings.Contains(h, "O2Sound API") {
		t.Fatalf("ReDoc heading %q", h)
	}
	p.shot("docs-redoc")
	if errs := p.consoleText(true); errs != "" {
		t.Fatalf("console errors on the docs pages:\n%s", errs)
	}
}
