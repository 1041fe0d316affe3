//! A [`Sampler`] as compiled-policy bytes and back: the header and checksum, and the
//! compiled rules that `compile/bytes.rs` writes and reads.

use alloc::vec::Vec;

use crate::compile::codec::{ByteReader, ByteWriter, corrupt};
use crate::compile::rules::Parts;
use crate::decide::sampler::Sampler;
use crate::policy::error::PolicyError;

impl Sampler {
    /// This sampler as compiled-policy bytes, for [`from_compiled`](Self::from_compiled)
    /// in the same version of tracesieve.
    pub fn to_compiled(&self) -> Vec<u8> {
        let mut w = ByteWriter::new();
        self.encode(&mut w);
        w.finish()
    }

    /// Loads a sampler from [`to_compiled`](Self::to_compiled) bytes. It decides as the
    /// sampler they were written from; its [`policy`](Self::policy) is `None`.
    ///
    /// # Errors
    /// A [`PolicyError`] (path `policy`) for bytes that are not a compiled policy of this
    /// version.
    pub fn from_compiled(bytes: &[u8]) -> Result<Sampler, PolicyError> {
        let mut r = ByteReader::open(bytes)?;
        let sampler = Sampler::decode(&mut r);
        r.finish(sampler.is_some())?;
        sampler.ok_or_else(corrupt)
    }

    /// Writes the sampler (without a header) into `w`.
    pub fn encode(&self, w: &mut ByteWriter) {
        self.parts.encode(w);
    }

    /// Reads a sampler written by [`encode`](Self::encode); `None` if the bytes are not one.
    pub fn decode(r: &mut ByteReader<'_>) -> Option<Sampler> {
        Parts::decode(r).map(|parts| Sampler::assemble(parts, None))
    }
}
