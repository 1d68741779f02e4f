//! Producers: synthetic load in bulk, explicit PutRecords calls one by one, and the
//! retries, timeouts and duplicates that come with writing to Kinesis.
//!
//! What the model does, as AWS and its SDKs do:
//! - PutRecords sends up to 500 records and answers HTTP 200 even when some failed:
//!   `FailedRecordCount` says how many, and each failed entry carries
//!   `ProvisionedThroughputExceededException`. No SDK resends those entries; a
//!   producer that does not (`retry_failed_records: false`) loses them.
//! - A call that gets no answer waits `request_timeout_ms`, then the SDK retries it up
//!   to `max_retries` times with backoff. When the records were in fact written and
//!   only the answer was lost, the retry writes them again: a duplicate.
//! - Backoff is `min(cap, base * 2^n)` with full jitter by default.
//!
//! - PutRecords limits (AWS's PutRecords reference, since October 2025): at most 500
//!   records and 10 MiB per request, partition keys included, and no record over the
//!   stream's MaxRecordSizeInKiB (1 MiB by default, up to 10 MiB), data plus key. A
//!   per-record error can only be a throttle or an internal failure, so a call that
//!   breaks a size limit is refused whole: `InvalidArgumentException`, HTTP 400
//!   ("Records size exceeds 5 MB limit" was AWS's answer under the old 5 MiB cap,
//!   aws/amazon-kinesis-streams-for-fluent-bit#21), nothing written. A 400 is not
//!   retried by the SDKs, so the call's records are lost (`ProducerStats::refused`).
//!   The bulk producer packs its calls as a batching producer does: up to
//!   `put_batch_records`, and never more than fit in 10 MiB; when its records with
//!   their keys are over the stream's maximum, every one of its calls is refused.
//!
//! What it simplifies, for speed: bulk load is handled a second at a time. The
//! records one second offers to a shard are admitted together, the calls of that
//! second are taken to start in the middle of it, and failed entries go back as a few
//! groups with their own jittered delay rather than call by call. A resent bulk
//! record does not keep its original partition key (it takes the next key of its
//! shard's sequence, so the key mix stays right). Lost answers apply to first tries
//! only.

use std::collections::BTreeMap;

use super::hash::{decode_base64, for_each_numbered_hash, hash_key, parse_hash_key};
use super::metrics::{Metric, Metrics};
use super::number::Clamp;
use super::rng::SimRng;
use super::scenario::{Backoff, ProducerConfig, PutCall};
use super::stream::Stream;
use super::time::{SimTime, MS_PER_S};

/// The waiting time before retry `n` (0-based), in ms.
pub fn backoff_ms(cfg: &ProducerConfig, rng: &mut SimRng, n: u32) -> u64 {
    let expo = cfg
        .backoff_base_ms
        .saturating_mul(1u64 << n.min(40))
        .min(cfg.backoff_cap_ms);
    match cfg.backoff {
        Backoff::FullJitter => rng.up_to(expo),
        Backoff::EqualJitter => expo / 2 + rng.up_to(expo / 2),
        Backoff::NoJitter => expo,
    }
}

/// 2,520, the least common multiple of 1 to 10: every ParallelizationFactor
/// (1 to 10) divides it.
const LANE_RESIDUE_MOD: u128 = 2_520;

/// The synthetic partition keys and how they spread over the shards.
///
/// Keys are `key-0000` to `key-NNNN`, one width, so every record's key has the same
/// size. Key 0 may be hot: it takes `hot_key_share` of all records on top of its
/// even share. Within a shard, records take the shard's keys in a fixed, evenly
/// spread order, so the key of a shard's `j`-th record is known without storing it.
#[derive(Debug)]
pub struct KeyPlan {
    width: usize,
    shard_keys: Vec<Vec<u32>>,
    shard_weight: Vec<u128>,
    total_weight: u128,
    hot_weight: u128,
    cold_weight: u128,
    keys: u32,
    /// Per key: MD5 of its name modulo [`LANE_RESIDUE_MOD`], from which its lane
    /// under every ParallelizationFactor follows (`lane_of`), so that a mapping's
    /// lanes are placed without hashing every key again (issue 11).
    lane_residues: Vec<u16>,
    /// Per shard: closed by a reshard, so written no more. A closed shard keeps its
    /// keys: they say which key each of its records carries.
    closed: Vec<bool>,
}

