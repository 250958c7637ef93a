// Live updates: an agent's reply appears on the open ticket without a reload and without
// disturbing the reply being written; polling asks the cheap question only while the tab is
// visible and stops when the page is left; the list marks tickets with agent replies the customer
// has not seen, and the marks follow the session's storage policy.
import assert from 'node:assert/strict';
import {
  FAULT_TARGETS,
  agentReply,
  alert,
  articles,
  assertNotReloaded,
  clearFaults,
  currentConfig,
  eventually,
  fileInput,
  hideableTab,
  injectFault,
  isChangePoll,
  isFullTicketRead,
  listHeading,
  markDocument,
  myTicketsLink,
  openTicket,
  putConfig,
  removeFileButton,
  replyBox,
  requests,
  setTabHidden,
  signIn,
  signOutButton,
  signInHeading,
  sleep,
  statusMessage,
  storageDump,
  ticketHeading,
  ticketLink,
  usePortal,
} from './lib/index.mjs';

const it = usePortal(import.meta);

/** Serves config.json with a short poll interval (ms) until the next reset. */
async function pollEvery(ms) {
  await putConfig({ ...(await currentConfig()), poll_interval_ms: ms });
}

const count = async (pred) => (await requests()).filter(pred).length;

async function openPrinterTicket(page) {
  await signIn(page, 'alice');
  await openTicket(page, 101, { title: 'Printer on fire' });
  await articles(page).first().waitFor();
}

const newReplyBadge = (page) => page.getByText('New reply', { exact: true });

it('live: an agent reply appears without a reload; the reply being written, its file, focus and scroll stay', async ({ page }) => {
  await pollEvery(1000);
  // Short enough that the customer scrolled down to the reply box.
  await page.setViewportSize({ width: 1280, height: 500 });
  await openPrinterTicket(page);
  const shown = await articles(page).count();
  await markDocument(page);

  const draft = 'Half-written answer: the printer is now\nin the car park.';
  await replyBox(page).fill(draft);
  await fileInput(page).setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('notes\n') });
  await removeFileButton(page, 'notes.txt').waitFor();
  await replyBox(page).focus();
  await page.keyboard.press('End');
  await replyBox(page).scrollIntoViewIfNeeded();
  const boxTop = async () => (await replyBox(page).boundingBox()).y;
  const topBefore = await boxTop();
  const scrolledBefore = await page.evaluate(() => window.scrollY);
  assert.ok(scrolledBefore > 0, 'the page is scrolled down to the reply box');

  const started = Date.now();
  await agentReply(101, '<p>Live from support: the fire brigade is on its way.</p>');
  const reply = page.getByText('Live from support: the fire brigade is on its way.');
  await reply.waitFor({ timeout: 10_000 });
  const took = Date.now() - started;
  assert.ok(took < 5_000, `shown ${took} ms after the agent wrote it (poll interval 1 s)`);

  await assertNotReloaded(page);
  assert.equal(await articles(page).count(), shown + 1, 'one new message in the thread');
  assert.equal(await articles(page).last().getAttribute('data-sender'), 'agent');
  assert.equal(await replyBox(page).inputValue(), draft, 'the reply text is untouched');
  await removeFileButton(page, 'notes.txt').waitFor({ timeout: 1_000 });
  assert.equal(
    await page.evaluate(() => document.activeElement?.id),
    'reply-text',
    'focus stays in the reply box',
  );
  // The thread grows above the box; the browser's scroll anchoring keeps the box where the
  // customer sees it (the document scrolls by the new message's height, nothing jumps).
  assert.ok(Math.abs((await boxTop()) - topBefore) < 2, `the reply box moved from ${topBefore} to ${await boxTop()}`);
  assert.ok((await page.evaluate(() => window.scrollY)) >= scrolledBefore, 'not scrolled back up');
  await statusMessage(page, '1 new reply').waitFor({ state: 'attached' });
  assert.equal(await alert(page).count(), 0, 'no alert');

  // A second reply is announced again: the live region's content is replaced, not left as it
  // was (an unchanged text would not be read out).
  const region = statusMessage(page, '1 new reply');
  await region.evaluate((el) => {
    el.firstElementChild.__e2eOld = true;
  });
  await agentReply(101, '<p>Second live reply.</p>');
  await page.getByText('Second live reply.').waitFor({ timeout: 10_000 });
  assert.equal(await articles(page).count(), shown + 2);
  await eventually(async () =>
    assert.equal(await region.evaluate((el) => el.firstElementChild?.__e2eOld ?? false), false),
  );
  assert.equal(await replyBox(page).inputValue(), draft);
});

it('live: polls ask the cheap question and read the articles only after a change', async ({ page }) => {
  await pollEvery(1000);
  await openPrinterTicket(page);
  // Let the first look (which may read the ticket once more, right after it was read) pass.
  await sleep(2_500);
  const polls = await count(isChangePoll(101));
  const reads = await count(isFullTicketRead(101));
  await sleep(3_200);
  assert.ok((await count(isChangePoll(101))) >= polls + 2, 'the change time is asked about every second');
  assert.equal(await count(isFullTicketRead(101)), reads, 'no article read while nothing changed');

  await agentReply(101, '<p>Now something changed.</p>');
  await page.getByText('Now something changed.').waitFor({ timeout: 10_000 });
  assert.ok((await count(isFullTicketRead(101))) > reads, 'the articles were read after the change');
});

