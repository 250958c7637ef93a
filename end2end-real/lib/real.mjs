// The real-Znuny suite's harness and helpers. There is no test API on a real help desk: tests read
// Znuny's own state as the agent through its Generic Interface (UserLogin/Password of the seed's
// agent emma), and what the portal sent from the access logs of the proxy in front of Znuny and of
// Znuny's Apache. `cargo xtask real-znuny test` sets the environment:
//   PORTAL_URL             the portal's folder on nginx (deploy/nginx/znuny.conf), …/support/
//   REAL_ZNUNY_URL         the web service on Znuny's Apache (no proxy in between)
//   REAL_ZNUNY_SEED        seed.json: ids and numbers Znuny gave the seeded tickets
//   REAL_ZNUNY_PROXY_LOG   nginx's access log; REAL_ZNUNY_APACHE_LOG: Apache's
import assert from 'node:assert/strict';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { launch, newPage, Trap } from '../../end2end/lib/browser.mjs';
import { ARTIFACTS, UI_TIMEOUT } from '../../end2end/lib/env.mjs';

function required(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the real-Znuny suite with \`cargo xtask real-znuny test\``);
  return value;
}

export const ZNUNY_URL = required('REAL_ZNUNY_URL').replace(/\/$/, '');
export const PROXY_LOG = required('REAL_ZNUNY_PROXY_LOG');
export const APACHE_LOG = required('REAL_ZNUNY_APACHE_LOG');
const SEED = JSON.parse(fs.readFileSync(required('REAL_ZNUNY_SEED'), 'utf8'));

/**
 * A seeded ticket by the demo seed's id (devserver/src/znuny/seed.rs, 101-108): `{ id, number,
 * title, customer, queue, state }`, with the id Znuny gave it.
 */
export function seeded(key) {
  const t = SEED.tickets[String(key)];
  assert.ok(t, `seed.json has no ticket ${key}`);
  return t;
}

export const INTERNAL_NOTE = SEED.internal_note;
export const PRINTER_LOG = Buffer.from(SEED.printer_log);
/** The value of the agent-only dynamic field AgentNotes on seeded ticket 102 (never shown). */
export const AGENT_NOTES = SEED.agent_notes;
export const AGENT = { UserLogin: 'emma', Password: 'emma-demo' };

// ---- Znuny's own state, read as the agent --------------------------------------------------

async function gi(method, route, { headers = {}, body } = {}) {
  const res = await fetch(`${ZNUNY_URL}${route}`, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  assert.equal(res.status, 200, `${method} ${route} -> HTTP ${res.status}: ${text.slice(0, 300)}`);
  const answer = JSON.parse(text);
  assert.ok(!answer.Error, `${method} ${route}: ${JSON.stringify(answer.Error)}`);
  return answer;
}

/**
 * A ticket with all its articles (internal ones too), attachment contents and dynamic fields, as
 * emma sees it.
 */
export async function agentTicket(id) {
  const answer = await gi('GET', `/Ticket/${id}?AllArticles=1&Attachments=1&GetAttachmentContents=1&DynamicFields=1`, {
    // Headers override query and body (docs/znuny-api.md, section 3): the agent's credentials
    // stay out of the URL here too.
    headers: { 'X-OTRS-Header-UserLogin': AGENT.UserLogin, 'X-OTRS-Header-Password': AGENT.Password },
  });
  return answer.Ticket[0];
}

export const articlesOf = (ticket) => ticket.Article ?? [];

/** The ticket's dynamic fields as `{ Name: Value }` (TicketGet leaves out those without a value). */
export const fieldsOf = (ticket) => Object.fromEntries((ticket.DynamicField ?? []).map((f) => [f.Name, f.Value]));

/** The attachments a person attached (not Znuny's HTML body copies). */
export const filesOf = (article) => (article.Attachment ?? []).filter((a) => !/^file-\d+$/.test(a.Filename));

// ---- what reached the proxy and Znuny's Apache ---------------------------------------------

const logText = (file) => (fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '');

/** Lines the proxy (nginx) logged since `mark` (a `logMark()`). */
export function proxyLinesSince(mark) {
  return logText(PROXY_LOG).slice(mark.proxy).split('\n').filter(Boolean);
}

export const logMark = () => ({ proxy: logText(PROXY_LOG).length, apache: logText(APACHE_LOG).length });

/** The request line (`METHOD /path HTTP/1.1`) of an access-log line. */
export const requestLine = (line) => /"([A-Z]+ [^"]* HTTP\/[\d.]+)"/.exec(line)?.[1] ?? '';

/**
 * Neither log holds any of `sessionIds` (whatever SessionCreate gave the browser) or a SessionID
 * parameter anywhere: the SessionID travels in a header and in write bodies only.
 */
