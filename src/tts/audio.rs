//! From a transcript to one audio file: the speech plan (one request per
//! piece of text, sized for the chosen engine, with the lexicon applied and
//! the pause the SSML describes after it), the cache key of each request,
//! and the joining of the synthesised WAV pieces with those pauses as
//! silence, plus a WebVTT file of chapters (one cue per section).
//!
//! WAV is read and written with `hound`: joining pieces of one format is
//! appending their frames, so no decoder is needed (the engines are asked
//! for WAV). A streamed WAV whose header gives no length (0 or
//! `0xFFFFFFFF`, as servers that stream write it) is mended first. Pure:
//! bytes in, bytes out.

use std::io::Cursor;

use crate::model::{ChunkKind, Lang, Pause, TITLE_ID, Transcript};
use crate::tts::chunk::{self, Limit};
use crate::tts::lexicon::Lexicon;
use crate::tts::ssml;

/// The silence after a paragraph (and a heading), in milliseconds: the SSML's 700 ms break.
pub(crate) const PARAGRAPH_MS: u32 = 700;
/// The silence after the title and each section's text: the SSML's 1,500 ms break.
pub(crate) const SECTION_MS: u32 = 1500;

/// What an engine reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Markup {
    /// Plain text (the lexicon's aliases applied).
    Text,
    /// One SSML `<speak>` document per request (the lexicon's `<phoneme>`s).
    Ssml,
}

/// One synthesiser request of the plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Piece {
    /// The section it belongs to (`title`, `0`, `1.2`, …).
    pub(crate) section: String,
    /// The chapter title when this piece starts a section (its heading as written).
    pub(crate) chapter: Option<String>,
    /// What is sent: plain text or an SSML document.
    pub(crate) input: String,
    /// Characters of spoken text in it (markup not counted).
    pub(crate) chars: usize,
    /// Silence after it, in milliseconds (none after the last piece).
    pub(crate) pause_ms: u32,
}

fn pause_ms(p: Pause) -> u32 {
    match p {
        Pause::Sentence => 0,
        Pause::Paragraph => PARAGRAPH_MS,
        Pause::Section => SECTION_MS,
    }
}

/// The requests for `t`: one per chunk, and more when the lexicon's
/// respellings push a chunk over `limit` (cut again with the transcript's
/// own rules, so every request stays within the engine's limit).
pub(crate) fn plan(t: &Transcript, markup: Markup, lexicon: &Lexicon, limit: &Limit) -> Vec<Piece> {
    let mut out: Vec<Piece> = Vec::new();
    for c in &t.chunks {
        let starts = out.last().is_none_or(|p| p.section != c.section_id);
        let chapter = starts.then(|| match c.kind {
            ChunkKind::Heading => c.text.clone(),
            ChunkKind::Body if c.section_id == TITLE_ID => c.text.clone(),
            // A section without a heading (the opening): its first words.
            ChunkKind::Body => {
                let words: String = c.text.chars().take(24).collect();
                if words.len() < c.text.len() { format!("{words}…") } else { words }
            }
        });
        let texts = match markup {
            Markup::Ssml => vec![c.text.clone()],
            Markup::Text => {
                let s = lexicon.respell(&c.text);
                if limit.fits(&s) { vec![s] } else { chunk::fit_normalized(&s, t.lang, limit) }
            }
        };
        let n = texts.len();
        for (i, text) in texts.into_iter().enumerate() {
            let input = match markup {
                Markup::Text => text.clone(),
                Markup::Ssml => ssml::chunk_request(&text, t.lang, lexicon),
            };
            out.push(Piece {
                section: c.section_id.clone(),
                chapter: if i == 0 { chapter.clone() } else { None },
                chars: text.chars().count(),
                input,
                pause_ms: if i + 1 == n { pause_ms(c.pause_after) } else { 0 },
            });
        }
    }
    if let Some(last) = out.last_mut() {
        last.pause_ms = 0;
    }
    out
}

