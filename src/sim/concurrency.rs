//! Lambda concurrency: the Region's account limit shared by every function, reserved
//! concurrency, and the account's other functions competing for what is left.
//!
//! A function with reserved concurrency may run at most that many instances and is
//! always able to; every other function shares the unreserved rest. The account's
//! other functions want `other_functions_concurrency` instances from
//! `other_functions_from_s` on; each second they keep what they hold and take what
//! is free of the unreserved pool, and whatever they cannot get is throttled. A
//! mapping whose instances already hold the whole pool starves them: its lanes invoke
//! again the moment a batch ends, so a slot it holds is never free.
//!
//! AWS also limits how fast a function scales (1,000 new instances per 10 s); the
//! playground does not model that.

/// A function's slot in the pool.
#[derive(Clone, Debug, PartialEq, Eq)]
struct FunctionSlot {
    reserved: Option<u32>,
    running: u32,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Concurrency {
    limit: u32,
    functions: Vec<FunctionSlot>,
    other_demand: u32,
    other_running: u32,
}

impl Concurrency {
    /// `reserved[i]` is function `i`'s ReservedConcurrentExecutions.
    pub fn new(limit: u32, reserved: &[Option<u32>], other_demand: u32) -> Self {
        let functions = reserved
            .iter()
            .map(|&r| FunctionSlot {
                reserved: r,
                running: 0,
            })
            .collect();
        Concurrency {
            limit,
            functions,
            other_demand,
            other_running: 0,
        }
    }

    fn reserved_total(&self) -> u32 {
        self.functions.iter().filter_map(|f| f.reserved).sum()
    }

    /// Instances the unreserved pool may hold.
    pub fn unreserved_limit(&self) -> u32 {
        self.limit.saturating_sub(self.reserved_total())
    }

    fn unreserved_running(&self) -> u32 {
        self.functions
            .iter()
            .filter(|f| f.reserved.is_none())
            .map(|f| f.running)
            .sum::<u32>()
            + self.other_running
    }

    /// Starts an instance of function `f` if the account allows it.
    pub fn try_acquire(&mut self, f: usize) -> bool {
        let ok = match self.functions[f].reserved {
            Some(r) => self.functions[f].running < r,
            None => self.unreserved_running() < self.unreserved_limit(),
        };
        if ok {
            self.functions[f].running += 1;
        }
        ok
    }

    pub fn release(&mut self, f: usize) {
        assert!(
            self.functions[f].running > 0,
            "released an instance of function {f} that was not running"
        );
        self.functions[f].running -= 1;
    }

    /// Instances of function `f` running now.
    pub fn running(&self, f: usize) -> u32 {
        self.functions[f].running
    }

    /// The account's other functions ask for their instances: they keep those they
    /// hold (their invocations follow one another without a gap) and take free ones
    /// up to what they want. Returns how many of their requests were throttled.
    pub fn settle_others(&mut self) -> u32 {
        self.other_running = self.other_running.min(self.other_demand);
        let free = self
            .unreserved_limit()
            .saturating_sub(self.unreserved_running());
        self.other_running += (self.other_demand - self.other_running).min(free);
        self.other_demand - self.other_running
    }

    pub fn other_running(&self) -> u32 {
        self.other_running
    }

    pub fn set_limit(&mut self, limit: u32) {
        self.limit = limit;
    }

    pub fn set_other_demand(&mut self, demand: u32) {
        self.other_demand = demand;
    }

    pub fn set_reserved(&mut self, f: usize, reserved: Option<u32>) {
        self.functions[f].reserved = reserved;
    }

    pub fn limit(&self) -> u32 {
        self.limit
    }

    /// Checks that no pool holds more than it may; for tests.
    pub fn check_invariants(&self) {
        for (i, f) in self.functions.iter().enumerate() {
            if let Some(r) = f.reserved {
                assert!(
                    f.running <= r,
                    "function {i} runs {} instances with {r} reserved",
                    f.running
                );
            }
        }
        let total: u32 = self.functions.iter().map(|f| f.running).sum::<u32>() + self.other_running;
        assert!(
            total <= self.limit,
            "{total} instances run under an account limit of {}",
            self.limit
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mapping_that_takes_everything_starves_the_other_functions() {
        let mut c = Concurrency::new(1_000, &[None], 50);
        for _ in 0..1_000 {
            assert!(c.try_acquire(0));
        }
        assert!(!c.try_acquire(0), "the account limit is 1,000");
        assert_eq!(
            c.settle_others(),
            50,
            "all 50 requests of the other functions are throttled"
        );
        c.release(0);
        assert_eq!(c.settle_others(), 49);
        assert!(
            !c.try_acquire(0),
            "the other functions keep the slot they took"
        );
        c.check_invariants();
    }

    #[test]
    fn reserved_concurrency_caps_one_function_and_protects_the_rest() {
        let mut c = Concurrency::new(1_000, &[Some(800)], 150);
        while c.try_acquire(0) {}
        assert_eq!(c.running(0), 800);
        assert_eq!(c.settle_others(), 0, "150 fit in the 200 left unreserved");
        assert_eq!(c.other_running(), 150);
        c.check_invariants();
    }
}
