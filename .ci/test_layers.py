#!/usr/bin/env python3
"""Self-test for .ci/layers.py: a fake crate with one known arrow up, one known
disallowed cycle, one allowed mod.rs cycle, a nested-brace `use`, an inline
`crate::x::f()` path, and paths in comments/strings that must be ignored.

Run: python3 .ci/test_layers.py
"""

import contextlib
import io
import os
import sys
import tempfile
import textwrap
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import layers  # noqa: E402

TABLE = """
# bottom to top
[[layer]]
name = "base"
modules = ["error"]
[[layer]]
name = "stages"
modules = ["ingest", "outline", "tts"]
[[layer]]
name = "app"
modules = ["run"]
[[layer]]
name = "root"
modules = ["lib", "main"]
"""

FILES = {
    "src/lib.rs": """
        //! Docs mentioning crate::run::nothing in a doc comment.
        pub mod error;
        pub mod ingest;
        pub mod outline;
        pub mod run;
        pub mod tts;
    """,
    "src/main.rs": """
        fn main() { speechdigest::run::start(); }
    """,
    # The one arrow up: base -> app.
    "src/error.rs": """
        pub enum Error {
            Run(crate::run::RunError),
        }
    """,
    # Disallowed cycle ingest/mod.rs <-> outline/mod.rs (two folders), via a
    # nested-brace multi-line use here and an inline path in outline/mod.rs.
    "src/ingest/mod.rs": """
        pub(crate) use crate::outline::{
            Outline as O,
            inner::{self, deep::*},
        };
        // use crate::run::Commented;
        /* block crate::run::Blocked /* nested crate::run::Nested */ still comment */
        pub fn parse() -> &'static str { "crate::run::InString" }
        pub fn raw() -> &'static str { r#"a "crate::run::InRaw" b"# }
        pub fn ch() -> char { '"' }
        pub fn after_char() { let _ = "crate::run::AfterChar"; }
        pub fn life<'a>(x: &'a str) -> &'a str { x }
    """,
    "src/outline/mod.rs": """
        pub mod inner;
        pub struct Outline;
        pub fn build() { crate::ingest::parse(); }
    """,
    "src/outline/inner/mod.rs": """
        pub mod deep;
    """,
    "src/outline/inner/deep.rs": """
        pub struct Deep;
    """,
    # Allowed cycle tts/mod.rs <-> tts/chunk.rs: the parent uses the child through a
    # child-module path, the child (in its tests) uses the parent via super::super.
    "src/tts/mod.rs": """
        mod chunk;
        pub use chunk::pack;
        pub struct Limit;
    """,
    "src/tts/chunk.rs": """
        pub fn pack() {}
        #[cfg(test)]
        mod tests {
            use super::*;
            use super::super::Limit;
        }
    """,
    # Downward only (app -> everything): no violation, no cycle.
    "src/run.rs": """
        use crate::{outline::Outline, tts};
        pub struct RunError;
        pub fn start() { let _ = crate::outline::build(); }
    """,
}


