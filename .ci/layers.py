#!/usr/bin/env python3
"""Check the crate's module layering against layers.toml (Python 3.11, stdlib only).

Reads layers.toml (bottom layer first) and every src/**/*.rs file, resolves each
crate-internal path to the module *file* it points to, and reports:

  * arrows up: a reference from a module whose top-level module is in layer L
    to a top-level module in a layer above L;
  * cycles: strongly connected components (iterative Tarjan) of the graph over
    module files with more than one file. A cycle is "allowed" only when all of
    its files sit in one module folder and it passes through that folder's own
    mod.rs (or the 2018-style `src/x.rs` owning `src/x/`); anything else is an
    error. Cycles between top-level modules are printed too, as information.

What counts as a reference (comments, string and char literals are blanked first):
  * `use` items, any visibility, multi-line, nested braces, `self`, `as`, `*`;
  * inline paths anywhere in code: `crate::a::f(..)`, `super::super::X`,
    `self::m::Y`, `$crate::..`; in src/main.rs `speechdigest::x` means `crate::x`;
  * paths whose first segment is a child module declared with `mod x;` in the
    same file (`pub use digest::Digest;` in model/mod.rs), outside inline modules.
  `pub(in path)` visibilities and `mod` declarations are not references; `mod`
  declarations (and inline `mod m { .. }`, for `super::`) define the module tree.
  `#[path]` is ignored. Code in `#[cfg(test)] mod tests { .. }` counts like any other.
A path resolves to the longest existing module-file prefix: `crate::outline::tree::S`
is `outline::tree` when src/outline/tree.rs (or tree/mod.rs) exists, else `outline`.
A path to the crate root itself (`crate::Result`, an item of src/lib.rs) points to
`lib`, the top layer: the ancestor exemption below does not extend to the root.

Files under src/bin/ are skipped: each extra binary is a crate of its own, whose
`crate::` paths name its own modules and which reaches the library only as
`speechdigest::`, from above every layer.

A child using its own ancestors' items (`super::Foo` in src/outline/tree.rs) is never
an arrow up; within one top-level module nothing is.

Exit status: 0 clean, 1 arrows up or disallowed cycles, 2 usage error (no/invalid
table, a top-level module of src/ that is not in the table, bad --map).
"""

from __future__ import annotations

import argparse
import bisect
import os
import re
import sys
import tomllib
from collections import defaultdict
from dataclasses import dataclass, field

ROOT_NAMES = ("lib", "main")


class UsageError(Exception):
    pass


# ---------------------------------------------------------------- lexing

_INTERESTING = re.compile(r"""//|/\*|"|'|(?<!\w)(?:[bc]?r#*"|[bc]")""")
_STRING_BODY = re.compile(r'(?:[^"\\]+|\\.)*"', re.S)
_RAW_START = re.compile(r'[bc]?r(#*)"')


def _blank(s: str) -> str:
    return re.sub(r"[^\n]", " ", s)


def strip_code(src: str) -> str:
    """Blank out comments, string literals and char literals, keeping every newline
    (so offsets keep their line numbers) and lifetimes/labels (`'a`)."""
    out: list[str] = []
    i, n = 0, len(src)
    while i < n:
        m = _INTERESTING.search(src, i)
        if not m:
            out.append(src[i:])
            break
        out.append(src[i : m.start()])
        i = m.start()
        tok = m.group(0)
        if tok == "//":
            j = src.find("\n", i)
            j = n if j < 0 else j
        elif tok == "/*":
            depth, j = 1, i + 2
            while j < n and depth:
                if src.startswith("/*", j):
                    depth, j = depth + 1, j + 2
                elif src.startswith("*/", j):
                    depth, j = depth - 1, j + 2
                else:
                    j += 1
        elif tok == "'":
            if src.startswith("\\", i + 1):  # '\n', '\'', '\u{..}'
                k = src.find("'", i + 3)
                j = n if k < 0 else k + 1
            elif i + 2 < n and src[i + 2] == "'" and src[i + 1] != "\n":  # 'x', '"'
                j = i + 3
            else:  # lifetime or label: keep
                out.append("'")
                i += 1
                continue
        elif tok.endswith('"') and "r" in tok:  # raw string, any prefix
            hashes = _RAW_START.match(src, i).group(1)
            k = src.find('"' + hashes, m.end())
            j = n if k < 0 else k + 1 + len(hashes)
        else:  # "..", b"..", c".."
            sm = _STRING_BODY.match(src, m.end())
            j = n if not sm else sm.end()
        out.append(_blank(src[i:j]))
        i = j
    return "".join(out)


