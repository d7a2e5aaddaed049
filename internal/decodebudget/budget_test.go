package decodebudget

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestBudget(t *testing.T) {
	t.Parallel()
	b := New(100)
	ctx := context.Background()
	r1, err := b.Acquire(ctx, 60)
	if err != nil {
		t.Fatal(err)
	}
	// 60 + 60 > 100: the second waits until the first is released.
	wait, cancelWait := context.WithTimeout(ctx, 30*time.Millisecond)
	defer cancelWait()
	if _, err := b.Acquire(wait, 60); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("two 60-byte decodes in a 100-byte budget: %v", err)
	}
	r1()
	r2, err := b.Acquire(ctx, 60)
	if err != nil {
		t.Fatal(err)
	}
	r2()
	// More than the whole budget runs alone rather than never.
	big, err := b.Acquire(ctx, 1<<40)
	if err != nil {
		t.Fatal(err)
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := b.Acquire(cctx, 1); !errors.Is(err, context.Canceled) {
		t.Fatalf("a cancelled wait: %v", err)
	}
	big()
	if r, err := b.Acquire(ctx, 100); err != nil {
		t.Fatal(err)
	} else {
		r()
	}
}
