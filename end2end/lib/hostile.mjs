// Hostile content: the XSS corpus (devserver/data/xss-vectors.json, served by both fakes through
// `POST /__test/seed_xss`) and the detectors that prove none of it ran.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { Trap } from './browser.mjs';
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

// ---- DOMPurify's test corpus (devserver/data/dompurify-corpus.json, `POST /__test/seed_dompurify`)

const dompurifyFile = new URL('../../devserver/data/dompurify-corpus.json', import.meta.url);

/** DOMPurify's corpus as stored: `{ source, commit, license, …, payloads: [{ id, title?, payload }] }`. */
export const DOMPURIFY = JSON.parse(fs.readFileSync(dompurifyFile, 'utf8'));

/** Seeds the DOMPurify ticket for alice: `{ ticket, title, payloads }`. */
export const seedDompurify = () => apiPost('__test/seed_dompurify', { customer: 'alice' });

/** The subject of the article carrying a payload (`dompurify-007` → `DOMPurify 007`). */
export const dompurifySubject = (p) => `DOMPurify ${p.id.replace(/^dompurify-/, '')}`;

/**
 * The portal's whitelist as src/html/sanitize.rs states it, written out again here so that a change
 * there has to be made on purpose: elements dropped with all they contain, and elements kept
 * (in the HTML namespace; elsewhere, and every other element, only their content is kept).
 */
export const SANITIZER_DROPS = [
  'applet', 'audio', 'base', 'button', 'canvas', 'datalist', 'embed', 'frame', 'frameset', 'head', 'iframe',
  'input', 'link', 'math', 'meta', 'noembed', 'noframes', 'noscript', 'object', 'option', 'param', 'picture',
  'portal', 'script', 'select', 'source', 'style', 'svg', 'template', 'textarea', 'title', 'track', 'video', 'xmp',
  'plaintext',
];
export const SANITIZER_KEEPS = [
  'a', 'abbr', 'address', 'b', 'blockquote', 'br', 'caption', 'center', 'cite', 'code', 'col', 'colgroup', 'dd',
  'del', 'div', 'dl', 'dt', 'em', 'figcaption', 'figure', 'font', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'hr', 'i',
  'img', 'ins', 'kbd', 'li', 'mark', 'ol', 'p', 'pre', 'q', 's', 'samp', 'small', 'span', 'strike', 'strong', 'sub',
  'sup', 'table', 'tbody', 'td', 'tfoot', 'th', 'thead', 'tr', 'tt', 'u', 'ul',
];

/**
 * The text each HTML body should show once sanitized, computed independently of the portal: each
 * body parsed inertly (a `<template>`, as the portal parses, in a blank page of its own without a
 * Content-Security-Policy), then its text nodes collected, leaving out what the whitelist drops
 * with its content; a kept image that does not show (no `src` the portal may load: not raster
 * `data:`, not a remote `http(s):` address waiting for "Show images") leaves the portal's English
 * "[image not shown]" / "[image not shown: alt]". Node properties are read through the
 * prototypes' getters: the bodies clobber them (`<form><input name=nodeType>`).
 */
