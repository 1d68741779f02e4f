//! The stream: its shards, their write limiters, and retention.
//!
//! Writers offer records to a shard for a given second; the shard's limiter says how
//! many are accepted and the rest are throttled. Accepted bulk records of one second
//! become one run spread over that second.
//!
//! An on-demand stream (StreamModeDetails ON_DEMAND) has, on top of each shard's limit,
//! a stream-wide write capacity of double its previous peak (`OnDemandCapacity`). What
//! the playground simplifies: AWS adds shards behind an on-demand stream as its traffic
//! grows (it splits a shard within 15 minutes once the shard takes over 500 KB/s,
//! AWS's capacity-mode page); here the shards are fixed at `ShardCount` for the whole
//! run, and only the stream-wide limit rises with the peak. So a hot key throttles its
//! shard exactly as on a provisioned stream, which AWS documents too: on demand, a
//! single partition key is still held to one shard's 1 MB/s and 1,000 records/s. When
//! the stream-wide limit binds, each shard gets a share of it in proportion to what it
//! is offered that second (what it could take), so no shard is favoured by its number.

use super::hash::{even_split, shard_for, HashKeyRange};
use super::rate_limiter::{OnDemandCapacity, ReadLimiter, WriteLimiter};
use super::reshard::{OpenShard, Plan};
use super::scenario::StreamConfig;
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
    /// The open shards' ranges in hash key order, and the shard each belongs to:
    /// writes go to open shards only.
    ranges: Vec<HashKeyRange>,
    open: Vec<usize>,
    limiters: Vec<WriteLimiter>,
    /// Per shard: the current second's counts and the last complete second's.
    current: Vec<SecondStats>,
    previous: Vec<SecondStats>,
    /// Per shard: GetRecords calls and bytes served this second to standard consumers.
    pub read_limiters: Vec<ReadLimiter>,
    pub retention: SimDuration,
    /// The largest record the stream accepts, data plus partition key
    /// (MaxRecordSizeInKiB x 1024).
    pub max_record_bytes: u64,
    /// The stream-wide write limit, on demand only.
    on_demand: Option<OnDemandCapacity>,
    /// On demand: each shard's share of the stream-wide limit in `quota_second`, set
    /// by [`Stream::plan_second`].
    quota: Vec<u64>,
    quota_second: Option<u64>,
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
            open: (0..n).collect(),
            limiters: vec![WriteLimiter::default(); n],
            current: vec![SecondStats::default(); n],
            previous: vec![SecondStats::default(); n],
            read_limiters: vec![ReadLimiter::default(); n],
            retention,
            max_record_bytes: StreamConfig::default().max_record_bytes(),
            on_demand: None,
            quota: vec![0; n],
            quota_second: None,
        }
    }

    /// The stream a scenario's `stream` describes: provisioned or on demand, with its
    /// maximum record size.
    pub fn from_config(cfg: &StreamConfig) -> Self {
        let retention = SimDuration::from_hours(cfg.retention_period_hours.into());
        let mut s = Stream::new(&cfg.stream_name, cfg.shard_count, retention);
        s.max_record_bytes = cfg.max_record_bytes();
        if cfg.is_on_demand() {
            s.on_demand = Some(OnDemandCapacity::new(cfg.previous_peak_write_mib_per_s));
        }
        s
    }

    pub fn is_on_demand(&self) -> bool {
        self.on_demand.is_some()
    }

    /// On demand: the stream-wide write capacity in `second`, in records/s (and in
    /// thousandths of a MiB/s: 1,000 records/s are worth 1 MiB/s); None when
    /// provisioned.
    pub fn on_demand_capacity(&mut self, second: u64) -> Option<u64> {
        self.on_demand.as_mut().map(|c| c.capacity_milli(second))
    }

    /// On demand: the stream-wide write capacity as of the last second written, in
    /// records/s (thousandths of a MiB/s); None when provisioned.
    pub fn on_demand_capacity_now(&self) -> Option<u64> {
        self.on_demand.as_ref().map(OnDemandCapacity::capacity_now)
    }

    /// On demand: the peak write throughput that counts now, in thousandths of a MiB/s.
    pub fn on_demand_peak_milli(&self) -> Option<u64> {
        self.on_demand.as_ref().map(OnDemandCapacity::peak_milli)
    }

    /// Before the bulk writes of `second`: on demand, shares the stream-wide capacity
    /// left among the shards in proportion to what each is offered (`offered[s]`
    /// records of `bytes_each`) and could take. Provisioned, it does nothing.
    pub fn plan_second(&mut self, second: u64, offered: &[u64], bytes_each: u64) {
        let Some(c) = self.on_demand.as_mut() else {
            return;
        };
        let room = c.room(second, bytes_each);
        let could: Vec<u64> = offered
            .iter()
            .zip(&self.limiters)
            .map(|(&n, l)| l.would_admit(second, n, bytes_each))
            .collect();
        let wanted: u64 = could.iter().sum();
        if wanted <= room {
            // Every shard can have what it could take: no shares needed.
            self.quota_second = None;
            return;
        }
        self.quota_second = Some(second);
        // Largest remainder: floors first, then one more record each to the shards
        // with the largest fractions (ties to the lower shard), within what they could take.
        let mut rest = room;
        let mut fractions = Vec::with_capacity(could.len());
        for (s, &n) in could.iter().enumerate() {
            let exact = u128::from(n) * u128::from(room);
            let q = (exact / u128::from(wanted)) as u64;
            self.quota[s] = q;
            rest -= q;
            fractions.push(exact % u128::from(wanted));
        }
        // Largest fraction first, ties to the lower shard (the indexes are in shard
        // order, and the order is stable).
        for s in super::stable_order(fractions.len(), &|a, b| fractions[a] > fractions[b]) {
            if rest == 0 {
                break;
            }
            if self.quota[s] < could[s] {
                self.quota[s] += 1;
                rest -= 1;
            }
        }
    }

    pub fn shard_count(&self) -> usize {
        self.shards.len()
    }

    /// The open shard that holds hash key `key`.
    pub fn shard_for_hash(&self, key: u128) -> usize {
        self.open[shard_for(&self.ranges, key)]
    }

    /// The open shards, in hash key order.
    pub fn open_shards(&self) -> Vec<OpenShard> {
        self.open
            .iter()
            .zip(&self.ranges)
            .map(|(&index, &range)| OpenShard { index, range })
            .collect()
    }

    /// Carries out a reshard at `now`: the plan's parents close (they keep their
    /// records until retention trims them), its children open with their ranges and
    /// the next shard indexes (AWS numbers new shards on from the highest id), and
    /// writes go to the open shards by hash key from now on. Returns the children's
    /// indexes.
    pub fn reshard(&mut self, now: SimTime, plan: &Plan) -> Vec<usize> {
        let mut children = Vec::with_capacity(plan.opens.len());
        for (range, parents) in &plan.opens {
            let index = self.shards.len();
            let mut child = Shard::new(index as u32, *range);
            child.parents = parents.iter().map(|&p| p as u32).collect();
            for &p in parents {
                self.shards[p].children.push(index as u32);
            }
            self.shards.push(child);
            self.limiters.push(WriteLimiter::default());
            self.current.push(SecondStats::default());
            self.previous.push(SecondStats::default());
            self.read_limiters.push(ReadLimiter::default());
            self.quota.push(0);
            children.push(index);
        }
        for &p in &plan.closes {
            self.shards[p].close(now);
        }
        let mut open = self.open_shards();
        let mut next = self.shards.len() - children.len();
        super::reshard::apply(&mut open, &mut next, plan);
        self.open = open.iter().map(|o| o.index).collect();
        self.ranges = open.iter().map(|o| o.range).collect();
        children
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
        let offered = match self.on_demand.as_mut() {
            None => count,
            Some(c) => {
                let share = if self.quota_second == Some(second) {
                    self.quota[shard]
                } else {
                    u64::MAX
                };
                count.min(share).min(c.room(second, bytes_each))
            }
        };
        let accepted = self.limiters[shard].admit(second, offered, bytes_each);
        if let Some(c) = self.on_demand.as_mut() {
            c.take(second, accepted, bytes_each);
            if self.quota_second == Some(second) {
                self.quota[shard] -= accepted;
            }
        }
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
