//! The stream: its shards, their write limiters, and retention.
//!
//! Writers offer records to a shard for a given second; the shard's limiter says how
//! many are accepted and the rest are throttled. Accepted bulk records of one second
//! become one run spread over that second.

use super::hash::{even_split, shard_for, HashKeyRange};
use super::rate_limiter::{ReadLimiter, WriteLimiter};
use super::shard::{Shard, Trimmed};
use super::time::{SimDuration, SimTime, MS_PER_S};

/// What a shard took and refused in one second.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SecondStats {
    pub second: u64,
    pub accepted: u64,
    pub throttled: u64,
}

#[derive(Debug)]
pub struct Stream {
    pub name: String,
    pub shards: Vec<Shard>,
    ranges: Vec<HashKeyRange>,
    limiters: Vec<WriteLimiter>,
    /// Per shard: the current second's counts and the last complete second's.
    current: Vec<SecondStats>,
    previous: Vec<SecondStats>,
    /// Per shard: GetRecords calls and bytes served this second to standard consumers.
    pub read_limiters: Vec<ReadLimiter>,
    pub retention: SimDuration,
}

impl Stream {
    pub fn new(name: &str, shard_count: u32, retention: SimDuration) -> Self {
        let ranges = even_split(shard_count);
        let shards = ranges
            .iter()
            .enumerate()
            .map(|(i, r)| Shard::new(i as u32, *r))
            .collect();
        let n = shard_count as usize;
        Stream {
            name: name.to_string(),
            shards,
            ranges,
            limiters: vec![WriteLimiter::default(); n],
            current: vec![SecondStats::default(); n],
            previous: vec![SecondStats::default(); n],
            read_limiters: vec![ReadLimiter::default(); n],
            retention,
        }
    }

    pub fn shard_count(&self) -> usize {
        self.shards.len()
    }

    /// The shard that holds hash key `key`.
    pub fn shard_for_hash(&self, key: u128) -> usize {
        shard_for(&self.ranges, key)
    }

    fn note(&mut self, shard: usize, second: u64, accepted: u64, throttled: u64) {
        let cur = &mut self.current[shard];
        if cur.second != second {
            self.previous[shard] = if cur.second + 1 == second {
                *cur
            } else {
                SecondStats {
                    second: second - 1,
                    ..Default::default()
                }
            };
            *cur = SecondStats {
                second,
                accepted: 0,
                throttled: 0,
            };
        }
        cur.accepted += accepted;
        cur.throttled += throttled;
    }

    /// Offers `count` records of `bytes_each` (data and key) to `shard` in `second`
    /// and returns how many the write limit accepts. Nothing is appended: the caller
    /// appends what it accepted with [`Stream::append_second`].
    pub fn admit(&mut self, shard: usize, second: u64, count: u64, bytes_each: u64) -> u64 {
        let accepted = self.limiters[shard].admit(second, count, bytes_each);
        self.note(shard, second, accepted, count - accepted);
        accepted
    }

    /// Appends `count` accepted bulk records to `shard`, arriving evenly over `second`.
    pub fn append_second(
        &mut self,
        shard: usize,
        second: u64,
        count: u64,
        record_bytes: u32,
        key_bytes: u32,
        flow_ordinal: u64,
    ) {
        self.shards[shard].append_run(
            count,
            SimTime(second * MS_PER_S),
            MS_PER_S,
            record_bytes,
            key_bytes,
            flow_ordinal,
        );
    }

    /// Offers one record at `at`; appends it and returns its index if the write
    /// limit accepts it.
    pub fn offer_record(
        &mut self,
        shard: usize,
        at: SimTime,
        partition_key: &str,
        data: &[u8],
        put: Option<(usize, usize)>,
    ) -> Option<u64> {
        let bytes = (partition_key.len() + data.len()) as u64;
        if self.admit(shard, at.second(), 1, bytes) == 1 {
            Some(self.shards[shard].append_record(
                at,
                partition_key.to_string(),
                data.to_vec(),
                put,
            ))
        } else {
            None
        }
    }

    /// Where each shard's trim horizon will be after a trim at `now`.
    pub fn horizons_at(&self, now: SimTime) -> Vec<u64> {
        let cutoff = now.0.checked_sub(self.retention.0);
        self.shards
            .iter()
            .map(|s| match cutoff {
                Some(c) => s.first_index_after(SimTime(c)).max(s.trim_horizon()),
                None => s.trim_horizon(),
            })
            .collect()
    }

    /// Trims every shard at `now`.
    pub fn trim(&mut self, now: SimTime) -> Trimmed {
        let retention = self.retention;
        let mut all = Trimmed::default();
        for s in &mut self.shards {
            let t = s.trim(now, retention);
            all.records += t.records;
            all.bytes += t.bytes;
        }
        all
    }

    /// What `shard` took and refused in the last complete second before `second`.
    pub fn last_second(&self, shard: usize, second: u64) -> SecondStats {
        let cur = self.current[shard];
        if cur.second + 1 == second {
            cur
        } else if self.previous[shard].second + 1 == second {
            self.previous[shard]
        } else {
            SecondStats {
                second: second.saturating_sub(1),
                ..Default::default()
            }
        }
    }

    pub fn records(&self) -> u64 {
        self.shards.iter().map(Shard::records).sum()
    }
}
