package lyrics

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// goodKorean is what a well-behaved model answers for the café fixture, wrapped the way
// chat models like to wrap JSON.
const goodKorean = "여기 가사입니다:\n```json\n" + `{
  "title": "블루문에서 만나요",
  "language": "ko",
  "sections": [
    {"name": "Verse 1", "lines": ["역삼동 골목 끝에", "커피 향이 번져 와", "창가 자리 햇살 아래", "오늘도 쉬어 가요"]},
    {"name": "Chorus", "lines": ["카페 블루문, 블루문", "브런치 한 접시에", "디저트도 달콤해", "우리들의 카페 블루문"]},
    {"name": "verse 2", "lines": ["주말 아침 느긋하게", "원두를 고르는 시간", "친구와 함께 앉아", "수다가 꽃을 피워"]},
    {"name": "후렴", "lines": ["카페 블루문, 블루문", "브런치 한 접시에", "디저트도 달콤해", "우리들의 카페 블루문"]}
  ]
}` + "\n```"

// openAIServer is a minimal OpenAI-compatible /chat/completions endpoint. reply decides
// the HTTP status and the message content (or a raw body when raw is set).
type openAIServer struct {
	t      *testing.T
	status int
	reply  string
	raw    string
	delay  time.Duration
	gotReq chan chatRequest
	gotKey chan string
}

func (s *openAIServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost || r.URL.Path != "/v1/chat/completions" {
		http.Error(w, "not found", http.StatusNotFound)
		return
	}
	var req chatRequest
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	select {
	case s.gotReq <- req:
	default:
	}
	select {
	case s.gotKey <- r.Header.Get("Authorization"):
	default:
	}
	if s.delay > 0 {
		select {
		case <-time.After(s.delay):
		case <-r.Context().Done():
			return
		}
	}
	if s.raw != "" {
		w.WriteHeader(s.status)
		io.WriteString(w, s.raw)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(s.status)
	json.NewEncoder(w).Encode(map[string]any{
		"id":      "chatcmpl-test",
		"object":  "chat.completion",
		"choices": []any{map[string]any{"index": 0, "finish_reason": "stop", "message": map[string]any{"role": "assistant", "content": s.reply}}},
	})
}

func TestLLMWriter(t *testing.T) {
	t.Parallel()
	wrongStructure := `{"title":"x","language":"ko","sections":{"verse":["a","b"]}}`
	noChorus := `{"title":"블루문","language":"ko","sections":[{"name":"verse","lines":["카페 블루문 좋아요"]},{"name":"bridge","lines":["카페 블루문 최고"]}]}`
	chorusWithoutName := strings.ReplaceAll(strings.ReplaceAll(goodKorean, "카페 블루문", "우리 카페"), "블루문", "우리 집")
	english := `{"title":"Blue Moon","language":"en","sections":[{"name":"verse","lines":["Coffee in the morning"]},{"name":"chorus","lines":["Cafe Blue Moon for you","카페 블루문"]}]}`
	placeholder := strings.Replace(goodKorean, "커피 향이 번져 와", "[키워드] 향이 번져 와", 1)
	tooLong := strings.Replace(goodKorean, "커피 향이 번져 와", "커피 향이 번져 와 골목길 가득히 아침부터 저녁까지 계속", 1)

	tests := []struct {
		name       string
		srv        openAIServer
		timeout    time.Duration
		wantSource string
		wantReason string // substring of FallbackReason; "" means no fallback
	}{
		{"valid", openAIServer{status: 200, reply: goodKorean}, time.Second, "llm", ""},
		{"timeout", openAIServer{status: 200, reply: goodKorean, delay: 20 * time.Second}, 100 * time.Millisecond, "builtin", "timed out"},
		{"server error", openAIServer{status: 500, raw: `{"error":{"message":"overloaded"}}`}, time.Second, "builtin", "status 500"},
		{"rate limited", openAIServer{status: 429, raw: `slow down`}, time.Second, "builtin", "status 429"},
		{"not chat json", openAIServer{status: 200, raw: `<html>gateway</html>`}, time.Second, "builtin", "not chat completion JSON"},
		{"no choices", openAIServer{status: 200, raw: `{"choices":[]}`}, time.Second, "builtin", "no choices"},
		{"content not json", openAIServer{status: 200, reply: "Sure! Here are some lyrics: la la la"}, time.Second, "builtin", "no JSON object"},
		{"truncated json", openAIServer{status: 200, reply: goodKorean[:len(goodKorean)/2] + "}"}, time.Second, "builtin", "not the lyrics JSON"},
		{"wrong structure", openAIServer{status: 200, reply: wrongStructure}, time.Second, "builtin", "not the lyrics JSON"},
		{"no chorus", openAIServer{status: 200, reply: noChorus}, time.Second, "builtin", "no chorus"},
		{"chorus without name", openAIServer{status: 200, reply: chorusWithoutName}, time.Second, "builtin", "never names"},
		{"wrong language", openAIServer{status: 200, reply: english}, time.Second, "builtin", `"en" lyrics`},
		{"placeholder", openAIServer{status: 200, reply: placeholder}, time.Second, "builtin", "placeholder"},
		{"line too long", openAIServer{status: 200, reply: tooLong}, time.Second, "builtin", "syllables"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := tt.srv
			srv.t = t
			srv.gotReq = make(chan chatRequest, 1)
			srv.gotKey = make(chan string, 1)
			ts := httptest.NewServer(&srv)
			defer ts.Close()

			p := loadProfile(t, "cafe_ko")
			w := NewLLM(LLMConfig{BaseURL: ts.URL + "/v1/", APIKey: "sk-test", Model: "test-model", Timeout: tt.timeout}, NewBuiltin())
			start := time.Now()
			l, err := w.Write(context.Background(), p, 42)
			if err != nil {
				t.Fatal(err)
			}
			// The server would answer after 20 s; the writer must give up long before (the
			// bound is loose because the test machine is shared).
			if tt.timeout < time.Second && time.Since(start) > 5*time.Second {
				t.Errorf("timeout of %v took %v", tt.timeout, time.Since(start))
			}
			if l.Source != tt.wantSource {
				t.Errorf("source %q, want %q (reason %q)", l.Source, tt.wantSource, l.FallbackReason)
			}
			if tt.wantReason == "" && l.FallbackReason != "" {
				t.Errorf("unexpected fallback: %s", l.FallbackReason)
			}
			if !strings.Contains(l.FallbackReason, tt.wantReason) {
				t.Errorf("fallback reason %q does not mention %q", l.FallbackReason, tt.wantReason)
			}
			if err := l.Validate(p.Name); err != nil {
				t.Errorf("result does not validate: %v", err)
			}
			if tt.wantSource == "builtin" {
				want, _ := NewBuiltin().Write(context.Background(), p, 42)
				if l.Text() != want.Text() {
					t.Error("fallback lyrics differ from the built-in writer's for the same seed")
				}
			}
			req := <-srv.gotReq
			if req.Model != "test-model" || req.Seed != 42 || len(req.Messages) != 2 || !strings.Contains(req.Messages[1].Content, "카페 블루문") {
				t.Errorf("request = %+v", req)
			}
			if key := <-srv.gotKey; key != "Bearer sk-test" {
				t.Errorf("Authorization %q", key)
			}
		})
	}
}