_TOKEN = re.compile(r"(r#)?([^\W\d]\w*)|(\d\w*)|(::)|(\S)")


@dataclass
class Tok:
    kind: str  # "id", "num", "::", "p"
    val: str
    line: int


def tokenize(clean: str) -> list[Tok]:
    starts = [0] + [m.end() for m in re.finditer("\n", clean)]
    toks = []
    for m in _TOKEN.finditer(clean):
        line = bisect.bisect_right(starts, m.start())
        if m.group(2):
            toks.append(Tok("id", m.group(2), line))
        elif m.group(3):
            toks.append(Tok("num", m.group(3), line))
        elif m.group(4):
            toks.append(Tok("::", "::", line))
        else:
            toks.append(Tok("p", m.group(5), line))
    return toks


# ---------------------------------------------------------------- parsing


@dataclass
class RawRef:
    segs: tuple[str, ...]
    line: int
    glob: bool
    inline: tuple[str, ...]  # inline-module stack at the reference
    in_use: bool


@dataclass
class FileScan:
    refs: list[RawRef] = field(default_factory=list)
    decls: list[tuple[tuple[str, ...], int]] = field(default_factory=list)  # (inline+name, line)
    problems: list[str] = field(default_factory=list)


def _parse_use_tree(toks: list[Tok], pos: int, prefix: list[str], out: list) -> int:
    segs = list(prefix)
    while True:
        t = toks[pos]
        if t.val == "*":
            out.append((tuple(segs), t.line, True))
            return pos + 1
        if t.val == "{":
            pos += 1
            while toks[pos].val != "}":
                pos = _parse_use_tree(toks, pos, segs, out)
                if toks[pos].val == ",":
                    pos += 1
            return pos + 1
        if t.kind == "::" and not segs:  # `use ::extern_crate::..`
            segs.append("::")
            pos += 1
            continue
        if t.kind != "id":
            raise ValueError(f"unexpected {t.val!r}")
        pos += 1
        if toks[pos].kind == "::":
            segs.append(t.val)
            pos += 1
            continue
        leaf = tuple(segs) if t.val == "self" else tuple(segs) + (t.val,)
        if toks[pos].val == "as":
            pos += 2
        out.append((leaf, t.line, False))
        return pos


