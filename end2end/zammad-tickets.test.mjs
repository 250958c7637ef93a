// Zammad tickets on real servers (issue 15): what the fake Zammad now does as strictly as the
// real versions (zammad-api.md, section 9), and that the portal is right with it: search on 5.x
// with Elasticsearch, escaped text on 7, the help desk's own rules for new tickets, the reopen
// window, secondary organizations, risky inline images, inline images through a proxied API.
import assert from 'node:assert/strict';
import {
  BASE,
  REFUSAL,
  alert,
  apiPatch,
  apiPost,
  currentConfig,
  download,
  eventually,
  expectListed,
  fakeTicket,
  header,
  isCreate,
  listHeading,
  listedTicketIds,
  newTicketLink,
  nextPageButton,
  onlyOn,
  openTicket,
  pathOf,
  putConfig,
  replyBox,
  requests,
  requestsSettled,
  searchBox,
  sendReplyButton,
  showSelect,
  signIn,
  signOutButton,
  sleep,
  stateTypeOf,
  statusSelect,
  ticketHeading,
  timeOf,
  usePortal,
} from './lib/index.mjs';

const it = usePortal(import.meta);
const ZAMMAD_ONLY = onlyOn('zammad', 'Zammad versions, settings and Elasticsearch');

const OPEN_STATE_IDS = ['1', '2', '3', '6'];
const HOUR = 3_600_000;

const heading = (page) => page.getByRole('heading', { name: 'New ticket', exact: true });
const subjectBox = (page) => page.getByRole('textbox', { name: 'Subject', exact: true });
const messageBox = (page) => page.getByRole('textbox', { name: 'Message', exact: true });
const groupSelect = (page) => page.getByRole('combobox', { name: 'Group', exact: true });
const submitButton = (page) => page.getByRole('button', { name: 'Submit ticket', exact: true });
const createLink = (page) => page.getByRole('link', { name: 'Create a ticket', exact: true });
const createNewLink = (page) => page.getByRole('link', { name: 'Create a new ticket', exact: true });
const pageIndicator = (page, text) => page.getByText(text, { exact: true }).first();

const searchCalls = (reqs) => reqs.filter((r) => r.method === 'POST' && pathOf(r) === '/api/v1/tickets/search');

/** The portal never sends PATCH (Zammad 7 routes only PUT to a ticket update). */
async function assertNoPatch() {
  const patches = (await requests()).filter((r) => r.method === 'PATCH');
  assert.deepEqual(patches.map((r) => r.path), [], 'the portal sent PATCH');
}

/** Waits until the portal has read the help desk's rules for new tickets (signshow, ticket_create). */
async function rulesRead() {
  await eventually(async () => {
    const reqs = await requests();
    const asked = (p) => reqs.some((r) => r.method === 'GET' && pathOf(r) === p && r.status === 200);
    assert.ok(asked('/api/v1/signshow') && asked('/api/v1/ticket_create'), 'the rules were not read');
  });
  await requestsSettled();
}

/** Ids of `ids` in the order Zammad sorts a search (last update first, then the higher id). */
async function byLastUpdate(ids) {
  const rows = await Promise.all(ids.map(async (id) => ({ id, t: await fakeTicket(id) })));
  return rows
    .sort((a, b) => timeOf(b.t.updated_at) - timeOf(a.t.updated_at) || b.id - a.id)
    .map((r) => r.id);
}

