// The ticket list: filters, search, sorting, organization scope, paging, every Zammad version.
import assert from 'node:assert/strict';
import {
  LIST_ROUTE,
  SHARED_SCOPE_LABEL,
  articles,
  assertListPageRequests,
  createdAtOf,
  onlyOn,
  ticketNumber,
  bulkTickets,
  eventually,
  timeOf,
  expectListed,
  fakeTicket,
  listHeading,
  listedTicketIds,
  nextPageButton,
  noTickets,
  openTicket,
  prevPageButton,
  requests,
  searchBox,
  showSelect,
  signIn,
  sleep,
  sortSelect,
  statusSelect,
  ticketHeading,
  ticketLink,
  usePortal,
} from './lib/index.mjs';

const it = usePortal(import.meta);

const OPEN_BY_UPDATE = [101, 105, 106, 102];
const CLOSED_BY_UPDATE = [104, 103, 108];
const ALL_BY_UPDATE = [101, 105, 106, 102, 104, 103, 108];

const selectedLabel = (select) => select.evaluate((s) => s.selectedOptions[0]?.label ?? '');

async function signedInList(page, who = 'alice') {
  await signIn(page, who);
  await listHeading(page).waitFor();
}

it('the default list shows open-like tickets, organization included, newest update first', async ({ page }) => {
  await signedInList(page);
  await expectListed(page, OPEN_BY_UPDATE);
  assert.equal(await selectedLabel(statusSelect(page)), 'Open');
  assert.equal(await selectedLabel(sortSelect(page)), 'Last update');
  // Everything fits on one page: no dead paging controls.
  assert.equal(await nextPageButton(page).count(), 0, 'a one-page list shows no pager');
  assert.equal(await prevPageButton(page).count(), 0, 'a one-page list shows no pager');

  const name = await ticketLink(page, 'Printer on fire').first().evaluate((a) => a.textContent + ' ' + (a.getAttribute('aria-label') || ''));
  assert.ok(name.includes(ticketNumber(101)), `the link should carry the ticket number ${ticketNumber(101)}: ${name}`);
  assert.match(name, /Open/i, 'the link should carry the state');
  // carol's ticket is listed through the shared organization.
  await ticketLink(page, 'VPN access for new colleague').first().waitFor();

  const text = await page.locator('body').innerText();
  for (const hidden of ['Globex server outage', 'Invoice copy needed', 'Password reset mail did not arrive', 'Laptop battery swollen']) {
    assert.ok(!text.includes(hidden), `"${hidden}" must not be listed under Open`);
  }
});

it('Status "Closed" and "All" filter the list', async ({ page }) => {
  await signedInList(page);
  await expectListed(page, OPEN_BY_UPDATE);
  await statusSelect(page).selectOption({ label: 'Closed' });
  await expectListed(page, CLOSED_BY_UPDATE);
  await statusSelect(page).selectOption({ label: 'All' });
  await expectListed(page, ALL_BY_UPDATE);
  assert.ok(!(await page.locator('body').innerText()).includes('Globex server outage'));
  await statusSelect(page).selectOption({ label: 'Open' });
  await expectListed(page, OPEN_BY_UPDATE);
});

it('search runs on Enter and after typing stops; no match says so', async ({ page }) => {
  await signedInList(page);
  await expectListed(page, OPEN_BY_UPDATE);

  await searchBox(page).fill('keyboard');
  await searchBox(page).press('Enter');
  await expectListed(page, [105]);

  // No Enter: the search runs once typing stops.
  await searchBox(page).fill('monitor');
  await expectListed(page, [106], { timeout: 15_000 });

  await searchBox(page).fill('zzz-no-such-ticket');
  await searchBox(page).press('Enter');
  await noTickets(page).waitFor();
  assert.deepEqual(await listedTicketIds(page), []);

  await searchBox(page).fill('');
  await searchBox(page).press('Enter');
  await expectListed(page, OPEN_BY_UPDATE);
});

