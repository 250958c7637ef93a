// The portal's benchmark: first-load bytes, timings in headless Chromium, memory and requests per
// view, for the build in dist/<backend>, against the dev server's fake help desk seeded per run.
// `cargo xtask bench` builds both back ends, starts the dev server and runs this once per back end;
// by hand (a dev server with --test-api must be running):
//   PORTAL_URL=http://127.0.0.1:8080/ PORTAL_BACKEND=zammad node bench/bench.mjs dist/zammad out.json
// Prints a table (median, min, max over BENCH_RUNS runs, default 5) and writes it as JSON.
// BENCH_BUILD names the build in the output (`cargo xtask bench` sets it: "default build, stable
// std" or "lean std"); BENCH_COMPARE=<an earlier result's JSON> prints this build's bytes and
// cold start beside that one's (`cargo xtask bench --lean-std`: the lean build beside the default).
// BENCH_LATENCY=real says the dev server runs with `--latency real` (answers at a real help
// desk's speed, devserver/src/latency.rs): then every scenario also prints its chain of requests
// (which request waited for which answer, from the fake's request log) and the budget is the
// one for real latency (bench/budget.mjs, checkRealBudget).
// With BENCH_REAL_ZNUNY=1 (`cargo xtask bench --backend znuny --real-znuny`) the Znuny scenarios
// run against a real Znuny behind nginx instead (see mainReal below).
import { readFileSync, readdirSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { brotliCompressSync, gzipSync, constants } from 'node:zlib';
import { BACKEND, BASE } from '../end2end/lib/env.mjs';
import { launch } from '../end2end/lib/browser.mjs';
import { agentReply, bulkTickets, requests, resetFake } from '../end2end/lib/fake.mjs';
import {
  identifierBox,
  nextPageButton,
  passwordBox,
  replyBox,
  sendReplyButton,
  signIn,
  signInButton,
} from '../end2end/lib/portal.mjs';
import { USERS } from '../end2end/lib/fake.mjs';
import { checkBudget, checkRealBudget } from './budget.mjs';

const [dist, outFile] = process.argv.slice(2);
if (!dist || !outFile) {
  console.error('usage: node bench/bench.mjs <dist dir> <out.json>');
  process.exit(2);
}
const RUNS = Math.max(1, Number(process.env.BENCH_RUNS || 5));
const REAL = process.env.BENCH_REAL_ZNUNY === '1';
const BUILD = process.env.BENCH_BUILD || 'default build';
const COMPARE = process.env.BENCH_COMPARE || '';
const LATENCY = process.env.BENCH_LATENCY === 'real' ? 'real' : 'none';
// How long a customer's button press lasts, pointer down to click (a mouse click or a tap: about
// a tenth of a second). The pointer-down scenario holds the button that long.
const PRESS_MS = 100;
const LIST_SIZES = [50, 500, 2000];
const ARTICLE_COUNTS = [1, 50, 200];

// ---------------------------------------------------------------------------------------------
// Bytes

/** Every file a first visit loads: the document and what it references, plus config.json. */
function firstLoadAssets(dir) {
  const html = readFileSync(join(dir, 'index.html'), 'utf8');
  const names = new Set(['index.html', 'config.json']);
  for (const m of html.matchAll(/(?:src|href)="\.?\/?([^"/]+)"/g)) names.add(m[1]);
  // The boot script imports the JS glue, which fetches the wasm (both also preloaded).
  for (const name of [...names]) {
    if (!name.endsWith('.js')) continue;
    for (const m of readFileSync(join(dir, name), 'utf8').matchAll(/['"]\.\/([^'"]+\.(?:js|wasm))['"]/g)) {
      names.add(m[1]);
    }
  }
  const present = new Set(readdirSync(dir));
  return [...names].filter((n) => present.has(n)).sort();
}

function sizes(dir) {
  const rows = firstLoadAssets(dir).map((name) => {
    const data = readFileSync(join(dir, name));
    return {
      name,
      raw: data.length,
      gzip: gzipSync(data, { level: 9 }).length,
      brotli: brotliCompressSync(data, {
        params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_LGWIN]: 24 },
      }).length,
    };
  });
  const total = { name: 'total', raw: 0, gzip: 0, brotli: 0 };
  for (const r of rows) for (const k of ['raw', 'gzip', 'brotli']) total[k] += r[k];
  return [...rows, total];
}