impl KeyPlan {
    pub fn new(partition_keys: u32, hot_key_share: f64, stream: &Stream) -> Self {
        const M: u128 = 1_000_000;
        let k = u128::from(partition_keys.max(1));
        let hot = (hot_key_share.clamp_to(0.0, 1.0) * M as f64).round() as u128;
        let cold_weight = M - hot;
        let hot_weight = hot * k + cold_weight;
        let width = key_width(partition_keys);
        // Room for a shard's share and some: the pushes below rarely grow a list.
        let share = partition_keys as usize / stream.shard_count().max(1);
        let mut shard_keys: Vec<Vec<u32>> = (0..stream.shard_count())
            .map(|_| Vec::with_capacity(share + share / 8 + 16))
            .collect();
        let mut shard_weight = vec![0u128; stream.shard_count()];
        let mut lane_residues = Vec::with_capacity(partition_keys.max(1) as usize);
        for_each_numbered_hash(KEY_PREFIX, width, partition_keys.max(1), |key, hash| {
            lane_residues.push(lane_residue(hash));
            let s = stream.shard_for_hash(hash);
            shard_keys[s].push(key);
            shard_weight[s] += if key == 0 { hot_weight } else { cold_weight };
        });
        KeyPlan {
            width,
            shard_keys,
            shard_weight,
            total_weight: M * k,
            hot_weight,
            cold_weight,
            keys: partition_keys.max(1),
            lane_residues,
            closed: vec![false; stream.shard_count()],
        }
    }

    /// The lane of `key` among `lanes`: MD5 of its name modulo `lanes`, as
    /// `lanes::lane_of_key` computes it for any key.
    pub fn lane_of(&self, key: u32, lanes: u32) -> usize {
        let lanes = lanes.max(1);
        match self.lane_residues.get(key as usize) {
            // (h mod 2520) mod n = h mod n for every n that divides 2520.
            Some(&r) if LANE_RESIDUE_MOD % u128::from(lanes) == 0 => {
                usize::from(r) % lanes as usize
            }
            _ => (hash_key(&key_name(self.width, key)) % u128::from(lanes)) as usize,
        }
    }

    /// After a reshard of `stream`: the closed shards are written no more, and the
    /// keys go to the open shards by hash key (only the new shards gain keys: a key
    /// whose shard stayed open stays on it).
    pub fn reshard(&mut self, stream: &Stream) {
        let old = self.shard_keys.len();
        let n = stream.shard_count();
        self.shard_keys.resize(n, Vec::new());
        self.shard_weight.resize(n, 0);
        self.closed = stream.shards.iter().map(|s| !s.is_open()).collect();
        let (shard_keys, shard_weight) = (&mut self.shard_keys, &mut self.shard_weight);
        let (hot, cold) = (self.hot_weight, self.cold_weight);
        for_each_numbered_hash(KEY_PREFIX, self.width, self.keys, |key, hash| {
            let s = stream.shard_for_hash(hash);
            if s >= old {
                shard_keys[s].push(key);
                shard_weight[s] += if key == 0 { hot } else { cold };
            }
        });
    }

    /// The weight of one key among all records.
    pub fn key_weight(&self, key: u32) -> u128 {
        if key == 0 {
            self.hot_weight
        } else {
            self.cold_weight
        }
    }

    /// The share of new records that shard `s` is written: its weight while it is
    /// open, 0 once a reshard closed it.
    pub fn write_weight(&self, s: usize) -> u128 {
        if self.closed[s] {
            0
        } else {
            self.shard_weight[s]
        }
    }

    pub fn key_name(&self, key: u32) -> String {
        key_name(self.width, key)
    }

    /// Bytes of every synthetic partition key.
    pub fn key_bytes(&self) -> u32 {
        (4 + self.width) as u32
    }

    /// The share of all records that shard `s` receives, as a weight out of
    /// [`KeyPlan::total_weight`].
    pub fn shard_weight(&self, s: usize) -> u128 {
        self.shard_weight[s]
    }

    pub fn total_weight(&self) -> u128 {
        self.total_weight
    }

    /// The keys of shard `s`, key 0 first when the shard holds it.
    pub fn shard_keys(&self, s: usize) -> &[u32] {
        &self.shard_keys[s]
    }

    /// The weight of key 0, the hot key.
    pub fn hot_weight(&self) -> u128 {
        self.hot_weight
    }

    /// How many of the first `j` synthetic records of shard `s` carry the hot key,
    /// when the shard holds it beside other keys; 0 otherwise.
    pub fn hot_before(&self, s: usize, j: u64) -> u64 {
        let keys = &self.shard_keys[s];
        if keys.first() == Some(&0) && keys.len() > 1 {
            (u128::from(j) * self.hot_weight / self.shard_weight[s]) as u64
        } else {
            0
        }
    }

    /// The key of the `j`-th synthetic record written to shard `s`.
    pub fn key_for(&self, s: usize, j: u64) -> u32 {
        let keys = &self.shard_keys[s];
        assert!(
            !keys.is_empty(),
            "shard {s} has no synthetic keys, so no synthetic records"
        );
        let hot = self.hot_before(s, j + 1) > self.hot_before(s, j);
        if hot {
            return 0;
        }
        let cold = j - self.hot_before(s, j);
        let cycle = &keys[usize::from(keys[0] == 0 && keys.len() > 1)..];
        cycle[(cold % cycle.len() as u64) as usize]
    }
}

