// Accessibility of the whole page (issue 7), in headless Chromium over the built site.
//
// 1. axe-core audits the page in its main states: light and dark theme, after a poison
//    pill has blocked a shard (so warnings, the log and the live region have content),
//    with the shard table open, at 1280x800 and 390x844, with every disclosure open
//    and after each button that opens a dialog, each theme the toggle offers, every
//    built-in scenario as it opens, and the page opened from an embedding link.
//    Any serious or critical finding fails; every finding is printed, and one line
//    of counts by impact:
//    "a11y: N serious, M critical, K moderate, L minor (... rules, ... states)".
// 2. The keyboard: every visible interactive control of the page is reached by Tab,
//    and shows a visible focus indicator (its computed outline or box-shadow differs
//    between focused and not).
//    Nothing looks clickable without being a keyboard control; every disclosure
//    toggles with Enter and every slider moves with the arrow keys.
// 3. The polite live region narrates a milestone in words (the first blocked shard).
// 4. The shard table is there as an alternative to the canvas, with a header row and
//    one row per shard, and states a blocked shard in words.
// 5. Meaning is carried by more than colour: every legend entry for trouble (poison,
//    throttled, blocked, failed, expired, error) has a pattern, a shape or a drawn
//    edge, each kind its own, in light and dark themes and with forced colours
//    (Windows High Contrast).
//
// The checks walk the whole page, not a list of today's elements, so that controls
// added later are audited too.
//
// Run from the repository root: node --test tests/browser/a11y.test.mjs

import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import {
  desktop,
  pause,
  phone,
  play,
  replayed,
  screenshots,
  selectSpeed,
  start,
  eventually,
} from "./helpers.mjs";

const require = createRequire(import.meta.url);
const axeSource = await readFile(require.resolve("axe-core/axe.min.js"), "utf8");
const axeVersion = JSON.parse(await readFile(require.resolve("axe-core/package.json"), "utf8")).version;

let env;
before(async () => {
  env = await start();
});
after(async () => {
  await env?.close();
  printTally();
});

const IMPACTS = ["critical", "serious", "moderate", "minor"];

/** Every finding of every audited state, by rule and element. */
const findings = new Map();
const states = [];

function printTally() {
  const counts = Object.fromEntries(IMPACTS.map((i) => [i, 0]));
  for (const f of findings.values()) counts[f.impact ?? "minor"] += 1;
  const rules = new Set([...findings.values()].map((f) => f.id));
  console.log(
    `a11y: ${counts.serious} serious, ${counts.critical} critical, ${counts.moderate} moderate, ` +
      `${counts.minor} minor (${rules.size} rules failed; axe-core ${axeVersion} over ${states.length} states of the page)`,
  );
  console.log(`a11y states audited: ${states.join("; ")}`);
}

/** Runs axe-core on the page as it is; records and prints what it finds. */
async function audit(page, state) {
  if (!(await page.evaluate(() => typeof window.axe === "object"))) {
    await page.addScriptTag({ content: axeSource });
  }
  const violations = await page.evaluate(async () => {
    const result = await window.axe.run(document, {
      resultTypes: ["violations"],
      runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"] },
    });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target.join(" "), summary: n.failureSummary })),
    }));
  });
  states.push(state);
  const bad = [];
  for (const v of violations) {
    for (const n of v.nodes) {
      const key = `${v.id} ${n.target}`;
      if (!findings.has(key)) findings.set(key, { id: v.id, impact: v.impact });
      const line = `a11y finding [${v.impact}] ${v.id} in ${state}: ${v.help}: ${n.target}\n    ${n.summary?.replace(/\n/g, "\n    ")}`;
      console.log(line);
      if (v.impact === "serious" || v.impact === "critical") bad.push(line);
    }
  }
  return bad;
}

/** Poison pill on the steady scenario at 60x, until a shard is blocked; then paused. */
async function blockAShard(page) {
  await pause(page);
  const group = page.getByTestId("group-function");
  if ((await group.getAttribute("open")) === null) await group.locator("summary").click();
  await page.getByTestId("inject-pill").click();
  await replayed(page);
  await selectSpeed(page, "60×");
  await play(page);
  await page.waitForFunction(() => document.querySelector('[data-blocked="true"]'), null, { timeout: 60_000 });
  await pause(page);
}

async function openShardTable(page) {
  const details = page.getByTestId("shard-table-details");
  if ((await details.getAttribute("open")) === null) await details.locator("summary").click();
  await page.getByTestId("shard-table").waitFor({ timeout: 10_000 });
}