func TestLLMValidResult(t *testing.T) {
	t.Parallel()
	ts := httptest.NewServer(&openAIServer{status: 200, reply: goodKorean, gotReq: make(chan chatRequest, 1), gotKey: make(chan string, 1)})
	defer ts.Close()
	l, err := NewLLM(LLMConfig{BaseURL: ts.URL + "/v1", Timeout: time.Second}, nil).Write(context.Background(), loadProfile(t, "cafe_ko"), 1)
	if err != nil {
		t.Fatal(err)
	}
	if l.Title != "블루문에서 만나요" || len(l.Sections) != 4 || l.Sections[3].Name != Chorus || l.Sections[2].Name != Verse {
		t.Errorf("parsed %+v", l)
	}
}

func TestLLMNoFallbackReturnsError(t *testing.T) {
	t.Parallel()
	ts := httptest.NewServer(&openAIServer{status: 500, raw: "boom", gotReq: make(chan chatRequest, 1), gotKey: make(chan string, 1)})
	defer ts.Close()
	_, err := NewLLM(LLMConfig{BaseURL: ts.URL + "/v1", Timeout: time.Second}, nil).Write(context.Background(), loadProfile(t, "cafe_ko"), 1)
	if err == nil || !strings.Contains(err.Error(), "status 500") {
		t.Fatalf("err = %v", err)
	}
}

// A cancelled caller gets its cancellation back, not a fallback song.
func TestLLMCancelledContext(t *testing.T) {
	t.Parallel()
	ts := httptest.NewServer(&openAIServer{status: 200, reply: goodKorean, delay: 5 * time.Second, gotReq: make(chan chatRequest, 1), gotKey: make(chan string, 1)})
	defer ts.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, err := NewLLM(LLMConfig{BaseURL: ts.URL + "/v1", Timeout: time.Minute}, NewBuiltin()).Write(ctx, loadProfile(t, "cafe_ko"), 1)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want deadline exceeded", err)
	}
}

func TestLLMUnreachable(t *testing.T) {
	t.Parallel()
	ts := httptest.NewServer(http.NotFoundHandler())
	url := ts.URL
	ts.Close() // nothing listens there any more
	l, err := NewLLM(LLMConfig{BaseURL: url + "/v1", Timeout: time.Second}, NewBuiltin()).Write(context.Background(), loadProfile(t, "diner_en"), 1)
	if err != nil {
		t.Fatal(err)
	}
	if l.Source != "builtin" || l.FallbackReason == "" {
		t.Errorf("source %q reason %q", l.Source, l.FallbackReason)
	}
}

