//! Chinese numerals as speeches write them: in markers and announced counts
//! (`一` to `九十九`: `三`, `十二`, `二十`, `两`) and in figures
//! (`百分之一百零五`). The TTS normaliser reads far more (`万`, `亿`,
//! decimals) and has its own reader in `tts::zh`.

/// The value of one Chinese digit: `零`/`〇` 0, `一` 1 … `九` 9, `两` 2.
pub(crate) fn zh_digit(c: char) -> Option<u32> {
    Some(match c {
        '零' | '〇' => 0,
        '一' => 1,
        '二' | '两' => 2,
        '三' => 3,
        '四' => 4,
        '五' => 5,
        '六' => 6,
        '七' => 7,
        '八' => 8,
        '九' => 9,
        _ => return None,
    })
}

/// Parses a Chinese numeral from 一 to 九十九 (also 两 and 〇-free forms such
/// as 十一, 二十). Zero, hundreds and anything else are `None`.
pub(crate) fn zh_number(s: &str) -> Option<u32> {
    let digit = |c: char| zh_digit(c).filter(|&d| d > 0);
    let cs: Vec<char> = s.chars().collect();
    match cs.as_slice() {
        ['十'] => Some(10),
        [d] => digit(*d),
        ['十', d] => Some(10 + digit(*d)?),
        [t, '十'] => Some(digit(*t)? * 10),
        [t, '十', d] => Some(digit(*t)? * 10 + digit(*d)?),
        _ => None,
    }
}

/// Parses a whole number below a thousand: zero (`零`, `〇`), a
/// [`zh_number`], or hundreds: `百`, `两百`, `一百零五`, `一百一十`,
/// `一百二十五`, and the spoken short form `一百二` (120).
pub(crate) fn zh_integer(s: &str) -> Option<u32> {
    let Some((h, rest)) = s.split_once('百') else {
        return if matches!(s, "零" | "〇") { Some(0) } else { zh_number(s) };
    };
    let hundreds = if h.is_empty() { 1 } else { zh_number(h).filter(|&n| n < 10)? };
    let mut cs = rest.chars();
    let below = match (cs.next(), cs.next()) {
        (None, _) => 0,
        // 一百零五
        (Some('零' | '〇'), Some(d)) if cs.next().is_none() => zh_digit(d).filter(|&d| d > 0)?,
        // 一百二: the tens, as it is said
        (Some(d), None) if d != '十' => zh_digit(d).filter(|&d| d > 0)? * 10,
        // 一百十五, 一百二十, 一百二十五
        _ => zh_number(rest).filter(|&n| n >= 10)?,
    };
    Some(hundreds * 100 + below)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers() {
        for (s, n) in [("一", 1), ("十", 10), ("十一", 11), ("二十", 20), ("二十三", 23), ("两", 2)]
        {
            assert_eq!(zh_number(s), Some(n), "{s}");
        }
        for s in ["百", "", "零", "十十", "一二", "二十三四", "一百"] {
            assert_eq!(zh_number(s), None, "{s}");
        }
    }

    #[test]
    fn integers() {
        for (s, n) in [
            ("零", 0),
            ("〇", 0),
            ("八", 8),
            ("十八", 18),
            ("三十五", 35),
            ("百", 100),
            ("一百", 100),
            ("两百", 200),
            ("一百零五", 105),
            ("一百一十", 110),
            ("一百十五", 115),
            ("一百二十五", 125),
            ("一百二", 120),
            ("九百九十九", 999),
        ] {
            assert_eq!(zh_integer(s), Some(n), "{s}");
        }
        for s in ["", "十百", "一百零", "一百零十", "百百", "二二", "一百二三"] {
            assert_eq!(zh_integer(s), None, "{s}");
        }
    }
}