def scan_file(text: str, starters: frozenset[str], child_starters: frozenset[str]) -> FileScan:
    """Collects `mod` declarations and crate-internal path references of one file.
    `starters` are first segments that always begin an internal path (crate, self,
    super, and speechdigest in main.rs); `child_starters` the file's own child
    modules, valid as first segments outside inline modules."""
    toks = tokenize(strip_code(text))
    toks.append(Tok("p", ";", toks[-1].line if toks else 1))  # sentinel
    res = FileScan()
    depth = 0
    inline: list[tuple[str, int]] = []
    i, n = 0, len(toks) - 1

    def first_ok(name: str) -> bool:
        return name in starters or (not inline and name in child_starters)

    while i < n:
        t = toks[i]
        prev = toks[i - 1] if i else None
        if t.val == "{":
            depth += 1
        elif t.val == "}":
            depth -= 1
            if inline and inline[-1][1] == depth:
                inline.pop()
        elif t.kind == "id" and t.val == "mod" and toks[i + 1].kind == "id":
            name, after = toks[i + 1].val, toks[i + 2].val
            if after == "{":
                inline.append((name, depth))
                i += 2
                continue  # the `{` is counted next round
            if after == ";":
                res.decls.append((tuple(x for x, _ in inline) + (name,), t.line))
                i += 3
                continue
        elif t.kind == "id" and t.val == "pub" and toks[i + 1].val == "(" and toks[i + 2].val == "in":
            j = i + 3
            while j < n and toks[j].val != ")":
                j += 1
            i = j + 1
            continue
        elif t.kind == "id" and t.val == "use" and (prev is None or prev.kind != "::"):
            if toks[i + 1].val == "<":  # `impl Trait + use<'a>`
                i += 1
                continue
            j, level = i + 1, 0
            while j < n:
                v = toks[j].val
                if v == "{":
                    level += 1
                elif v == "}":
                    level -= 1
                    if level < 0:
                        break
                elif v == ";" and level == 0:
                    break
                j += 1
            if j >= n or toks[j].val != ";":
                res.problems.append(f"line {t.line}: unterminated `use`, skipped")
                i += 1
                continue
            items: list = []
            try:
                body = toks[i + 1 : j] + [Tok("p", ";", toks[j].line)]
                end = _parse_use_tree(body, 0, [], items)
                if body[end].val != ";":
                    raise ValueError(f"trailing {body[end].val!r}")
            except (ValueError, IndexError) as e:
                res.problems.append(f"line {t.line}: cannot parse `use` ({e}), skipped")
                items = []
            stack = tuple(x for x, _ in inline)
            for segs, line, glob in items:
                if segs and first_ok(segs[0]):
                    res.refs.append(RawRef(segs, line, glob, stack, True))
            i = j + 1
            continue
        elif (
            t.kind == "id"
            and toks[i + 1].kind == "::"
            and first_ok(t.val)
            and (prev is None or (prev.kind != "::" and prev.val != "."))
        ):
            segs, line, j = [t.val], t.line, i + 1
            while toks[j].kind == "::" and toks[j + 1].kind == "id":
                segs.append(toks[j + 1].val)
                line = toks[j + 1].line
                j += 2
            res.refs.append(RawRef(tuple(segs), line, False, tuple(x for x, _ in inline), False))
            i = j
            continue
        i += 1
    return res


# ---------------------------------------------------------------- the crate


@dataclass
class SrcFile:
    rel: str  # "src/outline/tree.rs"
    module: tuple[str, ...]  # () for lib.rs / main.rs
    is_main: bool

    @property
    def top(self) -> str:
        if self.module:
            return self.module[0]
        return "main" if self.is_main else "lib"

    @property
    def modname(self) -> str:
        return "::".join(self.module) if self.module else self.top


@dataclass
class Ref:
    src: SrcFile
    line: int
    target: SrcFile
    target_mod: tuple[str, ...]
    via: str


def discover(root: str) -> tuple[list[SrcFile], list[str]]:
    src = os.path.join(root, "src")
    if not os.path.isdir(src):
        raise UsageError(f"no src/ folder under {root}")
    files, notes = [], []
    for dirpath, dirnames, filenames in os.walk(src):
        dirnames.sort()
        if dirpath == src and "bin" in dirnames:
            # src/bin/ holds extra binaries: each is a crate root of its own
            # (its `crate::` is itself, not the library), outside these layers.
            dirnames.remove("bin")
        for fn in sorted(filenames):
            if not fn.endswith(".rs"):
                continue
            full = os.path.join(dirpath, fn)
            rel = os.path.relpath(full, root).replace(os.sep, "/")
            parts = rel.split("/")[1:]  # drop "src"
            if len(parts) == 1 and fn in ("lib.rs", "main.rs"):
                files.append(SrcFile(rel, (), fn == "main.rs"))
                continue
            mod = parts[:-1] + ([] if fn == "mod.rs" else [fn[:-3]])
            files.append(SrcFile(rel, tuple(mod), False))
    seen: dict[tuple, SrcFile] = {}
    for f in files:
        if f.module and f.module in seen:
            notes.append(f"both {seen[f.module].rel} and {f.rel} define module "
                         f"{'::'.join(f.module)}; using {seen[f.module].rel}")
        else:
            seen.setdefault(f.module if f.module else (f.top,), f)
    return files, notes


