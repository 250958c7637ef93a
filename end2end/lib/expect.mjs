// What the fake help desk should have received, per backend. Test files ask these helpers
// ("was this the reply to ticket 101?", "does this update carry only the state?") instead of
// knowing the Zammad REST API or the Znuny Generic Interface, so one test runs on both.
import assert from 'node:assert/strict';
import { IS_ZAMMAD, IS_ZNUNY } from './env.mjs';
import { USERS, allKeys, assertNoKeys, header, pathOf, queryOf, requests } from './fake.mjs';

// ---- Znuny: operations from the Generic Interface's routes (contract table A) ----------------

/** The route part after `…/Webservice/<name>` (the whole path if the log keeps only that). */
export function znunyRoute(req) {
  const p = pathOf(req);
  const m = /\/Webservice(?:ID)?\/[^/]+(\/.*)$/.exec(p);
  return m ? m[1] : p;
}

/** The Generic Interface operation a logged request was meant for (undefined: not a GI call). */
export function znunyOperation(req) {
  // The fake logs the operation its router chose (alphabetical first match, like REST.pm).
  if (typeof req.operation === 'string') return req.operation;
  if ('operation' in req && req.operation === null) return undefined;
  if (!/nph-genericinterface\.pl\//.test(pathOf(req)) && !/^\/(Session|Ticket)\b/.test(pathOf(req))) return undefined;
  const route = znunyRoute(req);
  const method = String(req.method).toUpperCase();
  if (route === '/Session') return method === 'POST' ? 'SessionCreate' : undefined;
  if (/^\/Session\/[^/]+$/.test(route)) return { GET: 'SessionGet', DELETE: 'SessionDelete' }[method];
  if (route === '/Ticket') return method === 'POST' ? 'TicketCreate' : undefined;
  if (route === '/Ticket/Search') return method === 'POST' ? 'TicketSearch' : undefined;
  if (/^\/Ticket\/[^/]+$/.test(route)) return { GET: 'TicketGet', PATCH: 'TicketUpdate' }[method];
  return undefined;
}

/** Ticket ids of a TicketGet / TicketUpdate path (`/Ticket/101` or the list form `/Ticket/1,2,3`). */
export function znunyTicketIds(req) {
  const m = /^\/Ticket\/([^/]+)$/.exec(znunyRoute(req));
  if (!m) return [];
  return decodeURIComponent(m[1]).split(',').map((s) => Number(s.trim()));
}

const op = (name) => (r) => znunyOperation(r) === name;
const isZnunyTicketOp = (r) => /^Ticket/.test(znunyOperation(r) ?? '');

/** The SessionID a request carried in the `X-OTRS-Header-SessionID` header. */
export const sessionIdOf = (r) => header(r, 'x-otrs-header-sessionid');

// ---- Zammad ----------------------------------------------------------------------------------

const zPath = (r) => pathOf(r);
const isZammadTokenCreate = (r) => r.method === 'POST' && /\/api\/v1\/user_access_token$/.test(zPath(r));
const isZammadSignin = (r) => r.method === 'POST' && /\/api\/v1\/signin$/.test(zPath(r));

// ---- backend-neutral questions ---------------------------------------------------------------

/** Requests that used the password: token minting / session sign-in (Zammad), SessionCreate (Znuny). */
export const isSignIn = IS_ZAMMAD ? (r) => isZammadTokenCreate(r) || isZammadSignin(r) : op('SessionCreate');

/** The sign-out request: DELETE of the access token (Zammad token mode) or SessionDelete (Znuny). */
export const isSignOut = IS_ZAMMAD
  ? (r) =>
      (r.method === 'DELETE' && /\/api\/v1\/user_access_token\/\d+$/.test(zPath(r))) ||
      /\/api\/v1\/signout$/.test(zPath(r))
  : op('SessionDelete');

/** Any request that reads or writes tickets. */
export const isTicketCall = IS_ZAMMAD
  ? (r) => /\/api\/v1\/(tickets|ticket_articles|ticket_attachment)/.test(zPath(r))
  : isZnunyTicketOp;

/** A ticket list / search request. */
export const isListCall = IS_ZAMMAD
  ? (r) =>
      (r.method === 'GET' && /\/api\/v1\/tickets(\/search)?$/.test(zPath(r))) ||
      (r.method === 'POST' && /\/api\/v1\/tickets\/search$/.test(zPath(r)))
  : op('TicketSearch');

/** Creating a ticket. */
export const isCreate = IS_ZAMMAD
  ? (r) => r.method === 'POST' && /\/api\/v1\/tickets$/.test(zPath(r))
  : op('TicketCreate');

const isWriteMethod = (r) => ['POST', 'PUT', 'PATCH', 'DELETE'].includes(String(r.method).toUpperCase());

/** A request that carried a reply (an article) for ticket `id`. */
export function isReplyTo(id) {
  if (IS_ZAMMAD) {
    return (r) =>
      isWriteMethod(r) &&
      ((/\/api\/v1\/ticket_articles$/.test(zPath(r)) && Number(r.body?.ticket_id) === Number(id)) ||
        (new RegExp(`/api/v1/tickets/${id}$`).test(zPath(r)) && r.body?.article !== undefined));
  }
  return (r) => op('TicketUpdate')(r) && znunyTicketIds(r)[0] === Number(id) && r.body?.Article !== undefined;
}

/** Any write to ticket `id` that could carry a reply (also a malformed one). */
export function isWriteTo(id) {
  if (IS_ZAMMAD) {
    return (r) =>
      isWriteMethod(r) &&
      (/\/api\/v1\/ticket_articles$/.test(zPath(r)) || new RegExp(`/api/v1/tickets/${id}$`).test(zPath(r)));
  }
  return (r) => op('TicketUpdate')(r) && znunyTicketIds(r).includes(Number(id));
}

/**
 * The live update's cheap question "when did ticket `id` last change?": Zammad `GET
 * /api/v1/tickets/:id` without `expand`, Znuny TicketGet of that one ticket without articles.
 */
export function isChangePoll(id) {
  if (IS_ZAMMAD) {
    return (r) => r.method === 'GET' && zPath(r) === `/api/v1/tickets/${id}` && queryOf(r).expand === undefined;
  }
  return (r) =>
    op('TicketGet')(r) && znunyTicketIds(r).join() === String(id) && queryOf(r).AllArticles === undefined;
}

/** Reading ticket `id` with its articles (the page's own read, or a live update's). */
export function isFullTicketRead(id) {
  if (IS_ZAMMAD) return (r) => r.method === 'GET' && zPath(r) === `/api/v1/ticket_articles/by_ticket/${id}`;
  return (r) => op('TicketGet')(r) && znunyTicketIds(r).includes(Number(id)) && queryOf(r).AllArticles !== undefined;
}

/** A ticket update (state change) for ticket `id`: PUT/PATCH /tickets/:id, TicketUpdate. */
export function isTicketUpdate(id) {
  if (IS_ZAMMAD) {
    return (r) => ['PUT', 'PATCH'].includes(r.method) && new RegExp(`/api/v1/tickets/${id}$`).test(zPath(r));
  }
  return (r) => op('TicketUpdate')(r) && znunyTicketIds(r).includes(Number(id));
}

/** The reply text as the portal sent it. */
export function replyTextOf(req) {
  if (IS_ZAMMAD) return req.body?.body ?? req.body?.article?.body;
  return req.body?.Article?.Body;
}

/** Filters the fake's log. */
export async function sent(predicate) {
  return (await requests()).filter(predicate);
}

// ---- what bodies may contain ------------------------------------------------------------------

/** Keys a customer-side request must never carry (agent-only or caller-forcing fields). */
export const FORBIDDEN_REPLY_KEYS = IS_ZAMMAD
  ? ['customer_id', 'owner_id', 'sender', 'sender_id', 'internal']
  : ['CustomerUser', 'CustomerID', 'Owner', 'OwnerID', 'Responsible', 'ResponsibleID', 'ArticleSend', 'TimeUnit',
     'PendingTime', 'Lock', 'LockID', 'DynamicField', 'NoAgentNotify', 'Queue', 'QueueID', 'Priority', 'Title',
     'UserLogin', 'CustomerUserLogin', 'Password'];

export const FORBIDDEN_CREATE_KEYS = IS_ZAMMAD
  ? ['customer_id', 'owner_id']
  : ['CustomerID', 'Owner', 'OwnerID', 'Responsible', 'ResponsibleID', 'ArticleSend', 'TimeUnit', 'PendingTime',
     'Lock', 'LockID', 'NoAgentNotify', 'UserLogin', 'CustomerUserLogin', 'Password'];

/** Znuny: the Article of a customer-side TicketCreate / TicketUpdate as the contract wants it. */
function assertZnunyArticle(article, what, who = 'alice') {
  assert.ok(article && typeof article === 'object', `${what}: no Article object`);
  assert.equal(article.SenderType, 'customer', `${what}: SenderType`);
  assert.equal(Number(article.IsVisibleForCustomer), 1, `${what}: IsVisibleForCustomer`);
  assert.equal(article.CommunicationChannel, 'Internal', `${what}: CommunicationChannel`);
  assert.match(String(article.ContentType), /^text\/plain;\s*charset=utf-8$/i, `${what}: ContentType`);
  const u = USERS[who];
  assert.equal(article.From, `"${u.name}" <${u.email}>`, `${what}: From`);
  assert.ok(String(article.Subject ?? '').length > 0, `${what}: empty Subject`);
}

/**
 * A reply request as the backend wants it, carrying `text`. `reopen`: the reply also reopens a
 * closed ticket (Znuny: `Ticket.State` "open"; Zammad's server reopens by itself).
 */
export function assertReplyRequest(req, { text, reopen = false, who = 'alice' } = {}) {
  const what = `${req.method} ${req.path}`;
  assertNoKeys(req.body, FORBIDDEN_REPLY_KEYS, `${what} body`);
  if (text !== undefined) assert.equal(replyTextOf(req), text, `${what}: the text sent`);
  if (IS_ZNUNY) {
    assertZnunyArticle(req.body.Article, what, who);
    const allowed = ['SessionID', 'Article', 'Attachment', ...(reopen ? ['Ticket'] : [])];
    const extra = Object.keys(req.body).filter((k) => !allowed.includes(k));
    assert.deepEqual(extra, [], `${what}: unexpected top-level keys`);
    if (reopen) assert.deepEqual(req.body.Ticket, { State: 'open' }, `${what}: the reopening`);
    else assert.equal(req.body.Ticket, undefined, `${what}: a plain reply must not touch the ticket`);
    for (const a of [req.body.Attachment ?? []].flat()) {
      assert.deepEqual(Object.keys(a).sort(), ['Content', 'ContentType', 'Filename'], `${what}: attachment keys`);
    }
  }
}

/** A create request: own customer, queue/group `group` (label), no forbidden keys. */
export function assertCreateRequest(req, { group, who = 'alice' } = {}) {
  const what = `${req.method} ${req.path}`;
  assertNoKeys(req.body, FORBIDDEN_CREATE_KEYS, `${what} body`);
  if (IS_ZNUNY) {
    const t = req.body.Ticket;
    assert.equal(t?.CustomerUser, USERS[who].login, `${what}: Ticket.CustomerUser must be the own login`);
    if (group) assert.equal(t.Queue, group, `${what}: Ticket.Queue`);
    assert.equal(t.State, 'new', `${what}: Ticket.State`);
    assert.equal(t.Priority, '3 normal', `${what}: Ticket.Priority`);
    assertZnunyArticle(req.body.Article, what, who);
    const extra = Object.keys(req.body).filter((k) => !['SessionID', 'Ticket', 'Article', 'Attachment'].includes(k));
    assert.deepEqual(extra, [], `${what}: unexpected top-level keys`);
  }
}

/**
 * A state change that carries only the state: Zammad `{state}`/`{state_id}`; Znuny
 * `{"Ticket":{"State":…}}` (plus the SessionID every write carries). `to`: "closed" or "open".
 */
export function assertOnlyState(req, to) {
  const body = req.body || {};
  if (IS_ZAMMAD) {
    const keys = Object.keys(body);
    assert.equal(keys.length, 1, `the update must carry only the state, got ${JSON.stringify(body)}`);
    assert.ok(['state', 'state_id'].includes(keys[0]), `unexpected key ${keys[0]}`);
    return;
  }
  const keys = Object.keys(body).filter((k) => k !== 'SessionID');
  assert.deepEqual(keys, ['Ticket'], `the update must carry only Ticket, got ${JSON.stringify(body)}`);
  const expected = { closed: 'closed successful', open: 'open' }[to];
  assert.deepEqual(body.Ticket, { State: expected }, `the update must be {"Ticket":{"State":"${expected}"}}`);
}

// ---- lists and ticket pages ------------------------------------------------------------------

/**
 * The requests that loaded one list page (`fresh`: what the fake received since the previous
 * page). Zammad: some list request asked the server for `page`, with per_page >= 25. Znuny: exactly
 * one TicketSearch and one TicketGet, the latter with the `rows` ids of the page as a comma list.
 * `mayBeCached`: a page shown before may also come without any request.
 */
export function assertListPageRequests(fresh, { page, rows, mayBeCached = false }) {
  if (mayBeCached && !fresh.some(isTicketCall)) return;
  if (IS_ZAMMAD) {
    if (page === 1) return;
    const paged = fresh
      .filter(isListCall)
      .map((r) => ({ ...queryOf(r), ...(r.body && typeof r.body === 'object' ? r.body : {}) }));
    assert.ok(paged.some((q) => String(q.page) === String(page)), `the server was never asked for page=${page}`);
    for (const q of paged.filter((x) => x.page !== undefined)) {
      assert.ok(q.per_page !== undefined && Number(q.per_page) >= 25, `per_page: ${JSON.stringify(q)}`);
    }
    return;
  }
  const ops = fresh.filter(isZnunyTicketOp);
  const names = ops.map(znunyOperation);
  assert.deepEqual(names, ['TicketSearch', 'TicketGet'], `list page ${page}: ${ops.map((r) => `${r.method} ${znunyRoute(r)}`)}`);
  assert.equal(znunyTicketIds(ops[1]).length, rows, `list page ${page}: TicketGet ${znunyRoute(ops[1])}`);
}

/** Znuny: a ticket page costs at most 2 requests, all TicketGet of that ticket. */
export function assertTicketPageRequests(fresh, id) {
  if (IS_ZAMMAD) return;
  const ops = fresh.filter(isZnunyTicketOp);
  assert.ok(ops.length >= 1 && ops.length <= 2, `ticket ${id}: ${ops.length} requests (${ops.map((r) => `${r.method} ${znunyRoute(r)}`)})`);
  for (const r of ops) {
    assert.equal(znunyOperation(r), 'TicketGet', `ticket ${id}: ${r.method} ${znunyRoute(r)}`);
    assert.deepEqual(znunyTicketIds(r), [Number(id)], `ticket ${id}: ${znunyRoute(r)}`);
  }
}

// ---- the page's own calls, for page.route --------------------------------------------------

/** URL pattern of the list requests (to make them fail with page.route). */
export const LIST_ROUTE = IS_ZAMMAD ? /\/api\/v1\/tickets(\/search)?(\?|$)/ : /\/Ticket\/Search(\?|$)/;

/** URL pattern of the requests reading ticket `id` (its page). */
export const ticketRoute = (id) => (IS_ZAMMAD ? new RegExp(`/api/v1/tickets/${id}(\\?|$)`) : new RegExp(`/Ticket/${id}(\\?|$)`));

/** An internal server failure, the way the backend reports it. */
export const SERVER_ERROR = IS_ZAMMAD
  ? { status: 500, contentType: 'application/json', body: '{"error":"Internal Server Error"}' }
  : { status: 500, contentType: 'text/plain; charset=UTF-8', body: '{"faultcode":"Server","faultstring":"Internal error"}' };

/**
 * Makes the help desk's answer for ticket `id` contain one more article, internal (Zammad
 * `internal: true`; Znuny `IsVisibleForCustomer: 0`), whose body is `marker`.
 */
export async function injectInternalArticle(page, id, marker) {
  if (IS_ZAMMAD) {
    await page.route(new RegExp(`/api/v1/ticket_articles/by_ticket/${id}(\\?|$)`), async (route) => {
      const res = await route.fetch();
      const list = await res.json();
      assert.ok(Array.isArray(list), 'by_ticket answered something other than an array');
      const leak = { ...list.at(-1), id: 990001, internal: true, content_type: 'text/plain', body: marker, attachments: [] };
      await route.fulfill({ response: res, json: [...list, leak] });
    });
    return;
  }
  await page.route(ticketRoute(id), async (route) => {
    if (route.request().method() !== 'GET') return route.continue();
    const res = await route.fetch();
    const json = await res.json();
    const t = json?.Ticket?.[0];
    assert.ok(t && Array.isArray(t.Article), `TicketGet answered ${JSON.stringify(json).slice(0, 300)}`);
    const last = t.Article.at(-1);
    t.Article.push({
      ...last,
      ArticleID: 990001,
      ArticleNumber: (last.ArticleNumber ?? 0) + 1,
      IsVisibleForCustomer: 0,
      SenderType: 'agent',
      ContentType: 'text/plain; charset=utf-8',
      MimeType: 'text/plain',
      Body: marker,
      Subject: marker,
      Attachment: undefined,
    });
    await route.fulfill({ response: res, json });
  });
}

// ---- authentication ---------------------------------------------------------------------------

/**
 * The credential the portal keeps between requests, as last seen by the fake: the access token
 * (Zammad token mode) or the SessionID (Znuny). Undefined in Zammad session mode (cookie).
 */
export async function sentCredential() {
  const reqs = await requests();
  if (IS_ZNUNY) return reqs.map(sessionIdOf).filter(Boolean).at(-1);
  return reqs
    .map((r) => /^Token token=(.+)$/.exec(header(r, 'authorization') || ''))
    .filter(Boolean)
    .map((m) => m[1].replace(/^"|"$/g, ''))
    .at(-1);
}

/**
 * Rules every request to the backend follows; the harness checks them after each test.
 * Znuny: the SessionID travels in the `X-OTRS-Header-SessionID` header of every call after
 * SessionCreate, also in the JSON body of POST/PATCH/DELETE (never `{}`), and never in a URL.
 */
export function assertRequestRules(reqs) {
  if (!IS_ZNUNY) return;
  // SessionGet has the SessionID in its path (table A): once after each sign-in, nowhere else.
  const gets = reqs.filter(op('SessionGet')).length;
  const creates = reqs.filter(op('SessionCreate')).length;
  assert.ok(gets <= creates, `${gets} SessionGet calls for ${creates} SessionCreate calls`);
  for (const r of reqs) {
    const name = znunyOperation(r);
    if (name === undefined) continue;
    const what = `${r.method} ${r.path}${r.query ? `?${typeof r.query === 'string' ? r.query : JSON.stringify(r.query)}` : ''}`;
    const q = queryOf(r);
    assert.ok(!Object.keys(q).some((k) => /session/i.test(k)), `${what}: a SessionID in the query string`);
    assert.ok(!/session/i.test(typeof r.query === 'string' ? r.query : ''), `${what}: a SessionID in the query string`);
    if (name === 'SessionCreate') {
      assert.ok(!sessionIdOf(r), `${what}: SessionCreate with a SessionID header`);
      continue;
    }
    // The FAQ add-on's public operations need no session, and never get one.
    if (name === 'PublicFAQSearch' || name === 'PublicFAQGet') {
      assert.ok(!sessionIdOf(r), `${what}: a public FAQ operation with a SessionID header`);
      assert.ok(!allKeys(r.body ?? {}).has('SessionID'), `${what}: a public FAQ operation with a SessionID`);
      continue;
    }
    const sid = sessionIdOf(r);
    assert.ok(sid, `${what}: no X-OTRS-Header-SessionID header`);
    if (isWriteMethod(r)) {
      assert.ok(r.body && typeof r.body === 'object' && Object.keys(r.body).length > 0, `${what}: empty body`);
      assert.equal(r.body.SessionID, sid, `${what}: the body's SessionID differs from the header's`);
    }
    // The password never travels after SessionCreate.
    assert.ok(!allKeys(r.body ?? {}).has('Password'), `${what}: carries a Password`);
  }
}
