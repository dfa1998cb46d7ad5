//! Temporary bucket files (a grace hash join): both sides write what they read about each person
//! to the bucket of that person's key, then the comparison loads one bucket of each side at a
//! time; there are as many buckets as the export's size asks ([`buckets_for`]). What stays in
//! memory is one bucket, not the académie, so memory is flat from a hundred thousand people to a
//! million and more; the files live in the system's temporary folder and go when the
//! reconciliation ends. A small export's buckets never leave memory (see [`MEMORY_BYTES`]).

use std::fs::File;
use std::hash::{Hash, Hasher};
use std::io::{self, BufWriter, Read, Seek, Write};

use super::model::{Key, Profile};

/// The fewest buckets per side (a small export: buckets of a few hundred people).
pub const MIN_BUCKETS: usize = 64;

/// The most buckets per side, whatever the file limit allows.
const MAX_BUCKETS: usize = 1024;

/// Export bytes per bucket: about 1 500 people of the synthetic export (1.65 kB each). What is
/// loaded at once is one bucket of each side, so a fixed number of buckets made the bucket, and
/// memory, grow with the académie (64 buckets: ten times the people per bucket at a million
/// than at 100 000); buckets of a fixed size keep that part flat.
const BUCKET_BYTES: u64 = 5 << 19;

/// Write buffer of one side, shared by its buckets: it stays the same however many there are.
const BUFFER_BYTES: usize = 1 << 20;

/// Buckets per side for an export of `bytes` bytes: enough for each to hold [`BUCKET_BYTES`],
/// within what the process may open (the directory side keeps two sets of buckets open while
/// the export side keeps one, all at once).
pub fn buckets_for(bytes: u64) -> usize {
    let wanted = usize::try_from(bytes.div_ceil(BUCKET_BYTES)).unwrap_or(usize::MAX);
    let allowed = (open_files_allowed().saturating_sub(128) / 3).clamp(MIN_BUCKETS, MAX_BUCKETS);
    wanted.clamp(MIN_BUCKETS, allowed)
}

/// The soft limit on open files (`/proc/self/limits` on Linux; elsewhere the common 1024).
fn open_files_allowed() -> usize {
    std::fs::read_to_string("/proc/self/limits")
        .ok()
        .and_then(|limits| {
            limits
                .lines()
                .find(|l| l.starts_with("Max open files"))
                .and_then(|l| l.split_whitespace().nth(3))
                .and_then(|soft| soft.parse().ok())
        })
        .unwrap_or(1024)
}

/// Bytes a set of buckets keeps in memory before it moves to files. A class's directory or a small
/// export fits, and skips creating a hundred-odd temporary files (which cost more than the whole
/// comparison there: an audit of the reference ENT spent most of its CPU time in the kernel
/// creating them); at académie scale the buckets move to files after the first few megabytes,
/// so memory stays flat.
const MEMORY_BYTES: usize = 4 << 20;

/// A set of buckets, written in turn then read back one by one: in memory while small, then
/// files.
pub struct Spill {
    buckets: Buckets,
}

enum Buckets {
    /// Every bucket in memory, `bytes` in all.
    Memory { buckets: Vec<Vec<u8>>, bytes: usize },
    /// Every bucket in an anonymous temporary file: nothing is left behind, even on a crash.
    Files(Vec<BufWriter<File>>),
}

impl std::fmt::Debug for Spill {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (kind, n) = match &self.buckets {
            Buckets::Memory { buckets, .. } => ("memory", buckets.len()),
            Buckets::Files(files) => ("files", files.len()),
        };
        f.debug_struct("Spill")
            .field("buckets", &n)
            .field("in", &kind)
            .finish()
    }
}

impl Spill {
    /// `n` empty buckets, in memory until they hold [`MEMORY_BYTES`].
    pub fn new(n: usize) -> io::Result<Spill> {
        Ok(Spill {
            buckets: Buckets::Memory {
                buckets: vec![Vec::new(); n.max(1)],
                bytes: 0,
            },
        })
    }

    /// How many buckets.
    pub fn len(&self) -> usize {
        match &self.buckets {
            Buckets::Memory { buckets, .. } => buckets.len(),
            Buckets::Files(files) => files.len(),
        }
    }

    /// Whether there are none (never: there is at least one).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Whether the buckets have moved to files.
    pub fn on_disk(&self) -> bool {
        matches!(self.buckets, Buckets::Files(_))
    }

    /// The bucket of `hash`.
    pub fn bucket_of(&self, hash: u64) -> usize {
        usize::try_from(hash % self.len() as u64).unwrap_or(0)
    }

