// Package library is the service behind an owner's businesses (items) and videos:
// listing, editing and deleting them, always scoped to the owner.
package library

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"strings"

	"github.com/o2sound/o2sound/internal/files"
	"github.com/o2sound/o2sound/internal/o2sound"
	"github.com/o2sound/o2sound/internal/phone"
	"github.com/o2sound/o2sound/internal/store"
)

// Service manages items and videos.
type Service struct {
	db    *store.DB
	files *files.Store
	log   *slog.Logger
}

// New returns a library service.
func New(db *store.DB, fs *files.Store, log *slog.Logger) *Service {
	if log == nil {
		log = slog.Default()
	}
	return &Service{db: db, files: fs, log: log}
}

var (
	errItemNotFound  = &o2sound.Error{Code: o2sound.CodeItemNotFound, Message: "item not found"}
	errVideoNotFound = &o2sound.Error{Code: o2sound.CodeVideoNotFound, Message: "Video not found"}
)

// Items lists the owner's items, newest first.
func (s *Service) Items(ctx context.Context, ownerID string, page o2sound.Page) ([]*o2sound.Item, int, error) {
	return s.db.ListItems(ctx, ownerID, page)
}

// ItemUpdate holds the fields an owner may change; nil means "leave as is".
type ItemUpdate struct {
	Name, Address, URL, PhoneNumber, ThumbnailURL *string
	Hashtags                                      *[]string
}

// UpdateItem applies u to the owner's item. The item is read first: a phone number
// written without "+" belongs to the business's country (see itemRegion).
func (s *Service) UpdateItem(ctx context.Context, ownerID, itemID string, u ItemUpdate) (*o2sound.Item, error) {
	it, err := s.db.ItemByID(ctx, ownerID, itemID)
	if errors.Is(err, store.ErrNotFound) {
		return nil, errItemNotFound
	}
	if err != nil {
		return nil, err
	}
	var v o2sound.Validator
	if u.Name != nil {
		*u.Name = strings.TrimSpace(*u.Name)
		v.Check(o2sound.ValidName(*u.Name), "name", "1–50 characters")
	}
	if u.Address != nil {
		v.Check(o2sound.ValidText(*u.Address, o2sound.MaxAddressLen), "address", "at most 200 characters")
	}
	if u.URL != nil {
		v.Check(o2sound.ValidWebURL(*u.URL), "url", "an http:// or https:// address")
	}
	if u.PhoneNumber != nil {
		address := it.Address
		if u.Address != nil {
			address = *u.Address
		}
		*u.PhoneNumber = v.Phone("phone_number", *u.PhoneNumber, itemRegion(it, address))
	}
	if u.ThumbnailURL != nil {
		v.Check(*u.ThumbnailURL == "" || o2sound.ValidWebURL(*u.ThumbnailURL) || strings.HasPrefix(*u.ThumbnailURL, "/user/video/"),
			"thumbnail_url", "an http:// or https:// address")
	}
	if u.Hashtags != nil {
		ok := len(*u.Hashtags) <= o2sound.MaxHashtags
		for _, h := range *u.Hashtags {
			ok = ok && h != "" && o2sound.ValidText(h, o2sound.MaxHashtagLen) && !strings.ContainsAny(h, " #,")
		}
		v.Check(ok, "hashtags", "at most 20 words of up to 30 characters, without spaces or '#'")
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	set := func(dst *string, src *string) {
		if src != nil {
			*dst = *src
		}
	}
	set(&it.Name, u.Name)
	set(&it.Address, u.Address)
	set(&it.URL, u.URL)
	set(&it.PhoneNumber, u.PhoneNumber)
	set(&it.ThumbnailURL, u.ThumbnailURL)
	if u.Hashtags != nil {
		it.Hashtags = *u.Hashtags
	}
	if err := s.db.UpdateItem(ctx, it); err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return nil, errItemNotFound
		}
		if errors.Is(err, store.ErrConflict) {
			return nil, &o2sound.Error{Code: o2sound.CodeItemConflict, Message: "another of your businesses already has this url", Err: err}
		}
		return nil, err
	}
	return it, nil
}