export async function survivingTexts(browser, htmls) {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.goto('about:blank');
    return await page.evaluate(
      ([bodies, drops, keeps]) => {
        const getter = (proto, name) => Object.getOwnPropertyDescriptor(proto, name).get;
        const nodeType = getter(Node.prototype, 'nodeType');
        const firstChild = getter(Node.prototype, 'firstChild');
        const nextSibling = getter(Node.prototype, 'nextSibling');
        const data = getter(CharacterData.prototype, 'data');
        const localName = getter(Element.prototype, 'localName');
        const namespace = getter(Element.prototype, 'namespaceURI');
        const getAttribute = Element.prototype.getAttribute;
        const XHTML = 'http://www.w3.org/1999/xhtml';
        const remote = (src) => {
          // src/html/sanitize.rs remote_image: http(s) or protocol-relative with a host.
          const cleaned = src.replace(/^[\u0000-\u0020]+|[\u0000-\u0020]+$/g, '').replace(/[\t\n\r]/g, '');
          const m = /^(https?:)?\/\/(.*)$/is.exec(cleaned);
          if (!m) return false;
          const host = m[2].split(/[/?#\\]/)[0];
          return host.length > 0 && !/[\u0000-\u0020"]/.test(host);
        };
        const shows = (src) => src !== null && (/^data:image\/(png|gif|jpeg|webp)/i.test(src.trim()) || remote(src));
        const textOf = (parent) => {
          let out = '';
          for (let n = firstChild.call(parent); n; n = nextSibling.call(n)) {
            const type = nodeType.call(n);
            if (type === Node.TEXT_NODE) out += data.call(n);
            if (type !== Node.ELEMENT_NODE) continue;
            const name = localName.call(n).toLowerCase();
            if (drops.includes(name)) continue;
            if (name === 'img' && namespace.call(n) === XHTML && keeps.includes(name)) {
              if (!shows(getAttribute.call(n, 'src'))) {
                const alt = (getAttribute.call(n, 'alt') ?? '').trim();
                out += alt ? `[image not shown: ${alt}]` : '[image not shown]';
              }
              continue;
            }
            out += textOf(n);
          }
          return out;
        };
        return bodies.map((html) => {
          const template = document.createElement('template');
          template.innerHTML = html;
          return textOf(template.content);
        });
      },
      [htmls, SANITIZER_DROPS, SANITIZER_KEEPS],
    );
  } finally {
    await context.close();
  }
}

// ---- a real trap of the portal's wasm ------------------------------------------------------------

/** What the browser says when the wasm reads beyond its memory (the trap of issue 15). */
export const WASM_TRAP = /^RuntimeError: memory access out of bounds/;

/**
 * Error traps (lib/browser.mjs) for a page whose wasm a test makes trap: the expected
 * `RuntimeError: memory access out of bounds` is recorded in `wasmTraps` instead of failing the
 * test; every other page error, console error, crash and CSP violation still fails it.
 */
export class WasmTrapExpected extends Trap {
  constructor() {
    super();
    this.wasmTraps = [];
  }

  fail(kind, text) {
    if (kind === 'pageerror' && WASM_TRAP.test(text)) {
      this.wasmTraps.push(text);
      this.log.push(`(expected) ${kind}: ${text}`);
      return;
    }
    super.fail(kind, text);
  }
}

/**
 * Makes the portal's own release wasm trap for real: one of its closure shims (the exported
 * `…closures…invoke…` functions through which every event handler, timer and task of the portal
 * enters the wasm) is called with a vtable address beyond the wasm's memory, so the wasm traps
 * with "memory access out of bounds", the error of issue 15. The wasm's exports come from its glue
 * module (the page's `portal-<hash>.js`, already initialised: importing it again hands out the
 * same instance). Nothing is changed in the build: no test flag, no back door.
 *
 * `when` says where the trap surfaces, uncaught, as traps inside the portal do:
 * - `'timer'`: in a timer (an uncaught error event);
 * - `'promise'`: in a promise reaction nobody handles (an unhandled rejection);
 * - `'queue'`: instead of the wasm's next run of its task queue (wasm-bindgen-futures asks
 *   `queueMicrotask` for it) once the form field `until.field` (a CSS selector) ends with
 *   `until.endsWith` (the last key typed): every task of that run (Leptos effects, e.g. one
 *   saving a draft) never runs and the queue never runs again, as when one of its tasks traps.
 * Resolves to the export's name once armed ('queue') or fired.
 */
export async function trapWasm(page, when, until = {}) {
  return page.evaluate(
    async ([how, { field, endsWith }]) => {
      const glue = performance
        .getEntriesByType('resource')
        .map((e) => e.name)
        .find((n) => /\/portal-[0-9a-f]+\.js$/.test(new URL(n).pathname));
      if (!glue) throw new Error('the portal glue module was not loaded');
      const wasm = await (await import(glue)).default();
      const name = Object.keys(wasm).find((k) => /invoke/.test(k) && typeof wasm[k] === 'function' && wasm[k].length === 2);
      if (!name) throw new Error('no closure shim among the wasm exports');
      // a: any closure data (not 0, which the shim refuses with a JS error); b: the vtable, 16 bytes
      // below 4 GiB, far beyond the wasm's memory.
      const trap = () => wasm[name](8, 0xfffffff0);
      if (how === 'timer') setTimeout(trap);
      else if (how === 'promise') Promise.resolve().then(trap);
      else if (how === 'queue') {
        const ready = () => (field ? (document.querySelector(field)?.value ?? '').endsWith(endsWith) : true);
        const original = window.queueMicrotask;
        window.queueMicrotask = (callback) => {
          if (!ready()) return original(callback);
          window.queueMicrotask = original;
          window.__e2eQueueTrapped = true;
          return original(trap);
        };
      } else throw new Error(`unknown trap point ${how}`);
      return name;
    },
    [when, until],
  );
}

/** The portal's "stopped working" message (role alert) and its reload button, English or German. */
export const STOPPED = {
  en: { heading: 'Something went wrong', reload: 'Reload page', message: /stopped working.*what you were writing is kept/ },
  de: { heading: 'Etwas ist schiefgelaufen', reload: 'Seite neu laden', message: /funktioniert nicht mehr.*bleibt erhalten/ },
};
