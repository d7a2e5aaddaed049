package crawl

// SniffFormat names an image's format from its first bytes, as PrepareImage does
// (the file name and the client's Content-Type are not trusted): "jpeg", "png", "gif"
// or "webp", or an error wrapping ErrNotImage, ErrSVG or ErrUnsupportedFormat.
func SniffFormat(head []byte) (string, error) { return sniffImage(head) }
