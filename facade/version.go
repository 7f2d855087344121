package facade

// Version is the orkeys release this package belongs to. It is sent in the
// User-Agent header.
const Version = "0.1.0"
