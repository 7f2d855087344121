package main

import (
	"context"
	"io"
	"strings"
	"testing"
	"time"
)

// Ctrl-C at the confirmation prompt ends the command (main turns SIGINT
// into a cancelled context, so nothing else would), and the key stays.
func TestKeysDeleteInterruptedAtPrompt(t *testing.T) {
	srv, e := newFake(t)
	keys := seed(t, srv)
	stdin, typing := io.Pipe() // a terminal nobody types into
	defer typing.Close()
	var stderr syncBuffer
	a := terminalFactory(stdin, io.Discard, &stderr, e)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan int, 1)
	go func() { done <- a.run(ctx, []string{"keys", "delete", keys[0].Data.Hash}) }()

	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(stderr.String(), "[y/N]") {
		if time.Now().After(deadline) {
			t.Fatalf("no prompt; stderr %q", stderr.String())
		}
		time.Sleep(time.Millisecond)
	}
	cancel() // Ctrl-C
	select {
	case code := <-done:
		if code != exitDeclined || !strings.Contains(stderr.String(), "was not deleted") {
			t.Errorf("exit %d; stderr %q", code, stderr.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the prompt still waits for an answer after Ctrl-C")
	}
	if len(listed(t, srv)) != 3 {
		t.Error("the key was deleted")
	}
}
