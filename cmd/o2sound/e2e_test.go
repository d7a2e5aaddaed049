package main

import (
	"context"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/o2sound/o2sound/internal/store"
	"github.com/o2sound/o2sound/internal/store/storetest"
)

// buildBinary compiles o2sound once per test binary run.
func buildBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "o2sound")
	cmd := exec.Command("go", "build", "-o", bin, ".")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// server is a running "o2sound serve" process.
type server struct {
	cmd  *exec.Cmd
	base string
	log  *syncBuilder
}

// syncBuilder collects a child's output; the child's two pipes write concurrently.
type syncBuilder struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuilder) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuilder) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func startServe(t *testing.T, bin string, env []string, args ...string) *server {
	t.Helper()
	addr := freeAddr(t)
	for _, kv := range env { // a test that must know the address first chose it
		if a, ok := strings.CutPrefix(kv, "LISTEN_ADDR="); ok {
			addr = a
		}
	}
	cmd := exec.Command(bin, append([]string{"serve"}, args...)...)
	cmd.Env = append(os.Environ(), append(env, "LISTEN_ADDR="+addr)...)
	log := &syncBuilder{}
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	s := &server{cmd: cmd, base: "http://" + addr, log: log}
	t.Cleanup(func() { s.stop(t) })
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		// GET / answers as soon as the server listens; /health may rightly be 503
		// (an API-only process before any worker runs).
		if resp, err := http.Get(s.base + "/"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return s
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("serve did not start:\n%s", log)
	return nil
}

// stop sends SIGTERM and waits for a graceful exit.
func (s *server) stop(t *testing.T) {
	if s.cmd.ProcessState != nil {
		return
	}
	s.cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan error, 1)
	go func() { done <- s.cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("serve exited with %v:\n%s", err, s.log)
		}
	case <-time.After(20 * time.Second):
		s.cmd.Process.Kill()
		t.Errorf("serve did not stop within 20s of SIGTERM")
	}
}

// python returns an interpreter that has the requests package.
func python(t *testing.T) string {
	for _, p := range []string{"python3", "/usr/bin/python3"} {
		if exec.Command(p, "-c", "import requests").Run() == nil {
			return p
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatal("python3 with requests is missing (scripts/install-deps.sh --test installs python3-requests)")
	}
	t.Skip("python3 with requests is not installed")
	return ""
}

// TestSeedPythonClient runs the seed's own Python client against a real "serve",
// restarts the server, and checks the session survived: on SQLite and PostgreSQL.
func TestSeedPythonClient(t *testing.T) {
	t.Parallel()
	py := python(t)
	bin := buildBinary(t)
	for _, d := range storetest.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			env := []string{"DATA_DIR=" + t.TempDir()}
			if d == store.Postgres {
				env = append(env, "DATABASE_URL="+storetest.DSN(t, d))
			}
			srv := startServe(t, bin, env)
			cookieFile := filepath.Join(t.TempDir(), "cookie")
			ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
			defer cancel()
			out, err := exec.CommandContext(ctx, py, "../../scripts/seed_client_check.py", srv.base, cookieFile).CombinedOutput()
			if err != nil {
				t.Fatalf("seed client: %v\n%s\nserver log:\n%s", err, out, srv.log)
			}
			token, err := os.ReadFile(cookieFile)
			if err != nil {
				t.Fatal(err)
			}

			srv.stop(t)
			srv = startServe(t, bin, env)
			req, _ := http.NewRequest("POST", srv.base+"/user/profile", nil)
			req.AddCookie(&http.Cookie{Name: "session", Value: string(token)})
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != 200 {
				t.Fatalf("session did not survive a restart: %d", resp.StatusCode)
			}
		})
	}
}

func TestBadConfigurationStopsStartup(t *testing.T) {
	t.Parallel()
	bin := buildBinary(t)
	cmd := exec.Command(bin, "serve")
	cmd.Env = append(os.Environ(), "DATA_DIR="+t.TempDir(), "DATABASE_URL=mysql://nope", "LISTEN_ADDR="+freeAddr(t))
	out, err := cmd.CombinedOutput()
	if err == nil || !strings.Contains(string(out), "DATABASE_URL") || strings.Count(strings.TrimSpace(string(out)), "\n") > 0 {
		t.Fatalf("want one clear line about DATABASE_URL, got %v:\n%s", err, out)
	}
}
