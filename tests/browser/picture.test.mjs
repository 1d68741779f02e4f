// Browser tests of the stream picture (issue 4) and Follow a record (issue 5), in
// headless Chromium over the built site: with defaults plus a pill, batch brackets
// and the OnFailure destination's box are drawn, a bisected batch splits in two;
// clicking a record in a lane lists its path, ending in success; typing the pill's
// key follows the pill. The canvas says what it drew in data-* attributes
// (src/ui/paint.rs). Screenshots at 1280x800 (light) and 390x844 (dark). A shard's
// tube fills as time passes (issue 13), and records that expire unread pour out of
// its end into the lost bucket.
//
// Run from the repository root: node --test tests/browser/picture.test.mjs

import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import {
  addMapping,
  counterOf,
  desktop,
  pause,
  phone,
  play,
  replayed,
  screenshots,
  selectSpeed,
  setKnob,
  start,
  eventually,
} from "./helpers.mjs";

let env;
before(async () => {
  env = await start();
});
after(async () => {
  await env?.close();
});


/** The stream canvas's data-* summary, numbers as numbers. */
const drawn = (page) =>
  page.getByTestId("stream-canvas").evaluate((c) => {
    const d = { ...c.dataset };
    for (const k of Object.keys(d)) if (/^\d+$/.test(d[k])) d[k] = Number(d[k]);
    d.laneYs = (c.dataset.laneYs ?? "").split(",").filter(Boolean).map(Number);
    d.tubeXs = (c.dataset.tubeXs ?? "").split(",").map(Number);
    d.fillPx = (c.dataset.fillPx ?? "").split(",").filter(Boolean).map(Number);
    return d;
  });

/** Opens a controls group (closed on phones). */
async function openGroup(page, id) {
  const group = page.getByTestId(`group-${id}`);
  if ((await group.getAttribute("open")) === null) await group.locator("summary").click();
}

/** A mapping with AWS's defaults, bisect on and an SQS queue as its destination. */
async function bisectWithDestination(page) {
  await pause(page);
  await openGroup(page, "mapping");
  await addMapping(page);
  await openGroup(page, "mapping");
  await page.getByTestId("bisect-batch-on-function-error-input").selectOption("1");
  await page.getByTestId("on-failure-destination-input").selectOption("1");
}

/** Injects a pill and plays slowly until a bisected half is in flight, then pauses
 * there (a few tries: an invocation lasts 100 simulated ms). */
async function catchABisect(page) {
  await openGroup(page, "function");
  await page.getByTestId("inject-pill").click();
  await selectSpeed(page, "1×");
  for (let attempt = 0; attempt < 8; attempt++) {
    await play(page);
    await page.waitForFunction(
      () => {
        const d = document.querySelector('[data-testid="stream-canvas"]').dataset;
        return Number(d.halves) >= 2 && Number(d.batchesInFlight) >= 1;
      },
      null,
      { timeout: 60_000, polling: "raf" },
    );
    await pause(page);
    const d = await drawn(page);
    if (d.halves >= 2 && d.batchesInFlight >= 1) return d;
  }
  assert.fail("no moment with a bisected half in flight was caught");
}

test("a bisected batch splits in two, brackets and the destination box are drawn", { timeout: 180_000 }, async () => {
  await env.withPage(desktop, null, async (page) => {
    await bisectWithDestination(page);
    const d = await catchABisect(page);
    assert.equal(d.destination, "SQS queue stream-failures");
    assert.ok(d.batchesInFlight >= 1, `batches in flight: ${d.batchesInFlight}`);
    assert.ok(d.halves >= 2, `halves: ${d.halves}`);
    assert.equal(d.producerArrows, 4, "the producer's arrow into each of the four write heads");
    assert.equal(d.traced, "false");
    // The legend names every colour and pattern of the picture.
    const legend = await page.getByTestId("legend").textContent();
    for (const words of ["Waiting records", "Batch in flight", "Processed", "Poison pill", "Throttled put",
      "Other functions", "Lost (expired)", "OnFailure destination"]) {
      assert.ok(legend.includes(words), `the legend has ${words}: ${legend}`);
    }
    await page.getByTestId("stream-canvas").scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(screenshots, "picture-bisect-1280x800.png") });

    // MaximumRetryAttempts 0: the pill's half is given up and travels to the queue.
    await setKnob(page, "maximum-retry-attempts", 0);
    await play(page);
    await page.waitForFunction(
      () => Number(document.querySelector('[data-testid="stream-canvas"]').dataset.travelling) >= 1,
      null,
      { timeout: 60_000, polling: "raf" },
    );
    // Half way: a give-up travels for 3 simulated seconds at this speed.
    await page.waitForTimeout(1_200);
    await pause(page);
    await page.waitForFunction(
      () => Number(document.querySelector('[data-testid="stream-canvas"]').dataset.sent) >= 1,
      null,
      { timeout: 30_000 },
    );
    await eventually(async () => assert.ok((await counterOf(page, "on-failure")) >= 1, "the counter agrees: records sent to OnFailure"));
    await page.getByTestId("stream-canvas").scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(screenshots, "picture-give-up-1280x800.png") });
  });
});

