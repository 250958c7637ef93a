// Znuny only: what the Generic Interface makes the portal's job (contract:
// docs/znuny-api.md): sessions that die under a typed reply, AccessDenied for foreign
// tickets, a TicketCreate that would accept any CustomerUser, list paging without a server-side
// offset, agent-only data and HTML bodies delivered as attachments.
import assert from 'node:assert/strict';
import {
  BASE,
  PORTAL_URL,
  USERS,
  apiGet,
  apiPost,
  articles,
  articlesOf,
  assertListPageRequests,
  assertNoKeys,
  assertReplyRequest,
  bodyText,
  bulkTickets,
  closeButton,
  currentConfig,
  customerLoginOf,
  downloadControl,
  eventually,
  expectListed,
  expireSession,
  fakeTicket,
  isCustomerArticle,
  isInternalArticle,
  isReplyTo,
  isSignIn,
  listHeading,
  listedTicketIds,
  newTicketLink,
  nextPageButton,
  noTickets,
  onlyOn,
  openTicket,
  queryOf,
  agentReply,
  replyBox,
  replyTextOf,
  requests,
  requestsSettled,
  searchBox,
  sendReplyButton,
  sentCredential,
  sessionWarning,
  skewClock,
  skewableClock,
  sessionIdOf,
  signIn,
  signOutButton,
  sleep,
  statusMessage,
  statusSelect,
  ticketHeading,
  usePortal,
  znunyOperation,
} from './lib/index.mjs';

const it = usePortal(import.meta);
const znunyOnly = { skip: onlyOn('znuny', 'Znuny Generic Interface behaviour') };

const dialogOf = (page) => page.getByRole('dialog', { name: 'Your session has expired' });

/** A Generic Interface call from Node (not the browser), SessionID in header and body. */
async function gi(method, route, body, sessionId) {
  const config = await currentConfig();
  const base = new URL(String(config.api_base).replace(/\/$/, ''), PORTAL_URL).href;
  const headers = { 'content-type': 'application/json' };
  if (sessionId) headers['X-OTRS-Header-SessionID'] = sessionId;
  const init = { method, headers };
  if (body !== undefined) init.body = JSON.stringify(sessionId ? { ...body, SessionID: sessionId } : body);
  const res = await fetch(`${base}${route}`, init);
  const text = await res.text();
  assert.equal(res.status, 200, `${method} ${route} -> HTTP ${res.status}: ${text.slice(0, 300)}`);
  return JSON.parse(text);
}

async function giSignIn(login, password) {
  const answer = await gi('POST', '/Session', { CustomerUserLogin: login, Password: password });
  assert.ok(answer.SessionID, `SessionCreate answered ${JSON.stringify(answer)}`);
  return answer.SessionID;
}

/** Requests the browser sent (the crafted ones come from Node's fetch). */
const fromBrowser = (r) => /Mozilla|Chrom/.test(String(r.headers?.['user-agent'] ?? ''));

const validSessionIds = async () => (await apiGet('__test/sessions')).filter((s) => s.valid).map((s) => s.id);

