//! HTML → a DOM no deeper than a bound, built in time linear in the page.
//!
//! The extractor (`dom_smoothie` over `dom_query`) walks the tree
//! recursively and scores every node against its subtree: a page of 20,000
//! unclosed `<b>` overflowed the stack, and 8,000 nested `<div>`s cost
//! minutes. Browsers bound the tree too (Blink attaches elements past depth
//! 512 to their parent's parent); here past the bound the tree is flattened:
//! the text is kept, the tags that would nest deeper are dropped.
//!
//! Two steps, both linear:
//! 1. A filter between html5ever's tokenizer and its tree builder models the
//!    stack of open elements (with the implicit closes of `<p>`, `<li>`,
//!    `<td>`, `<tr>`, `<option>`, headings) and drops start and end tags
//!    that would open an element past the bound, so the tree builder's own
//!    stack stays short (its scope checks scan it). It also keeps the
//!    tree builder from re-creating formatting elements (`<b>`, `<font>`)
//!    after every block, the spec's "reconstruction", which otherwise
//!    turns `<div><font color=N>x</div>` repeated into a quadratic DOM: a
//!    formatting element a block end would leave open is closed explicitly
//!    first, and at most [`FORMATTING_CAP`] are open at once.
//! 2. The DOM is then walked once, iteratively, and any element still
//!    deeper than the bound (the tree builder inserts `<tbody>`, moves
//!    misnested elements) is replaced by its text: the bound is exact.

use std::cell::RefCell;
use std::collections::HashMap;

use dom_query::{Document, NodeId};
use html5ever::tendril::StrTendril;
use html5ever::tokenizer::{
    BufferQueue, EndTag, StartTag, Tag, TagToken, Token, TokenSink, TokenSinkResult, Tokenizer,
    TokenizerOpts,
};
use html5ever::tree_builder::{TreeBuilder, TreeBuilderOpts};
use html5ever::{LocalName, TokenizerResult};

/// Default bound on element nesting, counted from the document (`<html>` is
/// 1, `<body>` 2). The deepest of the 298 pages of the evaluation set
/// (`../shared/eval/pages/`) nests 52 levels; 128 leaves a margin of
/// 2.5 times, and unclosed `<font>`s past it lose only their tags. Far
/// below what the extractor's recursion takes on a 2 MiB stack (see the
/// tests), and small because the Markdown it writes repeats a marker per
/// level of list or quote on every line.
pub(crate) const DEFAULT_MAX_DEPTH: usize = 128;

/// Smallest accepted bound: `<html><body>` and a few levels of content.
pub(crate) const MIN_MAX_DEPTH: usize = 8;

/// Largest accepted bound: deeper trees overflow the extractor's recursion
/// on a 2 MiB stack.
pub(crate) const MAX_MAX_DEPTH: usize = 1024;

/// At most this many formatting elements (`<b>`, `<font>`, `<a>`, …) open at
/// once; further ones are dropped (they carry no text).
pub(crate) const FORMATTING_CAP: usize = 64;

/// What bounding did to a page (for `-vv` and tests).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Bounded {
    /// Tags dropped by the filter because they would nest too deep.
    pub dropped_tags: usize,
    /// End tags the filter added to close formatting elements before a block end.
    pub closed_tags: usize,
    /// Elements the final walk replaced by their text.
    pub flattened: usize,
    /// The depth of the deepest node the final walk reached (at most the bound + 1).
    pub deepest: usize,
}

/// Parses an HTML page into a DOM no deeper than `max_depth`. Pure.
pub(crate) fn parse(html: &str, max_depth: usize) -> (Document, Bounded) {
    let max_depth = max_depth.clamp(MIN_MAX_DEPTH, MAX_MAX_DEPTH);
    // The same options as `dom_query::Document::from`.
    let opts = TreeBuilderOpts { scripting_enabled: false, ..TreeBuilderOpts::default() };
    let builder = TreeBuilder::new(Document::default(), opts);
    // `<html>` and `<body>` are not on the model's stack.
    let filter = Filter { inner: builder, model: RefCell::new(Model::new(max_depth - 2)) };
    let tokenizer = Tokenizer::new(filter, TokenizerOpts::default());
    let input = BufferQueue::default();
    input.push_back(StrTendril::from(html));
    while !matches!(tokenizer.feed(&input), TokenizerResult::Done) {}
    tokenizer.end();
    let Filter { inner, model } = tokenizer.sink;
    let model = model.into_inner();
    let doc = inner.sink;
    let mut stats =
        Bounded { dropped_tags: model.dropped, closed_tags: model.closed, ..Bounded::default() };
    (stats.deepest, stats.flattened) = flatten_below(&doc, max_depth);
    (doc, stats)
}

