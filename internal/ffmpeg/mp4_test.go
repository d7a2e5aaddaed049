package ffmpeg

import (
	"bytes"
	"encoding/binary"
	"slices"
	"testing"
)

func box(typ string, payload int) []byte {
	b := make([]byte, 8+payload)
	binary.BigEndian.PutUint32(b, uint32(8+payload))
	copy(b[4:], typ)
	return b
}

func largeBox(typ string, payload int) []byte {
	b := make([]byte, 16+payload)
	binary.BigEndian.PutUint32(b, 1)
	copy(b[4:], typ)
	binary.BigEndian.PutUint64(b[8:], uint64(16+payload))
	return b
}

func TestTopLevelBoxes(t *testing.T) {
	t.Parallel()
	toEnd := box("mdat", 5)
	binary.BigEndian.PutUint32(toEnd, 0)
	tests := []struct {
		name    string
		file    []byte
		types   []string
		moov    bool
		wantErr bool
	}{
		{"faststart", slices.Concat(box("ftyp", 16), box("moov", 40), box("mdat", 100)), []string{"ftyp", "moov", "mdat"}, true, false},
		{"moov at end", slices.Concat(box("ftyp", 16), box("free", 0), box("mdat", 100), box("moov", 40)), []string{"ftyp", "free", "mdat", "moov"}, false, false},
		{"64-bit mdat", slices.Concat(box("ftyp", 4), box("moov", 4), largeBox("mdat", 30)), []string{"ftyp", "moov", "mdat"}, true, false},
		{"size 0 runs to end", slices.Concat(box("ftyp", 4), box("moov", 4), toEnd), []string{"ftyp", "moov", "mdat"}, true, false},
		{"truncated", slices.Concat(box("ftyp", 4), []byte{0, 0, 0}), []string{"ftyp"}, false, true},
		{"size past end", slices.Concat(box("ftyp", 4), box("moov", 40)[:20]), []string{"ftyp"}, false, true},
		{"size smaller than header", []byte{0, 0, 0, 4, 'm', 'o', 'o', 'v'}, nil, false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			boxes, err := TopLevelBoxes(bytes.NewReader(tt.file), int64(len(tt.file)))
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, wantErr %v", err, tt.wantErr)
			}
			var types []string
			for _, b := range boxes {
				types = append(types, b.Type)
			}
			if !slices.Equal(types, tt.types) {
				t.Errorf("types %v, want %v", types, tt.types)
			}
			if err == nil {
				if got, _ := moovFirst(boxes); got != tt.moov {
					t.Errorf("moov first = %v, want %v", got, tt.moov)
				}
			}
		})
	}
}

func FuzzTopLevelBoxes(f *testing.F) {
	f.Add(slices.Concat(box("ftyp", 16), box("moov", 40), box("mdat", 100)))
	f.Add(slices.Concat(box("ftyp", 4), largeBox("mdat", 30)))
	f.Add([]byte{0, 0, 0, 1, 'm', 'd', 'a', 't', 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff})
	f.Fuzz(func(t *testing.T, data []byte) {
		boxes, _ := TopLevelBoxes(bytes.NewReader(data), int64(len(data)))
		end := int64(0)
		for _, b := range boxes {
			if b.Offset != end || b.Size < 8 || b.Offset+b.Size > int64(len(data)) {
				t.Fatalf("box %+v does not tile the file (end %d, len %d)", b, end, len(data))
			}
			end += b.Size
		}
	})
}
