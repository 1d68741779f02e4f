// Browser test of presenter mode (issue 6), in headless Chromium over the built site,
// driven by the keyboard only, as a clicker would: `?present=1&lesson=poison-pill`
// opens the mode; next and previous beat, "reset to beat N", blank, the help overlay,
// the controls behind C, full screen, Escape and P. Screenshots at 1920x1080.
//
// Run from the repository root: node --test tests/browser/presenter.test.mjs

import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { clockOf, replayed, screenshots, start, eventually } from "./helpers.mjs";

let env;
before(async () => {
  env = await start();
});
after(async () => {
  await env?.close();
});

const projector = { viewport: { width: 1920, height: 1080 } };
const shot = (page, name) => page.screenshot({ path: path.join(screenshots, name) });

/** Waits for beat `n` on screen, with any rebuild done. */
async function beat(page, n) {
  await page.waitForSelector(`[data-testid="present-beat"][data-beat="${n}"]`, { timeout: 90_000 });
  await page.waitForSelector('[data-testid="lesson"][data-stage="step"], [data-testid="lesson"][data-stage="intro"]', {
    timeout: 90_000,
  });
  await replayed(page);
}

const visible = (page, id) => page.getByTestId(id).isVisible();

/**
 * At 1920x1080 the stream picture's canvas takes at least 60% of the screen, drawn
 * sharp (its backing store is its CSS box in device pixels) and enlarged; the chrome
 * is hidden and the clock stays.
 */
async function pictureFillsTheScreen(page, minScale) {
  const screen = 1920 * 1080;
  await eventually(async () => {
    const c = await page.getByTestId("stream-canvas").evaluate((el) => ({
      cssW: el.clientWidth,
      cssH: el.clientHeight,
      w: el.width,
      h: el.height,
      dpr: devicePixelRatio,
      fit: el.dataset.fit,
      box: el.getBoundingClientRect().toJSON(),
    }));
    assert.ok(c.box.width * c.box.height >= 0.6 * screen, `the picture is ${c.box.width}x${c.box.height}`);
    assert.ok(c.box.right <= 1920 && c.box.bottom <= 1080, `on screen: ${JSON.stringify(c.box)}`);
    assert.equal(c.w, Math.round(c.cssW * c.dpr), "sharp: backing store as wide as the box");
    assert.equal(c.h, Math.round(c.cssH * c.dpr), "sharp: backing store as tall as the box");
    const [, , layoutW, layoutH, scale] = c.fit.split(",").map(Number);
    assert.ok(scale >= minScale, `enlarged: ${c.fit}`);
    // As large as the picture's shape allows: it fills the box's width or its height.
    const fills = Math.abs(layoutW * scale - c.cssW) <= 2 || Math.abs(layoutH * scale - c.cssH) <= 2;
    assert.ok(fills, `the drawn picture fills the box: ${c.fit}`);
  });
  for (const id of ["seed", "open-compare", "theme", "present"]) {
    assert.equal(await visible(page, id), false, `${id} is hidden`);
  }
  assert.equal(await page.locator(".readout-of").isVisible(), false, "the run's length is hidden");
  assert.equal(await visible(page, "clock"), true, "the clock stays");
  // No control shows a focus ring but the focused one.
  const rings = await page.evaluate(() =>
    [...document.querySelectorAll("button, select, input, summary, a, [tabindex]")]
      .filter((el) => el !== document.activeElement && el.checkVisibility())
      .filter((el) => getComputedStyle(el).outlineStyle !== "none" && parseFloat(getComputedStyle(el).outlineWidth) > 0)
      .map((el) => el.dataset.testid || el.tagName),
  );
  assert.deepEqual(rings, [], "focus rings on controls that are not focused");
}

