// Browser start-up and the per-page error traps every test runs under.
import { chromium } from 'playwright-core';
import { CHROMIUM, UI_TIMEOUT } from './env.mjs';

/** Debian's Chromium, headless. playwright-core never downloads a browser. */
export async function launch() {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

const FATAL_CONSOLE = /panicked|RuntimeError|unreachable/;
const CSP = /Content Security Policy/i;

/**
 * Collects what must fail a test: uncaught page errors, Rust panics / wasm traps reported on the
 * console, Content-Security-Policy violations, renderer crashes. `failed` rejects at the first one,
 * so a test stops at once instead of waiting for a UI that will never come.
 */
export class Trap {
  constructor() {
    this.errors = [];
    this.log = [];
    this.failed = new Promise((_, reject) => {
      this._reject = reject;
    });
    this.failed.catch(() => {}); // observed through Promise.race / check()
  }

  fail(kind, text) {
    const message = `${kind}: ${text}`;
    this.errors.push(message);
    this.log.push(`!! ${message}`);
    this._reject(new Error(`page error trap — ${message}`));
  }

  check() {
    if (this.errors.length) {
      throw new Error(`page error trap — ${this.errors.join('\n')}`);
    }
  }

  /** Wires the traps to one page (every page of a test's context should be watched). */
  watch(page) {
    page.on('pageerror', (err) => this.fail('pageerror', err.stack || err.message || String(err)));
    page.on('crash', () => this.fail('crash', 'the renderer crashed'));
    page.on('console', (msg) => {
      const text = msg.text();
      this.log.push(`[console.${msg.type()}] ${text}`);
      if (CSP.test(text)) this.fail('CSP violation', text);
      else if (msg.type() === 'error' && FATAL_CONSOLE.test(text)) this.fail(`console.${msg.type()}`, text);
    });
    page.on('requestfailed', (req) => {
      this.log.push(`[requestfailed] ${req.method()} ${req.url()} ${req.failure()?.errorText ?? ''}`);
    });
    page.on('response', (res) => {
      if (res.status() >= 400) this.log.push(`[http ${res.status()}] ${res.request().method()} ${res.url()}`);
    });
    page.on('download', (d) => this.log.push(`[download] ${d.suggestedFilename()}`));
    // Confirmation dialogs (if the portal uses any) are answered "OK"; the default would cancel.
    page.on('dialog', (dialog) => {
      this.log.push(`[dialog ${dialog.type()}] ${dialog.message()}`);
      dialog.accept().catch(() => {});
    });
  }
}

const watchedContexts = new WeakSet();

/**
 * A new page with the error traps. Without `context` a fresh context (downloads accepted) is made;
 * the returned page's `trap` lists what went wrong.
 */
export async function newPage(browser, { context, trap } = {}) {
  const ctx =
    context ??
    (await browser.newContext({ acceptDownloads: true, viewport: { width: 1280, height: 900 } }));
  const t = trap ?? new Trap();
  if (!watchedContexts.has(ctx)) {
    watchedContexts.add(ctx);
    // A second, independent report of CSP violations (the console message is the first).
    await ctx.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) => {
        console.error(`Content Security Policy violation: ${e.violatedDirective} blocked ${e.blockedURI}`);
      });
    });
  }
  const page = await ctx.newPage();
  page.setDefaultTimeout(UI_TIMEOUT);
  page.setDefaultNavigationTimeout(30_000);
  t.watch(page);
  page.trap = t;
  return page;
}