test("a bisect on a phone, in dark mode", { timeout: 180_000 }, async () => {
  await env.withPage({ ...phone, colorScheme: "dark" }, null, async (page) => {
    await bisectWithDestination(page);
    const d = await catchABisect(page);
    assert.equal(d.destination, "SQS queue stream-failures");
    await page.getByTestId("stream-canvas").evaluate((e) => e.scrollIntoView({ block: "start" }));
    await page.evaluate(() => window.scrollBy(0, -100));
    await page.screenshot({ path: path.join(screenshots, "picture-bisect-phone-390x844-dark.png") });
  });
});

/** Runs defaults plus a pill for a simulated minute, then pauses. */
async function pillThenAMinute(page) {
  await pause(page);
  await openGroup(page, "function");
  await page.getByTestId("inject-pill").click();
  await page.waitForFunction(
    () => /^1 injected/.test(document.querySelector('[data-testid="pills-injected"]')?.textContent ?? ""),
    null,
    { timeout: 60_000 },
  );
  await selectSpeed(page, "60×");
  await play(page);
  await page.waitForFunction(() => document.querySelector('[data-blocked="true"]'), null, { timeout: 60_000 });
  await page.waitForTimeout(1_000);
  await pause(page);
}

test("click a record in a lane: its path is listed, ending in success", { timeout: 180_000 }, async () => {
  await env.withPage(desktop, "picture-traced-1280x800.png", async (page) => {
    await pillThenAMinute(page);
    const blocked = await page.evaluate(() =>
      Number(document.querySelector('[data-blocked="true"]').dataset.testid.replace("shard-row-", "")),
    );
    const d = await drawn(page);
    // The lowest lane that is not blocked, near the path listed under the picture.
    const lane = blocked === 3 ? 2 : 3;
    // Most of the way back along the lane's fill (a tube's length is time, and the
    // stream is minutes old): records the mapping has processed.
    const x = d.tubeXs[1] - d.fillPx[lane] * 0.7;
    await page.getByTestId("stream-canvas").click({ position: { x, y: d.laneYs[lane] } });
    const panel = page.getByTestId("trace-panel");
    await page.waitForFunction(
      () => document.querySelector('[data-testid="trace-panel"]').dataset.end === "succeeded",
      null,
      { timeout: 30_000 },
    );
    const steps = await page.getByTestId("trace-step").allTextContents();
    const expect = [/^Partition key "key-\d+"/, /MD5 of the key: hash key \d+/, new RegExp(`^Shard ${lane} \\(shardId-0+${lane}\\)`),
      /Written: record [\d,]+ of the shard/, /In a batch of [\d,]+ records? handed to consumer/, /Succeeded/];
    for (const re of expect) assert.ok(steps.some((s) => re.test(s)), `${re} among ${JSON.stringify(steps)}`);
    assert.match(steps.at(-1), /Succeeded/);
    await eventually(async () => assert.equal((await drawn(page)).traced, "true", "the followed record is ringed in its lane"));
    await eventually(async () => assert.equal(await panel.getAttribute("data-end"), "succeeded"));
    await page.evaluate(() => window.scrollTo(0, 0));
  });
});

