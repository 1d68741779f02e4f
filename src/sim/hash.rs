//! Partition keys to shards, as Kinesis does it.
//!
//! MD5 of the partition key's UTF-8 bytes, read as a big-endian 128-bit unsigned
//! integer, picks the shard whose `[StartingHashKey, EndingHashKey]` holds it. A new
//! stream splits the hash space evenly: `Start_i = floor(i * 2^128 / N)`,
//! `End_i = Start_{i+1} - 1`, the last ending at `2^128 - 1`.
//! Also base64, since `Data` travels as base64 in the AWS API.

use md5::{Digest, Md5};

/// A shard's hash key range, both ends inclusive.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HashKeyRange {
    pub starting_hash_key: u128,
    pub ending_hash_key: u128,
}

/// The hash key of a partition key: MD5 as a big-endian 128-bit number.
pub fn hash_key(partition_key: &str) -> u128 {
    let digest = Md5::digest(partition_key.as_bytes());
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&digest);
    u128::from_be_bytes(bytes)
}

/// MD5's per-step constants, `floor(abs(sin(i + 1)) * 2^32)` (RFC 1321).
const MD5_K: [u32; 64] = [
    0xd76a_a478,
    0xe8c7_b756,
    0x2420_70db,
    0xc1bd_ceee,
    0xf57c_0faf,
    0x4787_c62a,
    0xa830_4613,
    0xfd46_9501,
    0x6980_98d8,
    0x8b44_f7af,
    0xffff_5bb1,
    0x895c_d7be,
    0x6b90_1122,
    0xfd98_7193,
    0xa679_438e,
    0x49b4_0821,
    0xf61e_2562,
    0xc040_b340,
    0x265e_5a51,
    0xe9b6_c7aa,
    0xd62f_105d,
    0x0244_1453,
    0xd8a1_e681,
    0xe7d3_fbc8,
    0x21e1_cde6,
    0xc337_07d6,
    0xf4d5_0d87,
    0x455a_14ed,
    0xa9e3_e905,
    0xfcef_a3f8,
    0x676f_02d9,
    0x8d2a_4c8a,
    0xfffa_3942,
    0x8771_f681,
    0x6d9d_6122,
    0xfde5_380c,
    0xa4be_ea44,
    0x4bde_cfa9,
    0xf6bb_4b60,
    0xbebf_bc70,
    0x289b_7ec6,
    0xeaa1_27fa,
    0xd4ef_3085,
    0x0488_1d05,
    0xd9d4_d039,
    0xe6db_99e5,
    0x1fa2_7cf8,
    0xc4ac_5665,
    0xf429_2244,
    0x432a_ff97,
    0xab94_23a7,
    0xfc93_a039,
    0x655b_59c3,
    0x8f0c_cc92,
    0xffef_f47d,
    0x8584_5dd1,
    0x6fa8_7e4f,
    0xfe2c_e6e0,
    0xa301_4314,
    0x4e08_11a1,
    0xf753_7e82,
    0xbd3a_f235,
    0x2ad7_d2bb,
    0xeb86_d391,
];

/// MD5's rotations, four per round.
const MD5_R: [u32; 16] = [7, 12, 17, 22, 5, 9, 14, 20, 4, 11, 16, 23, 6, 10, 15, 21];

/// Lanes of [`hash_keys_x`]: names hashed side by side, so that the compiler can
/// run the four in one vector register.
const X: usize = 4;

