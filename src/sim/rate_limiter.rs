//! The write limits: each shard's, and an on-demand stream's own.
//!
//! A shard takes 1,000 records per second or 1 MiB per second, whichever binds first,
//! partition key bytes included (AWS's quotas page; `aws-semantics.md` section 1).
//! Enforced per whole second of simulated time, so that a one-second spike is
//! throttled even when the minute's average is far below the limit. AWS does not
//! document its limiter's exact window; a calendar second is the simplification the
//! playground makes.
//!
//! Records over 1 MiB (allowed once a stream's MaxRecordSizeInKiB is raised, up to
//! 10 MiB) do not fit any one second's 1 MiB. AWS's large-records page: a stream
//! "accommodates large records by temporarily bursting beyond its sustained write
//! throughput", up to 10 MiB while averaging 1 MiB/s, and the burst capacity is
//! "continuously replenished"; while it refills, smaller records are throttled too.
//! The playground models that as a bucket of 10 MiB per shard, refilled at 1 MiB/s,
//! that every accepted byte draws from: records of at most 1 MiB are held to the
//! second's 1 MiB as before (and never empty the bucket on their own), a large record
//! needs only room in the bucket. AWS does not publish the bucket's exact size or
//! refill; those two figures are the simplification.
//!
//! An on-demand stream (`OnDemandCapacity`) also has a stream-wide limit, see there.

use std::collections::VecDeque;

/// AWS's per-shard write limit in records.
pub const WRITE_RECORDS_PER_S_MAX: u64 = 1_000;
/// AWS's per-shard write limit in bytes (1 MiB).
pub const WRITE_BYTES_PER_S_MAX: u64 = 1_048_576;
/// A shard's burst allowance for large records: 10 MiB (AWS's large-records page).
pub const WRITE_BURST_BYTES_MAX: u64 = 10 * 1_048_576;

/// What one shard has accepted in the current second, and what it owes its burst
/// bucket.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct WriteLimiter {
    second: u64,
    records: u64,
    bytes: u64,
    /// Bytes drawn from the 10 MiB bucket and not yet refilled (0: the bucket is full).
    burst_used: u64,
}

impl WriteLimiter {
    fn roll(&mut self, second: u64) {
        if second != self.second {
            debug_assert!(second > self.second, "the write limiter went back in time");
            let refill = (second - self.second).saturating_mul(WRITE_BYTES_PER_S_MAX);
            *self = WriteLimiter {
                second,
                records: 0,
                bytes: 0,
                burst_used: self.burst_used.saturating_sub(refill),
            };
        }
    }

    /// How many of `count` records of `bytes_each` the shard would accept in
    /// `second`, after what it has already taken.
    fn room(&self, second: u64, count: u64, bytes_each: u64) -> u64 {
        let mut l = *self;
        l.roll(second);
        let by_records = WRITE_RECORDS_PER_S_MAX - l.records;
        let by_burst = (WRITE_BURST_BYTES_MAX - l.burst_used)
            .checked_div(bytes_each)
            .unwrap_or(u64::MAX);
        let by_second = if bytes_each <= WRITE_BYTES_PER_S_MAX {
            WRITE_BYTES_PER_S_MAX
                .saturating_sub(l.bytes)
                .checked_div(bytes_each)
                .unwrap_or(u64::MAX)
        } else {
            u64::MAX // a large record: only the bucket limits it
        };
        count.min(by_records).min(by_second).min(by_burst)
    }

    /// Offers `count` records of `bytes_each` (data plus partition key) in `second`;
    /// returns how many are accepted, in order. The rest are throttled.
    pub fn admit(&mut self, second: u64, count: u64, bytes_each: u64) -> u64 {
        let accepted = self.room(second, count, bytes_each);
        self.roll(second);
        self.records += accepted;
        self.bytes += accepted * bytes_each;
        self.burst_used += accepted * bytes_each;
        debug_assert!(
            self.records <= WRITE_RECORDS_PER_S_MAX && self.burst_used <= WRITE_BURST_BYTES_MAX
        );
        accepted
    }

    /// How many of `count` records of `bytes_each` would be accepted in `second`.
    pub fn would_admit(&self, second: u64, count: u64, bytes_each: u64) -> u64 {
        self.room(second, count, bytes_each)
    }
}

