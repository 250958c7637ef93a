// Hostile content: the XSS corpus (devserver/data/xss-vectors.json, served by both fakes through
// `POST /__test/seed_xss`) and the detectors that prove none of it ran.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { BACKEND, PORTAL_URL } from './env.mjs';
import { apiGet, apiPost } from './fake.mjs';

const corpusFile = new URL('../../devserver/data/xss-vectors.json', import.meta.url);

/** Every vector: `{ id, family, name, html }`. */
export const VECTORS = JSON.parse(fs.readFileSync(corpusFile, 'utf8')).vectors;

/**
 * A text as the help desk's database keeps it (what the fakes store for titles, subjects and file
 * names): no NUL, at most 250 characters.
 */
export const columnText = (s) => [...s.replaceAll('\0', '')].slice(0, 250).join('');

/** A file name as the help desk stores it (Znuny trims, drops line breaks, strips leading dots). */
export const storedFilename = (s) =>
  BACKEND === 'znuny' ? columnText(s).trim().replace(/[\r\n]/g, '').replace(/^\.+/, '') : columnText(s);

/**
 * Seeds the hostile tickets for alice: `{ corpus_ticket, formatting_ticket, title_tickets, vectors,
 * markers, logo_content_id, remote_images }`.
 */
export const seedXss = () => apiPost('__test/seed_xss', { customer: 'alice' });

/** What reached `/__trap/…` on the dev server since the last reset. */
export const trapLog = () => apiGet('__test/traps');

/** Empties the dev server's trap log. */
export async function clearTraps() {
  const res = await fetch(new URL('__test/traps', PORTAL_URL), { method: 'DELETE' });
  assert.ok(res.ok, `DELETE /__test/traps -> HTTP ${res.status}`);
}

/** The title of the corpus ticket as the customer sees it. */
export const CORPUS_TITLE =
  'XSS corpus <img src=x onerror="window.__xss=\'title-corpus\'"><script>alert(\'title-corpus\')</script>';

/** Globals the vectors set or clobber (`window.__xss`, `id=location`, `name=getElementById`, …). */
export const CLOBBER_NAMES = [
  '__xss', '__xssHref', '__e2eConfig', 'location', 'document', '__proto__', 'constructor', 'alert',
  'confirm', 'prompt', 'body', 'innerHTML', 'getElementById', 'querySelector', 'createElement',
  'fetch', 'localStorage', 'sessionStorage', 'top', 'self', 'defaultView', 'attributes', 'nodeName',
  'wasm_bindgen', '__wbg_init', 'WebAssembly', 'cookie', 'domain', 'forms', 'url', 'evil', 'f', 'm',
  'i', 'xss',
];

const portalOrigin = new URL(PORTAL_URL).origin;

/**
 * Watches a browser context for anything a vector could do once it runs: dialogs, new windows,
 * requests to `/__trap/` or to any other origin than the portal's, main-frame navigations.
 * `allowOrigins`: other origins a test expects (e.g. the remote image host after "Show images").
 */
export function watchExecution(context, { allowOrigins = [] } = {}) {
  const seen = { dialogs: [], popups: [], traps: [], foreign: [], navigations: [] };
  const onRequest = (req) => {
    const url = req.url();
    if (url.includes('/__trap/')) seen.traps.push(`${req.method()} ${url}`);
    let origin = '';
    try {
      origin = new URL(url).origin;
    } catch {}
    if (/^https?:/.test(url) && origin !== portalOrigin && !allowOrigins.includes(origin)) {
      seen.foreign.push(`${req.method()} ${url}`);
    }
  };
  const watchPage = (p) => {
    p.on('dialog', (d) => seen.dialogs.push(`${d.type()}: ${d.message()}`));
    p.on('framenavigated', (f) => {
      if (f === p.mainFrame()) seen.navigations.push(f.url());
    });
  };
  context.on('request', onRequest);
  context.on('page', (p) => {
    seen.popups.push(p.url() || '(new window)');
    watchPage(p);
  });
  for (const p of context.pages()) watchPage(p);
  return seen;
}

/**
 * Marks the document (a reload loses the mark) and records what the clobberable globals are
 * (`[object Function]`, `undefined`, …) before any message is shown.
 */
export async function markPage(page) {
  await page.evaluate((names) => {
    window.__e2eNoReload = 'still-here';
    window.__e2eGlobals = (list) => {
      const out = {};
      for (const n of list) {
        for (const [where, obj] of [['window', window], ['document', document]]) {
          let v;
          try {
            v = Object.prototype.toString.call(obj[n]);
          } catch (e) {
            v = `throws ${e}`;
          }
          out[`${where}.${n}`] = v;
        }
      }
      return out;
    };
    window.__e2eGlobalsBefore = window.__e2eGlobals(names);
  }, CLOBBER_NAMES);
}

