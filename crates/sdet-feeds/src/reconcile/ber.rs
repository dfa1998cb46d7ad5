//! Just enough BER (ITU-T X.690) for the LDAP messages of a paged search (RFC 4511 §5.1): one-byte
//! tags, definite lengths, and nothing read that the bytes do not hold. The directory is the
//! audited ENT's, so every length is checked against what is there and against [`MAX_LENGTH`];
//! a malformed answer is an error, never a panic or an allocation the server chose.
//!
//! Reading borrows from the received bytes (an entry's DN and values are slices of the message),
//! which is what makes a million entries cheap: `ldap3` built a tree of owned tags per message.

/// The largest element accepted, whatever its header says: no entry of the attributes read comes
/// near it, and a server cannot make the client wait for, or keep, more.
pub(super) const MAX_LENGTH: usize = 16 * 1024 * 1024;

/// Universal tags used here.
pub(super) const BOOLEAN: u8 = 0x01;
pub(super) const INTEGER: u8 = 0x02;
pub(super) const OCTET_STRING: u8 = 0x04;
pub(super) const ENUMERATED: u8 = 0x0a;
pub(super) const SEQUENCE: u8 = 0x30;
pub(super) const SET: u8 = 0x31;

/// What is wrong with a BER element.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub(super) enum Malformed {
    /// The bytes end inside an element.
    #[error("truncated element")]
    Truncated,
    /// A tag number above 30 (several tag bytes): LDAP has none.
    #[error("multi-byte tag")]
    LongTag,
    /// The indefinite length form, which LDAP forbids (RFC 4511 §5.1).
    #[error("indefinite length")]
    Indefinite,
    /// A length above [`MAX_LENGTH`].
    #[error("element longer than {MAX_LENGTH} bytes")]
    TooLong,
    /// Another tag than the one the message's shape calls for.
    #[error("tag {found:#04x} where {wanted:#04x} was expected")]
    Unexpected {
        /// The tag read.
        found: u8,
        /// The tag the shape calls for.
        wanted: u8,
    },
    /// An integer that is empty or does not fit in 64 bits.
    #[error("bad integer")]
    Integer,
}

/// One element: its tag and its content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Tlv<'a> {
    pub tag: u8,
    pub content: &'a [u8],
}

/// The size of the element's header and of its content, if the header is all there: `Ok(None)`
/// means more bytes are needed to know.
pub(super) fn header(bytes: &[u8]) -> Result<Option<(usize, usize)>, Malformed> {
    let Some(&tag) = bytes.first() else {
        return Ok(None);
    };
    if tag & 0x1f == 0x1f {
        return Err(Malformed::LongTag);
    }
    let Some(&first) = bytes.get(1) else {
        return Ok(None);
    };
    if first < 0x80 {
        return Ok(Some((2, usize::from(first))));
    }
    let count = usize::from(first & 0x7f);
    match count {
        0 => return Err(Malformed::Indefinite),
        // Four length bytes already say up to 4 GiB, far above MAX_LENGTH.
        5.. => return Err(Malformed::TooLong),
        _ => {}
    }
    let Some(length_bytes) = bytes.get(2..2 + count) else {
        return Ok(None);
    };
    let length = length_bytes
        .iter()
        .fold(0usize, |n, &b| (n << 8) | usize::from(b));
    if length > MAX_LENGTH {
        return Err(Malformed::TooLong);
    }
    Ok(Some((2 + count, length)))
}

/// The elements of a content, one after the other.
#[derive(Debug, Clone, Copy)]
pub(super) struct Elements<'a> {
    rest: &'a [u8],
}

impl<'a> Elements<'a> {
    /// The elements held by `content`.
    pub(super) fn of(content: &'a [u8]) -> Elements<'a> {
        Elements { rest: content }
    }

    /// The next element, `None` at the end.
    pub(super) fn next(&mut self) -> Result<Option<Tlv<'a>>, Malformed> {
        if self.rest.is_empty() {
            return Ok(None);
        }
        let (head, length) = header(self.rest)?.ok_or(Malformed::Truncated)?;
        let content = self
            .rest
            .get(head..head + length)
            .ok_or(Malformed::Truncated)?;
        let tag = self.rest[0];
        self.rest = &self.rest[head + length..];
        Ok(Some(Tlv { tag, content }))
    }

    /// The next element, which must be there and carry `wanted`.
    pub(super) fn expect(&mut self, wanted: u8) -> Result<&'a [u8], Malformed> {
        match self.next()? {
            Some(t) if t.tag == wanted => Ok(t.content),
            Some(t) => Err(Malformed::Unexpected {
                found: t.tag,
                wanted,
            }),
            None => Err(Malformed::Truncated),
        }
    }

    /// The next element if it carries `tag`; otherwise nothing is consumed.
    pub(super) fn optional(&mut self, tag: u8) -> Result<Option<&'a [u8]>, Malformed> {
        if self.rest.first() != Some(&tag) {
            return Ok(None);
        }
        self.expect(tag).map(Some)
    }
}

