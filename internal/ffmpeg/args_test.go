package ffmpeg

import (
	"slices"
	"strings"
	"testing"
)

func TestArgsBuild(t *testing.T) {
	t.Parallel()
	prefix := []string{"-hide_banner", "-nostdin", "-y", "-nostats", "-progress", "pipe:1"}
	tests := []struct {
		name  string
		build func() *Args
		want  []string
	}{
		{
			name: "raw frames from stdin into x264",
			build: func() *Args {
				return New().
					InputPipe(Format("rawvideo"), PixFmt("yuv420p"), Size(480, 270), FrameRate(30)).
					OutputOptions(VideoCodec("libx264"), Preset("veryfast"), Profile("high"), PixFmt("yuv420p")).
					Output("/tmp/out.mp4")
			},
			want: []string{"-protocol_whitelist", "file,pipe", "-f", "rawvideo", "-pix_fmt", "yuv420p",
				"-s", "480x270", "-r", "30", "-i", "pipe:0",
				"-c:v", "libx264", "-preset", "veryfast", "-profile:v", "high", "-pix_fmt", "yuv420p",
				"file:/tmp/out.mp4"},
		},
		{
			name: "merge with filter and maps",
			build: func() *Args {
				return New().
					Global(Opt("loglevel", "error")).
					Input("v.mp4").
					Input("a:b.wav", Opt("ss", "0")).
					FilterComplex("[1:a]afade=t=out:st=5:d=1[a]").
					Map("0:v").Map("[a]").
					OutputOptions(Opt("c:v", "copy"), AudioCodec("aac"), Opt("movflags", "+faststart"), Flag("shortest")).
					Output("-odd.mp4")
			},
			want: []string{"-loglevel", "error",
				"-protocol_whitelist", "file,pipe", "-i", "file:v.mp4",
				"-protocol_whitelist", "file,pipe", "-ss", "0", "-i", "file:a:b.wav",
				"-filter_complex", "[1:a]afade=t=out:st=5:d=1[a]", "-map", "0:v", "-map", "[a]",
				"-c:v", "copy", "-c:a", "aac", "-movflags", "+faststart", "-shortest",
				"file:-odd.mp4"},
		},
		{
			name: "lavfi source has no protocol whitelist and no file prefix",
			build: func() *Args {
				return New().InputLavfi("testsrc2=s=64x64:r=30", Duration(1.5)).
					OutputOptions(Frames(45)).Output("file:/x/y.mkv")
			},
			want: []string{"-f", "lavfi", "-t", "1.500000", "-i", "testsrc2=s=64x64:r=30",
				"-frames:v", "45", "file:/x/y.mkv"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := tt.build().Build()
			if err != nil {
				t.Fatal(err)
			}
			want := append(slices.Clone(prefix), tt.want...)
			if !slices.Equal(got, want) {
				t.Errorf("argv\n got %q\nwant %q", got, want)
			}
		})
	}
}

func TestArgsBuildErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		build func() *Args
		want  string
	}{
		{"no inputs", func() *Args { return New().Output("o.mp4") }, "no inputs"},
		{"no output", func() *Args { return New().Input("i.mp4") }, "no output"},
		{"empty input", func() *Args { return New().Input("").Output("o.mp4") }, "empty input"},
		{"stdout output", func() *Args { return New().Input("i.mp4").Output("pipe:1") }, "reserved for progress"},
		{"dash output", func() *Args { return New().Input("i.mp4").Output("-") }, "reserved for progress"},
		{"dashed key", func() *Args { return New().Input("i.mp4", Opt("-f", "x")).Output("o.mp4") }, "bad option key"},
		{"empty key", func() *Args { return New().Input("i.mp4").OutputOptions(Flag("")).Output("o.mp4") }, "bad option key"},
		{"space in key", func() *Args { return New().Global(Opt("a b", "1")).Input("i").Output("o") }, "bad option key"},
		{"empty lavfi", func() *Args { return New().InputLavfi("").Output("o.mp4") }, "empty lavfi"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := tt.build().Build()
			if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.HasPrefix(err.Error(), "ffmpeg: ") {
				t.Errorf("err = %v, want one containing %q", err, tt.want)
			}
		})
	}
}
