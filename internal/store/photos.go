package store

import (
	"context"
	"fmt"

	"github.com/google/uuid"

	"github.com/o2sound/o2sound/internal/o2sound"
)

const photoColumns = `id, owner_id, coalesce(CAST(task_id AS TEXT), ''), source, format, width, height, size_bytes, created_at`

func scanPhoto(r row) (*o2sound.Photo, error) {
	var p o2sound.Photo
	if err := r.Scan(&p.ID, &p.OwnerID, &p.TaskID, &p.Source, &p.Format, &p.Width, &p.Height, &p.SizeBytes, &p.CreatedAt); err != nil {
		return nil, err
	}
	return &p, nil
}

// NewPhotoID returns a fresh photo id; its file is written under it before the row.
func NewPhotoID() (string, error) {
	id, err := uuid.NewV7()
	if err != nil {
		return "", fmt.Errorf("store: new photo id: %w", err)
	}
	return id.String(), nil
}

// CreatePhoto inserts p (its ID set by NewPhotoID), filling CreatedAt.
func (q Queries) CreatePhoto(ctx context.Context, p *o2sound.Photo) error {
	p.CreatedAt = q.now()
	_, err := q.q.exec(ctx, `INSERT INTO photos (id, owner_id, task_id, source, format, width, height, size_bytes, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
		p.ID, p.OwnerID, nullID(p.TaskID), p.Source, p.Format, p.Width, p.Height, p.SizeBytes, p.CreatedAt)
	if err != nil {
		return fmt.Errorf("store: create photo: %w", err)
	}
	return nil
}

// PhotoByID returns the owner's photo; another owner's is ErrNotFound.
func (q Queries) PhotoByID(ctx context.Context, ownerID, id string) (*o2sound.Photo, error) {
	if !validID(ownerID) || !validID(id) {
		return nil, fmt.Errorf("store: photo: %w", ErrNotFound)
	}
	p, err := scanPhoto(q.q.queryRow(ctx, `SELECT `+photoColumns+` FROM photos WHERE id = $1 AND owner_id = $2`, id, ownerID))
	if err != nil {
		return nil, fmt.Errorf("store: photo %s: %w", id, err)
	}
	return p, nil
}

// CountUploads counts the owner's uploaded photos, for the quota. Inside a transaction
// on PostgreSQL it first locks the owner's row so concurrent uploads count in turn.
func (q Queries) CountUploads(ctx context.Context, ownerID string) (int, error) {
	if _, ok := q.q.(pgxQuerier); ok {
		if _, err := q.q.exec(ctx, `SELECT 1 FROM users WHERE id = $1 FOR UPDATE`, ownerID); err != nil {
			return 0, fmt.Errorf("store: count uploads: %w", err)
		}
	}
	var n int
	if err := q.q.queryRow(ctx, `SELECT count(*) FROM photos WHERE owner_id = $1 AND source = $2`, ownerID, o2sound.PhotoFromUpload).Scan(&n); err != nil {
		return 0, fmt.Errorf("store: count uploads: %w", err)
	}
	return n, nil
}

// DeletePhoto removes the owner's photo row and returns it so its file can be removed.
func (q Queries) DeletePhoto(ctx context.Context, ownerID, id string) (*o2sound.Photo, error) {
	if !validID(ownerID) || !validID(id) {
		return nil, fmt.Errorf("store: delete photo: %w", ErrNotFound)
	}
	p, err := scanPhoto(q.q.queryRow(ctx, `DELETE FROM photos WHERE id = $1 AND owner_id = $2 RETURNING `+photoColumns, id, ownerID))
	if err != nil {
		return nil, fmt.Errorf("store: delete photo %s: %w", id, err)
	}
	return p, nil
}

// DeleteTaskPhotos removes the photos of one source that a task recorded and returns
// them so their files can be removed.
func (q Queries) DeleteTaskPhotos(ctx context.Context, taskID, source string) ([]*o2sound.Photo, error) {
	if !validID(taskID) {
		return nil, nil
	}
	rs, err := q.q.query(ctx, `DELETE FROM photos WHERE task_id = $1 AND source = $2 RETURNING `+photoColumns, taskID, source)
	if err != nil {
		return nil, fmt.Errorf("store: delete task photos: %w", err)
	}
	defer rs.Close()
	var gone []*o2sound.Photo
	for rs.Next() {
		p, err := scanPhoto(rs)
		if err != nil {
			return nil, fmt.Errorf("store: delete task photos: %w", err)
		}
		gone = append(gone, p)
	}
	return gone, rs.Err()
}