it('zammad tickets: 5.x with Elasticsearch: text with Open, Closed and Mine is filtered by the portal, page by page', async ({ page }) => {
  // Zammad 5 searching text runs a LIKE that drops the condition: 160 tickets match "bulk",
  // 40 of them open, 30 of those Alice's own.
  const closed = (await apiPost('__test/bulk_tickets', { customer: 'alice', count: 120, state: 'closed' })).ids;
  const aliceOpen = (await apiPost('__test/bulk_tickets', { customer: 'alice', count: 30, state: 'new' })).ids;
  const carolOpen = (await apiPost('__test/bulk_tickets', { customer: 'carol', count: 10, state: 'new' })).ids;
  const open = await byLastUpdate([...aliceOpen, ...carolOpen]);
  const mine = await byLastUpdate(aliceOpen);
  const closedOrder = await byLastUpdate(closed);

  await signIn(page, 'alice');
  await listHeading(page).waitFor();
  await requestsSettled();
  let seen = (await requests()).length;
  const fresh = async () => {
    const all = await requests();
    const out = all.slice(seen);
    seen = all.length;
    return out;
  };

  await searchBox(page).fill('bulk');
  await searchBox(page).press('Enter');
  await expectListed(page, open.slice(0, 25), { timeout: 15_000 });
  await requestsSettled();
  let sent = searchCalls(await fresh());
  // The customer's page 1 needs 26 open tickets: one server page of 100 holds them.
  assert.deepEqual(sent.map((r) => [r.body.page, r.body.per_page]), [[1, 100]], 'server pages read for page 1');
  for (const r of sent) {
    assert.equal(r.body.query, 'bulk', 'the text goes as typed to Zammad 5 (its search is a LIKE)');
    assert.deepEqual(r.body.condition['ticket.state_id'], { operator: 'is', value: OPEN_STATE_IDS });
  }

  await nextPageButton(page).click();
  await pageIndicator(page, 'Page 2 of 2').waitFor();
  await expectListed(page, open.slice(25));
  await requestsSettled();
  sent = searchCalls(await fresh());
  // Page 2 needs 51 matches (or the end): server pages 1 and 2, no more.
  assert.deepEqual(sent.map((r) => r.body.page), [1, 2], 'server pages read for page 2');
  assert.ok(await nextPageButton(page).isDisabled(), 'the server ran out: no page 3');

  // "Mine": Alice's own open tickets only, though the server answers Carol's too.
  await showSelect(page).selectOption({ label: 'Mine' });
  await expectListed(page, mine.slice(0, 25));
  await requestsSettled();
  sent = searchCalls(await fresh());
  assert.ok(sent.length >= 1);
  for (const r of sent) {
    assert.deepEqual(r.body.condition['ticket.customer_id'], { operator: 'is', value: ['10'] });
  }

  // Closed, whole organization: 120 closed, newest first.
  await showSelect(page).selectOption({ label: 'My organization' });
  await statusSelect(page).selectOption({ label: 'Closed' });
  await expectListed(page, closedOrder.slice(0, 25));
  await nextPageButton(page).click();
  await expectListed(page, closedOrder.slice(25, 50));
  for (const r of searchCalls(await requests())) {
    assert.ok(r.body.condition && Object.keys(r.body.condition).length > 0, 'a search without a condition');
    for (const spec of Object.values(r.body.condition)) assert.ok(spec.value.length > 0, 'an empty value list');
  }
  await assertNoPatch();
}, { reset: { zammad_version: '5', elasticsearch: true }, skip: ZAMMAD_ONLY, timeout: 180_000 });

it('zammad tickets: 7: special characters in a search are escaped for Elasticsearch', async ({ page }) => {
  await signIn(page, 'alice');
  await listHeading(page).waitFor();
  await searchBox(page).fill('printer (fire');
  await searchBox(page).press('Enter');
  await expectListed(page, [101]);
  // A `:` would ask for a field and turn the prefix search off: "Printer: fi" finds "fire".
  await searchBox(page).fill('Printer: fi');
  await searchBox(page).press('Enter');
  const sentQueries = async () => searchCalls(await requests()).map((r) => r.body.query).filter(Boolean);
  await eventually(async () => assert.ok((await sentQueries()).includes('Printer fi'), 'the second search was not sent'));
  await expectListed(page, [101]);
  const queries = await sentQueries();
  assert.ok(queries.includes('printer \\(fire'), `sent: ${JSON.stringify(queries)}`);
  assert.ok(queries.includes('Printer fi'), `sent: ${JSON.stringify(queries)}`);
  assert.ok(!queries.some((q) => q.includes(':')), `a ":" was sent: ${JSON.stringify(queries)}`);
  for (const r of searchCalls(await requests())) {
    assert.deepEqual(r.body.condition['ticket.state_id'].value, OPEN_STATE_IDS);
  }
}, { skip: ZAMMAD_ONLY });

