//! The event queue: events ordered by `(time, sequence)`, first in first out on ties.

use std::collections::{BTreeMap, VecDeque};

use super::time::SimTime;

/// How many milliseconds ahead of the earliest event the ring holds: a mapping's
/// polls (1 s), invocations and the producer's seconds fall within it.
const RING_MS: u64 = 2_048;
const WORDS: usize = (RING_MS / 64) as usize;

/// A priority queue of events by time; events at the same time pop in push order.
///
/// Events are kept by time, each time with its events in push order: the order of
/// `(time, sequence)` without a sequence number. Times within [`RING_MS`] of the
/// earliest event (nearly every event on the steady path: an invocation's end, the
/// next poll, the next second) are slots of a ring, a slot a millisecond, found by
/// arithmetic and a bitmap of the slots in use; later times (a retry's backoff) wait
/// in a tree and move to the ring as time reaches them. A push or a pop on the
/// steady path is then a list's push or pop, with no search (issue 11).
///
/// A slot is a list threaded through one pool of nodes, not a queue of its own: a
/// node freed by a pop is the next push's, so the queue holds as much memory as it
/// ever held events at once. With a queue a slot, each slot kept the capacity of its
/// busiest millisecond, and as the moment when a thousand lanes' invocations end
/// together drifted round the ring, every slot grew to it in turn (160 MB, page
/// fault after page fault, at 1,000 shards).
#[derive(Debug)]
pub struct EventQueue<E> {
    /// The list of time `t` is `lists[t % RING_MS]`, for `t` in `[base, base + RING_MS)`.
    lists: Vec<List>,
    /// The nodes of every list, and the free ones.
    nodes: Vec<Node<E>>,
    /// The first free node, or [`NONE`]; free nodes are linked through `next`.
    free: u32,
    /// Bit `i % 64` of word `i / 64`: slot `i` holds events.
    occupied: [u64; WORDS],
    /// No event is earlier than this.
    base: SimTime,
    /// Events in the ring.
    in_ring: usize,
    /// Events at `base + RING_MS` or later.
    far: BTreeMap<SimTime, VecDeque<E>>,
}

/// No node.
const NONE: u32 = u32::MAX;

/// The first and last node of a slot's events, or [`NONE`] for both.
#[derive(Debug, Clone, Copy)]
struct List {
    head: u32,
    tail: u32,
}

const EMPTY: List = List {
    head: NONE,
    tail: NONE,
};

#[derive(Debug)]
struct Node<E> {
    /// `None` while the node is free.
    event: Option<E>,
    next: u32,
}

impl<E> Default for EventQueue<E> {
    fn default() -> Self {
        EventQueue {
            lists: vec![EMPTY; RING_MS as usize],
            nodes: Vec::new(),
            free: NONE,
            occupied: [0; WORDS],
            base: SimTime::ZERO,
            in_ring: 0,
            far: BTreeMap::new(),
        }
    }
}

fn slot(at: SimTime) -> usize {
    (at.0 % RING_MS) as usize
}

impl<E> EventQueue<E> {
    pub fn push(&mut self, at: SimTime, event: E) {
        if at < self.base {
            self.rebase(at);
        }
        if at.0 - self.base.0 < RING_MS {
            self.push_ring(slot(at), event);
        } else {
            self.far.entry(at).or_default().push_back(event);
        }
    }

    /// Appends `event` to slot `i`'s list, in a free node if there is one.
    fn push_ring(&mut self, i: usize, event: E) {
        let n = if self.free == NONE {
            let n = u32::try_from(self.nodes.len()).unwrap_or_else(|_| {
                unreachable!("more than 4 billion events at once: {}", self.nodes.len())
            });
            self.nodes.push(Node {
                event: Some(event),
                next: NONE,
            });
            n
        } else {
            let n = self.free;
            let node = &mut self.nodes[n as usize];
            self.free = node.next;
            node.event = Some(event);
            node.next = NONE;
            n
        };
        let list = &mut self.lists[i];
        if list.tail == NONE {
            list.head = n;
            self.occupied[i / 64] |= 1 << (i % 64);
        } else {
            self.nodes[list.tail as usize].next = n;
        }
        list.tail = n;
        self.in_ring += 1;
    }

    /// Takes the first event of slot `i`'s list, which holds one, and frees its node.
    fn pop_ring(&mut self, i: usize) -> Option<E> {
        let list = &mut self.lists[i];
        let n = list.head;
        let node = self.nodes.get_mut(n as usize)?;
        let event = node.event.take();
        list.head = node.next;
        node.next = self.free;
        self.free = n;
        if list.head == NONE {
            list.tail = NONE;
            self.occupied[i / 64] &= !(1 << (i % 64));
        }
        self.in_ring -= 1;
        event
    }

    /// Moves the base back to `at` (an event earlier than any kept): the ring's
    /// times that no longer fit go to the tree, where they keep their order.
    #[cold]
    fn rebase(&mut self, at: SimTime) {
        let old_end = self.base.0 + RING_MS;
        let new_end = at.0 + RING_MS;
        for t in new_end.max(self.base.0)..old_end {
            let i = slot(SimTime(t));
            if self.occupied[i / 64] & (1 << (i % 64)) != 0 {
                let mut q = VecDeque::new();
                while self.lists[i].head != NONE {
                    q.extend(self.pop_ring(i));
                }
                // No tree entry is earlier than the old ring's end.
                debug_assert!(!self.far.contains_key(&SimTime(t)));
                self.far.insert(SimTime(t), q);
            }
        }
        self.base = at;
    }

