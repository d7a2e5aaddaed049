package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/google/uuid"

	"github.com/o2sound/o2sound/internal/o2sound"
)

const videoColumns = `id, owner_id, coalesce(CAST(item_id AS TEXT), ''), coalesce(CAST(task_id AS TEXT), ''), title, description, filename, coalesce(thumbnail_name, ''),
	resolution, status, duration, size_bytes, download_count, created_at, updated_at, coalesce(captions_name, '')`

func scanVideo(r row) (*o2sound.Video, error) {
	var v o2sound.Video
	err := r.Scan(&v.ID, &v.OwnerID, &v.ItemID, &v.TaskID, &v.Title, &v.Description, &v.Filename, &v.ThumbnailName,
		&v.Resolution, &v.Status, &v.Duration, &v.SizeBytes, &v.DownloadCount, &v.CreatedAt, &v.UpdatedAt, &v.CaptionsName)
	if err != nil {
		return nil, err
	}
	return &v, nil
}

func nullID(id string) any {
	if id == "" {
		return sql.NullString{}
	}
	return id
}

// CreateVideo inserts v, filling ID (unless set) and timestamps.
func (q Queries) CreateVideo(ctx context.Context, v *o2sound.Video) error {
	if v.ID == "" {
		id, err := uuid.NewV7()
		if err != nil {
			return fmt.Errorf("store: create video: %w", err)
		}
		v.ID = id.String()
	}
	now := q.now()
	_, err := q.q.exec(ctx, `INSERT INTO videos (id, owner_id, item_id, task_id, title, description, filename, thumbnail_name,
			resolution, status, duration, size_bytes, download_count, created_at, updated_at, captions_name)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 0, $13, $13, $14)`,
		v.ID, v.OwnerID, nullID(v.ItemID), nullID(v.TaskID), v.Title, v.Description, v.Filename, nullIfEmpty(v.ThumbnailName),
		v.Resolution, v.Status, v.Duration, v.SizeBytes, now, nullIfEmpty(v.CaptionsName))
	if err != nil {
		return fmt.Errorf("store: create video %s: %w", v.ID, err)
	}
	v.CreatedAt, v.UpdatedAt = now, now
	return nil
}

// ListVideos returns one page of the owner's videos, newest first, and the total count.
func (q Queries) ListVideos(ctx context.Context, ownerID string, page o2sound.Page) ([]*o2sound.Video, int, error) {
	if !validID(ownerID) {
		return nil, 0, ErrNotFound
	}
	var total int
	if err := q.q.queryRow(ctx, `SELECT count(*) FROM videos WHERE owner_id = $1`, ownerID).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("store: count videos: %w", err)
	}
	rs, err := q.q.query(ctx, `SELECT `+videoColumns+` FROM videos WHERE owner_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2 OFFSET $3`,
		ownerID, limitOf(page), page.Offset())
	if err != nil {
		return nil, 0, fmt.Errorf("store: list videos: %w", err)
	}
	defer rs.Close()
	videos := []*o2sound.Video{}
	for rs.Next() {
		v, err := scanVideo(rs)
		if err != nil {
			return nil, 0, fmt.Errorf("store: list videos: %w", err)
		}
		videos = append(videos, v)
	}
	if err := rs.Err(); err != nil {
		return nil, 0, fmt.Errorf("store: list videos: %w", err)
	}
	return videos, total, nil
}

// VideoByID returns the owner's video; another owner's is ErrNotFound.
func (q Queries) VideoByID(ctx context.Context, ownerID, id string) (*o2sound.Video, error) {
	if !validID(ownerID) || !validID(id) {
		return nil, fmt.Errorf("store: video: %w", ErrNotFound)
	}
	v, err := scanVideo(q.q.queryRow(ctx, `SELECT `+videoColumns+` FROM videos WHERE id = $1 AND owner_id = $2`, id, ownerID))
	if err != nil {
		return nil, fmt.Errorf("store: video %s: %w", id, err)
	}
	return v, nil
}

// VideoByFileName finds the video whose stream, thumbnail or captions name is name (a
// captions name also answers with .srt for its SubRip twin). It is not owner-scoped on
// purpose: the names carry 128+ random bits and act as share links.
func (q Queries) VideoByFileName(ctx context.Context, name string) (*o2sound.Video, error) {
	captions := name
	if base, ok := strings.CutSuffix(name, ".srt"); ok {
		captions = base + ".vtt"
	}
	v, err := scanVideo(q.q.queryRow(ctx, `SELECT `+videoColumns+` FROM videos WHERE filename = $1 OR thumbnail_name = $1 OR captions_name = $2`,
		name, captions))
	if err != nil {
		return nil, fmt.Errorf("store: video by file name: %w", err)
	}
	return v, nil
}

// DeleteVideo removes the owner's video row and returns it so its files can be removed.
func (q Queries) DeleteVideo(ctx context.Context, ownerID, id string) (*o2sound.Video, error) {
	if !validID(ownerID) || !validID(id) {
		return nil, fmt.Errorf("store: delete video: %w", ErrNotFound)
	}
	v, err := scanVideo(q.q.queryRow(ctx, `DELETE FROM videos WHERE id = $1 AND owner_id = $2 RETURNING `+videoColumns, id, ownerID))
	if err != nil {
		return nil, fmt.Errorf("store: delete video %s: %w", id, err)
	}
	return v, nil
}

// CountDownload adds one to a video's download count.
func (q Queries) CountDownload(ctx context.Context, id string) error {
	if _, err := q.q.exec(ctx, `UPDATE videos SET download_count = download_count + 1 WHERE id = $1`, id); err != nil {
		return fmt.Errorf("store: count download: %w", err)
	}
	return nil
}
