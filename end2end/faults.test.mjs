// When the help desk (or the proxy in front of it) fails: every fault kind the dev server can
// inject (lib/fake.mjs `injectFault`) reaches the customer as a clear alert with "Try again",
// never a blank page or an endless spinner; what they wrote (text and files) is kept, across
// reloads too; a write whose answer was lost is checked before it is sent again, so nothing is
// stored twice; offline, writes wait and "Send now" sends them once the connection is back.
import assert from 'node:assert/strict';
import {
  BASE,
  FAULT_TARGETS,
  alert,
  articles,
  articlesOf,
  attachmentsOf,
  bodyText,
  closeButton,
  eventually,
  fakeAttachment,
  fakeTicket,
  fileInput,
  injectFault,
  isClosedTicket,
  isCreate,
  isCustomerArticle,
  isOpenTicket,
  isReplyTo,
  isTicketUpdate,
  listHeading,
  listedTicketIds,
  newTicketLink,
  openTicket,
  performed,
  removeFileButton,
  reopenButton,
  replyBox,
  requests,
  sendReplyButton,
  setRequestTimeout,
  signOutButton,
  signIn,
  sleep,
  statusMessage,
  ticketHeading,
  ticketLink,
  usePortal,
} from './lib/index.mjs';

const it = usePortal(import.meta);

/** Short enough to wait for in a test, long enough for a busy machine. */
const SHORT_TIMEOUT_MS = 4_000;
const WAIT = { timeout: 30_000 };

/** What the customer must read for each fault (the `after_commit_` kinds: as their base kind). */
function messageFor(kind) {
  const base = String(kind).replace(/^after_commit_/, '');
  if (/^50\d$/.test(base)) return new RegExp(`not available right now \\(HTTP ${base}\\)`);
  if (base === 'hang' || base === 'stall') return /did not answer in time/;
  if (base === 'reset') return /could not be reached/;
  if (base === 'malformed') return /could not read \(the answer was cut off\)/;
  return /could not read/;
}

/** Kinds that need the request timeout to end. */
const needsTimeout = (kind) => /hang|stall/.test(kind);

/** Kinds after which the help desk answered 200 with what it stored: a write may look fine. */
const answeredAfterWrite = (kind) => ['slow', 'malformed', 'wrong_shape', 'huge'].includes(kind);

const retryAlert = (page) =>
  page.getByRole('alert').filter({ has: page.getByRole('button', { name: 'Try again', exact: true }) }).first();

/** Waits for the alert with "Try again", checks its message and returns its text. */
async function expectFailure(page, kind) {
  const box = retryAlert(page);
  await box.waitFor(WAIT);
  const text = await box.innerText();
  assert.match(text, messageFor(kind), `the alert for ${kind}`);
  // A 30 MB answer must not end up in the message.
  assert.ok(text.length < 600, `the alert is ${text.length} characters long`);
  return text;
}

/**
 * Clicks "Try again". After a `reset` the fake also resets the browser's own immediate resends
 * of the request for a second (devserver/src/faults.rs, RETRY_WINDOW): a person is slower.
 */
async function tryAgain(page, kind) {
  if (/reset/.test(String(kind))) await sleep(1_500);
  await retryAlert(page).getByRole('button', { name: 'Try again', exact: true }).click();
}

/** Signs alice in unless she already is (a test may visit several places). */
async function signedIn(page) {
  if (await signOutButton(page).isVisible()) return false;
  await signIn(page, 'alice');
  return true;
}

async function openPrinterTicket(page) {
  await openTicket(page, 101, { title: 'Printer on fire' });
  await articles(page).first().waitFor();
}

/** Stored customer articles of a ticket whose text is `text`. */
async function storedReplies(id, text) {
  return articlesOf(await fakeTicket(id)).filter(
    (a) => isCustomerArticle(a) && bodyText(a).replace(/\n$/, '') === text,
  );
}

// ---- the places a fault can strike -------------------------------------------------------------

/** The ticket list fails once, then "Try again" shows it. */
async function onList(page, kind, opts = {}) {
  // Signed in first: the sign-in reads the first list page itself (under "Signing in…"; its
  // failure shown on the list the same way, critical-path.test.mjs); here the list page reads.
  await signedIn(page);
  await listHeading(page).waitFor();
  await injectFault(kind, FAULT_TARGETS.list, { times: 1, ...opts });
  await page.goto(`${BASE}tickets`);
  if (kind === 'slow') {
    await statusMessage(page, 'Loading tickets').waitFor();
    await ticketLink(page, 'Printer on fire').waitFor(WAIT);
    assert.equal(await retryAlert(page).count(), 0);
    return;
  }
  await expectFailure(page, kind);
  assert.equal(await page.getByText('Loading tickets').count(), 0, 'the spinner is still there');
  assert.deepEqual(await listedTicketIds(page), []);
  await tryAgain(page, kind);
  await ticketLink(page, 'Printer on fire').waitFor(WAIT);
  assert.equal(await retryAlert(page).count(), 0, 'the alert stays after recovery');
}

