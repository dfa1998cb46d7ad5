//! Where the data files come from: the copies embedded in the binary at build time (so a fresh
//! install audits with no checkout), or a folder on disk given by the user (to lint a grid being
//! written, or to audit with a newer grid than the binary ships).

use std::path::{Path, PathBuf};

use include_dir::{Dir, include_dir};

use crate::diagnostic::{Code, Diagnostic, SourceFile};
use crate::text::Text;

static GRIDS: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/../../grids");
static PROBES: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/../../probes");

/// A tree of data files, embedded or on disk.
#[derive(Debug, Clone)]
pub enum Store {
    /// Files compiled into the binary; `label` prefixes their names in diagnostics.
    Embedded {
        /// The embedded tree.
        dir: &'static Dir<'static>,
        /// How to name it to the user, e.g. `grids`.
        label: &'static str,
    },
    /// A folder on disk.
    Disk(PathBuf),
}

impl Store {
    /// The grids: `custom` when given, else the embedded copy.
    pub fn grids(custom: Option<&Path>) -> Store {
        custom.map_or(
            Store::Embedded {
                dir: &GRIDS,
                label: "grids",
            },
            |p| Store::Disk(p.into()),
        )
    }

    /// The probe catalogue: `custom` when given, else the embedded copy.
    pub fn probes(custom: Option<&Path>) -> Store {
        custom.map_or(
            Store::Embedded {
                dir: &PROBES,
                label: "probes",
            },
            |p| Store::Disk(p.into()),
        )
    }

    /// Names of the sub-folders, sorted.
    pub fn subdirs(&self) -> Vec<String> {
        let mut names: Vec<String> = match self {
            Store::Embedded { dir, .. } => dir
                .dirs()
                .filter_map(|d| d.path().file_name()?.to_str().map(String::from))
                .collect(),
            Store::Disk(root) => std::fs::read_dir(root)
                .into_iter()
                .flatten()
                .flatten()
                .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
                .filter_map(|e| e.file_name().to_str().map(String::from))
                .collect(),
        };
        names.sort();
        names
    }

    /// Names of the `.yaml` files directly in `sub` (or the root when empty), sorted.
    pub fn yaml_files(&self, sub: &str) -> Vec<String> {
        let mut names: Vec<String> = match self {
            Store::Embedded { dir, .. } => {
                let files: Box<dyn Iterator<Item = &include_dir::File>> = if sub.is_empty() {
                    Box::new(dir.files())
                } else {
                    Box::new(
                        dir.get_dir(sub)
                            .into_iter()
                            .flat_map(include_dir::Dir::files),
                    )
                };
                files
                    .filter_map(|f| f.path().file_name()?.to_str().map(String::from))
                    .collect()
            }
            Store::Disk(root) => std::fs::read_dir(root.join(sub))
                .into_iter()
                .flatten()
                .flatten()
                .filter_map(|e| e.file_name().to_str().map(String::from))
                .collect(),
        };
        names.retain(|n| {
            Path::new(n)
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("yaml"))
        });
        names.sort();
        names
    }

    /// Whether `rel` exists.
    pub fn exists(&self, rel: &str) -> bool {
        match self {
            Store::Embedded { dir, .. } => dir.get_file(rel).is_some(),
            Store::Disk(root) => root.join(rel).is_file(),
        }
    }

    /// Reads `rel` as UTF-8 text; a missing or unreadable file is a diagnostic.
    pub fn read(&self, rel: &str) -> Result<SourceFile, Diagnostic> {
        let name = self.display_name(rel);
        let text = match self {
            Store::Embedded { dir, .. } => dir
                .get_file(rel)
                .and_then(|f| f.contents_utf8())
                .map(String::from)
                .ok_or_else(|| {
                    Text::new(
                        "absent des données intégrées",
                        "not found in the embedded data",
                    )
                }),
            Store::Disk(root) => {
                crate::input::read_text(&root.join(rel), crate::input::MAX_CONFIG_BYTES)
                    .map_err(|e| e.wording())
            }
        };
        text.map(|t| SourceFile::new(name.clone(), t))
            .map_err(|why| {
                Diagnostic::worded(
                    Code::Io,
                    Text::new(
                        format!("impossible de lire {name} : {}", why.fr),
                        format!("cannot read {name}: {}", why.en),
                    ),
                )
            })
    }

    fn display_name(&self, rel: &str) -> String {
        match self {
            Store::Embedded { label, .. } => format!("{label}/{rel}"),
            Store::Disk(root) => root.join(rel).display().to_string(),
        }
    }
}

/// A grids or probes folder that cannot be listed.
#[derive(Debug, thiserror::Error)]
#[error("{}: {source}", path.display())]
pub struct FolderError {
    /// The folder.
    pub path: std::path::PathBuf,
    /// Why it cannot be listed.
    #[source]
    pub source: std::io::Error,
}

/// Fails with the system's reason when a folder given for grids or probes cannot be listed
/// (missing, a symlink loop, no permission), instead of reading it as a folder with no grid.
pub fn check_folders(folders: &[Option<&Path>]) -> Result<(), FolderError> {
    for folder in folders.iter().flatten() {
        std::fs::read_dir(folder).map_err(|source| FolderError {
            path: folder.to_path_buf(),
            source,
        })?;
    }
    Ok(())
}
