// Package video makes the promotional video: RenderSlideshow turns ranked images and a
// song plan into a silent slideshow cut on the music's bars, and Merge muxes it with the
// song into the final MP4 and its thumbnail.
//
// The slideshow is drawn in Go rather than with ffmpeg filters. ffmpeg's zoompan crops
// on whole pixels, so slow Ken Burns moves wobble by a pixel or two a frame; here every
// frame is resampled with sub-pixel bilinear interpolation straight into yuv420p planes
// (AVX2 where available) and piped raw into x264, so moves are smooth and the renderer
// costs a fraction of the encode it feeds.
//
// The data path for one slideshow:
//
//	plan ──► timeline: shots on bar lines, transitions, caption spans, thumbnail frame
//	images ─► canvases: decoded once, fitted to the frame's shape (smart crop or the
//	          whole picture on a blurred fill), converted to Y'CbCr
//	profile ─► cards (opening, closing, fallback) and captions: lettering drawn once
//	           with the Nanum font into overlays with alpha; the logo heads the opening
//	           and closing cards on a plate, captions sit on a plate of the brand colour
//	frame f ─► painter: view of the shot's canvas along its move, transition, caption
//	         ─► pipe ─► ffmpeg/x264 ─► temp file ─► ffprobe check ─► rename
//
// Times come from the plan; frames are the unit inside the package (songplan.FPS). Plans
// use tempos that divide 60·FPS, so every bar starts on a whole frame and every cut lands
// exactly on a bar line.
package video
