package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"

	"github.com/o2sound/o2sound/internal/crawl"
	"github.com/o2sound/o2sound/internal/fetch"
	"github.com/o2sound/o2sound/internal/o2sound"
)

// crawlCommand runs the first stage on its own and prints what it found: the business
// profile, the ranked images (written as JPEGs to -out) and why the others were dropped.
// It is for checking what O2Sound will make of a site before making a video of it.
func crawlCommand(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("crawl", flag.ContinueOnError)
	fs.SetOutput(stderr)
	out := fs.String("out", "", "folder for the kept images (default: a new temporary folder, printed on stderr)")
	allowPrivate := fs.Bool("allow-private", false, "let the crawler reach private and loopback addresses (a site on this machine); also CRAWL_ALLOW_PRIVATE_NETWORKS=true")
	pages := fs.Int("pages", 4, "pages to read, the home page included")
	images := fs.Int("images", 12, "images to keep")
	renderMode := fs.String("render", os.Getenv("CRAWL_RENDER"), "render pages in headless Chromium: auto (JavaScript shells only, the default), always or off (CRAWL_RENDER)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: o2sound crawl [flags] <URL | folder>\n\nPrints the business profile and ranked images found on a site, as JSON.\nA folder is a saved site (index.html and its images) or photos plus a business.json.\n\nflags:")
		fs.PrintDefaults()
	}
	positional, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(positional) != 1 {
		fs.Usage()
		return fmt.Errorf("crawl needs exactly one URL or folder")
	}
	if *pages < 1 || *pages > 20 {
		return fmt.Errorf("-pages must be from 1 to 20")
	}
	if *images < 1 || *images > 100 {
		return fmt.Errorf("-images must be from 1 to 100")
	}
	source := positional[0]

	dir := *out
	if dir == "" {
		d, err := os.MkdirTemp("", "o2sound-crawl-")
		if err != nil {
			return fmt.Errorf("crawl: %w", err)
		}
		dir = d
		fmt.Fprintf(stderr, "images: %s\n", dir)
	} else if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("crawl: %w", err)
	}

	envPrivate, _ := strconv.ParseBool(os.Getenv("CRAWL_ALLOW_PRIVATE_NETWORKS"))
	opts := crawl.Options{
		Fetch:     fetch.Options{AllowPrivateNetworks: *allowPrivate || envPrivate},
		MaxPages:  *pages,
		MaxImages: *images,
		OutDir:    dir,
	}
	if opts.Render, opts.Renderer, err = rendering(*renderMode, opts.Fetch); err != nil {
		return err
	}
	var res *crawl.Result
	if st, statErr := os.Stat(source); statErr == nil && st.IsDir() {
		res, err = crawl.CrawlDir(ctx, source, opts)
	} else {
		res, err = crawl.Crawl(ctx, source, opts)
	}
	if err != nil {
		return privateHint(err, opts.Fetch.AllowPrivateNetworks)
	}
	enc := json.NewEncoder(stdout)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(res)
}

// privateHint adds what to do when the command line was pointed at a site on this
// machine or the local network, which the crawler refuses unless told otherwise
// (the server refuses it always, to stop SSRF; a person at a terminal may mean it).
func privateHint(err error, allowed bool) error {
	var fe *fetch.Error
	if allowed || !errors.As(err, &fe) || fe.Code != o2sound.CodeCrawlAddress {
		return err
	}
	return fmt.Errorf("%w\n(to read a site on this machine or your own network, add -allow-private)", err)
}
