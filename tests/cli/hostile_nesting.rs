//! Deeply nested pages (issue 12, item 1): 20,000 unclosed `<b>` overflowed
//! the stack and aborted the process, stopping `build` and every later
//! `watch` item. Each page here is generated at test time; each must give
//! its text (or one error line), never an abort, and the inputs after it
//! must still be done.

use crate::support::Test;

const LEVELS: usize = 20_000;

/// A page whose speech sits under `LEVELS` repetitions of `open`, closed by `close`.
fn nested_page(open: &str, close: &str) -> String {
    let speech = "<p>Mr. Speaker, members of Congress, tonight I report on the state of our union. \
        We have cut the deficit, and we have kept our promises to working families across the land. \
        Now we must finish the work that remains before us, together and without delay.</p>";
    format!(
        "<!DOCTYPE html><html><head><title>Nested remarks</title></head><body>{}{speech}{}</body></html>",
        open.repeat(LEVELS),
        close.repeat(LEVELS)
    )
}

fn plain_page(title: &str) -> String {
    format!(
        "<!DOCTYPE html><html><head><title>{title}</title></head><body><article><h1>{title}</h1>\
         <p>Thank you all for coming today. This is a speech about {title}, and it has enough words \
         to be read as a speech: we will build, we will grow, and we will keep our promises.</p>\
         <p>Our economy grew by three percent last year, and unemployment fell to its lowest level \
         in a decade; now we must make sure that every family shares in that growth.</p></article></body></html>"
    )
}

/// The nestings of the issue: inline, block, unclosed, and mixes.
const NESTINGS: &[(&str, &str, &str)] = &[
    ("b", "<b>", ""),
    ("div", "<div>", "</div>"),
    ("div-unclosed", "<div>", ""),
    ("font", "<font size=\"2\">", ""),
    ("span", "<span>", "</span>"),
    ("table", "<table><tr><td>", ""),
    ("mix", "<div><font color=red><span><b><table><tr><td><i>", ""),
    ("list", "<ul><li><blockquote>", ""),
];

// Regression: issue 12, item 1 (a stack overflow aborted the process, exit 134).
#[test]
fn deeply_nested_pages_give_their_text() {
    let t = Test::new();
    for (name, open, close) in NESTINGS {
        let page = t.write(format!("{name}.html"), nested_page(open, close));
        t.cmd()
            .arg("outline")
            .arg(&page)
            .run()
            .success()
            .stdout_has("Nested remarks")
            .stdout_has("Mr. Speaker");
    }
}

// Regression: issue 12, item 1 (`build` lost the inputs after the page).
#[test]
fn build_goes_on_past_a_nested_page() {
    let t = Test::new();
    let a = t.write("a.html", plain_page("Alpha growth"));
    let nested = t.write("nested.html", nested_page("<b>", ""));
    let c = t.write("c.html", plain_page("Gamma bridges"));
    let out = t.cmd().args(["build", "-o", "out"]).arg(&a).arg(&nested).arg(&c).run();
    let code = out.code;
    assert!(code == 0 || code == 1, "exit {code}, not an abort:\n{out}");
    let folders: Vec<String> = std::fs::read_dir(t.join("out"))
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert!(folders.iter().any(|f| f.contains("alpha")), "{folders:?}");
    assert!(folders.iter().any(|f| f.contains("gamma")), "{folders:?}");
    // The nested page gives its text, so it is digested too.
    assert_eq!(code, 0, "{out}");
    assert_eq!(folders.len(), 3, "{folders:?}");
}

// Regression: issue 12, item 1 (one page stopped `watch` forever).
#[test]
fn watch_goes_on_past_a_nested_page() {
    let t = Test::new();
    t.write(
        "speechdigest.toml",
        "[output]\ndir = \"digests\"\n[state]\npath = \"state.sqlite\"\n[[sources]]\nname = \"inbox\"\nkind = \"folder\"\npath = \"inbox\"\nglob = \"*.html\"\n",
    );
    t.create_dir("inbox");
    t.write("inbox/a.html", plain_page("Alpha growth"));
    t.write("inbox/b-nested.html", nested_page("<div><font size=\"2\">", ""));
    t.write("inbox/c.html", plain_page("Gamma bridges"));
    let watch = || t.cmd().args(["watch", "--once", "--config", "speechdigest.toml"]).run();
    watch().success();
    let folders: Vec<String> = std::fs::read_dir(t.join("digests"))
        .unwrap()
        .flatten()
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with('.'))
        .collect();
    assert_eq!(folders.len(), 3, "{folders:?}");
    // Recorded: the next pass has nothing to do.
    watch().success();
    let again = std::fs::read_dir(t.join("digests")).unwrap().flatten().count();
    assert!(again <= folders.len() + 2, "{again}");
}

#[test]
fn max_depth_is_a_global_flag_with_a_range() {
    let t = Test::new();
    let page = t.write("deep.html", nested_page("<div>", "</div>"));
    t.cmd()
        .args(["outline", "--max-depth", "7"])
        .arg(&page)
        .run()
        .code(2)
        .stderr_has("--max-depth");
    t.cmd()
        .args(["-vv", "--max-depth", "16", "outline"])
        .arg(&page)
        .run()
        .success()
        .stdout_has("Mr. Speaker")
        .stderr_has("nesting bounded at 16");
    // The default bound leaves an ordinary page alone.
    let plain = t.write("plain.html", plain_page("Alpha growth"));
    t.cmd().args(["-vv", "outline"]).arg(&plain).run().success().stderr_lacks("nesting bounded");
}