/** The ticket page fails once, then "Try again" shows the ticket. */
async function onTicket(page, kind, opts = {}) {
  await signedIn(page);
  await injectFault(kind, FAULT_TARGETS.ticket(101), { times: 1, ...opts });
  await page.goto(`${BASE}tickets/101`);
  await expectFailure(page, kind);
  assert.equal(await page.getByText('Loading ticket').count(), 0, 'the spinner is still there');
  assert.equal(await articles(page).count(), 0);
  await tryAgain(page, kind);
  await ticketHeading(page, 'Printer on fire').waitFor(WAIT);
  await articles(page).first().waitFor();
}

/**
 * A reply with a file meets the fault: the text and the file stay, "Try again" sends it, and
 * in the end it is stored exactly once, with its file, and shown once.
 */
async function onReply(page, kind, opts = {}) {
  await signedIn(page);
  await openPrinterTicket(page);
  const text = `Reply through a ${kind} fault.\nSecond line.`;
  const file = { name: `${kind}-log.txt`, mimeType: 'text/plain', buffer: Buffer.from(`log for ${kind}\n`) };
  await replyBox(page).fill(text);
  await fileInput(page).setInputFiles(file);
  await removeFileButton(page, file.name).waitFor();
  await injectFault(kind, FAULT_TARGETS.update(101), { times: 1, ...opts });
  await sendReplyButton(page).click();

  if (kind === 'slow') await statusMessage(page, 'Sending').waitFor();
  const sent = statusMessage(page, 'Reply sent');
  await sent.or(retryAlert(page)).first().waitFor(WAIT);
  if (await retryAlert(page).isVisible()) {
    await expectFailure(page, kind);
    assert.equal(await replyBox(page).inputValue(), text, 'the typed reply was lost');
    await removeFileButton(page, file.name).waitFor({ timeout: 1_000 });
    assert.match(await retryAlert(page).innerText(), /kept/);
    await tryAgain(page, kind);
  } else {
    assert.ok(answeredAfterWrite(kind), `${kind}: no alert`);
  }
  await sent.waitFor(WAIT);
  assert.equal(await replyBox(page).inputValue(), '', 'the Reply box is emptied after sending');
  await articles(page).filter({ hasText: 'Second line.' }).first().waitFor();
  assert.equal(await articles(page).filter({ hasText: `Reply through a ${kind} fault.` }).count(), 1);

  const stored = await storedReplies(101, text);
  assert.equal(stored.length, 1, `stored ${stored.length} times`);
  const files = attachmentsOf(stored[0]);
  assert.deepEqual(files.map((f) => f.filename), [file.name]);
  assert.ok((await fakeAttachment(files[0].id)).equals(file.buffer), 'the file arrived changed');
  const writes = (await requests()).filter(isReplyTo(101));
  assert.equal(writes.filter(performed).length, 1, `performed writes: ${JSON.stringify(writes.map((w) => w.fault ?? 'ok'))}`);
  return writes;
}

const subjectBox = (page) => page.getByRole('textbox', { name: 'Subject', exact: true });
const messageBox = (page) => page.getByRole('textbox', { name: 'Message', exact: true });
const submitButton = (page) => page.getByRole('button', { name: 'Submit ticket', exact: true });

async function openNewTicketForm(page) {
  await signedIn(page);
  await newTicketLink(page).click();
  await subjectBox(page).waitFor();
}

/** The id in a `/tickets/<id>` URL, once the portal went there. */
async function shownTicketId(page) {
  let id;
  await eventually(async () => {
    const m = /\/tickets\/(\d+)$/.exec(new URL(page.url()).pathname);
    assert.ok(m, `still at ${page.url()}`);
    id = Number(m[1]);
  }, WAIT);
  return id;
}

