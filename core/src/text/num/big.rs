//! The natural numbers [`exact`](super::exact) divides: fixed arrays of limbs on the stack,
//! so that reading a number never allocates.

/// Limbs of a [`Big`]: the numbers [`exact`](super::exact) divides have at most 2,674 bits
/// (801 digits, or `5^1124` shifted 64 bits left).
const LIMBS: usize = 90;

/// A natural number below 2^(32·[`LIMBS`]) on the stack: little-endian 32-bit limbs, `len`
/// of them in use, the top one nonzero, and every limb past them zero.
pub(super) struct Big {
    /// The limbs in use.
    len: usize,
    /// The limbs, least significant first.
    limbs: [u32; LIMBS],
}

impl Big {
    /// The number `n`.
    pub(super) fn new(n: u32) -> Big {
        let mut big = Big { len: 0, limbs: [0; LIMBS] };
        big.mul_add(1, n);
        big
    }

    /// Whether this is zero.
    pub(super) fn is_zero(&self) -> bool {
        self.len == 0
    }

    /// The number of bits, without leading zeros.
    pub(super) fn bits(&self) -> usize {
        match self.len {
            0 => 0,
            len => 32 * len - self.limbs[len - 1].leading_zeros() as usize,
        }
    }

    /// `self = self × m + add`, for `m` > 0.
    pub(super) fn mul_add(&mut self, m: u32, add: u32) {
        let mut carry = u64::from(add);
        for limb in &mut self.limbs[..self.len] {
            carry += u64::from(*limb) * u64::from(m);
            *limb = carry as u32;
            carry >>= 32;
        }
        if carry > 0 {
            self.limbs[self.len] = carry as u32;
            self.len += 1;
        }
    }

    /// `self = self × 5^e`.
    pub(super) fn mul_pow5(&mut self, mut e: u64) {
        while e > 0 {
            let step = e.min(13); // 5^13 < 2^32
            self.mul_add(5u32.pow(step as u32), 0);
            e -= step;
        }
    }

    /// `self = self << n`.
    pub(super) fn shl(&mut self, n: usize) {
        if self.is_zero() {
            return;
        }
        let (limbs, bits) = (n / 32, n % 32);
        self.limbs.copy_within(..self.len, limbs);
        self.limbs[..limbs].fill(0);
        self.len += limbs;
        if bits > 0 {
            let mut carry = 0;
            for limb in &mut self.limbs[limbs..self.len] {
                let next = *limb >> (32 - bits);
                *limb = (*limb << bits) | carry;
                carry = next;
            }
            if carry > 0 {
                self.limbs[self.len] = carry;
                self.len += 1;
            }
        }
    }

    /// `self = self >> 1`.
    pub(super) fn shr1(&mut self) {
        let mut carry = 0;
        for limb in self.limbs[..self.len].iter_mut().rev() {
            let next = *limb << 31;
            *limb = (*limb >> 1) | carry;
            carry = next;
        }
        self.trim();
    }

    /// Whether `self ≥ other`.
    pub(super) fn at_least(&self, other: &Big) -> bool {
        let (mine, theirs) = (&self.limbs[..self.len], &other.limbs[..other.len]);
        self.len.cmp(&other.len).then_with(|| mine.iter().rev().cmp(theirs.iter().rev())).is_ge()
    }

    /// `self = self - other`, for `self ≥ other`.
    pub(super) fn sub(&mut self, other: &Big) {
        let mut borrow = false;
        for (x, &y) in self.limbs[..self.len].iter_mut().zip(&other.limbs) {
            let (d, b1) = x.overflowing_sub(y);
            let (d, b2) = d.overflowing_sub(u32::from(borrow));
            *x = d;
            borrow = b1 || b2;
        }
        self.trim();
    }

    /// Drops zero top limbs.
    pub(super) fn trim(&mut self) {
        while self.len > 0 && self.limbs[self.len - 1] == 0 {
            self.len -= 1;
        }
    }
}