/// The depth of the deepest node (the document is 0). Iterative.
#[cfg(test)]
pub(crate) fn deepest(doc: &Document) -> usize {
    let tree = &doc.tree;
    let mut deepest = 0;
    let mut stack = vec![(tree.root().id, 0usize)];
    while let Some((id, d)) = stack.pop() {
        deepest = deepest.max(d);
        stack.extend(tree.child_ids_of(&id).into_iter().map(|c| (c, d + 1)));
    }
    deepest
}

/// Replaces every element at depth `max` that has element descendants by
/// itself holding its descendants' text nodes (and `<br>`s), in order.
/// Returns the deepest depth seen and how many elements were removed.
fn flatten_below(doc: &Document, max: usize) -> (usize, usize) {
    let tree = &doc.tree;
    let (mut deepest, mut removed) = (0, 0);
    let mut stack = vec![(tree.root().id, 0usize)];
    while let Some((id, d)) = stack.pop() {
        deepest = deepest.max(d);
        let children = tree.child_ids_of(&id);
        if d < max {
            stack.extend(children.into_iter().map(|c| (c, d + 1)));
            continue;
        }
        let descendants: Vec<NodeId> = tree.descendant_ids_of_it(&id).collect();
        let nested = descendants
            .iter()
            .any(|c| tree.get(c).is_some_and(|n| n.is_element() && n.first_child().is_some()));
        if !nested {
            continue;
        }
        let mut keep = Vec::new();
        for c in &descendants {
            let Some(n) = tree.get(c) else { continue };
            if n.is_text() || (n.is_element() && n.has_name("br")) {
                keep.push(*c);
            } else if n.is_element() {
                removed += 1;
                deepest = deepest.max(d + 1);
                if n.node_name().is_some_and(|name| is_special(&name)) {
                    // A block stays a line of its own.
                    keep.push(tree.new_element("br").id);
                }
            }
        }
        tree.remove_children_of(&id);
        for c in keep {
            tree.remove_from_parent(&c);
            tree.append_child_of(&id, &c);
        }
    }
    (deepest, removed)
}

/// The token filter: forwards tokens to the tree builder, dropping or adding
/// tags as the model says.
struct Filter<S> {
    inner: S,
    model: RefCell<Model>,
}

impl<S: TokenSink> TokenSink for Filter<S> {
    type Handle = S::Handle;

    fn process_token(&self, token: Token, line: u64) -> TokenSinkResult<S::Handle> {
        let TagToken(tag) = token else {
            let mut model = self.model.borrow_mut();
            if model.skip > 0 && !matches!(token, Token::EOFToken | Token::ParseError(_)) {
                return TokenSinkResult::Continue;
            }
            model.after_br = false;
            drop(model);
            return self.inner.process_token(token, line);
        };
        let tags = self.model.borrow_mut().tag(tag);
        let mut result = TokenSinkResult::Continue;
        for t in tags {
            result = self.inner.process_token(TagToken(t), line);
        }
        result
    }

    fn end(&self) {
        self.inner.end();
    }

    fn adjusted_current_node_present_but_not_in_html_namespace(&self) -> bool {
        // Inside a dropped `<svg>`, CDATA is still text (else a comment, lost).
        self.model.borrow().dropped_foreign > 0
            || self.inner.adjusted_current_node_present_but_not_in_html_namespace()
    }
}

/// One element the model believes open.
#[derive(Debug)]
struct Entry {
    name: LocalName,
    /// Forwarded to the tree builder (else dropped, kept only to match its end tag).
    kept: bool,
    /// Still open (a dropped entry is removed in place when its end tag comes).
    alive: bool,
}