// itemRegion is the country a number without "+" is read in for an item: the one its
// address names (as the owner wrote it now), the crawler's country of the business,
// the country of the number the item has, Korean when none says.
func itemRegion(it *o2sound.Item, address string) string {
	if r := phone.RegionFromAddress(address); r != "" {
		return r
	}
	var meta struct {
		Country string `json:"country"`
	}
	if len(it.Metadata) > 0 && json.Unmarshal(it.Metadata, &meta) == nil && phone.IsRegion(strings.ToUpper(meta.Country)) {
		return strings.ToUpper(meta.Country)
	}
	if n, err := phone.Parse(it.PhoneNumber, phone.DefaultRegion); err == nil {
		return n.Region
	}
	return phone.DefaultRegion
}

// DeleteItem removes the owner's item; its videos are kept.
func (s *Service) DeleteItem(ctx context.Context, ownerID, itemID string) error {
	if err := s.db.DeleteItem(ctx, ownerID, itemID); errors.Is(err, store.ErrNotFound) {
		return errItemNotFound
	} else if err != nil {
		return err
	}
	return nil
}

// Videos lists the owner's videos, newest first.
func (s *Service) Videos(ctx context.Context, ownerID string, page o2sound.Page) ([]*o2sound.Video, int, error) {
	return s.db.ListVideos(ctx, ownerID, page)
}

// DeleteVideo removes the owner's video row and then its files: once the row is gone
// the stream URL is 404 even if removing a file fails (that is logged for cleanup).
func (s *Service) DeleteVideo(ctx context.Context, ownerID, videoID string) error {
	v, err := s.db.DeleteVideo(ctx, ownerID, videoID)
	if errors.Is(err, store.ErrNotFound) {
		return errVideoNotFound
	}
	if err != nil {
		return err
	}
	if err := s.files.RemoveVideo(v.ID); err != nil {
		s.log.ErrorContext(ctx, "remove video files", "video", v.ID, "err", err)
	}
	// The working files of the task that made it were kept for re-makes; without the
	// video there is nothing to re-make (its draft answers TASK_004 from now on).
	// So do the photos its crawl found (re-makes keep their own links to the files).
	if v.TaskID != "" {
		if err := s.files.RemoveTaskDir(v.TaskID); err != nil {
			s.log.ErrorContext(ctx, "remove task files", "task", v.TaskID, "err", err)
		}
		gone, err := s.db.DeleteTaskPhotos(ctx, v.TaskID, o2sound.PhotoFromSite)
		if err != nil {
			s.log.ErrorContext(ctx, "remove task photos", "task", v.TaskID, "err", err)
		}
		for _, p := range gone {
			if err := s.files.RemovePhoto(p.ID, p.Format); err != nil {
				s.log.ErrorContext(ctx, "remove photo file", "photo", p.ID, "err", err)
			}
		}
	}
	return nil
}

// StreamFile finds the video served under a public file name and says which of its
// files (video or thumbnail) the name refers to.
func (s *Service) StreamFile(ctx context.Context, name string) (*o2sound.Video, files.Kind, error) {
	v, err := s.db.VideoByFileName(ctx, name)
	if errors.Is(err, store.ErrNotFound) {
		return nil, "", errVideoNotFound
	}
	if err != nil {
		return nil, "", err
	}
	kind := files.VideoFile
	switch {
	case name == v.ThumbnailName:
		kind = files.ThumbnailFile
	case name == v.CaptionsName:
		kind = files.CaptionsVTT
	case v.CaptionsName != "" && strings.TrimSuffix(name, ".srt") == strings.TrimSuffix(v.CaptionsName, ".vtt"):
		kind = files.CaptionsSRT
	}
	return v, kind, nil
}

// CountDownload records one more download of v.
func (s *Service) CountDownload(ctx context.Context, v *o2sound.Video) error {
	return s.db.CountDownload(ctx, v.ID)
}

// Files is the file store, for streaming.
func (s *Service) Files() *files.Store { return s.files }

// Video returns the owner's video.
func (s *Service) Video(ctx context.Context, ownerID, id string) (*o2sound.Video, error) {
	v, err := s.db.VideoByID(ctx, ownerID, id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, errVideoNotFound
	}
	return v, err
}
