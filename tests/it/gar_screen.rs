//! The built-in GAR screen against xmllint itself: the screen may only clear a file that
//! xmllint validates. Every valid export file of `fixtures/gar/` and of the generator is
//! altered in hundreds of ways (values too long by one multibyte character, impossible dates,
//! missing, repeated and reordered elements, duplicate keys, foreign attributes and namespaces,
//! other encodings, references, comments, trailing content…); each altered file the screen
//! clears goes to xmllint, in both of its modes, which must validate it. The unaltered files
//! must be cleared, or the screen would save nothing. Files written from the compiled grammars
//! themselves, for every root of both schemas, must be valid for xmllint too: the compiler
//! must not have missed a constraint of the XSDs on types no fixture uses.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use sdet_audit::demo::gar_generate::{self, Options};
use sdet_probes::interop::gar::grammar::{Complex, Content, Grammar, Particle, Simple};
use sdet_probes::interop::gar::reader::{NS_1D, NS_2D};
use sdet_probes::interop::gar::schema::{XSD_1D, XSD_2D};
use sdet_probes::interop::gar::screen::{Grammars, Screened};

use crate::support::{root, xml_files};

/// The valid files the alterations start from: the minimal fixtures and a generated export
/// (every record kind of the 2D schema).
fn baselines(generated: &Path) -> Vec<(String, String)> {
    let mut files = Vec::new();
    for case in ["minimal-2d", "minimal-1d"] {
        files.extend(read_folder(&root().join("fixtures/gar").join(case)));
    }
    gar_generate::write(&Options {
        pupils: 12,
        per_file: 1_000,
        defects: false,
        out: generated.to_path_buf(),
    })
    .expect("generated export");
    files.extend(read_folder(generated));
    files
}

fn read_folder(folder: &Path) -> Vec<(String, String)> {
    xml_files(folder)
        .into_iter()
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read_to_string(&p).expect("fixture"))
        })
        .collect()
}

/// Each text element of `xml` (`<p:Name>value</p:Name>`): (start of its value, end, name). Only
/// the first occurrence of each name, to keep the count of alterations in hand.
fn text_elements(xml: &str) -> Vec<(usize, usize, String)> {
    let pattern = regex::Regex::new(r"<(\w+:)?(\w+)>([^<]*)</(\w+:)?(\w+)>").unwrap();
    let mut seen = std::collections::HashSet::new();
    pattern
        .captures_iter(xml)
        .filter(|c| c[2] == c[5] && seen.insert(c[2].to_string()))
        .map(|c| {
            let value = c.get(3).unwrap();
            (value.start(), value.end(), c[2].to_string())
        })
        .collect()
}

/// The records under the root: (start, end) of each `<p:Name>…</p:Name>` at depth 1.
fn record_spans(xml: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut depth = 0;
    let mut start = 0;
    loop {
        let before = usize::try_from(reader.buffer_position()).unwrap();
        match reader.read_event().expect("baseline is well-formed") {
            quick_xml::events::Event::Start(_) => {
                depth += 1;
                if depth == 2 {
                    start = before;
                }
            }
            quick_xml::events::Event::End(_) => {
                if depth == 2 {
                    out.push((start, usize::try_from(reader.buffer_position()).unwrap()));
                }
                depth -= 1;
            }
            quick_xml::events::Event::Eof => return out,
            _ => {}
        }
    }
}

fn splice(xml: &str, start: usize, end: usize, with: &str) -> String {
    format!("{}{with}{}", &xml[..start], &xml[end..])
}

/// Alterations of one valid file, each by a name that says what changed.
struct Alterations<'x> {
    xml: &'x str,
    out: Vec<(String, String)>,
}

impl Alterations<'_> {
    fn add(&mut self, name: String, text: String) {
        if text != self.xml {
            self.out.push((name, text));
        }
    }
}

/// Every alteration of one valid file.
fn alterations(xml: &str) -> Vec<(String, String)> {
    let mut alter = Alterations {
        xml,
        out: Vec::new(),
    };
    text_values(&mut alter);
    elements(&mut alter);
    records(&mut alter);
    prolog(&mut alter);
    root_element(&mut alter);
    schema_hints(&mut alter);
    namespaces_and_ends(&mut alter);
    alter.out
}

