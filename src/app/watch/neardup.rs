//! One speech from several sources (issue 13): the same text on two sites,
//! or in a folder and a feed, is digested once. The second is recorded as a
//! duplicate of the first (seen, not digested, not written) and the pass
//! report says which folder has it.
//!
//! A speech is fingerprinted by a MinHash of its normalised text: letters
//! and digits of any script, lower-cased, everything else (spaces,
//! punctuation, full-width forms) dropped; then overlapping shingles of 5
//! characters when most of it is Han, else 10 (about two English words).
//! Two texts are the same speech when the estimated Jaccard similarity of
//! their shingles is at least [`SAME`].
//!
//! Why MinHash, not an exact hash or SimHash: two sites never publish
//! byte-identical text (a `来源：新华社 责任编辑：…` line, a dateline, a
//! photo caption, a paragraph one site leaves out), so an exact hash of the
//! normalised text misses the case the issue is about. MinHash estimates
//! the share of shingles two texts have in common, so its threshold reads
//! as "80 % the same text" and can be checked against real differences
//! (the tests add boilerplate and drop a paragraph); SimHash gives a bit
//! distance whose meaning depends on the text's length. 64 values of 32
//! bits are 256 bytes per item. Known speeches are looked up by 16 bands of
//! 4 values (LSH banding): a copy at similarity 0.8 shares a band with its
//! original with probability 1 − (1 − 0.8⁴)¹⁶ > 0.999, two unrelated
//! speeches (≈ 0.2) in 2.5 % of pairs, and only those are compared, so a
//! backlog of n speeches costs about n lookups, not n² comparisons.
//! Hand-written (≈ 60 lines): the
//! crates for it (LSH indexes) bring an index this size does not need,
//! and the hash must stay the same across releases because signatures are
//! stored: FNV-1a and a SplitMix64 finaliser, both fixed here.

/// Values in a signature.
const SLOTS: usize = 64;

/// The estimated Jaccard similarity from which two texts are one speech.
pub(crate) const SAME: f64 = 0.8;

/// Texts shorter than this (normalised characters) are not fingerprinted:
/// too short to tell a speech from a notice or another speech that shares
/// its template (a few hundred characters of 同志们… and set phrases).
const MIN_CHARS: usize = 1000;

/// A text's MinHash signature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Signature(Vec<u32>);

impl Signature {
    /// The signature of `text`, or `None` when it is too short to judge.
    pub(crate) fn of(text: &str) -> Option<Signature> {
        let chars: Vec<char> =
            text.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect();
        if chars.len() < MIN_CHARS {
            return None;
        }
        let han = chars.iter().filter(|&&c| is_han(c)).count();
        let k = if han * 2 > chars.len() { 5 } else { 10 };
        let mut mins = vec![u32::MAX; SLOTS];
        let mut buf = [0u8; 4];
        for w in chars.windows(k) {
            let mut h: u64 = 0xcbf2_9ce4_8422_2325;
            for c in w {
                for b in c.encode_utf8(&mut buf).bytes() {
                    h = (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3);
                }
            }
            for (i, m) in mins.iter_mut().enumerate() {
                let v = (mix(h ^ (i as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15)) >> 32) as u32;
                if v < *m {
                    *m = v;
                }
            }
        }
        Some(Signature(mins))
    }

    /// The estimated Jaccard similarity of the two texts' shingles.
    pub(crate) fn similarity(&self, other: &Signature) -> f64 {
        if self.0.len() != other.0.len() || self.0.is_empty() {
            return 0.0;
        }
        let same = self.0.iter().zip(&other.0).filter(|(a, b)| a == b).count();
        same as f64 / self.0.len() as f64
    }

    /// As stored: the values, little-endian.
    pub(crate) fn to_bytes(&self) -> Vec<u8> {
        self.0.iter().flat_map(|v| v.to_le_bytes()).collect()
    }

    /// From the stored form; `None` for bytes that are not one.
    pub(crate) fn from_bytes(b: &[u8]) -> Option<Signature> {
        (b.len() == SLOTS * 4).then(|| {
            Signature(
                b.chunks_exact(4).map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]])).collect(),
            )
        })
    }
}

/// SplitMix64's finaliser: one well-spread value per seed.
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

fn is_han(c: char) -> bool {
    matches!(c, '\u{4e00}'..='\u{9fff}' | '\u{3400}'..='\u{4dbf}' | '\u{f900}'..='\u{faff}')
}

/// A speech already written: its item, source, folder and signature.
#[derive(Debug, Clone)]
pub(crate) struct Known {
    pub(crate) id: String,
    pub(crate) source: String,
    pub(crate) output_dir: String,
    pub(crate) signature: Signature,
}

/// Bands of the LSH index, and values per band (`BANDS * ROWS = SLOTS`).
const BANDS: usize = 16;
const ROWS: usize = SLOTS / BANDS;