/// The filter's model of the tree builder's stack of open elements.
///
/// Every operation is O(1) amortised except the implicit-close rules, which
/// scan the kept entries (at most the bound) from the top, as the tree
/// builder scans its own stack.
#[derive(Debug)]
struct Model {
    max: usize,
    /// Open entries, kept and dropped, in document order.
    stack: Vec<Entry>,
    /// Positions in `stack` of the kept entries: the depth is its length.
    kept: Vec<usize>,
    /// Positions of the alive entries by name, for the topmost one.
    by_name: HashMap<LocalName, Vec<usize>>,
    /// Kept formatting elements open.
    formatting: usize,
    /// Kept `<svg>`/`<math>` open: self-closing tags are void inside them.
    foreign: usize,
    /// Dropped `<svg>`/`<math>` open.
    dropped_foreign: usize,
    /// The last token forwarded was a `<br>` the filter added.
    after_br: bool,
    /// Inside a dropped `<template>` (this many deep): everything is
    /// dropped, its content being inert (dropping only the tag would show it).
    skip: usize,
    dropped: usize,
    closed: usize,
}

impl Model {
    fn new(max: usize) -> Model {
        Model {
            max,
            stack: Vec::new(),
            kept: Vec::new(),
            by_name: HashMap::new(),
            formatting: 0,
            foreign: 0,
            dropped_foreign: 0,
            after_br: false,
            skip: 0,
            dropped: 0,
            closed: 0,
        }
    }

    /// The tags to forward for `tag`, in order.
    fn tag(&mut self, tag: Tag) -> Vec<Tag> {
        let name: &str = &tag.name;
        if self.skip > 0 {
            match (name, tag.kind) {
                ("template", StartTag) => self.skip += 1,
                ("template", EndTag) => self.skip -= 1,
                _ => {}
            }
            self.dropped += 1;
            return Vec::new();
        }
        if passes_through(name) {
            self.after_br = false;
            return vec![tag];
        }
        let out = match tag.kind {
            StartTag => self.start(tag),
            EndTag => self.end(tag),
        };
        if !out.is_empty() {
            self.after_br = out.len() == 1 && &*out[0].name == "br" && out[0].attrs.is_empty();
        }
        out
    }

    /// A `<br>` for a dropped block tag, unless one was just added, or in
    /// `<svg>`/`<math>`, where a `<br>` would end the foreign content.
    fn line_break(&self) -> Vec<Tag> {
        if self.after_br || self.foreign > 0 { Vec::new() } else { vec![br()] }
    }

    fn start(&mut self, tag: Tag) -> Vec<Tag> {
        let mut out = Vec::new();
        if breaks_out(&tag) {
            // An HTML tag in `<svg>`/`<math>` ends the foreign content.
            if self.foreign > 0
                && let Some(&pos) =
                    self.kept.iter().rev().find(|&&p| is_foreign_root(&self.stack[p].name))
            {
                self.close_to(pos, &mut out);
            }
            self.dropped_foreign = 0;
        }
        if tag.self_closing && self.dropped_foreign > 0 {
            // An element of a dropped `<svg>`: in HTML it could open a `<template>`.
            self.dropped += 1;
            return out;
        }
        if is_void(&tag.name)
            || (tag.self_closing && self.foreign > 0)
            || &*tag.name == "form" && self.kept_open("form")
        {
            // Void, or ignored (a form inside a form).
            out.push(tag);
            return out;
        }
        // In `<svg>`/`<math>` the HTML rules do not apply.
        if self.foreign == 0
            && let Some(pos) = self.implicitly_closed(&tag.name)
        {
            self.close_to(pos, &mut out);
        }
        let is_formatting = is_formatting(&tag.name);
        let html_template = &*tag.name == "template" && self.foreign + self.dropped_foreign == 0;
        if html_template && self.kept.len() >= self.max {
            self.skip = 1;
            self.dropped += 1;
            return out;
        }
        let kept =
            self.kept.len() < self.max && !(is_formatting && self.formatting >= FORMATTING_CAP);
        let pos = self.stack.len();
        self.by_name.entry(tag.name.clone()).or_default().push(pos);
        self.stack.push(Entry { name: tag.name.clone(), kept, alive: true });
        if kept {
            self.kept.push(pos);
            self.formatting += usize::from(is_formatting);
            self.foreign += usize::from(is_foreign_root(&tag.name));
            out.push(tag);
        } else {
            self.dropped += 1;
            self.dropped_foreign += usize::from(is_foreign_root(&tag.name));
            if is_special(&tag.name) {
                // A block stays a line of its own.
                out.extend(self.line_break());
            }
        }
        out
    }