// ---------------------------------------------------------------------------------------------
// In-page timing. Injected before any page script (through the DevTools protocol, so the strict
// CSP does not apply to it). `arm(kind, arg)` starts waiting for a DOM condition; the clock starts
// at the customer's next trusted click and stops in the frame after
// the condition first holds. It also remembers when the last help-desk response ended, so the
// render time after the data arrived can be told apart from the network time.
const PROBE = `(() => {
  const conditions = {
    signInForm: () => !!document.querySelector('input[type=password]') &&
      [...document.querySelectorAll('button')].some((b) => b.textContent.trim() === 'Sign in' && !b.disabled),
    ticketLinks: (n) => [...document.querySelectorAll('a[href]')]
      .filter((a) => /\\/tickets\\/\\d+\\/?$/.test(new URL(a.href).pathname)).length >= n,
    articles: (n) => document.querySelectorAll('article[data-sender]').length >= n,
    articleText: (text) => [...document.querySelectorAll('article[data-sender]')]
      .some((a) => a.textContent.includes(text)),
  };
  const api = /\\/api\\/v1\\/|nph-genericinterface/;
  window.__bench = {
    memory: null,
    signInFormAt: null,
    arm(kind, arg, fromNow) {
      const test = () => conditions[kind](arg);
      const armedAt = performance.now();
      let start = fromNow ? armedAt : null;
      const onClick = (e) => { if (e.isTrusted && start === null) start = performance.now(); };
      document.addEventListener('click', onClick, true);
      this.done = new Promise((resolve) => {
        const finish = () => {
          observer.disconnect();
          document.removeEventListener('click', onClick, true);
          requestAnimationFrame(() => {
            const end = performance.now();
            const responses = performance.getEntriesByType('resource')
              .filter((r) => api.test(r.name) && r.responseEnd >= (start ?? armedAt));
            const lastData = responses.length ? Math.max(...responses.map((r) => r.responseEnd)) : null;
            const sent = performance.getEntriesByType('resource')
              .filter((r) => api.test(r.name) && r.startTime >= armedAt);
            const first = sent.length ? Math.min(...sent.map((r) => r.startTime)) : null;
            resolve({
              ms: end - (start ?? armedAt),
              afterData: lastData === null ? null : end - lastData,
              // For the request chain: when the clock started and stopped, and when the first
              // help-desk request went out (page time), to line up with the fake's clock.
              start: start ?? armedAt,
              end,
              firstRequestAt: first,
            });
          });
        };
        const observer = new MutationObserver(() => { if (start !== null && test()) finish(); });
        observer.observe(document, { subtree: true, childList: true, characterData: true, attributes: true });
        if (start !== null && test()) finish();
      });
    },
  };
  // Cold start: when the sign-in form is first usable (ms since navigation start).
  const coldObserver = new MutationObserver(() => {
    if (conditions.signInForm()) {
      coldObserver.disconnect();
      requestAnimationFrame(() => { window.__bench.signInFormAt = performance.now(); });
    }
  });
  coldObserver.observe(document, { subtree: true, childList: true, attributes: true });
  // trunk's loader announces the instance; its memory is the wasm heap.
  addEventListener('TrunkApplicationStarted', (e) => { window.__bench.memory = e.detail.wasm.memory; });
})();`;

async function newPage(browser) {
  const context = await browser.newContext();
  await context.addInitScript({ content: PROBE });
  const page = await context.newPage();
  page.on('pageerror', (e) => console.error(`bench: page error: ${e.message}`));
  return { context, page };
}

/** Runs `action` and returns how long until `kind(arg)` held (see PROBE). */
async function timed(page, kind, arg, action, fromNow = false) {
  await page.evaluate(([k, a, n]) => window.__bench.arm(k, a, n), [kind, arg, fromNow]);
  await action();
  return page.evaluate(() => window.__bench.done);
}

const apiCalls = async () => (await requests()).filter((r) => !String(r.path || '').startsWith('/__'));

/** Requests the fake received while `action` ran. */
async function countRequests(action) {
  const before = (await apiCalls()).length;
  await action();
  await new Promise((r) => setTimeout(r, 300)); // let stragglers land
  return (await apiCalls()).slice(before);
}

/** Runs `action` (a `timed` one); returns its timing and the requests the fake received. */
async function timedWithLog(action) {
  const before = (await apiCalls()).length;
  const t = await action();
  const log = (await apiCalls()).slice(before);
  return { t, log };
}

/** What a request was, shortly: Znuny's operation, or Zammad's method and path (ids as `:id`). */
function opName(r) {
  if (r.operation) return r.operation;
  const path = String(r.path || '').replace(/^\/api\/v1/, '').replace(/\/\d+(?=\/|$)/g, '/:id');
  return `${r.method} ${path}`;
}

/**
 * The critical path of one timed step, from the fake's log (`received_ms`, `answered_ms` on the
 * server's clock): the last answer before the screen showed the result, the answer that request
 * waited for (the latest one that arrived before it went out), and so on back to the first.
 * Requests off that path ran beside it. Times are ms since the clock started (the click), with
 * the page's and the server's clocks lined up on the first request.
 */
function chainOf(t, log, endsWith = () => true) {
  const rs = log.filter((r) => typeof r.received_ms === 'number' && typeof r.answered_ms === 'number');
  if (!rs.length || t.firstRequestAt === null) return null;
  // Page time = server time − offset (loopback: the request arrives when it leaves).
  const offset = rs[0].received_ms - t.firstRequestAt;
  const page = (serverMs) => serverMs - offset - t.start;
  const shown = t.end + offset;
  const done = rs.filter((r) => r.answered_ms <= shown + 1);
  const last = done.filter(endsWith);
  if (!last.length) return null;
  let cur = last.reduce((a, b) => (b.answered_ms > a.answered_ms ? b : a));
  const path = [cur];
  for (;;) {
    const waited = cur;
    const before = done.filter((r) => !path.includes(r) && r.answered_ms <= waited.received_ms + 1);
    if (!before.length) break;
    cur = before.reduce((a, b) => (b.answered_ms > a.answered_ms ? b : a));
    path.unshift(cur);
  }
  const step = (r) => ({
    op: opName(r),
    from: Math.round(page(r.received_ms)),
    to: Math.round(page(r.answered_ms)),
    delay: r.delay_ms ?? 0,
  });
  return {
    steps: path.map(step),
    beside: rs.filter((r) => !path.includes(r)).map(step),
    modelled: path.reduce((sum, r) => sum + (r.delay_ms ?? 0), 0),
    shown: Math.round(t.ms),
  };
}