/// Text values: lengths either side of every maxLength the schemas use, in one-, two- and
/// four-byte characters, dates valid and not, references, CDATA, line ends.
fn text_values(alter: &mut Alterations<'_>) {
    let xml = alter.xml;
    let mut values: Vec<String> = Vec::new();
    for n in [
        1, 2, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 20, 21, 30, 31, 32, 33, 36, 37, 40, 41, 50, 51,
        64, 65, 100, 101, 128, 129, 255, 256, 257, 500, 501, 1000, 1001, 1024, 1025, 5000,
    ] {
        values.push("a".repeat(n));
        values.push("é".repeat(n));
        values.push("\u{1F600}".repeat(n));
    }
    values.extend(
        [
            "",
            " ",
            "2024-02-29",
            "2023-02-29",
            "2023-04-31",
            "2023-12-31Z",
            "2023-12-31+01:00",
            " 2023-12-31 ",
            "2023-1-31",
            "0000-01-01",
            "0001-01-01",
            "12023-01-01",
            "-2023-01-01",
            "2023-13-01",
            "2023-00-10",
            "2023-01-32",
            "x&amp;y",
            "&lt;&gt;&quot;&apos;",
            "&#233;&#xE9;",
            "&#13;",
            "a\r\nb",
            "a\rb",
            "&#0;",
            "&#xFFFE;",
            "&bogus;",
            "a&b",
            "a]]>b",
            "<![CDATA[x<y]]>",
            "2023<!-- c -->-12-31",
            "\u{7}",
            "\u{FFFF}",
            "\u{1F600}",
        ]
        .map(String::from),
    );
    for (start, end, name) in text_elements(xml) {
        let value = &xml[start..end];
        for v in &values {
            alter.add(format!("{name} = {v:?}"), splice(xml, start, end, v));
        }
        for v in [
            format!("{value} "),
            format!(" {value}"),
            format!("{value}{value}"),
        ] {
            alter.add(format!("{name} = {v:?}"), splice(xml, start, end, &v));
        }
    }
}

