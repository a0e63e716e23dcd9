//! Unit tests of the extractive summariser.

use super::*;
use crate::ingest::{Hint, ingest_bytes};
use crate::model::Outline;

const ZH_DOC: &str = "同志们:\n一、坚定信心，推动高质量发展\n今天，我们召开全市经济工作会议，部署推动高质量发展的重点任务。\n一是扩大有效投资。要围绕重大项目建设，加快推进交通、水利、能源等基础设施建设。要优化投资结构，提高投资效益。\n二是提振消费需求。要完善消费政策，推动消费提质升级，促进城乡居民收入增长。\n二、深化改革开放，激发市场活力\n要深化国有企业改革，优化营商环境，支持民营企业发展壮大。要扩大高水平对外开放，稳定外贸外资基本盘。\n要深化国有企业改革，优化营商环境，支持民营企业发展壮大。\n谢谢大家！";

const EN_DOC: &str = "Remarks to the Nation\nMy fellow citizens, good evening.\nTonight I want to speak about our economy and the jobs of working families. Our economy grew last year, but too many families still struggle to pay for health care and housing.\nFirst, we will invest in roads, bridges and broadband so that every community can compete. These investments will create millions of jobs.\nSecond, we will cut taxes for working families and small businesses. Mr. Smith, a small business owner from Ohio, told me the U.S. tax code costs him 3.5 days a month.\nWe will cut taxes for working families and small businesses.\nThank you, and God bless America.";

fn docs() -> Vec<(Lang, &'static str)> {
    vec![(Lang::Zh, ZH_DOC), (Lang::En, EN_DOC)]
}

/// The outline the product makes of `text`.
fn outline_of(text: &str, lang: Lang) -> Outline {
    let hint = Hint { lang: Some(lang), ..Hint::default() };
    crate::outline::outline(&ingest_bytes(text.as_bytes(), "test.txt", &hint).unwrap())
}

/// The units the product passes for `o`.
fn units_of(o: &Outline) -> Vec<Unit<'_>> {
    crate::summarize::units(&crate::summarize::slots(o), o.meta.lang)
}

fn score(units: &[Unit], lang: Lang) -> Vec<f64> {
    score_analysed_units(units, lang, &analyse_units(units, lang))
}

fn select(units: &[Unit], scores: &[f64], budget: Budget, lang: Lang) -> Vec<usize> {
    let all: Vec<usize> = (0..units.len()).collect();
    select_in(units, scores, budget, &analyse_units(units, lang), &all)
}

fn summarize(units: &[Unit], budget: Budget, lang: Lang) -> Vec<usize> {
    select(units, &score(units, lang), budget, lang)
}

fn tokenize(text: &str, lang: Lang) -> Vec<String> {
    let mut out = Vec::new();
    for_each_token(text, lang, |t| out.push(t.to_string()));
    out
}

fn cost_of(units: &[Unit], picked: &[usize], budget: Budget) -> usize {
    picked.iter().map(|&i| cost(&units[i], budget).0).sum()
}

#[test]
fn deterministic() {
    for (lang, doc) in docs() {
        let o = outline_of(doc, lang);
        let units = units_of(&o);
        assert!(units.len() > 5, "{lang:?}");
        let a = score(&units, lang);
        let b = score(&units, lang);
        assert_eq!(a, b, "{lang:?}");
        let s1 = summarize(&units, Budget::Sentences(3), lang);
        let s2 = select(&units, &a, Budget::Sentences(3), lang);
        assert_eq!(s1, s2, "{lang:?}");
        assert_eq!(keyphrases(&[doc], lang, 5), keyphrases(&[doc], lang, 5), "{lang:?}");
    }
}

