//! No two files of the library import each other in a loop.
//!
//! The test reads every `src/**/*.rs` file of the library crate, builds the file-level
//! import graph from the paths the code names (`use crate::…`, `use super::…`,
//! `use self::…`, a `use` of a child module, and `crate::x::…` / `super::x::…` written
//! inline), and looks for cycles. Each path is resolved to the longest module file it
//! names (`crate::tui::app::App` → `src/tui/app.rs`). The edge from a parent module to
//! a child it declares with `mod` is not counted (declaring, and re-exporting from, a
//! child is what a parent is for); every other edge is.
//!
//! A second test keeps the layers of `src/tui/` apart: state, then handlers, then
//! views, each importing only the state (and its own layer); the event loop above all.
//!
//! A cycle fails the test, printed file by file, with the whole group of files caught
//! in it. (When the test was written, the only cycle in the crate ran through eight
//! files of `src/tui/`; it is gone, and none is allowed back.)

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// A module path from the crate root: `["tui", "app"]`.
type ModPath = Vec<String>;

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Ident(String),
    /// `::`
    PathSep,
    Punct(char),
}

/// The tokens of Rust source, without comments, string, byte-string and char literals
/// (so that a path in a comment or a string is not an import).
fn tokens(src: &str) -> Vec<Tok> {
    let c: Vec<char> = src.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    let at = |i: usize| c.get(i).copied().unwrap_or('\0');
    while i < c.len() {
        let ch = c[i];
        if ch == '/' && at(i + 1) == '/' {
            while i < c.len() && c[i] != '\n' {
                i += 1;
            }
        } else if ch == '/' && at(i + 1) == '*' {
            let mut depth = 0;
            while i < c.len() {
                if c[i] == '/' && at(i + 1) == '*' {
                    depth += 1;
                    i += 2;
                } else if c[i] == '*' && at(i + 1) == '/' {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
        } else if ch == '"' {
            i = skip_quoted(&c, i + 1);
        } else if ch == '\'' {
            // A char literal ('x', '\n', '\u{1F600}') or a lifetime ('a).
            if at(i + 1) == '\\' {
                // Past the quote, the backslash and the escaped character.
                i += 3;
                while i < c.len() && c[i] != '\'' {
                    i += 1;
                }
                i += 1;
            } else if at(i + 2) == '\'' {
                i += 3;
            } else {
                i += 1;
            }
        } else if ch.is_alphabetic() || ch == '_' {
            let start = i;
            while i < c.len() && (c[i].is_alphanumeric() || c[i] == '_') {
                i += 1;
            }
            let word: String = c[start..i].iter().collect();
            let raw_prefix = matches!(word.as_str(), "r" | "br" | "cr");
            let str_prefix = matches!(word.as_str(), "b" | "c");
            if raw_prefix && (at(i) == '"' || at(i) == '#') && raw_string_follows(&c, i) {
                i = skip_raw(&c, i);
            } else if str_prefix && at(i) == '"' {
                i = skip_quoted(&c, i + 1);
            } else if word == "b" && at(i) == '\'' {
                i += if at(i + 1) == '\\' { 3 } else { 2 };
                while i < c.len() && c[i] != '\'' {
                    i += 1;
                }
                i += 1;
            } else {
                out.push(Tok::Ident(word));
            }
        } else if ch.is_ascii_digit() {
            while i < c.len() && (c[i].is_alphanumeric() || c[i] == '_') {
                i += 1;
            }
        } else if ch == ':' && at(i + 1) == ':' {
            out.push(Tok::PathSep);
            i += 2;
        } else {
            if !ch.is_whitespace() {
                out.push(Tok::Punct(ch));
            }
            i += 1;
        }
    }
    out
}

/// Past the closing quote of a string whose opening quote is just before `i`.
fn skip_quoted(c: &[char], mut i: usize) -> usize {
    while i < c.len() {
        match c[i] {
            '\\' => i += 2,
            '"' => return i + 1,
            _ => i += 1,
        }
    }
    i
}

/// Whether `#…#"` or `"` starts at `i` (after an `r` / `br` prefix).
fn raw_string_follows(c: &[char], mut i: usize) -> bool {
    while c.get(i) == Some(&'#') {
        i += 1;
    }
    c.get(i) == Some(&'"')
}

/// Past the end of a raw string whose hashes (if any) start at `i`.
fn skip_raw(c: &[char], mut i: usize) -> usize {
    let mut hashes = 0;
    while c.get(i) == Some(&'#') {
        hashes += 1;
        i += 1;
    }
    i += 1; // the opening quote
    while i < c.len() {
        if c[i] == '"' && (1..=hashes).all(|k| c.get(i + k) == Some(&'#')) {
            return i + 1 + hashes;
        }
        i += 1;
    }
    i
}

/// The paths of a `use` tree starting at `toks[i]` (just after `use`), each as its
/// segments; returns them and the index past the closing `;`.
fn use_paths(toks: &[Tok], mut i: usize) -> (Vec<Vec<String>>, usize) {
    let mut out = Vec::new();
    let mut prefix: Vec<Vec<String>> = vec![Vec::new()];
    let mut current: Vec<String> = Vec::new();
    let mut renamed = false;
    // Whether a name (or `self`) was seen since the last path ended.
    let mut named = false;
    let finish = |out: &mut Vec<Vec<String>>,
                  prefix: &[Vec<String>],
                  cur: &mut Vec<String>,
                  named: &mut bool| {
        let mut p: Vec<String> = prefix.concat();
        p.append(cur);
        if std::mem::take(named) && !p.is_empty() {
            out.push(p);
        }
    };
    while i < toks.len() {
        match &toks[i] {
            Tok::Punct(';') => {
                finish(&mut out, &prefix, &mut current, &mut named);
                return (out, i + 1);
            }
            Tok::Ident(w) if w == "as" => renamed = true,
            Tok::Ident(_) if renamed => renamed = false,
            // `a::{self, b}`: `self` is the prefix itself.
            Tok::Ident(w)
                if w == "self" && (!current.is_empty() || prefix.iter().any(|p| !p.is_empty())) =>
            {
                named = true
            }
            Tok::Ident(w) => {
                current.push(w.clone());
                named = true;
            }
            Tok::PathSep => {}
            Tok::Punct('{') => {
                prefix.push(std::mem::take(&mut current));
            }
            Tok::Punct(',') => finish(&mut out, &prefix, &mut current, &mut named),
            Tok::Punct('}') => {
                finish(&mut out, &prefix, &mut current, &mut named);
                prefix.pop();
            }
            _ => {}
        }
        i += 1;
    }
    (out, i)
}

/// The inline path at `toks[i]` (`crate`, `super` or `self`, then `::`): its segments.
fn inline_path(toks: &[Tok], mut i: usize) -> Vec<String> {
    let mut segs = Vec::new();
    while let Some(Tok::Ident(w)) = toks.get(i) {
        segs.push(w.clone());
        if toks.get(i + 1) != Some(&Tok::PathSep) {
            break;
        }
        i += 2;
    }
    segs
}

/// The library's module files, by module path.
fn module_files(src: &Path) -> BTreeMap<ModPath, PathBuf> {
    let mut out = BTreeMap::new();
    let mut stack = vec![src.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let entries = std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{dir:?}: {e}"));
        for entry in entries {
            let path = entry.expect("a directory entry").path();
            if path.is_dir() {
                if path.file_name().is_some_and(|n| n != "bin") {
                    stack.push(path);
                }
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let rel = path.strip_prefix(src).expect("under src");
            let mut segs: ModPath = rel
                .iter()
                .map(|s| s.to_string_lossy().trim_end_matches(".rs").to_string())
                .collect();
            match segs.last().map(String::as_str) {
                Some("main") if segs.len() == 1 => continue, // the binary's own crate
                Some("lib") if segs.len() == 1 => segs.clear(),
                Some("mod") => {
                    segs.pop();
                }
                _ => {}
            }
            out.insert(segs, path);
        }
    }
    out
}

/// The module file a path from the crate root lands in: the longest known prefix.
fn resolve<'a>(files: &'a BTreeMap<ModPath, PathBuf>, abs: &[String]) -> Option<&'a ModPath> {
    (0..=abs.len())
        .rev()
        .find_map(|n| files.get_key_value(&abs[..n]).map(|(k, _)| k))
}

/// A path as written in module `here`, made absolute; `None` for another crate's.
fn absolute(
    files: &BTreeMap<ModPath, PathBuf>,
    here: &[String],
    path: &[String],
) -> Option<ModPath> {
    let first = path.first()?;
    let mut base: ModPath = here.to_vec();
    let mut rest = path;
    match first.as_str() {
        "crate" => {
            base.clear();
            rest = &path[1..];
        }
        "self" => rest = &path[1..],
        "super" => {
            while rest.first().map(String::as_str) == Some("super") {
                base.pop()?;
                rest = &rest[1..];
            }
        }
        // A child module of this one, named without `self::` (edition 2018 paths).
        name => {
            let mut child = here.to_vec();
            child.push(name.to_string());
            if !files.contains_key(&child) {
                return None;
            }
        }
    }
    base.extend(rest.iter().cloned());
    Some(base)
}

/// The files each module file imports (parent-to-child edges left out).
fn import_graph(src: &Path) -> BTreeMap<ModPath, BTreeSet<ModPath>> {
    let files = module_files(src);
    let mut graph = BTreeMap::new();
    for (module, path) in &files {
        let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
        let toks = tokens(&text);
        let mut edges = BTreeSet::new();
        // Inline `mod name { … }` blocks: (name, brace depth inside them).
        let mut inline: Vec<(String, usize)> = Vec::new();
        let mut depth = 0;
        let mut i = 0;
        while i < toks.len() {
            let here: ModPath = module
                .iter()
                .cloned()
                .chain(inline.iter().map(|(n, _)| n.clone()))
                .collect();
            let mut found = Vec::new();
            let mut next = i + 1;
            match &toks[i] {
                Tok::Punct('{') => depth += 1,
                Tok::Punct('}') => {
                    if inline.last().is_some_and(|(_, d)| *d == depth) {
                        inline.pop();
                    }
                    depth = depth.saturating_sub(1);
                }
                Tok::Ident(w) if w == "mod" => {
                    if let (Some(Tok::Ident(name)), Some(Tok::Punct('{'))) =
                        (toks.get(i + 1), toks.get(i + 2))
                    {
                        inline.push((name.clone(), depth + 1));
                    }
                }
                Tok::Ident(w) if w == "use" => (found, next) = use_paths(&toks, i + 1),
                Tok::Ident(w)
                    if matches!(w.as_str(), "crate" | "super" | "self")
                        && toks.get(i + 1) == Some(&Tok::PathSep)
                        && (i == 0 || toks[i - 1] != Tok::Punct('$')) =>
                {
                    let path = inline_path(&toks, i);
                    next = i + 2 * path.len() - 1;
                    found.push(path);
                }
                _ => {}
            }
            for p in found {
                let Some(abs) = absolute(&files, &here, &p) else {
                    continue;
                };
                let Some(target) = resolve(&files, &abs) else {
                    continue;
                };
                let is_child = target.len() == module.len() + 1 && target.starts_with(module);
                if target != module && !is_child {
                    edges.insert(target.clone());
                }
            }
            i = next;
        }
        graph.insert(module.clone(), edges);
    }
    graph
}

/// The strongly connected groups of two or more files (Tarjan's algorithm).
fn cycles(graph: &BTreeMap<ModPath, BTreeSet<ModPath>>) -> Vec<Vec<ModPath>> {
    struct Walk<'g> {
        graph: &'g BTreeMap<ModPath, BTreeSet<ModPath>>,
        index: BTreeMap<&'g ModPath, usize>,
        low: BTreeMap<&'g ModPath, usize>,
        stack: Vec<&'g ModPath>,
        on_stack: BTreeSet<&'g ModPath>,
        groups: Vec<Vec<ModPath>>,
    }
    impl<'g> Walk<'g> {
        fn visit(&mut self, v: &'g ModPath) {
            let n = self.index.len();
            self.index.insert(v, n);
            self.low.insert(v, n);
            self.stack.push(v);
            self.on_stack.insert(v);
            for w in self.graph.get(v).into_iter().flatten() {
                if !self.index.contains_key(w) {
                    self.visit(w);
                    let lw = self.low[w];
                    let lv = self.low.get_mut(v).expect("visited");
                    *lv = (*lv).min(lw);
                } else if self.on_stack.contains(w) {
                    let iw = self.index[w];
                    let lv = self.low.get_mut(v).expect("visited");
                    *lv = (*lv).min(iw);
                }
            }
            if self.low[v] == self.index[v] {
                let mut group = Vec::new();
                while let Some(w) = self.stack.pop() {
                    self.on_stack.remove(w);
                    group.push(w.clone());
                    if w == v {
                        break;
                    }
                }
                if group.len() > 1 {
                    group.sort();
                    self.groups.push(group);
                }
            }
        }
    }
    let mut walk = Walk {
        graph,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        groups: Vec::new(),
    };
    for v in graph.keys() {
        if !walk.index.contains_key(v) {
            walk.visit(v);
        }
    }
    walk.groups
}