/** The beat bar and the lesson's Continue button do not overlap, and Continue is on top where it is. */
async function continueIsUncovered(page) {
  const button = page.getByTestId("lesson-continue");
  await button.scrollIntoViewIfNeeded();
  await eventually(async () => {
    const bar = await page.getByTestId("present-bar").boundingBox();
    const cont = await button.boundingBox();
    const apart =
      bar.x + bar.width <= cont.x || cont.x + cont.width <= bar.x || bar.y + bar.height <= cont.y || cont.y + cont.height <= bar.y;
    assert.ok(apart, `the beat bar ${JSON.stringify(bar)} covers Continue ${JSON.stringify(cont)}`);
    const onTop = await button.evaluate((el) => {
      const r = el.getBoundingClientRect();
      const hit = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
      return el.contains(hit);
    });
    assert.ok(onTop, "Continue is what a click at its centre reaches");
  });
}

test("presenter mode by keyboard: beats, reset to beat N, blank, help (1920x1080)", async () => {
  await env.withPage(projector, null, async (page) => {
    await page.goto(`${env.url}index.html?present=1&lesson=poison-pill`);
    await page.getByTestId("present-bar").waitFor({ timeout: 30_000 });
    await eventually(async () => assert.equal(await page.getByTestId("app").getAttribute("data-present"), "true"));
    await beat(page, 0);
    await eventually(async () => assert.equal(await page.getByTestId("present-beat").textContent(), "Beat 0 of 4"));
    // Large type: at least 24 px base, the beat's words larger.
    const sizes = await page.evaluate(() => ({
      base: parseFloat(getComputedStyle(document.querySelector(".app")).fontSize),
      words: parseFloat(getComputedStyle(document.querySelector('[data-testid="lesson-text"]')).fontSize),
    }));
    assert.ok(sizes.base >= 24 && sizes.words >= 30, JSON.stringify(sizes));
    // The picture and one chart; the controls, log and counters are hidden.
    await eventually(async () => assert.equal(await visible(page, "stream-canvas"), true));
    await eventually(async () => assert.equal(await visible(page, "chart-iterator-age"), true));
    await eventually(async () => assert.equal(await visible(page, "chart-incoming"), false));
    // One chart, per minute, the column's width, written at presenter size too.
    await eventually(async () => assert.equal(await visible(page, "chart-iterator-age-per-second"), false));
    await eventually(async () => {
      const chart = page.getByTestId("chart-iterator-age-per-minute");
      const t = Number(await chart.getAttribute("data-text-px"));
      assert.ok(t >= 24, `chart text at least 24 px: ${t}`);
      const box = await chart.boundingBox();
      assert.ok(box && box.width >= 300, `the chart has the column's width: ${JSON.stringify(box)}`);
    });
    await eventually(async () => assert.equal(await visible(page, "controls"), false));
    await eventually(async () => assert.equal(await visible(page, "timebar"), false));

    // Page Down: start, and play to beat 1 (00:00:50), where the question waits.
    await page.keyboard.press("PageDown");
    await beat(page, 1);
    await eventually(async () => assert.equal(await clockOf(page), 50_000));
    await eventually(async () => assert.equal(await visible(page, "predict"), true));
    await eventually(async () => assert.equal(await page.getByTestId("predict-reveal").count(), 0));
    // Space: the room answered aloud; show the answer and why.
    await page.keyboard.press(" ");
    assert.match(
      await page.getByTestId("predict-reveal").textContent(),
      /^The answer: They wait behind it until it succeeds or expires\./,
    );
    // Right arrow: on to beat 2, the blocked shard.
    await page.keyboard.press("ArrowRight");
    await beat(page, 2);
    await eventually(async () => assert.equal(await clockOf(page), 60_202));
    await eventually(async () => assert.match(await page.getByTestId("lesson-text").textContent(), /the shard is blocked/));

    // Page Up: back to beat 1, rebuilt to its moment.
    await page.keyboard.press("PageUp");
    await beat(page, 1);
    await eventually(async () => assert.equal(await clockOf(page), 50_000));

    // "3" then Enter: reset to beat 3, twelve hours in.
    await page.keyboard.press("3");
    await eventually(async () => assert.equal(await page.getByTestId("present-typed").textContent(), "Go to beat 3 — Enter"));
    await page.keyboard.press("Enter");
    await beat(page, 3);
    await eventually(async () => assert.equal(await clockOf(page), 43_200_000));
    await eventually(async () => assert.equal(await page.getByTestId("present-typed").count(), 0));
    // One shard: enlarged at least twice (its text about three times the page's).
    await pictureFillsTheScreen(page, 2);
    await shot(page, "presenter-1920x1080.png");

    // Left arrow: previous beat, 2.
    await page.keyboard.press("ArrowLeft");
    await beat(page, 2);
    await eventually(async () => assert.equal(await clockOf(page), 60_202));

    // Blank with "." (a clicker's blank button); any key shows the screen again
    // without moving the talk.
    await page.keyboard.press(".");
    await eventually(async () => assert.equal(await visible(page, "present-blank"), true));
    await page.keyboard.press("PageDown");
    await eventually(async () => assert.equal(await page.getByTestId("present-blank").count(), 0));
    await eventually(async () => assert.equal(await page.getByTestId("present-beat").getAttribute("data-beat"), "2"));
    await page.keyboard.press("b");
    await eventually(async () => assert.equal(await visible(page, "present-blank"), true));
    await page.keyboard.press("b");
    await eventually(async () => assert.equal(await page.getByTestId("present-blank").count(), 0));
    // Any key at all: a letter with no meaning, Enter, Shift, Tab, "?", a digit.
    for (const key of ["x", "Enter", "Shift", "Tab", "?", "7"]) {
      await page.keyboard.press("b");
      await eventually(async () => assert.equal(await visible(page, "present-blank"), true));
      await page.keyboard.press(key);
      await eventually(async () => assert.equal(await page.getByTestId("present-blank").count(), 0), { timeout: 5_000 });
      assert.equal(await page.getByTestId("present-help").count(), 0, `${key} only shows the screen`);
      assert.equal(await page.getByTestId("present-typed").count(), 0, `${key} only shows the screen`);
    }
    await eventually(async () => assert.equal(await page.getByTestId("present-beat").getAttribute("data-beat"), "2"));

    // "?": the help overlay lists the keys; Escape closes it and stays in the mode.
    await page.keyboard.press("?");
    const help = page.getByTestId("present-help");
    await eventually(async () => assert.equal(await help.isVisible(), true));
    const keys = await help.locator("dt").allTextContents();
    assert.ok(keys.includes("Space, → or Page Down") && keys.includes(". or B"), keys.join(" | "));
    await shot(page, "presenter-help-1920x1080.png");
    await page.keyboard.press("Escape");
    await eventually(async () => assert.equal(await help.count(), 0));
    await eventually(async () => assert.equal(await page.getByTestId("app").getAttribute("data-present"), "true"));

    // G shows the next chart, one at a time; five presses come back.
    await page.keyboard.press("g");
    await eventually(async () => assert.equal(await visible(page, "chart-incoming"), true));
    await eventually(async () => assert.equal(await page.getByTestId("chart-iterator-age").count(), 0));
    for (let i = 0; i < 4; i++) await page.keyboard.press("g");
    await eventually(async () => assert.equal(await visible(page, "chart-iterator-age"), true));

    // C shows the controls, C hides them.
    await page.keyboard.press("c");
    await eventually(async () => assert.equal(await visible(page, "controls"), true));
    await page.keyboard.press("c");
    await eventually(async () => assert.equal(await visible(page, "controls"), false));

    // F asks for full screen; granted or refused, no error.
    await page.keyboard.press("f");
    await page.waitForTimeout(300);

    // Escape leaves the mode; P enters it again at the same beat.
    await page.keyboard.press("Escape");
    await eventually(async () => assert.equal(await page.getByTestId("app").getAttribute("data-present"), "false"));
    await eventually(async () => assert.equal(await visible(page, "controls"), true));
    await page.keyboard.press("p");
    await eventually(async () => assert.equal(await page.getByTestId("app").getAttribute("data-present"), "true"));
    await eventually(async () => assert.equal(await page.getByTestId("present-beat").getAttribute("data-beat"), "2"));
  });
});

