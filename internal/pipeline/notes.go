package pipeline

import (
	"regexp"
	"strings"
)

// Notes for the owner: when a configured LLM or music provider fails, the built-in
// writer or composer stands in and the task still completes. The owner sees that on the
// stage's progress entry ("lyrics: built-in writer (LLM timed out)"); the full error is
// in the worker's log.

// StageNote says the lyrics came from the built-in writer because the LLM failed.
func (o LyricsOutput) StageNote() string {
	if o.FallbackReason == "" {
		return ""
	}
	return "built-in writer (LLM " + failureWords(o.FallbackReason) + ")"
}

// StageNote says the song came from the built-in composer because the provider failed.
func (o MusicOutput) StageNote() string {
	if o.Fallback == "" {
		return ""
	}
	provider, _, _ := strings.Cut(o.Fallback, ":")
	if provider == "acestep" {
		provider = "ACE-Step"
	}
	return "built-in composer (" + provider + " " + failureWords(o.Fallback) + ")"
}

var httpStatus = regexp.MustCompile(`status (\d{3})`)

// failureWords turns an error message into a few words an owner can read.
func failureWords(msg string) string {
	low := strings.ToLower(msg)
	switch {
	case strings.Contains(low, "timed out"), strings.Contains(low, "deadline exceeded"), strings.Contains(low, "timeout"):
		return "timed out"
	case httpStatus.MatchString(low):
		return "answered HTTP " + httpStatus.FindStringSubmatch(low)[1]
	case strings.Contains(low, "connection refused"), strings.Contains(low, "no such host"),
		strings.Contains(low, "dial "), strings.Contains(low, "network is unreachable"):
		return "unreachable"
	case strings.Contains(low, "not chat completion json"), strings.Contains(low, "no choices"),
		strings.Contains(low, "invalid"), strings.Contains(low, "not the api's json"):
		return "gave an unusable answer"
	}
	return "failed"
}
