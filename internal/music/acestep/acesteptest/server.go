// Package acesteptest provides a local stand-in for an ACE-Step 1.5 API server that follows
// its documented protocol (/release_task, /query_result, /v1/audio, the {"data","code",
// "error"} wrapper, integer task statuses and a JSON-string result), for tests of clients.
package acesteptest

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"time"
)

// Mode selects how the fake server misbehaves.
type Mode int

const (
	OK              Mode = iota
	FailSubmit           // /release_task answers 500
	FailTask             // the task ends with status 2
	Hang                 // the task never finishes
	BadAudio             // /v1/audio returns bytes that are not audio
	WrappedError         // /release_task answers 200 with code 500 in the wrapper
	ForeignAudioURL      // the result points at another host
)

// Options configure a Server.
type Options struct {
	Mode   Mode
	APIKey string // when set, requests must carry it (Bearer header or ai_token)
	Audio  []byte // what /v1/audio serves; default a generated WAV of the requested length
	// AudioSeconds overrides the length of the generated WAV (the model's own idea of
	// the duration); default the requested audio_duration.
	AudioSeconds float64
	BPM          int // reported in metas; default the requested bpm
	Polls        int // /query_result answers "running" this many times first
}

// Server is a running fake.
type Server struct {
	*httptest.Server
	opts Options

	mu       sync.Mutex
	requests []map[string]any
	tasks    map[string]*task
	nextID   int
}

type task struct {
	req   map[string]any
	polls int
	audio []byte
}

// NewServer starts a fake ACE-Step server; Close it when done.
func NewServer(opts Options) *Server {
	s := &Server{opts: opts, tasks: map[string]*task{}}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /release_task", s.release)
	mux.HandleFunc("POST /query_result", s.query)
	mux.HandleFunc("GET /v1/audio", s.audio)
	s.Server = httptest.NewServer(mux)
	return s
}

// Requests returns the bodies of every /release_task call so far.
func (s *Server) Requests() []map[string]any {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]map[string]any(nil), s.requests...)
}

func wrap(w http.ResponseWriter, code int, data any, errMsg any) {
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]any{
		"data": data, "code": code, "error": errMsg,
		"timestamp": time.Now().UnixMilli(), "extra": nil,
	})
}

func (s *Server) authorized(r *http.Request, body map[string]any) bool {
	if s.opts.APIKey == "" {
		return true
	}
	if r.Header.Get("Authorization") == "Bearer "+s.opts.APIKey {
		return true
	}
	tok, _ := body["ai_token"].(string)
	return tok == s.opts.APIKey
}

func (s *Server) release(w http.ResponseWriter, r *http.Request) {
	var body map[string]any
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
		http.Error(w, `{"detail":"invalid JSON"}`, http.StatusBadRequest)
		return
	}
	if !s.authorized(r, body) {
		http.Error(w, `{"detail":"Unauthorized"}`, http.StatusUnauthorized)
		return
	}
	switch s.opts.Mode {
	case FailSubmit:
		http.Error(w, `{"detail":"CUDA out of memory"}`, http.StatusInternalServerError)
		return
	case WrappedError:
		wrap(w, 500, nil, "queue is full")
		return
	}
	dur, _ := body["audio_duration"].(float64)
	if dur < 10 || dur > 600 {
		http.Error(w, `{"detail":"audio_duration must be 10-600"}`, http.StatusBadRequest)
		return
	}
	s.mu.Lock()
	s.requests = append(s.requests, body)
	s.nextID++
	id := fmt.Sprintf("550e8400-e29b-41d4-a716-%012d", s.nextID)
	s.tasks[id] = &task{req: body}
	s.mu.Unlock()
	wrap(w, 200, map[string]any{"task_id": id, "status": "queued", "queue_position": 1}, nil)
}

