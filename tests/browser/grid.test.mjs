// Browser test of the account's concurrency grid (issue 13, item 4): in the
// concurrency-budget scenario, two minutes in, the stream's function holds every slot
// and the other functions' 50 requests find none: the grid is full in the function's
// colour and its edge marks the throttled requests, with text of at least 14 px.
// Screenshots of the grid at 1280 and 390 px.
//
// Run from the repository root: node --test tests/browser/grid.test.mjs

import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { desktop, eventually, pause, phone, play, replayed, screenshots, start } from "./helpers.mjs";

let env;
before(async () => {
  env = await start();
});
after(async () => {
  await env?.close();
});

const grid = (page) => page.getByTestId("concurrency-canvas");
const data = (page, name) => grid(page).getAttribute(`data-${name}`);

for (const [size, options, name] of [
  ["1280", desktop, "grid-concurrency-budget-1280.png"],
  ["390", phone, "grid-concurrency-budget-390.png"],
]) {
  test(`the grid fills and marks the other functions' throttles (${size} px)`, { timeout: 120_000 }, async () => {
    await env.withPage(options, null, async (page) => {
      await page.goto(`${env.url}?v=1&s=concurrency-budget&t=120`);
      await page.getByTestId("clock").waitFor({ timeout: 30_000 });
      await replayed(page);
      await eventually(async () => assert.equal(await page.getByTestId("clock").textContent(), "00:02:00.000"), {
        timeout: 60_000,
      });
      // 1,000 slots, (nearly) all the stream's function's; checkout wants 50 and
      // finds (nearly) none.
      await eventually(async () => assert.ok(Number(await data(page, "stream-slots")) >= 990));
      const held = Number(await data(page, "stream-slots")) + Number(await data(page, "other-slots"));
      assert.ok(held >= 999, `held: ${held}`);
      const waiting = Number(await data(page, "other-waiting"));
      assert.ok(waiting >= 40, `waiting: ${waiting}`);
      // Cells of ten: a mark at the edge for every ten throttled requests.
      assert.equal(await data(page, "per-cell"), "10");
      assert.equal(Number(await data(page, "other-marks")), Math.ceil(waiting / 10));
      assert.ok(Number(await data(page, "text-px")) >= 14);
      const box = await grid(page).boundingBox();
      assert.ok(box.width <= Number(options.viewport.width), JSON.stringify(box));
      await grid(page).scrollIntoViewIfNeeded();
      await grid(page).screenshot({ path: path.join(screenshots, name) });
    });
  });
}

test("before checkout starts, nothing is marked", { timeout: 120_000 }, async () => {
  await env.withPage(desktop, null, async (page) => {
    await page.goto(`${env.url}?v=1&s=concurrency-budget&t=30`);
    await replayed(page);
    await eventually(async () => assert.equal(await page.getByTestId("clock").textContent(), "00:00:30.000"), {
      timeout: 60_000,
    });
    await eventually(async () => assert.equal(await data(page, "other-waiting"), "0"));
    assert.equal(await data(page, "other-marks"), "0");
  });
});

// Issue 13, item 3: a batch handed to the function arrives at a cell of the grid and
// ends there, done before the poison pill and failed after it. At 1x a batch takes
// 1.5 s to land and shows its ending for 1.5 s more.
test("batches arrive at the grid and end there: done before the pill, failed after", { timeout: 180_000 }, async () => {
  await env.withPage(desktop, null, async (page) => {
    await page.goto(`${env.url}?v=1&s=poison-pill&t=30&speed=1`);
    await replayed(page);
    await eventually(async () => assert.equal(await page.getByTestId("clock").textContent(), "00:00:30.000"), {
      timeout: 60_000,
    });
    await play(page);
    await eventually(async () => assert.ok(Number(await data(page, "ended-ok")) >= 1), { timeout: 60_000 });
    await eventually(async () => assert.ok(Number(await data(page, "arriving")) >= 1), { timeout: 60_000 });
    assert.equal(await data(page, "ended-failed"), "0");
    await pause(page);
    // Past the pill (a minute in), every retry of its batch fails.
    await page.goto(`${env.url}?v=1&s=poison-pill&t=70&speed=1`);
    await replayed(page);
    await eventually(async () => assert.equal(await page.getByTestId("clock").textContent(), "00:01:10.000"), {
      timeout: 60_000,
    });
    await play(page);
    await eventually(async () => assert.ok(Number(await data(page, "ended-failed")) >= 1), { timeout: 90_000 });
    assert.equal(await data(page, "ended-ok"), "0");
    await grid(page).scrollIntoViewIfNeeded();
    await grid(page).screenshot({ path: path.join(screenshots, "grid-batch-failed-1280.png") });
  });
});
