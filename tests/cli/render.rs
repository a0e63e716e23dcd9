//! `speechdigest render` and `watch --rerender`: outputs remade from stored
//! digests with changed templates, without the speech; bad digests fail alone.

use std::path::{Path, PathBuf};

use crate::support::{Output, Test, folders, speech};

/// Runs the binary in a fresh temp dir.
fn run<I, S>(args: I) -> Output
where
    I: IntoIterator<Item = S>,
    S: AsRef<std::ffi::OsStr>,
{
    Test::new().args(args).run()
}

/// Runs the binary in `dir`, with `dir` as HOME and XDG base (as `watch` state needs).
fn run_in<I, S>(dir: &Path, args: I) -> Output
where
    I: IntoIterator<Item = S>,
    S: AsRef<std::ffi::OsStr>,
{
    Test::new()
        .current_dir(dir)
        .env("HOME", dir)
        .env("XDG_CONFIG_HOME", dir.join("config"))
        .env("XDG_CACHE_HOME", dir.join("cache"))
        .env("XDG_DATA_HOME", dir.join("data"))
        .args(args)
        .run()
}

fn read(folder: &Path, name: &str) -> String {
    std::fs::read_to_string(folder.join(name)).unwrap()
}

/// Builds `inputs` into `dir/out`; returns the item folders.
fn build(dir: &Path, inputs: &[PathBuf]) -> Vec<PathBuf> {
    let out = dir.join("out");
    let mut args: Vec<&std::ffi::OsStr> = vec!["build".as_ref(), "-o".as_ref(), out.as_os_str()];
    args.extend(inputs.iter().map(|p| p.as_os_str()));
    let r = run(args);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let f = folders(&out);
    assert_eq!(f.len(), inputs.len());
    f
}

/// A template folder whose briefing says `tag`.
fn templates(dir: &Path, tag: &str) -> PathBuf {
    let tpl = dir.join("tpl");
    std::fs::create_dir_all(&tpl).unwrap();
    std::fs::write(
        tpl.join("briefing.md.tera"),
        format!("{tag} {{{{ title }}}} (version {{{{ schema_version }}}}, 3 parts)\n"),
    )
    .unwrap();
    tpl
}