export function assertNoSessionInLogs(sessionIds, mark, what) {
  for (const [name, file, from] of [
    ['nginx', PROXY_LOG, mark.proxy],
    ['Apache', APACHE_LOG, mark.apache],
  ]) {
    const lines = logText(file).slice(from).split('\n').filter(Boolean);
    assert.ok(lines.some((l) => /nph-genericinterface\.pl\//.test(l)), `${what}: ${name} logged no web service request`);
    for (const line of lines) {
      for (const id of sessionIds) assert.ok(!line.includes(id), `${what}: ${name} logged a SessionID: ${line}`);
      assert.ok(!/SessionID=/i.test(requestLine(line)), `${what}: ${name} logged a SessionID parameter: ${line}`);
    }
  }
}

// ---- the harness ---------------------------------------------------------------------------

/** Never in the document, from the first byte of every page (internal notes, agent-only fields). */
const WATCH = (needles) => `(() => {
  const needles = ${JSON.stringify(needles)};
  window.__realSeen = [];
  const check = () => {
    const html = document.documentElement ? document.documentElement.outerHTML : '';
    for (const n of needles) if (html.includes(n) && !window.__realSeen.includes(n)) window.__realSeen.push(n);
  };
  new MutationObserver(check).observe(document, { subtree: true, childList: true, characterData: true, attributes: true });
  addEventListener('DOMContentLoaded', check);
})();`;

function slug(s) {
  return s.replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '').slice(0, 100);
}

/**
 * Like end2end's `usePortal`, against the real Znuny: one browser per file, a fresh context per
 * test whose pages watch the DOM for `INTERNAL_NOTE` and `AGENT_NOTES` and remember every
 * SessionID that SessionCreate gave them. After each test: no page error, neither marker in any
 * document, and no SessionID (nor a SessionID parameter) in either access log. Screenshots and
 * DOM of failed tests go to E2E_ARTIFACTS.
 */
export function useRealPortal(meta) {
  const file = path.basename(fileURLToPath(meta.url)).replace(/\.test\.mjs$/, '');
  let browser;
  before(async () => {
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
  });

  return function it(name, fn, { timeout = 180_000 } = {}) {
    test(name, { timeout }, async () => {
      const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1280, height: 900 } });
      context.setDefaultTimeout(UI_TIMEOUT);
      await context.addInitScript({ content: WATCH([INTERNAL_NOTE, AGENT_NOTES].filter(Boolean)) });
      const trap = new Trap();
      const sessions = [];
      const pages = [];
      const mark = logMark();
      const openPage = async () => {
        const p = await newPage(browser, { context, trap });
        p.on('response', async (res) => {
          const req = res.request();
          if (req.method() !== 'POST' || !/nph-genericinterface\.pl\/.*\/Session$/.test(new URL(res.url()).pathname)) return;
          const id = (await res.json().catch(() => ({}))).SessionID;
          if (id) sessions.push(id);
        });
        pages.push(p);
        return p;
      };
      const page = await openPage();
      try {
        await Promise.race([fn({ page, context, openPage, sessions, mark }), trap.failed]);
        await new Promise((r) => setTimeout(r, 150));
        trap.check();
        for (const p of pages) {
          if (p.isClosed()) continue;
          const seen = await p.evaluate(() => window.__realSeen ?? []);
          assert.deepEqual(seen, [], `${seen.join(', ')} reached the document of ${p.url()}`);
        }
        assertNoSessionInLogs(sessions, mark, name);
      } catch (error) {
        await saveArtifacts(`${file}--${slug(name)}`, pages, trap, error, mark);
        throw error;
      } finally {
        await context.close().catch(() => {});
      }
    });
  };
}

async function saveArtifacts(stem, pages, trap, error, mark) {
  try {
    await fsp.mkdir(ARTIFACTS, { recursive: true });
    const notes = [`error: ${error?.stack || error}`, '', ...trap.log, '', 'nginx access log:', ...proxyLinesSince(mark)];
    for (const [i, page] of pages.entries()) {
      if (page.isClosed()) continue;
      const suffix = pages.length > 1 ? `-p${i + 1}` : '';
      notes.push('', `page${suffix} url: ${page.url()}`);
      await page
        .screenshot({ path: path.join(ARTIFACTS, `${stem}${suffix}.png`), fullPage: true, timeout: 5_000 })
        .catch((e) => notes.push(`screenshot failed: ${e.message}`));
      const html = await page.content().catch(() => '');
      if (html) await fsp.writeFile(path.join(ARTIFACTS, `${stem}${suffix}.html`), html);
    }
    await fsp.writeFile(path.join(ARTIFACTS, `${stem}.log`), notes.join('\n'));
  } catch (e) {
    console.error(`could not save artifacts for ${stem}: ${e.message}`);
  }
}