/** The requests a list page or a ticket page shows, which end their chains (later answers, such
 * as the "New reply" check or the create rules, ran beside what the customer waited for). */
const LIST_READ = (r) => (r.operation ? r.operation === 'TicketGet' && !/AllArticles/.test(r.request_line ?? '') : opName(r) === 'POST /tickets/search');
const TICKET_READ = (r) => (r.operation
  ? r.operation === 'TicketGet' && /AllArticles/.test(r.request_line ?? '')
  : /^GET \/(tickets|ticket_articles\/by_ticket)\/:id$/.test(opName(r)));

/** "SessionCreate 3–225 → TicketSearch 226–277 → …; beside: SessionGet 226–268; on screen 530". */
function chainText(c) {
  if (!c) return 'n/a';
  const fmt = (s) => `${s.op} ${s.from}–${s.to}`;
  const beside = c.beside.length ? `; beside: ${c.beside.map(fmt).join(', ')}` : '';
  return `${c.steps.map(fmt).join(' → ')}${beside}; on screen ${c.shown}`;
}

/** The run whose time is the median's (its chain is the one printed). */
function medianRun(runs, pick = (r) => r.ms) {
  const sorted = runs.filter((r) => typeof pick(r) === 'number').sort((a, b) => pick(a) - pick(b));
  return sorted[Math.floor((sorted.length - 1) / 2)];
}

// ---------------------------------------------------------------------------------------------
// Scenarios (each returns one run's figures)

async function coldSignIn(browser) {
  const { context, page } = await newPage(browser);
  // A fresh context has an empty cache: a cold load. PROBE notes when the form became usable,
  // in ms since the navigation started.
  await page.goto(`${BASE}sign-in`);
  const handle = await page.waitForFunction(() => window.__bench.signInFormAt, null, { polling: 50 });
  const ms = await handle.jsonValue();
  await context.close();
  return { ms };
}

async function seedList(count) {
  await resetFake();
  await bulkTickets('alice', count);
}

async function signInToList(browser) {
  const { context, page } = await newPage(browser);
  await page.goto(`${BASE}sign-in`);
  await signInButton(page).waitFor();
  await identifierBox(page).fill(USERS.alice.identifier);
  await passwordBox(page).fill(USERS.alice.password);
  const { t, log } = await timedWithLog(() => timed(page, 'ticketLinks', 25, () => signInButton(page).click()));
  return { context, page, t, log };
}

async function listRun(browser, count) {
  const { context, page, t, log } = await signInToList(browser);
  const out = { ms: t.ms, afterData: t.afterData, chain: chainOf(t, log, LIST_READ) };
  if (count === LIST_SIZES[LIST_SIZES.length - 1]) {
    out.memory = await memory(page);
    out.domRows = await page.evaluate(() => document.querySelectorAll('main li, main tr').length);
    const fresh = await countRequests(async () => {
      await nextPageButton(page).click();
      await page.waitForURL(/page=2|p=2/).catch(() => {});
      await page.waitForTimeout(200);
    });
    out.listPageRequests = fresh.length;
  }
  await context.close();
  return out;
}

async function memory(page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('Performance.enable');
  const { metrics } = await cdp.send('Performance.getMetrics');
  const js = metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? 0;
  const wasm = await page.evaluate(() => window.__bench.memory?.buffer.byteLength ?? 0);
  await cdp.detach();
  return { jsHeap: js, wasm, total: js + wasm };
}

async function seedTicket(articles) {
  await resetFake();
  const { ids } = await bulkTickets('alice', 1);
  const id = ids[0];
  const html = '<p>Thanks for the details. We checked the printer log and found the cause.</p>'
    + '<ul><li>Cleaned the fuser</li><li>Replaced the toner</li></ul><p>Best regards, <b>Emma</b></p>';
  // Created one after another: the fake's agent_reply is cheap.
  for (let i = 1; i < articles; i += 1) await agentReply(id, `${html}<p>Update ${i}</p>`);
  return id;
}

async function ticketRun(browser, articles) {
  const { context, page } = await newPage(browser);
  await signIn(page, 'alice');
  const link = page.getByRole('link', { name: /Bulk ticket 0001/ });
  await link.waitFor();
  let t;
  const fresh = await countRequests(async () => {
    t = await timed(page, 'articles', articles, () => link.click());
  });
  const out = {
    ms: t.ms,
    afterData: t.afterData,
    ticketPageRequests: fresh.length,
    chain: chainOf(t, fresh, TICKET_READ),
  };
  // Back to the list: shown again from memory, without asking the help desk.
  let back;
  const backRequests = await countRequests(async () => {
    back = await timed(page, 'ticketLinks', 1, () => page.goBack(), true);
  });
  out.back = { ms: back.ms, requests: backRequests.length };
  if (articles === ARTICLE_COUNTS[0]) {
    await link.click(); // from memory (just read)
    await page.locator('article[data-sender]').first().waitFor();
    const text = `Benchmark reply ${Date.now()}`;
    await replyBox(page).fill(text);
    let r;
    const sent = await countRequests(async () => {
      r = await timed(page, 'articleText', text, () => sendReplyButton(page).click());
    });
    out.reply = { ms: r.ms, requests: sent.length };
  }
  await context.close();
  return out;
}

/** A ticket opened the way a person does, in a fresh session (nothing in memory): the button
 * held for PRESS_MS, so a read started on pointer down has that head start. Timed from the click. */
