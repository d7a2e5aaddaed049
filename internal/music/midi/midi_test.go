package midi

import (
	"bytes"
	"errors"
	"testing"
)

func TestVarLen(t *testing.T) {
	t.Parallel()
	tests := []struct {
		v    uint64
		want []byte
	}{
		{0, []byte{0x00}},
		{0x40, []byte{0x40}},
		{0x7F, []byte{0x7F}},
		{0x80, []byte{0x81, 0x00}},
		{0x2000, []byte{0xC0, 0x00}},
		{0x3FFF, []byte{0xFF, 0x7F}},
		{0x100000, []byte{0xC0, 0x80, 0x00}},
		{0x0FFFFFFF, []byte{0xFF, 0xFF, 0xFF, 0x7F}},
	}
	for _, tt := range tests {
		var b bytes.Buffer
		writeVarLen(&b, tt.v)
		if !bytes.Equal(b.Bytes(), tt.want) {
			t.Errorf("writeVarLen(%#x) = % x, want % x", tt.v, b.Bytes(), tt.want)
		}
	}
}

func sample() *File {
	f := &File{Division: 480}
	c := f.NewTrack()
	c.MetaText(0, MetaTrackName, "conductor")
	c.Tempo(0, 600000)
	c.TimeSignature(0, 4, 2)
	c.KeySignature(0, -3, true)
	c.MetaText(1920, MetaMarker, "chorus")
	lead := f.NewTrack()
	lead.Program(0, 0, 73)
	lead.Control(0, 0, 7, 100)
	// Two repeated notes touching at tick 480: the off must be written before the on.
	lead.Note(0, 480, 0, 72, 90)
	lead.MetaText(480, MetaLyric, "블")
	lead.Note(480, 480, 0, 72, 90)
	drums := f.NewTrack()
	drums.Note(0, 60, 9, 36, 110)
	return f
}

func TestEncodeDecodeRoundTrip(t *testing.T) {
	t.Parallel()
	b, err := sample().Encode()
	if err != nil {
		t.Fatal(err)
	}
	again, _ := sample().Encode()
	if !bytes.Equal(b, again) {
		t.Fatal("encoding is not deterministic")
	}
	f, err := Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	if f.Division != 480 || len(f.Tracks) != 3 {
		t.Fatalf("division %d, %d tracks", f.Division, len(f.Tracks))
	}
	lead := f.Tracks[1].Events
	var kinds []byte
	var ticks []int64
	for _, e := range lead {
		kinds = append(kinds, e.Kind())
		ticks = append(ticks, e.Tick)
	}
	// program, control, on@0, off@480, lyric@480, on@480, off@960, end of track
	wantKinds := []byte{0xC0, 0xB0, 0x90, 0x80, 0xFF, 0x90, 0x80, 0xFF}
	wantTicks := []int64{0, 0, 0, 480, 480, 480, 960, 960}
	if !bytes.Equal(kinds, wantKinds) {
		t.Errorf("kinds % x, want % x", kinds, wantKinds)
	}
	for i := range wantTicks {
		if i < len(ticks) && ticks[i] != wantTicks[i] {
			t.Errorf("event %d at %d, want %d", i, ticks[i], wantTicks[i])
		}
	}
	if string(lead[4].Data) != "블" || lead[4].Meta != MetaLyric {
		t.Errorf("lyric event %+v", lead[4])
	}
	if d := f.Tracks[2].Events[0]; d.Channel() != 9 || d.Data[0] != 36 {
		t.Errorf("drum event %+v", d)
	}
	tempo := f.Tracks[0].Events[1]
	if tempo.Meta != MetaTempo || int(tempo.Data[0])<<16|int(tempo.Data[1])<<8|int(tempo.Data[2]) != 600000 {
		t.Errorf("tempo event %+v", tempo)
	}
}

// Tracks whose Events slice is edited directly (a filter dropping a channel) still encode.
func TestEncodeEditedTrack(t *testing.T) {
	t.Parallel()
	b, _ := sample().Encode()
	f, err := Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	lead := f.Tracks[1]
	lead.Events = append(lead.Events[:2:2], Event{Tick: 10, Status: 0x90, Data: []byte{60, 1}}, Event{Tick: 20, Status: 0x80, Data: []byte{60, 0}})
	out, err := f.Encode()
	if err != nil {
		t.Fatal(err)
	}
	g, err := Decode(out)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(g.Tracks[1].Events); n != 5 { // program, control, on, off, end of track
		t.Errorf("%d events after edit", n)
	}
}

func TestDecodeRunningStatus(t *testing.T) {
	t.Parallel()
	track := []byte{
		0x00, 0x90, 60, 100, // note on
		0x10, 64, 100, // running status note on
		0x10, 60, 0, // running status note on velocity 0 (= off)
		0x00, 0xF0, 0x02, 0x01, 0xF7, // sysex, skipped
		0x00, 0xFF, 0x2F, 0x00,
	}
	b := append([]byte("MThd\x00\x00\x00\x06\x00\x00\x00\x01\x00\x60MTrk"), 0, 0, 0, byte(len(track)))
	b = append(b, track...)
	f, err := Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	ev := f.Tracks[0].Events
	if len(ev) != 4 || ev[1].Data[0] != 64 || ev[1].Tick != 0x10 || ev[2].Tick != 0x20 {
		t.Errorf("events %+v", ev)
	}
}

func TestDecodeErrors(t *testing.T) {
	t.Parallel()
	good, _ := sample().Encode()
	tests := map[string][]byte{
		"empty":           nil,
		"not midi":        []byte("RIFF....WAVEfmt "),
		"truncated":       good[:len(good)-5],
		"huge track len":  append(append([]byte{}, good[:14]...), []byte("MTrk\xff\xff\xff\xff")...),
		"smpte division":  []byte("MThd\x00\x00\x00\x06\x00\x01\x00\x01\xe7\x28"),
		"data w/o status": append([]byte("MThd\x00\x00\x00\x06\x00\x00\x00\x01\x00\x60MTrk\x00\x00\x00\x03"), 0x00, 0x40, 0x40),
	}
	for name, b := range tests {
		if _, err := Decode(b); !errors.Is(err, ErrFormat) {
			t.Errorf("%s: err = %v, want ErrFormat", name, err)
		}
	}
}

func FuzzDecode(f *testing.F) {
	good, _ := sample().Encode()
	f.Add(good)
	f.Add([]byte("MThd\x00\x00\x00\x06\x00\x00\x00\x01\x00\x60MTrk\x00\x00\x00\x04\x00\xff\x2f\x00"))
	f.Fuzz(func(t *testing.T, b []byte) {
		file, err := Decode(b)
		if err != nil {
			return
		}
		// Whatever decodes must re-encode and decode to the same events.
		out, err := file.Encode()
		if err != nil {
			return
		}
		again, err := Decode(out)
		if err != nil {
			t.Fatalf("re-encoded file does not decode: %v", err)
		}
		if len(again.Tracks) != len(file.Tracks) {
			t.Fatalf("%d tracks became %d", len(file.Tracks), len(again.Tracks))
		}
	})
}