/// Each text element whole: gone, twice, with an attribute, a child, or out of its namespace.
fn elements(alter: &mut Alterations<'_>) {
    let xml = alter.xml;
    for (start, end, name) in text_elements(xml) {
        let open = xml[..start].rfind('<').unwrap();
        let close = end + xml[end..].find('>').unwrap() + 1;
        let element = &xml[open..close];
        alter.add(format!("no {name}"), splice(xml, open, close, ""));
        alter.add(
            format!("{name} twice"),
            splice(xml, open, close, &format!("{element}{element}")),
        );
        let tag = &xml[open + 1..start - 1];
        alter.add(
            format!("{name} with an attribute"),
            splice(xml, open, start, &format!("<{tag} a=\"1\">")),
        );
        alter.add(format!("{name} with xsi:nil"), splice(xml, open, start, &format!("<{tag} xsi:nil=\"true\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">")));
        alter.add(
            format!("{name} holding an element"),
            splice(xml, start, end, &format!("<{tag}>x</{tag}>")),
        );
        alter.add(
            format!("{name} unprefixed"),
            xml.replacen(element, &element.replace("men:", ""), 1),
        );
        alter.add(
            format!("{name} empty tag"),
            splice(xml, open, close, &format!("<{tag}/>")),
        );
    }
}

/// Records: gone, twice (a duplicate key, exact or nearly), swapped, with things between them.
fn records(alter: &mut Alterations<'_>) {
    let xml = alter.xml;
    let value = regex::Regex::new(r">([^<>]+)</").unwrap();
    let recs = record_spans(xml);
    for (i, &(start, end)) in recs.iter().enumerate() {
        let record = &xml[start..end];
        alter.add(format!("record {i} gone"), splice(xml, start, end, ""));
        alter.add(
            format!("record {i} twice"),
            splice(xml, start, end, &format!("{record}{record}")),
        );
        // Twice, the copy's values differing only in ways a careless comparison would miss.
        for (how, suffix) in [
            ("a space", " "),
            ("a tab", "\t"),
            ("a CR", "&#13;"),
            ("a line end", "\n"),
        ] {
            let copy = value.replace_all(record, |c: &regex::Captures<'_>| {
                format!(">{}{suffix}</", &c[1])
            });
            alter.add(
                format!("record {i} twice, {how} after each value"),
                splice(xml, start, end, &format!("{record}{copy}")),
            );
        }
        let upper = value.replace_all(record, |c: &regex::Captures<'_>| {
            format!(">{}</", c[1].to_uppercase())
        });
        alter.add(
            format!("record {i} twice, upper case"),
            splice(xml, start, end, &format!("{record}{upper}")),
        );
        for (what, inserted) in [
            ("text", "x"),
            ("&#32;", "&#32;"),
            ("comment", "<!-- note -->"),
            ("bad comment", "<!-- a -- b -->"),
            ("PI", "<?pi data?>"),
            ("CDATA", "<![CDATA[ ]]>"),
        ] {
            alter.add(
                format!("{what} before record {i}"),
                splice(xml, start, start, inserted),
            );
        }
        if let Some(&(next_start, next_end)) = recs.get(i + 1) {
            let swapped = format!(
                "{}{}{}",
                &xml[next_start..next_end],
                &xml[end..next_start],
                record
            );
            alter.add(
                format!("records {i} and {} swapped", i + 1),
                splice(xml, start, next_end, &swapped),
            );
        }
        // The record's first child moved to its end.
        if let Some(first) = record[1..].find('<').map(|p| p + 1) {
            let child_end = record[first..]
                .find("</")
                .and_then(|p| record[first + p..].find('>').map(|q| first + p + q + 1));
            if let Some(child_end) = child_end {
                let child = &record[first..child_end];
                let closing = record.rfind("</").unwrap();
                let moved = format!(
                    "{}{}{child}{}",
                    &record[..first],
                    &record[child_end..closing],
                    &record[closing..]
                );
                alter.add(
                    format!("record {i}: first child last"),
                    splice(xml, start, end, &moved),
                );
            }
        }
    }
}

/// The prolog: declarations, BOM, DTDs.
fn prolog(alter: &mut Alterations<'_>) {
    let xml = alter.xml;
    let decl_end = xml.find("?>").map_or(0, |p| p + 2);
    let body = &xml[decl_end..];
    for decl in [
        "",
        "<?xml version=\"1.0\"?>",
        "<?xml version='1.0' encoding='utf-8'?>",
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>",
        "<?xml version=\"1.0\" standalone=\"yes\" encoding=\"UTF-8\"?>",
        "<?xml version=\"1.1\"?>",
        "<?xml encoding=\"UTF-8\"?>",
        "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>",
        "<?xml version=\"1.0\"encoding=\"UTF-8\"?>",
        "<?xml version=\"1.0\" foo=\"bar\"?>",
        "<?xml version=\"1.0\" standalone=\"maybe\"?>",
        " <?xml version=\"1.0\"?>",
        "\u{FEFF}<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
        "\u{FEFF}",
        "<!DOCTYPE r>",
        "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY e \"x\">]>",
        "<?xml version=\"1.0\"?><!-- a comment -->",
        "<?xml version=\"1.0\"?><?pi x?>",
    ] {
        alter.add(format!("prolog {decl:?}"), format!("{decl}{body}"));
    }
}

/// The root's start tag: its attributes, its namespace declarations, how they are written.
fn root_element(alter: &mut Alterations<'_>) {
    let xml = alter.xml;
    let decl_end = xml.find("?>").map_or(0, |p| p + 2);
    let body = &xml[decl_end..];
    let root_start = body.find('<').map(|p| p + decl_end).unwrap();
    let root_tag_end = root_start + xml[root_start..].find('>').unwrap();
    let root_tag = &xml[root_start + 1..root_tag_end];
    let root_tag = root_tag.trim_end_matches('/');
    for (what, tag) in [
        ("no Version", root_tag.replace(" Version=\"", " Versio=\"")),
        ("Version twice", format!("{root_tag} Version=\"2\"")),
        ("xml:lang", format!("{root_tag} xml:lang=\"fr\"")),
        ("another attribute", format!("{root_tag} Other=\"1\"")),
        (
            "schemaLocation",
            format!(
                "{root_tag} xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:schemaLocation=\"x y\""
            ),
        ),
        (
            "an unused prefix",
            format!("{root_tag} xmlns:foo=\"urn:foo\""),
        ),
        (
            "an empty prefix binding",
            format!("{root_tag} xmlns:foo=\"\""),
        ),
        (
            "an odd prefix",
            format!("{root_tag} xmlns:1foo=\"urn:foo\""),
        ),
        (
            "a reserved prefix",
            format!("{root_tag} xmlns:xmlfoo=\"urn:foo\""),
        ),
        (
            "the xml namespace rebound",
            format!("{root_tag} xmlns:foo=\"http://www.w3.org/XML/1998/namespace\""),
        ),
        (
            "a default namespace",
            format!("{root_tag} xmlns=\"urn:other\""),
        ),
        (
            "no space between attributes",
            root_tag.replacen("\" ", "\"", 1),
        ),
        ("single quotes", root_tag.replace('"', "'")),
        (
            "an unquoted value",
            root_tag.replacen("=\"", "=", 1).replacen('"', "", 1),
        ),
        (
            "a reference in Version",
            root_tag.replace("Version=\"", "Version=\"&amp;"),
        ),
        (
            "a < in Version",
            root_tag.replace("Version=\"", "Version=\"<"),
        ),
        (
            "tab before Version",
            root_tag.replace(" Version", "\tVersion"),
        ),
    ] {
        alter.add(
            format!("root: {what}"),
            splice(xml, root_start + 1, root_start + 1 + root_tag.len(), &tag),
        );
    }
}

/// Where the schema is: ENTs write it (Open ENT NG on every root), in many ways.
fn schema_hints(alter: &mut Alterations<'_>) {
    let xml = alter.xml;
    let decl_end = xml.find("?>").map_or(0, |p| p + 2);
    let root_start = xml[decl_end..].find('<').map(|p| p + decl_end).unwrap();
    let root_tag_end = root_start + xml[root_start..].find('>').unwrap();
    let root_tag = xml[root_start + 1..root_tag_end].trim_end_matches('/');
    let xsi = "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"";
    let (name, rest) = root_tag.split_once(' ').unwrap();
    let mut hints: Vec<(String, String)> = Vec::new();
    for value in [
        "http://data.education.fr/ns/gar GAR-ENT.xsd",
        "x y",
        "x",
        "",
        "a b c",
        " x  y ",
        "http://127.0.0.1:9/none.xsd",
        "%%% ###",
    ] {
        for attribute in [
            "schemaLocation",
            "noNamespaceSchemaLocation",
            "type",
            "nil",
            "other",
        ] {
            hints.push((
                format!("xsi:{attribute}={value:?}"),
                format!("{name} {xsi} xsi:{attribute}=\"{value}\" {rest}"),
            ));
        }
    }
    hints.extend([
        (
            "as Open ENT NG writes it".to_string(),
            format!(
                "{name} xmlns:xalan=\"http://xml.apache.org/xalan\" xmlns:xslFormatting=\"urn:xslFormatting\" {xsi} {rest} xsi:schemaLocation=\"http://data.education.fr/ns/gar GAR-ENT.xsd\""
            ),
        ),
        (
            "schemaLocation before its prefix".to_string(),
            format!("{name} xsi:schemaLocation=\"x y\" {rest} {xsi}"),
        ),
        (
            "schemaLocation without its prefix".to_string(),
            format!("{name} xsi:schemaLocation=\"x y\" {rest}"),
        ),
        (
            "schemaLocation in another namespace".to_string(),
            format!("{name} xmlns:xsi=\"urn:other\" xsi:schemaLocation=\"x y\" {rest}"),
        ),
        (
            "schemaLocation twice through two prefixes".to_string(),
            format!("{name} {xsi} xmlns:i=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:schemaLocation=\"x y\" i:schemaLocation=\"x y\" {rest}"),
        ),
        (
            "both hints".to_string(),
            format!("{name} {xsi} xsi:schemaLocation=\"x y\" xsi:noNamespaceSchemaLocation=\"z\" {rest}"),
        ),
    ]);
    for (what, tag) in hints {
        alter.add(
            format!("root: {what}"),
            splice(xml, root_start + 1, root_start + 1 + root_tag.len(), &tag),
        );
    }
}

/// Namespaces and prefixes throughout, line ends, and what comes after the root.
fn namespaces_and_ends(alter: &mut Alterations<'_>) {
    let xml = alter.xml;
    for ns in [NS_2D, NS_1D] {
        let other = if ns == NS_2D { NS_1D } else { NS_2D };
        alter.add(
            format!("namespace {ns} → {other}"),
            xml.replace(&format!("\"{ns}\""), &format!("\"{other}\"")),
        );
        alter.add(
            format!("namespace {ns} → +/"),
            xml.replace(&format!("\"{ns}\""), &format!("\"{ns}/\"")),
        );
    }
    alter.add("prefix men → m".into(), xml.replace("men:", "m:"));
    alter.add(
        "default namespace instead of men".into(),
        xml.replace("men:", "").replace("xmlns:=", "xmlns="),
    );
    let namespace = regex::Regex::new(r#"xmlns:men="([^"]+)""#)
        .unwrap()
        .captures(xml)
        .unwrap()[1]
        .to_string();
    let with_default = xml.replacen(
        " xmlns:men=",
        &format!(" xmlns=\"{namespace}\" xmlns:men="),
        1,
    );
    alter.add(
        "default namespace declared too".into(),
        with_default.clone(),
    );
    alter.add(
        "empty prefixes".into(),
        with_default.replace("<men:", "<:").replace("</men:", "</:"),
    );
    alter.add(
        "empty prefixes below the root".into(),
        with_default
            .replace("<men:GAR", "<:GAR")
            .replace("</men:GAR", "</:GAR")
            .replacen("<:GAR-ENT", "<men:GAR-ENT", 1)
            .replacen("</:GAR-ENT", "</men:GAR-ENT", 1),
    );
    alter.add("trailing text".into(), format!("{xml}x"));
    alter.add("trailing element".into(), format!("{xml}<a/>"));
    alter.add("trailing comment".into(), format!("{xml}<!-- end -->"));
    alter.add("trailing PI".into(), format!("{xml}<?pi x?>"));
    alter.add("truncated".into(), xml[..xml.len() / 2].to_string());
    alter.add("no end".into(), xml[..xml.rfind("</").unwrap()].to_string());
    alter.add("CRLF".into(), xml.replace('\n', "\r\n"));
    alter.add("CR".into(), xml.replace('\n', "\r"));
    alter.add(
        "latin-1 é".into(),
        xml.replacen("Prenom<", "Pr\u{e9}nom<", 1),
    );
    alter.add("a NUL".into(), xml.replacen('>', ">\0", 2));
}

/// Files xmllint validates, of `files` (all in `namespace`), in one of its modes.
fn xmllint_validates(xsd: &Path, files: &[PathBuf], stream: bool) -> Vec<bool> {
    let mut command = Command::new("xmllint");
    command.args(["--noout", "--nonet"]);
    if stream {
        command.arg("--stream");
    }
    let output = command
        .arg("--schema")
        .arg(xsd)
        .args(files)
        .output()
        .expect("xmllint (Debian libxml2-utils) runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    files
        .iter()
        .map(|f| {
            stderr
                .lines()
                .any(|l| l == format!("{} validates", f.display()))
        })
        .collect()
}

/// Files the screen cleared, kept to be judged by xmllint: each under the schema of the
/// namespace its root is in as written, as the probe picks it.
struct Cleared {
    dir: tempfile::TempDir,
    xsds: [PathBuf; 2],
    files: [Vec<PathBuf>; 2],
    names: std::collections::HashMap<PathBuf, String>,
}

impl Cleared {
    fn new() -> Cleared {
        let dir = tempfile::tempdir().expect("tempdir");
        let xsds = [
            dir.path().join("GAR-ENT.xsd"),
            dir.path().join("GAR-ENT-1D.xsd"),
        ];
        std::fs::write(&xsds[0], XSD_2D).unwrap();
        std::fs::write(&xsds[1], XSD_1D).unwrap();
        Cleared {
            dir,
            xsds,
            files: [Vec::new(), Vec::new()],
            names: std::collections::HashMap::new(),
        }
    }

    fn keep(&mut self, name: String, text: &str) {
        let path = self.dir.path().join(format!("{}.xml", self.names.len()));
        std::fs::write(&path, text).unwrap();
        let is_1d = text.contains(&format!("{NS_1D}\"")) || text.contains(&format!("{NS_1D}'"));
        self.names.insert(path.clone(), name);
        self.files[usize::from(is_1d)].push(path);
    }

    fn count(&self) -> usize {
        self.names.len()
    }

    /// The names of the kept files xmllint does not validate, in either of its modes.
    fn invalid_for_xmllint(&self) -> Vec<String> {
        let mut invalid = Vec::new();
        for (xsd, files) in self.xsds.iter().zip(&self.files) {
            for chunk in files.chunks(200) {
                for stream in [true, false] {
                    for (path, valid) in chunk.iter().zip(xmllint_validates(xsd, chunk, stream)) {
                        if !valid {
                            invalid.push(format!("{} (stream: {stream})", self.names[path]));
                        }
                    }
                }
            }
        }
        invalid
    }
}

#[test]
fn the_screen_clears_only_files_xmllint_validates() {
    let generated = tempfile::tempdir().expect("tempdir");
    let grammars = Grammars::embedded().expect("the embedded schemas compile");
    let mut cleared = Cleared::new();
    let mut altered = 0;
    for (file, xml) in baselines(generated.path()) {
        assert_eq!(
            grammars.screen(xml.as_bytes()),
            Screened::Valid,
            "the valid file {file} is not cleared"
        );
        for (what, text) in alterations(&xml) {
            altered += 1;
            if grammars.screen(text.as_bytes()) == Screened::Valid {
                cleared.keep(format!("{file}: {what}"), &text);
            }
        }
    }
    assert!(altered > 2_000, "only {altered} alterations");
    let wrongly_cleared = cleared.invalid_for_xmllint();
    assert!(
        wrongly_cleared.is_empty(),
        "{} of {} cleared alterations are invalid for xmllint:\n{}",
        wrongly_cleared.len(),
        cleared.count(),
        wrongly_cleared.join("\n")
    );
    // Alterations that keep the file valid exist (a value one character shorter, a comment…):
    // the screen must clear some, or it is merely refusing everything.
    assert!(
        cleared.count() > 100,
        "only {} of {altered} altered files cleared",
        cleared.count()
    );
}

#[test]
fn a_root_as_open_ent_ng_writes_it_is_cleared() {
    // Open ENT NG's GAR connector declares three namespaces more on every root and says where
    // the schema is: valid, and common enough that leaving it to xmllint would cost the speed.
    let dir = tempfile::tempdir().expect("tempdir");
    let grammars = Grammars::embedded().expect("the embedded schemas compile");
    let xsd = dir.path().join("GAR-ENT.xsd");
    std::fs::write(&xsd, XSD_2D).unwrap();
    let mut files = Vec::new();
    let version = regex::Regex::new(r#"Version="[^"]*""#).unwrap();
    for (name, xml) in read_folder(&root().join("fixtures/gar/minimal-2d")) {
        let xml = xml.replacen(
            " Version=",
            " xmlns:xalan=\"http://xml.apache.org/xalan\" xmlns:xslFormatting=\"urn:xslFormatting\" \
             xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" Version=",
            1,
        );
        let xml = version
            .replace(&xml, |c: &regex::Captures<'_>| {
                format!(
                    "{} xsi:schemaLocation=\"http://data.education.fr/ns/gar GAR-ENT.xsd\"",
                    &c[0]
                )
            })
            .into_owned();
        assert!(xml.contains("xsi:schemaLocation"), "{xml}");
        assert_eq!(
            grammars.screen(xml.as_bytes()),
            Screened::Valid,
            "{name}:\n{xml}"
        );
        let path = dir.path().join(name);
        std::fs::write(&path, xml).unwrap();
        files.push(path);
    }
    for stream in [true, false] {
        assert_eq!(xmllint_validates(&xsd, &files, stream), [true, true]);
    }
}

/// A file of `root` in `grammar` written from the compiled grammar itself: every element of
/// every sequence `times(particle)` times, text values unique and within their `maxLength`,
/// dates a valid day. If the compiler had missed a constraint of the XSD (a facet, an
/// attribute, an order), xmllint would refuse what the grammar allows.
fn instance(grammar: &Grammar, root: &str, times: fn(&Particle) -> u32) -> String {
    fn children(
        grammar: &Grammar,
        complex: &Complex,
        times: fn(&Particle) -> u32,
        n: &mut u32,
        out: &mut String,
    ) {
        for particle in &complex.particles {
            for _ in 0..times(particle) {
                let name = &particle.name;
                let _ = write!(out, "<men:{name}>");
                match particle.content {
                    Content::Complex(index) => {
                        children(grammar, &grammar.types[index], times, n, out);
                    }
                    Content::Simple(Simple::Date) => out.push_str("2012-02-29"),
                    Content::Simple(Simple::String(max)) => {
                        *n += 1;
                        let value = format!("{n:0>4}");
                        out.push_str(
                            &value[value.len().saturating_sub(max.unwrap_or(usize::MAX))..],
                        );
                    }
                }
                let _ = write!(out, "</men:{name}>");
            }
        }
    }
    let complex = &grammar.types[grammar.roots[root].complex];
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<men:{root} xmlns:men=\"{}\"",
        grammar.namespace
    );
    for (name, _) in &complex.attributes {
        let _ = write!(out, " {name}=\"1.0\"");
    }
    out.push('>');
    children(grammar, complex, times, &mut 0, &mut out);
    let _ = writeln!(out, "</men:{root}>");
    out
}

#[test]
fn files_written_from_the_compiled_grammars_are_valid_for_xmllint() {
    // Both schemas, every root, every particle as few times as its sequence allows (but once
    // at least), then twice where allowed: the compiled grammars must agree with the XSDs on
    // every type, not only on those the fixtures use. And every alteration of the first kind
    // of file that the screen clears must be valid too.
    let screen = Grammars::embedded().expect("the embedded schemas compile");
    let mut cleared = Cleared::new();
    let once: fn(&Particle) -> u32 = |p| p.min.max(1);
    let twice: fn(&Particle) -> u32 = |p| p.max.map_or(2, |max| max.min(2)).max(p.min);
    for xsd in [XSD_2D, XSD_1D] {
        let grammar = sdet_probes::interop::gar::grammar::compile(xsd).unwrap();
        let mut roots: Vec<&String> = grammar.roots.keys().collect();
        roots.sort();
        for root in roots {
            for (how, times) in [("once", once), ("twice", twice)] {
                let xml = instance(&grammar, root, times);
                assert_eq!(
                    screen.screen(xml.as_bytes()),
                    Screened::Valid,
                    "{root} {how}:\n{xml}"
                );
                cleared.keep(format!("{root} {how}"), &xml);
                if how == "twice" {
                    continue;
                }
                for (what, text) in alterations(&xml) {
                    if screen.screen(text.as_bytes()) == Screened::Valid {
                        cleared.keep(format!("{root} {how}: {what}"), &text);
                    }
                }
            }
        }
    }
    let wrongly_cleared = cleared.invalid_for_xmllint();
    assert!(
        wrongly_cleared.is_empty(),
        "{} of {} files the grammar allows are invalid for xmllint:\n{}",
        wrongly_cleared.len(),
        cleared.count(),
        wrongly_cleared.join("\n")
    );
}