it('the session expires while a reply is typed: password asked, the reply stored exactly once', async ({ page }) => {
  await signIn(page, 'alice');
  await openTicket(page, 101, { title: 'Printer on fire' });
  await articles(page).first().waitFor();
  const storedBefore = articlesOf(await fakeTicket(101)).length;
  const shownBefore = await articles(page).count();
  const text = 'Typed while the session ran out — Grüße ✓\nsecond line';
  await replyBox(page).fill(text);
  const deadSession = await sentCredential();
  assert.ok(deadSession);

  await expireSession();
  await sendReplyButton(page).click();
  const dialog = dialogOf(page);
  await dialog.waitFor({ timeout: 20_000 });
  // The page behind the dialog keeps what was typed.
  assert.equal(await replyBox(page).inputValue(), text, 'the typed reply is gone while the dialog is open');
  assert.equal(await statusMessage(page, 'Reply sent').count(), 0);
  await dialog.getByLabel('Password', { exact: true }).fill(USERS.alice.password);
  await dialog.getByRole('button', { name: 'Continue', exact: true }).click();

  await statusMessage(page, 'Reply sent').waitFor({ timeout: 20_000 });
  await dialog.waitFor({ state: 'hidden' });
  assert.equal(await replyBox(page).inputValue(), '', 'the Reply box is emptied after sending');
  await sleep(1_500); // a second, late attempt would show up now
  assert.equal(await articles(page).count(), shownBefore + 1, 'the reply is shown once');
  assert.equal(await articles(page).filter({ hasText: 'Typed while the session ran out' }).count(), 1);

  const stored = articlesOf(await fakeTicket(101));
  assert.equal(stored.length, storedBefore + 1, 'exactly one article added');
  const last = stored.at(-1);
  assert.equal(bodyText(last), text);
  assert.ok(isCustomerArticle(last) && !isInternalArticle(last));

  // What reached the fake: the attempt with the dead session (answered TicketUpdate.AuthFail) and
  // exactly one with the new session.
  const reqs = await requests();
  assert.equal(reqs.filter(isSignIn).length, 2, 'one sign-in, one re-entry of the password');
  const attempts = reqs.filter(isReplyTo(101));
  for (const r of attempts) assert.equal(replyTextOf(r), text);
  const live = await validSessionIds();
  assert.ok(!live.includes(deadSession));
  const accepted = attempts.filter((r) => live.includes(sessionIdOf(r)));
  const refused = attempts.filter((r) => sessionIdOf(r) === deadSession);
  assert.equal(accepted.length, 1, `${accepted.length} replies sent with the new session`);
  assert.ok(refused.length <= 1, `${refused.length} replies sent with the dead session`);
  assert.equal(attempts.length, accepted.length + refused.length, 'a reply with an unknown session');
  assertReplyRequest(accepted[0], { text });
}, znunyOnly);

it("bob's ticket opened by alice: TicketGet.AccessDenied becomes \"Ticket not found\"", async ({ page }) => {
  // The help desk really refuses it.
  const sid = await giSignIn('alice', USERS.alice.password);
  const denied = await gi('GET', '/Ticket/107', undefined, sid);
  assert.equal(denied?.Error?.ErrorCode, 'TicketGet.AccessDenied', JSON.stringify(denied));

  await signIn(page, 'alice');
  await listHeading(page).waitFor();
  await openTicket(page, 107);
  await page.getByRole('heading', { name: 'Ticket not found' }).waitFor();
  await page.getByRole('link', { name: 'Back to my tickets' }).waitFor();
  const html = await page.content();
  assert.ok(!html.includes('Globex server outage'), 'bob\'s ticket title is shown');
  assert.ok(!html.includes('Our main server has been down'), 'bob\'s message is shown');
  // Access denied is not an ended session: still signed in, no password prompt.
  await sleep(300);
  assert.equal(await dialogOf(page).isVisible(), false, 'the session dialog opened');
  await signOutButton(page).waitFor();
  const reqs = await requests();
  const gets = reqs.filter((r) => fromBrowser(r) && znunyOperation(r) === 'TicketGet' && /\/Ticket\/107$/.test(r.path));
  assert.ok(gets.length >= 1 && gets.length <= 2, `${gets.length} TicketGet of 107`);
  assert.equal(reqs.filter(isSignIn).length, 2, 'the crafted sign-in and the portal\'s one, no re-sign-in');
}, znunyOnly);

