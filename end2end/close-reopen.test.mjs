// Closing and reopening tickets; the help desk's refusal to reopen where it wants a new ticket.
import assert from 'node:assert/strict';
import {
  REFUSAL,
  alert,
  articles,
  assertNotReloaded,
  closeButton,
  fakeTicket,
  markDocument,
  openTicket,
  pathOf,
  reopenButton,
  requests,
  signIn,
  stateIdOf,
  usePortal,
} from './lib/index.mjs';

const it = usePortal(import.meta);

async function signedInTicket(page, id, title) {
  await signIn(page, 'alice');
  await openTicket(page, id, { title });
  await articles(page).first().waitFor();
}

/** The ticket update requests (PUT /api/v1/tickets/<id>) the portal sent. */
async function ticketPuts(id) {
  return (await requests()).filter(
    (r) => ['PUT', 'PATCH'].includes(r.method) && new RegExp(`/api/v1/tickets/${id}$`).test(pathOf(r)),
  );
}

function assertOnlyState(body) {
  const keys = Object.keys(body || {});
  assert.equal(keys.length, 1, `the update must carry only the state, got ${JSON.stringify(body)}`);
  assert.ok(['state', 'state_id'].includes(keys[0]), `unexpected key ${keys[0]}`);
}

it('closes an open ticket', async ({ page }) => {
  await signedInTicket(page, 101, 'Printer on fire');
  assert.equal(await reopenButton(page).count(), 0, 'no "Reopen ticket" on an open ticket');
  await markDocument(page);
  await closeButton(page).click();
  await page.getByText('Closed', { exact: true }).first().waitFor();
  await reopenButton(page).waitFor();
  assert.equal(await closeButton(page).count(), 0);
  await assertNotReloaded(page);

  assert.equal(stateIdOf(await fakeTicket(101)), 4);
  const puts = await ticketPuts(101);
  assert.equal(puts.length, 1, `${puts.length} ticket updates`);
  assertOnlyState(puts[0].body);

  // The server's state survives a reload.
  await page.reload();
  await page.getByText('Closed', { exact: true }).first().waitFor();
  await reopenButton(page).waitFor();
});

it('reopens a closed Support ticket', async ({ page }) => {
  await signedInTicket(page, 104, 'Password reset mail did not arrive');
  await page.getByText('Closed', { exact: true }).first().waitFor();
  assert.equal(await closeButton(page).count(), 0, 'no "Close ticket" on a closed ticket');
  await reopenButton(page).click();
  await page.getByText('Open', { exact: true }).first().waitFor();
  await closeButton(page).waitFor();
  assert.equal(await reopenButton(page).count(), 0);

  assert.equal(stateIdOf(await fakeTicket(104)), 2);
  const puts = await ticketPuts(104);
  assert.equal(puts.length, 1);
  assertOnlyState(puts[0].body);
});

it('reopening a closed Sales ticket shows the refusal and it stays closed', async ({ page }) => {
  await signedInTicket(page, 103, 'Invoice copy needed');
  await page.getByRole('link', { name: 'Create a new ticket' }).waitFor();
  await reopenButton(page).click();
  await alert(page, REFUSAL).waitFor();
  await page.getByText('Closed', { exact: true }).first().waitFor();
  await reopenButton(page).waitFor();
  assert.equal(stateIdOf(await fakeTicket(103)), 4);
});
