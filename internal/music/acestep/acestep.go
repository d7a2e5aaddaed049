// Package acestep is a client for the HTTP API of a self-hosted ACE-Step 1.5 server
// (python -m acestep.api_server), an open music model that sings lyrics in 50+ languages.
// A task is submitted with POST /release_task, polled with POST /query_result until its
// status is 1 (succeeded) or 2 (failed), and its audio downloaded from the /v1/audio URL
// the result names. Every response is wrapped as {"data": …, "code": 200, "error": null}.
package acestep

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"
)

// Config points at an ACE-Step API server.
type Config struct {
	BaseURL string // e.g. "http://gpu-box:8001"
	APIKey  string // sent as "Authorization: Bearer …" when the server has ACESTEP_API_KEY
	Model   string // DiT model name; empty uses the server's default
	// Thinking asks the server's 5Hz LM to plan the audio codes (better songs, slower).
	Thinking bool
	// InferenceSteps for the diffusion model; default 8 (the turbo model's sweet spot).
	InferenceSteps int
	// Timeout bounds a whole generation: queueing, generating and downloading. Default 10 min.
	Timeout time.Duration
	// PollInterval between /query_result calls; default 2 s.
	PollInterval time.Duration
	// HTTPClient is used when set (tests, proxies).
	HTTPClient *http.Client
}

// Enabled reports whether a server is configured; the provider is off by default.
func (c Config) Enabled() bool { return c.BaseURL != "" }

// ConfigFromEnv reads ACESTEP_URL, ACESTEP_API_KEY, ACESTEP_MODEL, ACESTEP_THINKING,
// ACESTEP_STEPS and ACESTEP_TIMEOUT.
func ConfigFromEnv() Config { return configFromLookup(os.LookupEnv) }

func configFromLookup(lookup func(string) (string, bool)) Config {
	get := func(k string) string { v, _ := lookup(k); return strings.TrimSpace(v) }
	c := Config{
		BaseURL: strings.TrimRight(get("ACESTEP_URL"), "/"),
		APIKey:  get("ACESTEP_API_KEY"),
		Model:   get("ACESTEP_MODEL"),
	}
	c.Thinking, _ = strconv.ParseBool(get("ACESTEP_THINKING"))
	c.InferenceSteps, _ = strconv.Atoi(get("ACESTEP_STEPS"))
	if d, err := time.ParseDuration(get("ACESTEP_TIMEOUT")); err == nil && d > 0 {
		c.Timeout = d
	}
	return c
}

// Request is one song to generate.
type Request struct {
	Prompt        string  // style description ("caption"): genre, mood, instruments, voice
	Lyrics        string  // with [Verse]/[Chorus] headers
	Language      string  // vocal language: "ko", "en", …
	BPM           int     // 0 lets the model choose
	KeyScale      string  // "D Major", "A Minor"; empty lets the model choose
	TimeSignature string  // "4" for 4/4, "3" for 3/4
	Duration      float64 // seconds, 10–600
	Seed          int64   // negative for random
	Format        string  // "wav" (default), "mp3", "flac"
}

// Metas is what the server says it generated.
type Metas struct {
	BPM           int
	Duration      float64
	KeyScale      string
	TimeSignature string
}

// Result is a finished generation.
type Result struct {
	TaskID string
	Audio  []byte
	Format string // file extension of Audio
	Metas  Metas
}

// Limits on what the server may send back.
const (
	maxJSON  = 4 << 20
	maxAudio = 200 << 20 // ten minutes of 44.1 kHz stereo 16-bit WAV is ~100 MiB
)

// Client talks to one server.
type Client struct {
	cfg  Config
	http *http.Client
}

// New returns a client; it does not contact the server.
func New(cfg Config) *Client {
	if cfg.Timeout <= 0 {
		cfg.Timeout = 10 * time.Minute
	}
	if cfg.PollInterval <= 0 {
		cfg.PollInterval = 2 * time.Second
	}
	if cfg.InferenceSteps <= 0 {
		cfg.InferenceSteps = 8
	}
	h := cfg.HTTPClient
	if h == nil {
		h = &http.Client{}
	}
	return &Client{cfg: cfg, http: h}
}

// Generate submits req, waits for the task and downloads its first audio file.
func (c *Client) Generate(ctx context.Context, req Request) (*Result, error) {
	ctx, cancel := context.WithTimeout(ctx, c.cfg.Timeout)
	defer cancel()
	id, err := c.Submit(ctx, req)
	if err != nil {
		return nil, err
	}
	t := time.NewTimer(0)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("acestep: task %s: %w", id, ctx.Err())
		case <-t.C:
		}
		st, err := c.Query(ctx, id)
		if err != nil {
			return nil, err
		}
		switch st.Status {
		case StatusQueuedOrRunning:
			t.Reset(c.cfg.PollInterval)
			continue
		case StatusFailed:
			return nil, fmt.Errorf("acestep: task %s failed: %s", id, st.Message)
		case StatusSucceeded:
			if st.File == "" {
				return nil, fmt.Errorf("acestep: task %s succeeded without an audio file", id)
			}
			audio, err := c.Download(ctx, st.File)
			if err != nil {
				return nil, err
			}
			format := req.Format
			if format == "" {
				format = "wav"
			}
			if ext := extOf(st.File); ext != "" {
				format = ext
			}
			return &Result{TaskID: id, Audio: audio, Format: format, Metas: st.Metas}, nil
		default:
			return nil, fmt.Errorf("acestep: task %s: unknown status %d", id, st.Status)
		}
	}
}

