//! The documentation tells the truth about this repository: every `sdet-audit` command shown in
//! README.md and docs/*.md names a real subcommand with real options, every relative link leads
//! to a file (and heading) of the repository, and the README stays a front door — short, opening
//! with the two commands CI relies on.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Component, Path, PathBuf};

use regex::Regex;

use crate::support::{bin, root};

/// The README's first code block, byte for byte: `.ci/run` and every reader start here.
const FIRST_BLOCK: &str = "\
cargo run --release -- demo                 # audit the reference ENT built into the binary (no live ENT needed)
cargo test --locked                         # the tests: no network, no server to start (needs xmllint and xmlsec1: see docs/testing.md)
";

const README_MAX_LINES: usize = 200;

/// Code blocks whose lines are commands a reader types.
const SHELL_LANGS: &[&str] = &["sh", "bash", "console", "shell"];

/// README.md and every docs/*.md, as (path relative to the root, text).
fn pages() -> Vec<(String, String)> {
    let mut names = vec!["README.md".to_owned()];
    let mut docs: Vec<String> = std::fs::read_dir(root().join("docs"))
        .expect("docs/")
        .map(|e| {
            e.expect("docs/ entry")
                .file_name()
                .into_string()
                .expect("utf-8")
        })
        .filter(|n| Path::new(n).extension().is_some_and(|e| e == "md"))
        .map(|n| format!("docs/{n}"))
        .collect();
    docs.sort();
    names.extend(docs);
    names
        .into_iter()
        .map(|n| {
            let text = std::fs::read_to_string(root().join(&n)).expect(&n);
            (n, text)
        })
        .collect()
}

struct Block {
    lang: String,
    /// (1-based line number, line)
    lines: Vec<(usize, String)>,
}

/// The fenced code blocks of a Markdown text, and its prose lines (outside any block).
fn split(text: &str) -> (Vec<Block>, Vec<(usize, String)>) {
    let mut blocks = Vec::new();
    let mut prose = Vec::new();
    let mut open: Option<(String, Block)> = None;
    for (i, line) in text.lines().enumerate() {
        let n = i + 1;
        let trimmed = line.trim_start();
        match open.take() {
            None => {
                if let Some(info) = trimmed.strip_prefix("```") {
                    let fence = "`".repeat(3 + info.chars().take_while(|c| *c == '`').count());
                    let lang = info.trim_start_matches('`').split_whitespace().next();
                    open = Some((
                        fence,
                        Block {
                            lang: lang.unwrap_or("").to_owned(),
                            lines: Vec::new(),
                        },
                    ));
                } else {
                    prose.push((n, line.to_owned()));
                }
            }
            Some((fence, mut block)) => {
                if trimmed.starts_with(&fence) && trimmed.trim_start_matches('`').trim().is_empty()
                {
                    blocks.push(block);
                } else {
                    block.lines.push((n, line.to_owned()));
                    open = Some((fence, block));
                }
            }
        }
    }
    assert!(open.is_none(), "a code block is never closed");
    (blocks, prose)
}

/// The `sdet-audit` command lines of a shell block, continuation lines joined: (line, the
/// arguments after the program).
fn commands(block: &Block) -> Vec<(usize, String)> {
    let assignment = Regex::new(r"^(?:[A-Z_][A-Z0-9_]*=\S*\s+)+").expect("regex");
    let mut out = Vec::new();
    let mut pending: Option<(usize, String)> = None;
    for (n, line) in &block.lines {
        let (start, mut joined) = match pending.take() {
            Some((start, so_far)) => (start, format!("{so_far} {}", line.trim())),
            None => (*n, line.trim().to_owned()),
        };
        if let Some(cut) = joined.strip_suffix('\\') {
            pending = Some((start, cut.trim_end().to_owned()));
            continue;
        }
        if let Some(rest) = joined.strip_prefix("$ ") {
            joined = rest.to_owned();
        }
        let joined = assignment.replace(&joined, "").into_owned();
        for program in ["sdet-audit ", "cargo run --release -- ", "cargo run -- "] {
            if let Some(args) = joined.strip_prefix(program) {
                out.push((start, args.to_owned()));
                break;
            }
        }
    }
    out
}