/// The requests for a spoken twin (`briefing.tts.txt`): its blocks (split at
/// blank lines) cut to `limit`, a paragraph's pause after each block, a
/// chapter per block.
pub(crate) fn plan_text(
    text: &str,
    lang: Lang,
    markup: Markup,
    lexicon: &Lexicon,
    limit: &Limit,
) -> Vec<Piece> {
    let mut out = Vec::new();
    for (b, block) in text.split("\n\n").map(str::trim).filter(|b| !b.is_empty()).enumerate() {
        let flat = block.split_whitespace().collect::<Vec<_>>().join(" ");
        let flat = if lang == Lang::Zh { flat.replace(' ', "") } else { flat };
        let spoken = match markup {
            Markup::Text => lexicon.respell(&flat),
            Markup::Ssml => flat.clone(),
        };
        let pieces = if limit.fits(&spoken) {
            vec![spoken]
        } else {
            chunk::fit_normalized(&spoken, lang, limit)
        };
        let n = pieces.len();
        for (i, p) in pieces.into_iter().enumerate() {
            let input = match markup {
                Markup::Text => p.clone(),
                Markup::Ssml => ssml::chunk_request(&p, lang, lexicon),
            };
            out.push(Piece {
                section: b.to_string(),
                chapter: (i == 0).then(|| flat.chars().take(60).collect()),
                chars: p.chars().count(),
                input,
                pause_ms: if i + 1 == n { PARAGRAPH_MS } else { 0 },
            });
        }
    }
    if let Some(last) = out.last_mut() {
        last.pause_ms = 0;
    }
    out
}

/// The cache key of one request: every field that changes the audio
/// (engine, base URL or program, model, voice, speed, format, lexicon
/// version, the text), hashed.
pub(crate) fn cache_key(fields: &[(&str, &str)], input: &str) -> String {
    let mut h = blake3::Hasher::new();
    h.update(b"speechdigest-tts-1\0");
    for (k, v) in fields {
        h.update(k.as_bytes());
        h.update(b"=");
        h.update(&(v.len() as u64).to_le_bytes());
        h.update(v.as_bytes());
        h.update(b"\0");
    }
    h.update(input.as_bytes());
    h.finalize().to_hex().to_string()
}

/// Decoded audio: its format and samples.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Pcm {
    /// Channels, rate, bits, int or float.
    pub(crate) spec: hound::WavSpec,
    /// Integer samples (interleaved), for integer formats.
    ints: Vec<i32>,
    /// Float samples (interleaved), for float formats.
    floats: Vec<f32>,
}

impl Pcm {
    /// Frames (samples per channel).
    pub(crate) fn frames(&self) -> usize {
        (self.ints.len() + self.floats.len()) / usize::from(self.spec.channels.max(1))
    }

    #[cfg(test)]
    /// Its length in seconds.
    pub(crate) fn seconds(&self) -> f64 {
        self.frames() as f64 / f64::from(self.spec.sample_rate.max(1))
    }
}

/// Mends a streamed WAV header (RIFF or data length 0 or past the end).
fn mend_header(bytes: &[u8]) -> Vec<u8> {
    let mut b = bytes.to_vec();
    if b.len() < 12 || &b[0..4] != b"RIFF" || &b[8..12] != b"WAVE" {
        return b;
    }
    let riff = (b.len() - 8) as u32;
    b[4..8].copy_from_slice(&riff.to_le_bytes());
    let mut at = 12;
    while at + 8 <= b.len() {
        let id = [b[at], b[at + 1], b[at + 2], b[at + 3]];
        let len = u32::from_le_bytes([b[at + 4], b[at + 5], b[at + 6], b[at + 7]]) as usize;
        let rest = b.len() - at - 8;
        if &id == b"data" {
            if len == 0 || len > rest {
                let fixed = (rest - rest % 2) as u32;
                b[at + 4..at + 8].copy_from_slice(&fixed.to_le_bytes());
            }
            break;
        }
        at += 8 + len + len % 2;
    }
    b
}

/// Reads a WAV file.
///
/// # Errors
/// Bytes that are not a WAV hound can read (as a message).
pub(crate) fn read_wav(bytes: &[u8]) -> Result<Pcm, String> {
    let mended = mend_header(bytes);
    let r =
        hound::WavReader::new(Cursor::new(&mended[..])).map_err(|e| format!("not a WAV: {e}"))?;
    let spec = r.spec();
    let bad = |e: hound::Error| format!("broken WAV data: {e}");
    let (ints, floats) = match spec.sample_format {
        hound::SampleFormat::Int => {
            (r.into_samples::<i32>().collect::<Result<Vec<_>, _>>().map_err(bad)?, Vec::new())
        }
        hound::SampleFormat::Float => {
            (Vec::new(), r.into_samples::<f32>().collect::<Result<Vec<_>, _>>().map_err(bad)?)
        }
    };
    Ok(Pcm { spec, ints, floats })
}