// Task statuses in /query_result.
const (
	StatusQueuedOrRunning = 0
	StatusSucceeded       = 1
	StatusFailed          = 2
)

// TaskStatus is one task's state from /query_result.
type TaskStatus struct {
	Status  int
	File    string // audio URL, usually "/v1/audio?path=…"
	Metas   Metas
	Message string // why it failed, when the server says
}

// Submit creates a generation task and returns its id.
func (c *Client) Submit(ctx context.Context, req Request) (string, error) {
	format := req.Format
	if format == "" {
		format = "wav"
	}
	body := map[string]any{
		"prompt":           req.Prompt,
		"lyrics":           req.Lyrics,
		"vocal_language":   req.Language,
		"audio_format":     format,
		"audio_duration":   req.Duration,
		"inference_steps":  c.cfg.InferenceSteps,
		"batch_size":       1,
		"thinking":         c.cfg.Thinking,
		"use_random_seed":  req.Seed < 0,
		"seed":             req.Seed,
		"use_cot_caption":  false, // keep our caption; the plan already decided the style
		"use_cot_language": false,
	}
	if req.BPM > 0 {
		body["bpm"] = req.BPM
	}
	if req.KeyScale != "" {
		body["key_scale"] = req.KeyScale
	}
	if req.TimeSignature != "" {
		body["time_signature"] = req.TimeSignature
	}
	if c.cfg.Model != "" {
		body["model"] = c.cfg.Model
	}
	var data struct {
		TaskID string `json:"task_id"`
	}
	if err := c.call(ctx, "/release_task", body, &data); err != nil {
		return "", err
	}
	if data.TaskID == "" {
		return "", errors.New("acestep: release_task returned no task_id")
	}
	return data.TaskID, nil
}

// Query returns the state of one task.
func (c *Client) Query(ctx context.Context, id string) (*TaskStatus, error) {
	var data []struct {
		TaskID string          `json:"task_id"`
		Status int             `json:"status"`
		Result json.RawMessage `json:"result"`
	}
	if err := c.call(ctx, "/query_result", map[string]any{"task_id_list": []string{id}}, &data); err != nil {
		return nil, err
	}
	for _, d := range data {
		if d.TaskID != id {
			continue
		}
		st := &TaskStatus{Status: d.Status}
		if d.Status == StatusQueuedOrRunning {
			return st, nil
		}
		items, msg, err := parseResult(d.Result)
		if err != nil {
			if d.Status == StatusFailed {
				st.Message = snippet(d.Result)
				return st, nil
			}
			return nil, fmt.Errorf("acestep: task %s: %w", id, err)
		}
		st.Message = msg
		for _, it := range items {
			if it.File != "" && (it.Status == nil || *it.Status == StatusSucceeded) {
				st.File = it.File
				st.Metas = it.Metas.metas()
				break
			}
		}
		return st, nil
	}
	return nil, fmt.Errorf("acestep: query_result has no entry for task %s", id)
}

// resultItem is one generated file in a task's result.
type resultItem struct {
	File   string      `json:"file"`
	Status *int        `json:"status"`
	Metas  resultMetas `json:"metas"`
	Error  string      `json:"error"`
}

type resultMetas struct {
	BPM           flexNumber `json:"bpm"`
	Duration      flexNumber `json:"duration"`
	KeyScale      string     `json:"keyscale"`
	TimeSignature flexString `json:"timesignature"`
}

func (m resultMetas) metas() Metas {
	return Metas{BPM: int(m.BPM), Duration: float64(m.Duration), KeyScale: m.KeyScale, TimeSignature: string(m.TimeSignature)}
}

// parseResult reads a task's result, which the server sends as a JSON string holding a
// JSON array (and some versions as the array itself or a single object).
func parseResult(raw json.RawMessage) ([]resultItem, string, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return nil, "", errors.New("empty result")
	}
	if raw[0] == '"' {
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return nil, "", fmt.Errorf("result: %w", err)
		}
		raw = bytes.TrimSpace([]byte(s))
		if len(raw) == 0 || (raw[0] != '[' && raw[0] != '{') {
			return nil, s, errors.New("result is not JSON")
		}
	}
	var items []resultItem
	if raw[0] == '{' {
		var one resultItem
		if err := json.Unmarshal(raw, &one); err != nil {
			return nil, "", fmt.Errorf("result: %w", err)
		}
		items = []resultItem{one}
	} else if err := json.Unmarshal(raw, &items); err != nil {
		return nil, "", fmt.Errorf("result: %w", err)
	}
	msg := ""
	for _, it := range items {
		if it.Error != "" {
			msg = it.Error
		}
	}
	return items, msg, nil
}

