// One ticket: header facts, the conversation, what must never be shown, sanitized HTML, downloads,
// tickets that are not there.
import assert from 'node:assert/strict';
import {
  BASE,
  PRINTER_LOG,
  SERVER_ERROR,
  articles,
  articlesOf,
  assertTicketPageRequests,
  attachmentsOf,
  createdAtOf,
  injectInternalArticle,
  isInternalArticle,
  requests,
  ticketNumber,
  ticketRoute,
  download,
  downloadControl,
  expectListed,
  fakeAttachment,
  fakeTicket,
  listHeading,
  openTicket,
  signIn,
  sleep,
  ticketHeading,
  timeOf,
  usePortal,
} from './lib/index.mjs';

const it = usePortal(import.meta);

async function signedInTicket(page, id, title) {
  await signIn(page, 'alice');
  await openTicket(page, id, { title });
  await articles(page).first().waitFor();
}

const customerArticle = (page) => articles(page).filter({ hasText: 'The printer in room 42' });
const agentArticle = (page) => articles(page).filter({ hasText: 'fire brigade' });

it('shows title, number, state and times', async ({ page }) => {
  await signedInTicket(page, 101, 'Printer on fire');
  await page.getByText(`#${ticketNumber(101)}`).first().waitFor();
  await page.getByText('Open', { exact: true }).first().waitFor();
  await page.getByText(/Created/).first().waitFor();
  await page.getByText(/Updated/).first().waitFor();

  const times = await page.locator('time').evaluateAll((els) => els.map((e) => e.getAttribute('datetime')));
  assert.ok(times.length >= 2, `expected <time> elements for Created and Updated, got ${times.length}`);
  const stored = await fakeTicket(101);
  const created = timeOf(createdAtOf(stored));
  assert.ok(
    times.some((t) => t && Math.abs(Date.parse(t) - created) < 60_000),
    `no <time datetime> matches the creation time ${createdAtOf(stored)}: ${JSON.stringify(times)}`,
  );

  // What one ticket page costs (Znuny: at most 2 TicketGet of this ticket).
  const seen = (await requests()).length;
  await page.reload();
  await ticketHeading(page, 'Printer on fire').waitFor();
  await articles(page).first().waitFor();
  await sleep(300);
  assertTicketPageRequests((await requests()).slice(seen), 101);
});

it('shows the state category, with the raw state name for pending tickets', async ({ page }) => {
  await signedInTicket(page, 105, 'Replacement keyboard');
  await page.getByText(`#${ticketNumber(105)}`).first().waitFor();
  await page.getByText('Pending', { exact: true }).first().waitFor();

  await openTicket(page, 103, { title: 'Invoice copy needed' });
  await page.getByText('Closed', { exact: true }).first().waitFor();
});

it('lists the public messages in order, customer and agent told apart', async ({ page }) => {
  await signedInTicket(page, 101, 'Printer on fire');
  const stored = await fakeTicket(101);
  const visible = articlesOf(stored).filter((a) => !isInternalArticle(a));
  await customerArticle(page).waitFor();
  await agentArticle(page).waitFor();
  assert.equal(await articles(page).count(), visible.length, 'one <article> per public message');

  const senders = await articles(page).evaluateAll((els) => els.map((e) => e.getAttribute('data-sender')));
  const texts = await articles(page).allInnerTexts();
  const iCustomer = texts.findIndex((t) => t.includes('The printer in room 42'));
  const iAgent = texts.findIndex((t) => t.includes('fire brigade'));
  assert.ok(iCustomer >= 0 && iAgent > iCustomer, 'the customer message comes before the agent reply');
  assert.equal(senders[iCustomer], 'customer');
  assert.equal(senders[iAgent], 'agent');
  assert.match(texts[iAgent], /Emma Agent|Support/, 'the agent reply is labelled');
  assert.match(texts[iCustomer], /\bYou\b|Alice Anders/, 'the customer message is labelled');
});

it('never shows internal notes or agent-only data', async ({ page }) => {
  await signedInTicket(page, 101, 'Printer on fire');
  await agentArticle(page).waitFor();
  await sleep(300);
  const html = await page.content();
  for (const marker of ['INTERNAL-NOTE-MARKER', 'USER-NOTE-MARKER', 'GROUP-NOTE-MARKER', 'COMPANY-NOTE-MARKER']) {
    assert.ok(!html.includes(marker), `${marker} is in the page`);
  }
  assert.equal(await page.getByText('15.0', { exact: true }).count(), 0, 'the time accounting is shown');
  // And not by any other way of reading the page.
  const text = await page.locator('body').innerText();
  assert.ok(!text.includes('INTERNAL-NOTE-MARKER'));
});

