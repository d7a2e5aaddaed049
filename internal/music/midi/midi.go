// Package midi writes and reads Standard MIDI Files (format 1): just what the O2Sound
// composer produces and its tests inspect — notes, program and controller changes,
// tempo, time and key signatures, markers and lyric events.
package midi

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"slices"
)

// Event is one timed MIDI or meta event. Ticks are absolute from the start of the track.
type Event struct {
	Tick int64
	// Status is the MIDI status byte (0x80–0xEF, channel in the low nibble) or 0xFF for a
	// meta event, in which case Meta holds the meta type.
	Status byte
	Meta   byte
	Data   []byte
}

// Channel is the event's channel (0–15) for channel messages.
func (e Event) Channel() int { return int(e.Status & 0x0F) }

// Kind is the status without the channel: 0x90 note on, 0x80 note off, 0xC0 program …
func (e Event) Kind() byte {
	if e.Status == 0xFF {
		return 0xFF
	}
	return e.Status & 0xF0
}

// Meta event types used here.
const (
	MetaTrackName = 0x03
	MetaLyric     = 0x05
	MetaMarker    = 0x06
	MetaEndTrack  = 0x2F
	MetaTempo     = 0x51
	MetaTimeSig   = 0x58
	MetaKeySig    = 0x59
)

// Track is an ordered list of events.
type Track struct {
	Events []Event
	seq    []int // insertion order, to keep Sort stable per tick across re-sorts
}

func (t *Track) add(e Event) {
	t.Events = append(t.Events, e)
	t.seq = append(t.seq, len(t.seq))
}

// NoteOn adds a note-on; a note-off must follow via NoteOff or Note.
func (t *Track) NoteOn(tick int64, ch, key, vel int) {
	t.add(Event{Tick: tick, Status: 0x90 | byte(ch&0x0F), Data: []byte{clamp7(key), clamp7(vel)}})
}

// NoteOff adds a note-off.
func (t *Track) NoteOff(tick int64, ch, key int) {
	t.add(Event{Tick: tick, Status: 0x80 | byte(ch&0x0F), Data: []byte{clamp7(key), 0x40}})
}

// Note adds a note with its duration in ticks.
func (t *Track) Note(tick, dur int64, ch, key, vel int) {
	if dur < 1 {
		dur = 1
	}
	t.NoteOn(tick, ch, key, vel)
	t.NoteOff(tick+dur, ch, key)
}

// Program selects an instrument (0-based General MIDI number).
func (t *Track) Program(tick int64, ch, program int) {
	t.add(Event{Tick: tick, Status: 0xC0 | byte(ch&0x0F), Data: []byte{clamp7(program)}})
}

// Control sends a controller change (7 volume, 10 pan, 91 reverb, 93 chorus, 64 sustain).
func (t *Track) Control(tick int64, ch, controller, value int) {
	t.add(Event{Tick: tick, Status: 0xB0 | byte(ch&0x0F), Data: []byte{clamp7(controller), clamp7(value)}})
}

// MetaText adds a text-like meta event (track name, lyric, marker).
func (t *Track) MetaText(tick int64, typ byte, text string) {
	t.add(Event{Tick: tick, Status: 0xFF, Meta: typ, Data: []byte(text)})
}

// Tempo sets the tempo in microseconds per quarter note.
func (t *Track) Tempo(tick int64, usPerQuarter int) {
	t.add(Event{Tick: tick, Status: 0xFF, Meta: MetaTempo, Data: []byte{byte(usPerQuarter >> 16), byte(usPerQuarter >> 8), byte(usPerQuarter)}})
}

// TimeSignature sets num/2^denPow with the usual 24 clocks per click, 8 32nds per quarter.
func (t *Track) TimeSignature(tick int64, num, denPow int) {
	t.add(Event{Tick: tick, Status: 0xFF, Meta: MetaTimeSig, Data: []byte{byte(num), byte(denPow), 24, 8}})
}

// KeySignature sets sharps (negative for flats) and major (false) or minor (true).
func (t *Track) KeySignature(tick int64, sharps int, minor bool) {
	m := byte(0)
	if minor {
		m = 1
	}
	t.add(Event{Tick: tick, Status: 0xFF, Meta: MetaKeySig, Data: []byte{byte(int8(sharps)), m}})
}

