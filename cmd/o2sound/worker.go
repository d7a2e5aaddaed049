package main

import (
	"context"
	"errors"
	"io"
)

// workerCommand runs workers only, for scale-out: any number of them, on any machines
// that share the PostgreSQL database and the data directory's file store.
func workerCommand(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cfg, err := loadConfig("worker", args, stderr)
	if err != nil {
		return err
	}
	if cfg.DatabaseURL == "" {
		return errors.New("worker needs DATABASE_URL=postgres://… shared with serve (with the embedded SQLite database, serve runs the workers itself)")
	}
	if cfg.Workers == 0 {
		return errors.New("worker with WORKERS=0 would do nothing")
	}
	log := newLogger(cfg, stderr)
	a, err := openApp(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer a.close()
	engine, err := a.newEngine(ctx, true)
	if err != nil {
		return err
	}
	if err := engine.Start(ctx); err != nil {
		return err
	}
	log.Info("o2sound worker running", "render_workers", cfg.Workers, "light_workers", cfg.WorkersLight, "data_dir", cfg.DataDir)
	<-ctx.Done()
	log.Info("worker stopping")
	return engine.Stop(stageGrace)
}
