//! Opening the files the tool is handed: the target, declarations, waivers, a CA file, SAML
//! metadata, reports and bundles. Any of them may come from the audited vendor, and a path may
//! name something that is not a file at all, so every one is opened here:
//!
//! - only a regular file is read: a FIFO would block for ever, `/dev/zero` would fill memory, a
//!   folder or a socket means a wrong path; each is refused naming the path and what it is;
//! - the file is opened without blocking and checked on the open handle, so nothing can swap a
//!   FIFO in between the check and the read;
//! - at most `limit` bytes are read, whatever the file system says the size is (`/proc` files,
//!   devices and growing files report sizes that mean nothing), and the error names the limit.

use std::fs::File;
use std::io::Read as _;
use std::os::unix::fs::{FileTypeExt as _, OpenOptionsExt as _};
use std::path::{Path, PathBuf};

use crate::fr_en;
use crate::text::{Text, io_reason};

/// The most read from a configuration or report file (target, declarations, waivers, CA, SAML
/// metadata, a report): far above any real one, far below what could hurt the machine.
pub const MAX_CONFIG_BYTES: u64 = 16 * 1024 * 1024;

/// Why a file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum InputError {
    /// The path names something other than a regular file.
    #[error("{}", self.wording().en)]
    NotAFile {
        /// The path given.
        path: PathBuf,
        /// What it is instead, in French and English ("a FIFO (named pipe)", "a device", …).
        what: (&'static str, &'static str),
    },
    /// The file is larger than the tool reads from such a file.
    #[error("{}", self.wording().en)]
    TooLarge {
        /// The file.
        path: PathBuf,
        /// The limit, in bytes.
        limit: u64,
    },
    /// The file is not UTF-8 text.
    #[error("{}", self.wording().en)]
    NotText {
        /// The file.
        path: PathBuf,
    },
    /// The operating system refused (missing file, permissions, a symlink loop…).
    #[error("{}", self.wording().en)]
    Io {
        /// The file.
        path: PathBuf,
        /// What the system said.
        #[source]
        source: std::io::Error,
    },
}

impl InputError {
    /// Its wording in both languages. `Display` is the English one whatever the language errors
    /// are shown in: this error's text also goes into reports (a feed file that cannot be
    /// opened is a finding), whose wording must not change with the command line's language.
    /// Where it is the error shown, the caller picks from this.
    pub fn wording(&self) -> Text {
        match self {
            InputError::NotAFile { path, what } => Text::new(
                format!("{} : {}, pas un fichier ordinaire", path.display(), what.0),
                format!("{}: {}, not a regular file", path.display(), what.1),
            ),
            InputError::TooLarge { path, limit } => fr_en!(
                "{} : plus de {limit} octets, le plus qui soit lu d'un tel fichier",
                "{}: larger than {limit} bytes, the most read from such a file",
                path.display()
            ),
            InputError::NotText { path } => fr_en!(
                "{} : pas du texte UTF-8",
                "{}: not UTF-8 text",
                path.display()
            ),
            InputError::Io { path, source } => io_reason(source).about(path.display()),
        }
    }
}

/// Opens `path` for reading if, and only if, it is a regular file.
pub fn open(path: &Path) -> Result<File, InputError> {
    let io = |source| InputError::Io {
        path: path.to_path_buf(),
        source,
    };
    // Non-blocking, so opening a FIFO with no writer returns at once; the handle is then checked.
    let file = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)
        .map_err(io)?;
    let kind = file.metadata().map_err(io)?.file_type();
    let what = if kind.is_file() {
        return Ok(file);
    } else if kind.is_dir() {
        ("un dossier", "a folder")
    } else if kind.is_fifo() {
        ("une FIFO (tube nommé)", "a FIFO (named pipe)")
    } else if kind.is_char_device() || kind.is_block_device() {
        ("un périphérique", "a device")
    } else if kind.is_socket() {
        ("une socket", "a socket")
    } else {
        ("autre chose", "something else")
    };
    Err(InputError::NotAFile {
        path: path.to_path_buf(),
        what,
    })
}

/// [`open`] for code that speaks `std::io`: the refusal becomes an I/O error with the same words.
pub fn open_io(path: &Path) -> std::io::Result<File> {
    open(path).map_err(|e| match e {
        InputError::Io { source, .. } => source,
        other => std::io::Error::other(other.to_string()),
    })
}

/// Reads at most `limit` bytes of the regular file `path`; more is an error.
pub fn read(path: &Path, limit: u64) -> Result<Vec<u8>, InputError> {
    let mut bytes = Vec::new();
    open(path)?
        .take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|source| InputError::Io {
            path: path.to_path_buf(),
            source,
        })?;
    if bytes.len() as u64 > limit {
        return Err(InputError::TooLarge {
            path: path.to_path_buf(),
            limit,
        });
    }
    Ok(bytes)
}

/// Reads the UTF-8 text of the regular file `path`, at most `limit` bytes.
pub fn read_text(path: &Path, limit: u64) -> Result<String, InputError> {
    String::from_utf8(read(path, limit)?).map_err(|_| InputError::NotText {
        path: path.to_path_buf(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_regular_file_within_its_limit() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.yaml");
        std::fs::write(&path, "name: x\n").unwrap();
        assert_eq!(read_text(&path, 8).unwrap(), "name: x\n");
        let err = read_text(&path, 7).unwrap_err();
        assert!(err.to_string().contains("larger than 7 bytes"), "{err}");
    }

    #[test]
    fn refuses_devices_folders_fifos_and_symlink_loops_naming_them() {
        let dir = tempfile::tempdir().unwrap();
        let err = read(Path::new("/dev/zero"), 1024).unwrap_err();
        assert!(err.to_string().contains("/dev/zero: a device"), "{err}");
        let err = read(dir.path(), 1024).unwrap_err();
        assert!(err.to_string().contains("a folder"), "{err}");
        let fifo = dir.path().join("pipe");
        assert!(
            std::process::Command::new("mkfifo")
                .arg(&fifo)
                .status()
                .unwrap()
                .success()
        );
        let err = read(&fifo, 1024).unwrap_err();
        assert!(err.to_string().contains("a FIFO"), "{err}");
        let a = dir.path().join("a");
        let b = dir.path().join("b");
        std::os::unix::fs::symlink(&a, &b).unwrap();
        std::os::unix::fs::symlink(&b, &a).unwrap();
        let err = read(&a, 1024).unwrap_err();
        assert!(err.to_string().contains(&a.display().to_string()), "{err}");
    }
}
