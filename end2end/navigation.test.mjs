// Back and Forward show what was just seen without asking the help desk again (for a short
// freshness window, and never after a write); leaving a page cancels the requests it no longer
// needs.
import assert from 'node:assert/strict';
import {
  BASE,
  LIST_ROUTE,
  closeButton,
  eventually,
  isListCall,
  isTicketCall,
  listHeading,
  listedTicketIds,
  myTicketsLink,
  newTicketLink,
  reopenButton,
  requests,
  signIn,
  sleep,
  ticketHeading,
  ticketLink,
  usePortal,
} from './lib/index.mjs';

const it = usePortal(import.meta);

const count = async (pred) => (await requests()).filter(pred).length;

it('Back and Forward show the list and the ticket again without new requests', async ({ page }) => {
  await signIn(page, 'alice');
  await listHeading(page).waitFor();
  await eventually(async () => assert.ok((await listedTicketIds(page)).length > 0, 'the list shows tickets'));
  const shown = await listedTicketIds(page);
  const id = shown[0];
  // The first ticket link of the list (listedTicketIds reads them in document order).
  await page
    .getByRole('link')
    .and(page.locator(`[href$="tickets/${id}"]`))
    .first()
    .click();
  await page.getByRole('heading', { level: 1 }).waitFor();
  const ticketHead = (await page.getByRole('heading', { level: 1 }).innerText()).trim();
  await sleep(300);
  const lists = await count(isListCall);
  const tickets = await count(isTicketCall);

  await page.goBack();
  await listHeading(page).waitFor();
  await eventually(async () => assert.deepEqual(await listedTicketIds(page), shown));
  await page.goForward();
  await ticketHeading(page, ticketHead).waitFor();
  await sleep(300);
  assert.equal(await count(isListCall), lists, 'Back asked the help desk for the list again');
  assert.equal(await count(isTicketCall), tickets, 'Forward asked the help desk for the ticket again');

  // A write makes what was cached stale: after closing, the list is read again.
  const closing = (await closeButton(page).count()) > 0;
  await (closing ? closeButton(page) : reopenButton(page)).click();
  await (closing ? reopenButton(page) : closeButton(page)).waitFor({ timeout: 20_000 });
  const listsBeforeBack = await count(isListCall);
  await page.goBack();
  await listHeading(page).waitFor();
  await eventually(async () =>
    assert.equal(await count(isListCall), listsBeforeBack + 1, 'after a write, Back reads the list again'),
  );
});

it('leaving the list while it loads cancels its request', async ({ page }) => {
  let held = 0;
  const aborted = [];
  page.on('requestfailed', (req) => {
    if (LIST_ROUTE.test(req.url())) aborted.push(req.failure()?.errorText ?? '');
  });
  // Signed in first: the sign-in reads the first list page itself (issue 18); here the list
  // page reads it, after a reload.
  await signIn(page, 'alice');
  await listHeading(page).waitFor();
  await page.route(LIST_ROUTE, async (route) => {
    held += 1;
    await sleep(4_000); // a slow help desk
    await route.continue().catch(() => {}); // the page may have given up on it already
  });
  await page.reload();
  await eventually(async () => assert.ok(held >= 1, 'the list was requested'));
  await newTicketLink(page).click();
  await page.getByRole('heading', { level: 1, name: /new ticket/i }).waitFor();
  await eventually(async () => assert.ok(aborted.length >= 1, 'the list request was not cancelled'), {
    timeout: 3_000,
  });
  assert.match(aborted[0], /abort/i);
});

it('after Back and Forward, a link to the page before still moves the address there', async ({ page }) => {
  // leptos_router 0.8 remembers its own entries and misses Forward: without the portal's check it
  // would take /tickets for the current address here and show the list under the ticket's address.
  await page.goto(`${BASE}tickets`);
  await signIn(page, 'alice', { navigate: false });
  await listHeading(page).waitFor();
  await ticketLink(page, 'Printer on fire').first().click();
  await ticketHeading(page, 'Printer on fire').waitFor();
  await page.goBack();
  await listHeading(page).waitFor();
  await page.goForward();
  await ticketHeading(page, 'Printer on fire').waitFor();

  await myTicketsLink(page).click();
  await listHeading(page).waitFor();
  await eventually(async () => assert.equal(new URL(page.url()).pathname, '/tickets'));
  // The list has an entry of its own: Back is the ticket again, Forward the list, and a reload
  // shows the list.
  await page.goBack();
  await ticketHeading(page, 'Printer on fire').waitFor();
  await page.goForward();
  await listHeading(page).waitFor();
  await page.reload();
  await listHeading(page).waitFor();
});
