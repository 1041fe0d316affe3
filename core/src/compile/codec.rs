//! The compiled-bytes codec: a [`ByteWriter`] seals values behind a header (magic and
//! format, tracesieve's version, checksum), a [`ByteReader`] checks the header and reads
//! them back, each read checked. What a compiled policy holds is `compile/bytes.rs`'s.

use alloc::boxed::Box;
use alloc::string::String;
use alloc::vec::Vec;

use crate::compile::hash::fnv1a;
use crate::policy::error::PolicyError;
use crate::policy::model::is_unit;

/// The first bytes of every compiled policy: `TSV` and the format's number, [`FORMAT`].
const MAGIC: &[u8; 4] = b"TSV\x02";
/// The number of the compiled format. Format 2 added the sampler's requirements, so that
/// loading does not collect them again.
const FORMAT: u8 = MAGIC[3];

/// Writes values into compiled-policy bytes; [`finish`](Self::finish) seals them.
#[derive(Default)]
pub struct ByteWriter {
    payload: Vec<u8>,
}

impl ByteWriter {
    /// An empty writer.
    pub fn new() -> Self {
        ByteWriter::default()
    }

    /// Writes a byte.
    pub fn u8(&mut self, v: u8) {
        self.payload.push(v);
    }

    /// Writes a boolean.
    pub fn bool(&mut self, v: bool) {
        self.u8(u8::from(v));
    }

    /// Writes an unsigned number (LEB128).
    pub fn usize(&mut self, mut v: usize) {
        while v >= 0x80 {
            self.u8(v as u8 | 0x80);
            v >>= 7;
        }
        self.u8(v as u8);
    }

    /// Writes a float.
    pub fn f64(&mut self, v: f64) {
        self.payload.extend_from_slice(&v.to_le_bytes());
    }

    /// Writes a string.
    pub fn str(&mut self, v: &str) {
        self.usize(v.len());
        self.payload.extend_from_slice(v.as_bytes());
    }

    pub(crate) fn list<T>(&mut self, items: &[T], put: impl Fn(&mut Self, &T)) {
        self.usize(items.len());
        items.iter().for_each(|item| put(self, item));
    }

    /// The sealed bytes: a header (magic, version, checksum), then what was written.
    pub fn finish(self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.payload.len() + 32);
        out.extend_from_slice(MAGIC);
        out.push(crate::VERSION.len() as u8);
        out.extend_from_slice(crate::VERSION.as_bytes());
        out.extend_from_slice(&checksum(&self.payload).to_le_bytes());
        out.extend_from_slice(&self.payload);
        out
    }
}

/// The former name of [`ByteReader`]: `tracesieve::compiled::Reader` keeps working.
pub use ByteReader as Reader;
/// The former name of [`ByteWriter`]: `tracesieve::compiled::Writer` keeps working.
pub use ByteWriter as Writer;

/// Reads the values of compiled-policy bytes, in the order they were written. Every read
/// checks what it reads and gives `None` for bytes that are not what it expects.
pub struct ByteReader<'b> {
    rest: &'b [u8],
    /// How deep the condition being read nests (`compile/bytes.rs` bounds it).
    pub(crate) depth: usize,
}

impl<'b> ByteReader<'b> {
    /// Opens sealed bytes from [`ByteWriter::finish`].
    ///
    /// # Errors
    /// Bytes that are not a compiled policy, were compiled by another version of
    /// tracesieve, or fail their checksum.
    pub fn open(bytes: &'b [u8]) -> Result<ByteReader<'b>, PolicyError> {
        let rest = match bytes.strip_prefix(b"TSV").and_then(<[u8]>::split_first) {
            Some((&FORMAT, rest)) => rest,
            Some((&format, _)) => return Err(other_format(format)),
            None => return Err(invalid("is not a compiled tracesieve policy")),
        };
        let (&len, rest) = rest.split_first().ok_or_else(corrupt)?;
        let (version, rest) = rest.split_at_checked(usize::from(len)).ok_or_else(corrupt)?;
        if version != crate::VERSION.as_bytes() {
            let mut message = String::from("was compiled by tracesieve ");
            message.push_str(core::str::from_utf8(version).unwrap_or("(unknown)"));
            message.push_str(", and this is ");
            message.push_str(crate::VERSION);
            message.push_str(": compile the policy again with this version");
            return Err(invalid(&message));
        }
        let (sum, payload) = rest.split_first_chunk::<8>().ok_or_else(corrupt)?;
        if u64::from_le_bytes(*sum) != checksum(payload) {
            return Err(corrupt());
        }
        Ok(ByteReader { rest: payload, depth: 0 })
    }

    /// Checks that every byte was read.
    ///
    /// # Errors
    /// Bytes left over, or a value that did not read (`ok` false).
    pub fn finish(self, ok: bool) -> Result<(), PolicyError> {
        if ok && self.rest.is_empty() { Ok(()) } else { Err(corrupt()) }
    }

    /// Reads a byte.
    pub fn u8(&mut self) -> Option<u8> {
        let (&v, rest) = self.rest.split_first()?;
        self.rest = rest;
        Some(v)
    }

    /// Reads a boolean.
    pub fn bool(&mut self) -> Option<bool> {
        match self.u8()? {
            0 => Some(false),
            1 => Some(true),
            _ => None,
        }
    }

    /// Reads an unsigned number.
    pub fn usize(&mut self) -> Option<usize> {
        let mut v = 0usize;
        for shift in (0..usize::BITS).step_by(7) {
            let b = self.u8()?;
            v |= usize::from(b & 0x7f).checked_shl(shift)?;
            if b < 0x80 {
                return Some(v);
            }
        }
        None
    }

    /// Reads a float.
    pub fn f64(&mut self) -> Option<f64> {
        let (v, rest) = self.rest.split_first_chunk::<8>()?;
        self.rest = rest;
        Some(f64::from_le_bytes(*v))
    }

    /// Reads a string.
    pub fn str(&mut self) -> Option<&'b str> {
        let len = self.usize()?;
        let (v, rest) = self.rest.split_at_checked(len)?;
        self.rest = rest;
        core::str::from_utf8(v).ok()
    }

    /// Reads a list: its length (at most one item per byte left), then each item.
    pub(crate) fn list<T>(&mut self, get: impl Fn(&mut Self) -> Option<T>) -> Option<Box<[T]>> {
        let len = self.usize().filter(|n| *n <= self.rest.len())?;
        (0..len).map(|_| get(self)).collect()
    }

    pub(crate) fn rate(&mut self) -> Option<f64> {
        self.f64().filter(|r| is_unit(*r))
    }
}

fn checksum(bytes: &[u8]) -> u64 {
    // Against damage, not against forgery (the bytes are code the user ships).
    fnv1a(bytes)
}

fn invalid(message: &str) -> PolicyError {
    PolicyError::document(message)
}

/// The error for bytes of another compiled format (older or newer).
fn other_format(format: u8) -> PolicyError {
    let mut message = String::from("is in compiled-policy format ");
    crate::text::num::write_f64(&mut message, f64::from(format));
    message.push_str(", and this tracesieve reads format ");
    crate::text::num::write_f64(&mut message, f64::from(FORMAT));
    message.push_str(": compile the policy again with this version");
    invalid(&message)
}

/// The error for bytes that do not read as a compiled policy.
pub(crate) fn corrupt() -> PolicyError {
    invalid("is damaged: its bytes do not read as a compiled tracesieve policy")
}
