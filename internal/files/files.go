// Package files is O2Sound's file store: finished videos and thumbnails, and each
// task's working directory. Paths are built from ids the store generated (UUIDs),
// never from user input, and every finished file arrives by temp file + rename.
//
// It is a directory today — shared between processes when workers run on other
// machines — and the Store type is the seam for an S3-compatible backend later.
package files

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
)

// Kind is the kind of stored file of a video.
type Kind string

const (
	VideoFile     Kind = "mp4"
	ThumbnailFile Kind = "jpg"
	CaptionsVTT   Kind = "vtt"
	CaptionsSRT   Kind = "srt"
)

var videoKinds = []Kind{VideoFile, ThumbnailFile, CaptionsVTT, CaptionsSRT}

var idPattern = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)

// Store is a file store rooted at a directory.
type Store struct{ root string }

// Open creates (if needed) and opens the file store under root.
func Open(root string) (*Store, error) {
	abs, err := filepath.Abs(root)
	if err != nil {
		return nil, fmt.Errorf("files: %w", err)
	}
	for _, d := range []string{"videos", "tasks", "photos", "tmp"} {
		if err := os.MkdirAll(filepath.Join(abs, d), 0o750); err != nil {
			return nil, fmt.Errorf("files: %w", err)
		}
	}
	return &Store{root: abs}, nil
}

// Root is the store's directory.
func (s *Store) Root() string { return s.root }

func checkID(id string) error {
	if !idPattern.MatchString(id) {
		return fmt.Errorf("files: %q is not an id", id)
	}
	return nil
}

// VideoPath is where a video's file of the given kind lives.
func (s *Store) VideoPath(videoID string, kind Kind) (string, error) {
	if err := checkID(videoID); err != nil {
		return "", err
	}
	if !slices.Contains(videoKinds, kind) {
		return "", fmt.Errorf("files: unknown kind %q", kind)
	}
	return filepath.Join(s.root, "videos", videoID+"."+string(kind)), nil
}

// OpenVideo opens a video's file for reading.
func (s *Store) OpenVideo(videoID string, kind Kind) (*os.File, error) {
	p, err := s.VideoPath(videoID, kind)
	if err != nil {
		return nil, err
	}
	return os.Open(p)
}

// PutVideo moves the finished file at src into place for videoID. src must be on the
// same file system (it is, when it came from TaskDir or TempDir).
func (s *Store) PutVideo(videoID string, kind Kind, src string) error {
	dst, err := s.VideoPath(videoID, kind)
	if err != nil {
		return err
	}
	if err := os.Rename(src, dst); err != nil {
		return fmt.Errorf("files: put %s: %w", kind, err)
	}
	return nil
}

// WriteVideo copies r into place for videoID via a temp file and rename.
func (s *Store) WriteVideo(videoID string, kind Kind, r io.Reader) error {
	dst, err := s.VideoPath(videoID, kind)
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Join(s.root, "tmp"), "put-*")
	if err != nil {
		return fmt.Errorf("files: %w", err)
	}
	defer os.Remove(tmp.Name())
	if _, err := io.Copy(tmp, r); err != nil {
		tmp.Close()
		return fmt.Errorf("files: write %s: %w", kind, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("files: write %s: %w", kind, err)
	}
	if err := os.Rename(tmp.Name(), dst); err != nil {
		return fmt.Errorf("files: write %s: %w", kind, err)
	}
	return nil
}

// RemoveVideo deletes every file of a video; missing files are not an error.
func (s *Store) RemoveVideo(videoID string) error {
	for _, k := range videoKinds {
		p, err := s.VideoPath(videoID, k)
		if err != nil {
			return err
		}
		if err := os.Remove(p); err != nil && !os.IsNotExist(err) {
			return fmt.Errorf("files: remove %s: %w", k, err)
		}
	}
	return nil
}

