//! ODS and XLSX files are zip archives of XML. Ten kilobytes of zip can inflate to gigabytes, and
//! the readers inflate what they need without a bound, so before either sees the file every
//! entry is inflated once here into nothing, counting: past the bound the file is refused. The
//! count is of bytes actually inflated, not of the sizes the archive claims.

use std::io::{Cursor, Read as _};
use std::path::Path;

use super::SheetError;
use crate::fr_en;
use crate::text::Text;

/// The most an archive may inflate to, all entries together: a grid's workbook inflates to well
/// under a megabyte.
pub const MAX_INFLATED_BYTES: u64 = 64 * 1024 * 1024;
/// The most entries an archive may hold (a workbook has a dozen).
pub const MAX_ENTRIES: usize = 10_000;

/// Refuses `bytes` unless it is a zip archive whose entries inflate to at most
/// [`MAX_INFLATED_BYTES`] in all.
pub fn check(path: &Path, bytes: &[u8]) -> Result<(), SheetError> {
    let malformed = |why: Text| SheetError::Malformed {
        path: path.to_path_buf(),
        why,
    };
    let too_large = |what: Text| SheetError::TooLarge {
        path: path.to_path_buf(),
        what,
    };
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| {
        malformed(fr_en!(
            "pas une archive zip (« {e} »)",
            "not a zip archive ({e})"
        ))
    })?;
    if zip.len() > MAX_ENTRIES {
        return Err(too_large(fr_en!(
            "{} entrées d'archive (au plus {MAX_ENTRIES})",
            "{} archive entries (max {MAX_ENTRIES})",
            zip.len()
        )));
    }
    let entry_error = |i: usize, e: &dyn std::fmt::Display| {
        malformed(fr_en!(
            "entrée d'archive {i} : « {e} »",
            "archive entry {i}: {e}"
        ))
    };
    let mut left = MAX_INFLATED_BYTES;
    for i in 0..zip.len() {
        let entry = zip.by_index(i).map_err(|e| entry_error(i, &e))?;
        let read = std::io::copy(&mut entry.take(left + 1), &mut std::io::sink())
            .map_err(|e| entry_error(i, &e))?;
        if read > left {
            return Err(too_large(fr_en!(
                "se décompresse en plus de {MAX_INFLATED_BYTES} octets",
                "inflates to more than {MAX_INFLATED_BYTES} bytes"
            )));
        }
        left -= read;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write as _;

    fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
        let mut out = Cursor::new(Vec::new());
        let mut zip = zip::ZipWriter::new(&mut out);
        for (name, data) in entries {
            zip.start_file(
                *name,
                zip::write::SimpleFileOptions::default()
                    .compression_method(zip::CompressionMethod::Deflated),
            )
            .unwrap();
            zip.write_all(data).unwrap();
        }
        zip.finish().unwrap();
        out.into_inner()
    }

    #[test]
    fn a_small_archive_passes_and_a_bomb_is_refused() {
        let ok = zip_of(&[("content.xml", b"<x/>")]);
        check(Path::new("a.ods"), &ok).unwrap();
        let zeros = vec![0u8; 1024 * 1024];
        let parts: Vec<(String, &[u8])> = (0..65).map(|i| (format!("p{i}"), &zeros[..])).collect();
        let refs: Vec<(&str, &[u8])> = parts.iter().map(|(n, d)| (n.as_str(), *d)).collect();
        let bomb = zip_of(&refs);
        assert!(bomb.len() < 1024 * 1024, "{} bytes", bomb.len());
        let err = check(Path::new("bomb.ods"), &bomb).unwrap_err();
        assert!(err.to_string().contains("inflates to more than"), "{err}");
        let err = check(Path::new("text.ods"), b"not a zip").unwrap_err();
        assert!(err.to_string().contains("not a zip archive"), "{err}");
    }
}
