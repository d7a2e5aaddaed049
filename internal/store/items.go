package store

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/google/uuid"

	"github.com/o2sound/o2sound/internal/o2sound"
)

const itemColumns = `id, owner_id, name, address, url, phone_number, thumbnail_url, hashtags, metadata, created_at, updated_at`

func scanItem(r row) (*o2sound.Item, error) {
	var it o2sound.Item
	var tags, meta string
	if err := r.Scan(&it.ID, &it.OwnerID, &it.Name, &it.Address, &it.URL, &it.PhoneNumber, &it.ThumbnailURL, &tags, &meta, &it.CreatedAt, &it.UpdatedAt); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(tags), &it.Hashtags); err != nil {
		return nil, fmt.Errorf("store: item %s hashtags: %w", it.ID, err)
	}
	if it.Hashtags == nil {
		it.Hashtags = []string{}
	}
	it.Metadata = []byte(meta)
	return &it, nil
}

func encodeTags(tags []string) string {
	if tags == nil {
		tags = []string{}
	}
	b, _ := json.Marshal(tags)
	return string(b)
}

func metadataText(m []byte) string {
	if len(m) == 0 {
		return "{}"
	}
	return string(m)
}

// SaveItemForURL creates the owner's item for it.URL, or updates the one that exists,
// and fills it from the stored row. The crawler uses it: crawling the same site twice
// refreshes one business instead of adding a second.
func (q Queries) SaveItemForURL(ctx context.Context, it *o2sound.Item) error {
	id, err := uuid.NewV7()
	if err != nil {
		return fmt.Errorf("store: save item: %w", err)
	}
	now := q.now()
	r := q.q.queryRow(ctx, `INSERT INTO items (id, owner_id, name, address, url, phone_number, thumbnail_url, hashtags, metadata, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10)
		ON CONFLICT (owner_id, url) DO UPDATE SET name = excluded.name, address = excluded.address,
			phone_number = excluded.phone_number, thumbnail_url = excluded.thumbnail_url,
			hashtags = excluded.hashtags, metadata = excluded.metadata, updated_at = excluded.updated_at
		RETURNING `+itemColumns,
		id.String(), it.OwnerID, it.Name, it.Address, it.URL, it.PhoneNumber, it.ThumbnailURL, encodeTags(it.Hashtags), metadataText(it.Metadata), now)
	saved, err := scanItem(r)
	if err != nil {
		return fmt.Errorf("store: save item: %w", err)
	}
	*it = *saved
	return nil
}

// ListItems returns one page of the owner's items, newest first, and the total count.
func (q Queries) ListItems(ctx context.Context, ownerID string, page o2sound.Page) ([]*o2sound.Item, int, error) {
	if !validID(ownerID) {
		return nil, 0, ErrNotFound
	}
	var total int
	if err := q.q.queryRow(ctx, `SELECT count(*) FROM items WHERE owner_id = $1`, ownerID).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("store: count items: %w", err)
	}
	rs, err := q.q.query(ctx, `SELECT `+itemColumns+` FROM items WHERE owner_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2 OFFSET $3`,
		ownerID, limitOf(page), page.Offset())
	if err != nil {
		return nil, 0, fmt.Errorf("store: list items: %w", err)
	}
	defer rs.Close()
	items := []*o2sound.Item{}
	for rs.Next() {
		it, err := scanItem(rs)
		if err != nil {
			return nil, 0, fmt.Errorf("store: list items: %w", err)
		}
		items = append(items, it)
	}
	if err := rs.Err(); err != nil {
		return nil, 0, fmt.Errorf("store: list items: %w", err)
	}
	return items, total, nil
}

// limitOf turns a page into a LIMIT; -1 means no limit in SQLite and PostgreSQL
// rejects it, so "all" is a large number instead.
func limitOf(p o2sound.Page) int {
	if p.Size == 0 {
		return 1 << 31 / 2
	}
	return p.Size
}

// ItemByID returns the owner's item; another owner's item is ErrNotFound.
func (q Queries) ItemByID(ctx context.Context, ownerID, itemID string) (*o2sound.Item, error) {
	if !validID(ownerID) || !validID(itemID) {
		return nil, fmt.Errorf("store: item: %w", ErrNotFound)
	}
	it, err := scanItem(q.q.queryRow(ctx, `SELECT `+itemColumns+` FROM items WHERE id = $1 AND owner_id = $2`, itemID, ownerID))
	if err != nil {
		return nil, fmt.Errorf("store: item %s: %w", itemID, err)
	}
	return it, nil
}

// UpdateItem writes the editable fields of the owner's item it.ID.
func (q Queries) UpdateItem(ctx context.Context, it *o2sound.Item) error {
	if !validID(it.OwnerID) || !validID(it.ID) {
		return fmt.Errorf("store: update item: %w", ErrNotFound)
	}
	n, err := q.q.exec(ctx, `UPDATE items SET name = $3, address = $4, url = $5, phone_number = $6, thumbnail_url = $7, hashtags = $8, updated_at = $9
		WHERE id = $1 AND owner_id = $2`,
		it.ID, it.OwnerID, it.Name, it.Address, it.URL, it.PhoneNumber, it.ThumbnailURL, encodeTags(it.Hashtags), q.now())
	if err != nil {
		return fmt.Errorf("store: update item: %w", err)
	}
	if n == 0 {
		return fmt.Errorf("store: update item: %w", ErrNotFound)
	}
	return nil
}

// DeleteItem removes the owner's item. Its videos stay, detached from it.
func (q Queries) DeleteItem(ctx context.Context, ownerID, itemID string) error {
	if !validID(ownerID) || !validID(itemID) {
		return fmt.Errorf("store: delete item: %w", ErrNotFound)
	}
	n, err := q.q.exec(ctx, `DELETE FROM items WHERE id = $1 AND owner_id = $2`, itemID, ownerID)
	if err != nil {
		return fmt.Errorf("store: delete item: %w", err)
	}
	if n == 0 {
		return fmt.Errorf("store: delete item: %w", ErrNotFound)
	}
	return nil
}