// TaskDir returns (creating it) the working directory of a task, where stage outputs
// are kept until the task ends so a retried stage can reuse finished ones.
func (s *Store) TaskDir(taskID string) (string, error) {
	if err := checkID(taskID); err != nil {
		return "", err
	}
	d := filepath.Join(s.root, "tasks", taskID)
	if err := os.MkdirAll(d, 0o750); err != nil {
		return "", fmt.Errorf("files: %w", err)
	}
	return d, nil
}

// RemoveTaskDir deletes a task's working directory.
func (s *Store) RemoveTaskDir(taskID string) error {
	if err := checkID(taskID); err != nil {
		return err
	}
	return os.RemoveAll(filepath.Join(s.root, "tasks", taskID))
}

// PhotoPath is where an owner's photo lives; format is "jpeg" or "png".
func (s *Store) PhotoPath(photoID, format string) (string, error) {
	if err := checkID(photoID); err != nil {
		return "", err
	}
	ext, ok := photoExt[format]
	if !ok {
		return "", fmt.Errorf("files: unknown photo format %q", format)
	}
	return filepath.Join(s.root, "photos", photoID+ext), nil
}

var photoExt = map[string]string{"jpeg": ".jpg", "png": ".png"}

// PutPhoto stores the file at src as photoID, leaving src in place (a hard link where
// the file system allows, else a copy through a temp file).
func (s *Store) PutPhoto(photoID, format, src string) error {
	dst, err := s.PhotoPath(photoID, format)
	if err != nil {
		return err
	}
	return LinkFile(src, dst)
}

// RemovePhoto deletes a photo's file; a missing file is not an error.
func (s *Store) RemovePhoto(photoID, format string) error {
	p, err := s.PhotoPath(photoID, format)
	if err != nil {
		return err
	}
	if err := os.Remove(p); err != nil && !os.IsNotExist(err) {
		return fmt.Errorf("files: remove photo: %w", err)
	}
	return nil
}

// HasTaskDir reports whether a task's working directory exists.
func (s *Store) HasTaskDir(taskID string) bool {
	if checkID(taskID) != nil {
		return false
	}
	st, err := os.Stat(filepath.Join(s.root, "tasks", taskID))
	return err == nil && st.IsDir()
}

// LinkFile makes dst the same file as src: a hard link (free, and the two stay
// independent because every writer replaces files by rename, never in place), or a
// copy where links are not possible (another file system).
func LinkFile(src, dst string) error {
	if err := os.MkdirAll(filepath.Dir(dst), 0o750); err != nil {
		return fmt.Errorf("files: %w", err)
	}
	os.Remove(dst)
	if err := os.Link(src, dst); err == nil {
		return nil
	}
	in, err := os.Open(src)
	if err != nil {
		return fmt.Errorf("files: %w", err)
	}
	defer in.Close()
	tmp, err := os.CreateTemp(filepath.Dir(dst), ".link-*")
	if err != nil {
		return fmt.Errorf("files: %w", err)
	}
	defer os.Remove(tmp.Name())
	if _, err := io.Copy(tmp, in); err != nil {
		tmp.Close()
		return fmt.Errorf("files: copy %s: %w", filepath.Base(src), err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("files: %w", err)
	}
	if err := os.Rename(tmp.Name(), dst); err != nil {
		return fmt.Errorf("files: %w", err)
	}
	return nil
}

// LinkTree links (or copies) every regular file under src into the same place under
// dst, creating directories as needed.
func LinkTree(src, dst string) error {
	return filepath.WalkDir(src, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, p)
		if err != nil {
			return err
		}
		target := filepath.Join(dst, rel)
		switch {
		case d.IsDir():
			return os.MkdirAll(target, 0o750)
		case d.Type().IsRegular():
			return LinkFile(p, target)
		}
		return nil // symlinks and the like are never made by the stages
	})
}

// TempDir is the store's scratch directory, on the same file system as the stored
// files so that what is prepared there can be linked or renamed into place.
func (s *Store) TempDir() string { return filepath.Join(s.root, "tmp") }