func (s *Server) query(w http.ResponseWriter, r *http.Request) {
	var body struct {
		TaskIDList []string `json:"task_id_list"`
	}
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
		http.Error(w, `{"detail":"invalid JSON"}`, http.StatusBadRequest)
		return
	}
	if !s.authorized(r, nil) {
		http.Error(w, `{"detail":"Unauthorized"}`, http.StatusUnauthorized)
		return
	}
	var out []map[string]any
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, id := range body.TaskIDList {
		t, ok := s.tasks[id]
		if !ok {
			continue
		}
		t.polls++
		if s.opts.Mode == Hang || t.polls <= s.opts.Polls {
			out = append(out, map[string]any{"task_id": id, "status": 0, "result": ""})
			continue
		}
		if s.opts.Mode == FailTask {
			res, _ := json.Marshal([]map[string]any{{"file": "", "status": 2, "error": "generation failed: NaN in latents"}})
			out = append(out, map[string]any{"task_id": id, "status": 2, "result": string(res)})
			continue
		}
		dur, _ := t.req["audio_duration"].(float64)
		if s.opts.AudioSeconds > 0 {
			dur = s.opts.AudioSeconds
		}
		bpm, _ := t.req["bpm"].(float64)
		if s.opts.BPM > 0 {
			bpm = float64(s.opts.BPM)
		}
		file := "/v1/audio?path=" + url.QueryEscape("/tmp/api_audio/"+id+".wav")
		if s.opts.Mode == ForeignAudioURL {
			file = "http://attacker.example/steal.wav"
		}
		item := map[string]any{
			"file": file, "wave": "", "status": 1, "create_time": time.Now().Unix(), "env": "test",
			"prompt": t.req["prompt"], "lyrics": t.req["lyrics"],
			"metas":           map[string]any{"bpm": bpm, "duration": dur, "genres": "", "keyscale": t.req["key_scale"], "timesignature": t.req["time_signature"]},
			"generation_info": "fake", "seed_value": "12345", "lm_model": "acestep-5Hz-lm-0.6B", "dit_model": "acestep-v15-turbo",
		}
		res, _ := json.Marshal([]any{item})
		t.audio = s.opts.Audio
		if t.audio == nil {
			t.audio = SongWAV(dur, 44100)
		}
		out = append(out, map[string]any{"task_id": id, "status": 1, "result": string(res)})
	}
	wrap(w, 200, out, nil)
}

func (s *Server) audio(w http.ResponseWriter, r *http.Request) {
	if !s.authorized(r, nil) {
		http.Error(w, `{"detail":"Unauthorized"}`, http.StatusUnauthorized)
		return
	}
	p := r.URL.Query().Get("path")
	id := strings.TrimSuffix(strings.TrimPrefix(p, "/tmp/api_audio/"), ".wav")
	s.mu.Lock()
	t, ok := s.tasks[id]
	s.mu.Unlock()
	if !ok || t.audio == nil {
		http.Error(w, `{"detail":"Audio file not found"}`, http.StatusNotFound)
		return
	}
	if s.opts.Mode == BadAudio {
		w.Write([]byte("<html>502 Bad Gateway</html>"))
		return
	}
	w.Header().Set("Content-Type", "audio/wav")
	w.Write(t.audio)
}

// SongWAV is a stand-in for a generated song: seconds of 16-bit stereo PCM with a
// changing chord and a pulse, loud enough to measure and never silent for long.
func SongWAV(seconds float64, rate int) []byte {
	n := int(math.Round(seconds * float64(rate)))
	var data bytes.Buffer
	chords := [][]float64{{261.63, 329.63, 392.0}, {220.0, 261.63, 329.63}, {174.61, 220.0, 261.63}, {196.0, 246.94, 293.66}}
	for i := 0; i < n; i++ {
		t := float64(i) / float64(rate)
		ch := chords[int(t/2)%len(chords)]
		pulse := 0.6 + 0.4*math.Exp(-math.Mod(t, 0.5)*8)
		v := 0.0
		for _, f := range ch {
			v += math.Sin(2 * math.Pi * f * t)
		}
		v = v / 3 * 0.5 * pulse
		s := int16(v * 32767)
		binary.Write(&data, binary.LittleEndian, s)
		binary.Write(&data, binary.LittleEndian, s)
	}
	var b bytes.Buffer
	b.WriteString("RIFF")
	binary.Write(&b, binary.LittleEndian, uint32(36+data.Len()))
	b.WriteString("WAVEfmt ")
	binary.Write(&b, binary.LittleEndian, uint32(16))
	binary.Write(&b, binary.LittleEndian, uint16(1)) // PCM
	binary.Write(&b, binary.LittleEndian, uint16(2))
	binary.Write(&b, binary.LittleEndian, uint32(rate))
	binary.Write(&b, binary.LittleEndian, uint32(rate*4))
	binary.Write(&b, binary.LittleEndian, uint16(4))
	binary.Write(&b, binary.LittleEndian, uint16(16))
	b.WriteString("data")
	binary.Write(&b, binary.LittleEndian, uint32(data.Len()))
	b.Write(data.Bytes())
	return b.Bytes()
}