    /// Appends an encoded record to bucket `i`.
    pub fn write(&mut self, i: usize, record: &[u8]) -> io::Result<()> {
        match &mut self.buckets {
            Buckets::Memory { buckets, bytes } => {
                buckets[i].extend_from_slice(record);
                *bytes += record.len();
                if *bytes > MEMORY_BYTES {
                    self.move_to_files()?;
                }
                Ok(())
            }
            Buckets::Files(files) => files[i].write_all(record),
        }
    }

    /// Writes every bucket held in memory to a file of its own, and goes on in files.
    fn move_to_files(&mut self) -> io::Result<()> {
        let Buckets::Memory { buckets, .. } = &mut self.buckets else {
            return Ok(());
        };
        let capacity = (BUFFER_BYTES / buckets.len()).max(1 << 10);
        let files = buckets
            .iter_mut()
            .map(|bucket| {
                let mut file = BufWriter::with_capacity(capacity, tempfile::tempfile()?);
                file.write_all(&std::mem::take(bucket))?;
                Ok(file)
            })
            .collect::<io::Result<_>>()?;
        self.buckets = Buckets::Files(files);
        Ok(())
    }

    /// The whole content of bucket `i`, which is emptied.
    pub fn take(&mut self, i: usize) -> io::Result<Vec<u8>> {
        let writer = match &mut self.buckets {
            Buckets::Memory { buckets, bytes } => {
                let bucket = std::mem::take(&mut buckets[i]);
                *bytes -= bucket.len();
                return Ok(bucket);
            }
            Buckets::Files(files) => &mut files[i],
        };
        writer.flush()?;
        let file = writer.get_mut();
        let len = file.stream_position()?;
        file.rewind()?;
        let mut bytes = Vec::with_capacity(usize::try_from(len).unwrap_or(0));
        file.read_to_end(&mut bytes)?;
        file.set_len(0)?;
        file.rewind()?;
        Ok(bytes)
    }
}

/// A stable hash (the same in every run, so bucket contents and runs are reproducible).
pub fn hash<T: Hash + ?Sized>(value: &T) -> u64 {
    #[allow(deprecated)] // SipHash with fixed keys: stable, and well spread
    let mut h = std::hash::SipHasher::new();
    value.hash(&mut h);
    h.finish()
}

/// The hash of a key.
pub fn key_hash(key: &Key) -> u64 {
    hash(key)
}

/// Writes the compact binary form records are spilled in.
#[derive(Default)]
pub struct Encoder {
    /// The bytes so far.
    pub bytes: Vec<u8>,
}

impl Encoder {
    /// Starts a record with its tag.
    pub fn start(&mut self, tag: u8) -> &mut Self {
        self.bytes.clear();
        self.bytes.push(tag);
        self
    }
    /// A byte.
    pub fn u8(&mut self, v: u8) -> &mut Self {
        self.bytes.push(v);
        self
    }
    /// An integer.
    pub fn u64(&mut self, v: u64) -> &mut Self {
        self.bytes.extend_from_slice(&v.to_le_bytes());
        self
    }
    /// A length or index.
    pub fn u32(&mut self, v: u32) -> &mut Self {
        self.bytes.extend_from_slice(&v.to_le_bytes());
        self
    }
    /// A string.
    pub fn str(&mut self, s: &str) -> &mut Self {
        self.u32(u32::try_from(s.len()).unwrap_or(u32::MAX));
        self.bytes.extend_from_slice(s.as_bytes());
        self
    }
    /// A key.
    pub fn key(&mut self, key: &Key) -> &mut Self {
        match key {
            Key::Number(n) => self.u8(0).u64(*n),
            Key::Text(t) => self.u8(1).str(t),
        }
    }
    /// A list of indices.
    pub fn u32s(&mut self, items: &[u32]) -> &mut Self {
        self.u32(u32::try_from(items.len()).unwrap_or(u32::MAX));
        for i in items {
            self.u32(*i);
        }
        self
    }
    /// A list of keys.
    pub fn keys(&mut self, items: &[Key]) -> &mut Self {
        self.u32(u32::try_from(items.len()).unwrap_or(u32::MAX));
        for k in items {
            self.key(k);
        }
        self
    }
    /// A profile.
    pub fn profile(&mut self, p: Profile) -> &mut Self {
        self.u8(p as u8)
    }
}

/// Reads back what an [`Encoder`] wrote. The bytes come from our own files, so a short read is a
/// bug or a disk gone bad: it ends the bucket (`None`) rather than panicking.
pub struct Decoder<'a> {
    bytes: &'a [u8],
}

