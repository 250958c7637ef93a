// The same build served under a sub-path (/support/): routing, links, deep links, reloads.
import assert from 'node:assert/strict';
import {
  SUBPATH_BASE,
  articles,
  expectListed,
  listHeading,
  myTicketsLink,
  newTicketLink,
  signIn,
  signInHeading,
  signOutButton,
  ticketHeading,
  ticketLink,
  usePortal,
} from './lib/index.mjs';

const it = usePortal(import.meta);
const base = SUBPATH_BASE;
const basePath = new URL(base).pathname; // "/support/"

function watchMissing(page) {
  const missing = [];
  page.on('response', (res) => {
    const url = new URL(res.url());
    if (res.status() === 404 && !url.pathname.includes('/api/')) missing.push(url.pathname);
  });
  return missing;
}

it('signs in, lists, opens, reloads and signs out under /support/', async ({ page }) => {
  const missing = watchMissing(page);
  await signIn(page, 'alice', { base });
  await listHeading(page).waitFor();
  assert.ok(new URL(page.url()).pathname.startsWith(basePath), `left the sub-path: ${page.url()}`);
  await expectListed(page, [101, 105, 106, 102]);
  const hrefPath = async (link) => new URL(await link.evaluate((a) => a.href)).pathname;
  assert.equal(await hrefPath(myTicketsLink(page)), `${basePath}tickets`, '"My tickets" link leaves the sub-path');
  assert.equal(await hrefPath(newTicketLink(page)), `${basePath}tickets/new`, '"New ticket" link leaves the sub-path');

  const link = ticketLink(page, 'Printer on fire').first();
  assert.equal(await hrefPath(link), `${basePath}tickets/101`, 'the ticket link leaves the sub-path');
  await link.click();
  await ticketHeading(page, 'Printer on fire').waitFor();
  assert.equal(new URL(page.url()).pathname, `${basePath}tickets/101`);
  await articles(page).first().waitFor();

  await page.reload();
  await ticketHeading(page, 'Printer on fire').waitFor();
  await articles(page).first().waitFor();

  await page.goto(`${base}tickets/105`);
  await ticketHeading(page, 'Replacement keyboard').waitFor();

  await signOutButton(page).click();
  await signInHeading(page).waitFor();
  assert.equal(new URL(page.url()).pathname, `${basePath}sign-in`);
  assert.deepEqual(missing, [], 'files missing under the sub-path');
});

it('a deep link under /support/ survives the sign-in', async ({ page }) => {
  await page.goto(`${base}tickets/101`);
  await signInHeading(page).waitFor();
  await signIn(page, 'alice', { navigate: false, base });
  await ticketHeading(page, 'Printer on fire').waitFor();
  assert.equal(new URL(page.url()).pathname, `${basePath}tickets/101`);
});