it('a crafted TicketCreate may name another customer; the portal never does', async ({ page }) => {
  // 1. Straight to the Generic Interface (Node, not the browser): alice creates a ticket for bob.
  const sid = await giSignIn('alice', USERS.alice.password);
  const crafted = await gi(
    'POST',
    '/Ticket',
    {
      Ticket: { Title: 'Crafted for bob', Queue: 'Support', State: 'new', Priority: '3 normal', CustomerUser: 'bob' },
      Article: {
        CommunicationChannel: 'Internal',
        SenderType: 'customer',
        IsVisibleForCustomer: 1,
        Subject: 'Crafted for bob',
        Body: 'Alice wrote this in bob\'s name.',
        ContentType: 'text/plain; charset=utf-8',
      },
    },
    sid,
  );
  assert.ok(crafted.TicketID, `TicketCreate answered ${JSON.stringify(crafted)}`);
  const foreign = await fakeTicket(crafted.TicketID);
  assert.equal(customerLoginOf(foreign), 'bob', 'like Znuny 7.1.7, the fake takes CustomerUser as given');
  const afterwards = await gi('GET', `/Ticket/${crafted.TicketID}`, undefined, sid);
  assert.equal(afterwards?.Error?.ErrorCode, 'TicketGet.AccessDenied', 'alice cannot read it afterwards');
  const craftedCount = (await requests()).length;

  // 2. The portal, through its UI: create, reply, close.
  await signIn(page, 'alice');
  await listHeading(page).waitFor();
  assert.ok(!(await page.content()).includes('Crafted for bob'));
  await newTicketLink(page).click();
  await page.getByRole('textbox', { name: 'Subject', exact: true }).fill('Made in the portal');
  const group = page.getByRole('combobox', { name: 'Group', exact: true });
  if (await group.count()) await group.selectOption({ label: 'Support' });
  await page.getByRole('textbox', { name: 'Message', exact: true }).fill('Created through the form.');
  await page.getByRole('button', { name: 'Submit ticket', exact: true }).click();
  await ticketHeading(page, 'Made in the portal').waitFor({ timeout: 20_000 });
  const id = Number(/\/tickets\/(\d+)$/.exec(new URL(page.url()).pathname)[1]);
  assert.equal(customerLoginOf(await fakeTicket(id)), 'alice');
  await replyBox(page).fill('A follow-up from the portal.');
  await sendReplyButton(page).click();
  await statusMessage(page, 'Reply sent').waitFor({ timeout: 20_000 });
  await closeButton(page).click();
  await page.getByText('Closed', { exact: true }).first().waitFor();

  const portal = (await requests()).slice(craftedCount);
  for (const r of portal) assert.ok(fromBrowser(r), `${r.method} ${r.path} did not come from the browser`);
  const writes = portal.filter((r) => ['TicketCreate', 'TicketUpdate'].includes(znunyOperation(r)));
  const names = writes.map(znunyOperation);
  assert.deepEqual(names, ['TicketCreate', 'TicketUpdate', 'TicketUpdate'], 'create, reply, close');
  const forbidden = ['ArticleSend', 'Owner', 'OwnerID', 'Responsible', 'ResponsibleID', 'CustomerID', 'TimeUnit', 'PendingTime'];
  for (const r of writes) {
    const what = `${znunyOperation(r)} ${r.path}`;
    assertNoKeys(r.body, forbidden, what);
    const customer = r.body?.Ticket?.CustomerUser;
    if (znunyOperation(r) === 'TicketCreate') assert.equal(customer, 'alice', `${what}: CustomerUser`);
    else assert.equal(customer, undefined, `${what}: CustomerUser on an update`);
    if (r.body.Article) {
      assert.equal(r.body.Article.SenderType, 'customer', `${what}: SenderType`);
      assert.equal(Number(r.body.Article.IsVisibleForCustomer), 1, `${what}: IsVisibleForCustomer`);
    }
  }
  assert.ok(writes[0].body.Article && writes[1].body.Article, 'create and reply carry an Article');
  assert.deepEqual(writes[2].body.Ticket, { State: 'closed successful' }, 'close');
  // Not in alice's list either.
  await page.goto(`${BASE}tickets`);
  await listHeading(page).waitFor();
  await statusSelect(page).selectOption({ label: 'All' });
  await eventually(async () => assert.ok((await listedTicketIds(page)).includes(id)));
  assert.ok(!(await listedTicketIds(page)).includes(Number(crafted.TicketID)), 'bob\'s crafted ticket is listed');
}, znunyOnly);

