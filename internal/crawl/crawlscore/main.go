// Command crawlscore measures the crawler on real saved pages: it crawls every folder of
// a corpus (../shared/realpages by default: index.html plus expect.json), prints one row
// per page and the totals, and exits 1 when the share of correct names or of correct
// declared descriptions is below the thresholds. Run it with `make crawl-score`.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"
)

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func run(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("crawlscore", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dir := fs.String("dir", "../shared/realpages", "the corpus: folders with index.html and expect.json")
	minNames := fs.Float64("min-names", 0.9, "fail below this share of correct names (0–1)")
	minDescs := fs.Float64("min-descriptions", 1, "fail below this share of correct declared descriptions (0–1)")
	verbose := fs.Bool("v", false, "also print the description found on each page")
	if err := fs.Parse(args); err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	r, err := scoreCorpus(ctx, *dir)
	if err != nil {
		return err
	}
	printReport(stdout, r, *verbose)
	var below []string
	if r.nameShare() < *minNames {
		below = append(below, fmt.Sprintf("names %.0f %% < %.0f %%", 100*r.nameShare(), 100**minNames))
	}
	if r.descShare() < *minDescs {
		below = append(below, fmt.Sprintf("descriptions %.0f %% < %.0f %%", 100*r.descShare(), 100**minDescs))
	}
	if len(below) > 0 {
		return fmt.Errorf("crawlscore: below the thresholds: %s", strings.Join(below, ", "))
	}
	return nil
}

func printReport(w io.Writer, r report, verbose bool) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "page\texpected name\tfound name\tname\tdescription")
	for _, p := range r.Pages {
		found := p.Found
		if p.Err != "" {
			found = "(error: " + truncate(p.Err, 40) + ")"
		}
		ok := "miss"
		if p.NameOK {
			ok = "ok"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", p.Page, truncate(p.Expected, 30), truncate(found, 40), ok, p.Desc)
	}
	tw.Flush()
	if verbose {
		for _, p := range r.Pages {
			if p.Desc == descMiss {
				fmt.Fprintf(w, "%s: found description %q\n", p.Page, truncate(p.FoundDesc, 100))
			}
		}
	}
	fmt.Fprintf(w, "\nnames %d/%d (%.0f %%), descriptions %d/%d (%.0f %%)\n",
		r.Names, len(r.Pages), 100*r.nameShare(), r.Descs, r.DescTotal, 100*r.descShare())
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
