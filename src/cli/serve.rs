//! `demo --serve DIR`: serves the reference ENT until SIGINT or SIGTERM, for audits run apart
//! (by hand, by a benchmark, several targets at once). One line on standard output, in the
//! command line's language, says where it is and how to audit it; the listeners' counts (a
//! table for machines, its column names in English) go to `DIR/traffic.tsv` and standard error
//! at the end.

use std::collections::BTreeSet;
use std::io::Write as _;
use std::path::Path;
use std::time::Duration;

use super::runtime::block_on;
use crate::audit::demo::serve;
use crate::demo::{Defect, DemoOptions};
use crate::error::Error;
use crate::text::{Lang, Text};

/// Serves until a signal; exit 0 when stopped by one.
pub fn run(
    dir: &Path,
    defects: BTreeSet<Defect>,
    latency: Duration,
    quiet: bool,
    lang: Lang,
) -> Result<u8, Error> {
    let options = DemoOptions { defects, latency };
    block_on(async {
        let served = serve::start(dir, &options).await?;
        // Scripts wait for this line and read the portal's URL from it: its `https://` comes
        // first in both languages.
        let (base, ms) = (&served.ent.https_base, latency.as_millis());
        let (secrets, target) = (served.secrets.display(), served.target.display());
        let line = Text::new(
            format!(
                "{base} : ENT de référence servi (latence {ms} ms) ; auditez-le avec : \
                 . {secrets} && sdet-audit audit --target {target}\n"
            ),
            format!(
                "{base}: reference ENT served (latency {ms} ms); audit it with: \
                 . {secrets} && sdet-audit audit --target {target}\n"
            ),
        );
        let line = line.get(lang);
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