it('live: a hidden tab asks nothing; shown again, it asks at once', async ({ page }) => {
  await hideableTab(page);
  await pollEvery(2000);
  await openPrinterTicket(page);
  await eventually(async () => assert.ok((await count(isChangePoll(101))) >= 1, 'polling runs while visible'), {
    timeout: 6_000,
  });

  await setTabHidden(page, true);
  assert.equal(await page.evaluate(() => document.visibilityState), 'hidden');
  await sleep(500); // a poll already under way may finish
  const before = (await requests()).length;
  await agentReply(101, '<p>Written while the tab was hidden.</p>');
  await sleep(5_000); // two and a half intervals
  const during = (await requests()).slice(before);
  assert.deepEqual(
    during.map((r) => `${r.method} ${r.path}`),
    [],
    'no request at all while the tab is hidden',
  );
  assert.equal(await page.getByText('Written while the tab was hidden.').count(), 0);

  const shownAt = Date.now();
  await setTabHidden(page, false);
  await page.getByText('Written while the tab was hidden.').waitFor({ timeout: 10_000 });
  const took = Date.now() - shownAt;
  assert.ok(took < 1_500, `shown ${took} ms after the tab became visible (interval 2 s): asked at once`);
});

it('live: a failed poll is silent and the next one recovers', async ({ page }) => {
  await pollEvery(1000);
  await openPrinterTicket(page);
  await injectFault('500', FAULT_TARGETS.ticket(101));
  await agentReply(101, '<p>Sent while the help desk stumbled.</p>');
  await sleep(3_000);
  assert.equal(await alert(page).count(), 0, 'no error shown for a background poll');
  assert.equal(await page.getByText('Sent while the help desk stumbled.').count(), 0);
  await clearFaults();
  await page.getByText('Sent while the help desk stumbled.').waitFor({ timeout: 10_000 });
  assert.equal(await alert(page).count(), 0);
});

it('live: polling stops when the customer leaves the ticket and when they sign out', async ({ page }) => {
  await pollEvery(1000);
  await openPrinterTicket(page);
  await eventually(async () => assert.ok((await count(isChangePoll(101))) >= 1), { timeout: 5_000 });

  await myTicketsLink(page).click();
  await listHeading(page).waitFor();
  await sleep(300);
  const afterLeaving = await count(isChangePoll(101));
  await sleep(3_000);
  assert.equal(await count(isChangePoll(101)), afterLeaving, 'no poll after leaving the ticket');

  await openTicket(page, 101, { title: 'Printer on fire' });
  await eventually(async () => assert.ok((await count(isChangePoll(101))) > afterLeaving), { timeout: 5_000 });
  await signOutButton(page).click();
  await signInHeading(page).waitFor();
  await sleep(300);
  const afterSignOut = (await requests()).length;
  await sleep(3_000);
  assert.deepEqual(
    (await requests()).slice(afterSignOut).map((r) => `${r.method} ${r.path}`),
    [],
    'no request after sign-out',
  );
});

it('live: the list marks an unseen agent reply, in words, until the customer opens the ticket', async ({ page }) => {
  await signIn(page, 'alice');
  await listHeading(page).waitFor();
  const printer = ticketLink(page, /Printer on fire/);
  await printer.waitFor();
  await ticketLink(page, /New monitor request/).waitFor();
  assert.equal(await newReplyBadge(page).count(), 0, 'nothing is marked before anything happened');

  await agentReply(101, '<p>Please check the fuse.</p>');
  // An internal note changes ticket 106 too, but is no reply the customer may see.
  await agentReply(106, '<p>Internal: customer seems annoyed.</p>', true);
  await page.reload(); // the list is read again (within 30 s Back would show it from memory)
  await listHeading(page).waitFor();
  const marked = page.getByRole('link', { name: /Printer on fire.*New reply/ });
  await marked.waitFor();
  assert.equal(await newReplyBadge(page).count(), 1, 'only ticket 101 is marked');
  assert.equal(await ticketLink(page, /New monitor request/).getByText('New reply').count(), 0);

  // The marks are kept as the session is (sessionStorage here), and hold no ticket text.
  const dump = await storageDump(page);
  assert.ok(dump.session['portal.seen'], 'marks kept in sessionStorage');
  assert.equal(dump.local['portal.seen'], undefined, 'not in localStorage without "Stay signed in"');
  assert.ok(!/fuse|printer/i.test(dump.session['portal.seen']), 'no ticket text in the marks');

  await marked.click();
  await ticketHeading(page, 'Printer on fire').waitFor();
  await page.getByText('Please check the fuse.').waitFor();
  await page.goBack();
  await listHeading(page).waitFor();
  await printer.waitFor();
  assert.equal(await newReplyBadge(page).count(), 0, 'seen once opened');
  await page.reload();
  await listHeading(page).waitFor();
  await printer.waitFor();
  await sleep(500);
  assert.equal(await newReplyBadge(page).count(), 0, 'still seen after a reload');

  // Another reply while the customer is elsewhere is marked again.
  await agentReply(101, '<p>And one more thing.</p>');
  await page.reload();
  await page.getByRole('link', { name: /Printer on fire.*New reply/ }).waitFor();
});

it('live: with "Stay signed in" the marks are kept in localStorage; sign-out forgets them', async ({ page }) => {
  await signIn(page, 'alice', { stay: true });
  await listHeading(page).waitFor();
  await ticketLink(page, /Printer on fire/).waitFor();
  await eventually(async () => {
    const dump = await storageDump(page);
    assert.ok(dump.local['portal.seen'], 'marks beside the remembered session');
    assert.equal(dump.session['portal.seen'], undefined);
  });
  await signOutButton(page).click();
  await signInHeading(page).waitFor();
  await eventually(async () => {
    const dump = await storageDump(page);
    assert.equal(dump.local['portal.seen'], undefined, 'localStorage still has the marks');
    assert.equal(dump.session['portal.seen'], undefined, 'sessionStorage still has the marks');
  });
});
