// Test wrapper: one browser per file, a fresh fake + context + trapped page per test, artifacts on
// failure.
import { test, before, after } from 'node:test';
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { launch, newPage, Trap } from './browser.mjs';
import { ARTIFACTS, BASE, UI_TIMEOUT } from './env.mjs';
import { DEFAULT_RESET, requests, resetFake } from './fake.mjs';
import { assertRequestRules } from './expect.mjs';

function slug(s) {
  return s.replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '').slice(0, 100);
}

async function saveArtifacts(stem, pages, trap, error) {
  try {
    await fs.mkdir(ARTIFACTS, { recursive: true });
    const notes = [`error: ${error?.stack || error}`, '', ...trap.log];
    for (const [i, page] of pages.entries()) {
      if (page.isClosed()) continue;
      const suffix = pages.length > 1 ? `-p${i + 1}` : '';
      notes.push('', `page${suffix} url: ${page.url()}`);
      await page
        .screenshot({ path: path.join(ARTIFACTS, `${stem}${suffix}.png`), fullPage: true, timeout: 5_000 })
        .catch((e) => notes.push(`screenshot failed: ${e.message}`));
      const html = await page.content().catch(() => '');
      if (html) await fs.writeFile(path.join(ARTIFACTS, `${stem}${suffix}.html`), html);
    }
    const reqs = await requests().catch((e) => [`could not read requests: ${e.message}`]);
    await fs.writeFile(path.join(ARTIFACTS, `${stem}.requests.json`), JSON.stringify(reqs, null, 2));
    await fs.writeFile(path.join(ARTIFACTS, `${stem}.log`), notes.join('\n'));
  } catch (e) {
    console.error(`could not save artifacts for ${stem}: ${e.message}`);
  }
}

/**
 * Call once at the top of a test file: launches the browser for the file and returns `it(name, fn,
 * opts)`, which runs `fn({ page, context, browser, base, openPage })` with
 *   - the fake reset before the test (`opts.reset`, default `DEFAULT_RESET`: `{ zammad_version: '7' }`
 *     on Zammad, `{}` on Znuny),
 *   - a fresh browser context (downloads accepted) and a page wearing the error traps,
 *   - after the test, `assertRequestRules` (lib/expect.mjs) over everything the fake received,
 *   - a screenshot, DOM, console log and request log in E2E_ARTIFACTS when the test fails.
 * `opts.skip` / `opts.timeout` are passed to node:test.
 */
export function usePortal(meta) {
  const file = path.basename(fileURLToPath(meta.url)).replace(/\.test\.mjs$/, '');
  let browser;
  before(async () => {
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
  });

  return function it(name, fn, opts = {}) {
    const { reset = DEFAULT_RESET, timeout = 120_000, skip = false } = opts;
    test(name, { timeout, skip }, async () => {
      await resetFake(reset);
      const context = await browser.newContext({
        acceptDownloads: true,
        viewport: { width: 1280, height: 900 },
      });
      context.setDefaultTimeout(UI_TIMEOUT);
      const trap = new Trap();
      const pages = [];
      const openPage = async () => {
        const p = await newPage(browser, { context, trap });
        pages.push(p);
        return p;
      };
      const page = await openPage();
      try {
        await Promise.race([fn({ page, context, browser, base: BASE, openPage }), trap.failed]);
        // Late errors (e.g. a panic in a task spawned by the last click) still count.
        await new Promise((r) => setTimeout(r, 150));
        trap.check();
        // Rules every request of the backend must follow (e.g. Znuny's SessionID placement).
        assertRequestRules(await requests());
      } catch (error) {
        await saveArtifacts(`${file}--${slug(name)}`, pages, trap, error);
        throw error;
      } finally {
        await context.close().catch(() => {});
      }
    });
  };
}

/**
 * Retries `fn` (an async assertion) until it passes or `timeout` ms passed; then rethrows its last
 * failure. For conditions that Playwright locators cannot wait for themselves.
 */
export async function eventually(fn, { timeout = UI_TIMEOUT, interval = 100 } = {}) {
  const end = Date.now() + timeout;
  for (;;) {
    try {
      return await fn();
    } catch (e) {
      if (Date.now() > end) throw e;
    }
    await new Promise((r) => setTimeout(r, interval));
  }
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
