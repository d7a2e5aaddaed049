package main

import (
	"bufio"
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"image"
	"image/jpeg"
	"image/png"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/o2sound/o2sound/internal/store"
)

// The crawler's pixel cap (imageprep.DefaultMaxPixels): the fixture's big photos sit just
// under it.
const pixelCap = 40 << 20

// bombSite serves a page whose photos are what an unlucky site holds: camera originals
// just under the pixel cap, files whose headers claim more, a decompression bomb (a
// small PNG that inflates to 166 MB of pixels), a 16-bit PNG that is cheap to store and
// dear to decode, and three ordinary photos so a video can still be made.
func bombSite(t *testing.T) *httptest.Server {
	t.Helper()
	dir := t.TempDir()
	files := map[string][]byte{}
	var mu sync.Mutex
	var wg sync.WaitGroup
	put := func(name string, make func() []byte) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			b := make()
			mu.Lock()
			files[name] = b
			mu.Unlock()
		}()
	}
	const bigW, bigH = 6400, 6500 // 41.6 MP, under the 41.9 MP cap
	if bigW*bigH >= pixelCap {
		t.Fatal("the big photos are over the cap")
	}
	for i := range 3 {
		put(fmt.Sprintf("camera-%d.jpg", i+1), func() []byte { return patternJPEG(bigW, bigH, i+1) })
	}
	put("bomb.png", func() []byte { // all transparent: 166 MB decoded from ~160 KB
		var buf bytes.Buffer
		(&png.Encoder{CompressionLevel: png.BestSpeed}).Encode(&buf, image.NewNRGBA(image.Rect(0, 0, bigW, bigH)))
		return buf.Bytes()
	})
	put("deep.png", func() []byte { // 16-bit grey: 8 bytes a pixel in Go's decoder
		var buf bytes.Buffer
		(&png.Encoder{CompressionLevel: png.BestSpeed}).Encode(&buf, image.NewGray16(image.Rect(0, 0, 6000, 6000)))
		return buf.Bytes()
	})
	put("over-cap.png", func() []byte { return pngClaiming(100000, 100000) })
	put("over-cap.jpg", func() []byte { return jpegClaiming(9000, 9000) })
	for i := range 3 {
		put(fmt.Sprintf("photo-%d.jpg", i+1), func() []byte { return patternJPEG(1200, 800, 10+i) })
	}
	wg.Wait()
	var imgs strings.Builder
	for _, name := range []string{"camera-1.jpg", "bomb.png", "camera-2.jpg", "deep.png", "over-cap.png", "camera-3.jpg",
		"over-cap.jpg", "photo-1.jpg", "photo-2.jpg", "photo-3.jpg"} {
		if err := os.WriteFile(filepath.Join(dir, name), files[name], 0o644); err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&imgs, `<img src="/%s" alt="Harbor Bakery %s">`, name, strings.TrimSuffix(name, filepath.Ext(name)))
	}
	page := `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Harbor Bakery | Sourdough in Portland</title>
<meta name="description" content="Harbor Bakery bakes sourdough, croissants and seasonal pies every morning.">
</head><body><h1>Harbor Bakery</h1><p>Sourdough, croissants and pies, baked every morning.</p>` + imgs.String() + `</body></html>`
	if err := os.WriteFile(filepath.Join(dir, "index.html"), []byte(page), 0o644); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.FileServer(http.Dir(dir)))
	t.Cleanup(srv.Close)
	return srv
}

// patternJPEG draws soft stripes over a gradient, detailed enough not to count as a
// flat picture yet small as a file.
func patternJPEG(w, h, seed int) []byte {
	img := image.NewYCbCr(image.Rect(0, 0, w, h), image.YCbCrSubsampleRatio420)
	f := 0.002 * float64(seed)
	for y := range h {
		for x := range w {
			img.Y[y*img.YStride+x] = uint8(128 + 90*math.Sin(f*float64(x)+0.003*float64(y)))
		}
	}
	for y := range (h + 1) / 2 {
		for x := range (w + 1) / 2 {
			img.Cb[y*img.CStride+x] = uint8(x * 255 / ((w + 1) / 2))
			img.Cr[y*img.CStride+x] = uint8(y * 255 / ((h + 1) / 2))
		}
	}
	var buf bytes.Buffer
	jpeg.Encode(&buf, img, &jpeg.Options{Quality: 60})
	return buf.Bytes()
}

// pngClaiming is a PNG whose header claims w×h pixels, with a few rows of data: what a
// pixel-flood attack sends.
func pngClaiming(w, h int) []byte {
	var buf bytes.Buffer
	buf.WriteString("\x89PNG\r\n\x1a\n")
	chunk := func(kind string, data []byte) {
		binary.Write(&buf, binary.BigEndian, uint32(len(data)))
		buf.WriteString(kind)
		buf.Write(data)
		binary.Write(&buf, binary.BigEndian, crc32.ChecksumIEEE(append([]byte(kind), data...)))
	}
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr[0:], uint32(w))
	binary.BigEndian.PutUint32(ihdr[4:], uint32(h))
	ihdr[8], ihdr[9] = 8, 6 // 8-bit RGBA
	chunk("IHDR", ihdr)
	var z bytes.Buffer
	zw := zlib.NewWriter(&z)
	zw.Write(make([]byte, 4*(1+4*w)))
	zw.Close()
	chunk("IDAT", z.Bytes())
	chunk("IEND", nil)
	return buf.Bytes()
}

// jpegClaiming is a small JPEG whose frame header is rewritten to claim w×h.
func jpegClaiming(w, h int) []byte {
	b := patternJPEG(640, 480, 7)
	for i := 2; i+9 < len(b); {
		if b[i] == 0xFF && (b[i+1] == 0xC0 || b[i+1] == 0xC2) {
			binary.BigEndian.PutUint16(b[i+5:], uint16(h))
			binary.BigEndian.PutUint16(b[i+7:], uint16(w))
			return b
		}
		i += 2 + int(binary.BigEndian.Uint16(b[i+2:]))
	}
	panic("no frame header")
}

// peakRSS is a process's peak resident memory (VmHWM) in bytes.
func peakRSS(t *testing.T, pid int) int64 {
	t.Helper()
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			if err != nil {
				t.Fatal(err)
			}
			return kb << 10
		}
	}
	t.Fatal("no VmHWM in /proc status")
	return 0
}

// TestBombImagesKeepServeUnderOneGigabyte makes a video from bombSite with the real
// server and checks the server's peak memory. Before decodes were budgeted across the
// process, this site took it past 2 GB.
func TestBombImagesKeepServeUnderOneGigabyte(t *testing.T) {
	t.Parallel()
	bin := buildBinary(t)
	site := bombSite(t)
	env, _, _ := e2eEnv(t, store.SQLite)
	srv := startServe(t, bin, env)
	c := signIn(t, srv.base, "baker")
	id := c.start(site.URL)
	done := c.waitFor(id, 5*time.Minute, "the video", func(p map[string]any) bool { return p["state"] == "completed" })
	peak := peakRSS(t, srv.cmd.Process.Pid)
	t.Logf("serve peak RSS %d MB; task %v", peak>>20, done["state"])
	if peak >= 1<<30 {
		t.Errorf("serve peaked at %d MB resident, want under 1024 MB", peak>>20)
	}
}
