// Benchmark, not a timed test: the work of each animation frame while the page plays,
// printed for the summary (scripts/test.sh) and never compared with a time. A frame
// moves the simulation until its wall-clock budget is spent and paints; the page's own
// figures (`frame-work`: simulation, snapshot and pictures, median and 95th
// percentile, and split into the simulation, the snapshot, the DOM, the pictures and
// the charts) and the frame rate the browser kept (requestAnimationFrame callbacks
// counted in the page) are printed for 4, 64, 512 and 4,096 shards with one mapping,
// at 10,000x and 100,000x, and while a lesson plays at its own pace.
//
// What it asserts is only that frames were measured at all: the figures depend on the
// machine and on what else runs on it.
//
// Run from the repository root: node --test tests/browser/frame-bench.test.mjs

import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import {
  addMapping,
  chooseScenario,
  desktop,
  eventually,
  pause,
  play,
  screenshots,
  selectSpeed,
  setKnob,
  start,
} from "./helpers.mjs";

let env;
before(async () => {
  env = await start();
});
after(async () => {
  await env?.close();
});

/** Frames the page's figures must cover before they are read. */
const FRAMES = 120;

/** Animation frames the browser ran in `ms` of wall time, counted in the page. */
const framesPerSecond = (page, ms) =>
  page.evaluate(
    (ms) =>
      new Promise((resolve) => {
        let frames = 0;
        const t0 = performance.now();
        const tick = (t) => {
          frames += 1;
          if (t - t0 < ms) requestAnimationFrame(tick);
          else resolve((frames * 1000) / (t - t0));
        };
        requestAnimationFrame(tick);
      }),
    ms,
  );

/** The page's frame-work figures once they cover FRAMES frames. */
async function frameWork(page, timeout = 120_000) {
  const work = page.getByTestId("frame-work");
  await page.waitForFunction(
    (n) => Number(document.querySelector('[data-testid="frame-work"]')?.dataset.frames) >= n,
    FRAMES,
    { timeout },
  );
  return {
    median: Number(await work.getAttribute("data-median")),
    p95: Number(await work.getAttribute("data-p95")),
    frames: Number(await work.getAttribute("data-frames")),
    split: (await work.getAttribute("data-split")) ?? "",
  };
}

const line = (what, w, fps) =>
  `# bench: frame work ${what}: median ${w.median.toFixed(1)} ms, 95th percentile ${w.p95.toFixed(1)} ms ` +
  `over the last ${w.frames} frames; ${fps.toFixed(0)} frames per second\n` +
  `# bench:   split (median/95th percentile ms): ${w.split}`;

test("benchmark: frame work while fast-forwarding 4, 64, 512 and 4,096 shards", { timeout: 900_000 }, async () => {
  await env.withPage(desktop, "fast-forward-4096-shards-1280x800.png", async (page) => {
    await pause(page);
    await addMapping(page);
    // A year, so that no speed reaches the end while it is measured.
    await setKnob(page, "duration-s", 31_622_400);
    for (const shards of [4, 64, 512, 4096]) {
      await pause(page);
      await page.getByTestId("restart").click();
      await setKnob(page, "shard-count", shards);
      await eventually(async () =>
        assert.equal((await page.getByTestId("shard-count-value").textContent()).replace(/,/g, ""), `${shards} shards`),
      );
      for (const speed of ["10,000×", "100,000×"]) {
        await pause(page);
        // A new speed starts new figures.
        await selectSpeed(page, speed);
        await play(page);
        const fps = await framesPerSecond(page, 2_000);
        const w = await frameWork(page);
        assert.ok(w.frames >= FRAMES, `${w.frames} frames measured`);
        console.log(line(`at ${speed} with ${shards} shards and one mapping`, w, fps));
      }
    }
    await pause(page);
    await page.evaluate(() => window.scrollTo(0, 0));
  });
});

test("benchmark: frame work while a lesson plays", { timeout: 300_000 }, async () => {
  await env.withPage(desktop, null, async (page) => {
    await chooseScenario(page, "One poison pill blocks a shard");
    await page.getByTestId("lesson-start").click();
    await page.waitForSelector('[data-testid="lesson"][data-stage="running"], [data-testid="lesson"][data-stage="step"]', {
      timeout: 60_000,
    });
    const fps = await framesPerSecond(page, 2_000);
    const w = await frameWork(page, 20_000).catch(() => null);
    if (w) console.log(line("while the poison-pill lesson plays to its first step", w, fps));
    else console.log(`# bench: the poison-pill lesson reached its first step before ${FRAMES} frames; ${fps.toFixed(0)} frames per second`);
    await page.screenshot({ path: path.join(screenshots, "lesson-playing-1280x800.png") });
  });
});
