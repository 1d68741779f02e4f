// Browser tests of the lessons (issue 5), in headless Chromium over the built site:
// two lessons walked start to finish as a reader would, with the prediction (choose,
// check, the answer and why), Back (the run rebuilt to the step's moment) and free
// play; and a challenge failed with its defaults and passed after one setting, scored
// by "Check my settings". Screenshots at 1280x800 and 390x844.
//
// Run from the repository root: node --test tests/browser/lessons.test.mjs

import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import {
  clockOf,
  counterOf,
  desktop,
  pause,
  phone,
  replayed,
  screenshots,
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


const lesson = (page) => page.getByTestId("lesson");
const stageOf = (page) => lesson(page).getAttribute("data-stage");

/** Waits until the lesson stands at `stage` (and step, when given). */
async function at(page, stage, step) {
  const sel =
    step === undefined
      ? `[data-testid="lesson"][data-stage="${stage}"]`
      : `[data-testid="lesson"][data-stage="${stage}"][data-step="${step}"]`;
  await page.waitForSelector(sel, { timeout: 90_000 });
  await replayed(page);
}

const textOf = async (page) => (await page.getByTestId("lesson-text").textContent()).trim();
const narration = async (page) => (await page.getByTestId("narration").textContent()).trim();
const shot = (page, name) => page.screenshot({ path: path.join(screenshots, name) });

test("the poison-pill lesson, start to finish, with a prediction and Back (1280x800)", async () => {
  await env.withPage(desktop, null, async (page) => {
    await page.getByTestId("scenario").selectOption({ label: "One poison pill blocks a shard for a day" });
    await at(page, "intro");
    await eventually(async () => assert.match(await textOf(page), /^A healthy stream: 50 records\/s on one shard/));
    await eventually(async () => assert.equal(await page.getByTestId("lesson-progress").textContent(), "Introduction · 4 steps"));
    // The time controls stay usable (using them leaves the lesson for free play).
    await eventually(async () => assert.equal(await page.getByTestId("play").isDisabled(), false));
    await eventually(async () => assert.equal(await clockOf(page), 0));
    // The description tells the story, answers included: held back until the end.
    await eventually(async () => assert.equal(await page.getByTestId("description").count(), 0));
    await eventually(async () => assert.equal(await page.getByTestId("description-hidden").count(), 1));
    await shot(page, "lesson-intro-1280x800.png");

    // Start, by keyboard: the Start button has the focus.
    await eventually(async () => assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), "lesson-start"));
    await page.keyboard.press("Enter");
    await at(page, "step", "0");
    await eventually(async () => assert.equal(await clockOf(page), 50_000, "paused exactly at 00:00:50"));
    await eventually(async () => assert.match(await textOf(page), /^All is well/));
    await eventually(async () => assert.match(await narration(page), /One bad record is about to arrive/));
    // The question comes before the moment it is about: Continue waits for an answer.
    await eventually(async () => assert.equal(await page.getByTestId("lesson-continue").isDisabled(), true));
    await eventually(async () => assert.equal(await page.getByTestId("predict-check").isDisabled(), true));
    await page.getByTestId("predict-choice-0").click();
    await page.evaluate(() => window.scrollTo(0, 0));
    await shot(page, "lesson-predict-1280x800.png");
    await page.getByTestId("predict-check").click();
    const reveal = page.getByTestId("predict-reveal");
    await eventually(async () => assert.match(await reveal.textContent(), /^Not quite\. The answer: They wait behind it until it succeeds or expires\. By default MaximumRetryAttempts is -1/));
    await eventually(async () => assert.equal(await page.getByTestId("lesson-continue").isDisabled(), false));
    await shot(page, "lesson-reveal-1280x800.png");

    await page.getByTestId("lesson-continue").click();
    await at(page, "step", "1");
    // The frame the blocked shard is first seen: the milestone's own moment.
    await eventually(async () => assert.equal(await clockOf(page), 60_202));
    await eventually(async () => assert.match(await textOf(page), /the shard is blocked/));
    await eventually(async () => assert.equal(await page.locator('[data-testid^="shard-row-"][data-blocked="true"]').count(), 1));

    // Back: step 1 again at 00:00:50, rebuilt; the answer stays revealed.
    await page.getByTestId("lesson-back").click();
    await at(page, "step", "0");
    await eventually(async () => assert.equal(await clockOf(page), 50_000));
    await eventually(async () => assert.match(await page.getByTestId("predict-reveal").textContent(), /^Not quite\./));
    await eventually(async () => assert.equal(await counterOf(page, "errors"), 0, "before the pill"));
    await page.getByTestId("lesson-continue").click();
    await at(page, "step", "1");
    await eventually(async () => assert.equal(await clockOf(page), 60_202, "the same run, to the same moment"));

    await page.getByTestId("lesson-continue").click();
    await at(page, "step", "2");
    await eventually(async () => assert.equal(await clockOf(page), 43_200_000, "12 hours in"));
    await eventually(async () => assert.match(await textOf(page), /^Twelve hours in/));
    await eventually(async () => assert.equal(await counterOf(page, "expired"), 0, "nothing lost yet"));

    await page.getByTestId("lesson-continue").click();
    await at(page, "step", "3");
    // A day after the pill, once the mapping has moved on: the words say it can move
    // again, and the table agrees.
    await eventually(async () => assert.equal(await clockOf(page), 86_520_000, "a day after the pill, past its retry"));
    await eventually(async () => assert.match(await textOf(page), /moved on/));
    await eventually(async () => assert.equal(await page.locator('[data-testid^="shard-row-"][data-blocked="true"]').count(), 0));
    await eventually(async () => assert.ok((await counterOf(page, "expired")) > 0, "the pill expired"));
    await page.getByTestId("chart-iterator-age-per-minute").scrollIntoViewIfNeeded();
    await shot(page, "lesson-iterator-age-a-day-1280x800.png");
    // The per-minute chart shows the whole day, from the climb at zero.
    await page.getByTestId("chart-iterator-age-per-minute").screenshot({ path: path.join(screenshots, "chart-iterator-age-a-day.png") });

    await page.getByTestId("lesson-continue").click();
    await at(page, "end");
    await eventually(async () => assert.match(await page.getByTestId("lesson-takeaway").textContent(), /^With the defaults, one record that always fails blocks its shard/));
    await eventually(async () => assert.equal(await page.getByTestId("description").count(), 1, "the story, told at the end"));
    await eventually(async () => assert.match(await page.getByTestId("lesson-try").textContent(), /The fix, MaximumRetryAttempts 2, against this lesson's MaximumRetryAttempts until expiry/));
    const simplifications = await page.getByTestId("lesson-simplifications").locator("li").allTextContents();
    assert.equal(simplifications.length, 2);
    assert.match(simplifications[0], /AWS does not publish how the mapping spaces its retries/);
    await shot(page, "lesson-end-1280x800.png");

    // From the end: Back to the last step, then free play from there.
    await page.getByTestId("lesson-back").click();
    await at(page, "step", "3");
    await eventually(async () => assert.equal(await clockOf(page), 86_520_000));
    await page.getByTestId("lesson-free-play").click();
    await at(page, "free-play");
    await eventually(async () => assert.equal(await page.getByTestId("play").isDisabled(), false, "every control works"));
    await eventually(async () => assert.equal(await clockOf(page), 86_520_000, "the run is kept"));
  });
});

test("the burst lesson on a phone: right answer, Back, free play (390x844)", async () => {
  await env.withPage(phone, null, async (page) => {
    await page.getByTestId("scenario").selectOption({ label: "A one-second burst hides in the minute" });
    await at(page, "intro");
    await eventually(async () => assert.match(await textOf(page), /^One shard, 220 records\/s/));
    // On a phone the lesson comes first, above the picture.
    const lessonBox = await lesson(page).boundingBox();
    const pictureBox = await page.getByTestId("stream-canvas").boundingBox();
    assert.ok(lessonBox.y < pictureBox.y, "the lesson is above the picture");
    assert.ok(lessonBox.width <= 390);
    await shot(page, "lesson-intro-phone-390x844.png");

    await page.getByTestId("lesson-start").click();
    await at(page, "step", "0");
    await eventually(async () => assert.equal(await clockOf(page), 20_000));
    // Keyboard: the first choice has the focus; arrow to the second, then check.
    await eventually(async () => assert.equal(await page.evaluate(() => document.activeElement?.type), "radio"));
    await page.keyboard.press("ArrowDown");
    await page.getByTestId("predict-check").click();
    await eventually(async () => assert.match(await page.getByTestId("predict-reveal").textContent(), /^Right\. The answer: Yes, in the one second of the burst\./));
    await page.getByTestId("predict-reveal").scrollIntoViewIfNeeded();
    await shot(page, "lesson-predict-phone-390x844.png");

    await page.getByTestId("lesson-continue").click();
    await at(page, "step", "1");
    // Throttles are counted when the burst's second closes: seen at 00:00:31.
    await eventually(async () => assert.equal(await clockOf(page), 31_000));
    await eventually(async () => assert.equal(await counterOf(page, "put-throttled"), 4_000));
    await eventually(async () => assert.match(await textOf(page), /^4,000 records throttled in one second/));

    await page.getByTestId("lesson-back").click();
    await at(page, "step", "0");
    await eventually(async () => assert.equal(await clockOf(page), 20_000));
    await eventually(async () => assert.equal(await counterOf(page, "put-throttled"), 0, "before the burst"));

    // The time bar's Play at a step leaves the lesson for free play: the run is kept
    // and plays on.
    await page.getByTestId("play").click();
    await at(page, "free-play");
    await page.waitForFunction(
      () => document.querySelector('[data-testid="clock"]').textContent > "00:00:25",
      null,
      { timeout: 30_000 },
    );
    await page.getByTestId("play").click();
    await page.evaluate(() => window.scrollTo(0, 0));
    await eventually(async () => assert.equal(await page.getByTestId("lesson-progress").textContent(), "Free play"));
    await shot(page, "lesson-free-play-phone-390x844.png");
  });
});

/** Plays the open lesson to its end, answering each question with its first choice. */
async function toTheEnd(page) {
  await page.getByTestId("lesson-start").click();
  for (;;) {
    await page.waitForSelector('[data-testid="lesson"]:is([data-stage="step"],[data-stage="end"])', { timeout: 90_000 });
    await replayed(page);
    if ((await stageOf(page)) === "end") return;
    if ((await page.getByTestId("predict-check").count()) > 0) {
      await page.getByTestId("predict-choice-0").click();
      await page.getByTestId("predict-check").click();
    }
    const step = await lesson(page).getAttribute("data-step");
    await page.getByTestId("lesson-continue").click();
    await page.waitForFunction(
      (s) => {
        const l = document.querySelector('[data-testid="lesson"]');
        return l.dataset.stage !== "step" || l.dataset.step !== s;
      },
      step,
      { timeout: 90_000 },
    );
  }
}

test("the fixes compared end on their payoff; Try it opens Compare; Play freely plays (1280x800)", { timeout: 240_000 }, async () => {
  await env.withPage(desktop, null, async (page) => {
    await page.getByTestId("scenario").selectOption({ label: "The fixes compared: retries and a destination, bisection, partial batch responses" });
    await at(page, "intro");
    await toTheEnd(page);
    // The last step was the payoff: all three gave up, 61 + 1 + 2 records to the queue.
    await eventually(async () => assert.equal(Number(await page.getByTestId("stream-canvas").getAttribute("data-sent")), 64));
    await eventually(async () => assert.equal(await page.locator('[data-testid^="shard-row-"][data-blocked="true"]').count(), 0));
    await page.evaluate(() => window.scrollTo(0, 0));
    await shot(page, "lesson-fixes-end-1280x800.png");

    // Play freely from here: the run plays on.
    const ended = await clockOf(page);
    await page.getByTestId("lesson-free-play").click();
    await at(page, "free-play");
    await eventually(async () => assert.ok((await clockOf(page)) > ended + 60_000, "the run plays on"));
    await pause(page);

    // Try it, from the end again: Compare opens with the lesson's fix chosen.
    await page.getByTestId("lesson-restart").click();
    await at(page, "intro");
    await toTheEnd(page);
    await page.getByTestId("lesson-try-it").click();
    await page.getByTestId("compare").waitFor();
    const chosen = await page.getByTestId("compare-variation").evaluate((s) => s.selectedOptions[0].textContent);
    assert.match(chosen, /^Try it: BisectBatchOnFunctionError off or on/);
    await shot(page, "lesson-try-it-compare-1280x800.png");
  });
});

test("a lesson step on a phone, and a clicked record answers by the click (390x844)", { timeout: 180_000 }, async () => {
  await env.withPage(phone, null, async (page) => {
    await page.getByTestId("scenario").selectOption({ label: "One poison pill blocks a shard for a day" });
    await at(page, "intro");
    await page.getByTestId("lesson-start").click();
    await at(page, "step", "0");
    await page.getByTestId("predict-choice-1").click();
    await page.getByTestId("predict-check").click();
    await page.getByTestId("lesson-continue").click();
    await at(page, "step", "1");
    await lesson(page).scrollIntoViewIfNeeded();
    await shot(page, "lesson-step-phone-390x844.png");

    // Click a record in the lane: the answer comes by the click, not 2,000 px down.
    const canvas = page.getByTestId("stream-canvas");
    await canvas.scrollIntoViewIfNeeded();
    const d = await canvas.evaluate((c) => ({
      laneYs: (c.dataset.laneYs ?? "").split(",").filter(Boolean).map(Number),
      tubeXs: (c.dataset.tubeXs ?? "").split(",").map(Number),
    }));
    const x = d.tubeXs[1] - 4;
    await canvas.click({ position: { x, y: d.laneYs[0] } });
    const callout = page.getByTestId("follow-callout");
    await eventually(async () => assert.match(await callout.textContent(), /^Following (the record|the pill) "/));
    const box = await callout.boundingBox();
    const at0 = await canvas.boundingBox();
    assert.ok(box.y >= at0.y && box.y < at0.y + d.laneYs[0] + 120, `the callout by the click: ${box.y} vs ${at0.y + d.laneYs[0]}`);
    assert.ok(box.x >= 0 && box.x + box.width <= 390, "inside the screen");
    await shot(page, "follow-callout-phone-390x844.png");
    await page.getByTestId("follow-callout-show").click();
    await eventually(async () => {
      const panel = await page.getByTestId("trace-panel").boundingBox();
      assert.ok(panel.y < 844 && panel.y + panel.height > 0, `the path in view: ${panel.y}`);
    });
    await eventually(async () => assert.ok((await page.getByTestId("trace-step").count()) > 3));
  });
});

test("a challenge: the defaults fail, one setting passes, scored on its seed", async () => {
  await env.withPage(desktop, "challenge-1280x800.png", async (page) => {
    await page.getByTestId("scenario").selectOption({ label: "Challenge: keep up with at most 6 instances" });
    await page.getByTestId("challenge").waitFor();
    await eventually(async () => assert.match(await page.getByTestId("challenge-goal").textContent(), /IteratorAge stays at most 60 s/));
    await page.getByTestId("challenge-check").click();
    const verdict = page.getByTestId("challenge-verdict");
    await verdict.waitFor({ timeout: 60_000 });
    await eventually(async () => assert.equal(await verdict.getAttribute("data-passed"), "false"));
    await eventually(async () => assert.equal(await page.getByTestId("challenge-check-0").getAttribute("data-value"), "713"));
    await eventually(async () => assert.equal(await page.getByTestId("challenge-check-1").getAttribute("data-value"), "2"));
    await eventually(async () => assert.match(await verdict.textContent(), /The oldest record waited 713 s at worst/));

    // Paused, so the field is not redrawn while it is typed in.
    await pause(page);
    await setKnob(page, "parallelization-factor", 2);
    await page.getByTestId("challenge-check").click();
    await page.waitForSelector('[data-testid="challenge-verdict"][data-passed="true"]', { timeout: 60_000 });
    await eventually(async () => assert.equal(await page.getByTestId("challenge-check-1").getAttribute("data-value"), "4"));
    await eventually(async () => assert.match(await verdict.textContent(), /Scored on seed 7 with ParallelizationFactor = 2/));
    await verdict.scrollIntoViewIfNeeded();
  });
});