it('zammad tickets: 7 without Elasticsearch: a search with special characters falls back to the text as typed', async ({ page }) => {
  await signIn(page, 'alice');
  await listHeading(page).waitFor();
  await searchBox(page).fill('monitor (27');
  await searchBox(page).press('Enter');
  await expectListed(page, [106]);
  const queries = searchCalls(await requests()).map((r) => r.body.query).filter(Boolean);
  assert.deepEqual(queries, ['monitor \\(27', 'monitor (27'], 'escaped first, then as typed');
}, { reset: { zammad_version: '7', elasticsearch: false }, skip: ZAMMAD_ONLY });

it('zammad tickets: the help desk lets customers create tickets: "New ticket" is offered', async ({ page }) => {
  await signIn(page, 'alice');
  await listHeading(page).waitFor();
  await newTicketLink(page).waitFor();
  await createLink(page).waitFor();
  const reqs = await requests();
  // The last one: the sign-in page asks signshow first, as nobody, what it offers (account links).
  const show = reqs.filter((r) => r.method === 'GET' && pathOf(r) === '/api/v1/signshow').at(-1);
  assert.ok(show, 'signshow was not asked');
  assert.match(header(show, 'authorization') || '', /^Token token=/, 'signshow asked with the token');
}, { skip: ZAMMAD_ONLY });

it('zammad tickets: customer_ticket_create off hides "New ticket" everywhere and the form says why', async ({ page }) => {
  await apiPatch('__test/settings', { customer_ticket_create: false });
  await signIn(page, 'alice');
  await listHeading(page).waitFor();
  await rulesRead();
  assert.equal(await newTicketLink(page).count(), 0, '"New ticket" in the header');
  assert.equal(await createLink(page).count(), 0, '"Create a ticket" on the list');
  // A closed ticket whose group wants a new ticket: the notice, without the link.
  await openTicket(page, 103, { title: 'Invoice copy needed' });
  await page.getByText('The help desk asks for a new ticket').waitFor();
  await sleep(300);
  assert.equal(await createNewLink(page).count(), 0, '"Create a new ticket" after a refusal');
  // The form route says why, and offers no form.
  await page.goto(`${BASE}tickets/new`);
  await heading(page).waitFor();
  await page.getByText('This help desk does not take new tickets through the portal').waitFor();
  assert.equal(await subjectBox(page).count(), 0);
  assert.equal((await requests()).filter(isCreate).length, 0);
}, { skip: ZAMMAD_ONLY });

it('zammad tickets: a group Zammad does not allow is never offered, even where config.json lists it', async ({ page }) => {
  await apiPatch('__test/settings', { customer_ticket_create_group_ids: [1, 2] });
  const config = await currentConfig();
  await putConfig({
    ...config,
    ticket_form: {
      groups: [
        { id: '3', label: 'Sales' },
        { id: '2', label: 'Support' },
        { id: 'Users', label: 'General questions' },
      ],
      default_group: '3',
    },
  });
  await signIn(page, 'alice');
  await newTicketLink(page).click();
  await heading(page).waitFor();
  await groupSelect(page).waitFor();
  const labels = await groupSelect(page).evaluate((s) => [...s.options].map((o) => o.label));
  assert.deepEqual(labels, ['Support', 'General questions'], 'Sales (not allowed by Zammad) is dropped');
  assert.equal(await groupSelect(page).evaluate((s) => s.selectedOptions[0]?.label), 'Support', 'the forbidden default is not chosen');
  await groupSelect(page).selectOption({ label: 'General questions' });
  await subjectBox(page).fill('Where do I ask this?');
  await messageBox(page).fill('A general question.');
  await submitButton(page).click();
  await ticketHeading(page, 'Where do I ask this?').waitFor();
  const create = (await requests()).filter(isCreate).at(-1);
  assert.equal(create.body.group, 'Users');
  assert.equal(create.status, 201);
}, { skip: ZAMMAD_ONLY });