// sort orders events by tick; at the same tick, note-offs come before everything else so
// a repeated note is released before it is struck again, and meta/setup events come
// before note-ons. Otherwise insertion order is kept, which makes the bytes deterministic.
func (t *Track) sort() {
	if len(t.seq) != len(t.Events) {
		// Events was edited directly (decoded files, filters): its current order is the
		// insertion order.
		t.seq = make([]int, len(t.Events))
		for i := range t.seq {
			t.seq[i] = i
		}
	}
	idx := make([]int, len(t.Events))
	for i := range idx {
		idx[i] = i
	}
	rank := func(e Event) int {
		switch {
		case e.Kind() == 0x80 || (e.Kind() == 0x90 && len(e.Data) == 2 && e.Data[1] == 0):
			return 0
		case e.Status == 0xFF, e.Kind() == 0xB0, e.Kind() == 0xC0:
			return 1
		default:
			return 2
		}
	}
	slices.SortStableFunc(idx, func(a, b int) int {
		ea, eb := t.Events[a], t.Events[b]
		if ea.Tick != eb.Tick {
			if ea.Tick < eb.Tick {
				return -1
			}
			return 1
		}
		if ra, rb := rank(ea), rank(eb); ra != rb {
			return ra - rb
		}
		return t.seq[a] - t.seq[b]
	})
	events := make([]Event, len(idx))
	seq := make([]int, len(idx))
	for i, j := range idx {
		events[i] = t.Events[j]
		seq[i] = t.seq[j]
	}
	t.Events, t.seq = events, seq
}

// File is a format 1 MIDI file: one conductor track (tempo, meter) plus instrument tracks.
type File struct {
	Division int // ticks per quarter note
	Tracks   []*Track
}

// NewTrack appends and returns a new track.
func (f *File) NewTrack() *Track {
	t := &Track{}
	f.Tracks = append(f.Tracks, t)
	return t
}

// Encode writes the file as SMF bytes. Each track is sorted and ended with End of Track
// at its last event's tick.
func (f *File) Encode() ([]byte, error) {
	if f.Division <= 0 || f.Division > 0x7FFF {
		return nil, fmt.Errorf("midi: division %d", f.Division)
	}
	var buf bytes.Buffer
	buf.WriteString("MThd")
	binary.Write(&buf, binary.BigEndian, uint32(6))
	binary.Write(&buf, binary.BigEndian, uint16(1))
	binary.Write(&buf, binary.BigEndian, uint16(len(f.Tracks)))
	binary.Write(&buf, binary.BigEndian, uint16(f.Division))
	for i, t := range f.Tracks {
		t.sort()
		var tb bytes.Buffer
		var last int64
		for _, e := range t.Events {
			if e.Tick < 0 {
				return nil, fmt.Errorf("midi: track %d: negative tick %d", i, e.Tick)
			}
			if e.Status == 0xFF && e.Meta == MetaEndTrack {
				continue // written once below
			}
			// A delta is at most four 7-bit groups; a longer gap (events a decoded file
			// skipped, such as sysex, can leave one) cannot be written.
			if e.Tick-last > maxVarLen {
				return nil, fmt.Errorf("midi: track %d: a gap of %d ticks is longer than a MIDI file can hold", i, e.Tick-last)
			}
			writeVarLen(&tb, uint64(e.Tick-last))
			last = e.Tick
			tb.WriteByte(e.Status)
			if e.Status == 0xFF {
				tb.WriteByte(e.Meta)
				writeVarLen(&tb, uint64(len(e.Data)))
			}
			tb.Write(e.Data)
		}
		tb.Write([]byte{0x00, 0xFF, MetaEndTrack, 0x00})
		buf.WriteString("MTrk")
		binary.Write(&buf, binary.BigEndian, uint32(tb.Len()))
		buf.Write(tb.Bytes())
	}
	return buf.Bytes(), nil
}

// maxVarLen is the largest variable-length quantity a MIDI file can hold.
const maxVarLen = 0x0FFFFFFF

func writeVarLen(w *bytes.Buffer, v uint64) {
	var tmp [10]byte
	n := 0
	tmp[n] = byte(v & 0x7F)
	for v >>= 7; v > 0; v >>= 7 {
		n++
		tmp[n] = byte(v&0x7F) | 0x80
	}
	for ; n >= 0; n-- {
		w.WriteByte(tmp[n])
	}
}

func clamp7(v int) byte {
	switch {
	case v < 0:
		return 0
	case v > 127:
		return 127
	}
	return byte(v)
}

// Limits for Decode, which may see files from outside (a user's upload, a provider).
const (
	maxTracks      = 256
	maxTrackEvents = 1 << 20
)

// ErrFormat is wrapped by every decoding error.
var ErrFormat = errors.New("midi: malformed file")

