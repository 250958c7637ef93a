// Hash routing (config.json `"routing": "hash"`), for hosts that cannot answer every path with
// index.html: the in-app location lives after `#` (`/support/#/tickets/101`), so the server only
// ever sees the document's own path, its assets and the API. Deep links, the sign-in redirect
// with `next`, Back / Forward, reload and the list's filters in the query after `#`.
import assert from 'node:assert/strict';
import {
  SUBPATH_BASE,
  USERS,
  alert,
  articles,
  currentConfig,
  expectListed,
  identifierBox,
  inAppPath,
  listHeading,
  myTicketsLink,
  newTicketLink,
  passwordBox,
  putConfig,
  signInButton,
  signInHeading,
  signOutButton,
  statusSelect,
  ticketHeading,
  ticketLink,
  usePortal,
} from './lib/index.mjs';

const it = usePortal(import.meta);
const base = SUBPATH_BASE; // the portal's document is /support/ (index.html), nothing deeper
const basePath = new URL(base).pathname;

async function useHashRouting(routing = 'hash') {
  const config = await currentConfig();
  await putConfig({ ...config, routing });
  return config;
}

/**
 * Every path the browser asks the server for. With hash routing that is the document itself,
 * files directly beside it (assets, config.json) and the help desk's API: never an in-app path,
 * so no SPA fallback is needed.
 */
function watchServerPaths(page, apiBase) {
  const origin = new URL(base).origin;
  const seen = [];
  page.on('request', (req) => {
    const url = new URL(req.url());
    if (url.origin === origin) seen.push(url.pathname);
  });
  return () => {
    const stray = seen.filter((p) => {
      if (p === basePath || p.startsWith(`${apiBase}/`)) return false;
      const rest = p.startsWith(basePath) ? p.slice(basePath.length) : null;
      // An asset or config.json: one file name, with an extension, right beside index.html.
      return !(rest && /^[\w.-]+\.[a-z0-9]+$/i.test(rest));
    });
    assert.deepEqual(stray, [], `requests for paths the server would need an SPA fallback for: ${stray.join(', ')}`);
    return seen;
  };
}

const hashOf = (page) => new URL(page.url()).hash;
const pathOf = (page) => new URL(page.url()).pathname;

async function signInHere(page, who = 'alice') {
  await signInHeading(page).waitFor();
  await identifierBox(page).fill(USERS[who].identifier);
  await passwordBox(page).fill(USERS[who].password);
  await signInButton(page).click();
  await signOutButton(page).waitFor();
}

it('a deep link #/tickets/ID goes through sign-in with `next` and comes back; links carry #/', async ({ page }) => {
  const { api_base: apiBase } = await useHashRouting();
  const check = watchServerPaths(page, apiBase);

  await page.goto(`${base}#/tickets/101`);
  await signInHeading(page).waitFor();
  assert.equal(pathOf(page), basePath, 'the document path stays');
  assert.equal(hashOf(page), `#/sign-in?next=${encodeURIComponent('/tickets/101')}`);

  await signInHere(page);
  await ticketHeading(page, 'Printer on fire').waitFor();
  assert.equal(pathOf(page), basePath);
  assert.equal(hashOf(page), '#/tickets/101');
  await articles(page).first().waitFor();

  const href = (link) => link.evaluate((a) => a.href);
  assert.equal(await href(myTicketsLink(page)), `${base}#/tickets`);
  assert.equal(await href(newTicketLink(page)), `${base}#/tickets/new`);

  // A reload of a deep link: the server is asked for the document only.
  await page.reload();
  await ticketHeading(page, 'Printer on fire').waitFor();

  // Another deep link typed into the address bar of the same document.
  await page.goto(`${base}#/tickets/105`);
  await ticketHeading(page, 'Replacement keyboard').waitFor();
  check();
});

it('Back and Forward move between list and ticket; filters live in the query after #', async ({ page }) => {
  const { api_base: apiBase } = await useHashRouting();
  const check = watchServerPaths(page, apiBase);

  await page.goto(`${base}#/tickets`);
  await signInHere(page);
  await listHeading(page).waitFor();
  assert.equal(hashOf(page), '#/tickets');
  await expectListed(page, [101, 105, 106, 102]);
  assert.equal(inAppPath(await ticketLink(page, 'Printer on fire').first().evaluate((a) => a.href)), '/tickets/101');

  await ticketLink(page, 'Printer on fire').first().click();
  await ticketHeading(page, 'Printer on fire').waitFor();
  assert.equal(hashOf(page), '#/tickets/101');

  await page.goBack();
  await listHeading(page).waitFor();
  assert.equal(hashOf(page), '#/tickets');
  await page.goForward();
  await ticketHeading(page, 'Printer on fire').waitFor();
  assert.equal(hashOf(page), '#/tickets/101');

  await myTicketsLink(page).click();
  await listHeading(page).waitFor();
  await statusSelect(page).selectOption({ label: 'Closed' });
  await page.waitForURL((url) => url.hash === '#/tickets?status=closed');
  await expectListed(page, [104, 103, 108]);
  await page.reload();
  await listHeading(page).waitFor();
  await expectListed(page, [104, 103, 108]);
  assert.equal(await statusSelect(page).inputValue(), 'closed');
  await page.goBack();
  await expectListed(page, [101, 105, 106, 102]);
  assert.equal(hashOf(page), '#/tickets');

  // Sign out: to #/sign-in, still the same document path.
  await signOutButton(page).click();
  await signInHeading(page).waitFor();
  assert.equal(pathOf(page), basePath);
  assert.equal(hashOf(page), '#/sign-in');
  check();
});

it('hash mode writes hash addresses only: every history entry keeps the document path', async ({ page }) => {
  const { api_base: apiBase } = await useHashRouting();
  const check = watchServerPaths(page, apiBase);
  // Every address anything on the page writes into the history (the portal, leptos_router).
  await page.addInitScript(() => {
    window.__written = [];
    for (const method of ['pushState', 'replaceState']) {
      const original = History.prototype[method];
      History.prototype[method] = function (state, title, url) {
        window.__written.push(String(url));
        return original.call(this, state, title, url);
      };
    }
  });
  await page.goto(`${base}#/tickets/101`);
  await signInHere(page);
  await ticketHeading(page, 'Printer on fire').waitFor();
  await myTicketsLink(page).click();
  await listHeading(page).waitFor();
  await statusSelect(page).selectOption({ label: 'Closed' });
  await page.waitForURL((url) => url.hash === '#/tickets?status=closed');
  await page.goBack();
  await expectListed(page, [101, 105, 106, 102]);
  await page.goForward();
  await expectListed(page, [104, 103, 108]);
  await newTicketLink(page).click();
  await page.getByRole('heading', { level: 1, name: /new ticket/i }).waitFor();
  assert.equal(hashOf(page), '#/tickets/new');

  const hashes = await page.evaluate(() => window.__written.map((u) => new URL(u, location.href).hash));
  const paths = await page.evaluate(() => window.__written.map((u) => new URL(u, location.href).pathname));
  assert.ok(paths.length >= 5, `only ${paths.length} history entries written`);
  assert.deepEqual([...new Set(paths)], [basePath], 'an address with another path was written');
  assert.ok(hashes.every((h) => h.startsWith('#/')), `an address without an in-app hash: ${hashes.join(', ')}`);
  check();
});

it('an unknown routing mode in config.json is a clear setup error', async ({ page }) => {
  await useHashRouting('hashbang');
  await page.goto(base);
  await alert(page, /`routing` must be "history" or "hash", not "hashbang"/).waitFor();
  await page.getByRole('heading', { name: 'The portal is not available' }).waitFor();
});
