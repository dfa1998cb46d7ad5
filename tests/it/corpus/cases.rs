//! The corpus's cases: hostile files and bundles (`files`), and a hostile ENT's answers
//! (`servers`). Each is a command line and the exit codes that are right for it; `says` pins the
//! precise diagnostic or verdict where one is expected.

use std::path::{Path, PathBuf};

use super::Case;
use super::ent::Ent;
use crate::support::{mkfifo, root};

/// Exit 2: refused before any audit (usage, unreadable input, invalid file).
const REFUSED: &[i32] = &[2];
/// Exit 1 or 3: the audit ran and found a failure, or could not judge something.
const JUDGED: &[i32] = &[1, 3];
/// Exit 3: the audit could not judge (nothing to call a failure).
const INCOMPLETE: &[i32] = &[3];
/// Any verdict: the probe's criteria are recommandations, whose errors do not make an audit
/// incomplete; the bounds and the message are what is checked.
const ANY_VERDICT: &[i32] = &[0, 1, 3];

fn s(path: &Path) -> &str {
    path.to_str().expect("utf-8 path")
}

fn write(path: &Path, text: &str) -> PathBuf {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("folder");
    }
    std::fs::write(path, text).expect("write");
    path.to_path_buf()
}

fn audit(name: &str, target: &Path, exits: &'static [i32]) -> Case {
    Case::new(
        name,
        &[
            "audit",
            "--target",
            s(target),
            "--format",
            "json",
            "--output",
            "report.json",
            "--evidence",
            "evidence",
            "--timeout",
            "3",
            "--probe-deadline",
            "20",
            "--deadline",
            "50",
        ],
        exits,
    )
}

/// A bundle written by `demo`, to tamper with.
fn demo_bundle(dir: &Path) -> PathBuf {
    let bundle = dir.join("bundle");
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_sdet-audit"))
        .args([
            "demo",
            "--evidence",
            s(&bundle),
            "--format",
            "json",
            "--output",
        ])
        .arg(dir.join("demo.json"))
        .status()
        .expect("demo runs");
    assert_eq!(status.code(), Some(0), "the demo writes its bundle");
    bundle
}

