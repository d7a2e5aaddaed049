//go:build ignore

// Command gen writes testdata/bomb.gz.gz: 1 GiB of zeros gzipped twice, about 10 KB on
// disk. Served with "Content-Encoding: gzip, gzip" it is the decompression bomb the
// fetcher's decoded-size cap must stop. Run from internal/fetch: go run testdata/gen/main.go
package main

import (
	"bytes"
	"compress/gzip"
	"log"
	"os"
)

func main() {
	var inner bytes.Buffer
	zw, err := gzip.NewWriterLevel(&inner, gzip.BestCompression)
	if err != nil {
		log.Fatal(err)
	}
	zeros := make([]byte, 1<<20)
	for range 1 << 10 {
		if _, err := zw.Write(zeros); err != nil {
			log.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		log.Fatal(err)
	}
	var outer bytes.Buffer
	zw2, err := gzip.NewWriterLevel(&outer, gzip.BestCompression)
	if err != nil {
		log.Fatal(err)
	}
	if _, err := zw2.Write(inner.Bytes()); err != nil {
		log.Fatal(err)
	}
	if err := zw2.Close(); err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile("testdata/bomb.gz.gz", outer.Bytes(), 0o644); err != nil {
		log.Fatal(err)
	}
	log.Printf("inner %d bytes, outer %d bytes", inner.Len(), outer.Len())
}