// call POSTs body as JSON to path and decodes the wrapper's data into out.
func (c *Client) call(ctx context.Context, path string, body any, out any) error {
	b, err := json.Marshal(body)
	if err != nil {
		return fmt.Errorf("acestep: %w", err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.cfg.BaseURL+path, bytes.NewReader(b))
	if err != nil {
		return fmt.Errorf("acestep: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	c.auth(req)
	resp, err := c.http.Do(req)
	if err != nil {
		return fmt.Errorf("acestep: %s: %w", path, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, maxJSON+1))
	if err != nil {
		return fmt.Errorf("acestep: %s: %w", path, err)
	}
	if len(raw) > maxJSON {
		return fmt.Errorf("acestep: %s: response larger than %d bytes", path, maxJSON)
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("acestep: %s: status %d: %s", path, resp.StatusCode, snippet(raw))
	}
	var w struct {
		Data  json.RawMessage `json:"data"`
		Code  int             `json:"code"`
		Error *string         `json:"error"`
	}
	if err := json.Unmarshal(raw, &w); err != nil {
		return fmt.Errorf("acestep: %s: not the API's JSON: %w", path, err)
	}
	if (w.Code != 0 && w.Code != http.StatusOK) || (w.Error != nil && *w.Error != "") {
		msg := ""
		if w.Error != nil {
			msg = *w.Error
		}
		return fmt.Errorf("acestep: %s: code %d: %s", path, w.Code, msg)
	}
	if err := json.Unmarshal(w.Data, out); err != nil {
		return fmt.Errorf("acestep: %s: unexpected data: %w", path, err)
	}
	return nil
}

func (c *Client) auth(req *http.Request) {
	if c.cfg.APIKey != "" {
		req.Header.Set("Authorization", "Bearer "+c.cfg.APIKey)
	}
}

// Download fetches an audio URL from a result. Relative URLs ("/v1/audio?path=…") are
// resolved against the server; absolute ones must point at the same host, so a result can
// never make O2Sound fetch from elsewhere.
func (c *Client) Download(ctx context.Context, file string) ([]byte, error) {
	base, err := url.Parse(c.cfg.BaseURL + "/")
	if err != nil {
		return nil, fmt.Errorf("acestep: base URL: %w", err)
	}
	ref, err := url.Parse(file)
	if err != nil {
		return nil, fmt.Errorf("acestep: audio URL %q: %w", file, err)
	}
	u := base.ResolveReference(ref)
	if u.Host != base.Host || u.Scheme != base.Scheme {
		return nil, fmt.Errorf("acestep: audio URL %q is not on the server %s", file, base.Host)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, fmt.Errorf("acestep: %w", err)
	}
	c.auth(req)
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, fmt.Errorf("acestep: download: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
		return nil, fmt.Errorf("acestep: download: status %d: %s", resp.StatusCode, snippet(b))
	}
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxAudio+1))
	if err != nil {
		return nil, fmt.Errorf("acestep: download: %w", err)
	}
	if len(b) > maxAudio {
		return nil, fmt.Errorf("acestep: download: audio larger than %d bytes", maxAudio)
	}
	if len(b) == 0 {
		return nil, errors.New("acestep: download: empty audio")
	}
	return b, nil
}

// extOf is the audio format named by a result URL's path parameter or path.
func extOf(file string) string {
	u, err := url.Parse(file)
	if err != nil {
		return ""
	}
	p := u.Query().Get("path")
	if p == "" {
		p = u.Path
	}
	i := strings.LastIndexByte(p, '.')
	if i < 0 {
		return ""
	}
	switch ext := strings.ToLower(p[i+1:]); ext {
	case "wav", "mp3", "flac", "opus", "aac", "ogg", "m4a":
		return ext
	}
	return ""
}

func snippet(b []byte) string {
	s := strings.Join(strings.Fields(string(b)), " ")
	if len(s) > 300 {
		s = s[:300] + "…"
	}
	return s
}

// flexNumber accepts 120, 120.0, "120" and null.
type flexNumber float64

func (f *flexNumber) UnmarshalJSON(b []byte) error {
	s := strings.Trim(strings.TrimSpace(string(b)), `"`)
	if s == "" || s == "null" || s == "N/A" {
		*f = 0
		return nil
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		*f = 0 // metadata is advisory; a strange value must not fail the song
		return nil
	}
	*f = flexNumber(v)
	return nil
}

// flexString accepts "4", 4 and null.
type flexString string

func (f *flexString) UnmarshalJSON(b []byte) error {
	s := strings.TrimSpace(string(b))
	if s == "null" {
		*f = ""
		return nil
	}
	if strings.HasPrefix(s, `"`) {
		var v string
		if err := json.Unmarshal(b, &v); err != nil {
			return err
		}
		*f = flexString(v)
		return nil
	}
	*f = flexString(s)
	return nil
}