/// The hash keys of `X` names of at most 55 bytes each, as [`hash_key`] computes
/// them one by one (MD5 of a single padded block, read big-endian), the `X` side by
/// side: a synthetic producer's key plan hashes every key name at build (issue 11).
fn hash_keys_x(names: [&[u8]; X]) -> [u128; X] {
    // The padded block of each name, as sixteen little-endian words.
    let mut m = [[0u32; X]; 16];
    for (j, name) in names.iter().enumerate() {
        assert!(name.len() <= 55, "one MD5 block holds at most 55 bytes");
        let mut block = [0u8; 64];
        block[..name.len()].copy_from_slice(name);
        block[name.len()] = 0x80;
        block[56..].copy_from_slice(&(name.len() as u64 * 8).to_le_bytes());
        for (w, word) in m.iter_mut().zip(block.chunks_exact(4)) {
            w[j] = u32::from_le_bytes([word[0], word[1], word[2], word[3]]);
        }
    }
    let init = [0x6745_2301u32, 0xefcd_ab89, 0x98ba_dcfe, 0x1032_5476];
    let (mut a, mut b, mut c, mut d) = ([init[0]; X], [init[1]; X], [init[2]; X], [init[3]; X]);
    // One step: a = b + rotl(a + f(b, c, d) + K[i] + m[g], r), every index a constant
    // once unrolled, so that the X lanes run as one vector.
    #[inline(always)]
    fn step(
        a: &mut [u32; X],
        b: &[u32; X],
        c: &[u32; X],
        d: &[u32; X],
        m: &[[u32; X]; 16],
        i: usize,
    ) {
        let (g, r) = match i / 16 {
            0 => (i, MD5_R[i % 4]),
            1 => ((5 * i + 1) % 16, MD5_R[4 + i % 4]),
            2 => ((3 * i + 5) % 16, MD5_R[8 + i % 4]),
            _ => ((7 * i) % 16, MD5_R[12 + i % 4]),
        };
        for j in 0..X {
            let (x, y, z) = (b[j], c[j], d[j]);
            let f = match i / 16 {
                0 => (x & y) | (!x & z),
                1 => (x & z) | (y & !z),
                2 => x ^ y ^ z,
                _ => y ^ (x | !z),
            };
            let sum = f
                .wrapping_add(a[j])
                .wrapping_add(MD5_K[i])
                .wrapping_add(m[g][j]);
            a[j] = x.wrapping_add(sum.rotate_left(r));
        }
    }
    macro_rules! four {
        ($i:expr) => {
            step(&mut a, &b, &c, &d, &m, $i);
            step(&mut d, &a, &b, &c, &m, $i + 1);
            step(&mut c, &d, &a, &b, &m, $i + 2);
            step(&mut b, &c, &d, &a, &m, $i + 3);
        };
    }
    four!(0);
    four!(4);
    four!(8);
    four!(12);
    four!(16);
    four!(20);
    four!(24);
    four!(28);
    four!(32);
    four!(36);
    four!(40);
    four!(44);
    four!(48);
    four!(52);
    four!(56);
    four!(60);
    let mut out = [0u128; X];
    for (j, o) in out.iter_mut().enumerate() {
        let words = [
            a[j].wrapping_add(init[0]),
            b[j].wrapping_add(init[1]),
            c[j].wrapping_add(init[2]),
            d[j].wrapping_add(init[3]),
        ];
        let mut bytes = [0u8; 16];
        for (chunk, w) in bytes.chunks_exact_mut(4).zip(words) {
            chunk.copy_from_slice(&w.to_le_bytes());
        }
        *o = u128::from_be_bytes(bytes);
    }
    out
}

/// Calls `f(i, hash_key(name_i))` for `i` in `0..count`, in order, where `name_i`
/// is `prefix` followed by `i` in decimal, zero-padded to `width` digits (at least
/// as many as `count - 1` has): the synthetic producer's key names, hashed without
/// formatting each name (issue 11). Names longer than one MD5 block holds go through
/// [`hash_key`].
pub fn for_each_numbered_hash(
    prefix: &str,
    width: usize,
    count: u32,
    mut f: impl FnMut(u32, u128),
) {
    let len = prefix.len() + width;
    // The light embed takes the plain path: the four-wide MD5 is about 3 KB of its
    // download (issue 16), and the same hashes one at a time cost it a key plan's
    // build, once, at load.
    if cfg!(feature = "light") || len > 55 || count.saturating_sub(1).to_string().len() > width {
        for i in 0..count {
            f(i, hash_key(&format!("{prefix}{i:0width$}")));
        }
        return;
    }
    // X names side by side, counted up as an odometer of ASCII digits.
    let mut names = [[0u8; 55]; X];
    let mut digits = vec![b'0'; width];
    let bump = |digits: &mut [u8]| {
        for d in digits.iter_mut().rev() {
            if *d == b'9' {
                *d = b'0';
            } else {
                *d += 1;
                return;
            }
        }
    };
    let mut i = 0u32;
    while i < count {
        let n = (count - i).min(X as u32) as usize;
        for name in names.iter_mut().take(n) {
            name[..prefix.len()].copy_from_slice(prefix.as_bytes());
            name[prefix.len()..len].copy_from_slice(&digits);
            bump(&mut digits);
        }
        let hashes = hash_keys_x([
            &names[0][..len],
            &names[1][..len],
            &names[2][..len],
            &names[3][..len],
        ]);
        for (j, &h) in hashes.iter().enumerate().take(n) {
            f(i + j as u32, h);
        }
        i += n as u32;
    }
}

