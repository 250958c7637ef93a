// Replying: text exactly as typed, attachments (picker and drag-and-drop) round trip, replies to
// closed tickets (reopen or refusal), no double posts.
import assert from 'node:assert/strict';
import {
  IS_ZAMMAD,
  REFUSAL_RE,
  alert,
  articles,
  articlesOf,
  assertNotReloaded,
  assertReplyRequest,
  attachmentsOf,
  isClosedTicket,
  isCustomerArticle,
  isInternalArticle,
  isOpenTicket,
  isReplyTo,
  isWriteTo,
  bodyText,
  closeButton,
  download,
  downloadControl,
  dropFiles,
  fakeAttachment,
  fakeTicket,
  fileInput,
  markDocument,
  openTicket,
  removeFileButton,
  reopenButton,
  replyBox,
  requests,
  sendReplyButton,
  senderOf,
  signIn,
  sleep,
  statusMessage,
  usePortal,
} from './lib/index.mjs';

const it = usePortal(import.meta);

async function signedInTicket(page, id, title) {
  await signIn(page, 'alice');
  await openTicket(page, id, { title });
  await articles(page).first().waitFor();
}

/** The write requests that carried the reply for ticket `id`. */
async function replyRequests(id) {
  return (await requests()).filter(isReplyTo(id));
}

async function sendAndConfirm(page) {
  await sendReplyButton(page).click();
  await statusMessage(page, 'Reply sent').waitFor({ timeout: 20_000 });
}

function assertStoredText(article, expected) {
  const body = String(article.body ?? article.Body);
  if (/html/i.test(String(article.content_type ?? article.ContentType))) {
    assert.equal(bodyText(article).replace(/\n$/, ''), expected, `stored HTML body: ${body}`);
    assert.ok(!body.includes('<b>not bold</b>'), 'typed markup must be escaped');
  } else {
    assert.equal(body, expected);
  }
}

it('a reply appears without reload and is stored exactly as typed', async ({ page }) => {
  await signedInTicket(page, 101, 'Printer on fire');
  const before = articlesOf(await fakeTicket(101)).length;
  const shownBefore = await articles(page).count();
  const line1 = 'Grüße & <b>not bold</b> "quoted" \'apos\' 5 > 3 € 100%';
  const line2 = 'Second line ✓ — ok?';
  const text = `${line1}\n${line2}`;

  await markDocument(page);
  await replyBox(page).fill(text);
  await sendAndConfirm(page);
  assert.equal(await replyBox(page).inputValue(), '', 'the Reply box is emptied after sending');

  await articles(page).nth(shownBefore).waitFor();
  assert.equal(await articles(page).count(), shownBefore + 1);
  const mine = articles(page).last();
  assert.equal(await mine.getAttribute('data-sender'), 'customer');
  const shown = await mine.innerText();
  assert.ok(shown.includes(`${line1}\n${line2}`), `the message is not shown as typed: ${JSON.stringify(shown)}`);
  await assertNotReloaded(page);

  const stored = articlesOf(await fakeTicket(101));
  assert.equal(stored.length, before + 1, 'exactly one article added');
  const last = stored.at(-1);
  assertStoredText(last, text);
  assert.ok(isCustomerArticle(last), `stored with sender ${senderOf(last)}`);
  assert.equal(isInternalArticle(last), false, 'stored as internal');

  const sent = await replyRequests(101);
  assert.equal(sent.length, 1, `${sent.length} reply requests`);
  assertReplyRequest(sent[0], { text });
});

it('attaches files chosen in the file picker (one removed again) and downloads them back', async ({ page }) => {
  await signedInTicket(page, 101, 'Printer on fire');
  const binary = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
  await fileInput(page).setInputFiles([
    { name: 'bytes.bin', mimeType: 'application/octet-stream', buffer: binary },
    { name: 'unwanted.txt', mimeType: 'text/plain', buffer: Buffer.from('must not be sent') },
  ]);
  await removeFileButton(page, 'bytes.bin').waitFor();
  await removeFileButton(page, 'unwanted.txt').click();
  await removeFileButton(page, 'unwanted.txt').waitFor({ state: 'detached' });
  await replyBox(page).fill('The dump is attached.');
  await sendAndConfirm(page);
  assert.equal(await removeFileButton(page, 'bytes.bin').count(), 0, 'the file list is cleared after sending');

  const mine = articles(page).filter({ hasText: 'The dump is attached.' });
  const control = downloadControl(mine, 'bytes.bin');
  await control.waitFor();
  const got = await download(page, control);
  assert.equal(got.filename, 'bytes.bin');
  assert.ok(got.bytes.equals(binary), 'downloaded bytes differ from the uploaded ones');

  const last = articlesOf(await fakeTicket(101)).at(-1);
  const files = attachmentsOf(last);
  assert.deepEqual(files.map((a) => a.filename), ['bytes.bin']);
  assert.ok((await fakeAttachment(files[0].id)).equals(binary), 'the server stored other bytes');
  for (const r of await replyRequests(101)) assertReplyRequest(r, { text: 'The dump is attached.' });
});

