//! `demo --serve DIR`: the reference ENT left running as a standalone server, with what an audit
//! of it needs written into DIR — the same folder `demo` writes for itself, so that
//! `audit --target DIR/target.yaml` gives the same verdicts — plus `secrets.env`, since a target
//! takes its secrets only from the environment.
//!
//! The variables are named after the HTTPS port (`SDET_DEMO_<port>_…`) and so is the target, so
//! several reference ENTs served at once can be audited together.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use super::{Naming, secret_vars, write_folder};
use crate::demo::{self, DemoOptions, ListenerTraffic, ReferenceEnt};
use crate::error::Error;

/// The file of `export` lines holding the served ENT's secrets.
pub const SECRETS_FILE: &str = "secrets.env";

/// The file the listeners' counts are written to when the server stops.
pub const TRAFFIC_FILE: &str = "traffic.tsv";

/// A reference ENT being served, and the folder that describes it.
#[derive(Debug)]
pub struct Served {
    /// The running ENT.
    pub ent: ReferenceEnt,
    /// The folder given.
    pub dir: PathBuf,
    /// `DIR/target.yaml`.
    pub target: PathBuf,
    /// `DIR/secrets.env`.
    pub secrets: PathBuf,
}

/// Starts the reference ENT and writes `dir` (created if absent; it must hold no file, so that
/// nothing of the user's is overwritten).
pub async fn start(dir: &Path, options: &DemoOptions) -> Result<Served, Error> {
    prepare(dir)?;
    let ent = demo::start(options).await?;
    let port = ent.https_base.port().unwrap_or(0);
    let prefix = format!("SDET_DEMO_{port}");
    let name = format!("ENT de référence (sdet-audit demo --serve, port {port})");
    let naming = Naming {
        name: &name,
        env_prefix: &prefix,
    };
    // The secrets first: once target.yaml is there, everything its audit needs is.
    let secrets = dir.join(SECRETS_FILE);
    write_private(&secrets, &exports(&secret_vars(&ent, &prefix)))?;
    write_folder(&ent, dir, naming)?;
    Ok(Served {
        ent,
        dir: dir.to_path_buf(),
        target: dir.join("target.yaml"),
        secrets,
    })
}

/// Stops the ENT and writes what each listener served into `DIR/traffic.tsv`; returns it.
pub async fn stop(served: Served) -> Result<Vec<ListenerTraffic>, Error> {
    let traffic = served.ent.traffic();
    served.ent.stop().await;
    let path = served.dir.join(TRAFFIC_FILE);
    std::fs::write(&path, traffic_table(&traffic)).map_err(|source| Error::Io { path, source })?;
    Ok(traffic)
}

/// The listeners' counts as tab-separated lines under a header: listener, address, requests, the
/// most in flight at once, connections, the most open at once.
pub fn traffic_table(traffic: &[ListenerTraffic]) -> String {
    let mut table =
        String::from("listener\taddress\trequests\tmax_in_flight\tconnections\tmax_connections\n");
    for t in traffic {
        let _ = writeln!(
            table,
            "{}\t{}\t{}\t{}\t{}\t{}",
            t.listener, t.address, t.requests, t.max_in_flight, t.connections, t.max_connections
        );
    }
    table
}

fn prepare(dir: &Path) -> Result<(), Error> {
    let io = |source| Error::Io {
        path: dir.to_path_buf(),
        source,
    };
    std::fs::create_dir_all(dir).map_err(io)?;
    if std::fs::read_dir(dir).map_err(io)?.next().is_some() {
        return Err(Error::Usage(sdet_core::fr_en!(
            "{} n'est pas vide : `demo --serve` y écrit sa cible et n'écrase rien",
            "{} is not empty: `demo --serve` writes its target there and overwrites nothing",
            dir.display()
        )));
    }
    Ok(())
}

/// `export NAME='value'` lines, for `. DIR/secrets.env`. The values are random letters and
/// digits, but quoted all the same.
fn exports(vars: &[(String, String)]) -> String {
    let mut text = String::from(
        "# Secrets of the reference ENT served by `sdet-audit demo --serve`; valid while it runs.\n",
    );
    for (name, value) in vars {
        let _ = writeln!(text, "export {name}='{}'", value.replace('\'', r"'\''"));
    }
    text
}

/// Writes `text` to a new file only its owner may read (passwords, even test ones).
fn write_private(path: &Path, text: &str) -> Result<(), Error> {
    use std::io::Write as _;
    let io = |source| Error::Io {
        path: path.to_path_buf(),
        source,
    };
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.mode(0o600);
    }
    let mut file = options.open(path).map_err(io)?;
    file.write_all(text.as_bytes()).map_err(io)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exports_quote_every_value() {
        let vars = vec![
            ("A_USER".to_string(), "eleve".to_string()),
            ("A_PASSWORD".to_string(), "it's".to_string()),
        ];
        let text = exports(&vars);
        assert!(text.contains("export A_USER='eleve'\n"));
        assert!(text.contains(r"export A_PASSWORD='it'\''s'"));
    }
}
