// Package music makes the song stage's sound: MakeSong plans and composes through
// package score, then renders the MIDI with FluidSynth and the General MIDI soundfont,
// adds the espeak-ng announcement, loudness-normalises and encodes to AAC. An external
// singing model (ACE-Step) can replace the rendered audio, and the plan is then retimed
// to it. Nothing here knows about HTTP or jobs.
package music