/// `sdet-audit <path> --help`, run once per subcommand path.
struct Helps(BTreeMap<Vec<String>, Result<String, String>>);

impl Helps {
    fn get(&mut self, path: &[String]) -> &Result<String, String> {
        self.0.entry(path.to_vec()).or_insert_with(|| {
            let out = bin()
                .args(path)
                .arg("--help")
                .output()
                .expect("the binary runs");
            let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
            if out.status.success() {
                Ok(stdout)
            } else {
                Err(format!(
                    "`sdet-audit {} --help` failed ({:?}): {}",
                    path.join(" "),
                    out.status.code(),
                    String::from_utf8_lossy(&out.stderr).trim()
                ))
            }
        })
    }

    /// The subcommands a help text lists under "Commandes :" (or "Commands:" in English).
    fn subcommands(help: &str) -> BTreeSet<String> {
        help.lines()
            .skip_while(|l| {
                let l = l.trim_end();
                !l.ends_with("Commandes :") && !l.ends_with("Commands:")
            })
            .skip(1)
            .take_while(|l| !l.trim().is_empty())
            .filter_map(|l| l.split_whitespace().next())
            .map(str::to_owned)
            .collect()
    }
}

/// Whether `flag` appears in `help` as a whole option name (`--per-host` is not `--per`).
fn names_option(help: &str, flag: &str) -> bool {
    help.match_indices(flag).any(|(i, _)| {
        let before = help[..i].chars().next_back();
        let after = help[i + flag.len()..].chars().next();
        !matches!(before, Some(c) if c.is_alphanumeric() || c == '-')
            && !matches!(after, Some(c) if c.is_alphanumeric() || c == '-')
    })
}

/// Checks every command line shown in the documentation; returns the problems and how many
/// command lines were checked.
fn check_commands(pages: &[(String, String)]) -> (Vec<String>, usize) {
    let flag = Regex::new(r"(?:^|[\s\[|(=,])(--[a-z0-9][a-z0-9-]*)").expect("regex");
    let mut helps = Helps(BTreeMap::new());
    let mut problems = Vec::new();
    let mut checked = 0;
    for (page, text) in pages {
        let (blocks, _) = split(text);
        for block in blocks
            .iter()
            .filter(|b| SHELL_LANGS.contains(&b.lang.as_str()))
        {
            for (line, args) in commands(block) {
                checked += 1;
                let at = format!("{page}:{line}: `{args}`");
                let mut path: Vec<String> = Vec::new();
                for word in args.split_whitespace() {
                    if word.starts_with('-') || word.starts_with('#') {
                        break;
                    }
                    let known = match helps.get(&path) {
                        Ok(help) => Helps::subcommands(help).contains(word),
                        Err(_) => false,
                    };
                    if !known {
                        break;
                    }
                    path.push(word.to_owned());
                }
                let help = match helps.get(&path) {
                    Ok(help) => help.clone(),
                    Err(e) => {
                        problems.push(format!("{at}: {e}"));
                        continue;
                    }
                };
                if !Helps::subcommands(&help).is_empty() {
                    // `sdet-audit feeds chek`: a command that only groups others.
                    problems.push(format!(
                        "{at}: `sdet-audit {}` needs one of its subcommands",
                        path.join(" ")
                    ));
                    continue;
                }
                for option in flag.captures_iter(&args).map(|c| c[1].to_owned()) {
                    if !names_option(&help, &option) {
                        problems.push(format!(
                            "{at}: `sdet-audit {} --help` has no {option}",
                            path.join(" ")
                        ));
                    }
                }
            }
        }
    }
    (problems, checked)
}