it('"Sort by" Number and Created change the order', async ({ page }) => {
  await signedInList(page);
  await statusSelect(page).selectOption({ label: 'All' });
  await expectListed(page, ALL_BY_UPDATE);

  await sortSelect(page).selectOption({ label: 'Number' });
  const byNumber = [101, 102, 103, 104, 105, 106, 108];
  await eventually(async () => {
    const ids = await listedTicketIds(page);
    assert.ok(
      JSON.stringify(ids) === JSON.stringify(byNumber) || JSON.stringify(ids) === JSON.stringify([...byNumber].reverse()),
      `not sorted by number: ${ids}`,
    );
  });

  const created = {};
  for (const id of ALL_BY_UPDATE) created[id] = timeOf(createdAtOf(await fakeTicket(id)));
  await sortSelect(page).selectOption({ label: 'Created' });
  await eventually(async () => {
    const ids = await listedTicketIds(page);
    assert.deepEqual([...ids].sort(), [...ALL_BY_UPDATE].sort(), `wrong tickets: ${ids}`);
    const times = ids.map((id) => created[id]);
    const desc = times.every((t, i) => i === 0 || times[i - 1] >= t);
    const asc = times.every((t, i) => i === 0 || times[i - 1] <= t);
    assert.ok(desc || asc, `not sorted by creation time: ${ids} (${times})`);
  });
});

it('Show "Mine" hides the organization colleagues\' tickets', async ({ page }) => {
  await signedInList(page);
  await expectListed(page, OPEN_BY_UPDATE);
  assert.equal(await selectedLabel(showSelect(page)), SHARED_SCOPE_LABEL);
  await showSelect(page).selectOption({ label: 'Mine' });
  await expectListed(page, [101, 105, 106]);
  await statusSelect(page).selectOption({ label: 'All' });
  await expectListed(page, [101, 105, 106, 104, 103]);
});

it('bob sees only his organization\'s ticket, none of Acme\'s', async ({ page }) => {
  await signedInList(page, 'bob');
  await page.getByRole('banner').getByText('Bob Brown').first().waitFor();
  await expectListed(page, [107]);
  await statusSelect(page).selectOption({ label: 'All' });
  await expectListed(page, [107]);
  const text = await page.locator('body').innerText();
  for (const acme of ['Printer on fire', 'VPN access', 'Invoice copy', 'Replacement keyboard', 'Laptop battery']) {
    assert.ok(!text.includes(acme), `bob must not see "${acme}"`);
  }
  // And alice's ticket is not reachable for him.
  await openTicket(page, 101);
  await page.getByRole('heading', { name: 'Ticket not found' }).waitFor();
  assert.ok(!(await page.content()).includes('Printer on fire'));
});

const pageIndicator = (page, n) => page.getByText(new RegExp(`\\bPage ${n}\\b`)).first();

