// Hostile content on both backends: every vector of devserver/data/xss-vectors.json as an article
// body (HTML), subject, attachment name and ticket title. Nothing runs (no dialog, window,
// navigation, reload, trap request, global set or clobbered), with the Content-Security-Policy and
// without it (the sanitizer alone); ordinary formatting and the help desk's own inline images
// still show; remote images wait for "Show images".
import assert from 'node:assert/strict';
import {
  BASE,
  CORPUS_TITLE,
  REMOTE_PNG,
  VECTORS,
  articles,
  assertBodiesClean,
  assertNothingRan,
  clearTraps,
  columnText,
  currentConfig,
  eventually,
  listHeading,
  listedTicketIds,
  myTicketsLink,
  markPage,
  newPage,
  nextPageButton,
  putConfig,
  seedXss,
  signIn,
  sleep,
  storedFilename,
  ticketHeading,
  trapLog,
  usePortal,
  watchExecution,
} from './lib/index.mjs';

const it = usePortal(import.meta);
const SLOW = { timeout: 240_000 };

/** Shows the list 100 tickets a page, so the hostile titles fit on three pages. */
async function bigPages() {
  const config = await currentConfig();
  await putConfig({ ...config, page_size: 100 });
}

/** Every link's text on the list pages, paging with "Next page" until the last one. */
async function listTexts(page, seen, what) {
  const texts = [];
  let previous = [];
  for (let n = 1; n <= 5; n++) {
    await listHeading(page).waitFor();
    await eventually(
      async () => {
        const ids = await listedTicketIds(page);
        assert.ok(ids.length > 0 && ids.join() !== previous.join(), `list page ${n} did not come`);
        previous = ids;
      },
      { timeout: 30_000 },
    );
    texts.push(...(await page.getByRole('link').allTextContents()));
    await sleep(300);
    await assertNothingRan(page, seen, `${what}, list page ${n}`);
    const next = nextPageButton(page);
    if ((await next.count()) === 0 || (await next.isDisabled())) return texts;
    await next.click();
  }
  return assert.fail('more list pages than expected');
}

/**
 * The whole corpus in one browser context: the list with every hostile title, then the corpus
 * ticket with every hostile body, subject and file name.
 */
async function corpusJourney(page, context, what) {
  const seeded = await seedXss();
  assert.equal(seeded.vectors, VECTORS.length);
  await bigPages();
  const seen = watchExecution(context);
  await signIn(page, 'alice');
  await markPage(page);

  const texts = await listTexts(page, seen, what);
  const missing = VECTORS.filter((v) => !texts.some((t) => t.includes(columnText(v.html))));
  assert.deepEqual(missing.map((v) => v.id), [], 'hostile titles are shown as text');

  // Into the corpus ticket through the portal's own links (no reload: the document keeps its mark).
  await myTicketsLink(page).click();
  await page.getByRole('link', { name: /XSS corpus/ }).first().click();
  await ticketHeading(page, CORPUS_TITLE).waitFor({ timeout: 30_000 });
  await eventually(async () => assert.equal(await articles(page).count(), VECTORS.length + 1), { timeout: 30_000 });
  // Let every image, frame, refresh and timer a vector could start have its chance.
  await page.mouse.move(300, 300);
  await page.keyboard.press('Tab');
  for (const y of [0, 2000, 6000, 20000, 60000, 200000]) {
    await page.evaluate((top) => window.scrollTo(0, top), y);
    await sleep(150);
  }
  await sleep(1500);
  await assertNothingRan(page, seen, `${what}, corpus ticket`);
  await assertBodiesClean(page, what);

  // Subjects and file names are shown as the text they are.
  const shown = await articles(page).evaluateAll((els) => els.map((e) => e.textContent));
  const badSubjects = VECTORS.filter((v, i) => !shown[i + 1].includes(columnText(v.html)));
  assert.deepEqual(badSubjects.map((v) => v.id), [], 'hostile subjects are shown as text');
  const badNames = VECTORS.filter((v, i) => !shown[i + 1].includes(storedFilename(v.html)));
  assert.deepEqual(badNames.map((v) => v.id), [], 'hostile file names are shown as text');
  const downloads = await page.getByRole('button', { name: /^Download / }).count();
  const links = await page.getByRole('link', { name: /^Download / }).count();
  assert.ok(downloads + links >= VECTORS.length, `one download control per hostile file name, got ${downloads + links}`);
}