fn key_width(partition_keys: u32) -> usize {
    (partition_keys.saturating_sub(1)).to_string().len().max(4)
}

/// AWS's largest PutRecords request, data and partition keys together: 10 MiB.
pub const PUT_RECORDS_REQUEST_BYTES_MAX: u64 =
    super::scenario::bounds::PUT_RECORDS_REQUEST_BYTES_MAX;

/// `hash % LANE_RESIDUE_MOD`, from the hash's two halves in 64-bit arithmetic
/// (no 128-bit division: the key plan takes it for every key).
fn lane_residue(hash: u128) -> u16 {
    const M: u64 = LANE_RESIDUE_MOD as u64;
    const TWO_64_MOD: u64 = ((1u128 << 64) % LANE_RESIDUE_MOD) as u64;
    let (hi, lo) = ((hash >> 64) as u64, hash as u64);
    (((hi % M) * TWO_64_MOD + lo % M) % M) as u16
}

/// What every synthetic partition key starts with.
const KEY_PREFIX: &str = "key-";

fn key_name(width: usize, key: u32) -> String {
    format!("{KEY_PREFIX}{key:0width$}")
}

/// What the producers did, over the whole run.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ProducerStats {
    /// Records offered for the first time.
    pub records_put: u64,
    /// Distinct records that made it into the stream at least once.
    pub written_distinct: u64,
    /// Extra copies written by retries of calls whose answer was lost.
    pub duplicates: u64,
    /// Entries rejected by the write limit, every attempt counted.
    pub throttled: u64,
    /// Records the producer gave up on: never written.
    pub lost: u64,
    /// Attempts that got no answer and waited for the request timeout.
    pub timeouts: u64,
    /// PutRecords calls made (first tries and retries).
    pub calls: u64,
    /// The longest a record waited from its first try until it was written or
    /// given up on, in ms.
    pub max_latency_ms: u64,
    /// Records in calls AWS refused whole as invalid (InvalidArgumentException: a
    /// record over MaxRecordSizeInKiB, or a request over 10 MiB). Counted in `lost`.
    pub refused: u64,
    /// Why the latest call was refused, until the journal takes it.
    pub refusal: Option<String>,
}

/// Records waiting to be sent again, all on one shard.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Cohort {
    shard: u32,
    count: u64,
    /// Copies of records already in the stream (the answer to their call was lost).
    dup: bool,
    /// How often the application has resent these entries.
    resends: u32,
    /// How often the SDK has retried the current call.
    sdk_retries: u32,
    first_try_ms: u64,
}

/// Cohorts due in the same second on the same shard in the same retry state are one:
/// the queue's size is bounded by shards x seconds ahead x retry states, however
/// many records wait.
type CohortKey = (u64, u32, bool, u32, u32);

