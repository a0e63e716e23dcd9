//! Facts a handout needs, taken verbatim from the speech: figures (a number
//! with its unit, what it measures, its clause — `figures.rs`), notable
//! quotations (`quotes.rs`), terms (coined phrases in “…”, glossary notes,
//! with the sentence that defines or uses them — `terms.rs`),
//! discussion questions built from headings and points by language-aware
//! rules and a cloze quiz with its answer key (`questions.rs`).
//!
//! Every string that quotes the speech is a substring of it: the rules only
//! choose, they never write figures or quotations.

mod figures;
mod questions;
mod quotes;
mod terms;

pub(crate) use figures::figures;
pub(crate) use figures::key_figures;
pub(crate) use questions::{en_request, qa, questions, quiz};
pub(crate) use quotes::quotes;
pub(crate) use terms::terms;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Lang, Outline, SentenceRef};

    fn sref(text: &str) -> SentenceRef {
        SentenceRef::for_test(text)
    }

    #[test]
    fn zh_figures_keep_units_and_what_they_measure() {
        let s = [sref(
            "全市纪检监察机关收到的重复举报数量同比下降了18%，群众满意度达到96.2%，同比提升了3.1个百分点。",
        )];
        let f = figures(&s, Lang::Zh);
        let got: Vec<(&str, &str)> =
            f.iter().map(|f| (f.value.as_str(), f.measures.as_str())).collect();
        assert_eq!(
            got,
            [
                ("18%", "全市纪检监察机关收到的重复举报数量"),
                ("96.2%", "群众满意度"),
                ("3.1个百分点", "群众满意度")
            ]
        );
        assert!(f.iter().all(|x| s[0].text.contains(&x.value)));
    }

    #[test]
    fn en_figures_skip_years() {
        let s =
            [sref("In 1961 we asked for an additional 23 million dollars, or 12 percent more.")];
        let got: Vec<String> = figures(&s, Lang::En).into_iter().map(|f| f.value).collect();
        assert_eq!(got, ["23 million dollars", "12 percent"]);
    }

    #[test]
    fn attributed_quotes_and_coined_terms() {
        let s = [
            sref("习近平总书记反复强调，“必须坚持治国必先治党、党兴才能国强”。"),
            sref("对“蝇贪蚁腐”露头就打。"),
            sref("推进“打伞破网”，整治“蝇贪蚁腐”。"),
        ];
        let q = quotes(&s, &[], Lang::Zh, 1);
        assert_eq!(q[0].text, "必须坚持治国必先治党、党兴才能国强");
        assert_eq!(q[0].attribution.as_deref(), Some("习近平总书记"));
        let o = Outline {
            meta: crate::model::Meta::for_test(Lang::Zh),
            sections: vec![],
            warnings: vec![],
        };
        let t = terms(&o, &s, Lang::Zh, 2);
        assert_eq!(t[0].term, "蝇贪蚁腐");
        assert_eq!(t[0].count, 2);
        let qz = quiz(&t, &[], 2);
        assert!(qz[0].question.contains("____") && !qz[0].question.contains(&qz[0].answer));
    }
}