#[test]
fn render_picks_up_a_changed_template_without_touching_the_transcript() {
    let dir = tempfile::tempdir().unwrap();
    let folder = build(dir.path(), &[speech("zh-seed-anticorruption-2025.txt")]).remove(0);
    let kept: Vec<(&str, Vec<u8>)> = ["transcript.txt", "transcript.ssml", "digest.json"]
        .into_iter()
        .map(|f| (f, std::fs::read(folder.join(f)).unwrap()))
        .collect();
    std::fs::write(folder.join("notes.txt"), "mine").unwrap();
    let keypoints = read(&folder, "keypoints.md");
    let tpl = templates(dir.path(), "EDITED");
    let digest = folder.join("digest.json");
    let r = run(["render".as_ref(), digest.as_os_str(), "--templates".as_ref(), tpl.as_os_str()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stdout.lines().count(), 1, "{}", r.stdout);
    let brief = read(&folder, "briefing.md");
    assert_eq!(
        brief,
        "EDITED 在全市深化群众身边不正之风和腐败问题集中整治推进会议上的讲话 (version 4, 3 parts)\n"
    );
    // The spoken twin follows the edited template.
    let spoken = read(&folder, "briefing.tts.txt");
    assert!(spoken.starts_with("EDITED ") && spoken.contains("三"), "{spoken}");
    assert_eq!(read(&folder, "keypoints.md"), keypoints);
    for (f, bytes) in &kept {
        assert_eq!(&std::fs::read(folder.join(f)).unwrap(), bytes, "{f} was changed");
    }
    assert_eq!(read(&folder, "notes.txt"), "mine");
    // A folder names its digest too.
    let r = run(["render".as_ref(), folder.as_os_str()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(read(&folder, "briefing.md").starts_with("# "), "built-in briefing again");
}

#[test]
fn a_corrupt_digest_fails_alone_with_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let made = build(
        dir.path(),
        &[
            speech("zh-seed-anticorruption-2025.txt"),
            speech("en-johnson-1963-joint-session-nov27.txt"),
        ],
    );
    let (good, bad) = (&made[0], &made[1]);
    let text = read(bad, "digest.json");
    let half = text.char_indices().nth(text.chars().count() / 2).map_or(0, |(i, _)| i);
    std::fs::write(bad.join("digest.json"), &text[..half]).unwrap();
    let bad_brief = read(bad, "briefing.md");
    // A digest from a newer speechdigest, and a missing one.
    let newer = dir.path().join("newer.json");
    std::fs::write(
        &newer,
        read(good, "digest.json").replacen("\"schema_version\": 4", "\"schema_version\": 99", 1),
    )
    .unwrap();
    let missing = dir.path().join("gone/digest.json");
    let tpl = templates(dir.path(), "EDITED");
    let r = run([
        "render".as_ref(),
        bad.join("digest.json").as_os_str(),
        newer.as_os_str(),
        missing.as_os_str(),
        good.join("digest.json").as_os_str(),
        "--templates".as_ref(),
        tpl.as_os_str(),
    ]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let errors: Vec<&str> = r.stderr.lines().filter(|l| !l.starts_with("warning:")).collect();
    assert_eq!(errors.len(), 3, "one line per bad digest: {}", r.stderr);
    assert!(
        errors[0].starts_with("error: `") && errors[0].contains("is not a valid digest.json: "),
        "{}",
        errors[0]
    );
    assert!(errors[0].contains("line "), "no position: {}", errors[0]);
    assert!(
        errors[1].contains("schema version 99") && errors[1].contains("up to version 4"),
        "{}",
        errors[1]
    );
    assert!(errors[2].contains("cannot read") && errors[2].contains("gone"), "{}", errors[2]);
    assert!(read(good, "briefing.md").starts_with("EDITED "), "the good digest was not rendered");
    assert_eq!(read(bad, "briefing.md"), bad_brief);
    assert_eq!(r.stdout.lines().count(), 1, "{}", r.stdout);
}

#[test]
fn a_digest_without_a_version_is_read_as_version_zero() {
    let dir = tempfile::tempdir().unwrap();
    let folder = build(dir.path(), &[speech("en-johnson-1963-joint-session-nov27.txt")]).remove(0);
    let mut v: serde_json::Value = serde_json::from_str(&read(&folder, "digest.json")).unwrap();
    v.as_object_mut().unwrap().remove("schema_version");
    std::fs::write(folder.join("digest.json"), v.to_string()).unwrap();
    let tpl = templates(dir.path(), "OLD");
    let r = run([
        "render".as_ref(),
        folder.join("digest.json").as_os_str(),
        "--templates".as_ref(),
        tpl.as_os_str(),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        read(&folder, "briefing.md").contains("(version 0,"),
        "{}",
        read(&folder, "briefing.md")
    );
}

#[test]
fn render_into_another_folder_and_only() {
    let dir = tempfile::tempdir().unwrap();
    let folder = build(dir.path(), &[speech("zh-seed-anticorruption-2025.txt")]).remove(0);
    let before = read(&folder, "briefing.md");
    let tpl = templates(dir.path(), "PREVIEW");
    let preview = dir.path().join("preview");
    let r = run([
        "render".as_ref(),
        folder.join("digest.json").as_os_str(),
        "-o".as_ref(),
        preview.as_os_str(),
        "--only".as_ref(),
        "briefing,newsletter.tts".as_ref(),
        "--templates".as_ref(),
        tpl.as_os_str(),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let target = preview.join(folder.file_name().unwrap());
    let mut names: Vec<String> = std::fs::read_dir(&target)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with('.'))
        .collect();
    names.sort();
    assert_eq!(names, ["briefing.docx", "briefing.md", "newsletter.tts.txt"]);
    assert!(read(&target, "briefing.md").starts_with("PREVIEW "));
    assert_eq!(read(&folder, "briefing.md"), before, "the digest's own folder was written");
    // Outputs made from the speech are not re-rendered, and say so.
    for only in ["transcript", "digest", "brefing"] {
        let r = run([
            "render".as_ref(),
            folder.join("digest.json").as_os_str(),
            "--only".as_ref(),
            only.as_ref(),
        ]);
        assert_eq!(r.code, 2, "{only}: {}", r.stderr);
    }
    let r = run(["render".as_ref(), folder.as_os_str(), "--only".as_ref(), "transcript".as_ref()]);
    assert!(r.stderr.contains("cannot be re-rendered from digest.json"), "{}", r.stderr);
}

fn watch_config(dir: &Path, templates: Option<&str>) {
    let mut c = String::from(
        "[output]\ndir = \"digests\"\n[state]\npath = \"state.sqlite\"\n[[sources]]\nname = \"inbox\"\nkind = \"folder\"\npath = \"inbox\"\n",
    );
    if let Some(t) = templates {
        c.push_str(&format!("templates = \"{t}\"\n"));
    }
    std::fs::create_dir_all(dir.join("inbox")).unwrap();
    std::fs::write(dir.join("speechdigest.toml"), c).unwrap();
}

#[test]
fn watch_rerender_rewrites_every_folder_of_the_state() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    watch_config(d, None);
    std::fs::copy(speech("zh-seed-anticorruption-2025.txt"), d.join("inbox/seed.txt")).unwrap();
    std::fs::copy(speech("en-johnson-1963-joint-session-nov27.txt"), d.join("inbox/johnson.txt"))
        .unwrap();
    let r = run_in(d, ["watch", "--once", "--config", "speechdigest.toml"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let made = folders(&d.join("digests"));
    assert_eq!(made.len(), 2);
    let transcripts: Vec<String> = made.iter().map(|f| read(f, "transcript.txt")).collect();

    // The source's templates change: --rerender uses them for every folder.
    templates(d, "RERENDERED");
    watch_config(d, Some("tpl"));
    let r = run_in(d, ["watch", "--rerender", "--config", "speechdigest.toml"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("watch --rerender: 2 re-rendered, 0 failed"), "{}", r.stdout);
    for (f, t) in made.iter().zip(&transcripts) {
        assert!(read(f, "briefing.md").starts_with("RERENDERED "), "{}", f.display());
        assert_eq!(&read(f, "transcript.txt"), t);
    }
    // The state is as it was: the next pass has nothing to do.
    let r = run_in(d, ["watch", "--once", "--config", "speechdigest.toml"]);
    assert!(r.stdout.contains("0 new, 0 updated, 2 unchanged, 0 failed"), "{}", r.stdout);

    // A folder whose digest is gone fails alone (exit 1); JSON report.
    std::fs::remove_file(made[0].join("digest.json")).unwrap();
    std::fs::write(d.join("tpl/briefing.md.tera"), "AGAIN {{ title }}\n").unwrap();
    let r = run_in(d, ["watch", "--rerender", "--json", "--config", "speechdigest.toml"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let report: serde_json::Value = serde_json::from_str(r.stdout.trim()).unwrap();
    assert_eq!((report["rerendered"].as_u64(), report["failed"].as_u64()), (Some(1), Some(1)));
    assert!(r.stderr.contains("watch --rerender: 1 re-rendered, 1 failed"), "{}", r.stderr);
    assert!(read(&made[1], "briefing.md").starts_with("AGAIN "));

    // --rerender does no pass: it does not combine with pass options.
    let r = run_in(d, ["watch", "--rerender", "--once", "--config", "speechdigest.toml"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
}
