// The portal embedded in a company's own page (README, "Embedding"): one element with
// `data-help-portal`, one script tag (/support/embed.js). The host page (fixtures/embed-host.html,
// served at /company/help.html under the portal's Content-Security-Policy) carries hostile global
// CSS (fixtures/embed-host.css). The portal renders in a shadow root: it looks exactly as on its
// own page, the host page's elements keep exactly their own styles, the host keeps its path,
// title, `lang` and theme while the portal's location moves after `#`.
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  BASE,
  STOPPED,
  WasmTrapExpected,
  articles,
  currentConfig,
  eventually,
  expectListed,
  identifierBox,
  isReplyTo,
  listHeading,
  myTicketsLink,
  newPage,
  passwordBox,
  putConfig,
  replyBox,
  requests,
  sendReplyButton,
  signInButton,
  signInHeading,
  signOutButton,
  statusMessage,
  ticketHeading,
  ticketLink,
  trapWasm,
  USERS,
  usePortal,
} from './lib/index.mjs';

const it = usePortal(import.meta);
const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');
const HOST = new URL('company/help.html?from=embed-test', BASE);
const HOST_TITLE = 'Example Corp – Support';

/**
 * Serves the host page and its stylesheet at /company/ (same origin as the portal), with the
 * Content-Security-Policy the dev server sends with the portal's own index.html.
 * `portal: false` leaves the embed script out: the host page as it is without the portal.
 */
