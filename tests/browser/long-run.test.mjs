// A long run in the browser build (issue 7): a simulated week at a realistic load
// (4 shards at 3,000 records/s, a mapping with a batching window, a poison pill every
// 10 minutes that is retried, bisected and sent to an SQS destination), run through the
// wasm build a day at a time (the exported LongRun of src/main.rs), sampling the
// WebAssembly memory and the JS heap after each simulated day.
//
// The simulation's state is bounded by the stream's retention (24 h) and by the
// metrics window, not by elapsed time: once the first day has filled the retention
// window, memory must stay flat. The test fails if any later day's WebAssembly memory
// exceeds day 1's by more than MEMORY_GROWTH_MAX, or the JS heap grows by more than
// JS_HEAP_GROWTH_MAX, and prints one line for the summary:
// "long run: 7 simulated days, wasm memory day1 X MiB, day7 Y MiB, wall Z s".
//
// Run from the repository root: node --test tests/browser/long-run.test.mjs

import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { start } from "./helpers.mjs";

const DAY_S = 86_400;
const DAYS = 7;
const RECORDS_PER_S = 3_000;
const PILL_EVERY_S = 600;
/** WebAssembly memory may exceed day 1's by this fraction (allocator slack), or 2 MiB. */
const MEMORY_GROWTH_MAX = 0.1;
const MEMORY_SLACK_BYTES = 2 * 1024 * 1024;
/** The JS heap may grow by this much over the week. */
const JS_HEAP_GROWTH_MAX = 4 * 1024 * 1024;

const WEEK = {
  format: 1,
  title: "A simulated week at a realistic load",
  seed: 11,
  duration_s: DAYS * DAY_S,
  stream: { StreamName: "orders", ShardCount: 4, RetentionPeriodHours: 24 },
  producer: { records_per_s: RECORDS_PER_S, record_bytes: 500, partition_keys: 10_000 },
  // A poison pill every 10 minutes, all week: each is retried, bisected and sent to
  // the destination, and written in the journal.
  puts: Array.from({ length: (DAYS * DAY_S) / PILL_EVERY_S }, (_, i) => ({
    at_ms: (i * PILL_EVERY_S + 300) * 1000,
    Records: [{ PartitionKey: `order-${i}`, Data: "eyJvcmRlciI6IjQ3MTEiLCJ0b3RhbCI6cG9pc29ufQ==" }],
  })),
  functions: [
    {
      FunctionName: "process-orders",
      Timeout: 30,
      duration_ms: 40,
      duration_per_record_ms: 0.2,
      poison: { data_contains: "poison" },
      on_poison: "throw",
    },
  ],
  event_source_mappings: [
    {
      FunctionName: "process-orders",
      BatchSize: 500,
      MaximumBatchingWindowInSeconds: 1,
      StartingPosition: "TRIM_HORIZON",
      MaximumRetryAttempts: 2,
      BisectBatchOnFunctionError: true,
      DestinationConfig: { OnFailure: { Destination: "arn:aws:sqs:us-east-1:123456789012:orders-dlq" } },
    },
  ],
};

let env;
before(async () => {
  env = await start();
});
after(async () => {
  await env?.close();
});

const mib = (b) => (b / (1024 * 1024)).toFixed(1);

test("a simulated week in the browser build keeps its memory flat", { timeout: 170_000 }, async () => {
  // Reduced motion: the page does not autoplay its own scenario meanwhile.
  await env.withPage({ viewport: { width: 1280, height: 800 }, reducedMotion: "reduce" }, null, async (page) => {
    const cdp = await page.context().newCDPSession(page);
    await cdp.send("Performance.enable");
    const jsHeap = async () => {
      await cdp.send("HeapProfiler.collectGarbage");
      const { metrics } = await cdp.send("Performance.getMetrics");
      return metrics.find((m) => m.name === "JSHeapUsedSize").value;
    };
    await page.waitForFunction(() => typeof window.wasmBindings?.LongRun === "function", null, { timeout: 30_000 });
    const before = await page.evaluate((json) => {
      window.longRun = new window.wasmBindings.LongRun(json);
      return window.wasmBindings.wasm_memory_bytes();
    }, JSON.stringify(WEEK));

    const days = [];
    const started = Date.now();
    for (let day = 1; day <= DAYS; day++) {
      const t0 = Date.now();
      const sample = await page.evaluate((until) => {
        const reached = window.longRun.run_until_s(until);
        return {
          reached,
          written: window.longRun.records_written(),
          invocations: window.longRun.invocations(),
          wasm: window.wasmBindings.wasm_memory_bytes(),
          journalHeld: window.longRun.journal_entries(),
          journalWritten: window.longRun.journal_written(),
        };
      }, day * DAY_S);
      sample.wall = (Date.now() - t0) / 1000;
      sample.js = await jsHeap();
      days.push(sample);
      console.log(
        `long run day ${day}: ${sample.reached} sim s, ${sample.written.toExponential(3)} records, ` +
          `${sample.invocations} invocations, journal ${sample.journalHeld} held of ${sample.journalWritten} written, ` +
          `wasm ${mib(sample.wasm)} MiB, JS heap ${mib(sample.js)} MiB, ${sample.wall.toFixed(1)} s`,
      );
    }
    const wall = (Date.now() - started) / 1000;
    await page.evaluate(() => window.longRun.free());

    const [first, last] = [days[0], days[DAYS - 1]];
    console.log(
      `long run: ${DAYS} simulated days (4 shards at ${RECORDS_PER_S.toLocaleString("en-US")} records/s, a mapping, a poison pill every ${PILL_EVERY_S / 60} min), ` +
        `${last.written.toExponential(2)} records, ${last.invocations.toLocaleString("en-US")} invocations; ` +
        `wasm memory before ${mib(before)} MiB, day1 ${mib(first.wasm)} MiB, day${DAYS} ${mib(last.wasm)} MiB; ` +
        `JS heap day1 ${mib(first.js)} MiB, day${DAYS} ${mib(last.js)} MiB; wall ${wall.toFixed(1)} s`,
    );

    // It ran the week: every second's records were written and the mapping invoked.
    assert.equal(last.reached, DAYS * DAY_S);
    const expected = RECORDS_PER_S * DAYS * DAY_S;
    assert.ok(Math.abs(last.written - expected) <= expected * 0.001, `${last.written} records written, expected about ${expected}`);
    assert.ok(last.invocations > DAYS * DAY_S, `${last.invocations} invocations`);

    // The pills made trouble all week, and the journal kept only its latest entries.
    assert.ok(last.journalWritten >= (DAYS * DAY_S) / PILL_EVERY_S, `${last.journalWritten} journal entries written`);
    assert.ok(last.journalHeld <= first.journalHeld, `journal held ${first.journalHeld} on day 1, ${last.journalHeld} on day ${DAYS}`);

    // Flat: no day after the first holds more than day 1 plus a small slack.
    const limit = Math.max(first.wasm * (1 + MEMORY_GROWTH_MAX), first.wasm + MEMORY_SLACK_BYTES);
    for (const [i, d] of days.entries()) {
      assert.ok(d.wasm <= limit, `day ${i + 1}: wasm memory ${mib(d.wasm)} MiB, over day 1's ${mib(first.wasm)} MiB + slack`);
      assert.ok(d.js <= first.js + JS_HEAP_GROWTH_MAX, `day ${i + 1}: JS heap ${mib(d.js)} MiB, day 1 ${mib(first.js)} MiB`);
    }
  });
});
