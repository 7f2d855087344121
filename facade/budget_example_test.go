package facade_test

import (
	"errors"
	"fmt"
	"log"
	"time"

	"github.com/orkeys/orkeys/facade"
)

func ExampleBudgetOf() {
	// A key as APIKeysGet or APIKeysList returns it: $50 a week, $37.50 of
	// it spent by Thursday noon.
	limit, remaining := 50.0, 12.5
	weekly := facade.LimitResetWeekly
	key := facade.APIKey{
		Name:           "ci-bot",
		Limit:          &limit,
		LimitRemaining: &remaining,
		LimitReset:     &weekly,
		UsageWeekly:    37.5,
	}
	now := time.Date(2028, 3, 16, 12, 0, 0, 0, time.UTC) // real code: time.Now()

	b := facade.BudgetOf(key, now)
	fmt.Println("status:", b.Status)
	fmt.Printf("spent $%.2f of $%.2f (%.0f%%), $%.2f left\n", b.Spent, *b.Limit, *b.Fraction*100, *b.Remaining)
	fmt.Println("resets:", b.ResetsAt.Format(time.RFC3339))
	fmt.Printf("at $%.2f an hour\n", *b.SpendPerHour)
	if b.ExhaustsAt != nil {
		fmt.Println("runs out:", b.ExhaustsAt.Format(time.RFC3339))
	} else {
		fmt.Println("lasts until the reset")
	}
	// Output:
	// status: ok
	// spent $37.50 of $50.00 (75%), $12.50 left
	// resets: 2028-03-20T00:00:00Z
	// at $0.45 an hour
	// runs out: 2028-03-17T16:00:00Z
}

func ExampleThreshold_Exceeded() {
	limit, remaining := 50.0, 12.5
	key := facade.APIKey{Name: "ci-bot", Limit: &limit, LimitRemaining: &remaining}
	b := facade.BudgetOf(key, time.Date(2028, 3, 16, 12, 0, 0, 0, time.UTC))

	// What "orkeys budget check --over …" accepts.
	for _, s := range []string{"80%", "0.7", "$40", "$30"} {
		over, err := facade.ParseThreshold(s)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("over %s: %v\n", over, over.Exceeded(b))
	}

	_, err := facade.ParseThreshold("80")
	fmt.Println(errors.Is(err, facade.ErrInvalidInput), err)
	// Output:
	// over 80%: false
	// over 70%: true
	// over $40: false
	// over $30: true
	// true orkeys: threshold "80": a fraction is at most 1; write 80% for a percentage or $80 for USD
}