test("axe-core finds nothing serious or critical in the page's main states", { timeout: 240_000 }, async () => {
  const bad = [];
  for (const [size, options] of [
    ["1280x800", desktop],
    ["390x844", phone],
  ]) {
    for (const scheme of ["light", "dark"]) {
      const { context, page, problems } = await env.open({ ...options, colorScheme: scheme, reducedMotion: "reduce" });
      try {
        bad.push(...(await audit(page, `${scheme} ${size}`)));
        await blockAShard(page);
        bad.push(...(await audit(page, `${scheme} ${size} after a poison pill`)));
        await openShardTable(page);
        bad.push(...(await audit(page, `${scheme} ${size} shard table open`)));
        assert.deepEqual(problems, [], "no console errors, page errors or failed requests");
      } finally {
        await context.close();
      }
    }
  }
  // Everything folded away unfolded, and every dialog a button opens, opened: what
  // other parts of the page add (lessons, sharing, embedding) is audited too.
  {
    const { context, page } = await env.open({ ...desktop, reducedMotion: "reduce" });
    try {
      await blockAShard(page);
      for (const summary of await page.locator("details:not([open]) > summary").all()) {
        if (await summary.isVisible()) await summary.click();
      }
      bad.push(...(await audit(page, "1280x800 every disclosure open")));
      // Buttons that open something: a dialog, a controlled region, or by this
      // project's naming, data-testid="open-..." (the comparison, for one).
      const openers = page.locator(
        '[aria-haspopup="dialog"], [aria-haspopup="true"], button[aria-controls], button[data-testid^="open-"]',
      );
      for (let i = 0; i < (await openers.count()); i++) {
        const opener = openers.nth(i);
        if (!(await opener.isVisible()) || (await opener.isDisabled())) continue;
        const name = ((await opener.getAttribute("data-testid")) ?? (await opener.textContent()) ?? "").trim();
        await opener.click();
        await page.waitForTimeout(500);
        bad.push(...(await audit(page, `1280x800 after "${name}"`)));
        await page.keyboard.press("Escape");
        const close = page.locator('button[data-testid$="close"]:visible');
        if ((await close.count()) > 0) await close.first().click();
      }
    } finally {
      await context.close();
    }
  }
  // Every built-in scenario as it opens (lessons and their players among them), and
  // the page opened from a link that embeds it.
  {
    const { context, page } = await env.open({ ...desktop, reducedMotion: "reduce" });
    try {
      const select = page.getByTestId("scenario");
      const options = await select.locator("option").allTextContents();
      for (let i = 1; i < options.length; i++) {
        await select.selectOption({ index: i });
        await page.getByTestId("clock").waitFor();
        await page.waitForTimeout(300);
        bad.push(...(await audit(page, `1280x800 scenario "${options[i].trim()}"`)));
      }
      await page.goto(`${env.url}?v=1&s=poison-pill&embed=1&ui=min&theme=dark`);
      await page.getByTestId("clock").waitFor({ timeout: 30_000 });
      bad.push(...(await audit(page, "1280x800 embedded by a link")));
    } finally {
      await context.close();
    }
  }
  // The theme toggle, as well as the system's scheme: cycle through and audit each.
  const { context, page } = await env.open({ ...desktop, colorScheme: "light", reducedMotion: "reduce" });
  try {
    const theme = page.getByTestId("theme");
    const seen = new Set();
    for (let i = 0; i < 3; i++) {
      await theme.click();
      const label = (await theme.textContent()).trim();
      if (seen.has(label)) continue;
      seen.add(label);
      bad.push(...(await audit(page, `toggle "${label}" 1280x800`)));
    }
  } finally {
    await context.close();
  }
  assert.deepEqual(bad, [], `${bad.length} serious or critical findings`);
});