/// One loop through `group`, starting at its first file: a → b → … → a.
fn one_loop(graph: &BTreeMap<ModPath, BTreeSet<ModPath>>, group: &[ModPath]) -> Vec<ModPath> {
    let members: BTreeSet<&ModPath> = group.iter().collect();
    let start = &group[0];
    // Breadth-first back to `start`, inside the group.
    let mut came_from: BTreeMap<&ModPath, &ModPath> = BTreeMap::new();
    let mut queue = std::collections::VecDeque::from([start]);
    while let Some(v) = queue.pop_front() {
        for w in graph.get(v).into_iter().flatten() {
            if !members.contains(w) {
                continue;
            }
            if w == start {
                let mut back = Vec::new();
                let mut at = v;
                while at != start {
                    back.push(at.clone());
                    at = came_from[at];
                }
                back.reverse();
                let mut path = vec![start.clone()];
                path.extend(back);
                path.push(start.clone());
                return path;
            }
            if !came_from.contains_key(w) {
                came_from.insert(w, v);
                queue.push_back(w);
            }
        }
    }
    group.to_vec()
}

/// The file a module path names, as the test prints it.
fn file_name(files: &BTreeMap<ModPath, PathBuf>, m: &ModPath, src: &Path) -> String {
    files
        .get(m)
        .and_then(|p| p.strip_prefix(src.parent()?).ok())
        .map(|p| p.display().to_string())
        .unwrap_or_else(|| format!("crate::{}", m.join("::")))
}