impl<'a> Decoder<'a> {
    /// Over a bucket's bytes.
    pub fn new(bytes: &'a [u8]) -> Self {
        Decoder { bytes }
    }
    /// Whether everything was read.
    pub fn done(&self) -> bool {
        self.bytes.is_empty()
    }
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        if self.bytes.len() < n {
            return None;
        }
        let (head, tail) = self.bytes.split_at(n);
        self.bytes = tail;
        Some(head)
    }
    /// A byte.
    pub fn u8(&mut self) -> Option<u8> {
        self.take(1).map(|b| b[0])
    }
    /// An integer.
    pub fn u64(&mut self) -> Option<u64> {
        self.take(8)
            .and_then(|b| b.try_into().ok())
            .map(u64::from_le_bytes)
    }
    /// A length or index.
    pub fn u32(&mut self) -> Option<u32> {
        self.take(4)
            .and_then(|b| b.try_into().ok())
            .map(u32::from_le_bytes)
    }
    /// A string.
    pub fn str(&mut self) -> Option<&'a str> {
        let n = usize::try_from(self.u32()?).ok()?;
        std::str::from_utf8(self.take(n)?).ok()
    }
    /// A key.
    pub fn key(&mut self) -> Option<Key> {
        match self.u8()? {
            0 => self.u64().map(Key::Number),
            _ => self.str().map(|t| Key::Text(t.into())),
        }
    }
    /// A list of indices.
    pub fn u32s(&mut self) -> Option<Vec<u32>> {
        let n = self.u32()?;
        (0..n).map(|_| self.u32()).collect()
    }
    /// A list of keys.
    pub fn keys(&mut self) -> Option<Vec<Key>> {
        let n = self.u32()?;
        (0..n).map(|_| self.key()).collect()
    }
    /// A profile.
    pub fn profile(&mut self) -> Option<Profile> {
        Some(match self.u8()? {
            0 => Profile::Eleve,
            1 => Profile::Parent,
            2 => Profile::Enseignant,
            3 => Profile::Personnel,
            _ => Profile::Inconnu,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buckets_grow_with_the_export_within_bounds() {
        let allowed =
            (open_files_allowed().saturating_sub(128) / 3).clamp(MIN_BUCKETS, MAX_BUCKETS);
        assert_eq!(buckets_for(0), MIN_BUCKETS);
        assert_eq!(buckets_for(165_000_000), MIN_BUCKETS, "100 000 people");
        assert_eq!(
            buckets_for(1_650_000_000),
            630.min(allowed),
            "a million people"
        );
        assert_eq!(buckets_for(u64::MAX), allowed);
        assert!(allowed <= MAX_BUCKETS);
    }

    #[test]
    fn buckets_move_to_files_past_the_memory_budget_and_lose_nothing() {
        let mut spill = Spill::new(3).expect("spill");
        let record = vec![7u8; 64 << 10];
        let mut written = [0usize; 3];
        let mut i = 0;
        while !spill.on_disk() {
            spill.write(i % 3, &record).expect("write");
            written[i % 3] += record.len();
            i += 1;
        }
        assert!(written.iter().sum::<usize>() > MEMORY_BYTES);
        spill.write(1, b"after").expect("write to a file");
        written[1] += 5;
        for (bucket, bytes) in written.iter().enumerate() {
            let back = spill.take(bucket).expect("take");
            assert_eq!(back.len(), *bytes, "bucket {bucket}");
        }
        assert!(
            spill.take(1).expect("take").is_empty(),
            "taken buckets are empty"
        );
    }

    #[test]
    fn records_come_back_from_their_bucket() {
        let mut spill = Spill::new(4).expect("spill");
        let mut e = Encoder::default();
        e.start(b'P')
            .key(&Key::of("42"))
            .profile(Profile::Parent)
            .u32s(&[1, 2])
            .keys(&[Key::of("x1")])
            .str("uid=a");
        spill.write(3, &e.bytes).expect("write");
        spill.write(3, &e.bytes).expect("write");
        assert!(spill.take(0).expect("take").is_empty());
        let bytes = spill.take(3).expect("take");
        let mut d = Decoder::new(&bytes);
        for _ in 0..2 {
            assert_eq!(d.u8(), Some(b'P'));
            assert_eq!(d.key(), Some(Key::of("42")));
            assert_eq!(d.profile(), Some(Profile::Parent));
            assert_eq!(d.u32s(), Some(vec![1, 2]));
            assert_eq!(d.keys(), Some(vec![Key::of("x1")]));
            assert_eq!(d.str(), Some("uid=a"));
        }
        assert!(d.done());
        assert_eq!(d.u64(), None);
        assert!(spill.take(3).expect("again").is_empty());
    }
}
