// What a person does and sees in the portal, in terms of roles and accessible names.
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import { BASE, IS_ZAMMAD } from './env.mjs';
import { eventually } from './harness.mjs';
import { USERS, header, requests } from './fake.mjs';

// ---- sign-in -----------------------------------------------------------------------------------

export const signInHeading = (page) => page.getByRole('heading', { name: 'Sign in', exact: true });
/** The sign-in form's first field: Zammad takes e-mail or login, a stock Znuny the username only. */
export const LOGIN_LABEL = IS_ZAMMAD ? 'Email or username' : 'Username';
export const identifierBox = (page) => page.getByRole('textbox', { name: LOGIN_LABEL, exact: true });
// <input type=password> has no ARIA role: find it by its label.
export const passwordBox = (page) => page.getByLabel('Password', { exact: true });
export const staySignedIn = (page) => page.getByRole('checkbox', { name: 'Stay signed in', exact: true });
export const signInButton = (page) => page.getByRole('button', { name: 'Sign in', exact: true });
export const signOutButton = (page) => page.getByRole('button', { name: 'Sign out', exact: true });
export const twoFactorBox = (page) => page.getByRole('textbox', { name: 'Two-factor code', exact: true });
export const verifyButton = (page) => page.getByRole('button', { name: 'Verify', exact: true });

/** The visible alert containing `text` (string or RegExp); any visible alert when omitted. */
export function alert(page, text) {
  const all = page.getByRole('alert');
  return (text === undefined ? all.filter({ hasText: /\S/ }) : all.filter({ hasText: text })).first();
}

export function statusMessage(page, text) {
  return page.getByRole('status').filter({ hasText: text }).first();
}

/**
 * Signs `who` in through the sign-in form. `navigate: false` uses the sign-in page already shown
 * (deep links). Waits until the signed-in layout ("Sign out") is there unless `expectSuccess` is
 * false. `identifier` overrides what is typed as "Email or username" (default `USERS[who].identifier`:
 * the e-mail on Zammad, the login name on Znuny).
 */
export async function signIn(
  page,
  who = 'alice',
  { stay = false, base = BASE, navigate = true, identifier, password, expectSuccess = true } = {},
) {
  const user = USERS[who];
  assert.ok(user, `unknown user ${who}`);
  if (navigate) await page.goto(`${base}sign-in`);
  await signInHeading(page).waitFor();
  await identifierBox(page).fill(identifier ?? user.identifier);
  await passwordBox(page).fill(password ?? user.password);
  if (stay) await staySignedIn(page).check();
  await signInButton(page).click();
  // The main links appear with the sign-in at every width (on a phone "Sign out" sits behind "Menu").
  if (expectSuccess) await mainLink(page, 'My tickets').waitFor();
  return user;
}

// ---- navigation ------------------------------------------------------------------------------

export const nav = (page) => page.getByRole('navigation');
/** A link of the header's main navigation. */
export const mainLink = (page, name) =>
  page.getByRole('navigation', { name: 'Main', exact: true }).getByRole('link', { name, exact: true });
/** Phones: the header button that shows the account, theme and language. */
export const menuButton = (page) => page.getByRole('banner').getByRole('button', { name: 'Menu', exact: true });
export const myTicketsLink = (page) => page.getByRole('link', { name: 'My tickets', exact: true });
export const newTicketLink = (page) => page.getByRole('link', { name: 'New ticket', exact: true });

export async function openTicket(page, id, { base = BASE, title } = {}) {
  await page.goto(`${base}tickets/${id}`);
  if (title) await ticketHeading(page, title).waitFor();
  else await page.getByRole('heading', { level: 1 }).first().waitFor();
}

// ---- ticket list -----------------------------------------------------------------------------

export const listHeading = (page) => page.getByRole('heading', { name: 'My tickets', exact: true });
export const statusSelect = (page) => page.getByRole('combobox', { name: 'Status', exact: true });
export const sortSelect = (page) => page.getByRole('combobox', { name: 'Sort by', exact: true });
export const showSelect = (page) => page.getByRole('combobox', { name: 'Show', exact: true });
export const searchBox = (page) => page.getByRole('searchbox', { name: 'Search tickets', exact: true });
export const nextPageButton = (page) => page.getByRole('button', { name: 'Next page', exact: true });
export const prevPageButton = (page) => page.getByRole('button', { name: 'Previous page', exact: true });
export const noTickets = (page) => page.getByText('No tickets found');
/** The "Show" option for the shared account: Zammad says organization, Znuny says company. */
export const SHARED_SCOPE_LABEL = IS_ZAMMAD ? 'My organization' : 'My company';

/**
 * The in-app path of a link's address: its path, or with hash routing (`…/#/tickets/101?x=1`) the
 * path after `#`.
 */