#[test]
fn no_module_imports_itself_through_others() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let files = module_files(&src);
    let graph = import_graph(&src);
    let name = |m: &ModPath| file_name(&files, m, &src);
    let problems: Vec<String> = cycles(&graph)
        .iter()
        .map(|group| {
            let path: Vec<String> = one_loop(&graph, group).iter().map(name).collect();
            let members: Vec<String> = group.iter().map(name).collect();
            format!(
                "cycle: {}\n  (the files caught in it: {})",
                path.join(" -> "),
                members.join(", ")
            )
        })
        .collect();
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The layer of a file of `src/tui/`: 0 state, 1 handlers, 2 views, 3 the event loop.
fn tui_layer(m: &ModPath) -> Option<u8> {
    let rest: Vec<&str> = m.iter().map(String::as_str).collect();
    match rest.as_slice() {
        ["tui", "view", ..] => Some(2),
        ["tui", "run" | "tasks"] => Some(3),
        [
            "tui",
            "action" | "update" | "nav" | "mouse" | "world_changes" | "run_to",
        ]
        | ["tui", "lesson", "handlers"]
        | ["tui", "console", "handlers" | "keys" | "challenge_handlers"] => Some(1),
        ["tui", "live", "handlers"] => Some(1),
        ["tui", "live", "view"] => Some(2),
        ["tui", "live", "run"] => Some(3),
        ["tui"] | ["tui", "lesson"] | ["tui", "console"] | ["tui", "live"] => None, // declare and re-export their children
        ["tui", ..] => Some(0),
        _ => None,
    }
}