    fn end(&mut self, tag: Tag) -> Vec<Tag> {
        let Some(&pos) = self.by_name.get(&tag.name).and_then(|v| v.last()) else {
            // Not open: the tree builder ignores it or makes an empty element.
            return vec![tag];
        };
        if !self.stack[pos].kept {
            self.stack[pos].alive = false;
            self.dropped_foreign =
                self.dropped_foreign.saturating_sub(usize::from(is_foreign_root(&tag.name)));
            if let Some(v) = self.by_name.get_mut(&tag.name) {
                v.pop();
            }
            self.trim();
            self.dropped += 1;
            return if is_special(&tag.name) { self.line_break() } else { Vec::new() };
        }
        let name: &str = &tag.name;
        let blocked = if is_special(name) || is_formatting(name) {
            // A block end tag closes through anything but a scope boundary;
            // a formatting end tag with a block inside it is the adoption
            // agency's business: it moves elements, the depth stays.
            self.kept_above(pos)
                .any(|e| is_scope_boundary(&e.name) || is_formatting(name) && is_special(&e.name))
        } else {
            // Any other end tag stops at a special element.
            self.kept_above(pos).any(|e| is_special(&e.name))
        };
        if blocked {
            return vec![tag];
        }
        let mut out = Vec::new();
        self.close_to(pos + 1, &mut out);
        self.pop_one(&mut out, false);
        out.push(tag);
        out
    }

    /// The kept entries above `pos`, topmost first.
    fn kept_above(&self, pos: usize) -> impl Iterator<Item = &Entry> {
        self.kept.iter().rev().take_while(move |&&p| p > pos).map(|&p| &self.stack[p])
    }

    /// Pops every entry at `pos` and above. When a formatting element is
    /// among the kept ones, each kept one gets an explicit end tag, innermost
    /// first (so the tree builder does not re-create the formatting
    /// elements after the block); otherwise the tree builder pops them itself.
    fn close_to(&mut self, pos: usize, out: &mut Vec<Tag>) {
        let explicit = self
            .kept
            .iter()
            .rev()
            .take_while(|&&p| p >= pos)
            .any(|&p| is_formatting(&self.stack[p].name));
        while self.stack.len() > pos {
            self.pop_one(out, explicit);
        }
    }

    /// Pops the top entry, adding its end tag to `out` when `explicit` and it was kept.
    fn pop_one(&mut self, out: &mut Vec<Tag>, explicit: bool) {
        let Some(e) = self.stack.pop() else { return };
        if !e.alive {
            return;
        }
        if let Some(v) = self.by_name.get_mut(&e.name) {
            v.pop();
        }
        if !e.kept {
            self.dropped_foreign =
                self.dropped_foreign.saturating_sub(usize::from(is_foreign_root(&e.name)));
        }
        if e.kept {
            self.kept.pop();
            self.formatting -= usize::from(is_formatting(&e.name));
            self.foreign -= usize::from(is_foreign_root(&e.name));
            if explicit {
                self.closed += 1;
                out.push(end_tag(e.name));
            }
        }
    }

    /// Removes closed dropped entries from the top.
    fn trim(&mut self) {
        while self.stack.last().is_some_and(|e| !e.alive) {
            self.stack.pop();
        }
    }