export function inAppPath(href, base = 'http://x/') {
  const url = new URL(href, base);
  return url.hash.startsWith('#/') ? url.hash.slice(1).split('?')[0] : url.pathname;
}

/**
 * Ids of the tickets linked from the page, in document order (links whose target is
 * `…/tickets/<number>`, also as `#/tickets/<number>`; one row may hold several links to the same
 * ticket).
 */
export async function listedTicketIds(page) {
  const hrefs = await page
    .getByRole('link')
    .evaluateAll((links) => links.map((a) => new URL(a.getAttribute('href') || '', location.href).href))
    .then((all) => all.map((href) => inAppPath(href)));
  const ids = [];
  for (const p of hrefs) {
    const m = /\/tickets\/(\d+)\/?$/.exec(p);
    if (m && !ids.includes(Number(m[1]))) ids.push(Number(m[1]));
  }
  return ids;
}

/** Waits until the list shows exactly `expected` ticket ids in that order. */
export async function expectListed(page, expected, opts) {
  await eventually(async () => assert.deepEqual(await listedTicketIds(page), expected), opts);
}

/** The link of one ticket in the list, found by its title. */
export const ticketLink = (page, title) => page.getByRole('link', { name: title });

// ---- ticket page -----------------------------------------------------------------------------

export const ticketHeading = (page, title) => page.getByRole('heading', { level: 1, name: title, exact: true });

/** Message bubbles: `<article data-sender=…>` (the one place the suite uses an attribute). */
export const articles = (page) => page.locator('article[data-sender]');

export const replyBox = (page) => page.getByRole('textbox', { name: 'Reply', exact: true });
export const sendReplyButton = (page) => page.getByRole('button', { name: 'Send reply', exact: true });
export const closeButton = (page) => page.getByRole('button', { name: 'Close ticket', exact: true });
export const reopenButton = (page) => page.getByRole('button', { name: 'Reopen ticket', exact: true });

/** The file input labelled "Attach files" (a visible button may carry the same name). */
export const fileInput = (page) =>
  page.getByLabel('Attach files', { exact: true }).and(page.locator('input[type=file]'));

/** The drop zone: whatever element carries the accessible name "Drop files here". */
export const dropZone = (page) =>
  page
    .getByLabel('Drop files here')
    .or(page.getByRole('button', { name: 'Drop files here' }))
    .or(page.getByRole('region', { name: 'Drop files here' }))
    .or(page.getByRole('group', { name: 'Drop files here' }))
    .first();

export const removeFileButton = (page, filename) =>
  page.getByRole('button', { name: `Remove ${filename}`, exact: true });

function escapeRe(s) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The download control (button or link) of an attachment, inside `scope` (page or article). */
export function downloadControl(scope, filename) {
  const name = new RegExp(`^Download ${escapeRe(filename)}`);
  return scope.getByRole('button', { name }).or(scope.getByRole('link', { name })).first();
}

/** Clicks a download control and returns the downloaded file's bytes and suggested name. */
export async function download(page, control) {
  const [dl] = await Promise.all([page.waitForEvent('download'), control.click()]);
  const failure = await dl.failure();
  assert.equal(failure, null, `download failed: ${failure}`);
  const file = await dl.path();
  return { bytes: await fs.readFile(file), filename: dl.suggestedFilename() };
}

/** Drops files on the drop zone as a person dragging them from the desktop would. */
export async function dropFiles(page, files) {
  const dataTransfer = await page.evaluateHandle((specs) => {
    const dt = new DataTransfer();
    for (const f of specs) dt.items.add(new File([new Uint8Array(f.bytes)], f.name, { type: f.type }));
    return dt;
  }, files.map((f) => ({ name: f.name, type: f.mimeType, bytes: [...f.buffer] })));
  const zone = dropZone(page);
  await zone.dispatchEvent('dragenter', { dataTransfer });
  await zone.dispatchEvent('dragover', { dataTransfer });
  await zone.dispatchEvent('drop', { dataTransfer });
}

// ---- storage and auth ------------------------------------------------------------------------

/** Everything the page keeps in web storage and document.cookie, plus the context's cookies. */
export async function storageDump(page) {
  const dump = await page.evaluate(() => {
    const all = (s) => Object.fromEntries(Array.from({ length: s.length }, (_, i) => [s.key(i), s.getItem(s.key(i))]));
    return { session: all(sessionStorage), local: all(localStorage), documentCookie: document.cookie };
  });
  dump.cookies = await page.context().cookies();
  return dump;
}

export const storageText = (part) => JSON.stringify(part);

/** Seed texts (titles, message bodies, file contents) that must not stay in a signed-out browser. */
export const TICKET_TEXTS = [
  'Printer on fire',
  'The printer in room 42',
  'fire brigade',
  'Replacement keyboard',
  'Invoice copy needed',
  'smoke detected',
];