it('pages through 124 tickets, 25 a page, asking the server page by page', async ({ page }) => {
  const { ids: bulk } = await bulkTickets('alice', 120);
  assert.equal(bulk.length, 120);
  let seen = 0;
  /** What the fake received since the last call (one list page's requests). */
  const fresh = async () => {
    await sleep(300); // a late or duplicate request of this page would still arrive
    const all = await requests();
    const out = all.slice(seen);
    seen = all.length;
    return out;
  };
  await signedInList(page);

  let current = [];
  await eventually(async () => {
    current = await listedTicketIds(page);
    assert.equal(current.length, 25, `page 1 has ${current.length} rows`);
  }, { timeout: 15_000 });
  await pageIndicator(page, 1).waitFor();
  assertListPageRequests(await fresh(), { page: 1, rows: 25 });
  assert.equal(current[0], bulk.at(-1), 'the newest bulk ticket (last updated) comes first');
  assert.ok(current.every((id) => bulk.includes(id)), 'page 1 holds only the newest (bulk) tickets');
  const prev = prevPageButton(page);
  assert.ok((await prev.count()) === 0 || (await prev.isDisabled()), '"Previous page" must be disabled on page 1');

  const pages = [current];
  for (let n = 2; n <= 10; n += 1) {
    if (await nextPageButton(page).isDisabled()) break;
    const before = current;
    await nextPageButton(page).click();
    await pageIndicator(page, n).waitFor();
    await eventually(async () => {
      current = await listedTicketIds(page);
      assert.ok(current.length > 0, `page ${n} is empty`);
      assert.notDeepEqual(current, before, `page ${n} shows the same tickets as page ${n - 1}`);
    });
    // Zammad: the server is asked for page n (page/per_page); Znuny: one TicketSearch + one TicketGet.
    assertListPageRequests(await fresh(), { page: n, rows: current.length });
    pages.push(current);
  }

  assert.equal(pages.length, 5, `expected 5 pages, got ${pages.length}`);
  assert.deepEqual(pages.map((p) => p.length), [25, 25, 25, 25, 24]);
  const all = pages.flat();
  assert.equal(new Set(all).size, 124, 'a ticket was shown on two pages or missing');
  assert.deepEqual(pages[4].slice(-4), OPEN_BY_UPDATE, 'the seeded tickets are the oldest, on the last page');
  assert.ok(await nextPageButton(page).isDisabled(), '"Next page" must be disabled on the last page');

  // Back one page shows page 4 again.
  await prevPageButton(page).click();
  await pageIndicator(page, 4).waitFor();
  await expectListed(page, pages[3]);
  assertListPageRequests(await fresh(), { page: 4, rows: 25, mayBeCached: true });
});

for (const version of ['7', '6.5', '5']) {
  it(`Zammad ${version}: list, filters, search, paging and a ticket page work`, async ({ page }) => {
    const { ids: bulk } = await bulkTickets('alice', 30);
    await signedInList(page);
    // 30 bulk + 4 seeded open-like tickets: 25 on page 1, 9 on page 2.
    await eventually(async () => assert.equal((await listedTicketIds(page)).length, 25), { timeout: 15_000 });
    assert.equal((await listedTicketIds(page))[0], bulk.at(-1));
    await nextPageButton(page).click();
    await pageIndicator(page, 2).waitFor();
    await eventually(async () => {
      const ids = await listedTicketIds(page);
      assert.equal(ids.length, 9, `page 2 has ${ids}`);
      assert.deepEqual(ids.slice(-4), OPEN_BY_UPDATE);
    });
    assert.ok(await nextPageButton(page).isDisabled());

    await statusSelect(page).selectOption({ label: 'Closed' });
    await expectListed(page, CLOSED_BY_UPDATE);
    await statusSelect(page).selectOption({ label: 'All' });
    await eventually(async () => assert.equal((await listedTicketIds(page)).length, 25));

    await searchBox(page).fill('keyboard');
    await searchBox(page).press('Enter');
    await expectListed(page, [105]);

    await openTicket(page, 101, { title: 'Printer on fire' });
    await articles(page).first().waitFor();
    await ticketHeading(page, 'Printer on fire').waitFor();
  }, { reset: { zammad_version: version }, skip: onlyOn('zammad', `response shapes of Zammad ${version}`) });
}

it('a network failure shows an alert with "Try again", which recovers', async ({ page }) => {
  let failing = true;
  await page.route(LIST_ROUTE, (route) =>
    failing ? route.abort('connectionreset') : route.continue(),
  );
  await signIn(page, 'alice');
  const box = page.getByRole('alert').filter({ has: page.getByRole('button', { name: 'Try again' }) }).first();
  await box.waitFor({ timeout: 30_000 });
  assert.deepEqual(await listedTicketIds(page), []);
  failing = false;
  await box.getByRole('button', { name: 'Try again' }).click();
  await expectListed(page, OPEN_BY_UPDATE);
  assert.equal(await page.getByRole('button', { name: 'Try again' }).count(), 0, 'the alert stays after recovery');
});
