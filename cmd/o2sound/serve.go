package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/o2sound/o2sound/internal/account"
	"github.com/o2sound/o2sound/internal/api"
	"github.com/o2sound/o2sound/internal/config"
	"github.com/o2sound/o2sound/internal/engine"
	"github.com/o2sound/o2sound/internal/fetch"
	"github.com/o2sound/o2sound/internal/files"
	"github.com/o2sound/o2sound/internal/googleauth"
	"github.com/o2sound/o2sound/internal/library"
	"github.com/o2sound/o2sound/internal/metrics"
	"github.com/o2sound/o2sound/internal/o2sound"
	"github.com/o2sound/o2sound/internal/pipeline"
	"github.com/o2sound/o2sound/internal/store"
	"github.com/o2sound/o2sound/internal/web"
)

// stageGrace is how long running stages may finish on shutdown before they are
// cancelled (and retried after the next start).
const stageGrace = 10 * time.Second

// app is everything a server process holds, wired by hand.
type app struct {
	cfg      *config.Config
	log      *slog.Logger
	db       *store.DB
	files    *files.Store
	accounts *account.Service
	library  *library.Service
	metrics  *metrics.Metrics
}

// dbGauges reads the metrics that live in the database.
type dbGauges struct{ db *store.DB }

func (g dbGauges) TaskCounts(ctx context.Context) (map[string]int, error) {
	return g.db.TaskCounts(ctx)
}
func (g dbGauges) QueueCounts(ctx context.Context) (map[string]int, error) {
	return g.db.RiverJobCounts(ctx)
}

// loadConfig parses flags and environment for a subcommand.
func loadConfig(name string, args []string, stderr io.Writer) (*config.Config, error) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	return config.FromEnv(os.Getenv, fs, args)
}