/**
 * After sign-out or a lost session: neither web storage nor any cookie (document.cookie and the
 * context's, HttpOnly included) keeps the credential, the password or ticket data.
 */
export async function assertNothingStored(page, { credential, password = USERS.alice.password, texts = TICKET_TEXTS, what }) {
  const dump = await storageDump(page);
  const text = storageText(dump);
  if (credential) assert.ok(!text.includes(credential), `${what}: the credential is still stored: ${text}`);
  assert.ok(!text.includes(password), `${what}: the password is stored: ${text}`);
  const found = texts.filter((t) => text.toLowerCase().includes(t.toLowerCase()));
  assert.deepEqual(found, [], `${what}: ticket data is stored: ${text}`);
  return dump;
}

/**
 * Records whether any of `texts` is ever put into the document from now on (the same document:
 * in-app navigations such as Back). `shownSince(page)` returns what was seen.
 */
export async function watchShownTexts(page, texts = TICKET_TEXTS) {
  await page.evaluate((list) => {
    window.__e2eShown = [];
    const check = () => {
      const body = document.body?.innerText || '';
      for (const t of list) if (body.includes(t) && !window.__e2eShown.includes(t)) window.__e2eShown.push(t);
    };
    new MutationObserver(check).observe(document, { subtree: true, childList: true, characterData: true });
    check();
  }, texts);
}

export const shownSince = (page) => page.evaluate(() => window.__e2eShown);

/** The token the portal sent with `Token token=…` (the last one seen by the fake). */
export async function sentToken() {
  const reqs = await requests();
  const tokens = reqs
    .map((r) => /^Token token=(.+)$/.exec(header(r, 'authorization') || ''))
    .filter(Boolean)
    .map((m) => m[1].replace(/^"|"$/g, ''));
  return tokens.at(-1);
}

/** Marks the current document so that a later check can prove no full reload happened. */
export async function markDocument(page) {
  await page.evaluate(() => {
    window.__e2eNoReload = 'still-here';
  });
}

export async function assertNotReloaded(page) {
  assert.equal(await page.evaluate(() => window.__e2eNoReload), 'still-here', 'the page was reloaded');
}

// ---- the browser's clock -----------------------------------------------------------------------

/**
 * Lets a test move the page's wall clock: `Date.now()` returns real time plus `skewClock(page, ms)`'s
 * offset, while timers keep running in real time. Call before the first navigation. (Playwright's
 * `page.clock` fake timers break this wasm app: see README, "Time travel".)
 */
export async function skewableClock(page) {
  await page.addInitScript(() => {
    const real = Date.now.bind(Date);
    window.__e2eSkewMs = 0;
    Date.now = () => real() + window.__e2eSkewMs;
  });
}

/** Sets the page's clock offset (ms ahead of real time); lost on a full reload. */
export const skewClock = (page, ms) =>
  page.evaluate((v) => {
    window.__e2eSkewMs = v;
  }, ms);

// ---- the tab's visibility ------------------------------------------------------------------------

/**
 * Lets a test hide and show the tab: headless Chromium reports every page as visible whatever
 * happens (another tab brought to front or activated with `Target.activateTarget`, the window
 * minimized with `Browser.setWindowBounds`, `Page.setWebLifecycleState` frozen and back: all
 * stay "visible" in Chromium 156). So `document.visibilityState` / `document.hidden` answer from
 * a flag that `setTabHidden` flips, firing `visibilitychange` as the browser would. Call before
 * the first navigation.
 */
export async function hideableTab(page) {
  await page.addInitScript(() => {
    const proto = Document.prototype;
    const state = Object.getOwnPropertyDescriptor(proto, 'visibilityState').get;
    const hidden = Object.getOwnPropertyDescriptor(proto, 'hidden').get;
    window.__e2eHidden = false;
    Object.defineProperty(proto, 'visibilityState', {
      configurable: true,
      get() {
        return window.__e2eHidden ? 'hidden' : state.call(this);
      },
    });
    Object.defineProperty(proto, 'hidden', {
      configurable: true,
      get() {
        return window.__e2eHidden ? true : hidden.call(this);
      },
    });
  });
}

/** Hides (`true`) or shows the tab set up with `hideableTab`. */
export const setTabHidden = (page, value) =>
  page.evaluate((v) => {
    window.__e2eHidden = v;
    document.dispatchEvent(new Event('visibilitychange', { bubbles: true }));
  }, value);

/** The warning before Znuny ends the session ("… ends your session in N minutes"). */
export const sessionWarning = (page) =>
  page.getByRole('status').filter({ hasText: /ends your session in \d+ minutes?/ });