it(
  'no vector runs anywhere: list titles, bodies, subjects, file names (with the CSP)',
  async ({ page, context }) => {
    await corpusJourney(page, context, 'with CSP');
  },
  SLOW,
);

it(
  'no vector runs with the Content-Security-Policy bypassed: the sanitizer alone',
  async ({ browser, page }) => {
    const context = await browser.newContext({ bypassCSP: true, viewport: { width: 1280, height: 900 } });
    try {
      const bare = await newPage(browser, { context, trap: page.trap });
      await corpusJourney(bare, context, 'CSP bypassed');
    } finally {
      await context.close();
    }
  },
  SLOW,
);

/** Runs `check` and requires it to fail, with `text` in what it found. */
async function mustCatch(check, text) {
  await assert.rejects(check, (err) => {
    assert.ok(JSON.stringify(err.actual ?? err.message).includes(text), `caught, but not ${text}: ${err.message}`);
    return true;
  });
}

it('the detectors catch a vector that does run (unsanitized, CSP bypassed)', async ({ browser, page }) => {
  // Proof that the assertions above can fail: vectors of the corpus put into a page raw.
  const vector = (name) => VECTORS.find((v) => v.name === name);
  const context = await browser.newContext({ bypassCSP: true });
  try {
    const raw = await newPage(browser, { context, trap: page.trap });
    const seen = watchExecution(context);
    await raw.goto(`${BASE}sign-in`);
    await markPage(raw);
    const inject = (name) =>
      raw.evaluate((html) => {
        const div = document.createElement('div');
        div.innerHTML = html;
        document.body.append(div);
        return div;
      }, vector(name).html);

    const global = vector('onerror double quoted');
    await inject(global.name);
    await eventually(async () => assert.equal(await raw.evaluate(() => window.__xss), global.id));
    await mustCatch(assertNothingRan(raw, seen, 'raw'), `window.__xss = ${global.id}`);
    await raw.evaluate(() => delete window.__xss);

    const request = vector('fetch from handler');
    await inject(request.name);
    await eventually(async () => assert.equal((await trapLog()).length, 1));
    await mustCatch(assertNothingRan(raw, seen, 'raw'), `/__trap/${request.id}`);
    await clearTraps();
    seen.traps.length = 0;

    const dialog = vector('confirm');
    await inject(dialog.name);
    await eventually(async () => assert.equal(seen.dialogs.length, 1));
    await mustCatch(assertNothingRan(raw, seen, 'raw'), dialog.id);
    seen.dialogs.length = 0;

    await inject('id __xss');
    await mustCatch(assertNothingRan(raw, seen, 'raw'), 'window.__xss');
    await raw.evaluate(() => document.querySelectorAll('img').forEach((i) => i.remove()));

    // Markup that runs nothing by itself but must not survive sanitizing.
    await raw.evaluate((html) => {
      const art = document.createElement('article');
      art.setAttribute('data-sender', 'agent');
      const body = document.createElement('div');
      body.className = 'body body-html';
      body.innerHTML = html;
      art.append(body);
      document.body.append(art);
    }, vector('a ping on a harmless link').html);
    await mustCatch(assertBodiesClean(raw, 'raw'), 'ping=');
  } finally {
    await context.close();
  }
});

