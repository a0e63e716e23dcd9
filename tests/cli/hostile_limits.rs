//! Issue 12, bounds: a user template is code. Its output is capped while it renders
//! (`--max-output-mib`) and a render that runs too long is abandoned
//! (`--template-timeout`): one error line naming the template and the flag,
//! exit 1, no half-written folder, and the other inputs are still built.

use crate::support::{Test, folders, speech};

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
    assert!(folders(&t.join("out")).is_empty(), "a folder was written for a failed render");
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
    assert!(folders(&t.join("out")).is_empty(), "a folder was written for a failed render");
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
    assert_eq!(folders(&t.join("out")).len(), 2);
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

/// A chat server whose every answer is `content` (a 10 MB answer, a
/// `[[[…` loop): the run fails at once with one line per section, or with
/// `--fallback extractive` is built degraded; it never stalls in the token
/// counter.
#[tokio::test(flavor = "multi_thread")]
async fn answers_far_over_the_output_cap_are_refused_at_once() {
    use serde_json::json;
    use wiremock::matchers::method;
    use wiremock::{Mock, MockServer, ResponseTemplate};
    for content in ["x".repeat(10 << 20), "[".repeat(200_000)] {
        let server = MockServer::start().await;
        let body = json!({
            "id": "c1", "object": "chat.completion", "created": 1, "model": "m",
            "choices": [{"index": 0, "message": {"role": "assistant", "content": content},
                         "finish_reason": "stop"}],
        });
        Mock::given(method("POST"))
            .respond_with(ResponseTemplate::new(200).set_body_json(body))
            .mount(&server)
            .await;
        let t = Test::new();
        let base = format!("{}/v1", server.uri());
        let run = |extra: &[&str]| {
            t.cmd()
                .args(["build", "--provider", "openai", "--base-url", &base, "--model", "m"])
                .args(["--no-cache", "-o", "out"])
                .args(extra)
                .arg(crate::support::fixture("api/zh-short.txt"))
                .env("OPENAI_API_KEY", "sk-test-limits-0000")
                .run()
        };
        run(&[]).code(1).stderr_has("far over the output cap");
        run(&["--fallback", "extractive"]).code(1).stderr_has("sections failed");
        run(&["--fallback", "extractive", "--allow-degraded"]).success();
        assert_eq!(folders(&t.join("out")).len(), 1);
    }
}

/// stderr or stdout closed before the run writes (a log pipe whose reader
/// died, `| head`): the run ends with its own exit code, never a panic (101).
#[test]
fn closed_output_pipes_are_not_a_panic() {
    let t = Test::new();
    let closed = || {
        let (reader, writer) = std::io::pipe().expect("a pipe");
        drop(reader);
        std::process::Stdio::from(writer)
    };
    // An error to report with stderr closed: exit 1 as usual.
    let status = t
        .cmd()
        .args(["build", "missing.txt", "-o", "out", "-v"])
        .std_command()
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(closed())
        .status()
        .unwrap();
    assert_eq!(status.code(), Some(1));
    // Warnings and results with both closed.
    let status = t
        .cmd()
        .args(["outline"])
        .arg(speech("zh-seed-anticorruption-2025.txt"))
        .std_command()
        .stdin(std::process::Stdio::null())
        .stdout(closed())
        .stderr(closed())
        .status()
        .unwrap();
    assert_eq!(status.code(), Some(0));
    // watch's pass line.
    t.write("in/a.txt", "讲话。\n今天我们开会，研究三件事情。\n");
    t.write(
        "speechdigest.toml",
        "[output]\ndir = \"digests\"\n[state]\npath = \"state.sqlite\"\n[[sources]]\nkind = \"folder\"\npath = \"in\"\n",
    );
    let status = t
        .cmd()
        .args(["watch", "--once", "--config", "speechdigest.toml", "--json"])
        .std_command()
        .stdin(std::process::Stdio::null())
        .stdout(closed())
        .stderr(closed())
        .status()
        .unwrap();
    assert_ne!(status.code(), Some(101), "watch panicked");
}
