//! The default dictionary as `build.rs` prebuilt it (vendored addition,
//! speechdigest issue 16).
//!
//! Building the dictionary at run time (decompress `dict.txt`, parse 349 k
//! lines, insert every word into the trie) cost 0.23 s CPU and +31 MB on
//! every process that segmented Chinese; perf put 28 % of it in trie
//! insertion and ~9 % in decompression and record pushing. `build.rs` runs
//! exactly that load once at compile time with the crate's own trie code and
//! writes the resulting tables (root table, hash slots, records, `ln(freq)`)
//! in the target's byte order. Here they are borrowed in place from the
//! binary: nothing is parsed or copied, and only the pages a text actually
//! walks are ever read. A write (`add_word`) copies a table first
//! (`CowVec`), so a dictionary extended at run time behaves as before.

use crate::trie::{CharTrie, RootEntry, Slot};
use crate::{FxHashMap, Jieba, Record};

// TRIE_LEN, TRIE_SHIFT, TRIE_NEXT_NODE, TOTAL and TAGS.
include!(concat!(env!("OUT_DIR"), "/prebuilt_dict.rs"));

/// Bytes aligned for any of the tables' element types.
#[repr(C)]
struct Aligned<B: ?Sized> {
    _align: [u64; 0],
    bytes: B,
}

macro_rules! aligned_bytes {
    ($file:literal) => {{
        static DATA: &Aligned<[u8]> = &Aligned {
            _align: [],
            bytes: *include_bytes!(concat!(env!("OUT_DIR"), "/", $file)),
        };
        &DATA.bytes
    }};
}

/// Marker for the `repr(C)` plain-data types the tables hold: every bit
/// pattern of their size is a valid value.
///
/// # Safety
/// Only for `repr(C)` types made of integers and floats.
unsafe trait Pod: Copy {}
// SAFETY: repr(C) structs of integers (`Slot`, `RootEntry`, `Record`) and a float.
unsafe impl Pod for Slot {}
unsafe impl Pod for RootEntry {}
unsafe impl Pod for Record {}
unsafe impl Pod for f64 {}

/// `bytes` read in place as a table of `T`.
fn table<T: Pod>(bytes: &'static [u8]) -> &'static [T] {
    let size = std::mem::size_of::<T>();
    assert_eq!(bytes.len() % size, 0, "prebuilt table length");
    assert_eq!(bytes.as_ptr() as usize % std::mem::align_of::<T>(), 0, "prebuilt table alignment");
    // SAFETY: the bytes live for the whole program, are aligned for `T` and
    // a whole number of `T`s long (checked above), and any bit pattern is a
    // valid `T` (`Pod`). `build.rs` wrote them in the target's byte order
    // and with `T`'s `repr(C)` layout.
    unsafe { std::slice::from_raw_parts(bytes.as_ptr().cast::<T>(), bytes.len() / size) }
}

/// The default dictionary, exactly as `Jieba::empty()` followed by
/// `load_default_dict()` would build it.
pub(crate) fn jieba() -> Jieba {
    let tags: Vec<Box<str>> = TAGS.iter().map(|&t| t.into()).collect();
    let tag_ids: FxHashMap<Box<str>, u32> = tags.iter().enumerate().map(|(i, t)| (t.clone(), i as u32)).collect();
    let trie = CharTrie::from_static(
        table(aligned_bytes!("root.bin")),
        table(aligned_bytes!("slots.bin")),
        TRIE_LEN,
        TRIE_SHIFT,
        TRIE_NEXT_NODE,
    );
    let records: &'static [Record] = table(aligned_bytes!("records.bin"));
    let log_freqs: &'static [f64] = table(aligned_bytes!("log_freqs.bin"));
    assert_eq!(records.len(), log_freqs.len(), "prebuilt records");
    Jieba {
        records: crate::CowVec::Borrowed(records),
        log_freqs: crate::CowVec::Borrowed(log_freqs),
        tags,
        tag_ids,
        trie,
        total: TOTAL,
        log_total: (TOTAL as f64).ln(),
        hmm_model: None,
    }
}