    /// The position of the kept element a start tag `name` closes, if any,
    /// as the tree builder's rules for that tag would find it.
    fn implicitly_closed(&self, name: &str) -> Option<usize> {
        let find = |targets: &[&str], stop: &dyn Fn(&str) -> bool| -> Option<usize> {
            for &p in self.kept.iter().rev() {
                let n: &str = &self.stack[p].name;
                if targets.contains(&n) {
                    return Some(p);
                }
                if stop(n) {
                    return None;
                }
            }
            None
        };
        match name {
            "li" => find(&["li"], &|n| is_special(n) && !matches!(n, "address" | "div" | "p")),
            "dd" | "dt" => {
                find(&["dd", "dt"], &|n| is_special(n) && !matches!(n, "address" | "div" | "p"))
            }
            "td" | "th" => find(&["td", "th"], &|n| matches!(n, "table" | "template")),
            "tr" => find(&["tr"], &|n| matches!(n, "table" | "template")),
            "tbody" | "thead" | "tfoot" => {
                find(&["tbody", "thead", "tfoot"], &|n| matches!(n, "table" | "template"))
            }
            // A table directly in a table (not in a cell) ends the first one.
            "table" => match self.kept.last().map(|&p| &*self.stack[p].name) {
                Some("table" | "tbody" | "thead" | "tfoot" | "tr") => find(&["table"], &|_| false),
                _ => None,
            },
            "option" => find(&["option"], &|_| true),
            "optgroup" => find(&["option", "optgroup"], &|n| n != "option"),
            // With a block inside, the adoption agency moves elements and the depth stays.
            "a" | "nobr" => find(&[name], &is_special),
            "button" => find(&["button"], &is_scope_boundary),
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                let top = self.kept.last().map(|&p| &*self.stack[p].name);
                match top {
                    Some("h1" | "h2" | "h3" | "h4" | "h5" | "h6") => self.kept.last().copied(),
                    _ => self.p_in_button_scope(),
                }
            }
            n if closes_p(n) => self.p_in_button_scope(),
            _ => None,
        }
    }

    /// True when a kept element `name` is open.
    fn kept_open(&self, name: &str) -> bool {
        self.kept.iter().any(|&p| &*self.stack[p].name == name)
    }

    fn p_in_button_scope(&self) -> Option<usize> {
        for &p in self.kept.iter().rev() {
            let n: &str = &self.stack[p].name;
            if n == "p" {
                return Some(p);
            }
            if is_scope_boundary(n) || n == "button" {
                return None;
            }
        }
        None
    }
}

fn br() -> Tag {
    Tag {
        kind: StartTag,
        name: LocalName::from("br"),
        self_closing: false,
        attrs: Vec::new(),
        had_duplicate_attributes: false,
    }
}

fn end_tag(name: LocalName) -> Tag {
    Tag {
        kind: EndTag,
        name,
        self_closing: false,
        attrs: Vec::new(),
        had_duplicate_attributes: false,
    }
}

/// Tags forwarded untouched and not modelled: the document's own elements
/// (never nested), and those whose content the tokenizer reads as raw text
/// (dropping their start tag would turn a script into visible text).
fn passes_through(name: &str) -> bool {
    matches!(
        name,
        "html"
            | "head"
            | "body"
            | "frameset"
            | "script"
            | "style"
            | "title"
            | "textarea"
            | "xmp"
            | "iframe"
            | "noembed"
            | "noframes"
            | "plaintext"
    )
}

/// Start tags that end foreign content (`<svg>`, `<math>`) in the spec.
fn breaks_out(tag: &Tag) -> bool {
    let name: &str = &tag.name;
    matches!(
        name,
        "b" | "big"
            | "blockquote"
            | "body"
            | "br"
            | "center"
            | "code"
            | "dd"
            | "div"
            | "dl"
            | "dt"
            | "em"
            | "embed"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "head"
            | "hr"
            | "i"
            | "img"
            | "li"
            | "listing"
            | "menu"
            | "meta"
            | "nobr"
            | "ol"
            | "p"
            | "pre"
            | "ruby"
            | "s"
            | "small"
            | "span"
            | "strong"
            | "strike"
            | "sub"
            | "sup"
            | "table"
            | "tt"
            | "u"
            | "ul"
            | "var"
    ) || name == "font"
        && tag.attrs.iter().any(|a| matches!(&*a.name.local, "color" | "face" | "size"))
}

fn is_foreign_root(name: &str) -> bool {
    matches!(name, "svg" | "math")
}

fn is_void(name: &str) -> bool {
    matches!(
        name,
        "area"
            | "base"
            | "basefont"
            | "bgsound"
            | "br"
            | "col"
            | "embed"
            | "frame"
            | "hr"
            | "image"
            | "img"
            | "input"
            | "keygen"
            | "link"
            | "meta"
            | "param"
            | "source"
            | "track"
            | "wbr"
    )
}

/// The spec's formatting elements: kept in the list the tree builder re-creates.
fn is_formatting(name: &str) -> bool {
    matches!(
        name,
        "a" | "b"
            | "big"
            | "code"
            | "em"
            | "font"
            | "i"
            | "nobr"
            | "s"
            | "small"
            | "strike"
            | "strong"
            | "tt"
            | "u"
    )
}