async function pressedRun(browser, articles) {
  const { context, page } = await newPage(browser);
  await signIn(page, 'alice');
  const link = page.getByRole('link', { name: /Bulk ticket 0001/ });
  await link.waitFor();
  await page.waitForTimeout(300); // the list's own follow-up reads settle
  const box = await link.boundingBox();
  let out = null;
  if (box) {
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    let p;
    const pressed = await countRequests(async () => {
      p = await timed(page, 'articles', articles, async () => {
        await page.mouse.down();
        await page.waitForTimeout(PRESS_MS);
        await page.mouse.up();
      });
    });
    out = { ms: p.ms, afterData: p.afterData, requests: pressed.length, chain: chainOf(p, pressed, TICKET_READ) };
  }
  await context.close();
  return out;
}

// ---------------------------------------------------------------------------------------------

function stats(values) {
  const v = values.filter((x) => typeof x === 'number' && Number.isFinite(x)).sort((a, b) => a - b);
  if (!v.length) return null;
  const mid = Math.floor(v.length / 2);
  const median = v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
  return { median, min: v[0], max: v[v.length - 1], runs: v.length };
}

async function main() {
  const result = { backend: BACKEND, build: BUILD, date: new Date().toISOString(), runs: RUNS, sizes: sizes(dist) };
  const browser = await launch();
  try {
    const cold = [];
    for (let i = 0; i < RUNS; i += 1) cold.push((await coldSignIn(browser)).ms);
    result.coldSignIn = stats(cold);

    result.list = {};
    for (const n of LIST_SIZES) {
      await seedList(n);
      const runs = [];
      for (let i = 0; i < RUNS; i += 1) runs.push(await listRun(browser, n));
      result.list[n] = {
        signInToList: stats(runs.map((r) => r.ms)),
        renderAfterData: stats(runs.map((r) => r.afterData)),
        // Over the modelled latencies of its chain, per run (what the portal adds).
        overChain: stats(runs.map((r) => (r.chain ? r.ms - r.chain.modelled : null))),
        chain: medianRun(runs)?.chain ?? null,
      };
      const last = runs.find((r) => r.memory);
      if (last) {
        result.memoryAfterList = { tickets: n, ...last.memory };
        result.domRowsAtLargestList = last.domRows;
        result.requests = { listPage: Math.max(...runs.map((r) => r.listPageRequests ?? 0)) };
      }
    }

    result.ticket = {};
    const replies = [];
    for (const n of ARTICLE_COUNTS) {
      await seedTicket(n);
      const runs = [];
      for (let i = 0; i < RUNS; i += 1) {
        const run = await ticketRun(browser, n);
        run.pressed = await pressedRun(browser, n);
        runs.push(run);
      }
      result.ticket[n] = {
        open: stats(runs.map((r) => r.ms)),
        renderAfterData: stats(runs.map((r) => r.afterData)),
        overChain: stats(runs.map((r) => (r.chain ? r.ms - r.chain.modelled : null))),
        chain: medianRun(runs)?.chain ?? null,
        pressed: stats(runs.map((r) => r.pressed?.ms)),
        pressedChain: medianRun(runs.filter((r) => r.pressed), (r) => r.pressed.ms)?.pressed.chain ?? null,
        back: stats(runs.map((r) => r.back.ms)),
      };
      result.requests.back = Math.max(result.requests.back ?? 0, ...runs.map((r) => r.back.requests));
      result.requests.ticketPage = Math.max(result.requests.ticketPage ?? 0, ...runs.map((r) => r.ticketPageRequests));
      for (const r of runs) if (r.reply) replies.push(r.reply);
    }
    result.reply = stats(replies.map((r) => r.ms));
    result.requests.reply = Math.max(...replies.map((r) => r.requests));
  } finally {
    await browser.close();
  }
  result.latency = LATENCY;
  result.budget = LATENCY === 'real' ? checkRealBudget(result) : checkBudget(result);
  mkdirSync(dirname(outFile), { recursive: true });
  writeFileSync(outFile, `${JSON.stringify(result, null, 2)}\n`);
  print(result);
}

// ---------------------------------------------------------------------------------------------
// Against a real Znuny (BENCH_REAL_ZNUNY=1): there is no test API, so the data is made through
// Znuny's own Generic Interface (REAL_ZNUNY_URL, straight to its Apache) before the runs, and
// requests are counted in the browser. The portal is reached through nginx (PORTAL_URL), the
// way customers reach it. Measured: cold start, sign-in to the list (the seed's 4 open tickets,
// then 55), opening a ticket (2 and 31 articles), a reply. The budget, written for the
// fake's instant answers, is not applied.

const ZNUNY = (process.env.REAL_ZNUNY_URL || '').replace(/\/$/, '');
// The seed's 4 open tickets of acme (alice's and carol's), then with the long conversation and 50 more.
const REAL_LIST_SIZES = [4, 55];
const REAL_ARTICLES = { 'Printer on fire': 2, 'Bench: long conversation': 31 };

