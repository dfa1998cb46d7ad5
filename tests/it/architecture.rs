//! The code's shape, checked: the crates follow the layers, and within each crate the modules
//! form a one-way graph — no two sibling modules use each other, directly or through others.
//! A cycle is how a pipeline silently stops being one, so it fails here with its members named.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use regex::Regex;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// A module's path inside its crate (`["probe", "http"]`); the crate root is empty.
type ModPath = Vec<String>;

/// Every crate's source folder: this package's and the workspace members'.
fn source_folders() -> Vec<PathBuf> {
    let mut folders = vec![Path::new(ROOT).join("src")];
    let mut crates: Vec<PathBuf> = std::fs::read_dir(Path::new(ROOT).join("crates"))
        .expect("crates/")
        .map(|e| e.expect("entry").path().join("src"))
        .collect();
    crates.sort();
    folders.extend(crates);
    folders
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("readable folder") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The module a file defines: `a/b.rs` and `a/b/mod.rs` are `a::b`, `lib.rs` the root.
fn module_of(src: &Path, file: &Path) -> ModPath {
    let rel = file.strip_prefix(src).expect("under src");
    let mut parts: Vec<String> = rel
        .with_extension("")
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    if matches!(
        parts.last().map(String::as_str),
        Some("lib" | "main" | "mod")
    ) {
        parts.pop();
    }
    parts
}

/// Every module path a file names (`crate::a::b`, `super::c`, `self::d`, and each first name
/// in a `…::{x, y}` group), resolved from the file's own module.
fn references(text: &str, from: &ModPath) -> Vec<ModPath> {
    let comments = Regex::new(r"//[^\n]*").expect("pattern");
    let text = comments.replace_all(text, "");
    let path = Regex::new(r"\b((?:crate|super|self)(?:::[a-z_][a-z0-9_]*)*)(::\{([^}]*)\})?")
        .expect("pattern");
    let mut found = Vec::new();
    for caps in path.captures_iter(&text) {
        let head = &caps[1];
        let mut names = vec![head.to_string()];
        if let Some(group) = caps.get(3) {
            for item in group.as_str().split(',') {
                let first = item.trim().split("::").next().unwrap_or("");
                let first = first.split_whitespace().next().unwrap_or("");
                if !first.is_empty() && first != "self" && first.starts_with(char::is_lowercase) {
                    names.push(format!("{head}::{first}"));
                }
            }
        }
        for name in names {
            let mut segments = name.split("::");
            let mut base: ModPath = match segments.next() {
                Some("crate") => Vec::new(),
                _ => from.clone(),
            };
            let mut rest: Vec<&str> = name.split("::").collect();
            if rest[0] == "crate" || rest[0] == "self" {
                rest.remove(0);
            } else {
                while rest.first() == Some(&"super") {
                    base.pop();
                    rest.remove(0);
                }
            }
            base.extend(rest.iter().map(|s| (*s).to_string()));
            found.push(base);
        }
    }
    found
}

/// For each pair of sibling modules (same parent), whether the first uses the second.
fn sibling_edges(src: &Path) -> BTreeMap<ModPath, BTreeSet<ModPath>> {
    let mut files = Vec::new();
    rust_files(src, &mut files);
    let modules: BTreeSet<ModPath> = files.iter().map(|f| module_of(src, f)).collect();
    let mut edges: BTreeMap<ModPath, BTreeSet<ModPath>> = BTreeMap::new();
    for file in &files {
        if file.ends_with("main.rs") {
            continue;
        }
        let from = module_of(src, file);
        let text = std::fs::read_to_string(file).expect("readable source");
        for named in references(&text, &from) {
            // The longest prefix that is a module: `crate::grid::Grid` names `grid`.
            let mut target = ModPath::new();
            for segment in named {
                target.push(segment);
                if !modules.contains(&target) {
                    target.pop();
                    break;
                }
            }
            let common = from.iter().zip(&target).take_while(|(a, b)| a == b).count();
            // A module using its parent or its own children is how Rust nests; only a use
            // between two siblings (or their descendants) is an edge of the graph.
            if common < from.len() && common < target.len() {
                edges
                    .entry(from[..=common].to_vec())
                    .or_default()
                    .insert(target[..=common].to_vec());
            }
        }
    }
    edges
}

/// The strongly connected components with more than one module (Tarjan).
fn cycles(edges: &BTreeMap<ModPath, BTreeSet<ModPath>>) -> Vec<Vec<ModPath>> {
    struct State<'a> {
        edges: &'a BTreeMap<ModPath, BTreeSet<ModPath>>,
        index: BTreeMap<&'a ModPath, usize>,
        low: BTreeMap<&'a ModPath, usize>,
        stack: Vec<&'a ModPath>,
        found: Vec<Vec<ModPath>>,
    }
    fn visit<'a>(v: &'a ModPath, s: &mut State<'a>) {
        let n = s.index.len();
        s.index.insert(v, n);
        s.low.insert(v, n);
        s.stack.push(v);
        for w in s.edges.get(v).into_iter().flatten() {
            if !s.index.contains_key(w) {
                visit(w, s);
                let low = s.low[v].min(s.low[w]);
                s.low.insert(v, low);
            } else if s.stack.contains(&w) {
                let low = s.low[v].min(s.index[w]);
                s.low.insert(v, low);
            }
        }
        if s.low[v] == s.index[v] {
            let mut component = Vec::new();
            while let Some(w) = s.stack.pop() {
                component.push(w.clone());
                if w == v {
                    break;
                }
            }
            if component.len() > 1 {
                component.sort();
                s.found.push(component);
            }
        }
    }
    let nodes: BTreeSet<&ModPath> = edges.keys().chain(edges.values().flatten()).collect();
    let mut state = State {
        edges,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        found: Vec::new(),
    };
    for v in nodes {
        if !state.index.contains_key(v) {
            visit(v, &mut state);
        }
    }
    state.found
}