/// Elements that bound the "has an element in scope" checks.
fn is_scope_boundary(name: &str) -> bool {
    matches!(
        name,
        "applet"
            | "caption"
            | "html"
            | "table"
            | "td"
            | "th"
            | "marquee"
            | "object"
            | "template"
            | "svg"
            | "math"
            | "select"
    )
}

/// The spec's special category (the ones a generic end tag cannot close through).
fn is_special(name: &str) -> bool {
    is_scope_boundary(name)
        || closes_p(name)
        || matches!(
            name,
            "area"
                | "base"
                | "basefont"
                | "bgsound"
                | "body"
                | "br"
                | "button"
                | "col"
                | "colgroup"
                | "dd"
                | "dt"
                | "embed"
                | "frame"
                | "frameset"
                | "head"
                | "hr"
                | "iframe"
                | "img"
                | "input"
                | "li"
                | "link"
                | "meta"
                | "noembed"
                | "noframes"
                | "noscript"
                | "param"
                | "script"
                | "source"
                | "style"
                | "tbody"
                | "textarea"
                | "tfoot"
                | "thead"
                | "title"
                | "tr"
                | "track"
                | "wbr"
                | "xmp"
                | "h1"
                | "h2"
                | "h3"
                | "h4"
                | "h5"
                | "h6"
        )
}

