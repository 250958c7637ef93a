// Languages other than English are not part of the first load (src/i18n): the portal fetches a
// language's catalogue file (`i18n-<code>-<hash>.json`, beside its other files) only when that
// language is in use, once, and waits for it instead of flashing English. Every test name starts
// with "catalogue" (E2E_FILTER=catalogue).
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  BASE,
  IS_ZAMMAD,
  SUBPATH_BASE,
  USERS,
  eventually,
  listHeading,
  newPage,
  signIn,
  signInHeading,
  ticketHeading,
  usePortal,
} from './lib/index.mjs';

const it = usePortal(import.meta);

const CATALOGUE = /\/i18n-([a-z]{2})-([0-9a-f]{16})\.json$/;
const languageSelect = (page, name) => page.getByRole('combobox', { name, exact: true });
const germanHeading = (page) => page.getByRole('heading', { name: 'Anmelden', exact: true });
const htmlLang = (page) => page.locator('html').getAttribute('lang');
const storedLanguage = (page) => page.evaluate(() => localStorage.getItem('portal.language'));

/** Every catalogue file the page asks for, as `{ code, url }`, in order. */
function watchCatalogues(page) {
  const seen = [];
  page.on('request', (req) => {
    const m = CATALOGUE.exec(new URL(req.url()).pathname);
    if (m) seen.push({ code: m[1], url: req.url() });
  });
  return seen;
}

/**
 * Records every text the document shows from its first frame on (an init script, before the
 * portal's own scripts), to prove what never appeared.
 */
async function recordShownTexts(context) {
  await context.addInitScript(() => {
    window.__e2eTexts = [];
    const note = () => {
      const text = document.body?.innerText ?? '';
      if (text && window.__e2eTexts.at(-1) !== text) window.__e2eTexts.push(text);
    };
    new MutationObserver(note).observe(document, { subtree: true, childList: true, characterData: true });
  });
}

/** A context whose browser speaks German (navigator.languages, Intl default, Accept-Language). */
async function germanPage(browser) {
  const context = await browser.newContext({ locale: 'de-DE', viewport: { width: 1280, height: 900 } });
  const page = await newPage(browser, { context });
  return { context, page };
}

it('catalogue: an English visit fetches no other language, and the wasm holds no German', async ({ page }) => {
  const catalogues = watchCatalogues(page);
  await signIn(page, 'alice');
  await listHeading(page).waitFor();
  await page.getByRole('link', { name: /Printer on fire/ }).first().click();
  await ticketHeading(page, 'Printer on fire').waitFor();
  assert.equal(await htmlLang(page), 'en');
  assert.deepEqual(catalogues, [], 'an English visit loads no catalogue');

  // The first load's wasm carries the English texts, not the German ones.
  const wasmUrl = await page.evaluate(() =>
    performance.getEntriesByType('resource').map((e) => e.name).find((n) => /_bg\.wasm$/.test(n)),
  );
  assert.ok(wasmUrl, 'the wasm among the loaded resources');
  const wasm = await (await page.request.get(wasmUrl)).body();
  for (const english of ['Skip to content', 'Please enter a subject.', 'The help desk did not answer in time.']) {
    assert.ok(wasm.includes(Buffer.from(english)), `"${english}" in the wasm`);
  }
  for (const german of ['Zum Inhalt springen', 'Bitte geben Sie einen Betreff ein.', 'Meine Tickets', 'Abmelden']) {
    assert.ok(!wasm.includes(Buffer.from(german)), `"${german}" is not in the wasm`);
  }
});

it('catalogue: a German browser fetches German only, and sees no English on the way', async ({ browser }) => {
  const { context, page } = await germanPage(browser);
  try {
    await recordShownTexts(context);
    const catalogues = watchCatalogues(page);
    const responses = [];
    page.on('response', (res) => CATALOGUE.test(new URL(res.url()).pathname) && responses.push(res));
    await page.goto(`${BASE}sign-in`);
    await germanHeading(page).waitFor();
    assert.equal(await htmlLang(page), 'de');
    assert.deepEqual(catalogues.map((c) => c.code), ['de'], 'the German catalogue, and only it');
    assert.equal(new URL(catalogues[0].url).pathname.split('/').length, 2, 'beside index.html');
    // Content-hashed: cached for good, like the wasm.
    assert.match(responses[0].headers()['cache-control'] ?? '', /immutable/);

    // Nothing English was ever on screen: the portal waited for German.
    const shown = await page.evaluate(() => window.__e2eTexts);
    assert.ok(shown.length > 0, 'texts were recorded');
    for (const english of ['Loading', 'Sign in', 'Password', 'Language', 'Stay signed in']) {
      const first = shown.find((text) => text.includes(english));
      assert.equal(first, undefined, `"${english}" was shown before German: ${first}`);
    }

    // Signing in and working in German fetches nothing more.
    const loginLabel = IS_ZAMMAD ? 'E-Mail-Adresse oder Benutzername' : 'Benutzername';
    await page.getByRole('textbox', { name: loginLabel, exact: true }).fill(USERS.alice.identifier);
    await page.getByLabel('Passwort', { exact: true }).fill(USERS.alice.password);
    await page.getByRole('button', { name: 'Anmelden', exact: true }).click();
    await page.getByRole('heading', { name: 'Meine Tickets', exact: true }).waitFor();
    await page.getByText(/\d+ Tickets? gefunden|Tickets angezeigt|Ticket angezeigt/).first().waitFor({ state: 'attached' });
    assert.equal(catalogues.length, 1, 'one fetch per visit');

    // The file's plural forms are exactly the categories the browser's Intl has for German.
    const plurals = await page.evaluate(async (url) => {
      const file = await (await fetch(url)).json();
      const needed = new Intl.PluralRules('de').resolvedOptions().pluralCategories.sort();
      return Object.entries(file)
        .filter(([, v]) => typeof v === 'object')
        .map(([key, forms]) => ({ key, forms: Object.keys(forms).sort(), needed }));
    }, catalogues[0].url);
    assert.ok(plurals.length >= 5, JSON.stringify(plurals));
    for (const p of plurals) assert.deepEqual(p.forms, p.needed, p.key);
  } finally {
    page.trap.check();
    await context.close();
  }
});