def load_table(path: str) -> list[tuple[str, list[str]]]:
    if not os.path.isfile(path):
        raise UsageError(f"layer table not found: {path}")
    try:
        with open(path, "rb") as fh:
            data = tomllib.load(fh)
    except tomllib.TOMLDecodeError as e:
        raise UsageError(f"{path}: {e}") from None
    layers = data.get("layer")
    if not isinstance(layers, list) or not layers:
        raise UsageError(f"{path}: expected [[layer]] tables with name and modules")
    out, owner = [], {}
    for k, lay in enumerate(layers):
        name, mods = lay.get("name"), lay.get("modules")
        if not isinstance(name, str) or not isinstance(mods, list) or not all(
            isinstance(m, str) for m in mods
        ):
            raise UsageError(f"{path}: layer #{k + 1} needs name = \"..\" and modules = [\"..\"]")
        for m in mods:
            if m in owner:
                raise UsageError(f"{path}: module {m} is in layers {owner[m]} and {name}")
            owner[m] = name
        out.append((name, list(mods)))
    return out


@dataclass
class Analysis:
    files: list[SrcFile]
    refs: list[Ref]
    layer_of: dict[str, tuple[int, str]]  # top-level module -> (index, layer name)
    up: list[Ref]
    cycles: list[tuple[list[str], bool, str]]  # (files, allowed, folder)
    top_sccs: list[list[str]]
    notes: list[str]
    mapped: list[tuple[str, str, str]]
    unknown: list[str]
    n_layers: int
    n_table_modules: int


