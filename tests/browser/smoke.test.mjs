// Browser tests of the built site (dist/, from `trunk build --release`) in headless
// Chromium: it loads without a console or page error, the simulated clock advances,
// records get written, and screenshots are saved for people to look at. One test
// also times the heavy scenario in the browser build and prints the figure.
//
// Run from the repository root: node --test tests/browser/
// CHROMIUM=/path/to/chromium overrides the browser (default /usr/bin/chromium).

import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { clockMs, start, eventually } from "./helpers.mjs";

let env;
before(async () => {
  env = await start();
});
after(async () => {
  await env?.close();
});
const withPage = (...args) => env.withPage(...args);
const open = (...args) => env.open(...args);

const writtenOf = async (page) =>
  Number(await page.getByTestId("counter-records-written").getAttribute("data-value"));

test("the playground loads, runs the steady scenario and writes records", { timeout: 120_000 }, async () => {
  await withPage({ viewport: { width: 1280, height: 800 } }, "desktop-1280x800.png", async (page) => {
    await eventually(async () => assert.equal(await page.title(), "Kinesis Playground"));
    await eventually(async () => assert.equal((await page.getByTestId("title").textContent()).trim(), "Kinesis Playground"));
    await eventually(async () => assert.equal((await page.getByTestId("seed").textContent()).trim(), "7"));
    const scenario = page.getByTestId("scenario");
    await eventually(async () => assert.match(await scenario.locator("option:checked").textContent(), /Steady load on four shards/));
    await eventually(async () => assert.equal(await page.getByTestId("scenario-error").count(), 0, "the built-in scenario parses"));

    // The copied scenario files are part of the site.
    const steady = await page.evaluate(async () => (await fetch("scenarios/steady.json")).status);
    assert.equal(steady, 200, "scenarios/steady.json is served next to the page");

    const play = page.getByTestId("play");
    if ((await play.textContent()).trim() === "Play") await play.click();
    await eventually(async () => assert.equal((await play.textContent()).trim(), "Pause"));

    const clock = page.getByTestId("clock");
    const t0 = clockMs(await clock.textContent());
    const w0 = await writtenOf(page);
    await page.waitForFunction(
      (t0) => {
        const m = /(\d+):(\d\d):(\d\d)\.(\d\d\d)$/.exec(document.querySelector('[data-testid="clock"]').textContent);
        return m && ((+m[1] * 60 + +m[2]) * 60 + +m[3]) * 1000 + +m[4] > t0 + 1000;
      },
      t0,
      { timeout: 15_000 },
    );
    await eventually(async () => assert.ok(clockMs(await clock.textContent()) > t0, "the simulated clock advances"));

    // The producer offers 2,500 records/s into four shards: records get written.
    await page.waitForFunction(
      (w0) => Number(document.querySelector('[data-testid="counter-records-written"]').dataset.value) > w0,
      w0,
      { timeout: 60_000 },
    );
    const w1 = await writtenOf(page);

    // A faster speed, then pause: the clock stands still.
    await page.getByTestId("speed").selectOption({ label: "600×" });
    await page.waitForTimeout(500);
    await play.click();
    await eventually(async () => assert.equal(await play.getAttribute("aria-pressed"), "false"));
    await eventually(async () => assert.equal((await play.textContent()).trim(), "Play"));
    const paused = await clock.textContent();
    await page.waitForTimeout(300);
    await eventually(async () => assert.equal(await clock.textContent(), paused, "the clock stands still while paused"));
    await eventually(async () => assert.equal((await page.getByTestId("status").textContent()).trim(), "Paused"));

    assert.ok(w1 > w0, `records written went from ${w0} to ${w1}: it should increase while the simulation runs`);
  });
});

test("on a phone in dark mode with reduced motion, it starts paused and plays on request", { timeout: 120_000 }, async () => {
  const phone = {
    viewport: { width: 390, height: 844 },
    colorScheme: "dark",
    reducedMotion: "reduce",
    isMobile: true,
    hasTouch: true,
  };
  await withPage(phone, "phone-390x844-dark.png", async (page) => {
    const play = page.getByTestId("play");
    await eventually(async () => assert.equal((await play.textContent()).trim(), "Play", "reduced motion: nothing moves until asked"));
    await eventually(async () => assert.equal(clockMs(await page.getByTestId("clock").textContent()), 0));
    await play.tap();
    await page.waitForFunction(
      () => !/^00:00:00\.000$/.test(document.querySelector('[data-testid="clock"]').textContent.trim()),
      null,
      { timeout: 15_000 },
    );
    await page.waitForTimeout(1_500);
    await play.tap();
    await eventually(async () => assert.equal((await play.textContent()).trim(), "Play"));
  });
});

test("benchmark: the heavy scenario runs in the browser build", { timeout: 300_000 }, async () => {
  const { context, page, problems } = await open({ viewport: { width: 800, height: 600 } });
  try {
    // Run as the page runs it, 10 simulated seconds a call: V8 moves a WebAssembly
    // function to its optimising tier only between calls, and the page's frames call
    // the core again and again. Then in one call, with the code already optimised by
    // the first run. (A first run in one call stays in the baseline tier throughout:
    // three quarters to four fifths of these figures, a case the page never meets.)
    const result = await page.evaluate(async () => {
      const scenario = await (await fetch("scenarios/heavy-100-shards-pf10.json")).json();
      const json = JSON.stringify(scenario);
      const sliced = window.wasmBindings.bench_scenario(json, 10);
      const whole = window.wasmBindings.bench_scenario(json, 0);
      return { sliced, whole, duration_s: scenario.duration_s };
    });
    assert.ok(result.sliced > 0 && result.whole > 0, "the runs took some time");
    const rate = (ms) => Math.round(result.duration_s / (ms / 1000));
    // The figures, for the summary: not a timed assertion.
    console.log(
      `# bench: heavy scenario (100 shards, ParallelizationFactor 10, ${result.duration_s} s) in the browser build: ` +
        `${(result.sliced / 1000).toFixed(2)} s wall = ${rate(result.sliced)} simulated s per wall s ` +
        `in 10 s slices as the page runs it (${rate(result.whole)} in one call after it)`,
    );
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});