/// The known speeches, indexed by band.
#[derive(Debug, Default, Clone)]
pub(crate) struct Index {
    known: Vec<Known>,
    bands: std::collections::HashMap<(usize, [u32; ROWS]), Vec<usize>>,
}

fn band(sig: &Signature, b: usize) -> [u32; ROWS] {
    let mut out = [0u32; ROWS];
    out.copy_from_slice(&sig.0[b * ROWS..(b + 1) * ROWS]);
    out
}

impl Index {
    /// Adds a speech written.
    pub(crate) fn add(&mut self, k: Known) {
        if k.signature.0.len() != SLOTS {
            return;
        }
        let at = self.known.len();
        for b in 0..BANDS {
            self.bands.entry((b, band(&k.signature, b))).or_default().push(at);
        }
        self.known.push(k);
    }

    /// The known speech `sig` (of a new item of `source`) is the same as:
    /// the most similar at or above [`SAME`] from another source whose
    /// outputs are the same (`alike`: a source with its own templates,
    /// provider or audio asked for other outputs, so its copy is digested
    /// for them). Copies within one source are its own business (two files
    /// of one folder).
    pub(crate) fn same_as(
        &self,
        source: &str,
        sig: &Signature,
        alike: impl Fn(&str) -> bool,
    ) -> Option<&Known> {
        if sig.0.len() != SLOTS {
            return None;
        }
        let mut seen = std::collections::HashSet::new();
        (0..BANDS)
            .filter_map(|b| self.bands.get(&(b, band(sig, b))))
            .flatten()
            .filter(|&&i| seen.insert(i))
            .map(|&i| &self.known[i])
            .filter(|k| k.source != source && alike(&k.source))
            .map(|k| (k, k.signature.similarity(sig)))
            .filter(|(_, s)| *s >= SAME)
            .max_by(|a, b| a.1.total_cmp(&b.1))
            .map(|(k, _)| k)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ZH: &str =
        include_str!("../../../tests/fixtures/speeches/zh-seed-anticorruption-2025.txt");
    const EN: &str =
        include_str!("../../../tests/fixtures/speeches/en-johnson-1963-joint-session-nov27.txt");

    fn sig(t: &str) -> Signature {
        Signature::of(t).unwrap()
    }

    #[test]
    fn the_same_speech_from_another_site_is_the_same() {
        // Another site's copy: a source line, an editor, full-width
        // punctuation changed, spacing, and one paragraph left out.
        let paragraphs: Vec<&str> = ZH.lines().collect();
        let cut = paragraphs.len() / 2;
        let mut copy = String::from("来源：新华社　　责任编辑：王某某　　2025-03-05 10:21\n");
        for (i, p) in paragraphs.iter().enumerate() {
            if i != cut {
                copy.push_str(&p.replace('，', ", "));
                copy.push_str("\n\n");
            }
        }
        copy.push_str("【打印本页】【关闭窗口】\n");
        let s = sig(ZH).similarity(&sig(&copy));
        assert!(s >= SAME, "{s}");
        let en_copy =
            format!("Source: The White House. {}\nShare this page.", EN.replace("  ", " "));
        let s = sig(EN).similarity(&sig(&en_copy));
        assert!(s >= SAME, "{s}");
    }

    #[test]
    fn different_speeches_are_different() {
        assert!(sig(ZH).similarity(&sig(EN)) < 0.1);
        // Two halves of one speech share its wording and topic, not its text.
        for text in [ZH, EN] {
            let chars: Vec<char> = text.chars().collect();
            let (a, b) = chars.split_at(chars.len() / 2);
            let (a, b): (String, String) = (a.iter().collect(), b.iter().collect());
            let s = sig(&a).similarity(&sig(&b));
            assert!(s < SAME / 2.0, "{s}");
        }
        // Too short to judge.
        assert_eq!(Signature::of("同志们：今天我们召开会议。"), None);
    }

    #[test]
    fn signatures_are_stored_and_read_back() {
        let s = sig(ZH);
        assert_eq!(Signature::from_bytes(&s.to_bytes()), Some(s.clone()));
        assert_eq!(Signature::from_bytes(b"short"), None);
        // Deterministic: the same text, the same values.
        let fixed = "同志们好".repeat(300);
        assert_eq!(sig(&fixed).0.len(), SLOTS);
        assert_eq!(sig(&fixed), sig(&fixed));
        let a = Known { id: "a".into(), source: "x".into(), output_dir: "d".into(), signature: s };
        let mut known = Index::default();
        known.add(a.clone());
        known.add(Known {
            id: "e".into(),
            source: "x".into(),
            output_dir: "e".into(),
            signature: sig(EN),
        });
        let found = known.same_as("y", &a.signature, |_| true);
        assert_eq!(found.map(|k| k.id.as_str()), Some("a"));
        assert!(known.same_as("x", &a.signature, |_| true).is_none(), "one source's copies");
        assert!(known.same_as("y", &a.signature, |_| false).is_none(), "other outputs");
    }
}