#[test]
fn tui_layers_point_down() {
    // State imports no handler or view; handlers import no view; views import no
    // handler; only the event loop sits above them all.
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let files = module_files(&src);
    let graph = import_graph(&src);
    let mut problems = Vec::new();
    for (from, targets) in &graph {
        let Some(lf) = tui_layer(from) else { continue };
        for to in targets {
            let Some(lt) = tui_layer(to) else { continue };
            let allowed = lt == 0 || lt == lf || lf == 3;
            if !allowed {
                problems.push(format!(
                    "{} (layer {lf}) imports {} (layer {lt})",
                    file_name(&files, from, &src),
                    file_name(&files, to, &src)
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_checker_finds_a_planted_cycle_and_ignores_comments_and_children() {
    let dir = std::env::temp_dir().join(format!("oauth-lab-cycles-{}", std::process::id()));
    let src = dir.join("src");
    std::fs::create_dir_all(src.join("a")).expect("temp dir");
    let write = |p: &str, s: &str| std::fs::write(src.join(p), s).expect("write");
    write("lib.rs", "pub mod a;\npub mod b;\npub mod c;\n");
    // a declares and re-exports its child (not an edge), and names b inline.
    write(
        "a/mod.rs",
        "pub mod kid;\npub use kid::K;\nfn f() { crate::b::g(); }\n",
    );
    write("a/kid.rs", "use super::super::c::C; pub struct K;\n");
    // b → c only in a comment, a string and a doc link: no edge.
    write(
        "b.rs",
        "// use crate::c;\n/// [`crate::c::C`]\npub fn g() { let _ = \"crate::c::C\"; }\n",
    );
    write(
        "c.rs",
        "pub struct C;\nmod tests { use super::*; use crate::{a::{self, kid::K}}; }\n",
    );
    let graph = import_graph(&src);
    let m = |s: &str| -> ModPath {
        s.split('/')
            .filter(|x| !x.is_empty())
            .map(String::from)
            .collect()
    };
    assert_eq!(graph[&m("a")], BTreeSet::from([m("b")]));
    assert_eq!(graph[&m("a/kid")], BTreeSet::from([m("c")]));
    assert!(graph[&m("b")].is_empty(), "{:?}", graph[&m("b")]);
    assert_eq!(graph[&m("c")], BTreeSet::from([m("a"), m("a/kid")]));
    // a/kid → c → a/kid is a cycle; a → b is not part of one.
    let found = cycles(&graph);
    assert_eq!(found, vec![vec![m("a/kid"), m("c")]]);
    let _ = std::fs::remove_dir_all(&dir);
}