#[test]
fn budget_never_exceeded_and_order_kept() {
    let budgets = [
        Budget::Sentences(1),
        Budget::Sentences(2),
        Budget::Sentences(4),
        Budget::Sentences(100),
        Budget::Chars(40),
        Budget::Chars(80),
        Budget::Chars(300),
        Budget::Words(15),
        Budget::Words(40),
        Budget::Words(1000),
    ];
    for (lang, doc) in docs() {
        let o = outline_of(doc, lang);
        let units = units_of(&o);
        for budget in budgets {
            let picked = summarize(&units, budget, lang);
            assert!(!picked.is_empty(), "{lang:?} {budget:?}");
            assert!(picked.windows(2).all(|w| w[0] < w[1]), "{lang:?} {budget:?}: {picked:?}");
            let (_, limit) = cost(&units[0], budget);
            let smallest_fits =
                units.iter().filter(|u| !u.is_heading).any(|u| cost(u, budget).0 <= limit);
            if smallest_fits {
                assert!(
                    cost_of(&units, &picked, budget) <= limit,
                    "{lang:?} {budget:?}: {picked:?}"
                );
            }
            if let Budget::Sentences(n) = budget {
                let body = units.iter().filter(|u| !u.is_heading).count();
                // Duplicates may be dropped, so fewer is allowed.
                assert!(picked.len() <= n.min(body), "{lang:?} {budget:?}");
            }
        }
    }
}

#[test]
fn at_least_one_sentence_even_when_nothing_fits() {
    for (lang, doc) in docs() {
        let o = outline_of(doc, lang);
        let units = units_of(&o);
        for budget in [Budget::Sentences(0), Budget::Chars(1), Budget::Words(0)] {
            let picked = summarize(&units, budget, lang);
            assert_eq!(picked.len(), 1, "{lang:?} {budget:?}");
            assert!(!units[picked[0]].is_heading, "{lang:?} {budget:?}");
        }
    }
}

#[test]
fn mmr_removes_duplicated_sentence() {
    let cases: [(Lang, &str, &str); 2] = [
        (
            Lang::Zh,
            "要深化国有企业改革，优化营商环境，支持民营企业发展壮大。",
            "要加强生态环境保护，推进污染防治和绿色低碳转型发展。",
        ),
        (
            Lang::En,
            "We will cut taxes for working families and small businesses.",
            "Our schools need more teachers and better science laboratories.",
        ),
    ];
    for (lang, dup, other) in cases {
        let units = vec![Unit::new(dup, 0, 0), Unit::new(dup, 1, 0), Unit::new(other, 2, 0)];
        // Relevance alone would pick both copies.
        let scores = [1.0, 0.99, 0.1];
        let picked = select(&units, &scores, Budget::Sentences(2), lang);
        assert_eq!(picked, vec![0, 2], "{lang:?}");
        let picked = summarize(&units, Budget::Sentences(2), lang);
        assert_eq!(picked.len(), 2, "{lang:?}");
        assert!(picked.contains(&2), "{lang:?}: {picked:?}");
    }
}

#[test]
fn empty_inputs_return_empty() {
    for lang in [Lang::Zh, Lang::En] {
        assert!(score(&[], lang).is_empty());
        assert!(select(&[], &[], Budget::Sentences(3), lang).is_empty());
        assert!(summarize(&[], Budget::Chars(100), lang).is_empty());
        assert!(tokenize("", lang).is_empty());
        assert!(keyphrases(&[], lang, 5).is_empty());
        assert!(keyphrases(&["", "  "], lang, 5).is_empty());
        let blank = [Unit::new("  ", 0, 0)];
        assert!(summarize(&blank, Budget::Sentences(1), lang).is_empty());
    }
}

#[test]
fn scores_finite_for_degenerate_units() {
    let texts = ["", "。。。", "!!!", "的了和", "the of and", "a", "同志们", "OK."];
    for lang in [Lang::Zh, Lang::En] {
        let units: Vec<Unit> = texts.iter().enumerate().map(|(i, t)| Unit::new(t, i, 0)).collect();
        let s = score(&units, lang);
        assert_eq!(s.len(), units.len());
        assert!(s.iter().all(|x| x.is_finite() && *x >= 0.0), "{lang:?}: {s:?}");
        let weird = [f64::NAN, f64::INFINITY, -1.0];
        let picked = select(&units, &weird, Budget::Sentences(2), lang);
        assert!(picked.len() <= 2);
    }
}