/// An on-demand stream's write capacity at the start, in thousandths of a "shard of
/// write" (1 MiB/s or 1,000 records/s): 4 MiB/s or 4,000 records/s. AWS's quotas page:
/// "new data streams created with the on-demand capacity mode have 4 MB/s of write".
pub const ON_DEMAND_START_MILLI: u64 = 4_000;
/// The most an on-demand stream scales to: 10 GB/s of write in us-east-1, us-west-2
/// and eu-west-1 (AWS's quotas page), taken as 10,240 MiB/s.
pub const ON_DEMAND_MAX_MILLI: u64 = 10_240_000;
/// How long a new peak takes to count: AWS's capacity-mode page says write throttling
/// "can occur if your traffic increases to more than double the previous peak within a
/// 15-minute duration".
pub const ON_DEMAND_PEAK_DELAY_S: u64 = 15 * 60;

/// The stream-wide write limit of an on-demand stream.
///
/// AWS's capacity-mode page ("Choose the data stream capacity mode", On-demand mode):
/// a stream "accommodates up to double the peak write throughput observed in the
/// previous 30 days"; as the throughput reaches a new peak, the capacity follows, but
/// "write throttling can occur if your traffic increases to more than double the
/// previous peak within a 15-minute duration". So here:
///
/// - capacity = max(4 MiB/s, 2 x peak), at most 10 GB/s, in MiB/s and records/s
///   alike (1 MiB/s is worth 1,000 records/s, as for a shard);
/// - the peak is the highest one-minute average the stream accepted, each minute
///   counting from 15 minutes after it ended; `previous_peak_write_mib_per_s` gives
///   the 30 days before the run. The run is shorter than 30 days in practice, so
///   peaks never age out (a simplification).
///
/// Each shard's own limit still applies beneath it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OnDemandCapacity {
    /// The peak that counts now, in thousandths of a MiB/s.
    peak_milli: u64,
    /// Minutes not yet counted: (minute, records, bytes) accepted in it.
    recent: VecDeque<(u64, u64, u64)>,
    second: u64,
    records: u64,
    bytes: u64,
}

impl OnDemandCapacity {
    /// A stream whose peak before the run was `previous_peak_mib_per_s`.
    pub fn new(previous_peak_mib_per_s: f64) -> Self {
        let peak = (previous_peak_mib_per_s.max(0.0) * 1_000.0).round() as u64;
        OnDemandCapacity {
            peak_milli: peak.min(ON_DEMAND_MAX_MILLI),
            recent: VecDeque::new(),
            second: 0,
            records: 0,
            bytes: 0,
        }
    }

    fn roll(&mut self, second: u64) {
        if second == self.second {
            return;
        }
        debug_assert!(
            second > self.second,
            "the stream's limiter went back in time"
        );
        let minute = self.second / 60;
        match self.recent.back_mut() {
            Some(m) if m.0 == minute => {
                m.1 += self.records;
                m.2 += self.bytes;
            }
            _ => self.recent.push_back((minute, self.records, self.bytes)),
        }
        // A minute counts from 15 minutes after its end.
        while let Some(&(m, records, bytes)) = self.recent.front() {
            if (m + 1) * 60 + ON_DEMAND_PEAK_DELAY_S > second {
                break;
            }
            self.recent.pop_front();
            let by_records = records / 60;
            let by_bytes =
                (u128::from(bytes) * 1_000 / (60 * u128::from(WRITE_BYTES_PER_S_MAX))) as u64;
            self.peak_milli = self.peak_milli.max(by_records.max(by_bytes));
        }
        self.second = second;
        self.records = 0;
        self.bytes = 0;
    }

    /// The capacity in `second`, in thousandths of a MiB/s (= records/s).
    pub fn capacity_milli(&mut self, second: u64) -> u64 {
        self.roll(second);
        self.capacity_now()
    }

    /// The capacity as of the last second that wrote to the stream.
    pub fn capacity_now(&self) -> u64 {
        self.peak_milli
            .saturating_mul(2)
            .clamp(ON_DEMAND_START_MILLI, ON_DEMAND_MAX_MILLI)
    }

    /// The peak that counts, in thousandths of a MiB/s.
    pub fn peak_milli(&self) -> u64 {
        self.peak_milli
    }

    /// How many records of `bytes_each` the stream can still take in `second`. A
    /// record over 1 MiB is held to its shard's burst bucket only.
    pub fn room(&mut self, second: u64, bytes_each: u64) -> u64 {
        let cap = self.capacity_milli(second);
        let by_records = cap.saturating_sub(self.records);
        if bytes_each > WRITE_BYTES_PER_S_MAX {
            return by_records;
        }
        let cap_bytes = (u128::from(cap) * u128::from(WRITE_BYTES_PER_S_MAX) / 1_000) as u64;
        let by_bytes = cap_bytes
            .saturating_sub(self.bytes)
            .checked_div(bytes_each)
            .unwrap_or(u64::MAX);
        by_records.min(by_bytes)
    }

