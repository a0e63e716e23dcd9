//! `outline`: the speech's own structure, as an indented tree or JSON.

use tracing::{info, warn};

use crate::app::cli::OutlineArgs;
use crate::app::input::for_each_document;
use crate::app::messages::Report;
use crate::app::messages::write_stdout;
use crate::error::{Error, Result};
use crate::model::{Outline, Removed, Section, SectionKind, Warning};
use crate::outline;

pub(crate) async fn run(args: OutlineArgs) -> Result<Report> {
    let many = args.input.inputs.len() > 1;
    let json = args.json;
    let removed = args.removed;
    for_each_document(&args.input, async |doc| {
        let o = outline::outline(&doc);
        for w in &o.warnings {
            match w {
                // Normal for many addresses: worth knowing, not worth a warning.
                Warning::NoNumbering { .. } => {
                    info!("{}: {}", doc.meta.source, w.message())
                }
                _ => warn!("{}: {}", doc.meta.source, w.message()),
            }
        }
        let text = if json {
            let mut v = serde_json::to_value(&o).map_err(Error::Json)?;
            if removed && let Some(map) = v.as_object_mut() {
                map.insert(
                    "removed".to_owned(),
                    serde_json::to_value(&doc.removed).map_err(Error::Json)?,
                );
            }
            let s = if many { serde_json::to_string(&v) } else { serde_json::to_string_pretty(&v) };
            s.map_err(Error::Json)? + "\n"
        } else {
            let mut t = render_tree(&o);
            if removed {
                t.push_str(&render_removed(&doc.removed));
            }
            t
        };
        write_stdout(text.as_bytes())
    })
    .await
}

/// The `--removed` lines of the tree: one per dropped line, its rule and
/// where it was (`- [related-tail] L812: 相关链接>>`).
fn render_removed(removed: &[Removed]) -> String {
    let mut s = format!("removed: {} lines\n", removed.len());
    let mut sorted: Vec<&Removed> = removed.iter().collect();
    sorted.sort_by_key(|r| r.span[0]);
    for r in sorted {
        s.push_str(&format!("  - [{}] L{}: {}\n", r.rule, r.span[0], r.text));
    }
    s
}

/// The indented tree printed by `outline`.
fn render_tree(o: &Outline) -> String {
    let m = &o.meta;
    let mut s = String::new();
    s.push_str(&format!("# {}\n", m.title.as_deref().unwrap_or("(untitled)")));
    let mut facts = Vec::new();
    for (k, v) in [("date", &m.date), ("speaker", &m.speaker), ("occasion", &m.occasion)] {
        if let Some(v) = v {
            facts.push(format!("{k}: {v}"));
        }
    }
    facts.push(format!("lang: {}", m.lang.code()));
    facts.push(format!("chars: {}", m.chars));
    facts.push(format!("source: {}", m.source));
    s.push_str(&facts.join(" | "));
    s.push('\n');
    for sec in &o.sections {
        tree_section(&mut s, sec);
    }
    for w in &o.warnings {
        s.push_str(&format!("! {}\n", w.message()));
    }
    s
}

fn tree_section(s: &mut String, sec: &Section) {
    let indent = "  ".repeat(sec.level - 1);
    let title = match (sec.kind, &sec.label, &sec.heading) {
        (SectionKind::Opening, ..) => "(opening)".to_owned(),
        (SectionKind::Closing, ..) => "(closing)".to_owned(),
        (SectionKind::Notes, _, h) => format!("(notes) {}", h.as_deref().unwrap_or("")),
        (_, Some(l), Some(h)) => format!("{l} {h}"),
        (_, Some(l), None) => l.clone(),
        (_, None, Some(h)) => h.clone(),
        (_, None, None) => {
            let first = sec
                .paragraphs
                .first()
                .and_then(|p| p.sentences.first())
                .map(|x| x.text.as_str())
                .unwrap_or("");
            format!("({}…)", first.chars().take(24).collect::<String>())
        }
    };
    let sentences: usize = sec.paragraphs.iter().map(|p| p.sentences.len()).sum();
    s.push_str(&format!(
        "{indent}[{}] {title} — {} ¶, {sentences} sentences\n",
        sec.id,
        sec.paragraphs.len()
    ));
    for p in &sec.points {
        s.push_str(&format!("{indent}    · {} {}\n", p.label, p.lead));
    }
    for c in &sec.children {
        tree_section(s, c);
    }
}
