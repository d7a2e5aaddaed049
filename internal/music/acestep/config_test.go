package acestep

import (
	"testing"
	"time"
)

func TestConfigFromLookup(t *testing.T) {
	t.Parallel()
	env := map[string]string{"ACESTEP_URL": "http://gpu:8001/", "ACESTEP_API_KEY": "k", "ACESTEP_MODEL": "acestep-v15-turbo",
		"ACESTEP_THINKING": "true", "ACESTEP_STEPS": "12", "ACESTEP_TIMEOUT": "3m"}
	got := configFromLookup(func(k string) (string, bool) { v, ok := env[k]; return v, ok })
	want := Config{BaseURL: "http://gpu:8001", APIKey: "k", Model: "acestep-v15-turbo", Thinking: true, InferenceSteps: 12, Timeout: 3 * time.Minute}
	if got.BaseURL != want.BaseURL || got.APIKey != want.APIKey || got.Model != want.Model || got.Thinking != want.Thinking ||
		got.InferenceSteps != want.InferenceSteps || got.Timeout != want.Timeout {
		t.Errorf("got %+v", got)
	}
	if empty := configFromLookup(func(string) (string, bool) { return "", false }); empty.Enabled() {
		t.Error("enabled without ACESTEP_URL")
	}
}

func TestParseResult(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		raw     string
		file    string
		bpm     int
		wantErr bool
	}{
		{"json string array", `"[{\"file\": \"/v1/audio?path=a.wav\", \"status\": 1, \"metas\": {\"bpm\": 120, \"duration\": 30, \"timesignature\": \"4\"}}]"`, "/v1/audio?path=a.wav", 120, false},
		{"plain array", `[{"file": "/v1/audio?path=b.mp3", "metas": {"bpm": "96"}}]`, "/v1/audio?path=b.mp3", 96, false},
		{"single object", `{"file": "/v1/audio?path=c.flac", "metas": {"bpm": null, "timesignature": 3}}`, "/v1/audio?path=c.flac", 0, false},
		{"empty", `""`, "", 0, true},
		{"null", `null`, "", 0, true},
		{"text", `"CUDA error"`, "", 0, true},
	}
	for _, tt := range tests {
		items, _, err := parseResult([]byte(tt.raw))
		if (err != nil) != tt.wantErr {
			t.Errorf("%s: err = %v", tt.name, err)
			continue
		}
		if err == nil && (items[0].File != tt.file || int(items[0].Metas.BPM) != tt.bpm) {
			t.Errorf("%s: items %+v", tt.name, items)
		}
	}
}

func FuzzParseResult(f *testing.F) {
	f.Add([]byte(`"[{\"file\": \"/v1/audio?path=a.wav\", \"metas\": {\"bpm\": 120}}]"`))
	f.Add([]byte(`{"file": 1}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		items, _, err := parseResult(b)
		if err == nil && items == nil {
			t.Fatal("nil items without error")
		}
	})
}
