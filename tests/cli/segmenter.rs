//! Issue 16: the prebuilt jieba dictionary (vendor/jieba-rs, read in place
//! from the binary) segments exactly as the dictionary built at run time
//! from `dict.txt` did, on every Chinese speech of the fixtures and, when
//! present (required under `SPEECHDIGEST_REQUIRE_SHARED=1`), of the corpus.

use std::path::PathBuf;

use jieba_rs::{Jieba, KeywordExtract, TextRank};
use speechdigest::{Hint, Source, ingest_bytes, read_source};

use crate::support::{fixture, shared_speeches};

fn zh_speeches() -> Vec<PathBuf> {
    let mut dirs = vec![fixture("speeches")];
    dirs.extend(shared_speeches());
    let mut files: Vec<PathBuf> = dirs
        .iter()
        .flat_map(|d| std::fs::read_dir(d).unwrap().map(|e| e.unwrap().path()))
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy();
            name.starts_with("zh-") && name.ends_with(".txt")
        })
        .collect();
    files.sort();
    files
}

fn clean_text(path: &std::path::Path) -> String {
    let (bytes, hint) = read_source(&Source::Path(path.to_path_buf()), 1 << 26).unwrap();
    ingest_bytes(&bytes, &path.display().to_string(), &Hint { lang: None, ..hint }).unwrap().text
}

/// The dictionary as jieba-rs builds it at run time: parse and insert.
fn runtime_built() -> Jieba {
    let mut j = Jieba::empty();
    j.load_default_dict();
    j
}

#[test]
fn prebuilt_dictionary_cuts_every_speech_as_the_runtime_one() {
    let prebuilt = Jieba::new();
    let runtime = runtime_built();
    let files = zh_speeches();
    assert!(!files.is_empty());
    for path in files {
        let text = clean_text(&path);
        for hmm in [true, false] {
            let a = prebuilt.cut(&text, hmm);
            let b = runtime.cut(&text, hmm);
            assert_eq!(a, b, "{} hmm={hmm}", path.display());
            // The lookups facts::terms makes, on every word of the speech.
            for w in a.iter().map(|t| t.word) {
                assert_eq!(prebuilt.has_word(w), runtime.has_word(w), "{w}");
            }
        }
        let words: Vec<&str> = prebuilt.cut(&text, false).iter().map(|t| t.word).collect();
        for w in words.iter().step_by(97) {
            assert_eq!(prebuilt.suggest_freq(w), runtime.suggest_freq(w), "{w}");
        }
    }
}

#[test]
fn prebuilt_dictionary_tags_and_ranks_keywords_as_the_runtime_one() {
    let prebuilt = Jieba::new();
    let runtime = runtime_built();
    let text = clean_text(&fixture("speeches/zh-seed-anticorruption-2025.txt"));
    assert_eq!(prebuilt.tag(&text, true), runtime.tag(&text, true));
    let pos: Vec<String> = ["n", "nr", "ns", "vn"].iter().map(|s| (*s).to_string()).collect();
    let kw = |j: &Jieba| {
        TextRank::default()
            .extract_keywords(j, &text, 20, pos.clone())
            .into_iter()
            .map(|k| (k.keyword, k.weight.to_bits()))
            .collect::<Vec<_>>()
    };
    assert_eq!(kw(&prebuilt), kw(&runtime));
}

#[test]
fn prebuilt_dictionary_can_still_be_extended() {
    // The first write copies the borrowed tables; both behave alike after.
    let mut prebuilt = Jieba::new();
    let mut runtime = runtime_built();
    let text = "石墨烯是一种新材料，蓝瘦香菇的故事在网上流传。";
    for j in [&mut prebuilt, &mut runtime] {
        j.add_word("蓝瘦香菇", Some(500), Some("n"));
    }
    assert_eq!(prebuilt.cut(text, true), runtime.cut(text, true));
    assert!(prebuilt.cut(text, true).iter().any(|t| t.word == "蓝瘦香菇"));
    assert!(Jieba::new().cut(text, true).iter().all(|t| t.word != "蓝瘦香菇"));
}