/** A new ticket with a file meets the fault; in the end exactly one ticket exists and is shown. */
async function onCreate(page, kind, opts = {}) {
  await openNewTicketForm(page);
  const subject = `Printer jam (${kind})`;
  const message = `The printer jams.\nFault: ${kind}.`;
  const file = { name: 'jam.png', mimeType: 'image/png', buffer: Buffer.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]) };
  await subjectBox(page).fill(subject);
  await messageBox(page).fill(message);
  await fileInput(page).setInputFiles(file);
  await removeFileButton(page, file.name).waitFor();
  await injectFault(kind, FAULT_TARGETS.create, { times: 1, ...opts });
  await submitButton(page).click();

  const shown = ticketHeading(page, subject);
  await shown.or(retryAlert(page)).first().waitFor(WAIT);
  if (await retryAlert(page).isVisible()) {
    await expectFailure(page, kind);
    assert.equal(await subjectBox(page).inputValue(), subject, 'the subject was lost');
    assert.equal(await messageBox(page).inputValue(), message, 'the message was lost');
    await removeFileButton(page, file.name).waitFor({ timeout: 1_000 });
    await tryAgain(page, kind);
  } else {
    assert.equal(kind, 'slow', `${kind}: no alert`);
  }
  await shown.waitFor(WAIT);
  const id = await shownTicketId(page);
  const creates = (await requests()).filter(isCreate);
  assert.equal(creates.filter(performed).length, 1, `performed creates: ${JSON.stringify(creates.map((c) => c.fault ?? 'ok'))}`);
  const stored = await fakeTicket(id);
  assert.equal(stored.title, subject);
  const first = articlesOf(stored)[0];
  assert.equal(bodyText(first).replace(/\n$/, ''), message);
  assert.deepEqual(attachmentsOf(first).map((f) => f.filename), [file.name]);
  return creates;
}

/** Closing 101 (or reopening 104) meets the fault; in the end the state changed once. */
async function onStateChange(page, kind, { reopen = false, ...opts } = {}) {
  const id = reopen ? 104 : 101;
  await signedIn(page);
  if (reopen) {
    await openTicket(page, 104, { title: 'Password reset mail did not arrive' });
    await articles(page).first().waitFor();
  } else {
    await openPrinterTicket(page);
  }
  await injectFault(kind, FAULT_TARGETS.update(id), { times: 1, ...opts });
  await (reopen ? reopenButton(page) : closeButton(page)).click();
  const done = statusMessage(page, reopen ? 'Ticket reopened' : 'Ticket closed');
  await done.or(retryAlert(page)).first().waitFor(WAIT);
  if (await retryAlert(page).isVisible()) {
    await expectFailure(page, kind);
    await tryAgain(page, kind);
  } else {
    assert.ok(answeredAfterWrite(kind), `${kind}: no alert`);
  }
  await done.waitFor(WAIT);
  await (reopen ? closeButton(page) : reopenButton(page)).waitFor();
  const stored = await fakeTicket(id);
  assert.ok(reopen ? isOpenTicket(stored) : isClosedTicket(stored), 'the state did not change on the server');
  const updates = (await requests()).filter(isTicketUpdate(id));
  assert.equal(updates.filter(performed).length, 1, `performed updates: ${JSON.stringify(updates.map((u) => u.fault ?? 'ok'))}`);
}

// ---- one test per fault kind -------------------------------------------------------------------

it('500 (proxy error page): the list and a new ticket recover with "Try again"', async ({ page }) => {
  await onList(page, 500);
  await onCreate(page, 500);
});

it('502 (proxy error page): the ticket page and a reply recover, the reply is stored once', async ({ page }) => {
  await onTicket(page, 502);
  const writes = await onReply(page, 502);
  assert.equal(writes.length, 2, 'the failed attempt and the one that worked');
});

it('503 (proxy error page): the list and closing a ticket recover', async ({ page }) => {
  await onList(page, 503);
  await onStateChange(page, 503);
});

it('504 (proxy error page): the ticket page and reopening a ticket recover', async ({ page }) => {
  await onTicket(page, 504);
  await onStateChange(page, 504, { reopen: true });
});

it('hang: the list and a reply give up after request_timeout_ms and recover', async ({ page }) => {
  await setRequestTimeout(SHORT_TIMEOUT_MS);
  const started = Date.now();
  await onList(page, 'hang');
  assert.ok(Date.now() - started < SHORT_TIMEOUT_MS + 15_000, 'the list waited far longer than the timeout');
  await onReply(page, 'hang');
});

it('reset (connection closed without an answer): the ticket page and a new ticket recover', async ({ page }) => {
  await onTicket(page, 'reset');
  await onCreate(page, 'reset');
});

it('malformed (JSON cut off): the ticket page and a reply recover, the reply is stored once', async ({ page }) => {
  await onTicket(page, 'malformed');
  await onReply(page, 'malformed');
});

it('wrong_shape (valid JSON, wrong shape): the list and a new ticket recover, one ticket', async ({ page }) => {
  await onList(page, 'wrong_shape');
  await onCreate(page, 'wrong_shape');
});