it('attaches a file dropped on the drop zone and downloads it back', async ({ page }) => {
  await signedInTicket(page, 101, 'Printer on fire');
  await dropFiles(page, [{ name: 'drop.txt', mimeType: 'text/plain', buffer: Buffer.from('hello') }]);
  await removeFileButton(page, 'drop.txt').waitFor();
  await replyBox(page).fill('Dropped a file.');
  await sendAndConfirm(page);

  const mine = articles(page).filter({ hasText: 'Dropped a file.' });
  const got = await download(page, downloadControl(mine, 'drop.txt'));
  assert.equal(got.bytes.toString('utf8'), 'hello');

  const last = articlesOf(await fakeTicket(101)).at(-1);
  const files = attachmentsOf(last);
  assert.deepEqual(files.map((a) => a.filename), ['drop.txt']);
  assert.equal((await fakeAttachment(files[0].id)).toString('utf8'), 'hello');
});

it('a reply to a closed ticket in Support reopens it', async ({ page }) => {
  await signedInTicket(page, 104, 'Password reset mail did not arrive');
  await page.getByText('Closed', { exact: true }).first().waitFor();
  await replyBox(page).fill('Still no mail, sorry.');
  await sendAndConfirm(page);
  await page.getByText('Open', { exact: true }).first().waitFor();
  await closeButton(page).waitFor();
  assert.equal(await reopenButton(page).count(), 0);

  const stored = await fakeTicket(104);
  assert.ok(isOpenTicket(stored), 'the server did not reopen the ticket');
  assertStoredText(articlesOf(stored).at(-1), 'Still no mail, sorry.');
  const sent = await replyRequests(104);
  assert.equal(sent.length, 1, `${sent.length} reply requests`);
  assertReplyRequest(sent[0], { text: 'Still no mail, sorry.', reopen: true });
});

it('a reply to a closed Sales ticket shows the refusal and keeps the text', async ({ page }) => {
  await signedInTicket(page, 103, 'Invoice copy needed');
  await page.getByText('Closed', { exact: true }).first().waitFor();
  const newTicket = page.getByRole('link', { name: 'Create a new ticket' });
  await newTicket.waitFor();
  const target = new URL(await newTicket.evaluate((a) => a.href));
  assert.match(target.pathname, /\/tickets\/new$/, `"Create a new ticket" goes to ${target}`);

  const before = articlesOf(await fakeTicket(103)).length;
  const shownBefore = await articles(page).count();
  await replyBox(page).fill('Please send the invoice again.');
  await sendReplyButton(page).click();
  await alert(page, REFUSAL_RE).waitFor();
  assert.equal(await replyBox(page).inputValue(), 'Please send the invoice again.', 'the typed reply was lost');
  assert.equal(await statusMessage(page, 'Reply sent').count(), 0);
  assert.equal(await articles(page).count(), shownBefore);
  await page.getByText('Closed', { exact: true }).first().waitFor();

  const stored = await fakeTicket(103);
  assert.ok(isClosedTicket(stored), 'the ticket must stay closed');
  assert.equal(articlesOf(stored).length, before, 'no article may be added');
  // Znuny's queue Sales rejects follow-ups: the portal refuses without asking the server.
  if (!IS_ZAMMAD) assert.deepEqual(await requests().then((r) => r.filter(isWriteTo(103))), [], 'a write was sent');
});

it('a double click on "Send reply" posts one article', async ({ page }) => {
  await signedInTicket(page, 101, 'Printer on fire');
  const before = articlesOf(await fakeTicket(101)).length;
  await replyBox(page).fill('Only once, please.');
  await sendReplyButton(page).dblclick();
  await statusMessage(page, 'Reply sent').waitFor({ timeout: 20_000 });
  await sleep(1_500);
  assert.equal(articlesOf(await fakeTicket(101)).length, before + 1, 'the reply was stored twice');
  assert.equal(await articles(page).filter({ hasText: 'Only once, please.' }).count(), 1);
  const posts = await replyRequests(101);
  assert.equal(posts.length, 1, `${posts.length} reply requests`);
});

it('an empty reply is not sent', async ({ page }) => {
  await signedInTicket(page, 101, 'Printer on fire');
  const before = articlesOf(await fakeTicket(101)).length;
  const send = sendReplyButton(page);
  if (!(await send.isDisabled())) await send.click();
  await sleep(800);
  assert.equal(articlesOf(await fakeTicket(101)).length, before);
  assert.equal((await requests()).filter(isWriteTo(101)).length, 0);
});