async function serveHostPage(page, { portal = true } = {}) {
  const csp = (await fetch(BASE)).headers.get('content-security-policy');
  assert.ok(csp, 'the dev server sends a Content-Security-Policy');
  let html = await fs.readFile(path.join(fixtures, 'embed-host.html'), 'utf8');
  if (!portal) html = html.replace(/<script[^>]*embed\.js[^>]*><\/script>/, '');
  const css = await fs.readFile(path.join(fixtures, 'embed-host.css'), 'utf8');
  await page.route(
    (url) => url.origin === HOST.origin && url.pathname.startsWith('/company/'),
    (route) => {
      const { pathname } = new URL(route.request().url());
      if (pathname === HOST.pathname) {
        return route.fulfill({
          body: html,
          headers: { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': csp, 'cache-control': 'no-store' },
        });
      }
      if (pathname === '/company/host.css') {
        return route.fulfill({ body: css, headers: { 'content-type': 'text/css; charset=utf-8' } });
      }
      return route.fulfill({ status: 404, body: 'not found' });
    },
  );
}

const STYLE_PROPS = [
  'font-family', 'font-size', 'font-weight', 'font-style', 'color', 'background-color', 'line-height',
  'letter-spacing', 'text-transform', 'text-decoration-line', 'text-shadow', 'box-sizing',
  'padding-top', 'padding-left', 'border-top-width', 'border-top-style', 'border-top-color',
  'border-bottom-width', 'border-top-left-radius', 'margin-top', 'margin-left', 'cursor', 'display',
  'outline-style',
];

/** Computed styles of `locator`'s element, or of its parent element with `parent`. */
const computed = (locator, { parent = false } = {}) =>
  locator.evaluate(
    (el, [props, up]) => {
      const style = getComputedStyle(up ? el.parentElement : el);
      return Object.fromEntries(props.map((p) => [p, style.getPropertyValue(p)]));
    },
    [STYLE_PROPS, parent],
  );

/** The portal's elements compared with the portal on its own page, found by role and label. */
const portalProbes = {
  'sign-in heading': (page) => signInHeading(page),
  'sign-in button': (page) => signInButton(page),
  'login box': (page) => identifierBox(page),
  'password label': (page) => page.getByText('Password', { exact: true }),
  'brand link': (page) => page.getByRole('link', { name: 'Acme Help Center', exact: true }),
  'theme select': (page) => page.getByRole('combobox', { name: 'Theme', exact: true }),
};

async function portalStyles(page) {
  const out = {};
  for (const [name, probe] of Object.entries(portalProbes)) out[name] = await computed(probe(page).first());
  // <body> on its own page, the portal's root element when embedded.
  out['page background'] = await computed(page.getByRole('main'), { parent: true });
  return out;
}

/** The host page's own elements. */
const hostProbes = {
  html: (page) => page.locator('html'),
  body: (page) => page.locator('body'),
  heading: (page) => page.getByRole('heading', { name: 'Example Corp', exact: true }),
  link: (page) => page.getByRole('link', { name: /about us/i }),
  button: (page) => page.getByRole('button', { name: /call us back/i }),
  'text before': (page) => page.getByText('Questions about an order?'),
  'text after': (page) => page.getByText('Example Corp, 1 Example Street'),
  'portal element': (page) => page.locator('[data-help-portal]'),
};

async function hostStyles(page) {
  const out = {};
  for (const [name, probe] of Object.entries(hostProbes)) out[name] = await computed(probe(page));
  return out;
}

const hostDocument = (page) =>
  page.evaluate(() => ({
    title: document.title,
    lang: document.documentElement.getAttribute('lang'),
    theme: document.documentElement.getAttribute('data-theme'),
    inlineStyle: document.documentElement.getAttribute('style'),
    icons: [...document.querySelectorAll('link[rel~="icon"]')].length,
  }));

/** What the embedded portal's shadow root holds: its focused element and its root's attributes. */
const shadowState = (page) =>
  page.evaluate(() => {
    const shadow = document.querySelector('[data-help-portal]').shadowRoot;
    const root = shadow?.querySelector('.portal-root');
    return {
      open: Boolean(shadow),
      focused: shadow?.activeElement?.tagName.toLowerCase() ?? null,
      focusedText: shadow?.activeElement?.textContent.trim() ?? null,
      lang: root?.getAttribute('lang'),
      theme: root?.getAttribute('data-theme'),
    };
  });

async function signInHere(page) {
  await signInHeading(page).waitFor();
  await identifierBox(page).fill(USERS.alice.identifier);
  await passwordBox(page).fill(USERS.alice.password);
  await signInButton(page).click();
  await signOutButton(page).waitFor();
}

it('looks exactly as on its own page, and the host page keeps exactly its own styles', async ({ page, openPage }) => {
  // Stable computed values: no theme fade half-way.
  await page.emulateMedia({ reducedMotion: 'reduce' });
  await page.goto(`${BASE}sign-in`);
  await signInHeading(page).waitFor();
  const standalone = await portalStyles(page);

  const plain = await openPage();
  await plain.emulateMedia({ reducedMotion: 'reduce' });
  await serveHostPage(plain, { portal: false });
  await plain.goto(HOST.href);
  await plain.getByRole('heading', { name: 'Example Corp', exact: true }).waitFor();
  const hostAlone = await hostStyles(plain);
  assert.match(hostAlone.heading['font-family'], /Comic Sans/, 'the host CSS is in force');

  const host = await openPage();
  await host.emulateMedia({ reducedMotion: 'reduce' });
  await serveHostPage(host);
  await host.goto(HOST.href);
  await signInHeading(host).waitFor();
  assert.deepEqual(await portalStyles(host), standalone, 'the embedded portal differs from the portal on its own page');
  assert.deepEqual(await hostStyles(host), hostAlone, "the portal's CSS changed the host page");

  const doc = await hostDocument(host);
  assert.deepEqual(doc, { title: HOST_TITLE, lang: 'en-GB', theme: null, inlineStyle: null, icons: 0 });
  const shadow = await shadowState(host);
  assert.equal(shadow.open, true, 'an open shadow root');
  assert.equal(shadow.lang, 'en', "the portal's language is set on its own root");

  // Signed in, with the list and a ticket: still the same.
  await signInHere(host);
  await ticketLink(host, 'Printer on fire').first().click();
  await ticketHeading(host, 'Printer on fire').waitFor();
  assert.deepEqual(await hostStyles(host), hostAlone, "the portal's CSS changed the host page");
  assert.equal(await host.title(), HOST_TITLE, "the host page's title stays");
});

it('signs in, lists, opens and replies inside the host page; the host path stays, the hash moves', async ({ page }) => {
  await serveHostPage(page);
  const serverPaths = [];
  page.on('request', (req) => {
    const url = new URL(req.url());
    if (url.origin === HOST.origin && !url.pathname.startsWith('/api/') && !url.pathname.startsWith('/znuny/')) serverPaths.push(url.pathname);
  });
  await page.goto(HOST.href);
  await signInHeading(page).waitFor();
  const at = () => new URL(page.url());
  assert.equal(at().pathname, HOST.pathname);
  assert.equal(at().search, HOST.search, "the host page's query stays");
  assert.equal(at().hash, `#/sign-in?next=${encodeURIComponent('/')}`);

  await signInHere(page);
  await listHeading(page).waitFor();
  await expectListed(page, [101, 105, 106, 102]);
  const link = ticketLink(page, 'Printer on fire').first();
  assert.equal(await link.evaluate((a) => a.href), `${HOST.href}#/tickets/101`, 'links keep the host path and query');

  await link.click();
  await ticketHeading(page, 'Printer on fire').waitFor();
  assert.equal(at().pathname, HOST.pathname);
  assert.equal(at().hash, '#/tickets/101');
  await articles(page).first().waitFor();
  // Focus follows the route change inside the shadow root: the new page's heading.
  await eventually(async () => assert.deepEqual(
    { focused: (await shadowState(page)).focused, text: (await shadowState(page)).focusedText },
    { focused: 'h1', text: 'Printer on fire' },
  ));

  const text = `Embedded reply ${Date.now()}`;
  await replyBox(page).fill(text);
  await sendReplyButton(page).click();
  await statusMessage(page, 'Reply sent').waitFor();
  await articles(page).filter({ hasText: text }).waitFor();
  await eventually(async () => assert.equal((await requests()).filter(isReplyTo(101)).length, 1, 'one reply stored'));

  // Back to the list: the start page `#/` the sign-in went on to.
  await page.goBack();
  await listHeading(page).waitFor();
  assert.equal(at().hash, '#/');
  await page.goForward();
  await ticketHeading(page, 'Printer on fire').waitFor();

  // A reload of the host page with the portal's deep link comes back to the same ticket.
  await page.reload();
  await ticketHeading(page, 'Printer on fire').waitFor();
  await myTicketsLink(page).click();
  await listHeading(page).waitFor();
  assert.equal(at().pathname, HOST.pathname);
  assert.equal(await page.title(), HOST_TITLE);

  // The server saw the host page, its stylesheet and the portal's files beside embed.js.
  const unexpected = serverPaths.filter(
    (p) => ![HOST.pathname, '/company/host.css', '/favicon.ico'].includes(p) && !/^\/support\/[\w.-]+$/.test(p),
  );
  assert.deepEqual(unexpected, [], 'requests outside the host page, the portal files and the API');
});

it("the host page's own links stay its own: an in-page anchor and a link to another page", async ({ page }) => {
  await serveHostPage(page);
  const navigations = [];
  page.on('request', (req) => {
    if (req.isNavigationRequest()) navigations.push(new URL(req.url()).pathname);
  });
  await page.goto(`${HOST.href}#/tickets/101`);
  await signInHere(page);
  await ticketHeading(page, 'Printer on fire').waitFor();
  // leptos_router's window-wide link listener was left out, and the page's own method is back.
  assert.equal(
    await page.evaluate(() => window.addEventListener === EventTarget.prototype.addEventListener),
    true,
    "window.addEventListener is not the browser's own",
  );

  // A link of the host page to a part of itself: the browser follows it, the portal stays.
  await page.evaluate(() => {
    const notes = document.createElement('p');
    notes.id = 'company-notes';
    notes.textContent = 'Company notes';
    const link = document.createElement('a');
    link.href = '#company-notes';
    link.textContent = 'Read the company notes';
    document.querySelector('.page').append(' ', link);
    document.body.append(notes);
  });
  await page.getByRole('link', { name: 'Read the company notes' }).click();
  await page.waitForURL((url) => url.hash === '#company-notes');
  assert.equal(new URL(page.url()).pathname, HOST.pathname);
  await ticketHeading(page, 'Printer on fire').waitFor();
  assert.equal(await page.getByRole('heading', { name: 'Page not found' }).count(), 0);
  await page.goBack();
  await page.waitForURL((url) => url.hash === '#/tickets/101');
  await ticketHeading(page, 'Printer on fire').waitFor();

  // A link to another page of the site: a real page load, not an in-app route.
  const before = navigations.length;
  await page.getByRole('link', { name: /about us/i }).click();
  await page.waitForURL((url) => url.pathname === '/company/about.html');
  await page.getByText('not found', { exact: true }).waitFor();
  assert.deepEqual(navigations.slice(before), ['/company/about.html'], 'the browser did not load the page');
});

it('theme and brand colours apply to the embedded portal, not to the host page', async ({ page }) => {
  await page.emulateMedia({ reducedMotion: 'reduce', colorScheme: 'light' });
  const config = await currentConfig();
  await putConfig({ ...config, brand: { ...config.brand, primary_color: '#b00020', favicon: 'brand/icon.png' } });
  await serveHostPage(page);
  await page.goto(HOST.href);
  await signInHeading(page).waitFor();
  const background = (el) => el.evaluate((e) => getComputedStyle(e).backgroundColor);
  await eventually(async () => assert.equal(await background(signInButton(page)), 'rgb(176, 0, 32)'));
  const rootBackground = () => page.getByRole('main').evaluate((e) => getComputedStyle(e.parentElement).backgroundColor);
  assert.equal(await rootBackground(), 'rgb(245, 247, 250)', 'light');
  const hostBody = await background(page.locator('body'));

  await page.getByRole('combobox', { name: 'Theme', exact: true }).selectOption({ label: 'Dark' });
  await eventually(async () => assert.equal(await rootBackground(), 'rgb(17, 22, 29)', 'dark'));
  assert.equal((await shadowState(page)).theme, 'dark');
  assert.equal(await background(page.locator('body')), hostBody, "the host page's background stays");
  assert.deepEqual(await hostDocument(page), { title: HOST_TITLE, lang: 'en-GB', theme: null, inlineStyle: null, icons: 0 });

  // Remembered like on the portal's own page, and applied before the portal renders.
  await page.reload();
  await signInHeading(page).waitFor();
  assert.equal((await shadowState(page)).theme, 'dark');
  assert.equal(await rootBackground(), 'rgb(17, 22, 29)');
});

it('a wasm trap in the embedded portal: the reload message inside its shadow root, the host page untouched', async ({ browser }) => {
  // The portal's release wasm made to trap for real (lib/hostile.mjs `trapWasm`), in a promise.
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  try {
    const trap = new WasmTrapExpected();
    const page = await newPage(browser, { context, trap });
    await serveHostPage(page);
    await page.goto(HOST.href);
    await signInHeading(page).waitFor();
    await signInHere(page);
    await listHeading(page).waitFor();
    await Promise.race([trapWasm(page, 'promise'), trap.failed]);

    const portal = page.locator('[data-help-portal]');
    const stopped = portal.getByRole('alert').filter({ hasText: STOPPED.en.heading });
    await stopped.waitFor();
    await eventually(async () => assert.equal(trap.wasmTraps.length, 1, 'one real wasm trap'));
    assert.match(await stopped.innerText(), STOPPED.en.message);
    const where = await stopped.evaluate((el) => ({
      inShadow: el.getRootNode() instanceof ShadowRoot,
      inRoot: el.parentElement?.parentElement?.classList.contains('portal-root') ?? false,
      focused: el.getRootNode().activeElement === el,
      lang: el.closest('.portal-root')?.getAttribute('lang') ?? null,
    }));
    assert.deepEqual(where, { inShadow: true, inRoot: true, focused: true, lang: 'en' });
    // Only the reload button is left of the portal; the host page keeps its own content.
    assert.deepEqual(await portal.getByRole('button').allTextContents(), [STOPPED.en.reload]);
    assert.equal(await portal.getByRole('textbox').count(), 0);
    assert.equal(await portal.getByRole('link').count(), 0);
    await page.getByRole('heading', { name: 'Example Corp', exact: true }).waitFor();
    await page.getByRole('button', { name: /call us back/i }).waitFor();
    assert.equal(await page.title(), HOST_TITLE);

    await stopped.getByRole('button', { name: STOPPED.en.reload, exact: true }).click();
    await listHeading(page).waitFor();
    assert.equal(await portal.getByRole('alert').filter({ hasText: STOPPED.en.heading }).count(), 0);
    trap.check();
  } finally {
    await context.close();
  }
});