#[test]
fn no_crate_has_a_module_cycle() {
    let mut problems = Vec::new();
    for src in source_folders() {
        for cycle in cycles(&sibling_edges(&src)) {
            let names: Vec<String> = cycle.iter().map(|m| m.join("::")).collect();
            problems.push(format!("{}: {}", src.display(), names.join(" ↔ ")));
        }
    }
    assert!(
        problems.is_empty(),
        "modules that use each other (move what they share into a module both use):\n{}",
        problems.join("\n")
    );
}

#[test]
fn a_cycle_is_found_where_there_is_one() {
    let dir = tempfile::tempdir().expect("temp dir");
    let src = dir.path();
    std::fs::create_dir_all(src.join("a")).expect("mkdir");
    std::fs::write(src.join("lib.rs"), "mod a;\nmod b;\nmod c;\n").expect("write");
    std::fs::write(src.join("a.rs"), "mod inner;\nuse crate::b::Thing;\n").expect("write");
    std::fs::write(src.join("a/inner.rs"), "use super::super::c;\n").expect("write");
    std::fs::write(src.join("b.rs"), "// crate::a is only named in a comment\n").expect("write");
    std::fs::write(src.join("c.rs"), "use crate::{b, a::inner};\n").expect("write");
    // a → b; a::inner → c (so a → c); c → a::inner (so c → a): a ↔ c. b names a only in a
    // comment, which is not a use, so b stays out of the cycle.
    let names: Vec<Vec<String>> = cycles(&sibling_edges(src))
        .iter()
        .map(|c| c.iter().map(|m| m.join("::")).collect())
        .collect();
    assert_eq!(names, vec![vec!["a".to_string(), "c".into()]]);
}

/// Each crate of the workspace and the crates of the workspace it may use: the layers.
const LAYERS: &[(&str, &[&str])] = &[
    ("sdet-core", &[]),
    ("sdet-feeds", &["sdet-core"]),
    ("sdet-probes", &["sdet-core", "sdet-feeds"]),
    ("sdet-report", &["sdet-core"]),
    ("sdet-demo", &["sdet-feeds"]),
];

#[test]
fn the_crates_follow_the_layers() {
    for (name, allowed) in LAYERS {
        let manifest =
            std::fs::read_to_string(Path::new(ROOT).join("crates").join(name).join("Cargo.toml"))
                .expect("crate manifest");
        let dependencies = manifest
            .split("\n[")
            .find(|section| section.starts_with("dependencies]"))
            .unwrap_or("");
        let used: Vec<&str> = dependencies
            .lines()
            .filter_map(|l| l.split(['=', '.', ' ']).next())
            .filter(|d| d.starts_with("sdet-"))
            .collect();
        for dependency in &used {
            assert!(
                allowed.contains(dependency),
                "{name} uses {dependency}, which is not a layer below it (tests/it/architecture.rs)"
            );
        }
    }
}
