package files

import (
	"os"
	"strings"
	"testing"
)

func TestPathsComeOnlyFromIDs(t *testing.T) {
	t.Parallel()
	s, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"../etc/passwd", "", "0190f0e0-aaaa-7bbb-8ccc-dddddddddddd/../x", "/abs", "0190F0E0-AAAA-7BBB-8CCC-DDDDDDDDDDDD"} {
		if _, err := s.VideoPath(id, VideoFile); err == nil {
			t.Errorf("VideoPath accepted %q", id)
		}
		if _, err := s.TaskDir(id); err == nil {
			t.Errorf("TaskDir accepted %q", id)
		}
	}
	id := "0190f0e0-aaaa-7bbb-8ccc-dddddddddddd"
	if err := s.WriteVideo(id, VideoFile, strings.NewReader("data")); err != nil {
		t.Fatal(err)
	}
	f, err := s.OpenVideo(id, VideoFile)
	if err != nil {
		t.Fatal(err)
	}
	f.Close()
	if err := s.RemoveVideo(id); err != nil {
		t.Fatal(err)
	}
	if _, err := s.OpenVideo(id, VideoFile); !os.IsNotExist(err) {
		t.Fatalf("removed video still opens: %v", err)
	}
	if err := s.RemoveVideo(id); err != nil {
		t.Fatalf("removing twice: %v", err)
	}
	entries, _ := os.ReadDir(s.root + "/tmp")
	if len(entries) != 0 {
		t.Fatalf("temp files left: %v", entries)
	}
}