it('renders agent HTML sanitized: formatting and safe links stay, scripts go', async ({ page }) => {
  await signedInTicket(page, 101, 'Printer on fire');
  const agent = agentArticle(page);
  await agent.waitFor();

  assert.equal(await agent.locator('b, strong').filter({ hasText: 'fire brigade' }).count(), 1, 'bold kept');
  await agent.getByRole('listitem').filter({ hasText: 'leave the room' }).waitFor();
  await agent.getByRole('listitem').filter({ hasText: 'close the door' }).waitFor();

  const link = agent.getByRole('link', { name: 'safety guide' });
  assert.equal(await link.getAttribute('href'), 'https://example.com/safety');
  const rel = (await link.getAttribute('rel')) || '';
  assert.ok(rel.split(/\s+/).includes('noopener') && rel.split(/\s+/).includes('noreferrer'), `rel="${rel}"`);
  assert.equal(await link.getAttribute('target'), '_blank');

  await sleep(500);
  assert.equal(await page.locator('[onerror]').count(), 0, 'an onerror attribute reached the DOM');
  assert.equal(await page.locator('article script').count(), 0, 'a <script> reached a message');
  const jsLinks = await page.locator('a[href]').evaluateAll((as) =>
    as.map((a) => a.getAttribute('href')).filter((h) => /^\s*javascript:/i.test(h)),
  );
  assert.deepEqual(jsLinks, [], 'javascript: links');
  const agentHtml = await agent.innerHTML();
  assert.ok(!/javascript:/i.test(agentHtml), 'javascript: survives in the message');
  assert.ok(!/<script/i.test(agentHtml), '<script> survives in the message');
  assert.equal(await page.evaluate(() => window.__xss), undefined, 'hostile HTML ran');
  for (const a of await agent.locator('a[href]').all()) {
    assert.match(await a.getAttribute('href'), /^(https?:|mailto:)/, 'only web and mail links in messages');
  }
  // The link whose address was dropped is plain text now: not drawn as a link that does nothing.
  const dead = agent.getByText('click', { exact: true });
  assert.equal(await agent.getByRole('link', { name: 'click' }).count(), 0, 'the dropped link is still a link');
  const [deadColor, textColor] = await Promise.all([
    dead.evaluate((el) => getComputedStyle(el).color),
    agent.getByText('leave the room').evaluate((el) => getComputedStyle(el).color),
  ]);
  assert.equal(deadColor, textColor, 'the dropped link keeps the link colour');
});

it('plain text messages keep their line breaks', async ({ page }) => {
  await signedInTicket(page, 101, 'Printer on fire');
  const text = await customerArticle(page).innerText();
  assert.ok(text.includes('fire.\nPlease send help!'), `line break lost: ${JSON.stringify(text)}`);
});

it('downloads attachments byte for byte', async ({ page }) => {
  await signedInTicket(page, 101, 'Printer on fire');
  const stored = await fakeTicket(101);
  const attachments = articlesOf(stored).flatMap(attachmentsOf);
  const log = attachments.find((a) => a.filename === 'printer-log.txt');
  const pdf = attachments.find((a) => a.filename === 'checklist.pdf');
  assert.ok(log && pdf, 'seed attachments missing in the fake');

  const logControl = downloadControl(customerArticle(page), 'printer-log.txt');
  await logControl.waitFor();
  const shown = await customerArticle(page).innerText();
  assert.match(shown, /37\s*(bytes|B)\b/, `the size of printer-log.txt is not shown: ${shown}`);

  const got = await download(page, logControl);
  assert.equal(got.filename, 'printer-log.txt');
  assert.equal(got.bytes.toString('utf8'), PRINTER_LOG);
  assert.ok(got.bytes.equals(await fakeAttachment(log.id)));

  const gotPdf = await download(page, downloadControl(agentArticle(page), 'checklist.pdf'));
  assert.equal(gotPdf.filename, 'checklist.pdf');
  assert.ok(gotPdf.bytes.equals(await fakeAttachment(pdf.id)), 'checklist.pdf differs from the stored bytes');
});

for (const [id, why] of [
  [107, 'another organization\'s ticket'],
  [99999, 'a ticket that does not exist'],
]) {
  it(`ticket ${id} (${why}) shows "Ticket not found"`, async ({ page }) => {
    await signIn(page, 'alice');
    await page.goto(`${BASE}tickets/${id}`);
    await page.getByRole('heading', { name: 'Ticket not found' }).waitFor();
    await page
      .getByText(/does not exist|doesn't exist|no access|not have access|don't have access|not allowed/i)
      .first()
      .waitFor();
    assert.ok(!(await page.content()).includes('Globex server outage'));
    const back = page.getByRole('link', { name: 'Back to my tickets' });
    await back.click();
    await listHeading(page).waitFor();
    await expectListed(page, [101, 105, 106, 102]);
  });
}

it('a server error loading the ticket shows an alert with "Try again", which recovers', async ({ page }) => {
  await signIn(page, 'alice');
  let failing = true;
  await page.route(ticketRoute(101), (route) =>
    failing && route.request().method() === 'GET' ? route.fulfill(SERVER_ERROR) : route.continue(),
  );
  await page.goto(`${BASE}tickets/101`);
  const box = page.getByRole('alert').filter({ has: page.getByRole('button', { name: 'Try again' }) }).first();
  await box.waitFor({ timeout: 30_000 });
  failing = false;
  await box.getByRole('button', { name: 'Try again' }).click();
  await page.getByRole('heading', { level: 1, name: 'Printer on fire', exact: true }).waitFor();
  await articles(page).first().waitFor();
});

it('drops an internal article even if the help desk sends one', async ({ page }) => {
  await signIn(page, 'alice');
  await injectInternalArticle(page, 101, 'INJECTED-INTERNAL-MARKER');
  await openTicket(page, 101, { title: 'Printer on fire' });
  await agentArticle(page).waitFor();
  await sleep(300);
  assert.ok(!(await page.content()).includes('INJECTED-INTERNAL-MARKER'), 'an internal article was rendered');
});