/// A copy of `bundle` at `to`, changed by `change`.
fn tampered(bundle: &Path, to: &Path, change: impl FnOnce(&Path)) -> PathBuf {
    copy_dir(bundle, to);
    change(to);
    to.to_path_buf()
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("folder");
    for entry in std::fs::read_dir(from).expect("read").flatten() {
        let target = to.join(entry.file_name());
        if entry.file_type().expect("type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

fn edit_manifest(bundle: &Path, change: impl FnOnce(&mut serde_json::Value)) {
    let path = bundle.join("manifest.json");
    let mut manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).expect("manifest")).expect("json");
    change(&mut manifest);
    std::fs::write(
        &path,
        serde_json::to_string_pretty(&manifest).expect("json"),
    )
    .expect("write");
}

/// Hostile files and bundles.
pub fn files(dir: &Path) -> Vec<Case> {
    let fifo = dir.join("fifo.yaml");
    mkfifo(&fifo);
    let target_with = |name: &str, block: &str| {
        write(
            &dir.join(format!("{name}.yaml")),
            &format!("name: x\n{block}"),
        )
    };
    let huge_scalar = dir.join("huge-scalar.yaml");
    std::fs::write(
        &huge_scalar,
        format!("name: \"{}\"\n", "A".repeat(64 << 20)),
    )
    .expect("write");
    let huge_declarations = dir.join("huge-declarations.yaml");
    std::fs::write(&huge_declarations, "# ".repeat(9 << 20)).expect("write");
    let alias_bomb = write(
        &dir.join("alias-bomb.yaml"),
        "a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n\
         c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n\
         e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\n\
         g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f, *f]\nh: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g, *g]\nname: *h\n",
    );
    // A GAR export made of one 8 MiB line, and an AAF export folder holding a FIFO.
    let gar_line = dir.join("gar-line");
    std::fs::create_dir_all(&gar_line).expect("folder");
    std::fs::write(
        gar_line.join("ENT_GAR-ENT_Complet_20260901_120000_2D_Eleve_0000.xml"),
        format!(
            "<?xml version=\"1.0\"?><men:GAR-ENT xmlns:men=\"http://data.education.fr/ns/gar\">{}",
            "<a b=\"c\"/>".repeat(800_000)
        ),
    )
    .expect("write");
    let aaf_fifo = dir.join("aaf-fifo");
    std::fs::create_dir_all(&aaf_fifo).expect("folder");
    mkfifo(&aaf_fifo.join("ENT2D.Complet_Eleve_0000.xml"));
    let looped = dir.join("looped");
    std::os::unix::fs::symlink(&looped, &looped).expect("symlink loop");
    let fixtures = root().join("fixtures");

    let bundle = demo_bundle(dir);
    let traversal = tampered(&bundle, &dir.join("b-traversal"), |b| {
        edit_manifest(b, |m| {
            m["files"][1]["path"] = "../../../../etc/passwd".into();
        });
    });
    let device = tampered(&bundle, &dir.join("b-device"), |b| {
        let report = b.join("report.json");
        std::fs::remove_file(&report).expect("remove");
        std::os::unix::fs::symlink("/dev/zero", &report).expect("symlink");
    });
    let edited = tampered(&bundle, &dir.join("b-edited"), |b| {
        let observation = std::fs::read_dir(b.join("observations"))
            .expect("observations")
            .flatten()
            .next()
            .expect("one")
            .path();
        let text = std::fs::read_to_string(&observation).expect("read");
        std::fs::write(&observation, text.replacen("\"fail\"", "\"pass\"", 1) + " ")
            .expect("write");
    });
    let truncated = tampered(&bundle, &dir.join("b-truncated"), |b| {
        let manifest = b.join("manifest.json");
        let text = std::fs::read_to_string(&manifest).expect("read");
        std::fs::write(&manifest, &text[..text.len() / 2]).expect("write");
    });

    vec![
        Case::new(
            "target /dev/zero",
            &["audit", "--target", "/dev/zero"],
            REFUSED,
        )
        .says("/dev/zero: a device"),
        Case::new("target FIFO", &["audit", "--target", s(&fifo)], REFUSED).says("FIFO"),
        Case::new("target folder", &["audit", "--target", s(dir)], REFUSED).says("a folder"),
        Case::new(
            "target symlink loop",
            &["audit", "--target", s(&looped)],
            REFUSED,
        ),
        Case::new("waivers FIFO", &["demo", "--waivers", s(&fifo)], REFUSED).says("FIFO"),
        Case::new(
            "report from /dev/zero",
            &["report", "--from", "/dev/zero"],
            REFUSED,
        )
        .says("device"),
        audit(
            "declarations /dev/zero",
            &target_with("decl-zero", "declarations: /dev/zero\n"),
            REFUSED,
        )
        .says("device"),
        audit(
            "CA file /dev/zero",
            &target_with("ca-zero", "tls: { ca_file: /dev/zero }\n"),
            REFUSED,
        )
        .says("device"),
        audit(
            "SAML metadata /dev/zero",
            &target_with("saml-zero", "saml: { metadata_file: /dev/zero }\n"),
            INCOMPLETE,
        )
        .says("device"),
        audit("64 MiB YAML scalar", &huge_scalar, REFUSED),
        audit("YAML alias bomb", &alias_bomb, REFUSED),
        audit(
            "malformed YAML",
            &write(&dir.join("broken.yaml"), "name: [unclosed\nportal: {\n"),
            REFUSED,
        ),
        audit(
            "unknown target field",
            &target_with("unknown", "portall: https://127.0.0.1:9/\n"),
            REFUSED,
        )
        .says("portall"),
        audit(
            "bad allowed origin",
            &target_with("bad-origin", "allowed_origins: [\"ftp://ent.fr/\"]\n"),
            REFUSED,
        )
        .says("allowed_origins"),
        audit(
            "18 MiB declarations",
            &target_with(
                "huge-decl",
                &format!("declarations: {}\n", s(&huge_declarations)),
            ),
            REFUSED,
        )
        .says("larger than 16777216 bytes"),
        audit(
            "GAR export of one 8 MiB line",
            &target_with(
                "gar-line",
                &format!("interop: {{ gar_export: {} }}\n", s(&gar_line)),
            ),
            JUDGED,
        ),
        audit(
            "GAR DTD bomb",
            &target_with(
                "gar-bomb",
                &format!(
                    "interop: {{ gar_export: {} }}\n",
                    s(&fixtures.join("gar/dtd-bomb"))
                ),
            ),
            JUDGED,
        ),
        audit(
            "AAF billion laughs",
            &target_with(
                "aaf-bomb",
                &format!(
                    "annuaire: {{ feeds: {} }}\n",
                    s(&fixtures.join("aaf/hostile/billion-laughs"))
                ),
            ),
            ANY_VERDICT,
        ),
        audit(
            "AAF folder with a FIFO",
            &target_with(
                "aaf-fifo",
                &format!("annuaire: {{ feeds: {} }}\n", s(&aaf_fifo)),
            ),
            JUDGED,
        ),
        audit(
            "SAML metadata with entities",
            &target_with(
                "saml-dtd",
                &format!(
                    "saml: {{ metadata_file: {} }}\n",
                    s(&fixtures.join("saml/dtd-entities/metadata.xml"))
                ),
            ),
            JUDGED,
        ),
        Case::new(
            "feeds check billion laughs",
            &[
                "feeds",
                "check",
                s(&fixtures.join("aaf/hostile/billion-laughs")),
            ],
            &[1],
        ),
        Case::new(
            "feeds check symlink loop",
            &["feeds", "check", s(&looped)],
            REFUSED,
        ),
        Case::new(
            "grids lint on a symlink loop",
            &["grids", "lint", "--grids", s(&looped)],
            REFUSED,
        ),
        Case::new(
            "bundle path traversal",
            &["report", "--from", s(&traversal)],
            REFUSED,
        ),
        Case::new(
            "bundle file linked to /dev/zero",
            &["report", "--from", s(&device)],
            REFUSED,
        ),
        Case::new(
            "bundle observation edited",
            &["report", "--from", s(&edited)],
            REFUSED,
        )
        .says("SHA-256"),
        Case::new(
            "bundle manifest truncated",
            &["report", "--from", s(&truncated)],
            REFUSED,
        ),
    ]
}

/// A hostile ENT's answers, each audited through the target block that reaches it.
pub fn servers(ent: &Ent, dir: &Path) -> Vec<Case> {
    let ca = write(&dir.join("ca.pem"), &ent.ca_pem);
    let base = ent.base.as_str();
    let target = |name: &str, block: &str| {
        write(
            &dir.join(format!("{name}.yaml")),
            &format!("name: hostile\ntls: {{ ca_file: {} }}\n{block}", s(&ca)),
        )
    };
    let portal = |name: &str, path: &str| target(name, &format!("portal: \"{base}{path}\"\n"));
    let cas = |name: &str, path: &str| {
        target(
            name,
            &format!(
                "cas:\n  base_url: \"{base}{path}\"\n  service: \"{base}app/\"\n  accounts:\n    - {{ profile: eleve, username_env: CORPUS_USER, password_env: CORPUS_PASSWORD }}\n"
            ),
        )
    };
    let feed = |name: &str, kind: &str, path: &str| {
        target(name, &format!("interop: {{ {kind}: \"{base}{path}\" }}\n"))
    };
    let private_ical = |name: &str, path: &str| {
        target(
            name,
            &format!(
                "interop:\n  ical: \"{base}{path}\"\n  ical_private: true\n  ical_account: {{ username_env: CORPUS_USER, password_env: CORPUS_PASSWORD }}\n"
            ),
        )
    };
    let not_followed = "allowed_origins";
    let mut cases = vec![
        audit(
            "portal redirects to the metadata address",
            &portal("p-meta", "redirect/metadata/"),
            INCOMPLETE,
        )
        .says("169.254.169.254"),
        audit(
            "portal redirects to metadata (IPv6)",
            &portal("p-meta6", "redirect/metadata-v6/"),
            INCOMPLETE,
        ),
        audit(
            "portal redirects to metadata (v4-mapped)",
            &portal("p-mapped", "redirect/metadata-mapped/"),
            INCOMPLETE,
        ),
        audit(
            "portal redirects to another origin",
            &portal("p-elsewhere", "redirect/bystander/"),
            INCOMPLETE,
        )
        .says(not_followed),
        audit(
            "portal redirects to file://",
            &portal("p-file", "redirect/file/"),
            INCOMPLETE,
        )
        .says("file:"),
        audit(
            "portal redirects to gopher://",
            &portal("p-gopher", "redirect/gopher/"),
            INCOMPLETE,
        ),
        audit(
            "portal redirect loop",
            &portal("p-loop", "redirect/loop/"),
            INCOMPLETE,
        )
        .says("loop"),
        audit(
            "portal 429 Retry-After 999999",
            &portal("p-429", "status/429/"),
            INCOMPLETE,
        )
        .says("999999"),
        audit("portal 503", &portal("p-503", "status/503/"), INCOMPLETE),
        audit("portal slow-loris", &portal("p-slow", "slow/"), INCOMPLETE),
        audit(
            "portal endless body",
            &portal("p-endless", "endless/"),
            INCOMPLETE,
        ),
        audit(
            "portal never answers",
            &portal("p-stall", "stall/"),
            INCOMPLETE,
        ),
        audit(
            "legal links to another origin",
            &portal("p-legal", "portal/legal-elsewhere/"),
            JUDGED,
        ),
        audit(
            "CAS form posts elsewhere",
            &cas("c-form", "cas/form-elsewhere/"),
            &[1],
        )
        .says("Password withheld"),
        audit(
            "CAS login redirects elsewhere",
            &cas("c-redirect", "cas/redirect-elsewhere/"),
            &[1],
        )
        .says("Password withheld"),
        audit(
            "CAS login redirects to metadata",
            &cas("c-meta", "cas/redirect-metadata/"),
            &[1],
        )
        .says("Password withheld"),
        audit(
            "CAS echoes the password encoded",
            &cas("c-echo", "cas/echo/"),
            JUDGED,
        ),
        audit("CAS never answers", &cas("c-stall", "stall/"), INCOMPLETE),
        audit(
            "iCal redirects to metadata",
            &feed("i-meta", "ical", "redirect/metadata/"),
            ANY_VERDICT,
        ),
        audit(
            "iCal 429",
            &feed("i-429", "ical", "status/429/"),
            ANY_VERDICT,
        )
        .says("999999"),
        audit(
            "iCal echoes the Basic password",
            &private_ical("i-echo", "feeds/echo.ics"),
            ANY_VERDICT,
        ),
        audit(
            "private iCal redirects elsewhere",
            &private_ical("i-elsewhere", "redirect/bystander/"),
            ANY_VERDICT,
        )
        .says(not_followed),
        audit(
            "RSS billion laughs",
            &feed("r-bomb", "rss", "feeds/bomb.xml"),
            ANY_VERDICT,
        ),
        audit(
            "RSS external entity",
            &feed("r-xxe", "rss", "feeds/xxe.xml"),
            ANY_VERDICT,
        ),
        audit(
            "RSS endless",
            &feed("r-endless", "rss", "endless/"),
            ANY_VERDICT,
        ),
        audit(
            "RSS slow-loris",
            &feed("r-slow", "rss", "slow/"),
            ANY_VERDICT,
        ),
        audit(
            "WebDAV redirects elsewhere",
            &feed("w-elsewhere", "webdav", "dav/redirect/"),
            ANY_VERDICT,
        ),
        audit(
            "SAML metadata bomb",
            &target(
                "s-bomb",
                &format!("saml: {{ metadata_url: \"{base}saml/bomb.xml\" }}\n"),
            ),
            JUDGED,
        ),
        audit(
            "SAML metadata redirects to metadata address",
            &target(
                "s-meta",
                &format!("saml: {{ metadata_url: \"{base}redirect/metadata/\" }}\n"),
            ),
            INCOMPLETE,
        ),
        audit(
            "OIDC JWKS at the metadata address",
            &target(
                "o-jwks",
                &format!("oidc: {{ issuer: \"{base}oidc/jwks-metadata\" }}\n"),
            ),
            ANY_VERDICT,
        )
        .says("169.254.169.254"),
        audit(
            "OIDC discovery redirects to metadata",
            &target(
                "o-meta",
                &format!("oidc: {{ issuer: \"{base}oidc/redirect-metadata\" }}\n"),
            ),
            ANY_VERDICT,
        ),
    ];
    // The portal checks too, against the hostile targets above that have a portal.
    cases.push(audit(
        "a whole hostile target at once",
        &target(
            "all",
            &format!(
                "portal: \"{base}redirect/metadata/\"\ninterop:\n  ical: \"{base}slow/\"\n  rss: \"{base}feeds/bomb.xml\"\n  webdav: \"{base}dav/redirect/\"\n"
            ),
        ),
        INCOMPLETE,
    ));
    cases
}