func newLogger(cfg *config.Config, w io.Writer) *slog.Logger {
	var level slog.Level
	level.UnmarshalText([]byte(cfg.LogLevel))
	opts := &slog.HandlerOptions{Level: level}
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// openApp opens the database (migrating it) and the file store.
func openApp(ctx context.Context, cfg *config.Config, log *slog.Logger) (*app, error) {
	if err := os.MkdirAll(cfg.DataDir, 0o750); err != nil {
		return nil, fmt.Errorf("data directory %s: %w", cfg.DataDir, err)
	}
	octx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	db, err := store.Open(octx, cfg.DSN())
	if err != nil {
		return nil, err
	}
	applied, err := db.Migrate(octx)
	if err != nil {
		db.Close()
		return nil, err
	}
	if len(applied) > 0 {
		log.Info("database migrated", "applied", applied)
	}
	fstore, err := files.Open(filepath.Join(cfg.DataDir, "files"))
	if err != nil {
		db.Close()
		return nil, err
	}
	a := &app{cfg: cfg, log: log, db: db, files: fstore}
	a.accounts = account.New(db, account.Options{Secret: cfg.SessionSecret, IdleTimeout: cfg.SessionIdle, MaxAge: cfg.SessionMaxAge, Logger: log})
	a.library = library.New(db, fstore, log)
	a.metrics = metrics.New(dbGauges{db}, log)
	return a, nil
}

func (a *app) close() { a.db.Close() }

// newEngine builds the workflow engine with the real pipeline. runWorkers=false makes
// an API-only process (serve -workers=0).
func (a *app) newEngine(ctx context.Context, runWorkers bool) (*engine.Engine, error) {
	fo := fetch.Options{AllowPrivateNetworks: a.cfg.CrawlAllowPrivate}
	steps := stepsFrom(a.cfg)
	var err error
	if steps.Render, steps.Renderer, err = rendering(a.cfg.CrawlRender, fo); err != nil {
		return nil, err
	}
	w := pipeline.Config{DB: a.db, Files: a.files, Metrics: a.metrics, Fetch: fo, Steps: steps}.Work()
	o := engine.DefaultOptions()
	o.Metrics = a.metrics
	o.RunWorkers = runWorkers && a.cfg.Workers > 0
	if o.RunWorkers {
		if err := steps.Preflight(); err != nil {
			return nil, fmt.Errorf("%w\nOr run the API alone with -workers=0 (WORKERS=0).", err)
		}
	}
	o.HeavyWorkers, o.LightWorkers = max(a.cfg.Workers, 1), max(a.cfg.WorkersLight, 1)
	o.CheckURL = func(ctx context.Context, rawURL string) error {
		err := fetch.CheckURL(ctx, rawURL, fo)
		var fe *fetch.Error
		if errors.As(err, &fe) {
			return &o2sound.Error{Code: fe.Code, Message: fe.Message, Err: err}
		}
		return err
	}
	return engine.New(ctx, a.db, a.files, w, o, a.log)
}

func serveCommand(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cfg, err := loadConfig("serve", args, stderr)
	if err != nil {
		return err
	}
	log := newLogger(cfg, stderr)
	a, err := openApp(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer a.close()
	if cfg.SecretGenerated {
		log.Info("using a generated session secret kept in the data directory; set SESSION_SECRET_KEY in production")
	}

	eng, err := a.newEngine(ctx, true)
	if err != nil {
		return err
	}
	// Everything that can fail is built before the engine starts, so a failed start-up
	// never leaves workers running.
	google, err := googleauth.New(a.db, googleauth.Options{Google: cfg.Google, Origins: cfg.FrontendOrigins,
		Secret: cfg.SessionSecret, Sessions: a.accounts, Logger: log})
	if err != nil {
		return err
	}
	jobsUI, err := eng.AdminJobs(ctx, "/admin/jobs")
	if err != nil {
		return err
	}
	if err := eng.Start(ctx); err != nil {
		return err
	}
	srv := api.New(api.Deps{Config: cfg, Logger: log, Accounts: a.accounts, Library: a.library, Workflow: pipeline.NewService(eng, a.db, a.files, log), Google: google,
		Version: version, Ping: a.db.Ping, Health: []api.HealthCheck{eng.QueueHealth, eng.WorkersHealth},
		Web: web.Handler(web.Options{Google: cfg.Google.Enabled()}), Metrics: a.metrics, AdminJobs: jobsUI,
		StageTimes: (&store.StageTimesCache{Queries: a.db, Error: func(err error) { log.Warn("stage times", "err", err) }}).StageTimes})
	httpSrv := &http.Server{
		Addr:              cfg.ListenAddr,
		Handler:           srv.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
		BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	ln, err := net.Listen("tcp", cfg.ListenAddr)
	if err != nil {
		return fmt.Errorf("listen %s: %w", cfg.ListenAddr, err)
	}
	log.Info("o2sound serving", "addr", ln.Addr().String(), "database", string(a.db.Dialect()), "data_dir", cfg.DataDir,
		"workers", eng.RunsWorkers(), "version", version)

	go a.cleanSessions(ctx)
	errc := make(chan error, 1)
	go func() { errc <- httpSrv.Serve(ln) }()
	select {
	case err := <-errc:
		eng.Stop(stageGrace)
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	// WebSockets and streams are long-lived: close idle connections now and give the
	// rest the shutdown window, while the workers wind down in parallel.
	stopped := make(chan error, 1)
	go func() { stopped <- eng.Stop(stageGrace) }()
	if err := httpSrv.Shutdown(sctx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		httpSrv.Close()
	}
	if err := <-stopped; err != nil {
		log.Warn("workers stopped with an error", "err", err)
	}
	return nil
}

// cleanSessions deletes expired sessions hourly until ctx ends.
func (a *app) cleanSessions(ctx context.Context) {
	t := time.NewTicker(time.Hour)
	defer t.Stop()
	for {
		if n, err := a.accounts.Cleanup(ctx); err != nil && ctx.Err() == nil {
			a.log.Warn("session cleanup", "err", err)
		} else if n > 0 {
			a.log.Info("expired sessions removed", "count", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

func migrateCommand(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cfg, err := loadConfig("migrate", args, stderr)
	if err != nil {
		return err
	}
	db, err := store.Open(ctx, cfg.DSN())
	if err != nil {
		return err
	}
	defer db.Close()
	applied, err := db.Migrate(ctx)
	if err != nil {
		return err
	}
	if err := engine.MigrateQueue(ctx, db, newLogger(cfg, stderr)); err != nil {
		return err
	}
	if len(applied) == 0 {
		fmt.Fprintln(stdout, "database is up to date")
	}
	for _, m := range applied {
		fmt.Fprintln(stdout, "applied", m)
	}
	return nil
}