it('huge (a 30 MB answer): the ticket page and a new ticket recover, the message stays short', async ({ page }) => {
  await onTicket(page, 'huge');
  await onCreate(page, 'huge');
});

it('slow: the list and a reply wait with a status and then succeed, the reply is stored once', async ({ page }) => {
  await onList(page, 'slow', { delay_ms: 2_000 });
  const writes = await onReply(page, 'slow', { delay_ms: 2_000 });
  assert.equal(writes.length, 1);
});

it('stall (the body stops half-way): the ticket page and closing time out and recover', async ({ page }) => {
  await setRequestTimeout(SHORT_TIMEOUT_MS);
  await onTicket(page, 'stall');
  await onStateChange(page, 'stall');
});

// ---- the write reached the help desk, the answer did not reach the portal -----------------------

it('after_commit_hang on a reply: "Try again" finds it stored and does not send it again', async ({ page }) => {
  await setRequestTimeout(SHORT_TIMEOUT_MS);
  const writes = await onReply(page, 'after_commit_hang');
  assert.equal(writes.length, 1, 'the reply was sent a second time');
});

it('after_commit_reset on a new ticket: "Try again" finds the ticket and opens it, no second ticket', async ({ page }) => {
  const creates = await onCreate(page, 'after_commit_reset');
  // The browser itself may resend on a reused connection (the fake resets those too).
  const byPortal = creates.filter((c) => !c.fault?.browser_retry);
  assert.equal(byPortal.length, 1, 'the portal sent the ticket a second time');
});

it('after_commit_502 on closing: "Try again" sees the ticket closed and sends nothing', async ({ page }) => {
  await onStateChange(page, 'after_commit_502');
  assert.equal((await requests()).filter(isTicketUpdate(101)).length, 1);
});

it('after_commit_504 on a reply, then a reload: the draft is back, sending finds it stored', async ({ page }) => {
  await signIn(page, 'alice');
  await openPrinterTicket(page);
  const text = 'Sent before the reload, answered never.';
  await replyBox(page).fill(text);
  await injectFault('after_commit_504', FAULT_TARGETS.update(101), { times: 1 });
  await sendReplyButton(page).click();
  await expectFailure(page, 'after_commit_504');
  assert.equal((await storedReplies(101, text)).length, 1, 'the fake should have stored it');

  await page.reload();
  await ticketHeading(page, 'Printer on fire').waitFor();
  assert.equal(await replyBox(page).inputValue(), text, 'the draft did not survive the reload');
  await sendReplyButton(page).click();
  await statusMessage(page, 'Reply sent').waitFor(WAIT);
  assert.equal(await replyBox(page).inputValue(), '');
  assert.equal(await articles(page).filter({ hasText: text }).count(), 1);
  assert.equal((await storedReplies(101, text)).length, 1, 'stored twice');
  assert.equal((await requests()).filter(isReplyTo(101)).length, 1, 'sent twice');
  // Confirmed: a later reload starts empty.
  await page.reload();
  await ticketHeading(page, 'Printer on fire').waitFor();
  assert.equal(await replyBox(page).inputValue(), '');
});

// ---- drafts ---------------------------------------------------------------------------------------

it('a reply draft with a file survives a reload and is sent once', async ({ page }) => {
  await signIn(page, 'alice');
  await openPrinterTicket(page);
  const text = 'Draft with a file, across a reload.';
  const bytes = Buffer.from(Array.from({ length: 300 }, (_, i) => (i * 7) % 256));
  await replyBox(page).fill(text);
  await fileInput(page).setInputFiles({ name: 'dump.bin', mimeType: 'application/octet-stream', buffer: bytes });
  await removeFileButton(page, 'dump.bin').waitFor();

  await page.reload();
  await ticketHeading(page, 'Printer on fire').waitFor();
  assert.equal(await replyBox(page).inputValue(), text);
  await removeFileButton(page, 'dump.bin').waitFor();
  await sendReplyButton(page).click();
  await statusMessage(page, 'Reply sent').waitFor(WAIT);
  await removeFileButton(page, 'dump.bin').waitFor({ state: 'detached' });

  const stored = await storedReplies(101, text);
  assert.equal(stored.length, 1);
  const files = attachmentsOf(stored[0]);
  assert.deepEqual(files.map((f) => f.filename), ['dump.bin']);
  assert.ok((await fakeAttachment(files[0].id)).equals(bytes), 'the kept file arrived changed');
  await page.reload();
  await ticketHeading(page, 'Printer on fire').waitFor();
  assert.equal(await removeFileButton(page, 'dump.bin').count(), 0, 'the sent file is still in the draft');
});