#[test]
fn every_documented_command_and_option_exists() {
    let pages = pages();
    let (problems, checked) = check_commands(&pages);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    // The check must have something to check: the README's own commands and the docs' reference.
    let (_, in_readme) = check_commands(&pages[..1]);
    assert!(
        in_readme >= 8,
        "only {in_readme} commands found in README.md"
    );
    assert!(
        checked >= 60,
        "only {checked} commands found in the documentation"
    );
}

#[test]
fn a_wrong_option_or_subcommand_in_the_documentation_is_caught() {
    let page = |body: &str| vec![("bogus.md".to_owned(), format!("```sh\n{body}\n```\n"))];
    let (problems, _) = check_commands(&page("sdet-audit audit --target t.yaml --no-such-flag"));
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(problems[0].contains("--no-such-flag"), "{problems:?}");
    let (problems, _) = check_commands(&page(
        "sdet-audit feeds check a/ \\\n    --format json --per",
    ));
    assert_eq!(problems.len(), 1, "{problems:?}");
    let (problems, _) = check_commands(&page("cargo run -- no-such-command --help"));
    assert_eq!(problems.len(), 1, "{problems:?}");
    let (problems, _) = check_commands(&page("cargo run --release -- feeds chek a/"));
    assert_eq!(problems.len(), 1, "{problems:?}");
    let (problems, _) = check_commands(&page(
        "$ SDET_X=1 sdet-audit grids export -o x.ods --lang en   # --sdet-version 6.4",
    ));
    assert!(problems.is_empty(), "{problems:?}");
}

/// GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens.
fn slug(heading: &str) -> String {
    heading
        .trim()
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric() || matches!(c, ' ' | '-' | '_'))
        .map(|c| if c == ' ' { '-' } else { c })
        .collect()
}

/// The anchors of a Markdown page's headings (repeated headings get `-1`, `-2`…).
fn anchors(text: &str) -> BTreeSet<String> {
    let (_, prose) = split(text);
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    let mut out = BTreeSet::new();
    for (_, line) in prose {
        let Some(heading) = line.strip_prefix('#') else {
            continue;
        };
        let heading = heading.trim_start_matches('#');
        if !heading.starts_with(' ') {
            continue;
        }
        let base = slug(heading);
        let n = seen.entry(base.clone()).or_insert(0);
        out.insert(if *n == 0 {
            base.clone()
        } else {
            format!("{base}-{n}")
        });
        *n += 1;
    }
    out
}

