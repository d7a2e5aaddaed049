package captions

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestParseVTT(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   string
		want []Cue
	}{
		{"minimal", "WEBVTT\n\n00:01.000 --> 00:02.500\nhello\n", []Cue{{1, 2.5, "hello"}}},
		{"no trailing newline", "WEBVTT\n\n00:01.000 --> 00:02.000\nhi", []Cue{{1, 2, "hi"}}},
		{"header text", "WEBVTT Lyrics\nKind: captions\n\n00:01.000 --> 00:02.000\nhi\n", []Cue{{1, 2, "hi"}}},
		{"tab after signature", "WEBVTT\tx\n\n00:01.000 --> 00:02.000\nhi\n", []Cue{{1, 2, "hi"}}},
		{"BOM", "\uFEFFWEBVTT\n\n00:01.000 --> 00:02.000\nhi\n", []Cue{{1, 2, "hi"}}},
		{"CRLF", "WEBVTT\r\n\r\n00:01.000 --> 00:02.000\r\nhi\r\nthere\r\n", []Cue{{1, 2, "hi\nthere"}}},
		{"CR only", "WEBVTT\r\r00:01.000 --> 00:02.000\rhi\r", []Cue{{1, 2, "hi"}}},
		{"cue ids", "WEBVTT\n\n1\n00:01.000 --> 00:02.000\na\n\nchorus-2\n00:03.000 --> 00:04.000\nb\n",
			[]Cue{{1, 2, "a"}, {3, 4, "b"}}},
		{"settings", "WEBVTT\n\n00:01.000 --> 00:02.000 align:start line:0 position:10%\nhi\n", []Cue{{1, 2, "hi"}}},
		{"tabs around the arrow", "WEBVTT\n\n00:01.000\t-->\t00:02.000\tline:0\nhi\n", []Cue{{1, 2, "hi"}}},
		{"hours", "WEBVTT\n\n01:02:03.004 --> 123:00:00.000\nhi\n", []Cue{{3723.004, 442800, "hi"}}},
		{"NOTE STYLE REGION skipped", "WEBVTT\n\nNOTE hi\n\nSTYLE\n::cue{}\n\nREGION\nid:r\n\n00:01.000 --> 00:02.000\nhi\n\nNOTE\nend note\n",
			[]Cue{{1, 2, "hi"}}},
		{"tags removed", "WEBVTT\n\n00:01.000 --> 00:02.000\n<v Singer>la <b>la</b> <00:01.500>la</v>\n", []Cue{{1, 2, "la la la"}}},
		{"entities", "WEBVTT\n\n00:01.000 --> 00:02.000\n&lt;3 &amp; &gt; &nbsp;&lrm;&rlm; &unknown;\n",
			[]Cue{{1, 2, "<3 & > \u00a0\u200e\u200f &unknown;"}}},
		{"decoded < is not a tag", "WEBVTT\n\n00:01.000 --> 00:02.000\n&lt;b&gt;bold&lt;/b&gt;\n", []Cue{{1, 2, "<b>bold</b>"}}},
		{"unclosed tag", "WEBVTT\n\n00:01.000 --> 00:02.000\nkeep <b\n", []Cue{{1, 2, "keep "}}},
		{"tag-only line dropped", "WEBVTT\n\n00:01.000 --> 00:02.000\na\n<b></b>\nb\n", []Cue{{1, 2, "a\nb"}}},
		{"empty cue", "WEBVTT\n\n00:01.000 --> 00:02.000\n\n00:03.000 --> 00:04.000\nb\n", []Cue{{1, 2, ""}, {3, 4, "b"}}},
		{"cues without blank lines between", "WEBVTT\n\n00:01.000 --> 00:02.000\na\n00:03.000 --> 00:04.000\nb\n",
			[]Cue{{1, 2, "a"}, {3, 4, "b"}}},
		{"stray text block skipped", "WEBVTT\n\nsome\nstray\ntext\n\n00:01.000 --> 00:02.000\nhi\n", []Cue{{1, 2, "hi"}}},
		{"overlapping cues kept as written", "WEBVTT\n\n00:01.000 --> 00:03.000\na\n\n00:02.000 --> 00:04.000\nb\n",
			[]Cue{{1, 3, "a"}, {2, 4, "b"}}},
		{"invalid UTF-8 and NUL replaced", "WEBVTT\n\n00:01.000 --> 00:02.000\na\xffb\x00c\n", []Cue{{1, 2, "a\uFFFDb\uFFFDc"}}},
		{"no cues", "WEBVTT\n", []Cue{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := ParseVTT(strings.NewReader(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("ParseVTT =\n%#v\nwant\n%#v", got, tt.want)
			}
		})
	}
}

func TestParseVTTErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in, want string
		notVTT         bool
	}{
		{"empty", "", "WEBVTT", true},
		{"SRT", "1\n00:00:01,000 --> 00:00:02,000\nhi\n", "WEBVTT", true},
		{"lower-case signature", "webvtt\n\n00:01.000 --> 00:02.000\nhi\n", "WEBVTT", true},
		{"signature run on", "WEBVTTX\n", "WEBVTT", true},
		{"cue in the header", "WEBVTT\n00:01.000 --> 00:02.000\nhi\n", "blank line after the header", true},
		{"comma decimal", "WEBVTT\n\n00:01,000 --> 00:02,000\nhi\n", "line 3: bad timestamp", false},
		{"two-digit millis", "WEBVTT\n\n00:01.00 --> 00:02.000\nhi\n", "bad timestamp", false},
		{"one-digit seconds", "WEBVTT\n\n00:1.000 --> 00:02.000\nhi\n", "bad timestamp", false},
		{"seconds over 59", "WEBVTT\n\n00:60.000 --> 01:02.000\nhi\n", "bad timestamp", false},
		{"minutes over 59", "WEBVTT\n\n00:60:00.000 --> 01:02:00.000\nhi\n", "bad timestamp", false},
		{"no end", "WEBVTT\n\n00:01.000 -->\nhi\n", "bad timestamp", false},
		{"signs", "WEBVTT\n\n-0:01.000 --> 00:02.000\nhi\n", "bad timestamp", false},
		{"ends before start", "WEBVTT\n\n1\n00:05.000 --> 00:02.000\nhi\n", "line 4: the cue ends", false},
		{"zero length", "WEBVTT\n\n00:05.000 --> 00:05.000\nhi\n", "the cue ends", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := ParseVTT(strings.NewReader(tt.in))
			if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.HasPrefix(err.Error(), "captions: ") {
				t.Fatalf("err = %v, want one containing %q", err, tt.want)
			}
			if errors.Is(err, ErrNotVTT) != tt.notVTT {
				t.Errorf("errors.Is(err, ErrNotVTT) = %v", !tt.notVTT)
			}
		})
	}
	big := "WEBVTT\n\n" + strings.Repeat("x", maxVTTBytes)
	if _, err := ParseVTT(strings.NewReader(big)); err == nil || !strings.Contains(err.Error(), "over") {
		t.Errorf("oversize: err = %v", err)
	}
}

// TestParsePlayerFile reads a file written the way players and editors write them,
// in every line-end and BOM variant.
func TestParsePlayerFile(t *testing.T) {
	t.Parallel()
	raw, err := os.ReadFile(filepath.Join("testdata", "parse", "player.vtt"))
	if err != nil {
		t.Fatal(err)
	}
	want := []Cue{
		{1.5, 4, "커피 향이 가득한 아침"},
		{4, 6.25, "Fish & chips <3\nsecond line > first"},
		{3600, 3601, "노래 \u00a0끝"},
	}
	variants := map[string]string{
		"LF":       string(raw),
		"CRLF":     strings.ReplaceAll(string(raw), "\n", "\r\n"),
		"CR":       strings.ReplaceAll(string(raw), "\n", "\r"),
		"BOM+CRLF": "\uFEFF" + strings.ReplaceAll(string(raw), "\n", "\r\n"),
	}
	for name, in := range variants {
		got, err := ParseVTT(strings.NewReader(in))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: got\n%#v\nwant\n%#v", name, got, want)
		}
	}
}

// FuzzParseVTT: any input either fails cleanly or gives cues that survive a write and
// a second read unchanged.
func FuzzParseVTT(f *testing.F) {
	if raw, err := os.ReadFile(filepath.Join("testdata", "parse", "player.vtt")); err == nil {
		f.Add(raw)
	}
	if raw, err := os.ReadFile(filepath.Join("testdata", "golden", "song.vtt")); err == nil {
		f.Add(raw)
	}
	f.Add([]byte("WEBVTT\n\n00:01.000 --> 00:02.000\nhi\n"))
	f.Add([]byte("\uFEFFWEBVTT\r\n\r\nid\r\n01:00:01.000 --> 01:00:02.000 line:0\r\n<b>&amp;</b>\r\n"))
	f.Add([]byte("WEBVTT\n\n00:01.000 --> 00:02.000\n--&gt; &lt;v&gt;\n00:02.000 --> 00:03.000\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		cues, err := ParseVTT(bytes.NewReader(data))
		if err != nil {
			return
		}
		out, err := FormatVTT(cues)
		if err != nil {
			t.Fatalf("FormatVTT of parsed cues %#v: %v", cues, err)
		}
		back, err := ParseVTT(bytes.NewReader(out))
		if err != nil {
			t.Fatalf("ParseVTT of our own file: %v\n%q", err, out)
		}
		if !reflect.DeepEqual(back, cues) {
			t.Errorf("second read\n%#v\nfirst\n%#v\nfile %q", back, cues, out)
		}
	})
}
