//! The forms of address and meeting formulae that speeches open and close
//! with (`同志们`, `各位代表`, `Mr. Speaker`, `God bless`): one table,
//! `data/salutations.tsv`, for ingest (where the body starts), outline
//! (salutation and closing paragraphs) and summarize (sentences that only
//! run the meeting). Each caller builds its own pattern from the kinds it
//! needs.

use std::sync::LazyLock;

use crate::model::Lang;

/// What a form does in a speech.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// Addresses the audience on its own: `同志们`, `My fellow`.
    Vocative,
    /// Begins an address but is not one alone: `尊敬的`, `各位`.
    Opener,
    /// A title before an office: `Mr.`, `Madam`.
    Title,
    /// The office after a title: `Speaker`, `President`.
    Office,
    /// A transcript's speaker label: `THE PRESIDENT`.
    Label,
    /// Begins a closing paragraph: `Thank you`, `God bless`.
    Closing,
}

const DATA: &str = include_str!("data/salutations.tsv");

/// (form, language, kind), in file order.
static TABLE: LazyLock<Vec<(&'static str, Lang, Kind)>> =
    LazyLock::new(|| DATA.lines().filter_map(parse_line).collect());

fn parse_line(line: &'static str) -> Option<(&'static str, Lang, Kind)> {
    if line.trim().is_empty() || line.starts_with('#') {
        return None;
    }
    let mut fields = line.split('\t');
    let (form, lang, kind) = (fields.next()?, fields.next()?, fields.next()?);
    let lang = match lang {
        "zh" => Lang::Zh,
        "en" => Lang::En,
        _ => return None,
    };
    let kind = match kind {
        "vocative" => Kind::Vocative,
        "opener" => Kind::Opener,
        "title" => Kind::Title,
        "office" => Kind::Office,
        "label" => Kind::Label,
        "closing" => Kind::Closing,
        _ => return None,
    };
    (fields.next().is_none() && !form.is_empty()).then_some((form, lang, kind))
}

/// The forms of `lang` and `kind`, in file order.
pub(crate) fn forms(lang: Lang, kind: Kind) -> impl Iterator<Item = &'static str> {
    TABLE.iter().filter(move |(_, l, k)| *l == lang && *k == kind).map(|(f, _, _)| *f)
}

/// The forms of `lang` and any of `kinds` as a regex alternation
/// (`同志们|各位代表|…`, escaped), for a caller to put in a group.
pub(crate) fn alternation(lang: Lang, kinds: &[Kind]) -> String {
    let forms: Vec<String> =
        kinds.iter().flat_map(|&k| forms(lang, k)).map(regex::escape).collect();
    forms.join("|")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_line_of_the_table_parses() {
        let rows = DATA.lines().filter(|l| !l.trim().is_empty() && !l.starts_with('#')).count();
        assert_eq!(TABLE.len(), rows);
        assert!(forms(Lang::Zh, Kind::Vocative).any(|f| f == "同志们"));
        assert!(forms(Lang::En, Kind::Title).any(|f| f == "Mr."));
    }

    #[test]
    fn alternations_are_escaped() {
        assert_eq!(alternation(Lang::En, &[Kind::Title]), r"Mr\.|Madam|Madame");
        assert_eq!(alternation(Lang::Zh, &[Kind::Opener]), "尊敬的|亲爱的|各位");
    }
}