/// `base/rel` with `.` and `..` resolved, without touching the disk; None when it climbs out.
fn resolve(base: &Path, rel: &str) -> Option<PathBuf> {
    let mut out = PathBuf::new();
    for part in base.join(rel).components() {
        match part {
            Component::ParentDir => {
                if !out.pop() {
                    return None;
                }
            }
            Component::CurDir => {}
            Component::Normal(p) => out.push(p),
            Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    Some(out)
}

fn check_links(pages: &[(String, String)]) -> (Vec<String>, usize) {
    let link = Regex::new(r#"\]\(([^()\s]+)(?:\s+"[^"]*")?\)"#).expect("regex");
    let code = Regex::new(r"`+[^`]*`+").expect("regex");
    let mut problems = Vec::new();
    let mut checked = 0;
    for (page, text) in pages {
        let dir = Path::new(page).parent().unwrap_or(Path::new(""));
        let (_, prose) = split(text);
        for (line, content) in prose {
            // `[x](y)` inside inline code is not a link; link texts in code keep their target.
            let content = code.replace_all(&content, "``");
            for target in link.captures_iter(&content).map(|c| c[1].to_owned()) {
                if target.contains("://") || target.starts_with("mailto:") {
                    continue;
                }
                checked += 1;
                let at = format!("{page}:{line}: ({target})");
                let (file, anchor) = match target.split_once('#') {
                    Some((f, a)) => (f, Some(a)),
                    None => (target.as_str(), None),
                };
                let (rel, text_of_target) = if file.is_empty() {
                    (PathBuf::from(page), Some(text.clone()))
                } else {
                    let Some(rel) = resolve(dir, file) else {
                        problems.push(format!("{at}: leads outside the repository"));
                        continue;
                    };
                    let on_disk = root().join(&rel);
                    if !on_disk.is_file() {
                        problems.push(format!("{at}: no file {}", rel.display()));
                        continue;
                    }
                    let is_md = rel.extension().is_some_and(|e| e == "md");
                    (
                        rel,
                        is_md.then(|| std::fs::read_to_string(&on_disk).expect("readable")),
                    )
                };
                if let (Some(anchor), Some(target_text)) = (anchor, text_of_target)
                    && !anchors(&target_text).contains(anchor)
                {
                    problems.push(format!("{at}: no heading #{anchor} in {}", rel.display()));
                }
            }
        }
    }
    (problems, checked)
}

#[test]
fn every_relative_link_leads_to_a_file_and_heading() {
    let pages = pages();
    let (problems, checked) = check_links(&pages);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert!(checked >= 40, "only {checked} relative links found");
    // docs/README.md, the table of contents, lists every page of docs/ (and so does the README).
    for contents in ["docs/README.md", "README.md"] {
        let text = &pages.iter().find(|(n, _)| n == contents).expect(contents).1;
        let base = if contents == "README.md" { "docs/" } else { "" };
        for (page, _) in pages.iter().filter(|(n, _)| n.starts_with("docs/")) {
            let name = page.trim_start_matches("docs/");
            if name == "README.md" && contents == "docs/README.md" {
                continue;
            }
            assert!(
                text.contains(&format!("]({base}{name})")),
                "{contents} does not link {page}"
            );
        }
    }
}

#[test]
fn a_broken_link_is_caught() {
    let page = |body: &str| vec![("docs/bogus.md".to_owned(), format!("# Title\n\n{body}\n"))];
    for body in [
        "[gone](no-such-page.md)",
        "[out](../../elsewhere/DESIGN.md)",
        "[anchor](README.md#no-such-heading)",
        "[here](#nowhere)",
    ] {
        let (problems, checked) = check_links(&page(body));
        assert_eq!((problems.len(), checked), (1, 1), "{body}: {problems:?}");
    }
    let (problems, _) = check_links(&page(
        "[ok](../README.md#exit-codes) [self](#title) `[code](nowhere.md)` [web](https://example.org/)",
    ));
    assert!(problems.is_empty(), "{problems:?}");
}

#[test]
fn the_readme_is_a_front_door() {
    let readme = std::fs::read_to_string(root().join("README.md")).expect("README.md");
    let lines = readme.lines().count();
    assert!(
        lines <= README_MAX_LINES,
        "README.md has {lines} lines (at most {README_MAX_LINES}): move details to docs/"
    );
    let (blocks, prose) = split(&readme);
    let first = blocks.first().expect("README.md has a code block");
    assert_eq!(first.lang, "sh");
    let body: String = first
        .lines
        .iter()
        .flat_map(|(_, l)| [l.as_str(), "\n"])
        .collect();
    assert_eq!(body, FIRST_BLOCK, "the README's first code block");
    let first_line = first.lines[0].0;
    assert!(
        prose
            .iter()
            .filter(|(n, _)| *n < first_line)
            .all(|(_, l)| l.trim().is_empty() || l.starts_with("# ")),
        "the README starts with its title, then the two commands"
    );
    // A front door is not a lab notebook: no dates, no issue numbers, no links out of the tree.
    let lab =
        Regex::new(r"\b20\d\d-\d\d-\d\d\b|(?i:\bissue\s+#?\d+)|\s#\d+\b|\.\./").expect("regex");
    for (n, line) in readme.lines().enumerate() {
        assert!(
            !lab.is_match(line),
            "README.md:{}: belongs in docs/: {line}",
            n + 1
        );
    }
}
