// Command o2sound turns a small business's website into a promotional music video.
//
//	o2sound serve     API + in-process workers (the embedded default)
//	o2sound worker    workers only, against PostgreSQL (scale-out)
//	o2sound make      one video from a URL or a folder, with a progress bar
//	o2sound migrate   apply database migrations and exit
//
// Run "o2sound help" for every command.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// version is overridden at build time with -ldflags "-X main.version=…".
var version = "0.1.0"

type command struct {
	name, summary string
	run           func(ctx context.Context, args []string, stdout, stderr io.Writer) error
}

func commands() []command {
	return []command{
		{"serve", "run the API server and, in the same process, the workers (-workers=0: the API alone)", serveCommand},
		{"worker", "run workers only, against PostgreSQL (scale-out)", workerCommand},
		{"make", "make one video from a URL or a folder, start to finish, with a progress bar", makeCommand},
		{"crawl", "print what the crawler finds on a site or in a folder, as JSON", crawlCommand},
		{"song", "write lyrics, plan and song for a business.json (to listen to one)", songCommand},
		{"bench", "benchmark a 30 s 1080p render against a bare x264 encode", benchCommand},
		{"migrate", "apply database migrations and exit", migrateCommand},
		{"version", "print the version", func(_ context.Context, _ []string, stdout, _ io.Writer) error {
			fmt.Fprintln(stdout, "o2sound", version)
			return nil
		}},
	}
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "o2sound:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		usage(stdout)
		return nil
	}
	for _, c := range commands() {
		if c.name == args[0] {
			err := c.run(ctx, args[1:], stdout, stderr)
			if errors.Is(err, flag.ErrHelp) {
				return nil // -h printed the command's usage: asked for, not a failure
			}
			return err
		}
	}
	usage(stderr)
	return fmt.Errorf("unknown command %q", args[0])
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: o2sound <command> [flags]\n\ncommands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-9s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nRun \"o2sound <command> -h\" for a command's flags. Configuration comes from the environment; see README.md.")
}