def make_tree(root, files=FILES, table=TABLE):
    for rel, text in files.items():
        path = os.path.join(root, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(textwrap.dedent(text).lstrip("\n"))
    with open(os.path.join(root, "layers.toml"), "w", encoding="utf-8") as fh:
        fh.write(table)


def run_main(argv):
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = layers.main(argv)
    return code, out.getvalue(), err.getvalue()


class LayersTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.root = self.tmp.name
        make_tree(self.root)

    def tearDown(self):
        self.tmp.cleanup()

    def test_exactly_the_known_findings(self):
        a = layers.analyze(self.root)
        ups = [(r.src.rel, r.line, layers._tgt_name(r), r.via) for r in a.up]
        self.assertEqual(ups, [("src/error.rs", 2, "run", "crate::run::RunError")])
        bad = [c for c, ok, _ in a.cycles if not ok]
        allowed = [c for c, ok, _ in a.cycles if ok]
        self.assertEqual(bad, [["src/ingest/mod.rs", "src/outline/mod.rs"]])
        self.assertEqual(allowed, [["src/tts/chunk.rs", "src/tts/mod.rs"]])
        self.assertEqual(a.top_sccs, [["ingest", "outline"]])

    def test_nested_brace_and_inline_paths(self):
        a = layers.analyze(self.root)
        edges = {(r.src.rel, r.line, r.target.rel) for r in a.refs}
        # nested braces in a multi-line `pub(crate) use`, with `as`, `self` and `*`
        self.assertIn(("src/ingest/mod.rs", 2, "src/outline/mod.rs"), edges)
        self.assertIn(("src/ingest/mod.rs", 3, "src/outline/inner/mod.rs"), edges)
        self.assertIn(("src/ingest/mod.rs", 3, "src/outline/inner/deep.rs"), edges)
        # inline path in code
        self.assertIn(("src/outline/mod.rs", 3, "src/ingest/mod.rs"), edges)
        # main.rs: speechdigest:: is the library
        self.assertIn(("src/main.rs", 1, "src/run.rs"), edges)
        # child-module first segment, and super::super from an inline test module
        self.assertIn(("src/tts/mod.rs", 2, "src/tts/chunk.rs"), edges)
        self.assertIn(("src/tts/chunk.rs", 5, "src/tts/mod.rs"), edges)

    def test_comments_and_strings_ignored(self):
        a = layers.analyze(self.root)
        from_ingest = sorted((r.line, r.target.rel) for r in a.refs if r.src.rel == "src/ingest/mod.rs")
        self.assertEqual(from_ingest, [
            (2, "src/outline/mod.rs"),
            (3, "src/outline/inner/deep.rs"),
            (3, "src/outline/inner/mod.rs"),
        ])
        self.assertFalse([r for r in a.refs if r.src.rel == "src/lib.rs"])

    def test_cli_output_and_exit_codes(self):
        code, out, _ = run_main(["--root", self.root])
        self.assertEqual(code, 1)
        self.assertIn(
            "UP  src/error.rs:2  error -> run (layer base -> app)  via crate::run::RunError", out)
        self.assertEqual(out.rstrip().splitlines()[-1], "layers: 1 arrows up, 2 cycles (1 allowed)")
        code, out, _ = run_main(["--root", self.root, "--quiet"])
        self.assertEqual(code, 1)
        self.assertEqual(len(out.strip().splitlines()), 3)  # UP, CYCLE, final line
        dot = os.path.join(self.root, "g.dot")
        run_main(["--root", self.root, "--dot", dot])
        with open(dot, encoding="utf-8") as fh:
            self.assertIn('"error" -> "run" [label="1", color=red', fh.read())

    def test_clean_tree_exits_zero(self):
        os.remove(os.path.join(self.root, "src/error.rs"))
        with open(os.path.join(self.root, "src/outline/mod.rs"), "w") as fh:
            fh.write("pub mod inner;\npub struct Outline;\n")
        code, out, _ = run_main(["--root", self.root])
        self.assertEqual(code, 0, out)
        self.assertTrue(out.rstrip().endswith("layers: 0 arrows up, 1 cycles (1 allowed)"))

    def test_usage_errors(self):
        with open(os.path.join(self.root, "src/extra.rs"), "w") as fh:
            fh.write("use crate::run::start;\n")
        code, _, err = run_main(["--root", self.root])
        self.assertEqual(code, 2)
        self.assertIn("not in the layer table: extra", err)
        # --map puts it in a layer: extra (as error, base) -> run is now an arrow up
        code, out, _ = run_main(["--root", self.root, "--map", "extra=error"])
        self.assertEqual(code, 1)
        self.assertIn("UP  src/extra.rs:1  extra -> run (layer base -> app)", out)
        code, _, err = run_main(["--root", self.root, "--map", "extra=nosuch"])
        self.assertEqual(code, 2)
        os.remove(os.path.join(self.root, "layers.toml"))
        code, _, err = run_main(["--root", self.root])
        self.assertEqual(code, 2)
        self.assertIn("layer table not found", err)

    def test_src_bin_is_outside_the_layers(self):
        # An extra binary (src/bin/x/main.rs + a module): its own crate, so its
        # `crate::` paths and its folder name are neither modules nor arrows.
        for rel, text in {
            "src/bin/tool/main.rs": "mod detect;\nfn main() { crate::detect::run(); }\n",
            "src/bin/tool/detect.rs": "pub fn run() { let _ = crate::run::x; }\n",
            "src/bin/other.rs": "use crate::error::Error;\nfn main() {}\n",
        }.items():
            path = os.path.join(self.root, rel)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w", encoding="utf-8") as fh:
                fh.write(text)
        a = layers.analyze(self.root)
        self.assertFalse([f for f in a.files if f.rel.startswith("src/bin/")])
        code, out, err = run_main(["--root", self.root])
        self.assertEqual(code, 1, err)  # the known findings only, no usage error
        self.assertNotIn("bin", err)

    def test_strip_code_keeps_lines(self):
        src = 'a /* x\n y */ b "s\n t" c // d\n\'\\n\' r##"q"#\n"## e'
        clean = layers.strip_code(src)
        self.assertEqual(clean.count("\n"), src.count("\n"))
        self.assertEqual(clean.split(), ["a", "b", "c", "e"])


if __name__ == "__main__":
    unittest.main(verbosity=2)