it('each list page is one TicketSearch and one TicketGet, whatever the page', async ({ page }) => {
  const { ids: bulk } = await bulkTickets('alice', 120);
  assert.equal(bulk.length, 120);
  const newestFirst = [...bulk].reverse();
  let seen = 0;
  const fresh = async () => {
    await sleep(300);
    const all = await requests();
    const out = all.slice(seen);
    seen = all.length;
    return out;
  };
  await signIn(page, 'alice');
  await listHeading(page).waitFor();
  await eventually(async () => assert.equal((await listedTicketIds(page)).length, 25), { timeout: 15_000 });
  assert.deepEqual(await listedTicketIds(page), newestFirst.slice(0, 25));
  const first = await fresh();
  assertListPageRequests(first, { page: 1, rows: 25 });
  const search = first.find((r) => znunyOperation(r) === 'TicketSearch');
  // Real state-type names: the array ["Open"] matches nothing on a real Znuny (contract 5.1).
  const types = [search.body?.StateType ?? []].flat();
  assert.ok(!types.some((t) => ['Open', 'Closed'].includes(t)), `StateType ${JSON.stringify(types)}`);

  for (const n of [2, 3]) {
    await nextPageButton(page).click();
    await page.getByText(new RegExp(`\\bPage ${n}\\b`)).first().waitFor();
    await expectListed(page, newestFirst.slice((n - 1) * 25, n * 25));
    assertListPageRequests(await fresh(), { page: n, rows: 25 });
  }

  // Filters and search on a later page start again at page 1, still with one pair of requests.
  await statusSelect(page).selectOption({ label: 'Closed' });
  await expectListed(page, [104, 103, 108]);
  assertListPageRequests(await fresh(), { page: 1, rows: 3 });
  await searchBox(page).fill('zzz-no-such-ticket');
  await searchBox(page).press('Enter');
  await noTickets(page).waitFor();
  const none = (await fresh()).filter((r) => /^Ticket/.test(znunyOperation(r) ?? ''));
  assert.deepEqual(none.map(znunyOperation), ['TicketSearch'], 'no TicketGet without ids');
}, znunyOnly);

it('internal articles, agent-only fields and the HTML body attachment stay out of the page', async ({ page }) => {
  const stored = await fakeTicket(101);
  assert.ok(articlesOf(stored).some((a) => isInternalArticle(a) && bodyText(a).includes('INTERNAL-NOTE-MARKER')));
  await signIn(page, 'alice');
  await openTicket(page, 101, { title: 'Printer on fire' });
  const agent = articles(page).filter({ hasText: 'fire brigade' });
  await agent.waitFor();
  await sleep(300);

  const html = await page.content();
  const text = await page.locator('body').innerText();
  assert.ok(!html.includes('INTERNAL-NOTE-MARKER'), 'the internal article is in the DOM');
  assert.ok(!html.includes('COMPANY-NOTE-MARKER'), 'the company note is in the DOM');
  // Owner and Responsible are the agent "emma" (login) / emma@helpdesk.example.
  assert.ok(!/\bemma\b/.test(html), 'the owner / responsible login is in the DOM');
  assert.ok(!html.includes('emma@helpdesk.example'), 'the agent\'s address is in the DOM');
  assert.ok(!/\b(Owner|Responsible|Time units?|TimeUnit)\b/i.test(text), `agent-only labels shown: ${text}`);
  assert.ok(!/\b15(\.0)?\s*(min|minutes|units?)\b/i.test(text) && !text.includes('15.0'), 'the time accounting is shown');

  // The agent's HTML (delivered as the "file-2" attachment) is rendered with its formatting.
  assert.equal(await agent.locator('b, strong').filter({ hasText: 'fire brigade' }).count(), 1, 'bold kept');
  await agent.getByRole('listitem').filter({ hasText: 'leave the room' }).waitFor();
  const link = agent.getByRole('link', { name: 'safety guide' });
  assert.equal(await link.getAttribute('href'), 'https://example.com/safety');
  assert.ok(((await link.getAttribute('rel')) || '').split(/\s+/).includes('noopener'));
  assert.equal(await page.locator('article script, [onerror]').count(), 0);
  assert.ok(!/\[1\]/.test(await agent.innerText()), 'the text rendering (with [1] footnotes) is shown instead');
  // …and not offered as a download, while the real attachment is.
  await downloadControl(agent, 'checklist.pdf').waitFor();
  assert.equal(await downloadControl(page, 'file-2').count(), 0, '"file-2" is listed as an attachment');
  assert.ok(!text.includes('file-2'), '"file-2" is shown');
}, znunyOnly);