/// Raw 16-bit little-endian mono PCM at `rate` (OpenAI's `pcm` format: 24 kHz).
pub(crate) fn from_pcm16(bytes: &[u8], rate: u32) -> Pcm {
    let ints = bytes.chunks_exact(2).map(|c| i32::from(i16::from_le_bytes([c[0], c[1]]))).collect();
    let spec = hound::WavSpec {
        channels: 1,
        sample_rate: rate,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    Pcm { spec, ints, floats: Vec::new() }
}

/// The joined audio: the file and where each piece starts.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Joined {
    /// The WAV file.
    pub(crate) wav: Vec<u8>,
    /// Its length in seconds.
    pub(crate) seconds: f64,
    /// Each piece's start, in seconds.
    pub(crate) starts: Vec<f64>,
}

/// Joins `parts` (each piece's audio and the silence after it, in
/// milliseconds) into one WAV of the first part's format.
///
/// # Errors
/// No parts, or a part of another format (rate, channels, sample size) than
/// the first: the engine changed voice or format mid-way.
pub(crate) fn join(parts: &[(Pcm, u32)]) -> Result<Joined, String> {
    let first = parts.first().ok_or("no audio to join")?.0.spec;
    let mut ints: Vec<i32> = Vec::new();
    let mut floats: Vec<f32> = Vec::new();
    let ch = usize::from(first.channels.max(1));
    let mut starts = Vec::with_capacity(parts.len());
    let mut frames = 0usize;
    for (i, (p, pause)) in parts.iter().enumerate() {
        if p.spec != first {
            return Err(format!(
                "piece {} is {} Hz, {} channel(s), {} bits; the first is {} Hz, {} channel(s), {} bits",
                i + 1,
                p.spec.sample_rate,
                p.spec.channels,
                p.spec.bits_per_sample,
                first.sample_rate,
                first.channels,
                first.bits_per_sample
            ));
        }
        starts.push(frames as f64 / f64::from(first.sample_rate.max(1)));
        ints.extend_from_slice(&p.ints);
        floats.extend_from_slice(&p.floats);
        let silence = silence_frames(first.sample_rate, *pause);
        match first.sample_format {
            hound::SampleFormat::Int => ints.resize(ints.len() + silence * ch, 0),
            hound::SampleFormat::Float => floats.resize(floats.len() + silence * ch, 0.0),
        }
        frames += p.frames() + silence;
    }
    let mut out = Cursor::new(Vec::new());
    {
        let mut w = hound::WavWriter::new(&mut out, first).map_err(|e| e.to_string())?;
        for s in &ints {
            w.write_sample(*s).map_err(|e| e.to_string())?;
        }
        for s in &floats {
            w.write_sample(*s).map_err(|e| e.to_string())?;
        }
        w.finalize().map_err(|e| e.to_string())?;
    }
    Ok(Joined {
        wav: out.into_inner(),
        seconds: frames as f64 / f64::from(first.sample_rate.max(1)),
        starts,
    })
}

/// Frames of `ms` milliseconds of silence at `rate`.
pub(crate) fn silence_frames(rate: u32, ms: u32) -> usize {
    (u64::from(rate) * u64::from(ms) / 1000) as usize
}

/// `HH:MM:SS.mmm`.
fn timestamp(s: f64) -> String {
    let ms = (s.max(0.0) * 1000.0).round() as u64;
    format!("{:02}:{:02}:{:02}.{:03}", ms / 3_600_000, ms / 60_000 % 60, ms / 1000 % 60, ms % 1000)
}