fn cohort_key(due_s: u64, c: &Cohort) -> CohortKey {
    (due_s, c.shard, c.dup, c.resends, c.sdk_retries)
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Failure {
    /// The call answered 200 with these entries marked failed.
    Throttled,
    /// The call got no answer before the request timeout.
    NoAnswer,
}

/// The synthetic load: a rate, bursts, and the retries that follow from throttling
/// and timeouts.
#[derive(Debug)]
pub struct BulkProducer {
    cfg: ProducerConfig,
    pub keys: KeyPlan,
    /// Per shard: the fraction of a record carried to the next second, in units of
    /// `1 / (1000 * total_weight)`.
    carry: Vec<u128>,
    /// Per shard: how many synthetic records it has been written so far.
    ordinal: Vec<u64>,
    fresh: Vec<u64>,
    /// Waiting records by due second, shard and retry state: (count, oldest first try).
    cohorts: BTreeMap<CohortKey, (u64, u64)>,
    jitter: SimRng,
    network: SimRng,
}

/// At most this many groups per failed shard-second, each with its own delay.
const RETRY_GROUPS_MAX: u64 = 8;

impl BulkProducer {
    pub fn new(cfg: &ProducerConfig, stream: &Stream, seed: u64) -> Self {
        let n = stream.shard_count();
        BulkProducer {
            cfg: cfg.clone(),
            keys: KeyPlan::new(cfg.partition_keys, cfg.hot_key_share, stream),
            carry: vec![0; n],
            ordinal: vec![0; n],
            fresh: vec![0; n],
            cohorts: BTreeMap::new(),
            jitter: SimRng::child(seed, "producer.jitter"),
            network: SimRng::child(seed, "producer.network"),
        }
    }

    /// After a reshard of `stream`: new shards get their keys, and records waiting
    /// for a retry on a shard that closed go to its open children instead, shared by
    /// the children's weights (a record's key now hashes to one of them).
    pub fn reshard(&mut self, stream: &Stream) {
        self.keys.reshard(stream);
        let n = stream.shard_count();
        self.carry.resize(n, 0);
        self.ordinal.resize(n, 0);
        self.fresh.resize(n, 0);
        let waiting = std::mem::take(&mut self.cohorts);
        for (key, (count, first_try_ms)) in waiting {
            let shard = &stream.shards[key.1 as usize];
            if shard.is_open() {
                self.cohorts.insert(key, (count, first_try_ms));
                continue;
            }
            // Where the parent's keys went, and with which weight.
            let mut children: Vec<(usize, u128)> = Vec::new();
            for &k in self.keys.shard_keys(key.1 as usize) {
                let c = stream.shard_for_hash(hash_key(&self.keys.key_name(k)));
                let w = self.keys.key_weight(k);
                // In shard order as they come (no sort: its code for this one use
                // weighed about 4 KB in the light embed's WebAssembly; issue 16).
                match children.iter().position(|&(x, _)| x >= c) {
                    Some(i) if children[i].0 == c => children[i].1 += w,
                    Some(i) => children.insert(i, (c, w)),
                    None => children.push((c, w)),
                }
            }
            if children.is_empty() {
                // (A shard with waiting records has keys; kept so no record is lost.)
                children.push((stream.shard_for_hash(shard.range.starting_hash_key), 1));
            }
            let total: u128 = children.iter().map(|c| c.1).sum();
            let mut left = count;
            for (i, &(c, w)) in children.iter().enumerate() {
                let share = if i + 1 == children.len() {
                    left
                } else {
                    (u128::from(count) * w).checked_div(total).unwrap_or(0) as u64
                };
                left -= share;
                if share > 0 {
                    let slot = self
                        .cohorts
                        .entry((key.0, c as u32, key.2, key.3, key.4))
                        .or_insert((0, first_try_ms));
                    slot.0 += share;
                    slot.1 = slot.1.min(first_try_ms);
                }
            }
        }
    }

    /// Takes new settings that need no rebuild: rates, bursts, sizes, retries,
    /// timeouts and faults. The key plan stays as it was built.
    pub fn reconfigure(&mut self, cfg: &ProducerConfig) {
        let (keys, hot) = (self.cfg.partition_keys, self.cfg.hot_key_share);
        self.cfg = cfg.clone();
        self.cfg.partition_keys = keys;
        self.cfg.hot_key_share = hot;
    }

    /// The offered rate in second `t`, in thousandths of a record per second.
    fn rate_milli_at(&self, t: u64) -> u128 {
        let burst = self
            .cfg
            .bursts
            .iter()
            .rev()
            .find(|b| b.at_s <= t && t < b.at_s + b.for_s);
        let r = burst.map_or(self.cfg.records_per_s, |b| b.records_per_s);
        (r * 1_000.0).round() as u128
    }

    fn in_outage(&self, t: u64) -> bool {
        in_outage(&self.cfg, t)
    }

    fn bytes_each(&self) -> u64 {
        u64::from(self.cfg.record_bytes) + u64::from(self.keys.key_bytes())
    }

    /// Records per call: `put_batch_records`, and no more than fit in AWS's 10 MiB
    /// per request.
    fn batch(&self) -> u64 {
        let fit = (PUT_RECORDS_REQUEST_BYTES_MAX / self.bytes_each().max(1)).max(1);
        u64::from(self.cfg.put_batch_records).min(fit)
    }

    /// Records not yet written that are waiting for a retry.
    pub fn pending(&self) -> u64 {
        self.cohorts
            .iter()
            .filter(|(k, _)| !k.2)
            .map(|(_, v)| v.0)
            .sum()
    }

    /// Everything the producer does in second `t`.
    pub fn second(
        &mut self,
        t: u64,
        stream: &mut Stream,
        metrics: &mut Metrics,
        stats: &mut ProducerStats,
    ) {
        let mut due = Vec::new();
        while let Some(entry) = self.cohorts.first_entry() {
            if entry.key().0 != t {
                break;
            }
            let ((_, shard, dup, resends, sdk_retries), (count, first_try_ms)) =
                entry.remove_entry();
            due.push(Cohort {
                shard,
                count,
                dup,
                resends,
                sdk_retries,
                first_try_ms,
            });
        }
        // Each shard carries its own fraction of a record from second to second, so
        // its count never goes back and stays within one record of its exact share.
        // (A split of one exact total by cumulative prefixes is not monotone per shard:
        // a shard's share could go below zero at low rates.)
        let rate = self.rate_milli_at(t);
        let per_record = 1_000 * self.keys.total_weight();
        let mut fresh_total = 0;
        for s in 0..stream.shard_count() {
            let acc = self.carry[s] + rate * self.keys.write_weight(s);
            self.fresh[s] = (acc / per_record) as u64;
            self.carry[s] = acc % per_record;
            fresh_total += self.fresh[s];
        }
        stats.records_put += fresh_total;
        let batch = self.batch();
        let calls =
            fresh_total.div_ceil(batch) + due.iter().map(|c| c.count.div_ceil(batch)).sum::<u64>();
        stats.calls += calls;
        let t_ms = t * MS_PER_S + MS_PER_S / 2;

        if self.in_outage(t) {
            for c in due {
                self.fail(t, c, Failure::NoAnswer, calls, metrics, stats);
            }
            for s in 0..stream.shard_count() {
                if self.fresh[s] > 0 {
                    let c = Cohort {
                        shard: s as u32,
                        count: self.fresh[s],
                        dup: false,
                        resends: 0,
                        sdk_retries: 0,
                        first_try_ms: t_ms,
                    };
                    self.fail(t, c, Failure::NoAnswer, calls, metrics, stats);
                }
            }
            return;
        }

        let bytes_each = self.bytes_each();
        if bytes_each > stream.max_record_bytes {
            // Every call holds records over the stream's maximum: AWS refuses each
            // whole (InvalidArgumentException), and a 400 is not retried.
            let refused = fresh_total + due.iter().filter(|c| !c.dup).map(|c| c.count).sum::<u64>();
            stats.refused += refused;
            stats.lost += refused;
            metrics.record(Metric::ProducerLostRecords, t, refused);
            stats.refusal = Some(format!(
                "{calls} PutRecords calls refused whole with InvalidArgumentException (HTTP 400, not retried): each record is {bytes_each} bytes with its partition key (record_bytes {} plus {}), over the stream's MaxRecordSizeInKiB of {} ({} bytes); {refused} records lost",
                self.cfg.record_bytes,
                self.keys.key_bytes(),
                stream.max_record_bytes / 1_024,
                stream.max_record_bytes
            ));
            return;
        }
        let fresh_calls = fresh_total.div_ceil(batch);
        let lost_calls = if self.cfg.lost_response_rate > 0.0 {
            self.network
                .binomial(fresh_calls, self.cfg.lost_response_rate)
        } else {
            0
        };
        let mut lost_carry = 0u128;
        // On demand, the stream shares its own limit among the shards by what each
        // is offered this second.
        let mut offered = self.fresh.clone();
        for c in &due {
            offered[c.shard as usize] += c.count;
        }
        stream.plan_second(t, &offered, bytes_each);
        let mut due = due.into_iter().peekable();
        let (mut offered_all, mut accepted_all) = (0u64, 0u64);
        for s in 0..stream.shard_count() {
            let mut accepted_here = 0;
            while let Some(c) = due.next_if(|c| c.shard as usize == s) {
                let a = stream.admit(s, t, c.count, bytes_each);
                offered_all += c.count;
                accepted_here += a;
                if c.dup {
                    stats.duplicates += a;
                } else {
                    stats.written_distinct += a;
                }
                if a > 0 {
                    stats.max_latency_ms = stats.max_latency_ms.max(t_ms - c.first_try_ms);
                }
                if a < c.count {
                    self.fail(
                        t,
                        Cohort {
                            count: c.count - a,
                            ..c
                        },
                        Failure::Throttled,
                        calls,
                        metrics,
                        stats,
                    );
                }
            }
            let n = self.fresh[s];
            if n > 0 {
                let a = stream.admit(s, t, n, bytes_each);
                offered_all += n;
                accepted_here += a;
                stats.written_distinct += a;
                if lost_calls > 0 && a > 0 {
                    // The answers of `lost_calls` of this second's calls never come back;
                    // their share of what was written will be sent again.
                    let share = u128::from(a) * u128::from(lost_calls) + lost_carry;
                    let lost = (share / u128::from(fresh_calls)) as u64;
                    lost_carry = share % u128::from(fresh_calls);
                    if lost > 0 {
                        let c = Cohort {
                            shard: s as u32,
                            count: lost,
                            dup: true,
                            resends: 0,
                            sdk_retries: 0,
                            first_try_ms: t_ms,
                        };
                        self.fail(t, c, Failure::NoAnswer, fresh_calls, metrics, stats);
                    }
                }
                if a < n {
                    let c = Cohort {
                        shard: s as u32,
                        count: n - a,
                        dup: false,
                        resends: 0,
                        sdk_retries: 0,
                        first_try_ms: t_ms,
                    };
                    self.fail(t, c, Failure::Throttled, calls, metrics, stats);
                }
            }
            if accepted_here > 0 {
                stream.append_second(
                    s,
                    t,
                    accepted_here,
                    self.cfg.record_bytes,
                    self.keys.key_bytes(),
                    self.ordinal[s],
                );
                self.ordinal[s] += accepted_here;
            }
            accepted_all += accepted_here;
        }
        note_attempts(
            metrics,
            t,
            offered_all,
            accepted_all,
            accepted_all * bytes_each,
        );
    }

    fn enqueue(&mut self, due_s: u64, c: Cohort) {
        let slot = self
            .cohorts
            .entry(cohort_key(due_s, &c))
            .or_insert((0, c.first_try_ms));
        slot.0 += c.count;
        slot.1 = slot.1.min(c.first_try_ms);
    }

    /// Handles entries that failed in second `t`: schedules their retry, or gives up.
    /// Retries that fall due in the same second meet the same condition (the shard's
    /// budget for the second is spent; the network is still down) and fail again at
    /// once, each attempt counted.
    fn fail(
        &mut self,
        t: u64,
        mut c: Cohort,
        why: Failure,
        calls: u64,
        metrics: &mut Metrics,
        stats: &mut ProducerStats,
    ) {
        let t_ms = t * MS_PER_S + MS_PER_S / 2;
        loop {
            match why {
                Failure::Throttled => {
                    stats.throttled += c.count;
                    metrics.record(Metric::WriteProvisionedThroughputExceeded, t, c.count);
                    metrics.record(Metric::PutRecordsThrottledRecords, t, c.count);
                }
                Failure::NoAnswer => {
                    stats.timeouts += c.count.div_ceil(self.batch());
                }
            }
            let wait_ms = if why == Failure::NoAnswer {
                self.cfg.request_timeout_ms
            } else {
                0
            };
            let next = if why == Failure::NoAnswer && c.sdk_retries < self.cfg.max_retries {
                Some((
                    Cohort {
                        sdk_retries: c.sdk_retries + 1,
                        ..c
                    },
                    c.sdk_retries,
                ))
            } else if self.cfg.retry_failed_records && c.resends < self.cfg.resend_max_attempts {
                Some((
                    Cohort {
                        resends: c.resends + 1,
                        sdk_retries: 0,
                        ..c
                    },
                    c.resends,
                ))
            } else {
                None
            };
            let Some((retry, n)) = next else {
                stats.max_latency_ms = stats.max_latency_ms.max(t_ms + wait_ms - c.first_try_ms);
                if !c.dup {
                    stats.lost += c.count;
                    metrics.record(Metric::ProducerLostRecords, t, c.count);
                }
                return;
            };
            // Spread the entries over a few groups, each with its own jitter, as the
            // calls they came from would retry independently.
            let groups = c.count.min(calls.max(1)).min(RETRY_GROUPS_MAX);
            let mut same_second = 0;
            for g in 0..groups {
                let count = c.count / groups + u64::from(g < c.count % groups);
                let due_s =
                    (t_ms + wait_ms + backoff_ms(&self.cfg, &mut self.jitter, n)) / MS_PER_S;
                let group = Cohort { count, ..retry };
                if due_s <= t {
                    same_second += count;
                } else {
                    self.enqueue(due_s, group);
                }
            }
            if same_second == 0 {
                return;
            }
            if why == Failure::Throttled {
                metrics.record(Metric::PutRecordsTotalRecords, t, same_second);
            }
            c = Cohort {
                count: same_second,
                ..retry
            };
            if why == Failure::NoAnswer && !self.in_outage(t) {
                // Outside an outage only a lost answer fails this way, and its retry
                // goes through: in the next second, whose budget is not yet spent.
                self.enqueue(t + 1, c);
                return;
            }
        }
    }
}

fn in_outage(cfg: &ProducerConfig, t: u64) -> bool {
    cfg.outages
        .iter()
        .any(|o| o.at_s <= t && t < o.at_s + o.for_s)
}

/// Adds one second's PutRecords attempts to the metrics.
fn note_attempts(metrics: &mut Metrics, t: u64, offered: u64, accepted: u64, bytes: u64) {
    metrics.record(Metric::PutRecordsTotalRecords, t, offered);
    metrics.record(Metric::PutRecordsSuccessfulRecords, t, accepted);
    metrics.record(Metric::IncomingRecords, t, accepted);
    metrics.record(Metric::IncomingBytes, t, bytes);
}

/// One attempt at an explicit PutRecords call, for the entries still to write.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PutAttempt {
    pub call: usize,
    pub entries: Vec<usize>,
    pub sdk_retries: u32,
    pub resends: u32,
}