/**
 * Fails when anything ran: dialogs, windows, trap requests (seen by the browser or logged by the
 * dev server), requests to foreign origins, navigations away from the portal, a reload (the
 * document must still carry `markDocument`'s mark), globals set or clobbered.
 */
export async function assertNothingRan(page, seen, what) {
  const log = await trapLog();
  assert.deepEqual(seen.dialogs, [], `${what}: a vector opened a dialog`);
  assert.deepEqual(seen.popups, [], `${what}: a vector opened a window`);
  assert.deepEqual(seen.traps, [], `${what}: the browser requested a trap`);
  assert.deepEqual(log, [], `${what}: the dev server saw trap requests`);
  assert.deepEqual(seen.foreign, [], `${what}: requests left the portal's origin`);
  const away = seen.navigations.filter((u) => !u.startsWith(portalOrigin));
  assert.deepEqual(away, [], `${what}: the page navigated away`);
  assert.equal(await page.evaluate(() => window.__e2eNoReload), 'still-here', `${what}: the page was reloaded`);
  const globals = await page.evaluate(
    ([names, before]) => {
      const now = window.__e2eGlobals(names);
      const bad = Object.keys(now).filter((k) => now[k] !== before[k]).map((k) => `${k}: ${before[k]} -> ${now[k]}`);
      if (window.__xss !== undefined) bad.push(`window.__xss = ${String(window.__xss)}`);
      if (typeof document.getElementById !== 'function') bad.push('document.getElementById clobbered');
      if (!(document.body instanceof HTMLBodyElement)) bad.push('document.body clobbered');
      if (!(window.location instanceof Location) || document.location !== window.location) bad.push('location');
      if (Object.getPrototypeOf({}) !== Object.prototype || Object.keys(Object.prototype).length) {
        bad.push('Object.prototype polluted');
      }
      return bad;
    },
    [CLOBBER_NAMES, await page.evaluate(() => window.__e2eGlobalsBefore)],
  );
  assert.deepEqual(globals, [], `${what}: globals set or clobbered`);
}

/**
 * What a sanitized message may contain: no active or form elements, no ids/names/styles/handlers,
 * links only to the web, mail or phone (new tab, noopener noreferrer), images only from `data:`
 * or `blob:` (the help desk's own) and remote ones parked without a `src`.
 */
export async function assertBodiesClean(page, what) {
  const problems = await page.evaluate(() => {
    const out = [];
    const bodies = [...document.querySelectorAll('article[data-sender]')];
    const forbidden =
      'script,iframe,frame,frameset,object,embed,applet,form,input,button,textarea,select,option,style,link,meta,' +
      'base,svg,math,video,audio,source,picture,template,noscript,portal,marquee,details,isindex,xmp,plaintext,listing';
    for (const body of bodies) {
      const html = body.querySelector('div[class~="body-html"]');
      if (!html) continue;
      for (const el of html.querySelectorAll(forbidden)) out.push(`<${el.localName}> in a message`);
      for (const el of html.querySelectorAll('*')) {
        for (const a of el.getAttributeNames()) {
          if (/^on|^(id|name|style|class|srcset|formaction|action|background|poster|ping|xlink:href|srcdoc)$/i.test(a)) {
            out.push(`${el.localName}[${a}="${el.getAttribute(a)}"]`);
          }
        }
        if (el.namespaceURI !== 'http://www.w3.org/1999/xhtml') out.push(`${el.localName} in ${el.namespaceURI}`);
      }
      for (const a of html.querySelectorAll('a')) {
        const href = a.getAttribute('href');
        if (href === null) continue;
        if (!/^(https?:|mailto:|tel:)/i.test(href)) out.push(`a[href="${href}"]`);
        if (a.target !== '_blank') out.push(`a[href="${href}"] target=${a.target}`);
        const rel = (a.getAttribute('rel') || '').split(/\s+/);
        if (!rel.includes('noopener') || !rel.includes('noreferrer')) out.push(`a[href="${href}"] rel=${rel}`);
      }
      for (const img of html.querySelectorAll('img[src]')) {
        const src = img.getAttribute('src');
        if (!/^(data:image\/(png|gif|jpeg|webp)[;,]|blob:)/i.test(src)) out.push(`img[src="${src}"]`);
      }
    }
    return out;
  });
  assert.deepEqual(problems, [], `${what}: unsafe markup reached the page`);
}

/** Fails when `text` (page HTML, storage dump) contains a leak marker (case-insensitive). */
export function assertNoMarkers(text, markers, what) {
  const lower = String(text).toLowerCase();
  const found = markers.filter((m) => lower.includes(String(m).toLowerCase()));
  assert.deepEqual(found, [], `${what}: agent-only data reached the portal`);
}

/** A valid 8×8 PNG (what the fake remote image host answers). */
export const REMOTE_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAgAAAAICAIAAABLbSncAAAAEUlEQVR42mN44KCAFTEMLQkAcplQAWCzOOkAAAAASUVORK5CYII=',
  'base64',
);