async function gi(method, route, body) {
  const res = await fetch(`${ZNUNY}${route}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const answer = await res.json().catch(() => null);
  if (res.status !== 200 || !answer || answer.Error) {
    throw new Error(`bench: ${method} ${route} -> HTTP ${res.status}: ${JSON.stringify(answer)}`);
  }
  return answer;
}

async function aliceSession() {
  return (await gi('POST', '/Session', { CustomerUserLogin: 'alice', Password: USERS.alice.password })).SessionID;
}

/** A new open ticket of alice's, made as alice. */
async function createAs(SessionID, title) {
  return gi('POST', '/Ticket', {
    SessionID,
    Ticket: { Title: title, Queue: 'Support', State: 'open', Priority: '3 normal', CustomerUser: 'alice' },
    Article: {
      CommunicationChannel: 'Internal',
      SenderType: 'customer',
      IsVisibleForCustomer: 1,
      From: '"Alice Anders" <alice@example.com>',
      Subject: title,
      Body: `${title}: created for the benchmark.`,
      ContentType: 'text/plain; charset=utf-8',
    },
  });
}

/** A ticket of alice's with 30 answers of the agent emma (made as emma). */
async function seedLongConversation() {
  const long = await createAs(await aliceSession(), 'Bench: long conversation');
  const html = '<p>Thanks for the details. We checked the printer log and found the cause.</p>'
    + '<ul><li>Cleaned the fuser</li><li>Replaced the toner</li></ul><p>Best regards, <b>Emma</b></p>';
  for (let i = 1; i < REAL_ARTICLES['Bench: long conversation']; i += 1) {
    await gi('PATCH', `/Ticket/${long.TicketID}`, {
      UserLogin: 'emma',
      Password: 'emma-demo',
      Article: {
        CommunicationChannel: 'Internal',
        SenderType: 'agent',
        IsVisibleForCustomer: 1,
        From: '"Emma Agent" <emma@helpdesk.example>',
        Subject: `RE: Bench: long conversation (${i})`,
        Body: `${html}<p>Update ${i}</p>`,
        ContentType: 'text/html; charset=utf-8',
      },
    });
  }
}

/** Open tickets of alice's until the list has `total`. */
async function seedBulk(count) {
  const SessionID = await aliceSession();
  for (let i = 1; i <= count; i += 1) await createAs(SessionID, `Bulk ticket ${String(i).padStart(4, '0')}`);
}

/** Help-desk requests the page sends while `action` runs. */
async function browserRequests(page, action) {
  const seen = [];
  const onRequest = (req) => {
    if (/nph-genericinterface/.test(req.url())) seen.push(`${req.method()} ${new URL(req.url()).pathname}`);
  };
  page.on('request', onRequest);
  await action();
  await new Promise((r) => setTimeout(r, 300)); // let stragglers land
  page.off('request', onRequest);
  return seen;
}

async function realListRun(browser, expected) {
  const { context, page } = await newPage(browser);
  await page.goto(`${BASE}sign-in`);
  await signInButton(page).waitFor();
  await identifierBox(page).fill(USERS.alice.identifier);
  await passwordBox(page).fill(USERS.alice.password);
  let t;
  const sent = await browserRequests(page, async () => {
    t = await timed(page, 'ticketLinks', Math.min(expected, 25), () => signInButton(page).click());
  });
  await context.close();
  return { ms: t.ms, afterData: t.afterData, requests: sent.length };
}

async function realTicketRun(browser, title, count, reply) {
  const { context, page } = await newPage(browser);
  await signIn(page, 'alice');
  const link = page.getByRole('link', { name: title }).first();
  await link.waitFor();
  let t;
  const sent = await browserRequests(page, async () => {
    t = await timed(page, 'articles', count, () => link.click());
  });
  const out = { ms: t.ms, afterData: t.afterData, requests: sent.length };
  if (reply) {
    const text = `Benchmark reply ${Date.now()}`;
    await replyBox(page).fill(text);
    let r;
    const replied = await browserRequests(page, async () => {
      r = await timed(page, 'articleText', text, () => sendReplyButton(page).click());
    });
    out.reply = { ms: r.ms, requests: replied.length };
  }
  await context.close();
  return out;
}

async function mainReal() {
  if (!ZNUNY) throw new Error('BENCH_REAL_ZNUNY=1 needs REAL_ZNUNY_URL');
  const result = {
    backend: BACKEND,
    server: 'real Znuny behind nginx',
    date: new Date().toISOString(),
    runs: RUNS,
    sizes: sizes(dist),
  };
  const browser = await launch();
  try {
    // On the seed, before the runs below add tickets: the portal beside customer.pl.
    if (CUSTOMER_PL) {
      result.sideBySide = { desktop: await sideBySide(browser, DESKTOP), phone: await sideBySide(browser, PHONE) };
    }
    if (BROTLI_BASE) result.brotliBesideGzip = await brotliBesideGzip(browser);
    if (process.env.BENCH_SIDE_BY_SIDE_ONLY === '1') {
      mkdirSync(dirname(outFile), { recursive: true });
      writeFileSync(outFile, `${JSON.stringify(result, null, 2)}\n`);
      printSideBySide(result);
      return;
    }
    const cold = [];
    for (let i = 0; i < RUNS; i += 1) cold.push((await coldSignIn(browser)).ms);
    result.coldSignIn = stats(cold);

    // The seed's list; the ticket pages (both on the list's first page); the long list.
    result.list = {};
    const listRequests = [];
    const listRuns = async (n) => {
      const runs = [];
      for (let i = 0; i < RUNS; i += 1) runs.push(await realListRun(browser, n));
      result.list[n] = { signInToList: stats(runs.map((r) => r.ms)), renderAfterData: stats(runs.map((r) => r.afterData)) };
      listRequests.push(...runs.map((r) => r.requests));
    };
    await listRuns(REAL_LIST_SIZES[0]);

    await seedLongConversation();
    result.ticket = {};
    const ticketRequests = [];
    const replies = [];
    for (const [title, n] of Object.entries(REAL_ARTICLES)) {
      const runs = [];
      for (let i = 0; i < RUNS; i += 1) runs.push(await realTicketRun(browser, title, n, n === 2));
      result.ticket[n] = { open: stats(runs.map((r) => r.ms)), renderAfterData: stats(runs.map((r) => r.afterData)) };
      ticketRequests.push(...runs.map((r) => r.requests));
      for (const r of runs) if (r.reply) replies.push(r.reply);
    }

    await seedBulk(REAL_LIST_SIZES[1] - REAL_LIST_SIZES[0] - 1);
    await listRuns(REAL_LIST_SIZES[1]);
    result.reply = stats(replies.map((r) => r.ms));
    result.requests = {
      signInToList: Math.max(...listRequests),
      ticketPage: Math.max(...ticketRequests),
      reply: Math.max(...replies.map((r) => r.requests)),
    };
  } finally {
    await browser.close();
  }
  result.budget = [];
  mkdirSync(dirname(outFile), { recursive: true });
  writeFileSync(outFile, `${JSON.stringify(result, null, 2)}\n`);
  print(result);
  printSideBySide(result);
}

// ---------------------------------------------------------------------------------------------
// The portal beside Znuny's own customer interface (customer.pl) on the same real Znuny, through
// the same nginx (BENCH_CUSTOMER_PL: its URL there), the same customer alice, runs alternating:
// cold navigation to a usable sign-in form, Sign in click → the list on screen, opening "Printer
// on fire" from the list → its messages on screen, Back → the list on screen. Once on a desktop
// profile, once on Lighthouse's mobile one (PHONE). customer.pl changes documents at each step, so
// its clock runs across them: the click's time (performance.timeOrigin + performance.now(), one
// clock for the whole browser) is kept in sessionStorage, and the next document notes when its
// condition first held (CP_PROBE). BENCH_BROTLI_URL: the portal on a second nginx that also
// serves the .br files, for the phone's cold load with brotli beside gzip only.

const CUSTOMER_PL = process.env.BENCH_CUSTOMER_PL || '';
const BROTLI_BASE = process.env.BENCH_BROTLI_URL || '';
/** Lighthouse's mobile settings (150 ms round trip, 1.6 Mbps down, 750 Kbps up, CPU 4× slower). */
const PHONE = { latency: 150, down: 1.6e6 / 8, up: 750e3 / 8, cpu: 4, viewport: { width: 360, height: 640 } };
const DESKTOP = { viewport: { width: 1280, height: 900 } };
/** The seed's open tickets: the portal lists alice's and carol's (one company), customer.pl alice's. */
const SEEDED = { portalList: 4, customerPlList: 3, title: 'Printer on fire', articles: 2 };

const CP_PROBE = `(() => {
  const at = () => performance.timeOrigin + performance.now();
  document.addEventListener('click', (e) => { if (e.isTrusted) sessionStorage.setItem('__benchMark', String(at())); }, true);
  const loaded = (f) => { try { const d = f.contentDocument; return f.getAttribute('src') !== 'about:blank' && !!d && d.readyState === 'complete' && !!d.body && d.body.textContent.trim() !== ''; } catch { return false; } };
  const conditions = {
    // The "Log In" button starts disabled; Znuny's script enables it.
    form: () => !!document.querySelector('#Password') && [...document.querySelectorAll('button')].some((b) => b.textContent.trim() === 'Log In' && !b.disabled),
    list: () => document.querySelectorAll('table.Overview tr.MasterAction').length >= ${SEEDED.customerPlList},
    // Every message of the ticket listed, and the one Znuny opens (the last) shown: its body is
    // loaded into the frame of #VisibleMessageContent (Core.Customer.TicketZoom, LoadMessage).
    articles: () => document.querySelectorAll('#Messages > ul > li').length >= ${SEEDED.articles} && !!document.querySelector('#Messages li.Visible') && [...document.querySelectorAll('#VisibleMessageContent iframe')].every(loaded),
  };
  window.__cp = {};
  const check = () => {
    for (const [k, test] of Object.entries(conditions)) {
      if (window.__cp[k] === undefined && document.readyState !== 'loading' && test()) {
        window.__cp[k] = null;
        requestAnimationFrame(() => { window.__cp[k] = { since: performance.now(), at: at() }; });
      }
    }
  };
  new MutationObserver(check).observe(document, { subtree: true, childList: true, attributes: true });
  document.addEventListener('DOMContentLoaded', check);
  document.addEventListener('load', check, true); // frames
  const poll = setInterval(() => { check(); if (Object.keys(window.__cp).length === 3) clearInterval(poll); }, 25);
})();`;

/** A fresh context (empty cache) on `profile`; the phone's network and CPU set through CDP. */
async function profiledPage(browser, profile, probe) {
  const context = await browser.newContext({ viewport: profile.viewport });
  await context.addInitScript({ content: probe });
  const page = await context.newPage();
  page.on('pageerror', (e) => console.error(`bench: page error: ${e.message}`));
  if (profile.cpu) {
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: profile.latency,
      downloadThroughput: profile.down,
      uploadThroughput: profile.up,
    });
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: profile.cpu });
  }
  return { context, page };
}

/** When customer.pl's `kind` condition held in the current document: `{ since, at }`. */
async function cpReached(page, kind) {
  const handle = await page.waitForFunction((k) => window.__cp?.[k] || null, kind, { polling: 50, timeout: 120_000 });
  return handle.jsonValue();
}

const cpMark = (page) => page.evaluate(() => Number(sessionStorage.getItem('__benchMark')));

async function customerPlRun(browser, profile) {
  const { context, page } = await profiledPage(browser, profile, CP_PROBE);
  try {
    await page.goto(CUSTOMER_PL);
    const form = (await cpReached(page, 'form')).since;
    await page.locator('#User').fill(USERS.alice.identifier);
    await page.locator('#Password').fill(USERS.alice.password);
    await page.getByRole('button', { name: 'Log In', exact: true }).click();
    // Waits that outlive the change of document; then the new document's own note.
    await page.locator('table.Overview tr.MasterAction').first().waitFor({ timeout: 120_000 });
    const list = await cpReached(page, 'list');
    const signIn = list.at - (await cpMark(page));
    await page.locator('tr.MasterAction', { hasText: SEEDED.title }).locator('a.MasterActionLink').click();
    await page.locator('#Messages').waitFor({ timeout: 120_000 });
    const open = (await cpReached(page, 'articles')).at - (await cpMark(page));
    await page.evaluate(() => sessionStorage.setItem('__benchMark', String(performance.timeOrigin + performance.now())));
    await page.goBack();
    await page.locator('table.Overview').waitFor({ timeout: 120_000 });
    const back = (await cpReached(page, 'list')).at - (await cpMark(page));
    // Znuny counts its web sessions per customer (CustomerSessionPerUserLimit): sign out again.
    const logout = await page.locator('#LogoutButton').getAttribute('href');
    if (logout) await page.goto(new URL(logout, CUSTOMER_PL).href);
    return { form, signIn, open, back };
  } finally {
    await context.close();
  }
}

async function portalRun(browser, profile, { base = BASE, formOnly = false } = {}) {
  const { context, page } = await profiledPage(browser, profile, PROBE);
  const encodings = {};
  page.on('response', (res) => {
    if (/_bg\.wasm$/.test(new URL(res.url()).pathname)) encodings.wasm = res.headers()['content-encoding'] ?? 'identity';
  });
  try {
    await page.goto(`${base}sign-in`);
    const formHandle = await page.waitForFunction(() => window.__bench.signInFormAt, null, { polling: 50, timeout: 120_000 });
    const form = await formHandle.jsonValue();
    if (formOnly) return { form, encoding: encodings.wasm };
    await identifierBox(page).fill(USERS.alice.identifier);
    await passwordBox(page).fill(USERS.alice.password);
    const signIn = (await timed(page, 'ticketLinks', SEEDED.portalList, () => signInButton(page).click())).ms;
    const link = page.getByRole('link', { name: SEEDED.title }).first();
    const open = (await timed(page, 'articles', SEEDED.articles, () => link.click())).ms;
    const back = (await timed(page, 'ticketLinks', SEEDED.portalList, () => page.goBack(), true)).ms;
    return { form, signIn, open, back, encoding: encodings.wasm };
  } finally {
    await context.close();
  }
}

const STEPS = ['form', 'signIn', 'open', 'back'];

/** Alternating runs of both on one profile: medians and the ratios portal / customer.pl. */
async function sideBySide(browser, profile) {
  const portal = [];
  const customerPl = [];
  for (let i = 0; i < RUNS; i += 1) {
    // Who goes first alternates too, so neither always meets a warmer server.
    const pair = i % 2 ? [customerPlRun, portalRun] : [portalRun, customerPlRun];
    for (const run of pair) (run === portalRun ? portal : customerPl).push(await run(browser, profile));
  }
  const out = { portal: {}, customerPl: {}, ratio: {} };
  for (const step of STEPS) {
    out.portal[step] = stats(portal.map((r) => r[step]));
    out.customerPl[step] = stats(customerPl.map((r) => r[step]));
    const [a, b] = [out.portal[step]?.median, out.customerPl[step]?.median];
    out.ratio[step] = a && b ? Math.round((a / b) * 100) / 100 : null;
  }
  out.portal.wasmEncoding = portal[0]?.encoding ?? null;
  return out;
}

/** The phone's cold load of the portal through the gzip-only nginx and the brotli one, alternating. */
async function brotliBesideGzip(browser) {
  const gzip = [];
  const brotli = [];
  for (let i = 0; i < RUNS; i += 1) {
    gzip.push(await portalRun(browser, PHONE, { formOnly: true }));
    brotli.push(await portalRun(browser, PHONE, { base: BROTLI_BASE, formOnly: true }));
  }
  const form = (runs) => stats(runs.map((r) => r.form));
  const out = {
    gzip: { form: form(gzip), wasmEncoding: gzip[0]?.encoding ?? null },
    brotli: { form: form(brotli), wasmEncoding: brotli[0]?.encoding ?? null },
  };
  if (out.gzip.wasmEncoding !== 'gzip' || out.brotli.wasmEncoding !== 'br') {
    throw new Error(`bench: the wasm came ${out.gzip.wasmEncoding} and ${out.brotli.wasmEncoding}, not gzip and br`);
  }
  out.gainMs = Math.round(out.gzip.form.median - out.brotli.form.median);
  return out;
}

function printSideBySide(r) {
  const lines = [];
  const names = { form: 'cold navigation → usable sign-in form', signIn: 'Sign in click → list on screen', open: 'open a ticket → messages on screen', back: 'Back → list on screen' };
  for (const [profile, v] of Object.entries(r.sideBySide ?? {})) {
    lines.push(`\n== the portal beside customer.pl, ${profile} profile: median (min–max) of ${r.runs} alternating runs ==`);
    lines.push(`${''.padEnd(40)} ${'portal'.padEnd(22)} ${'customer.pl'.padEnd(22)} portal/customer.pl`);
    for (const step of STEPS) {
      lines.push(`${names[step].padEnd(40)} ${ms(v.portal[step]).padEnd(22)} ${ms(v.customerPl[step]).padEnd(22)} ${v.ratio[step] ?? 'n/a'}`);
    }
  }
  const c = r.brotliBesideGzip;
  if (c) {
    lines.push(`\n== the portal's cold load to a usable sign-in form, phone profile, through nginx ==`);
    lines.push(`gzip_static only (wasm ${c.gzip.wasmEncoding})           ${ms(c.gzip.form)}`);
    lines.push(`brotli_static too (wasm ${c.brotli.wasmEncoding})            ${ms(c.brotli.form)}`);
    lines.push(`brotli gains                              ${c.gainMs} ms (medians)`);
  }
  console.log(lines.join('\n'));
}

