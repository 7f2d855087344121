// Command facadelist lists one page of keys through the facade: the
// smallest real user of the library, for TestFacadeLinksOnlyTheClient.
package main

import (
	"context"
	"fmt"
	"os"

	"github.com/orkeys/orkeys/facade"
)

func main() {
	c, err := facade.New()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	page, err := c.APIKeys.List(context.Background(), facade.ListRequest{})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	for _, k := range page.Data {
		fmt.Println(k.Name)
	}
}
