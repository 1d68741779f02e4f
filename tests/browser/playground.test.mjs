// Browser tests of the playground's stories (issue 4), in headless Chromium over the
// built site: a poison pill blocks its shard and the iterator age climbs; concurrency
// demand past the account's limit throttles; a slider changes the simulation and a
// refused value shows the core's message; and the keyboard reaches and toggles play.
// The work per animation frame is measured by frame-bench.test.mjs.
//
// Run from the repository root: node --test tests/browser/

import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import {
  addMapping,
  clockOf,
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


/** Opens a controls group (closed on phones). */
async function openGroup(page, id) {
  const group = page.getByTestId(`group-${id}`);
  if ((await group.getAttribute("open")) === null) await group.locator("summary").click();
}

/** Rows of the shard table whose data-blocked is "true", by index. */
const blockedRows = (page) =>
  page.evaluate(() =>
    [...document.querySelectorAll('[data-testid^="shard-row-"]')]
      .filter((r) => r.dataset.blocked === "true")
      .map((r) => Number(r.dataset.testid.replace("shard-row-", ""))),
  );

async function pillBlocksItsShard(page) {
  await pause(page);
  await openGroup(page, "function");
  // The steady scenario has no mapping: the pill adds one with AWS's defaults.
  await page.getByTestId("inject-pill").click();
  await replayed(page);
  await page.waitForFunction(
    () => /^1 injected/.test(document.querySelector('[data-testid="pills-injected"]')?.textContent ?? ""),
    null,
    { timeout: 30_000 },
  );
  await eventually(async () => assert.deepEqual(await blockedRows(page), [], "nothing is blocked before the pill is read"));
  await selectSpeed(page, "60×");
  await play(page);
  await page.waitForFunction(
    () => document.querySelector('[data-blocked="true"]'),
    null,
    { timeout: 30_000 },
  );
  const blocked = await blockedRows(page);
  assert.equal(blocked.length, 1, `one shard blocked: ${blocked}`);

  // The iterator age climbs: minute by minute the retried batch is older.
  const ages = [];
  for (const over of [60, 180]) {
    // The figure is read where it was seen: a new minute's first value can be a
    // healthy shard's, until the blocked one's retry reports.
    const seen = await page.waitForFunction(
      (over) => {
        const age = Number(document.querySelector('[data-testid="chart-iterator-age-per-minute"]').dataset.latest);
        return age > over ? age : false;
      },
      over,
      { timeout: 40_000 },
    );
    ages.push(await seen.jsonValue());
  }
  assert.ok(ages[1] > ages[0], `iterator age went from ${ages[0]} s to ${ages[1]} s`);
  await pause(page);

  // The log names the milestone; choosing it highlights the blocked shard's row.
  const entry = page.getByTestId("log-entry").filter({ hasText: "first blocked shard" }).first();
  await entry.waitFor({ timeout: 10_000 });
  await eventually(async () => assert.equal(Number(await entry.getAttribute("data-shard")), blocked[0]));
  await entry.getByRole("button").click();
  await eventually(async () => assert.equal(await page.getByTestId(`shard-row-${blocked[0]}`).getAttribute("data-highlighted"), "true"));
  await eventually(async () => assert.match(await page.getByTestId("narration").textContent(), /at \d/));
  await page.evaluate(() => window.scrollTo(0, 0));
  return blocked[0];
}

test("(a) a poison pill blocks its shard and the iterator age climbs", { timeout: 180_000 }, async () => {
  await env.withPage(desktop, "poison-pill-1280x800.png", async (page) => {
    await pillBlocksItsShard(page);
    // Pills at a rate: the page injects one every 10 simulated seconds.
    await page.getByTestId("pill-rate").selectOption("10");
    await play(page);
    await page.waitForFunction(
      () => Number(/^(\d+)/.exec(document.querySelector('[data-testid="pills-injected"]').textContent)[1]) >= 3,
      null,
      { timeout: 30_000 },
    );
    await page.getByTestId("pill-rate").selectOption("0");
    await pause(page);
    await page.evaluate(() => window.scrollTo(0, 0));
  });
});

test("(a) on a phone too, in dark mode", { timeout: 180_000 }, async () => {
  await env.withPage({ ...phone, colorScheme: "dark" }, "poison-pill-phone-390x844-dark.png", async (page) => {
    const shard = await pillBlocksItsShard(page);
    assert.ok(shard >= 0);
  });
});

test("(b) other functions' demand past the account limit throttles", { timeout: 180_000 }, async () => {
  await env.withPage(desktop, "throttles-1280x800.png", async (page) => {
    await pause(page);
    await addMapping(page);
    await setKnob(page, "account-concurrent-executions", 10);
    await setKnob(page, "other-functions-concurrency", 100);
    await eventually(async () => assert.equal(await page.getByTestId("account-concurrent-executions-error").count(), 0));
    await play(page);
    await page.waitForFunction(
      () =>
        Number(document.querySelector('[data-testid="counter-throttles"]').dataset.value) +
          Number(document.querySelector('[data-testid="counter-other-throttles"]').dataset.value) >
        0,
      null,
      { timeout: 30_000 },
    );
    const throttles = (await counterOf(page, "throttles")) + (await counterOf(page, "other-throttles"));
    assert.ok(throttles > 0, `throttles: ${throttles}`);
    await page
      .getByTestId("log-entry")
      .filter({ hasText: /throttl/i })
      .first()
      .waitFor({ timeout: 20_000 });
    await pause(page);
    await page.evaluate(() => window.scrollTo(0, 0));
    // The same state in the dark theme, chosen with the toggle (system, light, dark).
    const theme = page.getByTestId("theme");
    await theme.click();
    await theme.click();
    await eventually(async () => assert.equal((await theme.textContent()).trim(), "Theme: dark"));
    await eventually(async () => assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), "dark"));
    await page.screenshot({ path: path.join(screenshots, "throttles-dark-1280x800.png") });
  });
});