/// The explicit `puts` of a scenario: every record kept one by one.
#[derive(Debug)]
pub struct ExplicitPuts {
    calls: Vec<PutCall>,
    /// Decoded data per call and entry.
    data: Vec<Vec<Vec<u8>>>,
    cfg: ProducerConfig,
    jitter: SimRng,
    /// Entries waiting for a retry.
    pending: u64,
}

impl ExplicitPuts {
    /// `calls` must have passed validation (their data is valid base64).
    pub fn new(calls: &[PutCall], cfg: &ProducerConfig, seed: u64) -> Self {
        let data = calls
            .iter()
            .map(|c| {
                c.records
                    .iter()
                    .map(|r| decode_base64(&r.data).unwrap_or_default())
                    .collect()
            })
            .collect();
        ExplicitPuts {
            calls: calls.to_vec(),
            data,
            cfg: cfg.clone(),
            jitter: SimRng::child(seed, "puts.jitter"),
            pending: 0,
        }
    }

    /// The first attempt of every call, with the time it is made.
    pub fn first_attempts(&self) -> Vec<(SimTime, PutAttempt)> {
        self.calls
            .iter()
            .enumerate()
            .map(|(i, c)| {
                (
                    SimTime(c.at_ms),
                    PutAttempt {
                        call: i,
                        entries: (0..c.records.len()).collect(),
                        sdk_retries: 0,
                        resends: 0,
                    },
                )
            })
            .collect()
    }