test("a scenario without a lesson is presented by its milestones", async () => {
  await env.withPage(projector, "presenter-milestones-1920x1080.png", async (page) => {
    await page.getByTestId("scenario").selectOption({ label: "A hot partition key overloads one shard" });
    await page.locator("body").press("p");
    await page.getByTestId("present-bar").waitFor();
    await beat(page, 0);
    const total = (await page.getByTestId("present-beat").textContent()).match(/of (\d+)$/);
    assert.ok(total && Number(total[1]) >= 1, "at least one milestone beat");
    // The chart is the one the story is about: writes against the limit.
    await eventually(async () => assert.equal(await visible(page, "chart-incoming"), true));
    await eventually(async () => assert.equal(await page.locator('[data-testid^="chart-"][data-testid$="-per-second"]').count(), 1));
    await page.keyboard.press("Space");
    await beat(page, 1);
    await eventually(async () => assert.match(await page.getByTestId("lesson-text").textContent(), /^First write throttle at /));
  });
});

for (const viewport of [
  { width: 1920, height: 1080 },
  { width: 1280, height: 720 },
]) {
  test(`the beat bar never covers Continue (${viewport.width}x${viewport.height})`, { timeout: 180_000 }, async () => {
    await env.withPage({ viewport }, `presenter-continue-${viewport.width}x${viewport.height}.png`, async (page) => {
      await page.goto(`${env.url}index.html?present=1&lesson=poison-pill`);
      await page.getByTestId("present-bar").waitFor({ timeout: 30_000 });
      await beat(page, 0);
      // Beat 2: the blocked shard, with Continue under the words.
      await page.keyboard.press("2");
      await page.keyboard.press("Enter");
      await beat(page, 2);
      await page.getByTestId("lesson-continue").waitFor();
      await continueIsUncovered(page);
      // Beat 3, the longest words.
      await page.keyboard.press("3");
      await page.keyboard.press("Enter");
      await beat(page, 3);
      await page.getByTestId("lesson-continue").waitFor();
      await continueIsUncovered(page);
    });
  });
}

