package pipeline

import "testing"

func TestFallbackNotes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		out  interface{ StageNote() string }
		want string
	}{
		{"lyrics written by the LLM", LyricsOutput{}, ""},
		{"LLM timed out", LyricsOutput{FallbackReason: "lyrics: llm: timed out after 20s"}, "built-in writer (LLM timed out)"},
		{"LLM status", LyricsOutput{FallbackReason: "lyrics: llm: status 503: busy"}, "built-in writer (LLM answered HTTP 503)"},
		{"LLM refused", LyricsOutput{FallbackReason: `lyrics: llm: Post "http://127.0.0.1:9/v1": dial tcp 127.0.0.1:9: connect: connection refused`}, "built-in writer (LLM unreachable)"},
		{"LLM nonsense", LyricsOutput{FallbackReason: "lyrics: llm: response has no choices"}, "built-in writer (LLM gave an unusable answer)"},
		{"song from the provider", MusicOutput{Source: "acestep"}, ""},
		{"ACE-Step deadline", MusicOutput{Fallback: "acestep: acestep: task 1: context deadline exceeded"}, "built-in composer (ACE-Step timed out)"},
		{"other provider", MusicOutput{Fallback: "suno: boom"}, "built-in composer (suno failed)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := tt.out.StageNote(); got != tt.want {
				t.Errorf("StageNote() = %q, want %q", got, tt.want)
			}
		})
	}
}
