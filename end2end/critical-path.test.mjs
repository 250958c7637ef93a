// The critical path (issue 18): which request waits for which answer. No times here (they live in
// `cargo xtask bench`); what is checked is what the help desk received while another answer was
// still held back (the fake's `slow` fault), and that a page adopts a read started before it.
import assert from 'node:assert/strict';
import {
  BASE,
  FAULT_TARGETS,
  IS_ZAMMAD,
  USERS,
  articles,
  eventually,
  identifierBox,
  injectFault,
  isListCall,
  listHeading,
  listedTicketIds,
  passwordBox,
  requests,
  requestsSettled,
  signIn,
  signInButton,
  signInHeading,
  znunyOperation,
  znunyTicketIds,
  usePortal,
} from './lib/index.mjs';

const it = usePortal(import.meta);

// The call that says who signed in: held back long enough to see what went out meanwhile.
const IDENTITY = IS_ZAMMAD ? { method: 'GET', path: '^/api/v1/users/me$' } : { operation: 'SessionGet' };
const isIdentityCall = IS_ZAMMAD
  ? (r) => r.method === 'GET' && /\/api\/v1\/users\/me$/.test(r.path)
  : (r) => znunyOperation(r) === 'SessionGet';
const HELD_MS = 6000;
// The list page's ticket read (Znuny: the TicketGet of the searched ids; Zammad: the search's
// rows are the list).
const isListRowsCall = IS_ZAMMAD
  ? isListCall
  : (r) => znunyOperation(r) === 'TicketGet' && !/AllArticles/.test(r.request_line ?? '');
const isStatesCall = (r) => r.method === 'GET' && /\/api\/v1\/ticket_states$/.test(r.path);
/** A read of ticket `id` with its messages. */
const isTicketRead = (id) =>
  IS_ZAMMAD
    ? (r) => r.method === 'GET' && new RegExp(`/api/v1/(tickets/${id}|ticket_articles/by_ticket/${id})$`).test(r.path)
    : (r) =>
        znunyOperation(r) === 'TicketGet' &&
        /AllArticles/.test(r.request_line ?? '') &&
        znunyTicketIds(r).length === 1 &&
        znunyTicketIds(r)[0] === Number(id);

const stillSigningIn = async (page) =>
  assert.equal(await listHeading(page).count(), 0, 'the list is not on screen before the sign-in finished');

it('critical path: the list is read while the sign-in still checks who signed in', async ({ page }) => {
  await injectFault('slow', IDENTITY, { delay_ms: HELD_MS, times: 1 });
  await page.goto(`${BASE}sign-in`);
  await signInHeading(page).waitFor();
  await identifierBox(page).fill(USERS.alice.identifier);
  await passwordBox(page).fill(USERS.alice.password);
  await signInButton(page).click();
  // While the identity's answer is held back, the list's reads reach the help desk.
  await eventually(async () => {
    const log = await requests();
    assert.ok(log.some(isIdentityCall), 'the identity check went out');
    assert.ok(log.some(isListCall), 'the search went out before the identity check answered');
    assert.ok(log.some(isListRowsCall), "the list's rows were read before the identity check answered");
  }, { timeout: HELD_MS - 2000 });
  await stillSigningIn(page);
  // Once it answers, the list shows what was read then: no second search.
  await listHeading(page).waitFor({ timeout: HELD_MS + 10_000 });
  await eventually(async () => assert.ok((await listedTicketIds(page)).length > 0, 'the list shows tickets'));
  await requestsSettled({ quietMs: 400 });
  const log = await requests();
  assert.equal(log.filter(isListCall).length, 1, 'the list page adopted the search made while signing in');
  assert.equal(log.filter(isListRowsCall).length, 1, "the list's rows were read once");
});