/// A WebVTT chapters file: one cue per piece that starts a chapter, from its
/// start to the next chapter's (the last to the end).
pub(crate) fn chapters_vtt(pieces: &[Piece], starts: &[f64], seconds: f64) -> String {
    let marks: Vec<(f64, &str)> = pieces
        .iter()
        .zip(starts)
        .filter_map(|(p, s)| p.chapter.as_deref().map(|c| (*s, c)))
        .collect();
    let mut out = String::from("WEBVTT\n");
    for (i, (start, title)) in marks.iter().enumerate() {
        let end = marks.get(i + 1).map_or(seconds, |m| m.0);
        // A cue's text may not hold `-->` or a blank line.
        let title = title.replace("-->", "→").replace('\n', " ");
        out.push_str(&format!(
            "\n{}\n{} --> {}\n{}\n",
            i + 1,
            timestamp(*start),
            timestamp(end),
            title
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Chunk;

    fn wav(frames: usize, rate: u32) -> Vec<u8> {
        let spec = hound::WavSpec {
            channels: 1,
            sample_rate: rate,
            bits_per_sample: 16,
            sample_format: hound::SampleFormat::Int,
        };
        let mut c = Cursor::new(Vec::new());
        let mut w = hound::WavWriter::new(&mut c, spec).unwrap();
        for i in 0..frames {
            w.write_sample((i % 100) as i16).unwrap();
        }
        w.finalize().unwrap();
        c.into_inner()
    }

    #[test]
    fn joined_length_is_pieces_plus_pauses() {
        let parts = vec![
            (read_wav(&wav(8000, 8000)).unwrap(), 700),
            (read_wav(&wav(4000, 8000)).unwrap(), 1500),
            (read_wav(&wav(800, 8000)).unwrap(), 0),
        ];
        let j = join(&parts).unwrap();
        assert!((j.seconds - (1.0 + 0.7 + 0.5 + 1.5 + 0.1)).abs() < 1e-9, "{}", j.seconds);
        assert_eq!(j.starts, vec![0.0, 1.7, 3.7]);
        let back = read_wav(&j.wav).unwrap();
        assert!((back.seconds() - j.seconds).abs() < 1e-9);
        let other = read_wav(&wav(10, 16000)).unwrap();
        assert!(join(&[(parts[0].0.clone(), 0), (other, 0)]).unwrap_err().contains("16000 Hz"));
        assert!(join(&[]).is_err());
    }

    #[test]
    fn streamed_headers_are_mended_and_garbage_refused() {
        let mut w = wav(1000, 8000);
        w[4..8].copy_from_slice(&u32::MAX.to_le_bytes());
        w[40..44].copy_from_slice(&u32::MAX.to_le_bytes());
        assert_eq!(read_wav(&w).unwrap().frames(), 1000);
        assert!(read_wav(b"<html>error</html>").is_err());
        assert_eq!(from_pcm16(&[0; 48000], 24000).seconds(), 1.0);
    }

    fn transcript() -> Transcript {
        let c = |id: &str, kind, text: &str, pause_after| Chunk {
            section_id: id.to_owned(),
            kind,
            text: text.to_owned(),
            pause_after,
        };
        Transcript {
            lang: Lang::Zh,
            chunks: vec![
                c("title", ChunkKind::Heading, "讲话。", Pause::Section),
                c("1", ChunkKind::Heading, "一、重庆。", Pause::Paragraph),
                c("1", ChunkKind::Body, "重庆银行行长说。", Pause::Sentence),
                c("1", ChunkKind::Body, "好。", Pause::Section),
                c("2", ChunkKind::Body, "散会。", Pause::Section),
            ],
        }
    }

    #[test]
    fn the_plan_keeps_limits_pauses_and_chapters() {
        let lex = Lexicon::parse("重庆\t虫庆庆庆庆庆\tchóng qìng\n").unwrap();
        let limit = Limit { chars: 8, bytes: None };
        let p = plan(&transcript(), Markup::Text, &lex, &limit);
        assert!(p.iter().all(|p| p.chars <= 8 && limit.fits(&p.input)), "{p:#?}");
        assert!(p.iter().any(|p| p.input.contains("虫庆")));
        let pauses: Vec<u32> = p.iter().map(|p| p.pause_ms).collect();
        assert_eq!(pauses.first(), Some(&SECTION_MS));
        assert_eq!(pauses.last(), Some(&0));
        let chapters: Vec<&str> = p.iter().filter_map(|p| p.chapter.as_deref()).collect();
        assert_eq!(chapters, ["讲话。", "一、重庆。", "散会。"]);
        let s = plan(&transcript(), Markup::Ssml, &lex, &limit);
        assert_eq!(s.len(), 5);
        assert!(
            s[2].input.contains(r#"<phoneme alphabet="x-pinyin" ph="chóng qìng">重庆</phoneme>"#)
        );
        assert!(!s[2].input.contains("<break"), "pauses are silence we add: {}", s[2].input);
        let starts: Vec<f64> = (0..5).map(f64::from).collect();
        let vtt = chapters_vtt(&s, &starts, 5.0);
        assert!(vtt.starts_with("WEBVTT\n\n1\n00:00:00.000 --> 00:00:01.000\n讲话。\n"), "{vtt}");
        assert!(vtt.contains("00:00:04.000 --> 00:00:05.000\n散会。\n"), "{vtt}");
        assert_eq!(timestamp(3725.5), "01:02:05.500");
    }

    #[test]
    fn keys_change_with_every_field() {
        let a = cache_key(&[("voice", "alloy"), ("speed", "1")], "text");
        assert_eq!(a, cache_key(&[("voice", "alloy"), ("speed", "1")], "text"));
        assert_ne!(a, cache_key(&[("voice", "alloy"), ("speed", "1.1")], "text"));
        assert_ne!(a, cache_key(&[("voice", "alloy"), ("speed", "1")], "text!"));
        assert_ne!(cache_key(&[("a", "bc")], ""), cache_key(&[("a", "b"), ("c", "")], ""));
    }
}
