package facade

// SetMaxPlaneRecords lowers the cap on records per plane walk until the
// test ends.
func SetMaxPlaneRecords(t interface{ Cleanup(func()) }, n int) {
	old := maxPlaneRecords
	maxPlaneRecords = n
	t.Cleanup(func() { maxPlaneRecords = old })
}
