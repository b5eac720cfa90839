//! Identifiers of demo rows: deterministic and readable, so a benchmark can name any row from a
//! number. The layout is `TTTTSSSS-SSSS-4000-8000-NNNNNNNNNNNN`: `T` the kind of row, `S` the
//! low 32 bits of the seed (two seeds can share a database), `N` the row's number written in
//! decimal digits (every decimal digit is a hex digit). The version and variant nibbles are those
//! of a v4 UUID, so every parser accepts them.
//!
//! Apprenticeship `k` is `0c00SSSS-SSSS-4000-8000-` followed by `k` padded to 12 digits; its
//! apprentice is the same with kind `0b03`. `bench/` builds these in SQL (`lpad(k::text, 12, '0')`).

use uuid::Uuid;

/// The kind of row, the first four hex digits of the id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u16)]
pub enum Kind {
    ProviderOrg = 0x0a01,
    EmployerOrg = 0x0a02,
    Admin = 0x0b00,
    Tutor = 0x0b01,
    Mentor = 0x0b02,
    Apprentice = 0x0b03,
    Apprenticeship = 0x0c00,
    Evidence = 0x0d00,
    Review = 0x0d01,
    Comment = 0x0d02,
    Signoff = 0x0e00,
    OtjEntry = 0x0f00,
    ProgressReview = 0x0f01,
    ReviewSignature = 0x0f02,
}

/// Largest row number an id can carry (12 decimal digits).
pub const MAX_NUMBER: u64 = 999_999_999_999;

/// The id of row `number` of `kind` in the data set of `seed`.
pub fn id(kind: Kind, seed: u64, number: u64) -> Uuid {
    debug_assert!(number <= MAX_NUMBER);
    let mut digits = number;
    let mut bcd: u64 = 0;
    for shift in 0..12 {
        bcd |= (digits % 10) << (4 * shift);
        digits /= 10;
    }
    let seed = seed as u32;
    let mut bytes = [0u8; 16];
    bytes[0..2].copy_from_slice(&(kind as u16).to_be_bytes());
    bytes[2..6].copy_from_slice(&seed.to_be_bytes());
    bytes[6] = 0x40;
    bytes[8] = 0x80;
    bytes[10..16].copy_from_slice(&bcd.to_be_bytes()[2..8]);
    Uuid::from_bytes(bytes)
}

/// Row number of tutor `j` of provider `p` (both from 1): `p * 1000 + j`.
pub fn staff_number(organisation: u64, j: u64) -> u64 {
    organisation * 1000 + j
}

/// Row number of evidence item `i` (from 0) of apprenticeship `k`: `k * 1000 + i`.
pub fn evidence_number(k: u64, i: u64) -> u64 {
    k * 1000 + i
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_spell_kind_seed_and_number() {
        assert_eq!(
            id(Kind::Apprenticeship, 1, 42).to_string(),
            "0c000000-0001-4000-8000-000000000042"
        );
        assert_eq!(
            id(Kind::Tutor, 0xdead_beef, staff_number(3, 7)).to_string(),
            "0b01dead-beef-4000-8000-000000003007"
        );
        assert_eq!(
            id(Kind::Evidence, 5, MAX_NUMBER).to_string(),
            "0d000000-0005-4000-8000-999999999999"
        );
    }
}
