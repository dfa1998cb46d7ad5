//! Writes a synthetic, consistent AAF export (one file per kind, about 1.6 kB per record) for the
//! benchmark in `bench/aaf.sh`:
//!
//! ```text
//! cargo run --release --example gen_aaf -- --people 100000 --out /tmp/aaf-100k
//! ```

use std::path::PathBuf;
use std::process::ExitCode;

use sdet_audit::feeds::generate::{self, Options};

fn main() -> ExitCode {
    let mut people = None;
    let mut out = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--people" => {
                people = args
                    .next()
                    .and_then(|n| n.replace('_', "").parse::<u64>().ok());
            }
            "--out" => out = args.next().map(PathBuf::from),
            _ => people = None,
        }
    }
    let (Some(people), Some(out)) = (people, out) else {
        let usage = "usage: gen_aaf --people N --out DIR";
        #[allow(clippy::disallowed_macros)] // a command-line tool's own output
        {
            eprintln!("{usage}");
        }
        return ExitCode::from(2);
    };
    match generate::write(&Options { people, out }) {
        Ok(written) => {
            #[allow(clippy::disallowed_macros)]
            {
                println!(
                    "{} records, {} bytes ({} bytes per record) in {} files",
                    written.records,
                    written.bytes,
                    written.bytes / written.records.max(1),
                    written.files.len()
                );
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            #[allow(clippy::disallowed_macros)]
            {
                eprintln!("gen_aaf: {e}");
            }
            ExitCode::FAILURE
        }
    }
}