test("(c) a slider changes the simulation; a refused value shows the core's message", { timeout: 180_000 }, async () => {
  await env.withPage(desktop, null, async (page) => {
    await pause(page);
    // 100 records/s into four shards: the table's incoming column sums to 100.
    await setKnob(page, "records-per-s", 100);
    await eventually(async () => assert.match(await page.getByTestId("records-per-s-value").textContent(), /^100 records\/s/));
    await selectSpeed(page, "10×");
    await play(page);
    const t0 = await clockOf(page);
    await page.waitForFunction((t0) => {
      const m = /(\d+):(\d\d):(\d\d)\.(\d\d\d)$/.exec(document.querySelector('[data-testid="clock"]').textContent);
      return m && ((+m[1] * 60 + +m[2]) * 60 + +m[3]) * 1000 + +m[4] > t0 + 5000;
    }, t0, { timeout: 20_000 });
    await pause(page);
    const incoming = await page.evaluate(() =>
      [...document.querySelectorAll('[data-testid^="shard-row-"] td:nth-of-type(2)')]
        .map((td) => Number(td.textContent.replace(/,/g, "")))
        .reduce((a, b) => a + b, 0),
    );
    // Each shard carries its own fraction of a record from second to second, so one
    // second's total may differ from the rate by fewer records than there are shards.
    assert.ok(Math.abs(incoming - 100) <= 3, `the shards take in about 100 records/s together: ${incoming}`);

    // The slider itself, by keyboard: one step right raises the rate.
    const slider = page.getByTestId("records-per-s-slider");
    await slider.focus();
    await page.keyboard.press("ArrowRight");
    await page.waitForFunction(
      () => !/^100 records/.test(document.querySelector('[data-testid="records-per-s-value"]').textContent),
    );

    // MaximumRecordAgeInSeconds of 30: AWS rejects 0 to 59, and so does the core.
    await addMapping(page);
    await setKnob(page, "maximum-record-age-in-seconds", 30);
    const error = page.getByTestId("maximum-record-age-in-seconds-error");
    await error.waitFor({ timeout: 10_000 });
    await eventually(async () => assert.match(await error.textContent(), /MaximumRecordAgeInSeconds: 30 is out of range: allowed -1 \(no limit\) or 60 to 604800/));
    await eventually(async () => assert.match(await page.getByTestId("maximum-record-age-in-seconds-value").textContent(), /no limit/));
    await error.scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(screenshots, "refused-value-1280x800.png") });
    // A value that is fine clears the message.
    await setKnob(page, "maximum-record-age-in-seconds", 3600);
    await eventually(async () => assert.equal(await error.count(), 0));
  });
});

test("keyboard: Tab reaches the play button and Space toggles it", { timeout: 60_000 }, async () => {
  await env.withPage(desktop, null, async (page) => {
    await pause(page);
    // From the top of the page, as a keyboard reader arrives.
    await page.getByTestId("title").click();
    let reached = false;
    for (let i = 0; i < 12 && !reached; i++) {
      await page.keyboard.press("Tab");
      reached = await page.evaluate(() => document.activeElement?.dataset?.testid === "play");
    }
    assert.ok(reached, "Tab reaches the play button");
    await page.keyboard.press("Space");
    await eventually(async () => assert.equal(await page.getByTestId("play").getAttribute("aria-pressed"), "true"));
    await page.keyboard.press("Space");
    await eventually(async () => assert.equal(await page.getByTestId("play").getAttribute("aria-pressed"), "false"));
    // A visible focus ring.
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
    assert.notEqual(outline, "none");

    // Shortcuts outside form fields: K plays and pauses, "." steps one second.
    await page.getByTestId("title").click();
    await page.keyboard.press("k");
    await eventually(async () => assert.equal(await page.getByTestId("play").getAttribute("aria-pressed"), "true"));
    await page.keyboard.press("k");
    await eventually(async () => assert.equal(await page.getByTestId("play").getAttribute("aria-pressed"), "false"));
    const t = await clockOf(page);
    await page.keyboard.press(".");
    await eventually(async () => assert.equal(await clockOf(page), t + 1000));
  });
});

test("run to the next interesting event stops at a milestone and names it", { timeout: 120_000 }, async () => {
  await env.withPage(desktop, "next-event-1280x800.png", async (page) => {
    await pause(page);
    await page.getByTestId("scenario").selectOption({ index: 1 });
    await eventually(async () => assert.match(await page.getByTestId("scenario").locator("option:checked").textContent(), /hot partition key/));
    await pause(page);
    await page.getByTestId("seek").click();
    const notice = page.getByTestId("notice");
    await notice.waitFor({ timeout: 60_000 });
    await eventually(async () => assert.match(await notice.textContent(), /^(Stopped: .+ at \d|Nothing new went wrong)/));
    await eventually(async () => assert.equal(await page.getByTestId("play").getAttribute("aria-pressed"), "false"));
    const t = await clockOf(page);
    await page.getByTestId("step").click();
    await eventually(async () => assert.equal(await clockOf(page), Math.min(t + 1000, 3_600_000), "a step is one simulated second"));
  });
});
