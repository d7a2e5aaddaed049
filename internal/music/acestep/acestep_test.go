package acestep_test

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/o2sound/o2sound/internal/music/acestep"
	"github.com/o2sound/o2sound/internal/music/acestep/acesteptest"
)

func request() acestep.Request {
	return acestep.Request{
		Prompt: "acoustic pop, warm, catchy jingle, female vocals", Lyrics: "[Verse]\n커피 한 잔\n[Chorus]\n카페 블루문",
		Language: "ko", BPM: 100, KeyScale: "D Major", TimeSignature: "4", Duration: 12, Seed: 7,
	}
}

func TestGenerate(t *testing.T) {
	t.Parallel()
	srv := acesteptest.NewServer(acesteptest.Options{APIKey: "secret", Polls: 2})
	defer srv.Close()
	c := acestep.New(acestep.Config{BaseURL: srv.URL, APIKey: "secret", Model: "acestep-v15-turbo", PollInterval: 10 * time.Millisecond, Timeout: 10 * time.Second})
	res, err := c.Generate(context.Background(), request())
	if err != nil {
		t.Fatal(err)
	}
	if res.Format != "wav" || !bytes.HasPrefix(res.Audio, []byte("RIFF")) || len(res.Audio) < 12*44100*4 {
		t.Errorf("audio %s, %d bytes", res.Format, len(res.Audio))
	}
	if res.Metas.BPM != 100 || res.Metas.Duration != 12 || res.Metas.KeyScale != "D Major" || res.Metas.TimeSignature != "4" {
		t.Errorf("metas %+v", res.Metas)
	}
	reqs := srv.Requests()
	if len(reqs) != 1 {
		t.Fatalf("%d requests", len(reqs))
	}
	r := reqs[0]
	for k, want := range map[string]any{
		"prompt": "acoustic pop, warm, catchy jingle, female vocals", "vocal_language": "ko", "bpm": 100.0, "key_scale": "D Major",
		"time_signature": "4", "audio_duration": 12.0, "seed": 7.0, "use_random_seed": false, "batch_size": 1.0,
		"audio_format": "wav", "model": "acestep-v15-turbo", "inference_steps": 8.0,
	} {
		if r[k] != want {
			t.Errorf("request %s = %v, want %v", k, r[k], want)
		}
	}
	if !strings.Contains(r["lyrics"].(string), "[Chorus]") {
		t.Errorf("lyrics %q", r["lyrics"])
	}
}

func TestGenerateFailures(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		opts    acesteptest.Options
		cfgKey  string
		timeout time.Duration
		want    string
	}{
		{"submit 500", acesteptest.Options{Mode: acesteptest.FailSubmit}, "", 5 * time.Second, "status 500"},
		{"wrapped error", acesteptest.Options{Mode: acesteptest.WrappedError}, "", 5 * time.Second, "queue is full"},
		{"task failed", acesteptest.Options{Mode: acesteptest.FailTask}, "", 5 * time.Second, "NaN in latents"},
		{"never finishes", acesteptest.Options{Mode: acesteptest.Hang}, "", 300 * time.Millisecond, "deadline exceeded"},
		{"wrong key", acesteptest.Options{APIKey: "secret"}, "guess", 5 * time.Second, "status 401"},
		{"foreign audio url", acesteptest.Options{Mode: acesteptest.ForeignAudioURL}, "", 5 * time.Second, "not on the server"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := acesteptest.NewServer(tt.opts)
			defer srv.Close()
			c := acestep.New(acestep.Config{BaseURL: srv.URL, APIKey: tt.cfgKey, PollInterval: 20 * time.Millisecond, Timeout: tt.timeout})
			_, err := c.Generate(context.Background(), request())
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want %q", err, tt.want)
			}
		})
	}
}
