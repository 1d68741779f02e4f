// The picture's stories at the three sizes readers bring (issue 13): the poison pill
// at 1 min, 12 h and 25 h, the sink overflowing, a throttled hot key and the
// concurrency budget, each at 390, 1280 and 1920 px wide, opened from a link at
// that moment. Each asserts what the picture must show there (a tube that has filled
// further at 12 h than at 1 min, records pouring into the lost bucket, the hot
// shard's puts bouncing, the other functions' throttles at the grid's edge), that the
// canvas text is the size asked, that nothing is wider than the screen, and saves a
// screenshot of what the reader sees (tests/browser/screenshots/story-*.png).
//
// Run from the repository root: node --test tests/browser/picture-story.test.mjs

import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { desktop, eventually, phone, replayed, screenshots, start } from "./helpers.mjs";

let env;
before(async () => {
  env = await start();
});
after(async () => {
  await env?.close();
});

const wide = { viewport: { width: 1920, height: 1080 } };
const sizes = [
  ["390", phone, 12],
  ["1280", desktop, 14],
  ["1920", wide, 14],
];

/** The stream canvas's data-* summary, numbers as numbers. */
const drawn = (page) =>
  page.getByTestId("stream-canvas").evaluate((c) => ({
    textPx: Number(c.dataset.textPx),
    pouring: Number(c.dataset.pouring),
    bounces: Number(c.dataset.bounces),
    fillPx: (c.dataset.fillPx ?? "").split(",").filter(Boolean).map(Number),
    tubeXs: (c.dataset.tubeXs ?? "").split(",").map(Number),
    width: c.getBoundingClientRect().width,
  }));

/** Opens `scenario` at `t` seconds and waits for the page to stand there. */
async function openAt(page, scenario, t) {
  await page.goto(`${env.url}?v=1&s=${scenario}&t=${t}`);
  await page.getByTestId("clock").waitFor({ timeout: 30_000 });
  await replayed(page);
  await eventually(
    async () => {
      const d = await drawn(page);
      assert.ok(d.fillPx.length >= 1, `the picture is drawn: ${JSON.stringify(d)}`);
    },
    { timeout: 120_000 },
  );
}

for (const [size, options, textPx] of sizes) {
  test(`the poison pill at 1 min, 12 h and 25 h (${size} px)`, { timeout: 300_000 }, async () => {
    await env.withPage(options, null, async (page) => {
      const fills = [];
      for (const [t, words] of [
        [60, "1min"],
        [43_200, "12h"],
        [90_000, "25h"],
      ]) {
        await openAt(page, "poison-pill", t);
        const d = await drawn(page);
        assert.ok(d.textPx >= textPx, `text at least ${textPx} px: ${d.textPx}`);
        assert.ok(d.width <= options.viewport.width, `the picture fits the screen: ${d.width}`);
        fills.push(d.fillPx[0]);
        await page.getByTestId("stream-canvas").scrollIntoViewIfNeeded();
        await page.screenshot({ path: path.join(screenshots, `story-poison-pill-${words}-${size}.png`) });
      }
      assert.ok(fills[1] > fills[0] * 1.5, `the shard has filled further at 12 h than at 1 min: ${fills}`);
      const tube = (await drawn(page)).tubeXs;
      assert.ok(fills[2] >= tube[1] - tube[0] - 2, `at 25 h the day fills the tube: ${fills[2]} of ${tube}`);
    });
  });

  test(`the sink overflowing, a hot key throttled, the concurrency budget (${size} px)`, { timeout: 300_000 }, async () => {
    await env.withPage(options, null, async (page) => {
      await openAt(page, "overflowing-sink", 99_000);
      await eventually(async () => assert.ok((await drawn(page)).pouring > 0, "records pour off the trim horizon"));
      await page.getByTestId("stream-canvas").scrollIntoViewIfNeeded();
      await page.screenshot({ path: path.join(screenshots, `story-sink-overflowing-${size}.png`) });

      await openAt(page, "hot-key", 120);
      await eventually(async () => assert.ok((await drawn(page)).bounces >= 1, "the hot shard's puts bounce"));
      await page.getByTestId("stream-canvas").scrollIntoViewIfNeeded();
      await page.screenshot({ path: path.join(screenshots, `story-hot-key-${size}.png`) });

      await openAt(page, "concurrency-budget", 120);
      const grid = page.getByTestId("concurrency-canvas");
      await eventually(async () => assert.ok(Number(await grid.getAttribute("data-other-marks")) >= 1));
      assert.ok(Number(await grid.getAttribute("data-text-px")) >= 14);
      await grid.scrollIntoViewIfNeeded();
      await page.screenshot({ path: path.join(screenshots, `story-concurrency-${size}.png`) });
    });
  });
}