it('zammad tickets: a masked 422 on create says what to try and keeps what was typed', async ({ page }) => {
  await signIn(page, 'alice');
  await newTicketLink(page).click();
  await heading(page).waitFor();
  // The help desk changes its mind after the form was shown: Support is no longer allowed.
  await apiPatch('__test/settings', { customer_ticket_create_group_ids: [3] });
  await groupSelect(page).selectOption({ label: 'Support' });
  await subjectBox(page).fill('Keyboard missing keys');
  await messageBox(page).fill('The F and J keys came off.');
  await submitButton(page).click();
  const box = alert(page, 'did not accept a ticket with these values');
  await box.waitFor();
  assert.match(await box.innerText(), /another group/);
  assert.match(await box.innerText(), /Error ID \S+/);
  assert.equal(await subjectBox(page).inputValue(), 'Keyboard missing keys');
  assert.equal(await messageBox(page).inputValue(), 'The F and J keys came off.');
  const creates = (await requests()).filter(isCreate);
  assert.equal(creates.length, 1, 'sent once, not retried with the same values');
  assert.equal(creates[0].status, 422);
}, { skip: ZAMMAD_ONLY });

it('zammad tickets: the reopen window on both sides of 48 hours (whole days from the last close)', async ({ page }) => {
  await apiPatch('__test/groups/2', { follow_up_possible: 'new_ticket_after_certain_time', reopen_time_in_days: 2 });
  const now = Date.now();
  // 104: closed again 47 h 50 min ago (its first close long before): inside the window.
  await apiPatch('__test/tickets/104', {
    close_at: new Date(now - 30 * 24 * HOUR).toISOString(),
    last_close_at: new Date(now - 47 * HOUR - 50 * 60_000).toISOString(),
  });
  // 108: closed 48 h 10 min ago: outside.
  await apiPatch('__test/tickets/108', { last_close_at: new Date(now - 48 * HOUR - 10 * 60_000).toISOString() });

  await signIn(page, 'alice');
  await openTicket(page, 104, { title: 'Password reset mail did not arrive' });
  await replyBox(page).waitFor();
  assert.equal(await page.getByText('The help desk asks for a new ticket').count(), 0, 'refused inside the window');
  await replyBox(page).fill('Still no mail, sorry.');
  await sendReplyButton(page).click();
  await eventually(async () => assert.equal(stateTypeOf(await fakeTicket(104)), 'open'));

  await openTicket(page, 108, { title: 'Laptop battery swollen' });
  await page.getByText('The help desk asks for a new ticket').waitFor();
  await createNewLink(page).waitFor();
  await replyBox(page).fill('It got worse.');
  await sendReplyButton(page).click();
  await alert(page, REFUSAL).waitFor();
  assert.equal(await replyBox(page).inputValue(), 'It got worse.', 'the refused reply is kept');
  assert.equal(stateTypeOf(await fakeTicket(108)), 'closed');
  await assertNoPatch();
}, { skip: ZAMMAD_ONLY });

it('zammad tickets: 5.x forbids customers the groups: a closed ticket still takes a reply, with a word of warning', async ({ page }) => {
  await signIn(page, 'alice');
  await openTicket(page, 104, { title: 'Password reset mail did not arrive' });
  await page.getByText('The help desk may ask for a new ticket').waitFor();
  await replyBox(page).fill('Mail still missing.');
  await sendReplyButton(page).click();
  await eventually(async () => assert.equal(stateTypeOf(await fakeTicket(104)), 'open'));
  const groups = (await requests()).filter((r) => pathOf(r) === '/api/v1/groups');
  assert.ok(groups.every((r) => r.status === 403), 'groups are 403 on 5.x');
  assert.ok(groups.length <= 1, `asked for groups ${groups.length} times`);
}, { reset: { zammad_version: '5' }, skip: ZAMMAD_ONLY });

