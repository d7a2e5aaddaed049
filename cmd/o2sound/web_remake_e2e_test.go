package main

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/o2sound/o2sound/internal/render/rendertest"
	"github.com/o2sound/o2sound/internal/store"
)

// TestWebPageReviewAndRemake drives the owners' review and "edit and make again"
// screens in headless Chromium against a real "o2sound serve": a video started
// for review stops after reading the site; the owner edits a lyric line, moves
// and removes photos, uploads one from the "camera roll", picks it as the logo,
// sees which steps will run and starts; the new task completes with the edited
// line in its captions. Then a shape-only re-make of that video makes a second
// version, and the dashboard shows the two together. At 360 and 1280 px, with
// no console errors.
func TestWebPageReviewAndRemake(t *testing.T) {
	t.Parallel()
	rendertest.Browser(t)
	bin := buildBinary(t)
	site := fixtureSite(t)
	env, _, _ := e2eEnv(t, store.SQLite)
	srv := startServe(t, bin, env)
	files := t.TempDir()
	upload := filepath.Join(files, "storefront.jpg")
	writeTestJPEG(t, upload, 960, 720)
	notPhoto := filepath.Join(files, "menu.txt")
	os.WriteFile(notPhoto, []byte("아메리카노 4500원\n"), 0o644)

	p := newBrowserPage(t, srv.base)
	// Beside TestWebPageEndToEnd's screenshots, not among them.
	p.artifacts = filepath.Join(filepath.Dir(p.artifacts), "web-remake-e2e")
	if err := os.MkdirAll(p.artifacts, 0o755); err != nil {
		t.Fatal(err)
	}
	start := time.Now()

	p.open("/app/signup", `input[name="user_id"]`)
	p.typeInto(`input[name="name"]`, "Minji Kim")
	p.typeInto(`input[name="user_id"]`, "bluemoon2")
	p.typeInto(`input[name="password"]`, "securepassword123")
	p.click(`form button[type="submit"]`)
	p.waitFor("dashboard after sign-up", `!!document.querySelector('.dash-hero h1')`, 15*time.Second)

	// Start for review: square, 15 seconds, "let me review it first".
	p.click(`a[data-nav="new"]`)
	p.waitFor("new-video form", `!!document.querySelector('input[name="url"]')`, 10*time.Second)
	p.typeInto(`input[name="url"]`, site.URL+"/")
	p.click(`input[name="aspect"][value="1:1"]`)
	p.click(`input[name="duration"][value="15"]`)
	p.click(`input[name="review"]`)
	p.shot("new-review")
	p.click(`form button[type="submit"]`)
	p.waitFor("progress page", `location.pathname.startsWith('/app/tasks/') && !!document.querySelector('.task-card')`, 15*time.Second)
	reviewTask := strings.TrimPrefix(js[string](p, `location.pathname`), "/app/tasks/")

	// It stops after crawl, lyrics and images and says so.
	p.waitFor("the review screen", `!!document.querySelector('#review-open')`, 120*time.Second)
	if got := js[string](p, `[...document.querySelectorAll('.stage-done')].length + '/' + document.querySelector('.task-card h1').textContent`); got != "3/We read your website" {
		p.fail("review state", fmt.Errorf("done stages/heading: %q", got))
	}
	if js[bool](p, `document.querySelector('.task-actions .btn').hidden`) {
		p.fail("review task", fmt.Errorf("cannot be cancelled from its page"))
	}
	p.shot("review-waiting")
	p.reload("#review-open")

	// The dashboard lists it as waiting for the owner; its link opens the editor.
	p.click(`a[data-nav="home"]`)
	p.waitFor("waiting task on the dashboard", `!!document.querySelector('.task-review a')`, 15*time.Second)
	p.shot("dashboard-review")
	p.click(".task-review a")
	p.waitFor("the editor", `location.pathname === '/app/tasks/`+reviewTask+`/edit' && !!document.querySelector('.lyric-input')`, 15*time.Second)
	p.reload(".lyric-input")
	if got := js[string](p, `document.querySelector('#rerun-line').dataset.stages`); got != "music video merge" {
		p.fail("steps for an unchanged review", fmt.Errorf("%q", got))
	}
	if got := js[string](p, `document.querySelector('input[name="facts.name"]').value`); got != "카페 블루문" {
		p.fail("facts", fmt.Errorf("name %q", got))
	}
	if js[bool](p, `[...document.querySelectorAll('.photo-img')].some(i => !i.complete || i.naturalWidth === 0)`) {
		p.waitFor("photos load", `[...document.querySelectorAll('.photo-img')].every(i => i.complete && i.naturalWidth > 0)`, 10*time.Second)
	}
	p.shot("editor")

	// Edit one lyric line in place: a chorus line, which even a 15-second song sings.
	const line = "블루문 커피 한 잔의 행복"
	const chorusLine = `.lyric-section[data-section="chorus"] .lyric-input`
	js[bool](p, `(document.querySelector('`+chorusLine+`').select(), true)`)
	p.typeInto(chorusLine, line)

	// Move the first photo later with the keyboard; focus stays on the moved photo.
	photos := js[[]string](p, `[...document.querySelectorAll('.photo-item')].map(li => li.dataset.photo)`)
	if len(photos) < 3 {
		p.fail("draft photos", fmt.Errorf("%d photos: %v", len(photos), photos))
	}
	js[bool](p, `(document.querySelector('.photo-item .photo-later').focus(), true)`)
	p.press(kb.Enter)
	p.waitFor("moved", fmt.Sprintf(`document.querySelectorAll('.photo-item')[1]?.dataset.photo === %q && document.activeElement.closest('.photo-item')?.dataset.photo === %q`, photos[0], photos[0]), 5*time.Second)

	// Remove one site photo.
	removed := photos[2]
	p.click(fmt.Sprintf(`.photo-item[data-photo=%q] .photo-remove`, removed))
	p.waitFor("removed", fmt.Sprintf(`document.querySelectorAll('.photo-item').length === %d && !document.querySelector('.photo-item[data-photo=%q]')`, len(photos)-1, removed), 5*time.Second)

	// Add from the "camera roll": a photo, and a file that is not one (said per file).
	p.do("pick files", 10*time.Second, chromedp.SetUploadFiles(chromedp.CSS("#photo-add"), []string{upload, notPhoto}))
	p.waitFor("upload results", `!!document.querySelector('.upload-ok') && !!document.querySelector('.upload-bad') && !document.querySelector('#photo-add').disabled`, 30*time.Second)
	if got := p.text(".upload-bad"); !strings.Contains(got, "menu.txt") || !strings.Contains(got, "isn't a photo we can use") {
		p.fail("refused file", fmt.Errorf("%q", got))
	}
	added := js[string](p, `document.querySelector('.photo-item:last-child').dataset.photo`)
	if len(js[[]string](p, `[...document.querySelectorAll('.photo-item')].map(li => li.dataset.photo)`)) != len(photos) || slices.Contains(photos, added) {
		p.fail("uploaded photo", fmt.Errorf("not added at the end: %q", added))
	}
	p.waitFor("uploaded photo shows", `(() => { const i = document.querySelector('.photo-item:last-child .photo-img'); return i && i.complete && i.naturalWidth > 0; })()`, 10*time.Second)

	// The uploaded photo becomes the logo.
	p.click(fmt.Sprintf(`input[name="logo"][value=%q]`, added))
	note := p.text("#rerun-note")
	for _, part := range []string{"lyrics", "photos", "logo"} {
		if !strings.Contains(note, part) {
			p.fail("what changed", fmt.Errorf("%q lacks %s", note, part))
		}
	}
	if got := p.text("#rerun-line"); got != "These steps will run: Composing the song, Cutting the video, and Putting it all together." {
		p.fail("the steps line", fmt.Errorf("%q", got))
	}
	p.shot("editor-edited")

	// Switching language keeps every edit, the photos' order and the uploads too.
	order := js[string](p, `[...document.querySelectorAll('.photo-item')].map(li => li.dataset.photo).join(' ')`)
	p.click("#lang-toggle")
	p.waitFor("Korean editor", `document.documentElement.lang === 'ko' && document.querySelector('h1')?.textContent === '만들기 전에 확인해 주세요'`, 10*time.Second)
	kept := fmt.Sprintf(`document.querySelector('%s').value === %s && [...document.querySelectorAll('.photo-item')].map(li => li.dataset.photo).join(' ') === %q && document.querySelector('input[name="logo"]:checked')?.value === %q`,
		chorusLine, jsString(line), order, added)
	if !js[bool](p, kept) {
		p.fail("edits after switching language", fmt.Errorf("lost"))
	}
	p.shot("editor-ko")
	p.click("#lang-toggle")
	p.waitFor("English editor", `document.documentElement.lang === 'en' && `+kept, 10*time.Second)
	p.click("#remake-start")
	p.waitFor("the new task", `location.pathname.startsWith('/app/tasks/') && !location.pathname.endsWith('/edit') && !!document.querySelector('.task-card')`, 15*time.Second)
	firstRemake := strings.TrimPrefix(js[string](p, `location.pathname`), "/app/tasks/")
	if firstRemake == reviewTask {
		p.fail("new task", fmt.Errorf("the re-make kept the review task's id"))
	}
	p.waitFor("the video is ready", `!!document.querySelector('.done-box')`, 180*time.Second)
	if got := js[string](p, `[...document.querySelectorAll('.stage-reused .stage-label')].map(e => e.textContent).join('|')`); !strings.Contains(got, "Reading your website") {
		p.fail("reused stages", fmt.Errorf("shown as kept: %q", got))
	}
	p.shot("remake-done")

	// The player has the sung lines as captions, and they hold the edited line.
	p.click(".done-box a.btn-primary")
	p.waitFor("video page", `!!document.querySelector('video.player track')`, 15*time.Second)
	track := js[map[string]string](p, `(() => { const t = document.querySelector('video.player track'); return {kind: t.kind, src: t.getAttribute('src'), lang: t.srclang, def: String(t.default)}; })()`)
	if track["kind"] != "captions" || !strings.HasSuffix(track["src"], ".vtt") || track["lang"] != "ko" || track["def"] != "true" {
		p.fail("captions track", fmt.Errorf("%v", track))
	}
	p.waitFor("captions loaded", `document.querySelector('video.player track').readyState === 2`, 15*time.Second)
	resp, err := http.Get(srv.base + track["src"]) // no session: the random name is the permission
	if err != nil {
		t.Fatal(err)
	}
	vtt, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !bytes.HasPrefix(vtt, []byte("WEBVTT")) || !bytes.Contains(vtt, []byte(line)) {
		t.Fatalf("captions %s: %d\n%s", track["src"], resp.StatusCode, vtt)
	}
	p.shot("video-captions")

	// Edit and make again: nothing changed runs only the last step; a new shape
	// re-cuts the video; a line the song cannot sing is caught before sending.
	p.click("#edit-again")
	p.waitFor("the editor of the video", `location.pathname === '/app/tasks/`+firstRemake+`/edit' && !!document.querySelector('.lyric-input')`, 15*time.Second)
	if got := js[string](p, `document.querySelector('`+chorusLine+`').value`); got != line {
		p.fail("draft of the re-made task", fmt.Errorf("first line %q", got))
	}
	if got := js[string](p, `document.querySelector('#rerun-line').dataset.stages`); got != "merge" {
		p.fail("steps with nothing changed", fmt.Errorf("%q", got))
	}
	p.click(`input[name="aspect"][value="9:16"]`)
	p.waitFor("steps for a new shape", `document.querySelector('#rerun-line').dataset.stages === 'video merge'`, 5*time.Second)
	if got := p.text("#rerun-line"); got != "These steps will run again: Cutting the video and Putting it all together." {
		p.fail("the steps line", fmt.Errorf("%q", got))
	}
	firstLine := js[string](p, `document.querySelector('.lyric-input').value`)
	p.typeInto(".lyric-input", " 그리고 오늘도 내일도 모레도")
	p.waitFor("steps for new words", `document.querySelector('#rerun-line').dataset.stages === 'music video merge'`, 5*time.Second)
	p.click("#remake-start")
	p.waitFor("the line's error", `!!document.querySelector('.lyric-line .field-error:not([hidden])') && document.activeElement.classList.contains('lyric-input')`, 5*time.Second)
	if got := p.text(".lyric-line .field-error:not([hidden])"); !strings.Contains(got, "at most 16 syllables") {
		p.fail("line error", fmt.Errorf("%q", got))
	}
	p.shot("editor-invalid")
	js[bool](p, `(() => { const i = document.querySelector('.lyric-input'); i.value = `+jsString(firstLine)+`; i.dispatchEvent(new Event('input', {bubbles: true})); return true; })()`)
	p.waitFor("back to a new shape only", `document.querySelector('#rerun-line').dataset.stages === 'video merge'`, 5*time.Second)
	p.click("#remake-start")
	p.waitFor("the second re-make", `location.pathname.startsWith('/app/tasks/') && !location.pathname.endsWith('/edit') && location.pathname !== '/app/tasks/`+firstRemake+`'`, 15*time.Second)
	p.waitFor("the second version is ready", `!!document.querySelector('.done-box')`, 180*time.Second)

	// The dashboard shows the two versions together, the newest on top.
	p.click(`a[data-nav="home"]`)
	p.waitFor("versions together", `document.querySelectorAll('.video-grid > .video-card').length === 1 && document.querySelector('.video-card').dataset.versions === '2'`, 15*time.Second)
	if got := p.text(".video-card .version-tag") + " / " + p.text(".video-card .versions a"); !strings.HasPrefix(got, "Version 2 · newest / Version 1") {
		p.fail("version labels", fmt.Errorf("%q", got))
	}
	if js[bool](p, `!!document.querySelector('.task-review')`) {
		t.Logf("note: the continued review task %s is still listed as waiting for review", reviewTask)
	}
	p.shot("dashboard-versions")
	p.reload(".video-card .versions")

	time.Sleep(300 * time.Millisecond)
	if errs := p.consoleText(true); errs != "" {
		t.Fatalf("console errors during the run:\n%s", errs)
	}
	t.Logf("browser run took %v", time.Since(start).Round(100*time.Millisecond))
}

// writeTestJPEG writes a photo-like JPEG (a gradient with a block) of w×h.
func writeTestJPEG(t *testing.T, path string, w, h int) {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			c := color.RGBA{uint8(200 - y*150/h), uint8(80 + x*120/w), 150, 255}
			if x > w/3 && x < 2*w/3 && y > h/3 && y < 2*h/3 {
				c = color.RGBA{250, 220, 40, 255}
			}
			img.Set(x, y, c)
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 85}); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// jsString quotes s as a JavaScript string literal.
func jsString(s string) string {
	return fmt.Sprintf("%q", s) // Go's quoting is valid JavaScript for these texts
}
