// The dev server's test API (`/__test/...`): reset the fake help desk, inspect what it received,
// change its data. Only enabled when the dev server runs with `--test-api`.
import assert from 'node:assert/strict';
import { IS_ZAMMAD, PORTAL_URL } from './env.mjs';

function url(p) {
  return new URL(p.replace(/^\//, ''), PORTAL_URL).href;
}

async function call(method, p, body, { raw = false } = {}) {
  const init = { method, headers: {} };
  if (body !== undefined) {
    init.headers['content-type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  const res = await fetch(url(p), init);
  if (!res.ok) {
    const text = await res.text().catch(() => '');
    throw new Error(`${method} ${p} -> HTTP ${res.status}: ${text.slice(0, 500)}`);
  }
  if (raw) return Buffer.from(await res.arrayBuffer());
  const text = await res.text();
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** GET a path of the dev server (relative to PORTAL_URL), parsed as JSON when it is JSON. */
export const apiGet = (p) => call('GET', p);
export const apiPost = (p, body) => call('POST', p, body);
export const apiPut = (p, body) => call('PUT', p, body);
export const apiPatch = (p, body) => call('PATCH', p, body);
export const apiDelete = (p) => call('DELETE', p);
export const apiGetBytes = (p) => call('GET', p, undefined, { raw: true });

/** What `resetFake()` sends by default: Zammad 7 on Zammad, the fake's defaults elsewhere. */
export const DEFAULT_RESET = IS_ZAMMAD ? { zammad_version: '7' } : {};

/** Re-seeds the fake, clears its request log and any config override. */
export async function resetFake(opts = DEFAULT_RESET) {
  return apiPost('__test/reset', opts);
}

/** Every /api/ request the fake received since the last reset, oldest first. */
export async function requests() {
  const list = await apiGet('__test/requests');
  assert.ok(Array.isArray(list), `__test/requests must return an array, got ${JSON.stringify(list)}`);
  return list;
}

/**
 * Waits until the fake has received no new request for `quietMs` (at most `timeoutMs`): the
 * page's follow-up reads (the "New reply" check after a list) have all arrived.
 */
export async function requestsSettled({ quietMs = 600, timeoutMs = 10_000 } = {}) {
  const end = Date.now() + timeoutMs;
  let count = (await requests()).length;
  while (Date.now() < end) {
    await new Promise((r) => setTimeout(r, quietMs));
    const now = (await requests()).length;
    if (now === count) return;
    count = now;
  }
  throw new Error(`the page kept sending requests for ${timeoutMs} ms`);
}

/** The query string of a logged request as a plain object (the log may keep a string or an object). */
export function queryOf(req) {
  const q = req.query;
  if (q == null || q === '') return {};
  if (typeof q === 'string') return Object.fromEntries(new URLSearchParams(q.replace(/^\?/, '')));
  return q;
}

/** Path without a query string. */
export function pathOf(req) {
  return String(req.path || '').split('?')[0];
}

export function header(req, name) {
  const h = req.headers || {};
  const key = Object.keys(h).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : h[key];
}

export const isWrite = (req) => ['POST', 'PUT', 'PATCH', 'DELETE'].includes(String(req.method).toUpperCase());

/** A ticket as the fake stores it, with all its articles (internal ones too). */
export const fakeTicket = (id) => apiGet(`__test/tickets/${id}`);

/** Raw bytes of a stored attachment. */
export const fakeAttachment = (id) => apiGetBytes(`__test/attachments/${id}`);

export const patchUser = (login, fields) => apiPatch(`__test/users/${login}`, fields);
export const bulkTickets = (customer, count) => apiPost('__test/bulk_tickets', { customer, count });
export const agentReply = (ticketId, body, internal = false) =>
  apiPost('__test/agent_reply', { ticket_id: ticketId, body, internal });
export const expireTokens = () => apiPost('__test/expire_tokens', {});
export const expireZnunySessions = () => apiPost('__test/expire_sessions', {});
/**
 * Ends the customer's authentication on the server side, the backend's way: Zammad's access
 * tokens expire, Znuny's Generic Interface sessions are dropped (as after their 2 hours).
 */
export const expireSession = () => (IS_ZAMMAD ? expireTokens() : expireZnunySessions());

/** The config.json currently served to the portal. */
export const currentConfig = () => apiGet('config.json');

/** Serves `config` (a full config.json object) until the next reset. */
export const putConfig = (config) => apiPut('__test/config', config);

/** Switches the Zammad adapter between "token" and "session" auth. */
export async function setZammadAuth(mode) {
  const config = await currentConfig();
  config.zammad = { ...(config.zammad || {}), auth: mode };
  await putConfig(config);
  return config;
}

// ---- reading stored tickets, tolerant to the fake's exact field names ------------------------
// `GET /__test/tickets/:id` has the same shape on both fakes (Zammad-like field names); the
// readers still accept the Znuny spellings so that a shape change fails one assertion, not all.

export function stateIdOf(ticket) {
  return Number(ticket.state_id ?? ticket.state?.id ?? ticket.StateID);
}

export function stateNameOf(ticket) {
  const s = ticket.state_name ?? ticket.state ?? ticket.State;
  return typeof s === 'string' ? s : s?.name;
}

/** The state type ("new", "open", "closed", "pending reminder", …): the same words on both backends. */
export function stateTypeOf(ticket) {
  const t = ticket.state_type ?? ticket.StateType ?? ticket.state?.state_type;
  return typeof t === 'string' ? t : t?.name;
}

export const isClosedTicket = (ticket) => /closed/i.test(stateTypeOf(ticket) ?? '');
export const isOpenTicket = (ticket) => stateTypeOf(ticket) === 'open';

export function groupIdOf(ticket) {
  return Number(ticket.group_id ?? ticket.group?.id ?? ticket.QueueID);
}

/** The group (Zammad) or queue (Znuny) name. */
export function groupNameOf(ticket) {
  const g = ticket.group ?? ticket.queue ?? ticket.Queue;
  return typeof g === 'string' ? g : g?.name;
}

export function customerIdOf(ticket) {
  return ticket.customer_id ?? ticket.customer?.id ?? ticket.CustomerUserID;
}

/** The customer's login name. */
export function customerLoginOf(ticket) {
  const c = ticket.customer ?? ticket.customer_user ?? ticket.CustomerUserID;
  return typeof c === 'string' ? c : c?.login;
}

export function createdAtOf(ticket) {
  return ticket.created_at ?? ticket.Created;
}

export function numberOf(ticket) {
  return String(ticket.number ?? ticket.TicketNumber);
}

export function senderOf(article) {
  const s = article.sender ?? article.sender_name ?? article.SenderType;
  return typeof s === 'string' ? s : s?.name;
}

/** Sender "Customer" (Zammad) or "customer" (Znuny). */
export const isCustomerArticle = (article) => /^customer$/i.test(senderOf(article) ?? '');

/** Internal (Zammad) / not visible for the customer (Znuny). */
export function isInternalArticle(article) {
  if (article.internal !== undefined) return article.internal === true;
  if (article.IsVisibleForCustomer !== undefined) return Number(article.IsVisibleForCustomer) !== 1;
  throw new Error(`cannot tell whether the article is internal: ${JSON.stringify(article).slice(0, 300)}`);
}

export function articlesOf(ticket) {
  return ticket.articles || ticket.Article || [];
}

/** `{ id, filename }` of an article's stored attachments. */
export function attachmentsOf(article) {
  return (article.attachments || article.Attachment || []).map((a) => ({
    ...a,
    id: a.id ?? a.FileID,
    filename: a.filename ?? a.Filename,
  }));
}

function decodeEntities(s) {
  return s
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#0*39;|&#x0*27;|&apos;/gi, "'")
    .replace(/&#(\d+);/g, (_, d) => String.fromCodePoint(Number(d)))
    .replace(/&#x([0-9a-f]+);/gi, (_, h) => String.fromCodePoint(parseInt(h, 16)))
    .replace(/&amp;/g, '&');
}

/** An article body as the text a person reads (HTML bodies: tags to line breaks, entities decoded). */
export function bodyText(article) {
  const body = String(article.body ?? article.Body ?? '');
  if (!/html/i.test(String(article.content_type ?? article.ContentType ?? ''))) return body;
  const text = body
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/(p|div)>\s*<(p|div)[^>]*>/gi, '\n')
    .replace(/<[^>]+>/g, '');
  return decodeEntities(text);
}

/** Recursively collects keys of a JSON value (to prove a request body lacks some). */
export function allKeys(value, out = new Set()) {
  if (Array.isArray(value)) value.forEach((v) => allKeys(v, out));
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      out.add(k);
      allKeys(v, out);
    }
  }
  return out;
}

/** Fails when a request body carries any of `forbidden` keys, at any depth. */
export function assertNoKeys(body, forbidden, what = 'request body') {
  const keys = allKeys(body);
  const found = forbidden.filter((k) => keys.has(k));
  assert.deepEqual(found, [], `${what} must not contain ${found.join(', ')}: ${JSON.stringify(body)}`);
}

/**
 * The seed customers. `identifier` is what they type into "Email or username": the e-mail on
 * Zammad, the login name on Znuny (its customer login does not accept the e-mail).
 */
export const USERS = Object.fromEntries(
  [
    { login: 'alice', email: 'alice@example.com', password: 'alice-demo', name: 'Alice Anders' },
    { login: 'carol', email: 'carol@example.com', password: 'carol-demo', name: 'Carol Chen' },
    { login: 'bob', email: 'bob@example.com', password: 'bob-demo', name: 'Bob Brown' },
    // Real-shaped demo data (devserver/src/real_shapes.rs): long names, 80-character titles.
    {
      login: 'maximiliane',
      email: 'maximiliane.von-wolkenstein-trostburg@wolkenstein-praezision.example',
      password: 'maximiliane-demo',
      name: 'Maximiliane-Josephine von Wolkenstein-Trostburg',
    },
  ].map((u) => [u.login, { ...u, identifier: IS_ZAMMAD ? u.email : u.login }]),
);

/**
 * The alert on a reply to / reopening of a closed ticket whose group or queue wants a new ticket.
 * Zammad's text comes from the server; on Znuny the portal refuses by itself.
 */
export const REFUSAL = IS_ZAMMAD
  ? 'Cannot follow-up on a closed ticket. Please create a new ticket.'
  : 'This ticket is closed for replies. Please create a new ticket.';
/** Matches the refusal on both backends. */
export const REFUSAL_RE = /create a new ticket/i;

/** A seed ticket's number as the customer sees it: "31101" (Zammad), "2026112410000101" (Znuny). */
export const ticketNumber = (id) => (IS_ZAMMAD ? `31${id}` : `20261124100${String(id).padStart(5, '0')}`);

export const PRINTER_LOG = 'Printer log: smoke detected at 09:14\n';

/** A timestamp from the fake (ISO string, or epoch seconds / milliseconds) in milliseconds. */
export function timeOf(value) {
  if (typeof value === 'number') return value < 1e12 ? value * 1000 : value;
  if (/^\d+$/.test(String(value))) return timeOf(Number(value));
  // Znuny's "YYYY-MM-DD HH:MM:SS" has no zone: the fake's system time zone is UTC.
  const m = /^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d)$/.exec(String(value));
  if (m) return Date.parse(`${m[1]}T${m[2]}Z`);
  return Date.parse(value);
}

// ---- fault injection ----------------------------------------------------------------------------
// `POST /__test/faults` (devserver/src/faults.rs): matching API requests fail like a help desk
// behind nginx fails. Cleared by `resetFake()` (before every test) and `clearFaults()`.

/**
 * Where a fault strikes, per backend: the request the portal makes for
 * `list` (the ticket search), `ticket(id)` (reading one ticket), `create` (a new ticket) and
 * `update(id)` (reply, close and reopen all write the ticket: Zammad `PUT /tickets/:id`, Znuny
 * TicketUpdate).
 */
export const FAULT_TARGETS = {
  list: IS_ZAMMAD ? { method: 'POST', path: '^/api/v1/tickets/search$' } : { operation: 'TicketSearch' },
  ticket: (id) =>
    IS_ZAMMAD ? { method: 'GET', path: `^/api/v1/tickets/${id}$` } : { operation: 'TicketGet', regex: `/Ticket/${id}$` },
  create: IS_ZAMMAD ? { method: 'POST', path: '^/api/v1/tickets$' } : { operation: 'TicketCreate' },
  update: (id) =>
    IS_ZAMMAD ? { method: 'PUT', path: `^/api/v1/tickets/${id}$` } : { operation: 'TicketUpdate', regex: `/Ticket/${id}$` },
};

/**
 * Makes the fake fail matching requests: `kind` is one of 500, 502, 503, 504, hang, reset,
 * malformed, wrong_shape, huge, slow, stall, after_commit_hang, after_commit_reset,
 * after_commit_502 (…503, 504); `target` a `FAULT_TARGETS` entry or raw rule fields (`method`,
 * `path` prefix or `^regex`, `regex`, `operation`); `opts` e.g. `{ times: 1, delay_ms: 1500,
 * bytes: 31457280, skip: 1, body: … }`. Returns the rule as the fake stored it.
 */
export async function injectFault(kind, target, opts = {}) {
  const answer = await apiPost('__test/faults', { kind: String(kind), ...target, ...opts });
  return answer.added[0];
}

export const clearFaults = () => apiDelete('__test/faults');
/** The fault rules with how often each matched (`seen`) and struck (`fired`). */
export const faultRules = () => apiGet('__test/faults');

/** A logged request that the fake performed (no fault, or a fault that struck after it). */
export const performed = (req) => !req.fault || req.fault.committed === true;

/** Serves config.json with `request_timeout_ms` = `ms` (the portal's 1000 ms minimum applies) until the next reset. */
export async function setRequestTimeout(ms) {
  const config = await currentConfig();
  await putConfig({ ...config, request_timeout_ms: ms });
}