it('zammad tickets: secondary organizations: listed under "My organization"; opened only with a primary one', async ({ page }) => {
  await signIn(page, 'alice', { identifier: 'dana@example.com', password: 'dana-demo' });
  await listHeading(page).waitFor();
  await statusSelect(page).selectOption({ label: 'All' });
  await expectListed(page, [201, 202, 203]);
  await showSelect(page).selectOption({ label: 'Mine' });
  await expectListed(page, [201]);
  await openTicket(page, 202, { title: 'Umbrella VPN certificate expired' });
  await signOutButton(page).click();

  // Erin belongs to Umbrella Corp as a secondary organization only.
  await signIn(page, 'alice', { identifier: 'erin@example.com', password: 'erin-demo' });
  await listHeading(page).waitFor();
  await statusSelect(page).selectOption({ label: 'All' });
  await expectListed(page, [202, 203]);
  await openTicket(page, 202);
  await page.getByRole('heading', { level: 1, name: 'You cannot open this ticket', exact: true }).waitFor();
  await page.getByText('You can see this ticket in the list, but the help desk does not let you open it').waitFor();
  assert.equal(await page.getByRole('heading', { name: 'Ticket not found' }).count(), 0);
  const shows = (await requests()).filter((r) => r.method === 'GET' && pathOf(r) === '/api/v1/tickets/202');
  assert.equal(shows.at(-1).status, 403);
  // A ticket of an organization Erin does not belong to stays "not found".
  await openTicket(page, 101);
  await page.getByRole('heading', { level: 1, name: 'Ticket not found', exact: true }).waitFor();
}, { skip: ZAMMAD_ONLY });

const SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10" onload="window.__xss=1"><rect width="10" height="10"/></svg>';
// A 1x1 PNG.
const PNG =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';

it('zammad tickets: an SVG inline image, sent as octet-stream, is offered as a file and never rendered', async ({ page }) => {
  await apiPost('__test/agent_reply', {
    ticket_id: 101,
    body: '<p>Our plan: <img src="cid:plan@x" alt="network plan"> and a photo: <img src="cid:photo@x" alt="rack photo"></p>',
    attachments: [
      { filename: 'plan.svg', 'mime-type': 'image/svg+xml', data: Buffer.from(SVG).toString('base64'), content_id: 'plan@x' },
      { filename: 'photo.png', 'mime-type': 'image/png', data: PNG, content_id: 'photo@x' },
    ],
  });
  await signIn(page, 'alice');
  await openTicket(page, 101, { title: 'Printer on fire' });
  const photo = page.getByRole('img', { name: 'rack photo' });
  await eventually(async () => assert.match((await photo.getAttribute('src')) || '', /^blob:/));
  const file = page.getByRole('link', { name: 'Download network plan', exact: true });
  await file.waitFor();
  assert.equal(await page.getByRole('img', { name: 'network plan' }).count(), 0, 'the SVG is shown as an image');
  const { bytes } = await download(page, file);
  assert.equal(bytes.toString(), SVG);
  assert.equal(await page.evaluate(() => window.__xss), undefined);
}, { skip: ZAMMAD_ONLY });

it('zammad tickets: inline images load through api_base where a proxy maps the API elsewhere', async ({ page }) => {
  const config = await currentConfig();
  await putConfig({ ...config, api_base: '/zammad-proxy/api/v1' });
  await apiPost('__test/agent_reply', {
    ticket_id: 101,
    body: '<p>Photo: <img src="cid:photo@x" alt="rack photo"></p>',
    attachments: [{ filename: 'photo.png', 'mime-type': 'image/png', data: PNG, content_id: 'photo@x' }],
  });
  await signIn(page, 'alice');
  await openTicket(page, 101, { title: 'Printer on fire' });
  const photo = page.getByRole('img', { name: 'rack photo' });
  await eventually(async () => assert.match((await photo.getAttribute('src')) || '', /^blob:/));
  const images = (await requests()).filter((r) => /^\/api\/v1\/ticket_attachment\//.test(pathOf(r)));
  assert.ok(images.length >= 1, 'the image was not asked for');
  for (const r of images) {
    assert.equal(header(r, 'x-forwarded-prefix'), '/zammad-proxy', `${r.path} did not go through api_base`);
    assert.equal(r.status, 200);
  }
  const direct = (await requests()).filter((r) => !header(r, 'x-forwarded-prefix'));
  assert.deepEqual(direct.map((r) => r.path), [], 'requests that bypassed api_base');
}, { skip: ZAMMAD_ONLY });