it('catalogue: the switcher fetches German once; back and forth needs no other request', async ({ page }) => {
  const catalogues = watchCatalogues(page);
  await page.goto(`${BASE}sign-in`);
  await signInHeading(page).waitFor();
  assert.deepEqual(catalogues, []);

  await languageSelect(page, 'Language').selectOption({ label: 'Deutsch' });
  await germanHeading(page).waitFor();
  assert.equal(await htmlLang(page), 'de');
  assert.equal(await storedLanguage(page), 'de');
  await languageSelect(page, 'Sprache').selectOption({ label: 'English' });
  await signInHeading(page).waitFor();
  await languageSelect(page, 'Language').selectOption({ label: 'Deutsch' });
  await germanHeading(page).waitFor();
  assert.deepEqual(catalogues.map((c) => c.code), ['de'], 'fetched once');
});

it('catalogue: when the German file cannot be had, the portal stays in English with a note in the console', async ({
  page,
  browser,
}) => {
  let refuse = true;
  await page.route(CATALOGUE, (route) =>
    refuse ? route.fulfill({ status: 503, body: 'unavailable' }) : route.continue(),
  );
  await page.goto(`${BASE}sign-in`);
  await signInHeading(page).waitFor();
  const select = languageSelect(page, 'Language');
  await select.selectOption({ label: 'Deutsch' });
  await eventually(async () =>
    assert.ok(
      page.trap.log.some((l) => /^\[console\.warning\] .*Deutsch texts could not be loaded.*HTTP 503/.test(l)),
      page.trap.log.join('\n'),
    ),
  );
  // The switcher goes back to the language on screen; nothing is remembered; the page works.
  await eventually(async () => assert.equal(await select.inputValue(), 'en'));
  await signInHeading(page).waitFor();
  assert.equal(await htmlLang(page), 'en');
  assert.equal(await storedLanguage(page), null);

  // Once the file can be had, choosing again works.
  refuse = false;
  await select.selectOption({ label: 'Deutsch' });
  await germanHeading(page).waitFor();
  assert.equal(await storedLanguage(page), 'de');

  // A German browser whose catalogue cannot be had gets the portal in English, not a blank page.
  const { context, page: german } = await germanPage(browser);
  try {
    await german.route(CATALOGUE, (route) => route.abort('connectionreset'));
    await german.goto(`${BASE}sign-in`);
    await signInHeading(german).waitFor();
    assert.equal(await languageSelect(german, 'Language').inputValue(), 'en');
    await german.getByRole('button', { name: 'Sign in', exact: true }).waitFor();
    assert.ok(german.trap.log.some((l) => /Deutsch texts could not be loaded/.test(l)), german.trap.log.join('\n'));
  } finally {
    german.trap.check();
    await context.close();
  }
});

it('catalogue: under /support/ the German file comes from beside the portal, also on a deep link', async ({ browser }) => {
  const { context, page } = await germanPage(browser);
  try {
    const catalogues = watchCatalogues(page);
    await page.goto(`${SUBPATH_BASE}tickets/101`);
    await germanHeading(page).waitFor();
    assert.deepEqual(
      catalogues.map((c) => new URL(c.url).pathname.replace(/-[0-9a-f]{16}/, '-HASH')),
      ['/support/i18n-de-HASH.json'],
    );
  } finally {
    page.trap.check();
    await context.close();
  }
});

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');

it('catalogue: embedded in a company page, the German file comes from beside embed.js', async ({ page }) => {
  // The host page of embed.test.mjs at /company/, under the portal's Content-Security-Policy;
  // anything else under /company/ is missing (a catalogue taken relative to the host page).
  const csp = (await fetch(BASE)).headers.get('content-security-policy');
  const html = await fs.readFile(path.join(fixtures, 'embed-host.html'), 'utf8');
  const host = new URL('company/help.html', BASE);
  await page.route(
    (url) => url.origin === host.origin && url.pathname.startsWith('/company/'),
    (route) =>
      new URL(route.request().url()).pathname === host.pathname
        ? route.fulfill({ body: html, headers: { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': csp } })
        : route.fulfill({ status: 404, body: 'not found' }),
  );
  const catalogues = watchCatalogues(page);
  await page.goto(host.href);
  await signInHeading(page).waitFor();
  await languageSelect(page, 'Language').selectOption({ label: 'Deutsch' });
  await germanHeading(page).waitFor();
  assert.deepEqual(
    catalogues.map((c) => new URL(c.url).pathname.replace(/-[0-9a-f]{16}/, '-HASH')),
    ['/support/i18n-de-HASH.json'],
  );
  // The host page keeps its own language; the portal's root says German.
  assert.equal(await page.locator('html').getAttribute('lang'), 'en-GB');
  assert.equal(await page.locator('.portal-root').getAttribute('lang'), 'de');
});