it('a new ticket with a file survives a server error and a reload, and is created once', async ({ page }) => {
  await openNewTicketForm(page);
  await subjectBox(page).fill('Scanner offline');
  await messageBox(page).fill('The scanner is offline since 8:00.');
  await fileInput(page).setInputFiles({ name: 'scan.txt', mimeType: 'text/plain', buffer: Buffer.from('no scan') });
  await removeFileButton(page, 'scan.txt').waitFor();
  await injectFault(500, FAULT_TARGETS.create, { times: 1 });
  await submitButton(page).click();
  await expectFailure(page, 500);

  await page.reload();
  await subjectBox(page).waitFor();
  assert.equal(await subjectBox(page).inputValue(), 'Scanner offline');
  assert.equal(await messageBox(page).inputValue(), 'The scanner is offline since 8:00.');
  await removeFileButton(page, 'scan.txt').waitFor();
  await submitButton(page).click();
  await ticketHeading(page, 'Scanner offline').waitFor(WAIT);
  const id = await shownTicketId(page);
  const files = attachmentsOf(articlesOf(await fakeTicket(id))[0]);
  assert.deepEqual(files.map((f) => f.filename), ['scan.txt']);
  assert.equal((await fakeAttachment(files[0].id)).toString(), 'no scan');
  assert.equal((await requests()).filter(isCreate).filter(performed).length, 1);
});

it('a file too large to keep across a reload is named, the rest of the draft is kept', async ({ page }) => {
  await signIn(page, 'alice');
  await openPrinterTicket(page);
  await replyBox(page).fill('With a big file.');
  await fileInput(page).setInputFiles([
    { name: 'big.bin', mimeType: 'application/octet-stream', buffer: Buffer.alloc(2_500_000, 1) },
    { name: 'small.txt', mimeType: 'text/plain', buffer: Buffer.from('small') },
  ]);
  await removeFileButton(page, 'small.txt').waitFor();
  await removeFileButton(page, 'big.bin').waitFor();
  await statusMessage(page, /big\.bin.+is not kept if this page is reloaded/).waitFor();

  await page.reload();
  await ticketHeading(page, 'Printer on fire').waitFor();
  assert.equal(await replyBox(page).inputValue(), 'With a big file.');
  await removeFileButton(page, 'small.txt').waitFor();
  assert.equal(await removeFileButton(page, 'big.bin').count(), 0);
});

// ---- offline ------------------------------------------------------------------------------------

it('offline: "You are offline", a reply waits, "Send now" sends it once the connection is back', async ({ page, context }) => {
  await signIn(page, 'alice');
  await openPrinterTicket(page);
  const text = 'Written on the train.';
  await context.setOffline(true);
  await statusMessage(page, 'You are offline').waitFor();
  await replyBox(page).fill(text);
  await sendReplyButton(page).click();
  await statusMessage(page, 'Your reply is kept here').waitFor();
  await sleep(500);
  assert.equal((await requests()).filter(isReplyTo(101)).length, 0, 'a reply was sent while offline');
  assert.equal(await page.getByRole('button', { name: 'Send now' }).count(), 0, '"Send now" while offline');

  await context.setOffline(false);
  await statusMessage(page, 'You are offline').waitFor({ state: 'detached' });
  await statusMessage(page, 'The connection is back').waitFor();
  assert.equal(await replyBox(page).inputValue(), text, 'the reply was lost while offline');
  await page.getByRole('button', { name: 'Send now', exact: true }).click();
  await statusMessage(page, 'Reply sent').waitFor(WAIT);
  assert.equal((await storedReplies(101, text)).length, 1);
  assert.equal((await requests()).filter(isReplyTo(101)).length, 1);
  assert.equal(await alert(page, /\S/).count(), 0);
});

it('offline: "Send now" appears when the connection is back and creates the ticket once', async ({ page, context }) => {
  await openNewTicketForm(page);
  await subjectBox(page).fill('Wi-Fi down');
  await messageBox(page).fill('No connection on floor 3.');
  await context.setOffline(true);
  await submitButton(page).click();
  await statusMessage(page, 'Your ticket is kept here').waitFor();
  await context.setOffline(false);
  const sendNow = page.getByRole('button', { name: 'Send now', exact: true });
  await sendNow.waitFor();
  assert.equal((await requests()).filter(isCreate).length, 0, 'sent while offline');
  await sendNow.click();
  await ticketHeading(page, 'Wi-Fi down').waitFor(WAIT);
  assert.equal((await requests()).filter(isCreate).length, 1);
});
