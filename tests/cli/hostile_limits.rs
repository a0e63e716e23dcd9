//! Issue 12: a user template is code. Its output is capped while it renders
//! (`--max-output-mib`) and a render that runs too long is abandoned
//! (`--template-timeout`): one error line naming the template and the flag,
//! exit 1, no half-written folder, and the other inputs are still built.

use crate::support::{Test, speech};

/// Writes `tpl/huge.txt.tera` and builds the seed plus Johnson into `out`.
fn build_with(t: &Test, template: &str, flags: &[&str]) -> crate::support::Output {
    t.write("tpl/huge.txt.tera", template);
    t.cmd()
        .arg("build")
        .arg(speech("zh-seed-anticorruption-2025.txt"))
        .args(["-o", "out", "--templates", "tpl"])
        .args(flags)
        .run()
}

fn folders(t: &Test) -> Vec<std::path::PathBuf> {
    let Ok(rd) = std::fs::read_dir(t.join("out")) else { return Vec::new() };
    rd.map(|e| e.unwrap().path()).filter(|p| p.is_dir()).collect()
}

#[test]
fn a_template_that_writes_gigabytes_stops_at_the_cap() {
    let t = Test::new();
    // 10^10 lines if nothing stopped it.
    let r = build_with(
        &t,
        "{% for a in range(end=100000) %}{% for b in range(end=100000) %}{{ title }}\n{% endfor %}{% endfor %}",
        &["--max-output-mib", "1"],
    );
    r.code(1).stderr_has("huge.txt").stderr_has("larger than 1 MiB").stderr_has("--max-output-mib");
    assert!(folders(&t).is_empty(), "a folder was written for a failed render");
}

#[test]
fn a_template_that_never_ends_is_abandoned_at_the_timeout() {
    let t = Test::new();
    // 10^10 iterations that write nothing: only the timeout can stop it.
    let r = build_with(
        &t,
        "{% for a in range(end=100000) %}{% for b in range(end=100000) %}{% endfor %}{% endfor %}",
        &["--template-timeout", "1"],
    );
    r.code(1).stderr_has("huge.txt").stderr_has("longer than 1 s").stderr_has("--template-timeout");
    assert!(folders(&t).is_empty(), "a folder was written for a failed render");
}

#[test]
fn the_other_inputs_are_built_and_a_bounded_template_is_untouched() {
    let t = Test::new();
    t.write("tpl/huge.txt.tera", "{{ title }}\n");
    t.cmd()
        .arg("build")
        .arg(speech("zh-seed-anticorruption-2025.txt"))
        .arg(speech("en-johnson-1963-joint-session-nov27.txt"))
        .args(["-o", "out", "--templates", "tpl", "--max-output-mib", "1"])
        .run()
        .success();
    assert_eq!(folders(&t).len(), 2);
}

#[test]
fn limits_from_the_config_and_out_of_range_flags() {
    let t = Test::new();
    t.write("speechdigest.toml", "[output]\nmax_output_mib = 1\n");
    let r = build_with(
        &t,
        "{% for a in range(end=100000) %}{% for b in range(end=1000) %}{{ title }}\n{% endfor %}{% endfor %}",
        &["--config", "speechdigest.toml"],
    );
    r.code(1).stderr_has("larger than 1 MiB");
    build_with(&t, "x", &["--max-output-mib", "0"]).code(2);
}
