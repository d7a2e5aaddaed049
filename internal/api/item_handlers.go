package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/o2sound/o2sound/internal/library"
	"github.com/o2sound/o2sound/internal/o2sound"
	"github.com/o2sound/o2sound/internal/phone"
)

// PageRequest is optional pagination in list bodies.
type PageRequest struct {
	Page     int `json:"page,omitempty" minimum:"1" maximum:"1000000" doc:"1-based page; with page_size, turns on pagination fields in the answer"`
	PageSize int `json:"page_size,omitempty" minimum:"1" maximum:"100" doc:"Items per page (default 20)"`
}

func (p PageRequest) page() (o2sound.Page, bool) {
	if p.Page == 0 && p.PageSize == 0 {
		return o2sound.Page{}, false
	}
	pg := o2sound.Page{Number: p.Page, Size: p.PageSize}
	if pg.Number == 0 {
		pg.Number = 1
	}
	if pg.Size == 0 {
		pg.Size = 20
	}
	return pg, true
}

// PageInfo is the seed's pagination block, present only when a page was asked for.
type PageInfo struct {
	Page       int `json:"page,omitempty"`
	PageSize   int `json:"page_size,omitempty"`
	TotalPages int `json:"total_pages,omitempty"`
}

// listOwned answers a list endpoint: the signed-in user's rows (never another's, even
// when the body names them), one page of them when asked, each shown with show.
func listOwned[T, B any](ctx context.Context, s *Server, req *ListRequest,
	list func(ctx context.Context, ownerID string, page o2sound.Page) ([]T, int, error), show func(T) B) ([]B, int, PageInfo, error) {
	u, err := s.CurrentUser(ctx)
	if err != nil {
		return nil, 0, PageInfo{}, err
	}
	req = req.body()
	if err := checkSelf(u, req.ID); err != nil {
		return nil, 0, PageInfo{}, s.fail(ctx, err)
	}
	pg, paged := req.page()
	rows, total, err := list(ctx, u.ID, pg)
	if err != nil {
		return nil, 0, PageInfo{}, s.fail(ctx, err)
	}
	shown := make([]B, 0, len(rows))
	for _, r := range rows {
		shown = append(shown, show(r))
	}
	return shown, total, pageInfoOf(pg, paged, total), nil
}

func pageInfoOf(pg o2sound.Page, paged bool, total int) PageInfo {
	if !paged {
		return PageInfo{}
	}
	tp := (total + pg.Size - 1) / pg.Size
	if tp == 0 {
		tp = 1
	}
	return PageInfo{Page: pg.Number, PageSize: pg.Size, TotalPages: tp}
}

type itemBody struct {
	ItemID       string   `json:"item_id"`
	Name         string   `json:"name"`
	Address      string   `json:"address"`
	URL          string   `json:"url"`
	PhoneNumber  string   `json:"phone_number" example:"02-336-7788" doc:"In the business's national format: 02-336-7788, (512) 555-0147, 030 1234567"`
	ThumbnailURL string   `json:"thumbnail_url"`
	Hashtags     []string `json:"hashtags"`
}

func itemBodyOf(it *o2sound.Item) itemBody {
	// Stored in E.164 (older rows: Korean national forms); shown as the country writes it.
	return itemBody{ItemID: it.ID, Name: it.Name, Address: it.Address, URL: it.URL, PhoneNumber: phone.Format(it.PhoneNumber, ""),
		ThumbnailURL: it.ThumbnailURL, Hashtags: it.Hashtags}
}

// ListRequest is the optional body of the list endpoints.
type ListRequest struct {
	OwnerRef
	PageRequest
}

type listItemsInput struct{ Body *ListRequest }

// body returns the request, or an empty one when the client sent no body.
func (r *ListRequest) body() *ListRequest {
	if r == nil {
		return &ListRequest{}
	}
	return r
}

type listItemsOutput struct {
	Body struct {
		TotalCount int        `json:"total_count"`
		Items      []itemBody `json:"items"`
		PageInfo
	}
}