const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
const ms = (s) => (s ? `${s.median.toFixed(0)} ms (${s.min.toFixed(0)}–${s.max.toFixed(0)})` : 'n/a');

function print(r) {
  const lines = [];
  const latency = r.latency === 'real' ? ', fake at real latency' : r.server ? '' : ', fake answering at once';
  lines.push(`\n== ${r.backend} (${r.build ?? 'default build'}${latency}): ${r.runs} runs each, median (min–max) ==`);
  lines.push('first-load asset                          raw       gzip -9   brotli 11');
  for (const s of r.sizes) {
    lines.push(`${s.name.padEnd(40)} ${kb(s.raw).padStart(9)} ${kb(s.gzip).padStart(9)} ${kb(s.brotli).padStart(9)}`);
  }
  lines.push(`cold navigation → interactive sign-in     ${ms(r.coldSignIn)}`);
  const real = r.latency === 'real';
  for (const [n, v] of Object.entries(r.list)) {
    lines.push(`sign-in → my tickets, ${String(n).padEnd(5)} tickets       ${ms(v.signInToList)}; after data: ${ms(v.renderAfterData)}`);
    if (real) lines.push(`    chain: ${chainText(v.chain)}`);
  }
  for (const [n, v] of Object.entries(r.ticket)) {
    lines.push(`open a ticket, ${String(n).padEnd(4)} articles            ${ms(v.open)}; after data: ${ms(v.renderAfterData)}`);
    if (real) lines.push(`    chain: ${chainText(v.chain)}`);
    if (v.pressed) {
      lines.push(`  held ${PRESS_MS} ms (pointer down first), after the click ${ms(v.pressed)}`);
      if (real) lines.push(`    chain: ${chainText(v.pressedChain)}`);
    }
    if (v.back) lines.push(`  Back to the list                        ${ms(v.back)}`);
  }
  lines.push(`send a reply until it shows               ${ms(r.reply)}`);
  const m = r.memoryAfterList;
  if (m) lines.push(`memory after the ${m.tickets}-ticket list: JS heap ${kb(m.jsHeap)} + wasm ${kb(m.wasm)} = ${kb(m.total)}`);
  if (r.server) {
    lines.push(`server: ${r.server}`);
    lines.push(`requests: sign-in to list ${r.requests.signInToList}, ticket page ${r.requests.ticketPage}, reply ${r.requests.reply}`);
    lines.push('budget: not applied against the real server (it is written for the fake\'s instant answers)');
    console.log(lines.join('\n'));
    return;
  }
  lines.push(`requests: list page ${r.requests.listPage}, ticket page ${r.requests.ticketPage}, reply ${r.requests.reply}, Back ${r.requests.back}`);
  lines.push('budget:');
  for (const b of r.budget) lines.push(`  ${b.ok ? 'ok  ' : 'MISS'} ${b.what}: ${b.value} (limit ${b.limit})`);
  if (COMPARE) {
    let other = null;
    try {
      other = JSON.parse(readFileSync(COMPARE, 'utf8'));
    } catch (e) {
      lines.push(`(nothing to compare with: ${COMPARE}: ${e.message})`);
    }
    if (other) lines.push(...beside(r, other));
  }
  console.log(lines.join('\n'));
}

