//! Writes a synthetic GAR 2D export (valid against GAR-ENT.xsd v1.7, consistent across files, split
//! into files of 10 000 records) for the benchmark in `bench/gar.sh`; `--defects` plants a known
//! set of problems and lists where each one is:
//!
//! ```text
//! cargo run --release --example gen_gar -- --pupils 100000 --out /tmp/gar-100k
//! cargo run --example gen_gar -- --pupils 20 --defects --out /tmp/gar-broken
//! ```

use std::path::PathBuf;
use std::process::ExitCode;

use sdet_audit::demo::gar_generate::{self, Options, PER_FILE};

#[allow(clippy::disallowed_macros)] // a command-line tool's own output
fn main() -> ExitCode {
    let mut pupils = None;
    let mut out = None;
    let mut per_file = Some(PER_FILE);
    let mut defects = false;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let number = |v: Option<String>| v.and_then(|n| n.replace('_', "").parse::<u64>().ok());
        match arg.as_str() {
            "--pupils" => pupils = number(args.next()),
            "--per-file" => per_file = number(args.next()).filter(|n| *n > 0),
            "--out" => out = args.next().map(PathBuf::from),
            "--defects" => defects = true,
            _ => pupils = None,
        }
    }
    let (Some(pupils), Some(per_file), Some(out)) = (pupils, per_file, out) else {
        eprintln!("usage: gen_gar --pupils N [--per-file N] [--defects] --out DIR");
        return ExitCode::from(2);
    };
    let options = Options {
        pupils,
        per_file,
        defects,
        out,
    };
    match gar_generate::write(&options) {
        Ok(written) => {
            println!(
                "{} records, {} bytes ({} bytes per record) in {} files",
                written.records,
                written.bytes,
                written.bytes / written.records.max(1),
                written.files.len()
            );
            for p in &written.planted {
                println!("planted {} {}:{}", p.code, p.file, p.line);
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("gen_gar: {e}");
            ExitCode::FAILURE
        }
    }
}
