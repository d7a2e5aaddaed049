// Package decodebudget bounds the memory the whole process spends decoding images at
// once. Decoding is where pictures cost memory (a 40 MP photo is 160 MB as pixels), and
// the crawler, photo uploads and the slideshow all decode, for several tasks at a time:
// per-caller limits do not add up to a process limit, one budget does.
package decodebudget

import (
	"context"
	"fmt"

	"golang.org/x/sync/semaphore"
)

// DefaultBytes is the process's budget: one decode at the crawler's largest allowed
// cost (a 40 MP image and its shrunk copy) fits, two do not; small pictures share it.
const DefaultBytes = 320 << 20

// Budget is a pool of bytes that decodes reserve before they allocate.
type Budget struct {
	sem   *semaphore.Weighted
	total int64
}

// New returns a budget of total bytes.
func New(total int64) *Budget {
	return &Budget{sem: semaphore.NewWeighted(total), total: total}
}

// Default is the budget the process's decoders share.
var Default = New(DefaultBytes)

// Acquire reserves cost bytes, waiting (in order of arrival) until they are free or ctx
// ends. A cost above the whole budget reserves all of it, so that decode runs alone.
// The returned function gives the bytes back; call it once the decoded pixels are no
// longer needed.
func (b *Budget) Acquire(ctx context.Context, cost int64) (release func(), err error) {
	cost = min(max(cost, 1), b.total)
	if err := b.sem.Acquire(ctx, cost); err != nil {
		return nil, fmt.Errorf("decodebudget: waiting for %d MB: %w", cost>>20, err)
	}
	return func() { b.sem.Release(cost) }, nil
}

// Acquire reserves cost bytes of the Default budget.
func Acquire(ctx context.Context, cost int64) (release func(), err error) {
	return Default.Acquire(ctx, cost)
}