    /// Counts what the stream accepted in `second`.
    pub fn take(&mut self, second: u64, count: u64, bytes_each: u64) {
        self.roll(second);
        self.records += count;
        self.bytes += count * bytes_each;
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

    /// AWS's large-records page: a stream bursts to 10 MiB for large records, and the
    /// burst capacity refills; while it does, smaller records are throttled.
    #[test]
    fn a_large_record_draws_on_the_burst_and_the_bucket_refills_at_1_mib_a_second() {
        const MIB: u64 = 1_048_576;
        let mut l = WriteLimiter::default();
        assert_eq!(l.admit(0, 1, 5 * MIB), 1, "5 MiB fits the 10 MiB burst");
        assert_eq!(
            l.admit(0, 1, 5 * MIB),
            1,
            "and another: the bucket is empty"
        );
        assert_eq!(l.admit(0, 1, 1), 0, "nothing more this second");
        assert_eq!(
            l.admit(1, 1, 2 * MIB),
            0,
            "1 MiB refilled: 2 MiB does not fit"
        );
        assert_eq!(
            l.admit(1, 1_000, 1_000),
            1_000,
            "small records take the refilled MiB"
        );
        assert_eq!(l.admit(2, 2, MIB), 1, "the refill of one second is one MiB");
        // Ten quiet seconds fill the bucket again.
        assert_eq!(l.admit(12, 1, 10 * MIB), 1);
    }

    #[test]
    fn small_records_never_empty_the_bucket() {
        let mut l = WriteLimiter::default();
        for t in 0..100 {
            assert_eq!(l.admit(t, 2_000, 1_048), 1_000, "second {t}");
        }
        assert_eq!(l.admit(100, 1, WRITE_BURST_BYTES_MAX), 1);
    }

    /// AWS's capacity-mode page: an on-demand stream takes up to double its previous
    /// peak; traffic that more than doubles it within 15 minutes is throttled; a new
    /// stream starts at 4 MB/s (quotas page).
    #[test]
    fn on_demand_capacity_is_double_the_peak_that_counts_after_15_minutes() {
        let mut c = OnDemandCapacity::new(0.0);
        assert_eq!(
            c.capacity_milli(0),
            ON_DEMAND_START_MILLI,
            "a new stream: 4,000 records/s"
        );
        assert_eq!(c.room(0, 100), 4_000);
        let mut c = OnDemandCapacity::new(5.0);
        assert_eq!(c.capacity_milli(0), 10_000, "double a 5 MiB/s peak");
        // Minute 0 takes 9,000 records/s (within the 10,000): a new peak.
        for t in 0..60 {
            assert_eq!(c.room(t, 100), 10_000);
            c.take(t, 9_000, 100);
        }
        // It counts 15 minutes after the minute ended, at 00:16:00, not before.
        assert_eq!(c.capacity_milli(60 + 899), 10_000);
        assert_eq!(c.capacity_milli(60 + 900), 18_000);
        assert_eq!(c.peak_milli(), 9_000);
    }
}

/// AWS's per-shard limit on GetRecords calls, shared by every standard consumer.
pub const READ_CALLS_PER_S_MAX: u32 = 5;
/// AWS's per-shard read limit in bytes (2 MiB), shared by standard consumers; each
/// enhanced fan-out consumer has its own.
pub const READ_BYTES_PER_S_MAX: u64 = 2 * 1_048_576;
/// The most one GetRecords call returns: 10 MiB (Kinesis API, GetRecords: "each call
/// can return up to 10 MiB"; aws-semantics.md section 1).
pub const GET_RECORDS_BYTES_MAX: u64 = 10 * 1_048_576;

/// What one shard has served to readers: the calls of the current second, and the
/// bytes not yet paid for by the 2 MiB a second.
///
/// Standard consumers (GetRecords, Kinesis API): a shard allows 5 calls a second and
/// 2 MiB a second; one call returns up to 10,000 records and 10 MiB; "if a call
/// returns 10 MiB of data, subsequent calls made within the next 5 seconds throw
/// ProvisionedThroughputExceededException", and when throughput is insufficient
/// calls in the next 1 s throw it. Modelled as a read budget of 2 MiB a second: a
/// call is refused while the budget is spent, and otherwise may take up to 10 MiB,
/// overdrawing it; each second repays 2 MiB of the debt. So a call that returns
/// 10 MiB is followed by 5 seconds of refusals (the one it ran in and 4 more), one
/// that returns 2 MiB by the rest of its second. AWS does not say how it counts
/// the seconds; whole seconds of simulated time are the playground's choice, as for
/// writes.
///
/// An enhanced fan-out consumer is pushed records at up to 2 MiB a second per shard
/// (SubscribeToShard), without calls: it never overdraws.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ReadLimiter {
    second: u64,
    calls: u32,
    /// Bytes counted against `second` and after: over 2 MiB, a debt.
    bytes: u64,
}