/// A two's-complement INTEGER or ENUMERATED content.
pub(super) fn integer(content: &[u8]) -> Result<i64, Malformed> {
    if content.is_empty() || content.len() > 8 {
        return Err(Malformed::Integer);
    }
    let negative = content[0] & 0x80 != 0;
    let start: i64 = if negative { -1 } else { 0 };
    Ok(content.iter().fold(start, |n, &b| (n << 8) | i64::from(b)))
}

/// Writes one element: its tag, its definite length, its content.
pub(super) fn put(out: &mut Vec<u8>, tag: u8, content: &[u8]) {
    out.push(tag);
    let length = content.len();
    match u8::try_from(length) {
        Ok(short) if short < 0x80 => out.push(short),
        _ => {
            let bytes = (length as u64).to_be_bytes();
            let skip = bytes.iter().take_while(|&&b| b == 0).count();
            // The count of length bytes, at most 8: it fits the low bits.
            #[allow(clippy::cast_possible_truncation)]
            out.push(0x80 | (bytes.len() - skip) as u8);
            out.extend_from_slice(&bytes[skip..]);
        }
    }
    out.extend_from_slice(content);
}

/// Writes an element whose content `fill` writes.
pub(super) fn nest(out: &mut Vec<u8>, tag: u8, fill: impl FnOnce(&mut Vec<u8>)) {
    let mut content = Vec::new();
    fill(&mut content);
    put(out, tag, &content);
}

/// Writes an INTEGER or ENUMERATED: the shortest two's-complement form.
pub(super) fn put_integer(out: &mut Vec<u8>, tag: u8, value: i64) {
    let bytes = value.to_be_bytes();
    let mut skip = 0;
    while skip < 7 {
        let (b, next) = (bytes[skip], bytes[skip + 1]);
        let redundant = (b == 0 && next & 0x80 == 0) || (b == 0xff && next & 0x80 != 0);
        if !redundant {
            break;
        }
        skip += 1;
    }
    put(out, tag, &bytes[skip..]);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_round_trip_in_their_shortest_form() {
        for (value, bytes) in [
            (0i64, &[0x00][..]),
            (127, &[0x7f]),
            (128, &[0x00, 0x80]),
            (500, &[0x01, 0xf4]),
            (-1, &[0xff]),
            (-129, &[0xff, 0x7f]),
            (i64::from(i32::MAX), &[0x7f, 0xff, 0xff, 0xff]),
        ] {
            let mut out = Vec::new();
            put_integer(&mut out, INTEGER, value);
            assert_eq!(&out[2..], bytes, "{value}");
            assert_eq!(integer(bytes), Ok(value));
        }
        assert_eq!(integer(&[]), Err(Malformed::Integer));
        assert_eq!(integer(&[1; 9]), Err(Malformed::Integer));
    }

    #[test]
    fn long_lengths_are_written_and_read() {
        let content = vec![7u8; 300];
        let mut out = Vec::new();
        put(&mut out, OCTET_STRING, &content);
        assert_eq!(&out[..4], &[0x04, 0x82, 0x01, 0x2c]);
        assert_eq!(header(&out), Ok(Some((4, 300))));
        let mut elements = Elements::of(&out);
        assert_eq!(elements.expect(OCTET_STRING), Ok(&content[..]));
        assert_eq!(elements.next(), Ok(None));
    }

    #[test]
    fn a_header_says_when_it_needs_more_bytes() {
        assert_eq!(header(&[]), Ok(None));
        assert_eq!(header(&[0x30]), Ok(None));
        assert_eq!(header(&[0x30, 0x82, 0x01]), Ok(None));
        assert_eq!(header(&[0x30, 0x05]), Ok(Some((2, 5))));
    }

    #[test]
    fn hostile_headers_are_refused() {
        assert_eq!(header(&[0x1f, 0x01]), Err(Malformed::LongTag));
        assert_eq!(header(&[0x30, 0x80]), Err(Malformed::Indefinite));
        assert_eq!(
            header(&[0x30, 0x85, 1, 1, 1, 1, 1]),
            Err(Malformed::TooLong)
        );
        assert_eq!(
            header(&[0x30, 0x84, 0x7f, 0xff, 0xff, 0xff]),
            Err(Malformed::TooLong),
            "2 GiB announced"
        );
        // Content shorter than its header says.
        let mut elements = Elements::of(&[0x04, 0x05, b'a']);
        assert_eq!(elements.next(), Err(Malformed::Truncated));
        let mut elements = Elements::of(&[0x04, 0x01, b'a']);
        assert_eq!(
            elements.expect(SEQUENCE),
            Err(Malformed::Unexpected {
                found: OCTET_STRING,
                wanted: SEQUENCE
            })
        );
    }

    #[test]
    fn an_optional_element_is_read_only_when_present() {
        let mut out = Vec::new();
        put(&mut out, 0x87, b"x");
        put(&mut out, OCTET_STRING, b"y");
        let mut elements = Elements::of(&out);
        assert_eq!(elements.optional(0xa3), Ok(None));
        assert_eq!(elements.optional(0x87), Ok(Some(&b"x"[..])));
        assert_eq!(elements.expect(OCTET_STRING), Ok(&b"y"[..]));
    }
}
