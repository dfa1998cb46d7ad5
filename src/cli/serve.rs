//! `demo --serve DIR`: serves the reference ENT until SIGINT or SIGTERM, for audits run apart
//! (by hand, by a benchmark, several targets at once). One line on standard output says where it
//! is and how to audit it; the listeners' counts go to `DIR/traffic.tsv` and standard error at
//! the end.

use std::collections::BTreeSet;
use std::io::Write as _;
use std::path::Path;
use std::time::Duration;

use super::runtime::block_on;
use crate::audit::demo::serve;
use crate::demo::{Defect, DemoOptions};
use crate::error::Error;

/// Serves until a signal; exit 0 when stopped by one.
pub fn run(
    dir: &Path,
    defects: BTreeSet<Defect>,
    latency: Duration,
    quiet: bool,
) -> Result<u8, Error> {
    let options = DemoOptions { defects, latency };
    block_on(async {
        let served = serve::start(dir, &options).await?;
        let line = format!(
            "sdet-audit demo: reference ENT serving {} (latency {} ms); audit it with: . {} && sdet-audit audit --target {}\n",
            served.ent.https_base,
            latency.as_millis(),
            served.secrets.display(),
            served.target.display(),
        );
        let mut stdout = std::io::stdout().lock();
        // A script waits for this line: it must not sit in a buffer.
        stdout
            .write_all(line.as_bytes())
            .and_then(|()| stdout.flush())
            .map_err(|source| Error::Io {
                path: "<stdout>".into(),
                source,
            })?;
        drop(stdout);
        let waited = stopped().await;
        let traffic = serve::stop(served).await?;
        if !quiet {
            let table = serve::traffic_table(&traffic);
            let _ = std::io::stderr().lock().write_all(table.as_bytes());
        }
        waited.map_err(|source| Error::Io {
            path: "<signals>".into(),
            source,
        })?;
        Ok(crate::exit::CONFORME)
    })?
}

/// Returns on SIGINT (Ctrl-C) or SIGTERM.
async fn stopped() -> std::io::Result<()> {
    #[cfg(unix)]
    {
        let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())?;
        tokio::select! {
            r = tokio::signal::ctrl_c() => r,
            _ = term.recv() => Ok(()),
        }
    }
    #[cfg(not(unix))]
    {
        tokio::signal::ctrl_c().await
    }
}