it('ordinary formatting renders: paragraphs, list, bold, table, safe links, own inline image', async ({ page }) => {
  const seeded = await seedXss();
  await signIn(page, 'alice');
  await page.goto(`${BASE}tickets/${seeded.formatting_ticket}`);
  await ticketHeading(page, 'Formatting sample').waitFor();
  const agent = articles(page).filter({ hasText: 'Hello Alice' });
  await agent.waitFor();

  assert.ok((await agent.locator('p').count()) >= 4, 'paragraphs kept');
  await agent.getByRole('listitem').filter({ hasText: 'first step' }).waitFor();
  await agent.getByRole('listitem').filter({ hasText: 'second step' }).waitFor();
  assert.equal(await agent.getByRole('list').count(), 1);
  assert.equal(await agent.locator('b, strong').filter({ hasText: 'bold text' }).count(), 1, 'bold kept');
  assert.equal(await agent.locator('i, em').filter({ hasText: 'italic text' }).count(), 1, 'italic kept');
  const table = agent.getByRole('table');
  await table.getByRole('columnheader', { name: 'Item' }).waitFor();
  await table.getByRole('cell', { name: 'Replaced' }).waitFor();

  const link = agent.getByRole('link', { name: 'help center' });
  assert.equal(await link.getAttribute('href'), 'https://example.com/help');
  assert.equal(await link.getAttribute('target'), '_blank');
  const rel = ((await link.getAttribute('rel')) || '').split(/\s+/);
  assert.ok(rel.includes('noopener') && rel.includes('noreferrer'), `rel="${rel.join(' ')}"`);

  // The help desk's own image (Zammad: its attachment route with credentials → blob:;
  // Znuny: the ContentID attachment → data:) actually shows.
  const logo = agent.getByRole('img', { name: 'Help desk logo' });
  await logo.scrollIntoViewIfNeeded();
  await eventually(async () => {
    assert.equal(await logo.evaluate((img) => img.complete && img.naturalWidth), 16, 'the inline logo did not load');
  });
  assert.match(await logo.getAttribute('src'), /^(blob:|data:image\/png;base64,)/);
  // It is part of the message, not a download.
  assert.equal(await agent.getByRole('button', { name: /^Download logo\.png/ }).count(), 0);
  assert.equal(await agent.getByRole('link', { name: /^Download logo\.png/ }).count(), 0);
  await assertBodiesClean(page, 'formatting');
});

it('remote images load only after "Show images", over https', async ({ page, context }) => {
  const seeded = await seedXss();
  const [remote, plainHttp] = seeded.remote_images;
  const host = new URL(remote).origin;
  const asked = [];
  await context.route(`${host}/**`, (route) => {
    asked.push(route.request().url());
    return route.fulfill({ status: 200, contentType: 'image/png', body: REMOTE_PNG });
  });
  const seen = watchExecution(context, { allowOrigins: [host] });
  await signIn(page, 'alice');
  await page.goto(`${BASE}tickets/${seeded.formatting_ticket}`);
  await markPage(page);
  const agent = articles(page).filter({ hasText: 'Hello Alice' });
  await agent.waitFor();
  const picture = agent.getByRole('img', { name: 'Remote picture' });
  await picture.scrollIntoViewIfNeeded();
  await agent.getByText('blocked to protect your privacy').waitFor();
  const show = agent.getByRole('button', { name: 'Show images', exact: true });
  await show.waitFor();
  // Messages without remote images offer nothing to show.
  const customer = articles(page).filter({ hasText: 'Please have a look' });
  assert.equal(await customer.getByRole('button', { name: 'Show images' }).count(), 0);

  await sleep(1500);
  assert.deepEqual(asked, [], 'a remote image was requested before the customer asked');
  assert.equal(await picture.getAttribute('src'), null);

  await show.click();
  await picture.scrollIntoViewIfNeeded();
  await eventually(async () => {
    assert.equal(await picture.evaluate((img) => img.complete && img.naturalWidth), 8, 'the remote image did not show');
  });
  await agent.getByRole('img', { name: 'Plain http picture' }).scrollIntoViewIfNeeded();
  const httpsOfPlain = plainHttp.replace(/^http:/, 'https:');
  await eventually(async () => assert.deepEqual([...asked].sort(), [remote, httpsOfPlain].sort()));
  assert.equal(await show.count(), 0, 'the button goes once the images show');
  await sleep(300);
  assert.deepEqual(asked.filter((u) => u === remote), [remote], 'one request for the remote image');
  assert.ok(!asked.includes(plainHttp), 'never over plain http');
  await assertNothingRan(page, seen, 'show images');
});