impl ReadLimiter {
    fn roll(&mut self, second: u64) {
        if second != self.second {
            let repaid = second
                .saturating_sub(self.second)
                .saturating_mul(READ_BYTES_PER_S_MAX);
            *self = ReadLimiter {
                second,
                calls: 0,
                bytes: self.bytes.saturating_sub(repaid),
            };
        }
    }

    /// Starts a read in `second`: the bytes it may return, or None when the call is
    /// refused with ProvisionedThroughputExceededException. `calls_max` is None for
    /// an enhanced fan-out consumer, which is pushed records without calls and held
    /// to the second's 2 MiB; a GetRecords call may return up to 10 MiB.
    pub fn begin(&mut self, second: u64, calls_max: Option<u32>) -> Option<u64> {
        self.roll(second);
        if calls_max.is_some_and(|max| self.calls >= max) || self.bytes >= READ_BYTES_PER_S_MAX {
            return None;
        }
        self.calls += 1;
        Some(match calls_max {
            Some(_) => GET_RECORDS_BYTES_MAX,
            None => READ_BYTES_PER_S_MAX - self.bytes,
        })
    }

    /// Counts the bytes a read returned.
    pub fn served(&mut self, bytes: u64) {
        self.bytes += bytes;
    }
}

#[cfg(test)]
mod read_tests {
    use super::*;

    const MIB: u64 = 1_048_576;
    const CALLS: Option<u32> = Some(READ_CALLS_PER_S_MAX);

    #[test]
    fn five_calls_a_second_then_refused() {
        let mut l = ReadLimiter::default();
        for _ in 0..5 {
            assert_eq!(l.begin(0, CALLS), Some(GET_RECORDS_BYTES_MAX));
        }
        assert_eq!(l.begin(0, CALLS), None);
        assert!(l.begin(1, CALLS).is_some());
    }

    /// Kinesis API, GetRecords: one call returns up to 10 MiB; "if a call returns
    /// 10 MiB of data, subsequent calls made within the next 5 seconds throw
    /// ProvisionedThroughputExceededException" (aws-semantics.md section 1).
    #[test]
    fn a_call_of_10_mib_is_followed_by_5_seconds_of_refusals() {
        let mut l = ReadLimiter::default();
        assert_eq!(l.begin(10, CALLS), Some(10 * MIB));
        l.served(10 * MIB);
        for second in 10..15 {
            assert_eq!(l.begin(second, CALLS), None, "second {second}");
        }
        assert_eq!(l.begin(15, CALLS), Some(10 * MIB), "5 s later");
    }

    /// "When throughput is insufficient, calls in the next 1 s throw it": 2 MiB
    /// spends the second; a call that overdraws what is left is still served.
    #[test]
    fn two_mib_spend_the_second_and_less_leaves_room_for_a_call_that_overdraws() {
        let mut l = ReadLimiter::default();
        assert!(l.begin(0, CALLS).is_some());
        l.served(2 * MIB);
        assert_eq!(l.begin(0, CALLS), None);
        assert!(l.begin(1, CALLS).is_some(), "the next second reads again");
        l.served(MIB);
        assert_eq!(l.begin(1, CALLS), Some(10 * MIB), "1 MiB left: a call");
        l.served(3 * MIB);
        // 4 MiB counted in second 1: second 2 still owes 2 MiB; second 3 is clear.
        assert_eq!(l.begin(2, CALLS), None);
        assert!(l.begin(3, CALLS).is_some());
    }

    /// SubscribeToShard: an enhanced fan-out consumer is pushed up to 2 MiB a second
    /// per shard; it is never given more than the second has left.
    #[test]
    fn enhanced_fan_out_gets_two_mib_a_second_and_never_overdraws() {
        let mut l = ReadLimiter::default();
        assert!(l.begin(0, None).is_some());
        l.served(READ_BYTES_PER_S_MAX - 10);
        assert_eq!(l.begin(0, None), Some(10));
        l.served(10);
        assert_eq!(l.begin(0, None), None);
        assert_eq!(l.begin(1, None), Some(READ_BYTES_PER_S_MAX));
    }
}