test("every style sheet of the site parses to its end", async () => {
  // One unclosed brace makes the browser drop every rule after it, focus rings and
  // target sizes included, without an error anywhere.
  const { readdir } = await import("node:fs/promises");
  const { dist } = await import("./helpers.mjs");
  const sheets = (await readdir(dist, { recursive: true })).filter((f) => f.endsWith(".css"));
  assert.ok(sheets.length >= 1, "a style sheet");
  for (const f of sheets) {
    const text = (await readFile(path.join(dist, f), "utf8")).replace(/\/\*[\s\S]*?\*\//g, "").replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, '""');
    let depth = 0;
    let line = 1;
    for (const ch of text) {
      if (ch === "\n") line++;
      if (ch === "{") depth++;
      if (ch === "}") depth--;
      assert.ok(depth >= 0, `${f}: a } with no { before line ${line}`);
    }
    assert.equal(depth, 0, `${f}: ${depth} unclosed {`);
  }
});

/** Marks every visible, enabled, interactive element; returns how many. */
function markInteractive() {
  const selector = [
    "a[href]",
    "button",
    "input:not([type=hidden])",
    "select",
    "textarea",
    "summary",
    "[tabindex]",
    "[contenteditable=true]",
    "[role=button]",
    "[role=link]",
    "[role=slider]",
    "[role=tab]",
    "[role=checkbox]",
    "[role=switch]",
    "[role=menuitem]",
  ].join(",");
  let n = 0;
  for (const el of document.querySelectorAll(selector)) {
    if (el.disabled || el.getAttribute("tabindex") === "-1" || el.closest("[inert]")) continue;
    const visible = el.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true });
    if (!visible) continue;
    // Radio buttons are one Tab stop a group: only the checked (or first) one counts.
    if (el.type === "radio" && el.name) {
      const group = [...document.querySelectorAll(`input[type=radio][name="${CSS.escape(el.name)}"]`)];
      const stop = group.find((r) => r.checked) ?? group[0];
      if (stop !== el) continue;
    }
    el.dataset.a11yId = String(n++);
  }
  return n;
}

/** The styles that can show focus, of one element. */
function focusStyle(id) {
  const el = document.querySelector(`[data-a11y-id="${id}"]`);
  if (!el) return null;
  const s = getComputedStyle(el);
  const outline = s.outlineStyle !== "none" && parseFloat(s.outlineWidth) > 0 ? `${s.outlineStyle} ${s.outlineWidth} ${s.outlineColor}` : "none";
  return { outline, boxShadow: s.boxShadow };
}

for (const [size, options] of [
  ["1280x800", desktop],
  ["390x844", phone],
]) {
  test(`every control is reached by Tab and shows where focus is (${size})`, { timeout: 180_000 }, async () => {
    const { context, page } = await env.open({ ...options, reducedMotion: "reduce" });
    try {
      await blockAShard(page);
      await openShardTable(page);
      // Open every group of controls, so that every control is on the page.
      for (const summary of await page.locator("details:not([open]) > summary").all()) {
        if (await summary.isVisible()) await summary.click();
      }
      await page.evaluate(() => document.activeElement?.blur());
      const count = await page.evaluate(markInteractive);
      assert.ok(count >= 10, `${count} interactive elements found`);
      const unfocused = await page.evaluate(
        (n) => Array.from({ length: n }, (_, i) => {
          const el = document.querySelector(`[data-a11y-id="${i}"]`);
          const s = getComputedStyle(el);
          const outline = s.outlineStyle !== "none" && parseFloat(s.outlineWidth) > 0 ? `${s.outlineStyle} ${s.outlineWidth} ${s.outlineColor}` : "none";
          return { outline, boxShadow: s.boxShadow, name: el.dataset.testid ?? el.id ?? el.tagName };
        }),
        count,
      );
      // Tab from the top of the document through to the end.
      await page.evaluate(() => {
        document.activeElement?.blur();
        window.scrollTo(0, 0);
      });
      const reached = new Map();
      let presses = 0;
      for (; presses < count * 2 + 20; presses++) {
        await page.keyboard.press("Tab");
        const here = await page.evaluate(() => {
          const el = document.activeElement;
          if (!el || el === document.body) return null;
          return { id: el.dataset.a11yId ?? null, desc: `${el.tagName.toLowerCase()}${el.dataset.testid ? `[${el.dataset.testid}]` : ""}` };
        });
        // Tab starts where the page was last clicked, runs to the end, leaves the
        // page once (nothing focused) and comes back at the top: go round once.
        if (here?.id == null) continue;
        if (reached.has(here.id)) break; // round once
        reached.set(here.id, await page.evaluate(focusStyle, here.id));
      }
      const missed = unfocused.map((u, i) => [String(i), u]).filter(([i]) => !reached.has(i));
      assert.deepEqual(
        missed.map(([, u]) => u.name),
        [],
        `${missed.length} of ${count} controls are not reached by Tab`,
      );
      const invisible = [];
      for (const [id, focused] of reached) {
        const before = unfocused[Number(id)];
        const shows =
          (focused.outline !== "none" && focused.outline !== before.outline) ||
          (focused.boxShadow !== "none" && focused.boxShadow !== before.boxShadow);
        if (!shows) invisible.push(`${before.name} (outline ${focused.outline}, box-shadow ${focused.boxShadow})`);
      }
      assert.deepEqual(invisible, [], `${invisible.length} controls show no focus indicator`);
      console.log(`keyboard ${size}: ${reached.size} of ${count} controls reached by Tab in ${presses} presses, each with a visible focus`);
      // A picture of focus where a reader would look for it: on the play button.
      await page.evaluate(() => window.scrollTo(0, 0));
      for (let i = 0; i < count + 5; i++) {
        if (await page.evaluate(() => document.activeElement?.dataset.testid === "play")) break;
        await page.keyboard.press("Tab");
      }
      await page.evaluate(() => document.activeElement?.scrollIntoView({ block: "center" }));
      await page.screenshot({ path: path.join(screenshots, `a11y-focus-${size}.png`) });
    } finally {
      await context.close();
    }
  });
}

