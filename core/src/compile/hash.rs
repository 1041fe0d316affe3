//! The FNV-1a hash: the compiled bytes' checksum, and the table of keys seen when
//! [`Requirements::dedupe`](crate::Requirements) keeps the first of each key.

/// The FNV-1a hash of `bytes`.
pub(crate) fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3))
}
