package crawl

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"image"
	"image/png"
	"io"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"golang.org/x/image/draw"

	"github.com/o2sound/o2sound/internal/imageprep"
	"github.com/o2sound/o2sound/internal/sitefacts"
)

// Logo is the site's logo as saved for the video's title and end cards: a PNG with its
// transparency, upright, its long side at most MaxLogoSide. URL is where it came from
// (a path inside the folder for CrawlDir).
type Logo struct {
	Path   string `json:"path"`
	URL    string `json:"url"`
	Width  int    `json:"width"`
	Height int    `json:"height"`
}

const (
	// MaxLogoSide caps a saved logo's long side: a card shows it at a fifth of the frame
	// at most, 1024 px is sharp on a 4K screen's card.
	MaxLogoSide = 1024
	// MinLogoSide is the smallest long side worth putting on a card; a 32 px favicon
	// blown up to a card is a blur. Smaller logos still give the brand colours.
	MinLogoSide = 64
	// LogoFile is the name the logo is saved under in Options.OutDir.
	LogoFile = "logo.png"

	maxLogoBytes  = 2 << 20  // a logo file is small; a big one is a photo misnamed
	maxLogoPixels = 16 << 20 // and so is anything over 16 MP
)

// pickLogos lists the images the brand colours may come from, best first: the JSON-LD
// logo, images marked as the logo, then the largest touch icon. Several, because the
// JSON-LD logo often points at a production host a saved or staging copy cannot reach.
func pickLogos(cands []candidate, metas []*sitefacts.Page) []candidate {
	var out []candidate
	seen := map[string]bool{}
	add := func(c candidate) {
		ext := strings.ToLower(path.Ext(sitefacts.MustParse(c.URL).Path))
		if seen[c.URL] || ext == ".svg" || ext == ".ico" || len(out) >= 3 {
			return
		}
		seen[c.URL] = true
		out = append(out, c)
	}
	for _, c := range cands {
		if c.Origin == originJSONLD && hasLogoToken(c.Hints) {
			add(c)
		}
	}
	for _, c := range cands {
		if hasLogoToken(c.Hints) || hasLogoToken(c.Context) {
			add(c)
		}
	}
	if len(metas) > 0 {
		icons := append([]sitefacts.Icon(nil), metas[0].Icons...)
		sort.SliceStable(icons, func(i, j int) bool {
			ai, aj := strings.Contains(icons[i].Rel, "apple-touch-icon"), strings.Contains(icons[j].Rel, "apple-touch-icon")
			if ai != aj {
				return ai
			}
			return icons[i].Size > icons[j].Size
		})
		for _, ic := range icons {
			if !strings.Contains(ic.Rel, "mask-icon") {
				add(candidate{URL: ic.URL, Origin: "icon", Hints: "logo"})
			}
		}
	}
	return out
}

// brandLogo reads the logo candidates in order. The first that can be read gives the
// brand colours (colorsFrom is its URL); the first that is also big enough to show is
// saved as OutDir/logo.png. Usually they are one image; when the JSON-LD logo is a
// 32 px favicon, the colours come from it and the card gets the touch icon.
func (ip *imagePipeline) brandLogo(ctx context.Context, logos []candidate) (colorsFrom string, colors []string, logo *Logo) {
	for _, l := range logos {
		if colorsFrom != "" && logo != nil {
			break
		}
		img, hdr, release, ok := ip.readLogo(ctx, l)
		if !ok {
			continue
		}
		if colorsFrom == "" {
			if cs := dominantColors(img, 3); len(cs) > 0 {
				colorsFrom, colors = l.URL, cs
			}
		}
		if logo == nil && max(hdr.Width, hdr.Height) >= MinLogoSide {
			logo = ip.saveLogo(img, hdr, l)
		}
		release() // the decoded logo is done with
	}
	return colorsFrom, colors, logo
}

// readLogo downloads and decodes a logo with the photos' safety (pixel cap and decode
// cost checked on the header first), within the smaller limits a logo deserves.
// The decoded logo holds part of the process's decode budget until release is called.
func (ip *imagePipeline) readLogo(ctx context.Context, l candidate) (image.Image, imageprep.Header, func(), bool) {
	u, err := url.Parse(l.URL)
	if err != nil {
		return nil, imageprep.Header{}, nil, false
	}
	data, err := ip.src.image(ctx, u, min(maxLogoBytes, ip.opts.MaxImageBytes))
	if err != nil {
		return nil, imageprep.Header{}, nil, false
	}
	hdr, err := imageprep.Inspect(data, min(maxLogoPixels, ip.opts.MaxPixels))
	if err != nil || hdr.Width < 16 || hdr.Height < 16 {
		return nil, imageprep.Header{}, nil, false
	}
	release, err := imageprep.ReserveDecode(ctx, hdr)
	if err != nil {
		return nil, imageprep.Header{}, nil, false
	}
	img, err := imageprep.Decode(data, hdr.Format)
	if err != nil {
		release()
		return nil, imageprep.Header{}, nil, false
	}
	return img, hdr, release, true
}