    pub fn pending(&self) -> u64 {
        self.pending
    }

    /// Adds a call made while the simulation runs; returns its first attempt.
    /// `call` must be valid (its data base64).
    pub fn add(&mut self, call: PutCall) -> PutAttempt {
        let data = call
            .records
            .iter()
            .map(|r| decode_base64(&r.data).unwrap_or_default())
            .collect();
        let entries = (0..call.records.len()).collect();
        self.calls.push(call);
        self.data.push(data);
        PutAttempt {
            call: self.calls.len() - 1,
            entries,
            sdk_retries: 0,
            resends: 0,
        }
    }

    /// Makes one attempt at `now`; returns the follow-up attempt, if any, and when.
    pub fn attempt(
        &mut self,
        now: SimTime,
        a: &PutAttempt,
        stream: &mut Stream,
        metrics: &mut Metrics,
        stats: &mut ProducerStats,
    ) -> Option<(SimTime, PutAttempt)> {
        let n = a.entries.len() as u64;
        let first = a.sdk_retries == 0 && a.resends == 0;
        if first {
            stats.records_put += n;
        } else {
            self.pending -= n;
        }
        stats.calls += 1;
        let t = now.second();
        let started_ms = self.calls[a.call].at_ms;
        if in_outage(&self.cfg, t) {
            stats.timeouts += 1;
            let wait = self.cfg.request_timeout_ms;
            let next = if a.sdk_retries < self.cfg.max_retries {
                Some(PutAttempt {
                    sdk_retries: a.sdk_retries + 1,
                    ..a.clone()
                })
            } else if self.cfg.retry_failed_records && a.resends < self.cfg.resend_max_attempts {
                Some(PutAttempt {
                    resends: a.resends + 1,
                    sdk_retries: 0,
                    ..a.clone()
                })
            } else {
                None
            };
            return self.follow_up(now, wait, next, a, n, started_ms, metrics, stats);
        }
        if let Some(why) = self.refusal(a, stream) {
            stats.refused += n;
            stats.refusal = Some(why);
            return self.follow_up(now, 0, None, a, n, started_ms, metrics, stats);
        }
        let mut failed = Vec::new();
        let mut bytes = 0;
        for &e in &a.entries {
            let entry = &self.calls[a.call].records[e];
            let key = entry
                .explicit_hash_key
                .as_deref()
                .and_then(parse_hash_key)
                .unwrap_or_else(|| hash_key(&entry.partition_key));
            let shard = stream.shard_for_hash(key);
            let data = &self.data[a.call][e];
            if stream
                .offer_record(shard, now, &entry.partition_key, data, Some((a.call, e)))
                .is_some()
            {
                stats.written_distinct += 1;
                bytes += (data.len() + entry.partition_key.len()) as u64;
            } else {
                failed.push(e);
            }
        }
        let accepted = n - failed.len() as u64;
        note_attempts(metrics, t, n, accepted, bytes);
        if accepted > 0 {
            stats.max_latency_ms = stats.max_latency_ms.max(now.0 - started_ms);
        }
        if failed.is_empty() {
            return None;
        }
        let f = failed.len() as u64;
        stats.throttled += f;
        metrics.record(Metric::WriteProvisionedThroughputExceeded, t, f);
        metrics.record(Metric::PutRecordsThrottledRecords, t, f);
        let next = (self.cfg.retry_failed_records && a.resends < self.cfg.resend_max_attempts)
            .then(|| PutAttempt {
                call: a.call,
                entries: failed.clone(),
                sdk_retries: 0,
                resends: a.resends + 1,
            });
        let a = PutAttempt {
            entries: failed,
            ..a.clone()
        };
        self.follow_up(now, 0, next, &a, f, started_ms, metrics, stats)
    }