test("what works with a pointer works with the keyboard", { timeout: 120_000 }, async () => {
  await env.withPage({ ...desktop, reducedMotion: "reduce" }, null, async (page) => {
    await blockAShard(page);
    await openShardTable(page);
    // Nothing looks clickable (a pointer cursor) without being a control the keyboard
    // reaches: a native control, or a role with a tabindex. Canvases are pictures
    // with text alternatives (the table, the log), not controls.
    const mouseOnly = await page.evaluate(() => {
      const native = "a[href], button, input, select, textarea, summary, label, option";
      const out = [];
      for (const el of document.querySelectorAll("body *")) {
        if (el.tagName === "CANVAS" || !el.checkVisibility()) continue;
        if (getComputedStyle(el).cursor !== "pointer") continue;
        if (el.closest(native)) continue;
        if (el.getAttribute("role") && el.tabIndex >= 0) continue;
        // Inherited from a control around it.
        if (el.parentElement && getComputedStyle(el.parentElement).cursor === "pointer") continue;
        out.push(`${el.tagName.toLowerCase()}${el.dataset.testid ? `[${el.dataset.testid}]` : ""}.${el.className}`);
      }
      return out;
    });
    assert.deepEqual(mouseOnly, [], "elements that look clickable but are not keyboard controls");

    // Every disclosure opens and closes with Enter.
    const summaries = page.locator("details > summary:visible");
    const n = await summaries.count();
    assert.ok(n >= 1, "disclosures on the page");
    for (let i = 0; i < n; i++) {
      const summary = summaries.nth(i);
      const isOpen = () => summary.evaluate((s) => s.parentElement.open);
      const was = await isOpen();
      await summary.focus();
      await page.keyboard.press("Enter");
      await eventually(async () => assert.equal(await isOpen(), !was, `Enter toggles ${await summary.textContent()}`));
      await page.keyboard.press("Enter");
      await eventually(async () => assert.equal(await isOpen(), was));
    }

    // Every slider moves with the arrow keys (and is put back).
    const sliders = page.locator('input[type="range"]:visible');
    const m = await sliders.count();
    let moved = 0;
    for (let i = 0; i < m; i++) {
      const slider = sliders.nth(i);
      // A setting that shapes the run replays it, and the controls wait meanwhile.
      await replayed(page);
      if (await slider.isDisabled()) continue;
      const [value, max] = await slider.evaluate((r) => [r.value, r.max]);
      const key = value === max ? "ArrowLeft" : "ArrowRight";
      await slider.focus();
      await page.keyboard.press(key);
      await eventually(async () =>
        assert.notEqual(
          await slider.evaluate((r) => r.value),
          value,
          `${key} moves ${await slider.getAttribute("data-testid")}`,
        ),
      );
      await page.keyboard.press(key === "ArrowRight" ? "ArrowLeft" : "ArrowRight");
      moved++;
    }
    console.log(`keyboard: ${n} disclosures toggle with Enter, ${moved} sliders move with the arrow keys`);
  });
});

