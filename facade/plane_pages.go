package facade

import (
	"context"
	"fmt"
	"iter"
)

// The management plane's lists page with offset and limit and report
// total_count. Their …All iterators walk them with the guarantees of
// APIKeysListAll that apply to one request at a time: options merged once
// for the walk, one error yielded as the last value, nothing left running
// when the loop breaks, and a server that misbehaves stops the walk rather
// than looping: the walk ends when offset reaches total_count, and refuses
// an empty page before that, a page of records all seen before, and a walk
// past maxPages. Pages are fetched one after another (no read-ahead).

// fetchPage asks for the page at offset on the walk's merged config and
// returns its records and total_count.
type fetchPage[T any] func(ctx context.Context, cfg *config, offset int) ([]T, int, error)

// pages is the fetchPage of a list operation: build makes the request of
// the page at offset (asking for PlanePageSize records), lacks is the
// operation's answer check, and records picks the page's data and
// total_count.
func pages[R, T any](op *operation, build func(offset int) builder, lacks func(*R) string, records func(*R) ([]T, int)) fetchPage[T] {
	return func(ctx context.Context, cfg *config, offset int) ([]T, int, error) {
		v, err := callWith(ctx, cfg, op, build(offset), lacks)
		if err != nil {
			return nil, 0, err
		}
		data, total := records(v)
		return data, total, nil
	}
}

// walkPages is the …All iterators' loop over op's pages. checkErr is the
// request's input check; start is the request's Offset; id identifies a
// record, for the repeat check.
func walkPages[T any](ctx context.Context, c *Client, opts []Option, op *operation, checkErr error, start *int,
	fetch fetchPage[T], id func(*T) string) iter.Seq2[T, error] {
	what := op.method + " " + op.path
	return func(yield func(T, error) bool) {
		var zero T
		if ctx == nil {
			yield(zero, invalid("nil context (use context.Background())"))
			return
		}
		if checkErr != nil {
			yield(zero, checkErr)
			return
		}
		cfg, err := c.callConfig(ctx, opts)
		if err != nil {
			yield(zero, err)
			return
		}
		offset := 0
		if start != nil {
			offset = *start
		}
		// Every id seen: the lists are an organization's guardrails,
		// workspaces and members, small enough to remember whole, and a
		// page of nothing new is a server that does not progress, even when
		// it reshuffles what it repeats.
		seen := map[string]bool{}
		for n := 0; ; n++ {
			if n == maxPages {
				yield(zero, fmt.Errorf("openrouter: %s: stopped after %d pages; the server keeps answering", what, maxPages))
				return
			}
			data, total, err := fetch(ctx, cfg, offset)
			if err != nil {
				yield(zero, err)
				return
			}
			if len(data) == 0 {
				if offset < total {
					yield(zero, fmt.Errorf("openrouter: %s: the page at offset %d is empty, but total_count is %d; the walk stopped", what, offset, total))
				}
				return
			}
			fresh := 0
			for i := range data {
				if k := id(&data[i]); !seen[k] {
					seen[k] = true
					fresh++
				}
			}
			if fresh == 0 {
				yield(zero, fmt.Errorf("openrouter: %s: the page at offset %d repeats records already seen; the server ignores offset, so the walk stopped", what, offset))
				return
			}
			for i := range data {
				if !yield(data[i], nil) {
					return
				}
			}
			offset += len(data)
			if offset >= total {
				return
			}
		}
	}
}

// pageLimit is the limit every page of a walk asks for.
var pageLimit = PlanePageSize

// at returns a copy of a list request's offset and limit for the page at
// offset of a walk.
func at(offset int) (*int, *int) { return &offset, &pageLimit }

func lacksData[T any](data []T) string { return missing(data == nil, "data") }

// lacksDeleted is the answer check of a DELETE: {"deleted": true}.
func lacksDeleted[R any](deleted func(*R) bool) func(*R) string {
	return func(v *R) string { return missing(!deleted(v), `"deleted": true`) }
}