it('no request line carries the SessionID: sign-in, list, ticket, reply, sign-out', async ({ page }) => {
  await signIn(page, 'alice');
  await listHeading(page).waitFor();
  await openTicket(page, 101, { title: 'Printer on fire' });
  await replyBox(page).fill('Checking the access log.');
  await sendReplyButton(page).click();
  await statusMessage(page, 'Reply sent').waitFor();
  await signOutButton(page).click();
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();

  const log = await requests();
  const sid = log.map(sessionIdOf).find(Boolean);
  assert.ok(sid && sid.length >= 20, 'no SessionID seen by the help desk');
  const ops = new Set(log.map((r) => r.operation));
  for (const op of ['SessionCreate', 'SessionGet', 'TicketSearch', 'TicketGet', 'TicketUpdate', 'SessionDelete']) {
    assert.ok(ops.has(op), `${op} was not called: ${[...ops].join(', ')}`);
  }
  for (const r of log) {
    assert.ok(r.request_line, 'the fake logs every request line');
    assert.ok(!r.request_line.includes(sid), `the SessionID is in a URL: ${r.request_line}`);
  }
  // SessionGet and SessionDelete name "the caller's session" by a placeholder; the header says which.
  for (const r of log.filter((r) => ['SessionGet', 'SessionDelete'].includes(r.operation))) {
    assert.equal(sessionIdOf(r), sid, `${r.operation} without the SessionID header`);
  }
}, znunyOnly);

it('10 minutes before the 2 hours a warning; after them the password is asked before any call', async ({ page }) => {
  // Znuny ends a GI session 2 hours after login however busy it is; the portal counts itself.
  // (page.clock cannot be used here: see README, "Time travel".)
  await skewableClock(page);
  await signIn(page, 'alice');
  await openTicket(page, 101, { title: 'Printer on fire' });
  await articles(page).first().waitFor();
  const text = 'Written two hours later.';
  await replyBox(page).fill(text);
  assert.equal(await sessionWarning(page).count(), 0, 'a warning right after sign-in');

  // 5 minutes left: the warning shows (the portal looks every 20 s).
  await skewClock(page, (2 * 3600 - 5 * 60) * 1000);
  await sessionWarning(page).waitFor({ timeout: 25_000 });
  assert.match(await sessionWarning(page).innerText(), /in [56] minutes/);
  assert.equal(await replyBox(page).inputValue(), text);

  // The 2 hours are over, for the browser and for the fake.
  const oldSession = await sentCredential();
  const seen = (await requests()).length;
  await apiPost('__test/clock', { advance_seconds: 2 * 3600 + 60 });
  await skewClock(page, (2 * 3600 + 60) * 1000);
  await sendReplyButton(page).click();
  const dialog = dialogOf(page);
  await dialog.waitFor({ timeout: 20_000 });
  assert.equal(await replyBox(page).inputValue(), text);
  // The portal knew: nothing went out with the old session.
  const late = (await requests()).slice(seen);
  assert.deepEqual(late.filter((r) => sessionIdOf(r) === oldSession).map((r) => `${r.method} ${r.path}`), []);

  await dialog.getByLabel('Password', { exact: true }).fill(USERS.alice.password);
  await dialog.getByRole('button', { name: 'Continue', exact: true }).click();
  await statusMessage(page, 'Reply sent').waitFor({ timeout: 20_000 });
  await dialog.waitFor({ state: 'hidden' });
  const sentReplies = (await requests()).filter(isReplyTo(101));
  assert.equal(sentReplies.length, 1, `${sentReplies.length} reply requests`);
  assertReplyRequest(sentReplies[0], { text });
  assert.equal(articlesOf(await fakeTicket(101)).filter((a) => bodyText(a) === text).length, 1);
  // A new session has its 2 hours again: the warning goes.
  await sessionWarning(page).waitFor({ state: 'detached', timeout: 25_000 });
}, znunyOnly);