/** This build's first-load bytes and cold start beside another build's (`other`). */
function beside(r, other) {
  const brotli = (x, pick) => x.sizes.filter(pick).reduce((sum, s) => sum + s.brotli, 0);
  const total = (s) => s.name === 'total';
  const wasm = (s) => s.name.endsWith('.wasm');
  const diff = (a, b) => `${a - b > 0 ? '+' : '−'}${kb(Math.abs(a - b))}`;
  const row = (what, a, b) => `  ${what.padEnd(28)} ${kb(b).padStart(9)} → ${kb(a).padStart(9)}  (${diff(a, b)})`;
  const lines = [`${r.build ?? 'this build'} beside the ${other.build ?? 'other build'} (brotli):`];
  lines.push(row('first load', brotli(r, total), brotli(other, total)));
  lines.push(row('of which wasm', brotli(r, wasm), brotli(other, wasm)));
  const cold = (x) => x.coldSignIn?.median;
  if (cold(r) !== undefined && cold(other) !== undefined) {
    lines.push(`  ${'cold load → sign-in form'.padEnd(28)} ${cold(other).toFixed(0).padStart(6)} ms → ${cold(r).toFixed(0).padStart(6)} ms (median)`);
  }
  return lines;
}

await (REAL ? mainReal() : main());
