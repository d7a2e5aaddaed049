package library

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/o2sound/o2sound/internal/imageprep"
	"github.com/o2sound/o2sound/internal/o2sound"
	"github.com/o2sound/o2sound/internal/store"
)

// Upload limits (documented in the README and the OpenAPI description).
const (
	MaxUploadFiles     = 10
	MaxUploadFileBytes = 15 << 20
	MaxUploadBytes     = 40_000_000
	MaxUploadsPerUser  = 300
	minPhotoSide       = 240
)

// Upload is one file of an upload request, read whole (within MaxUploadFileBytes).
type Upload struct {
	Name string // the client's file name, only for messages
	Data []byte
}

var errPhotoNotFound = &o2sound.Error{Code: o2sound.CodePhotoNotFound, Message: "photo not found"}

// UploadPhotos checks and stores the owner's photos, all or none: each is sniffed by
// its bytes, its pixels are counted from the header before any decoding, and it is
// decoded, turned upright (EXIF), re-encoded and only then stored. A refused file
// names itself (details: file, index) and nothing is kept.
func (s *Service) UploadPhotos(ctx context.Context, ownerID string, ups []Upload) ([]*o2sound.Photo, error) {
	tmp, err := os.MkdirTemp(s.files.TempDir(), "upload-*")
	if err != nil {
		return nil, fmt.Errorf("library: upload: %w", err)
	}
	defer os.RemoveAll(tmp)
	photos := make([]*o2sound.Photo, len(ups))
	paths := make([]string, len(ups))
	for i, up := range ups {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		p, path, err := preparePhoto(up, tmp, i)
		if err != nil {
			var de *o2sound.Error
			if errors.As(err, &de) {
				de.Details = map[string]any{"file": up.Name, "index": i}
			}
			return nil, err
		}
		if p.ID, err = store.NewPhotoID(); err != nil {
			return nil, err
		}
		p.OwnerID, p.Source = ownerID, o2sound.PhotoFromUpload
		photos[i], paths[i] = p, path
	}
	var stored []*o2sound.Photo
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		n, err := tx.CountUploads(ctx, ownerID)
		if err != nil {
			return err
		}
		if n+len(photos) > MaxUploadsPerUser {
			return &o2sound.Error{Code: o2sound.CodePhotoQuota, Message: fmt.Sprintf(
				"you have %d uploaded photos; an account keeps at most %d (delete some first)", n, MaxUploadsPerUser)}
		}
		for i, p := range photos {
			if err := s.files.PutPhoto(p.ID, p.Format, paths[i]); err != nil {
				return err
			}
			stored = append(stored, p)
			if err := tx.CreatePhoto(ctx, p); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		for _, p := range stored {
			s.files.RemovePhoto(p.ID, p.Format)
		}
		return nil, err
	}
	return photos, nil
}

// preparePhoto turns one upload into a re-encoded JPEG in dir.
func preparePhoto(up Upload, dir string, i int) (*o2sound.Photo, string, error) {
	if len(up.Data) > MaxUploadFileBytes {
		return nil, "", o2sound.Errorf(o2sound.CodePhotoTooLarge, "%s is larger than %d MiB", up.Name, MaxUploadFileBytes>>20)
	}
	if _, err := imageprep.Sniff(up.Data); err != nil {
		return nil, "", &o2sound.Error{Code: o2sound.CodePhotoFormat,
			Message: up.Name + " is not a JPEG, PNG or WebP photo", Err: err}
	}
	path := filepath.Join(dir, fmt.Sprintf("%d.jpg", i))
	w, h, err := imageprep.PrepareImage(bytes.NewReader(up.Data), path, 0)
	switch {
	case errors.Is(err, imageprep.ErrTooManyPixels):
		return nil, "", &o2sound.Error{Code: o2sound.CodePhotoSize,
			Message: up.Name + " has too many pixels (at most 40 megapixels)", Err: err}
	case errors.Is(err, imageprep.ErrImageTooLarge):
		return nil, "", &o2sound.Error{Code: o2sound.CodePhotoTooLarge, Message: up.Name + " is too large", Err: err}
	case errors.Is(err, imageprep.ErrNotImage), errors.Is(err, imageprep.ErrUnsupportedFormat):
		return nil, "", &o2sound.Error{Code: o2sound.CodePhotoDamaged,
			Message: up.Name + " is damaged or cut short and cannot be read", Err: err}
	case err != nil:
		return nil, "", fmt.Errorf("library: prepare %s: %w", up.Name, err)
	}
	if min(w, h) < minPhotoSide {
		return nil, "", o2sound.Errorf(o2sound.CodePhotoSize, "%s is too small for a video (%d×%d; at least %d pixels on each side)",
			up.Name, w, h, minPhotoSide)
	}
	st, err := os.Stat(path)
	if err != nil {
		return nil, "", fmt.Errorf("library: %w", err)
	}
	return &o2sound.Photo{Format: "jpeg", Width: w, Height: h, SizeBytes: st.Size()}, path, nil
}

// Photo returns the owner's photo and the path of its file.
func (s *Service) Photo(ctx context.Context, ownerID, id string) (*o2sound.Photo, string, error) {
	p, err := s.db.PhotoByID(ctx, ownerID, id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, "", errPhotoNotFound
	}
	if err != nil {
		return nil, "", err
	}
	path, err := s.files.PhotoPath(p.ID, p.Format)
	return p, path, err
}

// DeletePhoto removes the owner's photo. Tasks that use it keep their own link to the
// file, so a video being made or re-made is not affected.
func (s *Service) DeletePhoto(ctx context.Context, ownerID, id string) error {
	p, err := s.db.DeletePhoto(ctx, ownerID, id)
	if errors.Is(err, store.ErrNotFound) {
		return errPhotoNotFound
	}
	if err != nil {
		return err
	}
	if err := s.files.RemovePhoto(p.ID, p.Format); err != nil {
		s.log.ErrorContext(ctx, "remove photo file", "photo", p.ID, "err", err)
	}
	return nil
}
