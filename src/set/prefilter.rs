//! A split-block Bloom filter over hashes of indicator domains, consulted before the FST walk.
//!
//! Most names in a DNS log match nothing. Walking the FST byte by byte costs a node decode per
//! byte, so a miss is rejected here first: one pass from the right end of the name hashes every
//! label-aligned suffix (`com`, `evil.com`, `cdn.evil.com`) and probes one 32-byte block per
//! suffix. A "no" is certain; a "maybe" (a real hit, or a false positive at roughly 1 %) goes on to
//! the FST, which has the final word.

/// Filter size in bits per stored domain. 12 bits with 8 probe bits in a 256-bit block give a
/// false-positive rate near 1 % per probed suffix.
const BITS_PER_DOMAIN: usize = 12;

/// Odd multipliers that pick one bit in each 32-bit word of a block.
const SALTS: [u32; 8] = [
    0x47b6_137b,
    0x4497_4d91,
    0x8824_ad5b,
    0xa2b7_289d,
    0x7054_95c7,
    0x2df1_424b,
    0x9efc_4947,
    0x5c6b_fb31,
];

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

/// The filter's bit blocks.
#[derive(Debug, Clone, Default)]
pub(crate) struct SuffixFilter {
    blocks: Vec<[u32; 8]>,
}

impl SuffixFilter {
    /// Creates an empty filter sized for `domain_count` domains.
    pub(crate) fn with_capacity(domain_count: usize) -> Self {
        let block_count = (domain_count * BITS_PER_DOMAIN).div_ceil(256);
        SuffixFilter {
            blocks: vec![[0; 8]; block_count],
        }
    }

    /// Adds a lower-case domain.
    pub(crate) fn insert(&mut self, domain: &[u8]) {
        if self.blocks.is_empty() {
            return;
        }
        let hash = finish(domain.iter().rev().fold(FNV_OFFSET, step));
        let (block, bits) = self.locate(hash);
        for (word, bit) in self.blocks[block].iter_mut().zip(bits) {
            *word |= bit;
        }
    }

    /// Returns whether some label-aligned suffix of `name` may be a stored domain. ASCII letters
    /// are folded to lower case as they are hashed, so the name need not be lower-case.
    pub(crate) fn may_contain_suffix_of(&self, name: &[u8]) -> bool {
        if self.blocks.is_empty() {
            return false;
        }
        let mut state = FNV_OFFSET;
        for at in (0..name.len()).rev() {
            state = step(state, &name[at].to_ascii_lowercase());
            let at_label_start = at == 0 || name[at - 1] == b'.';
            if at_label_start && self.contains(finish(state)) {
                return true;
            }
        }
        false
    }

    /// Returns the filter size in bytes.
    pub(crate) fn heap_bytes(&self) -> usize {
        self.blocks.len() * 32
    }

    fn contains(&self, hash: u64) -> bool {
        let (block, bits) = self.locate(hash);
        let words = &self.blocks[block];
        words.iter().zip(bits).all(|(word, bit)| word & bit != 0)
    }

    /// Splits a hash into a block index (high half, by multiply-shift range reduction) and one bit
    /// per word (low half, one salt per word).
    fn locate(&self, hash: u64) -> (usize, [u32; 8]) {
        let block = (((hash >> 32) * self.blocks.len() as u64) >> 32) as usize;
        let low = hash as u32;
        let bits = SALTS.map(|salt| 1u32 << (low.wrapping_mul(salt) >> 27));
        (block, bits)
    }
}

fn step(state: u64, byte: &u8) -> u64 {
    (state ^ u64::from(*byte)).wrapping_mul(FNV_PRIME)
}

/// Mixes the FNV state so that both halves of the hash depend on every input bit (the
/// finalizer of MurmurHash3).
fn finish(mut hash: u64) -> u64 {
    hash ^= hash >> 33;
    hash = hash.wrapping_mul(0xff51_afd7_ed55_8ccd);
    hash ^= hash >> 33;
    hash = hash.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    hash ^ (hash >> 33)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filter_finds_every_inserted_suffix() {
        let domains = ["evil.com", "a.b.example", "onion", "x-y.test"];
        let mut filter = SuffixFilter::with_capacity(domains.len());
        for domain in domains {
            filter.insert(domain.as_bytes());
        }
        for name in [
            "evil.com",
            "CDN.Evil.Com",
            "q.a.b.example",
            "abc.onion",
            "x-y.test",
        ] {
            assert!(filter.may_contain_suffix_of(name.as_bytes()), "{name}");
        }
    }

    #[test]
    fn empty_filter_contains_nothing() {
        let filter = SuffixFilter::with_capacity(0);
        assert!(!filter.may_contain_suffix_of(b"evil.com"));
    }
}
