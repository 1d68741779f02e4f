//! The per-shard write limit: 1,000 records per second or 1 MiB per second, whichever
//! binds first, partition key bytes included.
//!
//! Enforced per whole second of simulated time, so that a one-second spike is
//! throttled even when the minute's average is far below the limit. AWS does not
//! document its limiter's exact window; a calendar second is the simplification the
//! playground makes.

/// AWS's per-shard write limit in records.
pub const WRITE_RECORDS_PER_S_MAX: u64 = 1_000;
/// AWS's per-shard write limit in bytes (1 MiB).
pub const WRITE_BYTES_PER_S_MAX: u64 = 1_048_576;

/// What one shard has accepted in the current second.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct WriteLimiter {
    second: u64,
    records: u64,
    bytes: u64,
}

impl WriteLimiter {
    fn roll(&mut self, second: u64) {
        if second != self.second {
            debug_assert!(second > self.second, "the write limiter went back in time");
            *self = WriteLimiter {
                second,
                records: 0,
                bytes: 0,
            };
        }
    }

    /// Offers `count` records of `bytes_each` (data plus partition key) in `second`;
    /// returns how many are accepted, in order. The rest are throttled.
    pub fn admit(&mut self, second: u64, count: u64, bytes_each: u64) -> u64 {
        self.roll(second);
        let by_records = WRITE_RECORDS_PER_S_MAX - self.records;
        let by_bytes = (WRITE_BYTES_PER_S_MAX - self.bytes)
            .checked_div(bytes_each)
            .unwrap_or(u64::MAX);
        let accepted = count.min(by_records).min(by_bytes);
        self.records += accepted;
        self.bytes += accepted * bytes_each;
        debug_assert!(
            self.records <= WRITE_RECORDS_PER_S_MAX && self.bytes <= WRITE_BYTES_PER_S_MAX
        );
        accepted
    }

    /// Records accepted so far in `second`.
    pub fn records_in(&self, second: u64) -> u64 {
        if second == self.second {
            self.records
        } else {
            0
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_record_limit_binds_for_small_records() {
        let mut l = WriteLimiter::default();
        assert_eq!(l.admit(0, 600, 108), 600);
        assert_eq!(l.admit(0, 600, 108), 400);
        assert_eq!(l.admit(0, 1, 108), 0);
        assert_eq!(
            l.admit(1, 2_000, 108),
            1_000,
            "a new second has a new budget"
        );
    }

    #[test]
    fn the_byte_limit_binds_for_large_records() {
        let mut l = WriteLimiter::default();
        // 10,000 data bytes + 8 key bytes: 104 records fit in 1 MiB.
        assert_eq!(l.admit(0, 200, 10_008), 104);
        assert_eq!(l.admit(0, 1, 10_008), 0);
        // A record of exactly the remaining bytes still fits.
        let mut l = WriteLimiter::default();
        assert_eq!(l.admit(0, 1, WRITE_BYTES_PER_S_MAX), 1);
        assert_eq!(l.admit(0, 1, 1), 0);
    }
}

/// AWS's per-shard limit on GetRecords calls, shared by every standard consumer.
pub const READ_CALLS_PER_S_MAX: u32 = 5;
/// AWS's per-shard read limit in bytes (2 MiB), shared by standard consumers; each
/// enhanced fan-out consumer has its own.
pub const READ_BYTES_PER_S_MAX: u64 = 2 * 1_048_576;

/// What one shard has served to readers in the current second.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ReadLimiter {
    second: u64,
    calls: u32,
    bytes: u64,
}

impl ReadLimiter {
    /// Starts a read in `second`: the bytes it may return, or None when the call is
    /// refused with ProvisionedThroughputExceededException. `calls_max` is None for
    /// an enhanced fan-out consumer, which is pushed records without calls.
    pub fn begin(&mut self, second: u64, calls_max: Option<u32>) -> Option<u64> {
        if second != self.second {
            *self = ReadLimiter {
                second,
                calls: 0,
                bytes: 0,
            };
        }
        if calls_max.is_some_and(|max| self.calls >= max) || self.bytes >= READ_BYTES_PER_S_MAX {
            return None;
        }
        self.calls += 1;
        Some(READ_BYTES_PER_S_MAX - self.bytes)
    }

    /// Counts the bytes a read returned.
    pub fn served(&mut self, bytes: u64) {
        self.bytes += bytes;
    }
}

#[cfg(test)]
mod read_tests {
    use super::*;

    #[test]
    fn five_calls_a_second_then_refused() {
        let mut l = ReadLimiter::default();
        for _ in 0..5 {
            assert_eq!(
                l.begin(0, Some(READ_CALLS_PER_S_MAX)),
                Some(READ_BYTES_PER_S_MAX)
            );
        }
        assert_eq!(l.begin(0, Some(READ_CALLS_PER_S_MAX)), None);
        assert!(l.begin(1, Some(READ_CALLS_PER_S_MAX)).is_some());
    }

    #[test]
    fn two_mib_a_second_then_refused() {
        let mut l = ReadLimiter::default();
        assert!(l.begin(0, None).is_some());
        l.served(READ_BYTES_PER_S_MAX - 10);
        assert_eq!(l.begin(0, None), Some(10));
        l.served(10);
        assert_eq!(l.begin(0, None), None);
    }
}