    /// Why AWS refuses attempt `a` whole as invalid, if it does: a record over the
    /// stream's MaxRecordSizeInKiB (data plus partition key), or a request over 10 MiB.
    fn refusal(&self, a: &PutAttempt, stream: &Stream) -> Option<String> {
        let sizes = a.entries.iter().map(|&e| {
            let key = self.calls[a.call].records[e].partition_key.len() as u64;
            (e, self.data[a.call][e].len() as u64 + key)
        });
        let mut total = 0;
        for (e, size) in sizes {
            if size > stream.max_record_bytes {
                return Some(format!(
                    "PutRecords call {} refused whole with InvalidArgumentException (HTTP 400, not retried): its record {e} is {size} bytes with its partition key, over the stream's MaxRecordSizeInKiB of {} ({} bytes); none of its {} records was written",
                    a.call,
                    stream.max_record_bytes / 1_024,
                    stream.max_record_bytes,
                    a.entries.len()
                ));
            }
            total += size;
        }
        (total > PUT_RECORDS_REQUEST_BYTES_MAX).then(|| {
            format!(
                "PutRecords call {} refused whole with InvalidArgumentException (HTTP 400, not retried): its {} records are {total} bytes with their partition keys, over AWS's {PUT_RECORDS_REQUEST_BYTES_MAX} bytes (10 MiB) per request; none was written",
                a.call,
                a.entries.len()
            )
        })
    }