func TestConfigFromLookup(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		env  map[string]string
		want LLMConfig
	}{
		{"nothing", nil, LLMConfig{}},
		{"openai key only", map[string]string{"OPENAI_API_KEY": "sk-1"}, LLMConfig{BaseURL: defaultOpenAIBase, APIKey: "sk-1", Model: defaultOpenAIModel}},
		{"llm key wins", map[string]string{"OPENAI_API_KEY": "sk-1", "LLM_API_KEY": "sk-2", "LLM_BASE_URL": "http://ollama:11434/v1/", "LLM_MODEL": "qwen2.5", "LLM_TIMEOUT": "20s"},
			LLMConfig{BaseURL: "http://ollama:11434/v1", APIKey: "sk-2", Model: "qwen2.5", Timeout: 20 * time.Second}},
		{"local without key", map[string]string{"LLM_BASE_URL": "http://localhost:8080/v1", "LLM_TIMEOUT": "soon"}, LLMConfig{BaseURL: "http://localhost:8080/v1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := configFromLookup(func(k string) (string, bool) { v, ok := tt.env[k]; return v, ok })
			if got != tt.want {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
			if got.Enabled() != (tt.want.BaseURL != "") {
				t.Errorf("Enabled() = %v", got.Enabled())
			}
			if _, isLLM := New(got).(*LLM); isLLM != got.Enabled() {
				t.Errorf("New picked LLM = %v for enabled = %v", isLLM, got.Enabled())
			}
		})
	}
}

func TestParseLLMOutput(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		in      string
		wantErr bool
		check   func(*Lyrics) bool
	}{
		{"fenced with chatter", goodKorean, false, func(l *Lyrics) bool { return l.Sections[0].Name == Verse && l.Sections[3].Name == Chorus }},
		{"nested under lyrics", `{"lyrics":{"title":"Hi","language":"en-US","sections":[{"name":"Verse","lines":["  Coffee   in the morning "]},{"name":"Refrain","lines":["Sing it loud today"]}]}}`, false,
			func(l *Lyrics) bool {
				return l.Language == "en" && l.Sections[0].Lines[0] == "Coffee in the morning" && l.Sections[1].Name == Chorus
			}},
		{"language filled", `{"title":"Hi","sections":[{"name":"verse","lines":["Coffee in the morning"]},{"name":"chorus","lines":["Sing it loud today"]}]}`, false,
			func(l *Lyrics) bool { return l.Language == "en" }},
		{"unknown section", `{"title":"Hi","sections":[{"name":"rap","lines":["Coffee in the morning"]},{"name":"chorus","lines":["Sing it loud today"]}]}`, true, nil},
		{"empty section", `{"title":"Hi","sections":[{"name":"verse","lines":["   "]},{"name":"chorus","lines":["Sing it loud today"]}]}`, true, nil},
		{"no title", `{"sections":[{"name":"verse","lines":["Coffee in the morning"]},{"name":"chorus","lines":["Sing it loud today"]}]}`, true, nil},
		{"lines not strings", `{"title":"Hi","sections":[{"name":"verse","lines":[1,2]}]}`, true, nil},
		{"array", `[1,2,3]`, true, nil},
		{"empty", ``, true, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			l, err := ParseLLMOutput(tt.in, "en")
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, wantErr %v", err, tt.wantErr)
			}
			if err == nil && tt.check != nil && !tt.check(l) {
				t.Errorf("unexpected result %+v", l)
			}
			if err != nil && !errors.Is(err, ErrInvalid) {
				t.Errorf("error %v does not wrap ErrInvalid", err)
			}
		})
	}
}

func FuzzParseLLMOutput(f *testing.F) {
	f.Add(goodKorean, "ko")
	f.Add(`{"title":"Hi","language":"en","sections":[{"name":"verse","lines":["Coffee in the morning"]},{"name":"chorus","lines":["Sing it"]}]}`, "en")
	f.Add(`{"lyrics":{"title":"x"}}`, "en")
	f.Add("```json\n{}\n```", "ko")
	f.Fuzz(func(t *testing.T, in, lang string) {
		l, err := ParseLLMOutput(in, lang)
		if err != nil {
			return
		}
		// Whatever the parser accepts must satisfy the invariants the song stage relies on.
		if err := l.Validate(""); err != nil {
			t.Fatalf("accepted lyrics do not validate: %v", err)
		}
		for _, line := range l.Lines() {
			n := Syllables(line.Text)
			if n < MinLineSyllables || n > MaxLineSyllables || len(SplitSyllables(line.Text)) != n {
				t.Fatalf("line %q: %d syllables", line.Text, n)
			}
		}
	})
}