def _tarjan(nodes: list[str], adj: dict[str, set[str]]) -> list[list[str]]:
    """Iterative Tarjan; returns every SCC (sorted inside)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    sccs: list[list[str]] = []
    counter = 0
    for start in nodes:
        if start in index:
            continue
        work = [(start, iter(sorted(adj.get(start, ()))))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            v, it = work[-1]
            advanced = False
            for w in it:
                if w not in index:
                    index[w] = low[w] = counter
                    counter += 1
                    stack.append(w)
                    on_stack.add(w)
                    work.append((w, iter(sorted(adj.get(w, ())))))
                    advanced = True
                    break
                if w in on_stack:
                    low[v] = min(low[v], index[w])
            if advanced:
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[v])
            if low[v] == index[v]:
                comp = []
                while True:
                    w = stack.pop()
                    on_stack.discard(w)
                    comp.append(w)
                    if w == v:
                        break
                sccs.append(sorted(comp))
    return sccs


def analyze(root: str, table_path: str | None = None, maps: list[str] = ()) -> Analysis:
    table = load_table(table_path or os.path.join(root, "layers.toml"))
    layer_of: dict[str, tuple[int, str]] = {}
    for k, (name, mods) in enumerate(table):
        for m in mods:
            layer_of[m] = (k, name)
    n_table_modules = len(layer_of)
    files, notes = discover(root)
    tops = sorted({f.top for f in files})

    mapped = []
    for spec in maps:
        old, sep, new = spec.partition("=")
        if not sep or not old or not new:
            raise UsageError(f"--map wants OLD=NEW, got {spec!r}")
        if new not in layer_of:
            raise UsageError(f"--map {spec}: {new} is not a module of the layer table")
        if old in layer_of:
            notes.append(f"--map {spec}: {old} is already in the table; the map overrides it")
        layer_of[old] = layer_of[new]
        mapped.append((old, new, layer_of[new][1]))
    for old, _, _ in mapped:
        if old not in tops:
            notes.append(f"--map {old}=..: there is no top-level module {old} in src/")
    unknown = [t for t in tops if t not in layer_of]
    missing = sorted(set(m for _, ms in table for m in ms) - set(tops))
    if missing:
        notes.append("table modules not present in src/: " + ", ".join(missing))

    by_mod: dict[tuple[str, ...], SrcFile] = {}
    lib = main = None
    for f in files:
        if not f.module:
            if f.is_main:
                main = f
            else:
                lib = f
        else:
            by_mod.setdefault(f.module, f)
    lib_root = lib or main

    # Pass 1: scan, collect `mod` declarations.
    scans: dict[str, FileScan] = {}
    declared: set[tuple[str, ...]] = set()
    texts = {}
    for f in files:
        with open(os.path.join(root, f.rel), encoding="utf-8", errors="replace") as fh:
            texts[f.rel] = fh.read()
    child_of: dict[str, frozenset[str]] = {}
    for f in files:
        pre = scan_file(texts[f.rel], frozenset(), frozenset())
        kids = set()
        for path, line in pre.decls:
            declared.add(f.module + path)
            if len(path) == 1:
                kids.add(path[0])
            if f.module + path not in by_mod:
                notes.append(f"{f.rel}:{line}: `mod {path[-1]};` has no file")
        child_of[f.rel] = frozenset(kids)
    # Modules declared by a registration macro (`register_outputs!(a, b)`,
    # `register_providers!(openai => "openai")`) in their parent: the macro
    # expands to `mod a;`, so they are compiled and checked like the others.
    for f in files:
        for m in re.finditer(r"register_\w+!\s*[(\[{]([^)\]}]*)[)\]}]", texts[f.rel]):
            body = re.sub(r'"[^"]*"', "", m.group(1))
            for ident in re.findall(r"\b([a-z_][a-z0-9_]*)\b", body):
                declared.add(f.module + (ident,))
    for f in files:
        if f.module and f.module not in declared:
            notes.append(f"{f.rel}: module {f.modname} is not declared by any `mod` (not compiled)")

    # Pass 2: references.
    refs: list[Ref] = []
    seen = set()
    for f in files:
        starters = {"crate", "self", "super"} | ({"speechdigest"} if f.is_main else set())
        sc = scan_file(texts[f.rel], frozenset(starters), child_of[f.rel])
        notes.extend(f"{f.rel}: {p}" for p in sc.problems)
        for r in sc.refs:
            cur = list(f.module + r.inline)
            segs = list(r.segs)
            base: list[str] | None = None
            to_lib = False
            k = 0
            bad = False
            while k < len(segs) and segs[k] in ("crate", "self", "super", "speechdigest"):
                s = segs[k]
                if s in ("crate", "speechdigest"):
                    if k:
                        bad = True
                        break
                    base, to_lib = [], s == "speechdigest"
                elif s == "self":
                    if k:
                        bad = True
                        break
                    base = cur
                else:  # super
                    b = cur if base is None else base
                    if not b:
                        bad = True
                        break
                    base = b[:-1]
                k += 1
            if bad:
                notes.append(f"{f.rel}:{r.line}: cannot resolve {'::'.join(r.segs)}")
                continue
            if base is None:  # a child module as first segment
                base = list(f.module)
            full = base + segs[k:]
            tgt_mod: tuple[str, ...] = ()
            for cut in range(len(full), 0, -1):
                if tuple(full[:cut]) in by_mod:
                    tgt_mod = tuple(full[:cut])
                    break
            if tgt_mod:
                tgt = by_mod[tgt_mod]
            elif f.is_main and not to_lib:
                tgt = f
            else:
                tgt = lib_root
            if tgt is None or tgt is f:
                continue
            key = (f.rel, r.line, tgt.rel)
            if key in seen:
                continue
            seen.add(key)
            via = "::".join(r.segs) + ("::*" if r.glob else "")
            refs.append(Ref(f, r.line, tgt, tgt_mod, via))
    refs.sort(key=lambda r: (r.src.rel, r.line, r.target.rel))

    # Arrows up.
    up = []
    for r in refs:
        st, tt = r.src.top, r.target.top
        if st == tt or st not in layer_of or tt not in layer_of:
            continue
        if r.target_mod and r.src.module[: len(r.target_mod)] == r.target_mod:
            continue  # an ancestor's items (never across top-level modules, kept for clarity)
        if layer_of[tt][0] > layer_of[st][0]:
            up.append(r)

    # Cycles over files.
    adj: dict[str, set[str]] = defaultdict(set)
    for r in refs:
        adj[r.src.rel].add(r.target.rel)
    rel_files = {f.rel: f for f in files}
    dirs_with_mods = {os.path.dirname(f.rel) for f in files}

    def folder(rel: str) -> str:
        d, base = os.path.split(rel)
        if base == "mod.rs":
            return d
        stem = os.path.join(d, base[:-3]).replace(os.sep, "/")
        if rel_files[rel].module and stem in dirs_with_mods:  # src/x.rs owning src/x/
            return stem
        return d

    def owner_of(d: str) -> set[str]:
        return {d + "/mod.rs", d + ".rs"}

    cycles = []
    for comp in _tarjan(sorted(rel_files), adj):
        if len(comp) < 2:
            continue
        folders = {folder(c) for c in comp}
        allowed = False
        fold = ""
        if len(folders) == 1:
            fold = next(iter(folders))
            allowed = fold != "src" and bool(owner_of(fold) & set(comp))
        cycles.append((comp, allowed, fold))
    cycles.sort(key=lambda c: (c[1], -len(c[0]), c[0]))

    # Cycles over top-level modules.
    tadj: dict[str, set[str]] = defaultdict(set)
    for r in refs:
        if r.src.top != r.target.top:
            tadj[r.src.top].add(r.target.top)
    top_sccs = [c for c in _tarjan(sorted({f.top for f in files}), tadj) if len(c) > 1]
    top_sccs.sort(key=lambda c: (-len(c), c))

    return Analysis(files, refs, layer_of, up, cycles, top_sccs, sorted(set(notes)), mapped,
                    unknown, len(table), n_table_modules)


# ---------------------------------------------------------------- output


def _tgt_name(r: Ref) -> str:
    return "::".join(r.target_mod) if r.target_mod else r.target.top


def write_dot(a: Analysis, path: str) -> None:
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for r in a.refs:
        if r.src.top != r.target.top:
            counts[(r.src.top, r.target.top)] += 1
    ups = {(r.src.top, r.target.top) for r in a.up}
    in_cycle = {m: k for k, c in enumerate(a.top_sccs) for m in c}
    tops = sorted({f.top for f in a.files})
    by_layer: dict[tuple[int, str], list[str]] = defaultdict(list)
    for t in tops:
        by_layer[a.layer_of.get(t, (-1, "(unknown)"))].append(t)
    lines = ["digraph layers {", "  rankdir=BT;", "  node [shape=box, fontname=Helvetica];"]
    for (k, name), mods in sorted(by_layer.items()):
        lines.append(f'  subgraph "cluster_{k}_{name}" {{ label="{k}: {name}"; rank=same;')
        for m in mods:
            lines.append(f'    "{m}";')
        lines.append("  }")
    for (s, t), c in sorted(counts.items()):
        attrs = [f'label="{c}"']
        if (s, t) in ups:
            attrs += ["color=red", "fontcolor=red", "penwidth=2"]
        elif s in in_cycle and in_cycle.get(t) == in_cycle[s]:
            attrs += ["color=orange"]
        lines.append(f'  "{s}" -> "{t}" [{", ".join(attrs)}];')
    lines.append("}")
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("\n".join(lines) + "\n")


def report(a: Analysis, quiet: bool) -> list[str]:
    out: list[str] = []
    bad = [c for c in a.cycles if not c[1]]
    allowed = [c for c in a.cycles if c[1]]
    final = f"layers: {len(a.up)} arrows up, {len(a.cycles)} cycles ({len(allowed)} allowed)"

    def lay(t: str) -> str:
        return a.layer_of[t][1]

    up_lines = [
        f"UP  {r.src.rel}:{r.line}  {r.src.modname} -> {_tgt_name(r)} "
        f"(layer {lay(r.src.top)} -> {lay(r.target.top)})  via {r.via}"
        for r in a.up
    ]
    if quiet:
        out += up_lines
        for comp, _, _ in bad:
            out.append(f"CYCLE  {len(comp)} files: " + " ".join(comp))
        out.append(final)
        return out

    tops = sorted({f.top for f in a.files} - set(ROOT_NAMES))

    def nonroot(c: list[str]) -> int:
        return len([m for m in c if m not in ROOT_NAMES])

    edges_up = sorted({(r.src.modname, _tgt_name(r)) for r in a.up})
    out.append(f"files: {len(a.files)} scanned, {len(tops)} top-level modules (+ crate roots), "
               f"{len(a.refs)} crate-internal references")
    out.append(f"table: {a.n_layers} layers, {a.n_table_modules} modules")
    for old, new, layer in a.mapped:
        out.append(f"mapped: {old} -> {new} (layer {layer})")
    out.append(f"arrows up: {len(a.up)} references, {len(edges_up)} module edges, "
               f"{len({r.src.rel for r in a.up})} files")
    out.append(f"cycles over files: {len(a.cycles)} ({len(bad)} errors, {len(allowed)} allowed)")
    out.append(f"cycles over top-level modules (information): {len(a.top_sccs)}"
               + "".join(f", one of {nonroot(c)} of {len(tops)} top-level modules"
                       + (f" (+ {len(c) - nonroot(c)} crate root)" if len(c) > nonroot(c) else "")
                       for c in a.top_sccs))
    for n in a.notes:
        out.append(f"note: {n}")

    out += ["", f"== arrows up ({len(a.up)}) =="] + up_lines

    out += ["", f"== cycles over files ({len(a.cycles)}) =="]
    for comp, ok, fold in a.cycles:
        members = set(comp)
        es = [r for r in a.refs if r.src.rel in members and r.target.rel in members]
        head = (f"ALLOWED  {len(comp)} files, through {fold}'s own module file" if ok
                else f"CYCLE  {len(comp)} files")
        out.append(head + ": " + " ".join(comp))
        for r in es:
            out.append(f"    {r.src.rel}:{r.line} -> {r.target.rel}  via {r.via}")
    out += ["", f"== cycles over top-level modules, information ({len(a.top_sccs)}) =="]
    for comp in a.top_sccs:
        members = set(comp)
        out.append(f"SCC  {len(comp)} modules: " + " ".join(comp))
        per: dict[tuple[str, str], list[Ref]] = defaultdict(list)
        for r in a.refs:
            if r.src.top in members and r.target.top in members and r.src.top != r.target.top:
                per[(r.src.top, r.target.top)].append(r)
        for (s, t), rs in sorted(per.items()):
            out.append(f"    {s} -> {t}  ({len(rs)} refs, first {rs[0].src.rel}:{rs[0].line})")
    out += ["", final]
    return out


def main(argv: list[str] | None = None) -> int:
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description="Check module layering against layers.toml.")
    ap.add_argument("--root", default=os.path.dirname(here),
                    help="repository root holding layers.toml and src/ (default: parent of .ci)")
    ap.add_argument("--table", help="layer table (default: ROOT/layers.toml)")
    ap.add_argument("--dot", metavar="FILE", help="write a Graphviz graph of top-level modules")
    ap.add_argument("--quiet", action="store_true", help="print only errors and the final line")
    ap.add_argument("--map", action="append", default=[], metavar="OLD=NEW",
                    help="put top-level module OLD in the layer of table module NEW (repeatable)")
    try:
        args = ap.parse_args(argv)
    except SystemExit as e:
        return 2 if e.code else 0
    try:
        a = analyze(args.root, args.table, args.map)
        if a.unknown:
            raise UsageError(
                "top-level modules in src/ that are not in the layer table: "
                + ", ".join(a.unknown) + " (add them to layers.toml, or --map OLD=NEW)")
    except UsageError as e:
        print(f"layers: error: {e}", file=sys.stderr)
        return 2
    if args.dot:
        write_dot(a, args.dot)
    print("\n".join(report(a, args.quiet)))
    bad = sum(1 for c in a.cycles if not c[1])
    return 1 if a.up or bad else 0


if __name__ == "__main__":
    sys.exit(main())
