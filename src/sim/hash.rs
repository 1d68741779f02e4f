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