// saveLogo writes the logo into OutDir, or only describes it when there is no OutDir.
// A logo with nothing visible in it (fully transparent) is not a logo.
func (ip *imagePipeline) saveLogo(img image.Image, hdr imageprep.Header, l candidate) *Logo {
	out := normalizeLogo(img, hdr.Orientation, MaxLogoSide)
	if !anyVisible(out) {
		return nil
	}
	logo := &Logo{URL: ip.display(l.URL), Width: out.Rect.Dx(), Height: out.Rect.Dy()}
	if ip.opts.OutDir != "" {
		p := filepath.Join(ip.opts.OutDir, LogoFile)
		if err := writePNG(out, p); err != nil {
			return nil
		}
		logo.Path = p
	}
	return logo
}

// normalizeLogo is imageprep.Normalize without the white backdrop: the logo keeps its
// transparency, so a card can put it on a plate of its own colour.
func normalizeLogo(img image.Image, orientation, maxLongSide int) *image.RGBA {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	dw, dh := w, h
	if long := max(w, h); long > maxLongSide {
		dw = max(1, int(int64(w)*int64(maxLongSide)/int64(long)))
		dh = max(1, int(int64(h)*int64(maxLongSide)/int64(long)))
	}
	if dw != w || dh != h {
		return imageprep.Orient(imageprep.ShrinkArea(img, dw, dh), orientation) // streams, see imageprep.ShrinkArea
	}
	dst := image.NewRGBA(image.Rect(0, 0, dw, dh))
	draw.Draw(dst, dst.Bounds(), img, b.Min, draw.Src)
	return imageprep.Orient(dst, orientation)
}

func anyVisible(img *image.RGBA) bool {
	for i := 3; i < len(img.Pix); i += 4 {
		if img.Pix[i] >= 32 {
			return true
		}
	}
	return false
}

// writePNG encodes img into dst through a temporary file and a rename, as imageprep.WriteJPEG.
func writePNG(img image.Image, dst string) error {
	f, err := os.CreateTemp(filepath.Dir(dst), ".tmp-*.png")
	if err != nil {
		return fmt.Errorf("crawl: write logo: %w", err)
	}
	tmp := f.Name()
	bw := bufio.NewWriterSize(f, 64<<10)
	err = png.Encode(bw, img)
	if err == nil {
		err = bw.Flush()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, dst)
	}
	if err != nil {
		_ = os.Remove(tmp)
		return fmt.Errorf("crawl: write logo: %w", err)
	}
	return nil
}

// ErrLogoTooSmall is why PrepareLogo refuses a logo.
var ErrLogoTooSmall = errors.New("logo is too small to show")

// PrepareLogo reads a logo (JPEG, PNG, GIF or WebP) with imageprep.Load's limits,
// turns it upright per EXIF, caps its long side at MaxLogoSide and writes it to dstPath
// as a PNG via a temporary file, keeping its transparency so a card can set it on a
// plate. A logo under MinLogoSide on its long side, or with nothing visible, is refused
// with ErrLogoTooSmall.
func PrepareLogo(src io.Reader, dstPath string) (w, h int, err error) {
	img, hdr, release, err := imageprep.Load(src, func(hdr imageprep.Header) error {
		if max(hdr.Width, hdr.Height) < MinLogoSide {
			return fmt.Errorf("%w: %d×%d", ErrLogoTooSmall, hdr.Width, hdr.Height)
		}
		return nil
	})
	if err != nil {
		return 0, 0, fmt.Errorf("crawl: prepare logo: %w", err)
	}
	defer release()
	out := normalizeLogo(img, hdr.Orientation, MaxLogoSide)
	if !anyVisible(out) {
		return 0, 0, fmt.Errorf("crawl: prepare logo: %w: fully transparent", ErrLogoTooSmall)
	}
	if err := writePNG(out, dstPath); err != nil {
		return 0, 0, err
	}
	return out.Rect.Dx(), out.Rect.Dy(), nil
}