// Decode parses an SMF (format 0 or 1). Running status, sysex and all meta events are
// understood; sysex data is skipped.
func Decode(b []byte) (*File, error) {
	r := bufio.NewReader(bytes.NewReader(b))
	var hdr [14]byte
	if _, err := io.ReadFull(r, hdr[:]); err != nil || string(hdr[:4]) != "MThd" {
		return nil, fmt.Errorf("%w: no MThd header", ErrFormat)
	}
	hlen := binary.BigEndian.Uint32(hdr[4:8])
	if hlen < 6 || hlen > 1<<16 {
		return nil, fmt.Errorf("%w: header length %d", ErrFormat, hlen)
	}
	format := binary.BigEndian.Uint16(hdr[8:10])
	ntracks := int(binary.BigEndian.Uint16(hdr[10:12]))
	div := int(binary.BigEndian.Uint16(hdr[12:14]))
	if format > 1 || div == 0 || div&0x8000 != 0 || ntracks > maxTracks {
		return nil, fmt.Errorf("%w: format %d, %d tracks, division %#x", ErrFormat, format, ntracks, div)
	}
	if _, err := r.Discard(int(hlen) - 6); err != nil {
		return nil, fmt.Errorf("%w: short header", ErrFormat)
	}
	f := &File{Division: div}
	for i := 0; i < ntracks; i++ {
		var th [8]byte
		if _, err := io.ReadFull(r, th[:]); err != nil {
			return nil, fmt.Errorf("%w: track %d: %v", ErrFormat, i, err)
		}
		n := binary.BigEndian.Uint32(th[4:])
		if n > uint32(len(b)) {
			return nil, fmt.Errorf("%w: track %d length %d", ErrFormat, i, n)
		}
		data := make([]byte, n)
		if _, err := io.ReadFull(r, data); err != nil {
			return nil, fmt.Errorf("%w: track %d truncated", ErrFormat, i)
		}
		if string(th[:4]) != "MTrk" {
			i-- // an unknown chunk does not count as a track; skip it, as the spec asks
			continue
		}
		t, err := decodeTrack(data)
		if err != nil {
			return nil, fmt.Errorf("%w: track %d: %v", ErrFormat, i, err)
		}
		f.Tracks = append(f.Tracks, t)
	}
	return f, nil
}

func decodeTrack(data []byte) (*Track, error) {
	t := &Track{}
	var tick int64
	var running byte
	p := 0
	readVar := func() (uint64, error) {
		var v uint64
		for i := 0; i < 4; i++ {
			if p >= len(data) {
				return 0, io.ErrUnexpectedEOF
			}
			c := data[p]
			p++
			v = v<<7 | uint64(c&0x7F)
			if c&0x80 == 0 {
				return v, nil
			}
		}
		return 0, errors.New("variable-length quantity too long")
	}
	for p < len(data) {
		if len(t.Events) >= maxTrackEvents {
			return nil, errors.New("too many events")
		}
		d, err := readVar()
		if err != nil {
			return nil, err
		}
		tick += int64(d)
		if p >= len(data) {
			return nil, io.ErrUnexpectedEOF
		}
		status := data[p]
		switch {
		case status == 0xFF:
			if p+2 > len(data) {
				return nil, io.ErrUnexpectedEOF
			}
			typ := data[p+1]
			p += 2
			n, err := readVar()
			if err != nil {
				return nil, err
			}
			if uint64(len(data)-p) < n {
				return nil, io.ErrUnexpectedEOF
			}
			t.add(Event{Tick: tick, Status: 0xFF, Meta: typ, Data: slices.Clone(data[p : p+int(n)])})
			p += int(n)
			if typ == MetaEndTrack {
				return t, nil
			}
		case status == 0xF0 || status == 0xF7:
			p++
			n, err := readVar()
			if err != nil {
				return nil, err
			}
			if uint64(len(data)-p) < n {
				return nil, io.ErrUnexpectedEOF
			}
			p += int(n)
		default:
			if status&0x80 != 0 {
				running = status
				p++
			} else if running == 0 {
				return nil, fmt.Errorf("data byte %#x without status", status)
			}
			if running >= 0xF0 {
				return nil, fmt.Errorf("system message %#x in track", running)
			}
			size := 2
			if k := running & 0xF0; k == 0xC0 || k == 0xD0 {
				size = 1
			}
			if p+size > len(data) {
				return nil, io.ErrUnexpectedEOF
			}
			t.add(Event{Tick: tick, Status: running, Data: slices.Clone(data[p : p+size])})
			p += size
		}
	}
	return t, nil
}