it('critical path: a returning customer waits for the list\'s own reads only', async ({ page }) => {
  await signIn(page, 'alice', { stay: true });
  await listHeading(page).waitFor();
  await requestsSettled({ quietMs: 400 });
  const before = (await requests()).length;
  if (IS_ZAMMAD) await injectFault('slow', IDENTITY, { delay_ms: HELD_MS, times: 1 });
  await page.reload();
  if (IS_ZAMMAD) {
    // The token is checked (users/me) with the states the list needs read beside it.
    await eventually(async () => {
      const fresh = (await requests()).slice(before);
      assert.ok(fresh.some(isIdentityCall), 'the stored token is checked');
      assert.ok(fresh.some(isStatesCall), 'the states were read before the check answered');
    }, { timeout: HELD_MS - 2000 });
    await stillSigningIn(page);
  }
  await listHeading(page).waitFor({ timeout: HELD_MS + 10_000 });
  await eventually(async () => assert.ok((await listedTicketIds(page)).length > 0, 'the list shows tickets'));
  await requestsSettled({ quietMs: 400 });
  const fresh = (await requests()).slice(before);
  if (IS_ZAMMAD) {
    assert.equal(fresh.filter(isStatesCall).length, 1, 'the states were read once, beside the check');
  } else {
    // The stored session is used as it is (Znuny ends it at a known time): nothing before the list.
    const ops = fresh.map(znunyOperation).filter(Boolean);
    assert.deepEqual(ops.slice(0, 2), ['TicketSearch', 'TicketGet'], `after the reload: ${ops.join(', ')}`);
  }
  assert.equal(fresh.filter(isListCall).length, 1, 'one search for the list');
});

it('critical path: pointer down on a ticket row starts reading it, and its page adopts the read', async ({ page }) => {
  await signIn(page, 'alice');
  await listHeading(page).waitFor();
  await eventually(async () => assert.ok((await listedTicketIds(page)).length > 0, 'the list shows tickets'));
  await requestsSettled({ quietMs: 400 });
  const [id] = await listedTicketIds(page);
  const link = page.getByRole('link').and(page.locator(`[href$="tickets/${id}"]`)).first();
  const box = await link.boundingBox();
  assert.ok(box, 'the ticket row is on screen');
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  // The button is still down: no click yet, and the ticket is being read already.
  await eventually(async () => assert.ok((await requests()).some(isTicketRead(id)), 'the ticket is read on pointer down'));
  await requestsSettled({ quietMs: 400 });
  assert.match(new URL(page.url()).pathname, /\/tickets\/?$/, 'still on the list: the click has not happened');
  const readsBeforeClick = (await requests()).filter(isTicketRead(id)).length;
  await page.mouse.up();
  await page.waitForURL(new RegExp(`/tickets/${id}$`));
  await eventually(async () => assert.ok((await articles(page).count()) > 0, 'the ticket page shows its messages'));
  await requestsSettled({ quietMs: 400 });
  assert.equal(
    (await requests()).filter(isTicketRead(id)).length,
    readsBeforeClick,
    'the ticket page asked for nothing the pointer-down read had not asked for',
  );
});

it('critical path: pointer down with a modifier (a new tab) reads nothing ahead', async ({ page }) => {
  await signIn(page, 'alice');
  await listHeading(page).waitFor();
  await eventually(async () => assert.ok((await listedTicketIds(page)).length > 0, 'the list shows tickets'));
  await requestsSettled({ quietMs: 400 });
  const [id] = await listedTicketIds(page);
  const link = page.getByRole('link').and(page.locator(`[href$="tickets/${id}"]`)).first();
  const box = await link.boundingBox();
  assert.ok(box, 'the ticket row is on screen');
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.keyboard.down('Shift');
  await page.mouse.down();
  await requestsSettled({ quietMs: 400 });
  assert.equal((await requests()).filter(isTicketRead(id)).length, 0, 'no read for a row opened elsewhere');
  await page.mouse.move(0, 0);
  await page.mouse.up();
  await page.keyboard.up('Shift');
});

it('critical path: a list read that fails while signing in shows on the list, with "Try again"', async ({ page }) => {
  await injectFault(500, FAULT_TARGETS.list, { times: 1 });
  await signIn(page, 'alice');
  const retry = page.getByRole('alert').filter({ has: page.getByRole('button', { name: 'Try again', exact: true }) }).first();
  await retry.waitFor();
  assert.equal((await requests()).filter(isListCall).length, 1, 'the failed search was not repeated behind the customer\'s back');
  await retry.getByRole('button', { name: 'Try again', exact: true }).click();
  await eventually(async () => assert.ok((await listedTicketIds(page)).length > 0, 'the list shows tickets'));
  assert.equal((await requests()).filter(isListCall).length, 2, 'one search more, for "Try again"');
});