/// `floor(i * 2^128 / n)` for `i <= n`, exactly, without overflow.
fn split_point(i: u128, n: u128) -> u128 {
    assert!(n > 0 && i <= n);
    if i == 0 {
        return 0;
    }
    if i == n {
        // One past the top of the space; only used to derive the last end.
        return u128::MAX;
    }
    // 2^128 = q*n + r with 0 <= r < n.
    let (mut q, mut r) = (u128::MAX / n, u128::MAX % n + 1);
    if r == n {
        q += 1;
        r = 0;
    }
    i * q + (i * r) / n
}

/// The ranges of a stream created with `shard_count` shards, in shard order.
pub fn even_split(shard_count: u32) -> Vec<HashKeyRange> {
    let n = u128::from(shard_count);
    (0..n)
        .map(|i| HashKeyRange {
            starting_hash_key: split_point(i, n),
            ending_hash_key: if i + 1 == n {
                u128::MAX
            } else {
                split_point(i + 1, n) - 1
            },
        })
        .collect()
}

/// The index of the range that holds `key`. `ranges` must cover the space in order.
pub fn shard_for(ranges: &[HashKeyRange], key: u128) -> usize {
    // First the range an even split would put `key` in, from the key's top 64 bits:
    // right for a new stream's ranges (nearly always; the check makes it exact), and
    // no search. The ranges do not overlap, so one that holds `key` is the answer.
    let guess = ((key >> 64) * ranges.len() as u128) >> 64;
    if let Some(r) = ranges.get(guess as usize) {
        if r.starting_hash_key <= key && key <= r.ending_hash_key {
            return guess as usize;
        }
    }
    let i = ranges.partition_point(|r| r.ending_hash_key < key);
    assert!(i < ranges.len(), "hash ranges do not cover {key}");
    i
}