    /// The time of the earliest event in the ring, if any.
    fn ring_first(&self) -> Option<SimTime> {
        if self.in_ring == 0 {
            return None;
        }
        let start = slot(self.base);
        let (w0, b0) = (start / 64, start % 64);
        // The base's word from the base's bit, the other words in turn, then the
        // base's word before its bit.
        let mut found = None;
        let first = self.occupied[w0] & (u64::MAX << b0);
        if first != 0 {
            found = Some(w0 * 64 + first.trailing_zeros() as usize);
        } else {
            for k in 1..=WORDS {
                let w = (w0 + k) % WORDS;
                let bits = if w == w0 {
                    self.occupied[w] & !(u64::MAX << b0)
                } else {
                    self.occupied[w]
                };
                if bits != 0 {
                    found = Some(w * 64 + bits.trailing_zeros() as usize);
                    break;
                }
            }
        }
        let i = found? as u64;
        let ahead = (i + RING_MS - start as u64) % RING_MS;
        Some(SimTime(self.base.0 + ahead))
    }

    /// The time of the next event, if any.
    fn first_time(&self) -> Option<SimTime> {
        // The tree holds only times after the ring's.
        self.ring_first()
            .or_else(|| self.far.first_key_value().map(|(&at, _)| at))
    }

    /// The time of the next event, if any.
    #[cfg(test)]
    pub fn peek_time(&self) -> Option<SimTime> {
        self.first_time()
    }

    /// The next event, if it is due at or before `until`.
    pub fn pop_due(&mut self, until: SimTime) -> Option<(SimTime, E)> {
        let at = self.first_time()?;
        if at > until {
            return None;
        }
        if at != self.base {
            self.advance(at);
        }
        self.pop_ring(slot(at)).map(|e| (at, e))
    }

    /// Moves the base on to `at` (the earliest event) and brings the tree's times
    /// that now fit into the ring. Their slots are empty: they last held times
    /// before `at`, and no event is earlier than `at`.
    fn advance(&mut self, at: SimTime) {
        self.base = at;
        while let Some(first) = self.far.first_entry() {
            if first.key().0 - at.0 >= RING_MS {
                break;
            }
            let i = slot(*first.key());
            debug_assert!(self.lists[i].head == NONE);
            for event in first.remove() {
                self.push_ring(i, event);
            }
        }
    }

    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.in_ring + self.far.values().map(VecDeque::len).sum::<usize>()
    }

    /// The nodes the ring has allocated: the most events it held at once.
    #[cfg(test)]
    fn nodes(&self) -> usize {
        self.nodes.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pops_by_time_then_push_order() {
        let mut q = EventQueue::default();
        q.push(SimTime(5), "b");
        q.push(SimTime(1), "a");
        q.push(SimTime(5), "c");
        q.push(SimTime(9), "d");
        let mut out = vec![];
        while let Some((t, e)) = q.pop_due(SimTime(8)) {
            out.push((t.0, e));
        }
        assert_eq!(out, vec![(1, "a"), (5, "b"), (5, "c")]);
        assert_eq!(q.len(), 1);
        assert_eq!(q.peek_time(), Some(SimTime(9)));
    }

    /// A thousand events due at one moment, the moment drifting round the ring (a
    /// thousand lanes whose invocations end together, 50 ms later each time): the
    /// queue holds nodes for the most events it held at once, not for each slot's
    /// busiest moment in turn.
    #[test]
    fn memory_is_the_most_events_held_at_once() {
        let mut q = EventQueue::default();
        let mut now = 0;
        for round in 0..200u64 {
            for lane in 0..1_000u64 {
                q.push(SimTime(now + 50 + round % 7), lane);
            }
            let mut popped = 0;
            while let Some((t, lane)) = q.pop_due(SimTime(now + 60)) {
                assert_eq!((t.0, lane), (now + 50 + round % 7, popped));
                popped += 1;
            }
            assert_eq!(popped, 1_000);
            now += 57;
        }
        assert_eq!(q.len(), 0);
        assert_eq!(q.nodes(), 1_000);
    }

    /// Pops as a `(time, push sequence)` tree does, whatever the distances: within
    /// the ring, beyond it, across its wrap and pushed before the base.
    #[test]
    fn pops_as_a_tree_by_time_and_sequence_does() {
        let mut q = EventQueue::default();
        let mut reference: BTreeMap<(u64, u64), ()> = BTreeMap::new();
        let mut state = 12_345u64;
        let mut next = || {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            state >> 33
        };
        let (mut now, mut seq, mut popped) = (0u64, 0u64, 0);
        for _ in 0..5_000 {
            for _ in 0..(next() % 4) {
                let r = next();
                // Mostly near, some far, some now, at the ring's edge, or in the past.
                let at = match r % 10 {
                    0 => now + 60_000 + r % 5_000,
                    1 => now,
                    2 => now.saturating_sub(r % 3_000),
                    3 => now + RING_MS - 1 + r % 3,
                    _ => now + r % 1_200,
                };
                q.push(SimTime(at), seq);
                reference.insert((at, seq), ());
                seq += 1;
            }
            let until = now + next() % 700;
            loop {
                let want = reference
                    .first_key_value()
                    .map(|(&k, _)| k)
                    .filter(|&(t, _)| t <= until);
                let got = q.pop_due(SimTime(until)).map(|(t, e)| (t.0, e));
                assert_eq!(got, want);
                let Some(k) = want else { break };
                reference.remove(&k);
                popped += 1;
            }
            now = until;
        }
        assert!(popped > 5_000);
        assert_eq!(q.len(), reference.len());
    }
}