/** The ticket reads (TicketGet with every article) since the last call, as their
 * GetAttachmentContents values; the "New reply" check (ArticleLimit) is not one. */
async function ticketReadsSince(start) {
  await requestsSettled();
  const all = await requests();
  const param = (r, key) => String(queryOf(r)[key] ?? r.body?.[key] ?? '');
  const reads = all
    .slice(start.seen)
    .filter((r) => znunyOperation(r) === 'TicketGet' && param(r, 'AllArticles') === '1' && !param(r, 'ArticleLimit'))
    .map((r) => param(r, 'GetAttachmentContents'));
  start.seen = all.length;
  return reads;
}

const fireBrigade = (page) => articles(page).filter({ hasText: 'fire brigade' }).locator('b, strong').filter({ hasText: 'fire brigade' });
const myTickets = (page) => page.getByRole('link', { name: 'My tickets', exact: true });

it('ticket reads ask for the contents at once while the help desk writes HTML, else read first without them', async ({ page }) => {
  // TicketGet gives an HTML body only as an attachment's content (GetAttachmentContents=1).
  // A new page assumes HTML (Znuny's default); a ticket without any (106: the customer's plain
  // text only) makes the next read a probe without the contents, and an HTML body found so
  // makes it read again with them, and the one after at once.
  await signIn(page, 'alice');
  await listHeading(page).waitFor();
  await requestsSettled();
  const start = { seen: (await requests()).length };
  await page.goto(`${BASE}tickets/106`); // a new page
  await ticketHeading(page, 'New monitor request').waitFor();
  assert.deepEqual(await ticketReadsSince(start), ['1'], 'a new page: one read with the contents');
  await myTickets(page).click();
  await page.getByRole('link', { name: /Printer on fire/ }).click();
  await fireBrigade(page).waitFor();
  assert.deepEqual(await ticketReadsSince(start), ['0', '1'], 'after a plain ticket: a probe, then the read with the contents');
  await myTickets(page).click();
  await page.getByRole('link', { name: /Replacement keyboard/ }).click();
  await ticketHeading(page, 'Replacement keyboard').waitFor();
  await articles(page).filter({ hasText: 'We ordered it' }).locator('p').first().waitFor();
  assert.deepEqual(await ticketReadsSince(start), ['1'], 'after an HTML ticket: one read with the contents');
}, znunyOnly);

it("the list's \"New reply\" check tells that the help desk writes HTML: the ticket then opened is one read", async ({ page }) => {
  await signIn(page, 'alice');
  await listHeading(page).waitFor(); // the list as first seen: no check
  await requestsSettled();
  await agentReply(101, '<p>The <b>new</b> toner is on its way.</p>');
  const start = { seen: (await requests()).length };
  await page.goto(`${BASE}tickets/106`); // a new page; a plain ticket: the next read would probe
  await ticketHeading(page, 'New monitor request').waitFor();
  assert.deepEqual(await ticketReadsSince(start), ['1']);
  await myTickets(page).click(); // the list sees 101 changed
  await listHeading(page).waitFor();
  await requestsSettled();
  const check = (await requests()).findLast((r) => znunyOperation(r) === 'TicketGet' && (queryOf(r).ArticleLimit ?? r.body?.ArticleLimit));
  assert.ok(check, 'no "New reply" check after the list');
  const param = (key) => String(queryOf(check)[key] ?? check.body?.[key] ?? '');
  assert.deepEqual([param('Attachments'), param('GetAttachmentContents')], ['1', '0'], 'the check asks for names, never contents');
  start.seen = (await requests()).length;
  await page.getByRole('link', { name: /Printer on fire/ }).click();
  await articles(page).filter({ hasText: 'toner is on its way' }).locator('b').filter({ hasText: 'new' }).waitFor();
  assert.deepEqual(await ticketReadsSince(start), ['1']);
}, znunyOnly);