test("the live region narrates a milestone in words, and the table stands in for the canvas", { timeout: 120_000 }, async () => {
  await env.withPage({ ...desktop, reducedMotion: "reduce" }, null, async (page) => {
    // A polite live region is on the page before anything happens (a region added
    // with its text already in it is not announced), and then says what happened.
    const live = page.locator('[aria-live="polite"]');
    await eventually(async () => assert.ok((await live.count()) >= 1, "a polite live region"));
    await blockAShard(page);
    const said = await page.evaluate(() =>
      [...document.querySelectorAll('[aria-live="polite"]')].map((e) => e.textContent.trim()).join(" | "),
    );
    assert.match(said, /blocked/i, `a live region names the blocked shard in words: ${JSON.stringify(said)}`);
    assert.match(said, /[A-Za-z]{3,} [a-z]{3,}/, "words, not a code");

    // Every canvas has a text alternative: a role of img and a name.
    const canvases = await page.evaluate(() =>
      [...document.querySelectorAll("canvas")].map((c) => ({
        role: c.getAttribute("role"),
        name: (c.getAttribute("aria-label") ?? c.textContent ?? "").trim(),
        testid: c.dataset.testid,
      })),
    );
    assert.ok(canvases.length >= 1);
    for (const c of canvases) {
      assert.ok(c.role === "img" || c.role === "presentation" || c.role === "none", `canvas ${c.testid} has role ${c.role}`);
      if (c.role === "img") assert.ok(c.name.length > 3, `canvas ${c.testid} is named: ${JSON.stringify(c.name)}`);
    }

    // The shard table: a header row and one row per shard, the blocked one in words.
    await openShardTable(page);
    const table = await page.evaluate(() => {
      const t = document.querySelector('[data-testid="shard-table"]');
      return {
        headers: [...t.querySelectorAll("thead th")].map((th) => ({ text: th.textContent.trim(), scope: th.getAttribute("scope") })),
        rows: [...t.querySelectorAll("tbody tr")].map((tr) => ({ blocked: tr.dataset.blocked, text: tr.textContent })),
        shards: document.querySelector('[data-testid="shard-table-details"] summary').textContent,
      };
    });
    assert.ok(table.headers.length >= 3, "column headers");
    for (const h of table.headers) assert.equal(h.scope, "col", `header ${h.text} has scope=col`);
    const shardCount = Number(/(\d[\d,]*)/.exec(table.shards)?.[1].replace(/,/g, ""));
    assert.equal(table.rows.length, Math.min(shardCount, table.rows.length));
    assert.ok(table.rows.length >= 1);
    const blocked = table.rows.filter((r) => r.blocked === "true");
    assert.equal(blocked.length, 1);
    assert.match(blocked[0].text, /blocked/i, "the blocked shard says so in words, not only by colour");
  });
});

test("trouble is shown by pattern or shape as well as colour in every legend", { timeout: 90_000 }, async () => {
  // Forced colours (Windows High Contrast) too: the canvas keeps its colours there,
  // so its legend must as well.
  for (const [scheme, extra] of [
    ["light", {}],
    ["dark", {}],
    ["forced colours", { forcedColors: "active" }],
  ]) {
    const colorScheme = scheme === "dark" ? "dark" : "light";
    await env.withPage({ ...desktop, colorScheme, reducedMotion: "reduce", ...extra }, null, async (page) => {
      await blockAShard(page);
      const entries = await page.evaluate(() => {
        const trouble = /poison|throttl|blocked|fail|expir|error|lost|discard/i;
        // What a swatch shows besides its colours: a pattern (a gradient or image,
        // colours left out), a shape (clip-path), a drawn edge (border, outline,
        // inset shadow) and its style.
        const noColours = (v) => v.replace(/(rgba?|color-mix|oklch|lab|hsla?)\([^()]*(\([^()]*\)[^()]*)*\)/g, "c").replace(/#[0-9a-f]{3,8}/gi, "c");
        const form = (s) =>
          [
            /gradient|url\(/.test(s.backgroundImage) ? `pattern ${noColours(s.backgroundImage)}` : "",
            s.clipPath !== "none" ? `shape ${s.clipPath}` : "",
            parseFloat(s.borderTopWidth) > 0 && s.borderTopStyle !== "none" ? `border ${s.borderTopStyle}` : "",
            parseFloat(s.outlineWidth) > 0 && s.outlineStyle !== "none" ? `outline ${s.outlineStyle}` : "",
            /inset/.test(s.boxShadow) ? "inset edge" : "",
          ]
            .filter(Boolean)
            .join(", ");
        const out = new Map();
        for (const swatch of new Set(document.querySelectorAll(".legend [class*=swatch], [class*=legend] [class*=swatch]"))) {
          const label = swatch.parentElement.textContent.trim();
          if (!trouble.test(label) || out.has(label)) continue;
          out.set(label, { label, form: form(getComputedStyle(swatch)) });
        }
        return [...out.values()];
      });
      assert.ok(entries.length >= 2, `legend entries for trouble: ${JSON.stringify(entries)}`);
      const plain = entries.filter((e) => e.form === "");
      assert.deepEqual(plain.map((e) => e.label), [], `${scheme}: trouble shown by colour alone`);
      // The kinds of trouble differ from each other by more than colour too.
      const forms = new Set(entries.map((e) => e.form));
      assert.equal(forms.size, entries.length, `${scheme}: told apart without colour: ${JSON.stringify(entries)}`);
      if (scheme === "light") console.log(`legend: ${entries.map((e) => `${e.label} (${e.form})`).join("; ")}`);
    });
  }
});
