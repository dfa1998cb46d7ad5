//! Writes a synthetic, consistent AAF export (one file per kind, about 1.6 kB per record) for the
//! benchmark in `bench/aaf.sh`, and with `--ldif` the directory an ENT would have made of the same
//! people, for `bench/reconcile.sh` (`--drift N` plants N differences of each kind in it):
//!
//! ```text
//! cargo run --release --example gen_aaf -- --people 100000 --out /tmp/aaf-100k
//! cargo run --release --example gen_aaf -- --people 100000 --ldif /tmp/ent-100k.ldif --drift 50
//! ```

use std::path::PathBuf;
use std::process::ExitCode;

use sdet_audit::feeds::generate::{self, LdifOptions, Options};

const USAGE: &str = "usage: gen_aaf --people N (--out DIR | --ldif FILE [--base DN] [--drift N])";

fn number(value: Option<String>) -> Option<u64> {
    value.and_then(|n| n.replace('_', "").parse::<u64>().ok())
}

#[allow(clippy::disallowed_macros)] // a command-line tool's own output
fn main() -> ExitCode {
    let (mut people, mut out, mut ldif) = (None, None, None);
    let (mut base, mut drift, mut bad) = ("dc=ent-test,dc=fr".to_owned(), Some(0), false);
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--people" => people = number(args.next()),
            "--out" => out = args.next().map(PathBuf::from),
            "--ldif" => ldif = args.next().map(PathBuf::from),
            "--base" => base = args.next().unwrap_or_default(),
            "--drift" => drift = number(args.next()),
            _ => bad = true,
        }
    }
    let (Some(people), Some(drift), false) = (people, drift, bad || base.is_empty()) else {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    };
    let outcome = match (out, ldif) {
        (Some(out), None) => generate::write(&Options { people, out }).map(|w| {
            format!(
                "{} records, {} bytes ({} bytes per record) in {} files",
                w.records,
                w.bytes,
                w.bytes / w.records.max(1),
                w.files.len()
            )
        }),
        (None, Some(out)) => generate::write_ldif(&LdifOptions {
            people,
            out,
            base,
            drift,
        })
        .map(|w| format!("{} entries, {} bytes", w.entries, w.bytes)),
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match outcome {
        Ok(summary) => {
            println!("{summary}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("gen_aaf: {e}");
            ExitCode::FAILURE
        }
    }
}
