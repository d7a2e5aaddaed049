package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"io"
	"math"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/o2sound/o2sound/internal/store"
	"github.com/o2sound/o2sound/internal/store/storetest"
)

// Distinct colours for the photos of the remake tests, far apart so frames can be told
// apart by counting pixels near each.
var (
	sitePhotoColors = []color.RGBA{{220, 30, 30, 255}, {30, 180, 40, 255}, {40, 60, 220, 255}, {230, 210, 30, 255}, {200, 40, 200, 255}}
	uploadColor     = color.RGBA{20, 220, 230, 255} // cyan
	logoColor       = color.RGBA{255, 128, 0, 255}  // orange
)

// solidJPEG is a w×h photo mostly of one colour, crossed by dark bands whose angle and
// spacing depend on the colour: each photo has its own structure, so the crawler's
// perceptual hash does not take two of them for the same picture.
func solidJPEG(t *testing.T, w, h int, c color.RGBA) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	k := int(c.R)*7 + int(c.G)*3 + int(c.B)
	angle := float64(k%180) * math.Pi / 180
	period := 40 + float64(k%5)*25
	dark := color.RGBA{c.R / 3, c.G / 3, c.B / 3, 255}
	for y := range h {
		for x := range w {
			u := float64(x)*math.Cos(angle) + float64(y)*math.Sin(angle)
			if math.Mod(math.Abs(u), period) < period/5 {
				img.Set(x, y, dark)
			} else {
				img.Set(x, y, c)
			}
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 90}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// colourSite serves a café site with five photos of distinct colours and counts every
// request it gets.
func colourSite(t *testing.T) (*httptest.Server, *atomic.Int64) {
	t.Helper()
	dir := t.TempDir()
	var imgs strings.Builder
	for i, c := range sitePhotoColors {
		name := fmt.Sprintf("photo%d.jpg", i+1)
		os.WriteFile(filepath.Join(dir, name), solidJPEG(t, 1200, 800, c), 0o644)
		fmt.Fprintf(&imgs, `<img src="/%s" alt="카페 사진 %d">`, name, i+1)
	}
	page := `<!doctype html><html lang="ko"><head><meta charset="utf-8"><title>카페 블루문 | 역삼동 브런치 카페</title>
<meta name="description" content="아늑한 분위기의 카페 블루문. 핸드드립 커피와 브런치, 수제 디저트.">
<script type="application/ld+json">{"@context":"https://schema.org","@type":"CafeOrCoffeeShop","name":"카페 블루문","telephone":"02-1234-5678",
"address":{"@type":"PostalAddress","streetAddress":"역삼동 123-45","addressLocality":"강남구","addressRegion":"서울시"}}</script>
</head><body><h1>카페 블루문</h1><p>핸드드립 커피와 브런치</p>` + imgs.String() + `</body></html>`
	os.WriteFile(filepath.Join(dir, "index.html"), []byte(page), 0o644)
	var hits atomic.Int64
	files := http.FileServer(http.Dir(dir))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		files.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv, &hits
}

// upload posts files as multipart "file" parts and returns the status and body.
func (c *apiClient) upload(files map[string][]byte) (int, map[string]any) {
	c.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, n := range names {
		fw, _ := mw.CreateFormFile("file", n)
		fw.Write(files[n])
	}
	mw.Close()
	req, _ := http.NewRequest("POST", c.base+"/moviemaker/photos", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	resp, err := c.hc.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	var m map[string]any
	data, _ := io.ReadAll(resp.Body)
	json.Unmarshal(data, &m)
	return resp.StatusCode, m
}

// get fetches a path with the client's session.
func (c *apiClient) get(path string) (int, []byte) {
	c.t.Helper()
	resp, err := c.hc.Get(c.base + path)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

// meanColour is the average colour of an image.
func meanColour(t *testing.T, data []byte) color.RGBA {
	t.Helper()
	img, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	var r, g, b, n int
	bnd := img.Bounds()
	for y := bnd.Min.Y; y < bnd.Max.Y; y += 4 {
		for x := bnd.Min.X; x < bnd.Max.X; x += 4 {
			cr, cg, cb, _ := img.At(x, y).RGBA()
			r, g, b, n = r+int(cr>>8), g+int(cg>>8), b+int(cb>>8), n+1
		}
	}
	return color.RGBA{uint8(r / n), uint8(g / n), uint8(b / n), 255}
}

func near(a, b color.RGBA, tol int) bool {
	d := func(x, y uint8) int { return max(int(x)-int(y), int(y)-int(x)) }
	return d(a.R, b.R) <= tol && d(a.G, b.G) <= tol && d(a.B, b.B) <= tol
}

// videoFrames decodes every 1/4 s of a video as small RGB frames.
func videoFrames(t *testing.T, data []byte) []*image.RGBA {
	t.Helper()
	const w, h = 160, 90
	in := filepath.Join(t.TempDir(), "v.mp4")
	os.WriteFile(in, data, 0o644)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	out, err := exec.CommandContext(ctx, "ffmpeg", "-v", "error", "-i", in, "-vf", fmt.Sprintf("fps=4,scale=%d:%d", w, h),
		"-f", "rawvideo", "-pix_fmt", "rgba", "pipe:").Output()
	if err != nil {
		t.Fatalf("ffmpeg frames: %v", err)
	}
	var frames []*image.RGBA
	for len(out) >= w*h*4 {
		img := image.NewRGBA(image.Rect(0, 0, w, h))
		copy(img.Pix, out[:w*h*4])
		frames = append(frames, img)
		out = out[w*h*4:]
	}
	return frames
}

// share is the fraction of a frame's pixels near colour c.
func share(img *image.RGBA, c color.RGBA, tol int) float64 {
	n := 0
	for i := 0; i < len(img.Pix); i += 4 {
		if near(color.RGBA{img.Pix[i], img.Pix[i+1], img.Pix[i+2], 255}, c, tol) {
			n++
		}
	}
	return float64(n) / float64(len(img.Pix)/4)
}

// showsPhoto reports whether a frame shows the solidJPEG photo of colour c: much of
// its colour and some of its dark bands (a card in a brand colour has no bands).
func showsPhoto(f *image.RGBA, c color.RGBA) bool {
	return share(f, c, 40) > 0.2 && share(f, color.RGBA{c.R / 3, c.G / 3, c.B / 3, 255}, 25) > 0.03
}

// TestRemakeEndToEnd runs review, upload, re-make and a style-only re-make against
// the real binary, on SQLite and on PostgreSQL.
func TestRemakeEndToEnd(t *testing.T) {
	t.Parallel()
	bin := buildBinary(t)
	storetest.Each(t, func(t *testing.T, d store.Dialect) {
		site, hits := colourSite(t)
		env, dataDir, dsn := e2eEnv(t, d)
		srv := startServe(t, bin, env)
		c := signIn(t, srv.base, "owner")

		// Review first: only crawl, lyrics and images run.
		m := c.call("POST", "/moviemaker/start-workflow", map[string]any{"url": site.URL + "/", "duration": 15, "review": true}, 200)
		src := m["task_id"].(string)
		p := c.waitFor(src, 2*time.Minute, "review", func(p map[string]any) bool { return p["state"] == "review" })
		flags := p["progress"].(map[string]any)
		if flags["metadata"] != true || flags["lyrics"] != true || flags["images"] != true || flags["songs"] == true || p["review"] != true {
			t.Fatalf("review progress: %v", p)
		}
		time.Sleep(500 * time.Millisecond) // nothing more may start
		for _, s := range []string{"music", "video", "merge"} {
			if st := stageState(c.progress(src), s); st != "pending" {
				t.Fatalf("stage %s is %s while the task waits for review", s, st)
			}
		}
		siteHits := hits.Load()

		draft := c.call("POST", "/moviemaker/draft", map[string]any{"task_id": src}, 200)
		facts := draft["facts"].(map[string]any)
		photos := draft["photos"].([]any)
		if facts["name"] != "카페 블루문" || len(photos) != len(sitePhotoColors) || len(draft["lyrics"].(map[string]any)["sections"].([]any)) < 2 {
			t.Fatalf("draft: %v", draft)
		}
		// Which photo is the red one?
		var red string
		var keep []string
		for _, x := range photos {
			ph := x.(map[string]any)
			code, img := c.get(ph["url"].(string))
			if code != 200 {
				t.Fatalf("photo %v: %d", ph, code)
			}
			if near(meanColour(t, img), sitePhotoColors[0], 40) {
				red = ph["photo_id"].(string)
			} else {
				keep = append(keep, ph["photo_id"].(string))
			}
		}
		if red == "" {
			t.Fatal("the red site photo is not in the draft")
		}

		// Bad uploads: a documented 4xx each, nothing stored.
		before := photoFiles(t, dataDir)
		truncated := solidJPEG(t, 800, 600, uploadColor)
		for _, bad := range []struct {
			name string
			data []byte
			code string
		}{
			{"truncated.jpg", truncated[:len(truncated)/2], "PHOTO_003"},
			{"huge.png", hugePNG(t), "PHOTO_004"},
			{"notes.jpg", []byte("these are my notes, not a photo"), "PHOTO_002"},
			{"logo.svg", []byte(`<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>`), "PHOTO_002"},
			{"big.jpg", append([]byte{0xFF, 0xD8, 0xFF}, make([]byte, 16<<20)...), "PHOTO_005"},
		} {
			status, body := c.upload(map[string][]byte{"good.jpg": solidJPEG(t, 640, 480, uploadColor), bad.name: bad.data})
			if status < 400 || status >= 500 || body["error_code"] != bad.code {
				t.Errorf("upload %s: %d %v, want %s", bad.name, status, body, bad.code)
			}
		}
		if after := photoFiles(t, dataDir); after != before {
			t.Fatalf("a refused upload stored files: %d before, %d after", before, after)
		}

		status, up := c.upload(map[string][]byte{"a-new.jpg": solidJPEG(t, 1200, 800, uploadColor), "b-logo.jpg": solidJPEG(t, 400, 400, logoColor)})
		if status != 201 {
			t.Fatalf("upload: %d %v", status, up)
		}
		uploaded := up["photos"].([]any)
		newPhoto, logo := uploaded[0].(map[string]any)["photo_id"].(string), uploaded[1].(map[string]any)["photo_id"].(string)

		// Another user sees none of it.
		other := signIn(t, srv.base, "stranger")
		other.call("POST", "/moviemaker/draft", map[string]any{"task_id": src}, 404)
		if code, _ := other.get("/moviemaker/photos/" + newPhoto); code != 404 {
			t.Fatalf("another user's photo: %d", code)
		}

		// The re-make: one lyric line edited, the red photo out, the upload in, a logo.
		// The line is the chorus's second (a short song may sing only the chorus; it
		// stands in every repeat of the chorus, as the page edits it).
		lyr := draft["lyrics"].(map[string]any)
		const edited = "블루문에서 만나요 오늘 밤"
		for _, x := range lyr["sections"].([]any) {
			if sec := x.(map[string]any); sec["name"] == "chorus" {
				sec["lines"].([]any)[1] = edited
			}
		}
		if e := c.call("POST", "/moviemaker/remake", map[string]any{"task_id": src, "photos": []string{"no-such-photo"}}, 404); e["error_code"] != "PHOTO_001" {
			t.Fatalf("unknown photo: %v", e)
		}
		if e := other.call("POST", "/moviemaker/remake", map[string]any{"task_id": src}, 404); e["error_code"] != "TASK_001" {
			t.Fatalf("another user's task: %v", e)
		}
		c.call("POST", "/moviemaker/remake", map[string]any{"task_id": src, "lyrics": map[string]any{
			"sections": []any{map[string]any{"name": "chorus", "lines": []string{"가"}}}}}, 422)
		mine := append(append([]string{}, keep...), newPhoto)
		rm := c.call("POST", "/moviemaker/remake", map[string]any{"task_id": src, "lyrics": lyr, "photos": mine, "logo": logo}, 200)
		remake := rm["task_id"].(string)
		if got := fmt.Sprint(rm["reused"]); got != "[crawl lyrics images]" {
			t.Fatalf("reused %s, want crawl, lyrics and images", got)
		}
		done := c.waitFor(remake, 3*time.Minute, "the re-make", func(p map[string]any) bool { return p["state"] == "completed" })
		if done["source_task_id"] != src || hits.Load() != siteHits {
			t.Fatalf("source %v; the site got %d new requests", done["source_task_id"], hits.Load()-siteHits)
		}
		checkRanOnce(t, d, dsn, remake, map[string]int{"crawl": 0, "lyrics": 0, "images": 0, "music": 1, "video": 1, "merge": 1})

		video := done["video"].(map[string]any)
		code, vtt := c.get(video["captions_url"].(string))
		if code != 200 || !strings.HasPrefix(string(vtt), "WEBVTT") || !strings.Contains(string(vtt), edited) {
			t.Fatalf("captions %d: %s", code, vtt)
		}
		_, mp4 := c.get(video["url"].(string))
		frames := videoFrames(t, mp4)
		sawUpload := false
		for i, f := range frames {
			if showsPhoto(f, sitePhotoColors[0]) {
				t.Fatalf("frame %d shows the removed photo", i)
			}
			sawUpload = sawUpload || showsPhoto(f, uploadColor)
		}
		if !sawUpload {
			t.Fatal("no frame shows the uploaded photo")
		}
		// The title card opens the video and the end card closes it: the logo must be on
		// some frame of the first and of the last two seconds (4 frames a second).
		most := func(fs []*image.RGBA) float64 {
			m := 0.0
			for _, f := range fs {
				m = max(m, share(f, logoColor, 40))
			}
			return m
		}
		if first, last := most(frames[:8]), most(frames[len(frames)-8:]); first < 0.002 || last < 0.002 {
			t.Fatalf("the logo is not on the first and last cards: %.4f %.4f", first, last)
		}
		// A style-only re-make of the re-make: another tempo, the same words.
		d1 := c.call("POST", "/moviemaker/draft", map[string]any{"task_id": remake}, 200)
		tempo := d1["style"].(map[string]any)["tempo"].(float64)
		newTempo := 120.0
		if tempo == 120 {
			newTempo = 90
		}
		rs := c.call("POST", "/moviemaker/remake", map[string]any{"task_id": remake, "style": map[string]any{"tempo": newTempo}}, 200)
		if got := fmt.Sprint(rs["reused"]); got != "[crawl lyrics images]" {
			t.Fatalf("style re-make reused %s", got)
		}
		styled := rs["task_id"].(string)
		c.waitFor(styled, 3*time.Minute, "the style re-make", func(p map[string]any) bool { return p["state"] == "completed" })
		d2 := c.call("POST", "/moviemaker/draft", map[string]any{"task_id": styled}, 200)
		if d2["style"].(map[string]any)["tempo"].(float64) != newTempo || fmt.Sprint(d2["lyrics"]) != fmt.Sprint(d1["lyrics"]) {
			t.Fatalf("style re-make: %v then %v", d1["style"], d2["style"])
		}
		list := c.call("POST", "/user/videos", nil, 200)
		if n := len(list["videos"].([]any)); n != 2 {
			t.Fatalf("%d videos, want the two re-makes", n)
		}
		for _, x := range list["videos"].([]any) {
			if v := x.(map[string]any); v["item_id"] == nil || v["item_id"] != done["item_id"] || v["captions_url"] == nil {
				t.Fatalf("versions of one business: %v", list)
			}
		}
	})
}

// hugePNG is a valid PNG header claiming 30000×30000 pixels.
func hugePNG(t *testing.T) []byte {
	t.Helper()
	var buf bytes.Buffer
	png.Encode(&buf, image.NewGray(image.Rect(0, 0, 1, 1)))
	b := buf.Bytes()
	// IHDR's width and height are bytes 16–23; its CRC (of type and data) follows.
	put := func(off int, v uint32) {
		b[off], b[off+1], b[off+2], b[off+3] = byte(v>>24), byte(v>>16), byte(v>>8), byte(v)
	}
	put(16, 30000)
	put(20, 30000)
	put(29, crc32.ChecksumIEEE(b[12:29]))
	return b
}

// photoFiles counts the files in the photo store.
func photoFiles(t *testing.T, dataDir string) int {
	t.Helper()
	entries, _ := os.ReadDir(filepath.Join(dataDir, "files", "photos"))
	return len(entries)
}

// checkRanOnce reads the task's stage attempts from the database itself.
func checkRanOnce(t *testing.T, d store.Dialect, dsn, taskID string, want map[string]int) {
	t.Helper()
	db, err := store.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	task, err := db.TaskForWork(context.Background(), taskID, false)
	if err != nil {
		t.Fatal(err)
	}
	for s, n := range want {
		for _, st := range task.Stages {
			if string(st.Stage) == s && st.Attempts != n {
				t.Errorf("stage %s ran %d times, want %d", s, st.Attempts, n)
			}
		}
	}
}