/// A decimal hash key as AWS's ExplicitHashKey takes it, or None.
pub fn parse_hash_key(s: &str) -> Option<u128> {
    if s.is_empty() || s.len() > 39 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Standard base64 with padding.
pub fn encode_base64(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for k in 0..4 {
            if k <= chunk.len() {
                out.push(char::from(B64[((n >> (18 - 6 * k)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Standard base64; padding is optional, whitespace is not allowed.
pub fn decode_base64(s: &str) -> Result<Vec<u8>, String> {
    let trimmed = s.trim_end_matches('=');
    if s.len() - trimmed.len() > 2 {
        return Err("too much padding".to_string());
    }
    if trimmed.len() % 4 == 1 {
        return Err(format!("{} characters cannot be base64", trimmed.len()));
    }
    let mut out = Vec::with_capacity(trimmed.len() * 3 / 4);
    let mut acc = 0u32;
    let mut bits = 0;
    for (i, c) in trimmed.bytes().enumerate() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => {
                return Err(format!(
                    "character {:?} at {i} is not in the base64 alphabet",
                    char::from(c)
                ))
            }
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn three_shards_end_where_aws_says() {
        // The aws-cli describe-stream example for a three-shard stream.
        let r = even_split(3);
        assert_eq!(r[0].starting_hash_key, 0);
        assert_eq!(
            r[0].ending_hash_key,
            113_427_455_640_312_821_154_458_202_477_256_070_484
        );
        assert_eq!(
            r[1].starting_hash_key,
            113_427_455_640_312_821_154_458_202_477_256_070_485
        );
        assert_eq!(
            r[1].ending_hash_key,
            226_854_911_280_625_642_308_916_404_954_512_140_969
        );
        assert_eq!(r[2].ending_hash_key, u128::MAX);
    }

    #[test]
    fn ranges_tile_the_space_for_any_count() {
        for n in [1, 2, 4, 7, 100, 1000, 10_000] {
            let r = even_split(n);
            assert_eq!(r.len(), n as usize);
            assert_eq!(r[0].starting_hash_key, 0);
            assert_eq!(r[r.len() - 1].ending_hash_key, u128::MAX);
            for w in r.windows(2) {
                assert_eq!(w[0].ending_hash_key + 1, w[1].starting_hash_key);
            }
        }
    }

    #[test]
    fn a_hash_key_finds_the_range_that_holds_it() {
        // Even splits (the guess) and uneven ranges (the search), at every range's
        // ends and in between.
        let mut uneven = even_split(3);
        uneven[0].ending_hash_key = 5;
        uneven[1].starting_hash_key = 6;
        for ranges in [
            even_split(1),
            even_split(7),
            even_split(100),
            even_split(1_000),
            uneven,
        ] {
            for (i, r) in ranges.iter().enumerate() {
                let mid = r.starting_hash_key + (r.ending_hash_key - r.starting_hash_key) / 2;
                for key in [r.starting_hash_key, mid, r.ending_hash_key] {
                    assert_eq!(shard_for(&ranges, key), i);
                }
            }
            for key in (0..1_000u32).map(|k| hash_key(&format!("key-{k:04}"))) {
                let want = ranges.partition_point(|r| r.ending_hash_key < key);
                assert_eq!(shard_for(&ranges, key), want);
            }
        }
    }

    #[test]
    fn numbered_hashes_are_md5_of_each_name() {
        // Counts that end mid-group, widths at and past the count's digits, the
        // odometer's carries (9 to 10, 99 to 100), and a name too long for one block.
        for (prefix, width, count) in [
            ("key-", 4, 1),
            ("key-", 4, 7),
            ("key-", 4, 1_003),
            ("key-", 6, 101),
            ("", 1, 10),
            ("x", 60, 3),
        ] {
            let mut seen = 0;
            for_each_numbered_hash(prefix, width, count, |i, h| {
                assert_eq!(i, seen);
                assert_eq!(
                    h,
                    hash_key(&format!("{prefix}{i:0width$}")),
                    "{prefix} {width} {i}"
                );
                seen += 1;
            });
            assert_eq!(seen, count);
        }
    }

    #[test]
    fn md5_is_read_big_endian() {
        // md5("") = d41d8cd98f00b204e9800998ecf8427e
        assert_eq!(hash_key(""), 0xd41d8cd98f00b204e9800998ecf8427e);
        // md5("a") = 0cc175b9c0f1b6a831c399e269772661: below half of the space.
        let r = even_split(2);
        assert_eq!(shard_for(&r, hash_key("a")), 0);
        assert_eq!(shard_for(&r, hash_key("")), 1);
        assert_eq!(shard_for(&r, 0), 0);
        assert_eq!(shard_for(&r, u128::MAX), 1);
    }

    #[test]
    fn explicit_hash_keys_parse_in_range_only() {
        assert_eq!(parse_hash_key("0"), Some(0));
        assert_eq!(
            parse_hash_key("340282366920938463463374607431768211455"),
            Some(u128::MAX)
        );
        assert_eq!(
            parse_hash_key("340282366920938463463374607431768211456"),
            None
        );
        assert_eq!(parse_hash_key("-1"), None);
        assert_eq!(parse_hash_key(""), None);
    }

    #[test]
    fn base64_round_trips_and_rejects_garbage() {
        for s in ["", "h", "he", "hel", "hello", "hello world!"] {
            let enc = encode_base64(s.as_bytes());
            assert_eq!(decode_base64(&enc).as_deref(), Ok(s.as_bytes()), "{s}");
        }
        assert_eq!(encode_base64(b"hello"), "aGVsbG8=");
        assert!(decode_base64("a").is_err());
        assert!(decode_base64("aGV$").is_err());
        assert!(decode_base64("aG===").is_err());
    }
}