type updateItemInput struct {
	Body struct {
		ID           string    `json:"id,omitempty" maxLength:"64" doc:"Optional; must be the signed-in user's id"`
		ItemID       string    `json:"item_id" maxLength:"64"`
		Name         *string   `json:"name,omitempty" maxLength:"200"`
		Address      *string   `json:"address,omitempty" maxLength:"1000"`
		URL          *string   `json:"url,omitempty" maxLength:"4096"`
		PhoneNumber  *string   `json:"phone_number,omitempty" maxLength:"32" doc:"Any country's number; without \"+\" it is read in the business's country (its address; Korean when unknown). Empty removes it."`
		ThumbnailURL *string   `json:"thumbnail_url,omitempty" maxLength:"4096"`
		Hashtags     *[]string `json:"hashtags,omitempty" maxItems:"50"`
	}
}

type itemIDInput struct {
	Body struct {
		ID     string `json:"id,omitempty" maxLength:"64" doc:"Optional; must be the signed-in user's id"`
		ItemID string `json:"item_id" maxLength:"64"`
	}
}

type successItemOutput struct {
	Body struct {
		Success bool   `json:"success"`
		ItemID  string `json:"item_id"`
	}
}

func (s *Server) registerItems() {
	huma.Register(s.api, huma.Operation{
		OperationID: "list-items", Method: http.MethodPost, Path: "/user/items",
		Summary: "The signed-in user's businesses, newest first", Tags: []string{"Items"}, Security: sessionSecurity,
	}, func(ctx context.Context, in *listItemsInput) (*listItemsOutput, error) {
		out := &listItemsOutput{}
		var err error
		out.Body.Items, out.Body.TotalCount, out.Body.PageInfo, err = listOwned(ctx, s, in.Body, s.Library.Items, itemBodyOf)
		return out, err
	})

	huma.Register(s.api, huma.Operation{
		OperationID: "update-item", Method: http.MethodPut, Path: "/user/item/update",
		Summary: "Change a business", Tags: []string{"Items"}, Security: sessionSecurity,
		Description: "Fields left out stay as they are. Another user's item is ITEM_001 (404).",
	}, func(ctx context.Context, in *updateItemInput) (*successItemOutput, error) {
		u, err := s.CurrentUser(ctx)
		if err != nil {
			return nil, err
		}
		b := in.Body
		if err := checkSelf(u, b.ID); err != nil {
			return nil, s.fail(ctx, err)
		}
		it, err := s.Library.UpdateItem(ctx, u.ID, b.ItemID, library.ItemUpdate{
			Name: b.Name, Address: b.Address, URL: b.URL, PhoneNumber: b.PhoneNumber, ThumbnailURL: b.ThumbnailURL, Hashtags: b.Hashtags,
		})
		if err != nil {
			return nil, s.fail(ctx, err)
		}
		out := &successItemOutput{}
		out.Body.Success, out.Body.ItemID = true, it.ID
		return out, nil
	})

	huma.Register(s.api, huma.Operation{
		OperationID: "delete-item", Method: http.MethodDelete, Path: "/user/item/delete",
		Summary: "Delete a business", Tags: []string{"Items"}, Security: sessionSecurity,
		Description: "Its videos are kept. Another user's item is ITEM_001 (404).",
	}, func(ctx context.Context, in *itemIDInput) (*successItemOutput, error) {
		u, err := s.CurrentUser(ctx)
		if err != nil {
			return nil, err
		}
		if err := checkSelf(u, in.Body.ID); err != nil {
			return nil, s.fail(ctx, err)
		}
		if err := s.Library.DeleteItem(ctx, u.ID, in.Body.ItemID); err != nil {
			return nil, s.fail(ctx, err)
		}
		out := &successItemOutput{}
		out.Body.Success, out.Body.ItemID = true, in.Body.ItemID
		return out, nil
	})
}