/// Start tags that close an open `<p>` (in button scope).
fn closes_p(name: &str) -> bool {
    matches!(
        name,
        "address"
            | "article"
            | "aside"
            | "blockquote"
            | "center"
            | "details"
            | "dialog"
            | "dir"
            | "div"
            | "dl"
            | "fieldset"
            | "figcaption"
            | "figure"
            | "footer"
            | "header"
            | "hgroup"
            | "main"
            | "menu"
            | "nav"
            | "ol"
            | "p"
            | "search"
            | "section"
            | "summary"
            | "ul"
            | "pre"
            | "listing"
            | "form"
            | "li"
            | "dd"
            | "dt"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The page's text nodes in document order, `|` for a `<br>`, whitespace collapsed.
    fn text(doc: &Document) -> String {
        let Some(body) = doc.tree.body() else { return String::new() };
        let mut out = String::new();
        for id in doc.tree.descendant_ids_of_it(&body.id) {
            let n = doc.tree.get(&id).unwrap();
            if n.is_text() {
                out.push(' ');
                out.push_str(&n.text());
            } else if n.has_name("br") {
                out.push_str(" |");
            }
        }
        out.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    fn page(body: &str) -> String {
        format!("<!DOCTYPE html><html><head><title>t</title></head><body>{body}</body></html>")
    }

    /// Runs `f` on a thread with a 2 MiB stack, as tokio's workers have.
    fn on_small_stack<T: Send>(f: impl FnOnce() -> T + Send) -> T {
        std::thread::scope(|s| {
            std::thread::Builder::new()
                .stack_size(2 << 20)
                .spawn_scoped(s, f)
                .expect("thread")
                .join()
                .expect("no panic")
        })
    }

    #[test]
    fn shallow_pages_are_parsed_as_html5ever_does() {
        for body in [
            "<p>one<p>two<ul><li>a<li>b</ul><table><tr><td>x<td>y<tr><td>z</table>",
            "<div><b>bold <i>both</b> italic</i></div><p>x<h2>h</h2><select><option>1<option>2</select>",
            "<font size=3><p>old<p>page</font><a href=#>link<a href=#>other</a>",
            "<svg><circle/><g><rect/></g></svg><form><form><input></form><dl><dt>t<dd>d</dl>",
            "<script>var s = '<div><div>';</script><textarea><b></textarea><noscript><p>n</p></noscript>",
        ] {
            let html = page(body);
            let (ours, stats) = parse(&html, DEFAULT_MAX_DEPTH);
            let theirs = Document::from(html.as_str());
            assert_eq!(text(&ours), text(&theirs), "{body}");
            assert_eq!((stats.dropped_tags, stats.flattened), (0, 0), "{body}");
            assert_eq!(deepest(&ours), deepest(&theirs), "{body}");
        }
    }

    #[test]
    fn deep_pages_keep_their_text_within_the_bound() {
        let n = 20_000;
        for (open, close) in [
            ("<b>", ""),
            ("<div>", ""),
            ("<div>", "</div>"),
            ("<font size=2>", ""),
            ("<span>", "</span>"),
            ("<table><tr><td>", ""),
            ("<ul><li>", ""),
            ("<p><b>", ""),
            ("<div/>", ""),
            ("<svg><g>", ""),
            ("<a href=x><div>", "</a>"),
            ("<select><option>", ""),
        ] {
            let body = format!("{}words at the bottom{}", open.repeat(n), close.repeat(n));
            let (doc, stats) = parse(&page(&body), 64);
            assert!(deepest(&doc) <= 65, "{open}: {}", deepest(&doc));
            assert!(text(&doc).contains("words at the bottom"), "{open}");
            assert!(stats.dropped_tags + stats.flattened + stats.closed_tags > 0, "{open}");
        }
    }

    #[test]
    fn formatting_is_not_recreated_after_every_block() {
        // The spec re-creates open formatting elements after a block ends:
        // without a bound this page has a quadratic number of elements.
        let body: String =
            (0..2000).map(|i| format!("<div><font color=\"#{i:06}\">x{i}</div>")).collect();
        let (doc, _) = parse(&page(&body), DEFAULT_MAX_DEPTH);
        assert!(
            doc.select("font").length() <= 2000 + FORMATTING_CAP,
            "{}",
            doc.select("font").length()
        );
        assert!(text(&doc).contains("x0 x1 x2") && text(&doc).contains("x1999"));
    }

    #[test]
    fn flattening_keeps_text_in_order() {
        let html =
            page(&format!("{}<p>a</p><p>b<br>c</p>{}", "<div>".repeat(40), "</div>".repeat(40)));
        let (doc, _) = parse(&html, 20);
        assert!(deepest(&doc) <= 21);
        assert_eq!(text(&doc).replace("| |", "|").replace("| |", "|"), "| a | b | c |");
    }

    #[test]
    fn the_extractor_fits_a_small_stack_at_the_largest_bound() {
        for open in
            ["<b>", "<div>", "<span>", "<table><tr><td>", "<ul><li>", "<blockquote>", "<a href=x>"]
        {
            let html =
                page(&format!("{}{}", open.repeat(4 * MAX_MAX_DEPTH), "the text. ".repeat(50)));
            on_small_stack(|| {
                let (doc, _) = parse(&html, MAX_MAX_DEPTH);
                let cfg = dom_smoothie::Config {
                    text_mode: dom_smoothie::TextMode::Markdown,
                    ..dom_smoothie::Config::default()
                };
                let mut r = dom_smoothie::Readability::with_document(doc, None, Some(cfg)).unwrap();
                let _ = r.parse();
            });
        }
    }

    /// `SPEECHDIGEST_PAGES=DIR cargo test --lib depth_of_real_pages -- --ignored --nocapture`
    /// prints the depth of each page of DIR and whether bounding changed it.
    #[test]
    #[ignore = "needs a folder of pages"]
    fn depth_of_real_pages() {
        let dir = std::env::var("SPEECHDIGEST_PAGES").expect("SPEECHDIGEST_PAGES");
        let mut rows = Vec::new();
        for e in std::fs::read_dir(dir).unwrap().flatten() {
            let bytes = std::fs::read(e.path()).unwrap();
            let Ok(d) = crate::ingest::decode::decode(&bytes, None) else { continue };
            let plain = deepest(&Document::from(d.text.as_str()));
            let (_, stats) = parse(&d.text, DEFAULT_MAX_DEPTH);
            let model = {
                let (_, s) = parse(&d.text, MAX_MAX_DEPTH);
                s.deepest
            };
            rows.push((plain, model, stats, e.file_name()));
        }
        rows.sort_by_key(|r| std::cmp::Reverse(r.0));
        for r in rows.iter().take(15) {
            println!("{:4} {:4} {:?} {:?}", r.0, r.1, r.2, r.3);
        }
        let touched = rows.iter().filter(|r| r.2.dropped_tags + r.2.flattened > 0).count();
        let closed = rows.iter().filter(|r| r.2.closed_tags > 0).count();
        println!(
            "pages {} deepest {} flattened at {DEFAULT_MAX_DEPTH}: {touched}; formatting closed early: {closed}",
            rows.len(),
            rows[0].0
        );
    }
}