test("type the pill's key on a phone: it is ringed and still retrying", { timeout: 180_000 }, async () => {
  await env.withPage({ ...phone, colorScheme: "dark" }, "picture-traced-pill-phone-390x844-dark.png", async (page) => {
    await pillThenAMinute(page);
    await page.getByTestId("trace-key").fill("pill-1");
    await page.getByTestId("trace-follow").click();
    await page.waitForFunction(
      () => document.querySelector('[data-testid="trace-panel"]').dataset.end === "pending",
      null,
      { timeout: 30_000 },
    );
    const steps = await page.getByTestId("trace-step").allTextContents();
    assert.match(steps[0], /^Partition key "pill-1" \(a poison pill/);
    assert.ok(steps.some((s) => /The invocation failed \(error\)/.test(s)), JSON.stringify(steps));
    assert.ok(steps.some((s) => /Retry \d+ in/.test(s)), JSON.stringify(steps));
    await eventually(async () => assert.equal((await drawn(page)).traced, "true"));
    // A key with no record says so.
    await page.getByTestId("trace-key").fill("no-such-key");
    await page.getByTestId("trace-follow").click();
    await page.getByTestId("trace-error").waitFor({ timeout: 10_000 });
    await eventually(async () => assert.match(await page.getByTestId("trace-error").textContent(), /no record with partition key "no-such-key"/));
    await page.getByTestId("trace-key").fill("pill-1");
    await page.getByTestId("trace-follow").click();
    await page.waitForFunction(() => !document.querySelector('[data-testid="trace-error"]'));
    // On phones the path is listed with the log, under the charts.
    await page.getByTestId("trace-panel").evaluate((e) => e.scrollIntoView({ block: "start" }));
    await page.evaluate(() => window.scrollBy(0, -110));
  });
});

test("a hot key's throttled puts bounce back from the write head", { timeout: 120_000 }, async () => {
  await env.withPage(desktop, "picture-throttled-1280x800.png", async (page) => {
    await pause(page);
    await page.getByTestId("scenario").selectOption({ index: 1 });
    await eventually(async () => assert.match(await page.getByTestId("scenario").locator("option:checked").textContent(), /hot partition key/));
    await selectSpeed(page, "1×");
    await play(page);
    await page.waitForFunction(
      () => Number(document.querySelector('[data-testid="stream-canvas"]').dataset.bounces) >= 1,
      null,
      { timeout: 60_000 },
    );
    await page.waitForTimeout(400);
    await pause(page);
    const d = await drawn(page);
    assert.ok(d.bounces >= 1 && d.bounces < d.laneYs.length, `only the hot shard throttles: ${d.bounces}`);
    assert.ok(d.producerArrows >= 1);
    await page.evaluate(() => window.scrollTo(0, 0));
  });
});

test("with reduced motion a batch in flight is a bracket that does not lift", { timeout: 120_000 }, async () => {
  await env.withPage({ ...desktop, reducedMotion: "reduce" }, null, async (page) => {
    // With reduced motion the page starts paused.
    await eventually(async () => assert.equal(await page.getByTestId("play").getAttribute("aria-pressed"), "false"));
    await bisectWithDestination(page);
    await openGroup(page, "function");
    await page.getByTestId("inject-pill").click();
    // Run to the first blocked shard: the failed batch has been split, a half waits,
    // and the other shards' batches are being invoked.
    await page.getByTestId("seek").click();
    await page.getByTestId("notice").waitFor({ timeout: 60_000 });
    await eventually(async () => assert.match(await page.getByTestId("notice").textContent(), /blocked/));
    const d = await drawn(page);
    assert.ok(d.batchesInFlight >= 1 && d.halves >= 1, JSON.stringify(d));
    assert.equal(d.lifted, 0, "nothing lifts with reduced motion");
    assert.equal(d.travelling, 0);
  });
});

test("a shard's tube fills from the write head as time passes", { timeout: 120_000 }, async () => {
  await env.withPage(desktop, null, async (page) => {
    await page.goto(`${env.url}?v=1&s=steady&t=60`);
    await page.getByTestId("clock").waitFor();
    await replayed(page);
    await pause(page);
    const early = (await drawn(page)).fillPx;
    assert.equal(early.length, 4, `four lanes: ${early}`);
    const width = (await drawn(page)).tubeXs;
    const tube = width[1] - width[0];
    for (const f of early) assert.ok(f > 0 && f < tube / 2, `a minute fills a little of the tube: ${f} of ${tube}`);
    await page.goto(`${env.url}?v=1&s=steady&t=3000`);
    await page.getByTestId("clock").waitFor();
    await replayed(page);
    await pause(page);
    await eventually(async () => {
      const later = (await drawn(page)).fillPx;
      for (const [i, f] of later.entries()) assert.ok(f > early[i] * 1.5, `lane ${i} grows: ${early[i]} → ${f} px`);
    });
    const text = Number(await page.getByTestId("stream-canvas").getAttribute("data-text-px"));
    assert.ok(text >= 14, `canvas text at least 14 px on a desktop page: ${text}`);
    // The charts' text too.
    const charts = page.locator('[data-testid^="chart-"] canvas, canvas[data-testid^="chart-"]');
    await eventually(async () => {
      const sizes = await charts.evaluateAll((cs) => cs.map((c) => Number(c.dataset.textPx ?? 0)));
      assert.ok(sizes.length >= 2 && sizes.every((t) => t >= 14), `chart text at least 14 px: ${sizes}`);
    });
  });
});

test("records reaching the trim horizon unread pour into the lost bucket", { timeout: 180_000 }, async () => {
  await env.withPage(desktop, "picture-sink-overflowing-1280x800.png", async (page) => {
    await page.goto(`${env.url}?v=1&s=overflowing-sink&t=99000`);
    await page.getByTestId("clock").waitFor();
    await replayed(page);
    await pause(page);
    const d = await eventually(async () => {
      const d = await drawn(page);
      assert.ok(d.pouring > 0, `records pour out of the tube's end: ${d.pouring}/s`);
      return d;
    });
    assert.ok(d.pouring <= 1_000, `at the rate they were written a day ago, not more: ${d.pouring}/s`);
    const tube = d.tubeXs[1] - d.tubeXs[0];
    assert.ok(d.fillPx[0] >= tube - 2, `a day's records fill the tube: ${d.fillPx[0]} of ${tube}`);
    await page.getByTestId("stream-canvas").scrollIntoViewIfNeeded();
  });
});

test("records ride the tube: one by one at a low rate, flow marks over a full one", { timeout: 120_000 }, async () => {
  await env.withPage(desktop, null, async (page) => {
    // Two records a second into one shard: the newest stands apart as a bead as it
    // arrives (for a moment, before the next one closes up behind it).
    await page.goto(`${env.url}?v=1&s=steady&shards=1&rate=2&t=600`);
    await page.getByTestId("clock").waitFor();
    await replayed(page);
    await selectSpeed(page, "1×");
    await play(page);
    await page.waitForFunction(
      () => Number(document.querySelector('[data-testid="stream-canvas"]').dataset.beads) >= 1,
      null,
      { timeout: 60_000, polling: "raf" },
    );
    await pause(page);
  });
  await env.withPage(desktop, "picture-flow-marks-1280x800.png", async (page) => {
    // Four shards near their write limit: the flow marks ride every lane's fill.
    await page.goto(`${env.url}?v=1&s=steady&t=600`);
    await page.getByTestId("clock").waitFor();
    await replayed(page);
    await selectSpeed(page, "1×");
    await play(page);
    await eventually(async () => {
      const d = await drawn(page);
      assert.ok(d.flowMarks >= 4, `flow marks ride the fill: ${d.flowMarks}`);
    });
    await pause(page);
    await page.getByTestId("stream-canvas").scrollIntoViewIfNeeded();
  });
  await env.withPage({ ...desktop, reducedMotion: "reduce" }, null, async (page) => {
    await page.goto(`${env.url}?v=1&s=steady&t=600`);
    await page.getByTestId("clock").waitFor();
    await replayed(page);
    await eventually(async () => assert.ok((await drawn(page)).fillPx.length === 4));
    assert.equal((await drawn(page)).flowMarks, 0, "no flow marks with reduced motion");
  });
});