test("a scenario whose run reaches no milestone is not \"Beat 0 of 0\"", { timeout: 120_000 }, async () => {
  await env.withPage(projector, null, async (page) => {
    await page.getByTestId("scenario").selectOption({ label: "Steady load on four shards" });
    await page.locator("body").press("p");
    await page.getByTestId("present-bar").waitFor();
    const label = page.getByTestId("present-beat");
    await eventually(async () => assert.equal(await label.getAttribute("data-beats"), "0"));
    assert.doesNotMatch(await label.textContent(), /Beat 0 of 0/);
    assert.equal(await label.textContent(), "Steady load on four shards");
  });
});

test("presenting the concurrency budget: the grid at 24 px marks checkout's throttles", { timeout: 180_000 }, async () => {
  await env.withPage(projector, "presenter-concurrency-budget-1920x1080.png", async (page) => {
    await page.goto(`${env.url}index.html?present=1&lesson=concurrency-budget`);
    await page.getByTestId("present-bar").waitFor({ timeout: 30_000 });
    await beat(page, 0);
    await page.keyboard.press("2");
    await page.keyboard.press("Enter");
    await beat(page, 2);
    const grid = page.getByTestId("concurrency-canvas");
    await eventually(async () => assert.equal(await grid.getAttribute("data-text-px"), "24"));
    await eventually(async () => assert.ok(Number(await grid.getAttribute("data-other-marks")) > 0));
    assert.equal(await visible(page, "concurrency-canvas"), true);
    const box = await grid.boundingBox();
    assert.ok(box.y + box.height <= 1080 && box.x + box.width <= 1920, `the grid is on screen: ${JSON.stringify(box)}`);
    // A hundred shards: enlarged less, their lanes already fill the height.
    await pictureFillsTheScreen(page, 1.2);
  });
});