    #[allow(clippy::too_many_arguments)]
    fn follow_up(
        &mut self,
        now: SimTime,
        wait_ms: u64,
        next: Option<PutAttempt>,
        failed: &PutAttempt,
        n: u64,
        started_ms: u64,
        metrics: &mut Metrics,
        stats: &mut ProducerStats,
    ) -> Option<(SimTime, PutAttempt)> {
        match next {
            Some(next) => {
                let retry_n = if next.sdk_retries > failed.sdk_retries {
                    failed.sdk_retries
                } else {
                    failed.resends
                };
                let delay = wait_ms + backoff_ms(&self.cfg, &mut self.jitter, retry_n);
                self.pending += next.entries.len() as u64;
                Some((SimTime(now.0 + delay), next))
            }
            None => {
                stats.lost += n;
                stats.max_latency_ms = stats.max_latency_ms.max(now.0 + wait_ms - started_ms);
                metrics.record(Metric::ProducerLostRecords, now.second(), n);
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::time::SimDuration;

    fn stream(shards: u32) -> Stream {
        Stream::new("s", shards, SimDuration::from_hours(24))
    }

    #[test]
    fn a_lane_residue_is_the_hash_modulo_its_base() {
        for h in [
            0u128,
            1,
            2_519,
            2_520,
            u128::MAX,
            u128::MAX - 2_520,
            1 << 64,
            (1 << 64) - 1,
        ]
        .into_iter()
        .chain((0..200u32).map(|k| hash_key(&format!("key-{k}"))))
        {
            assert_eq!(u128::from(lane_residue(h)), h % LANE_RESIDUE_MOD, "{h}");
        }
    }

    #[test]
    fn full_jitter_stays_within_the_exponential_bound() {
        let cfg = ProducerConfig::default();
        let mut rng = SimRng::child(1, "t");
        for n in 0..12 {
            let bound = (100u64 << n).min(20_000);
            for _ in 0..50 {
                assert!(backoff_ms(&cfg, &mut rng, n) <= bound);
            }
        }
        let none = ProducerConfig {
            backoff: Backoff::NoJitter,
            ..ProducerConfig::default()
        };
        assert_eq!(backoff_ms(&none, &mut rng, 3), 800);
        assert_eq!(backoff_ms(&none, &mut rng, 30), 20_000);
    }

    #[test]
    fn keys_spread_by_md5_and_the_sequence_follows_the_weights() {
        let st = stream(4);
        let plan = KeyPlan::new(10, 0.0, &st);
        let total: u128 = (0..4).map(|s| plan.shard_weight(s)).sum();
        assert_eq!(total, plan.total_weight());
        for s in 0..4 {
            for j in 0..40 {
                let k = plan.key_for(s, j);
                assert_eq!(
                    st.shard_for_hash(hash_key(&plan.key_name(k))),
                    s,
                    "key {k} is not on shard {s}"
                );
            }
        }
        assert_eq!(plan.key_name(7), "key-0007");
        assert_eq!(plan.key_bytes(), 8);
    }

    #[test]
    fn a_hot_key_takes_its_share_of_its_shard() {
        let st = stream(1);
        let plan = KeyPlan::new(100, 0.5, &st);
        let hot = (0..10_000).filter(|&j| plan.key_for(0, j) == 0).count();
        // Half of all records, plus an even share (1/100) of the other half.
        assert!((5_040..=5_060).contains(&hot), "{hot}");
    }
}
