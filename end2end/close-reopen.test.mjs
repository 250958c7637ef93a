// Closing and reopening tickets; the help desk's refusal to reopen where it wants a new ticket.
import assert from 'node:assert/strict';
import {
  IS_ZAMMAD,
  REFUSAL_RE,
  alert,
  articles,
  assertNotReloaded,
  assertOnlyState,
  isClosedTicket,
  isOpenTicket,
  isTicketUpdate,
  closeButton,
  fakeTicket,
  markDocument,
  openTicket,
  reopenButton,
  requests,
  signIn,
  usePortal,
} from './lib/index.mjs';

const it = usePortal(import.meta);

async function signedInTicket(page, id, title) {
  await signIn(page, 'alice');
  await openTicket(page, id, { title });
  await articles(page).first().waitFor();
}

/** The ticket update requests (Zammad PUT /api/v1/tickets/<id>, Znuny TicketUpdate) the portal sent. */
async function ticketPuts(id) {
  return (await requests()).filter(isTicketUpdate(id));
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

  assert.ok(isClosedTicket(await fakeTicket(101)), 'the server did not close the ticket');
  const puts = await ticketPuts(101);
  assert.equal(puts.length, 1, `${puts.length} ticket updates`);
  assertOnlyState(puts[0], 'closed');

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

  assert.ok(isOpenTicket(await fakeTicket(104)), 'the server did not reopen the ticket');
  const puts = await ticketPuts(104);
  assert.equal(puts.length, 1);
  assertOnlyState(puts[0], 'open');
});

it('reopening a closed Sales ticket shows the refusal and it stays closed', async ({ page }) => {
  await signedInTicket(page, 103, 'Invoice copy needed');
  await page.getByRole('link', { name: 'Create a new ticket' }).waitFor();
  await reopenButton(page).click();
  await alert(page, REFUSAL_RE).waitFor();
  await page.getByText('Closed', { exact: true }).first().waitFor();
  await reopenButton(page).waitFor();
  assert.ok(isClosedTicket(await fakeTicket(103)), 'the ticket must stay closed');
  // Znuny's queue Sales rejects follow-ups: the portal refuses without asking the server.
  if (!IS_ZAMMAD) assert.deepEqual(await ticketPuts(103), [], 'an update was sent');
});
