//! Prebuilds the default dictionary (vendored addition, speechdigest issue
//! 16): the same load `Jieba::load_default_dict` does at run time, with the
//! crate's own trie, written out as tables `src/prebuilt.rs` reads in place.

use std::fmt::Write as _;
use std::path::PathBuf;

#[allow(dead_code, unreachable_pub)]
#[path = "src/cow_vec.rs"]
mod cow_vec;
#[allow(dead_code, unreachable_pub)]
#[path = "src/trie.rs"]
mod trie;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=src/data/dict.txt");
    println!("cargo:rerun-if-changed=src/trie.rs");
    println!("cargo:rerun-if-changed=src/cow_vec.rs");
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("OUT_DIR"));
    let big = std::env::var("CARGO_CFG_TARGET_ENDIAN").as_deref() == Ok("big");
    let u32b = |v: u32| if big { v.to_be_bytes() } else { v.to_le_bytes() };
    let u64b = |v: u64| if big { v.to_be_bytes() } else { v.to_le_bytes() };

    let dict = std::fs::read_to_string("src/data/dict.txt").expect("src/data/dict.txt");
    // Mirrors `load_default_dict` on an empty instance: every line is pushed
    // (no duplicate check), word id = record index, tags interned in order.
    let lines = dict.bytes().filter(|&b| b == b'\n').count() + 1;
    let mut trie = trie::CharTrie::new();
    trie.reserve(lines);
    let mut tags: Vec<&str> = Vec::new();
    let mut records = Vec::with_capacity(lines * 16);
    let mut log_freqs = Vec::with_capacity(lines * 8);
    let mut total: usize = 0;
    let mut n: usize = 0;
    for line in dict.lines() {
        let mut iter = line.split_ascii_whitespace();
        let Some(word) = iter.next() else { continue };
        let freq = iter
            .next()
            .map_or(0, |x| x.parse::<usize>().expect("invalid frequency in default dict"));
        let tag = iter.next().unwrap_or("");
        let tag_id = match tags.iter().position(|&t| t == tag) {
            Some(i) => i,
            None => {
                tags.push(tag);
                tags.len() - 1
            }
        } as u32;
        // `Record { freq: usize, tag: u32 }`, repr(C), 64-bit: 16 bytes.
        records.extend_from_slice(&u64b(freq as u64));
        records.extend_from_slice(&u32b(tag_id));
        records.extend_from_slice(&[0; 4]);
        log_freqs.extend_from_slice(&u64b((freq as f64).ln().to_bits()));
        trie.insert(word, n as i32);
        total += freq;
        n += 1;
    }

    let (root, slots, len, shift, next_node) = trie.parts();
    let mut root_bytes = Vec::with_capacity(root.len() * 8);
    for e in root {
        root_bytes.extend_from_slice(&u32b(e.child));
        root_bytes.extend_from_slice(&u32b(e.word_id as u32));
    }
    let mut slot_bytes = Vec::with_capacity(slots.len() * 16);
    for s in slots {
        slot_bytes.extend_from_slice(&u64b(s.key));
        slot_bytes.extend_from_slice(&u32b(s.child));
        slot_bytes.extend_from_slice(&u32b(s.word_id as u32));
    }
    let mut consts = String::new();
    writeln!(consts, "const TRIE_LEN: usize = {len};").unwrap();
    writeln!(consts, "const TRIE_SHIFT: u32 = {shift};").unwrap();
    writeln!(consts, "const TRIE_NEXT_NODE: u32 = {next_node};").unwrap();
    writeln!(consts, "const TOTAL: usize = {total};").unwrap();
    writeln!(consts, "const TAGS: &[&str] = &{tags:?};").unwrap();
    let write = |name: &str, bytes: &[u8]| std::fs::write(out.join(name), bytes).expect("write prebuilt table");
    write("root.bin", &root_bytes);
    write("slots.bin", &slot_bytes);
    write("records.bin", &records);
    write("log_freqs.bin", &log_freqs);
    write("prebuilt_dict.rs", consts.as_bytes());
}