#[test]
fn headings_only_when_nothing_else() {
    for (lang, doc) in docs() {
        let o = outline_of(doc, lang);
        let units = units_of(&o);
        assert!(units.iter().any(|u| u.is_heading), "{lang:?}");
        for n in 1..units.len() {
            let picked = summarize(&units, Budget::Sentences(n), lang);
            assert!(picked.iter().all(|&i| !units[i].is_heading), "{lang:?} n={n}");
        }
        // Only headings: one heading comes back.
        let heads: Vec<Unit> = units.iter().copied().filter(|u| u.is_heading).collect();
        let picked = summarize(&heads, Budget::Sentences(3), lang);
        assert!(!picked.is_empty() && picked.len() <= 3, "{lang:?}");
    }
}

#[test]
fn greetings_and_furniture_not_chosen_first() {
    for (lang, doc, bad) in [
        (Lang::Zh, ZH_DOC, ["同志们", "谢谢大家"]),
        (Lang::En, EN_DOC, ["good evening", "Thank you"]),
    ] {
        let o = outline_of(doc, lang);
        let units = units_of(&o);
        let picked = summarize(&units, Budget::Sentences(2), lang);
        for &i in &picked {
            for b in bad {
                assert!(!units[i].text.contains(b), "{lang:?}: {}", units[i].text);
            }
        }
    }
}

#[test]
fn stop_word_lists_load() {
    for w in ["的", "我们", "同志们", "一是", "去年"] {
        assert!(is_stop_word(w, Lang::Zh), "{w}");
    }
    for w in ["a", "the", "n't", "'s", "yourselves", "mrs"] {
        assert!(is_stop_word(w, Lang::En), "{w}");
    }
    assert!(!is_stop_word("#", Lang::En) && !is_stop_word("", Lang::Zh));
    assert!(!is_stop_word("发展", Lang::Zh) && !is_stop_word("taxes", Lang::En));
}

#[test]
fn tokenize_table() {
    let cases: [(Lang, &str, &[&str], &[&str]); 4] = [
        (
            Lang::En,
            "The runners were running quickly.",
            &["runner", "run", "quick"],
            &["the", "were"],
        ),
        (Lang::En, "Taxes, TAXES and taxation!", &["tax", "taxat"], &["and", ","]),
        (Lang::Zh, "我们要推进高质量发展。", &["推进", "高质量", "发展"], &["我们", "要", "。"]),
        (Lang::Zh, "加强AI治理的能力", &["加强", "ai", "治理", "能力"], &["的", "AI"]),
    ];
    for (lang, text, must, must_not) in cases {
        let toks = tokenize(text, lang);
        for m in must {
            assert!(toks.iter().any(|t| t == m), "{text}: {toks:?} lacks {m}");
        }
        for m in must_not {
            assert!(!toks.iter().any(|t| t == m), "{text}: {toks:?} has {m}");
        }
    }
}

#[test]
fn keyphrases_table() {
    let zh = keyphrases(&[ZH_DOC], Lang::Zh, 8);
    assert!(zh.len() <= 8 && !zh.is_empty());
    assert!(zh.iter().all(|(k, w)| k.chars().count() >= 2 && w.is_finite()));
    assert!(zh.iter().any(|(k, _)| k == "企业" || k == "消费" || k == "投资"), "{zh:?}");
    assert!(zh.windows(2).all(|w| w[0].1 >= w[1].1));
    let en = keyphrases(&[EN_DOC], Lang::En, 6);
    assert!(en.iter().any(|(k, _)| k == "working families"), "{en:?}");
    assert!(en.iter().all(|(k, _)| !is_stop_word(k, Lang::En)));
    assert!(keyphrases(&[EN_DOC], Lang::En, 0).is_empty());
}
