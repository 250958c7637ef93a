// Replying: text exactly as typed, attachments (picker and drag-and-drop) round trip, replies to
// closed tickets (reopen or refusal), no double posts.
import assert from 'node:assert/strict';
import {
  REFUSAL,
  alert,
  articles,
  articlesOf,
  assertNoKeys,
  assertNotReloaded,
  bodyText,
  closeButton,
  download,
  downloadControl,
  dropFiles,
  fakeAttachment,
  fakeTicket,
  fileInput,
  isWrite,
  markDocument,
  openTicket,
  pathOf,
  removeFileButton,
  reopenButton,
  replyBox,
  requests,
  sendReplyButton,
  senderOf,
  signIn,
  sleep,
  stateIdOf,
  statusMessage,
  usePortal,
} from './lib/index.mjs';

const it = usePortal(import.meta);

const FORBIDDEN = ['customer_id', 'owner_id', 'sender', 'sender_id', 'internal'];

async function signedInTicket(page, id, title) {
  await signIn(page, 'alice');
  await openTicket(page, id, { title });
  await articles(page).first().waitFor();
}

/** The write requests that carried the reply for ticket `id`. */
async function replyRequests(id) {
  return (await requests()).filter(
    (r) => isWrite(r) && (/\/ticket_articles$/.test(pathOf(r)) || new RegExp(`/tickets/${id}$`).test(pathOf(r))),
  );
}

async function sendAndConfirm(page) {
  await sendReplyButton(page).click();
  await statusMessage(page, 'Reply sent').waitFor({ timeout: 20_000 });
}

function assertStoredText(article, expected) {
  if (/html/i.test(String(article.content_type))) {
    assert.equal(bodyText(article).replace(/\n$/, ''), expected, `stored HTML body: ${article.body}`);
    assert.ok(!String(article.body).includes('<b>not bold</b>'), 'typed markup must be escaped');
  } else {
    assert.equal(article.body, expected);
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
  assert.equal(senderOf(last), 'Customer');
  assert.equal(last.internal, false);

  const sent = await replyRequests(101);
  assert.ok(sent.length >= 1, 'no reply request seen');
  for (const r of sent) assertNoKeys(r.body, FORBIDDEN, `${r.method} ${r.path} body`);
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
  assert.deepEqual((last.attachments || []).map((a) => a.filename), ['bytes.bin']);
  assert.ok((await fakeAttachment(last.attachments[0].id)).equals(binary), 'the server stored other bytes');
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
  assert.deepEqual((last.attachments || []).map((a) => a.filename), ['drop.txt']);
  assert.equal((await fakeAttachment(last.attachments[0].id)).toString('utf8'), 'hello');
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
  assert.equal(stateIdOf(stored), 2, 'the server did not reopen the ticket');
  assertStoredText(articlesOf(stored).at(-1), 'Still no mail, sorry.');
  for (const r of await replyRequests(104)) assertNoKeys(r.body, FORBIDDEN, `${r.method} ${r.path} body`);
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
  await alert(page, REFUSAL).waitFor();
  assert.equal(await replyBox(page).inputValue(), 'Please send the invoice again.', 'the typed reply was lost');
  assert.equal(await statusMessage(page, 'Reply sent').count(), 0);
  assert.equal(await articles(page).count(), shownBefore);
  await page.getByText('Closed', { exact: true }).first().waitFor();

  const stored = await fakeTicket(103);
  assert.equal(stateIdOf(stored), 4, 'the ticket must stay closed');
  assert.equal(articlesOf(stored).length, before, 'no article may be added');
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
  const posts = (await requests()).filter((r) => r.method === 'POST' && /\/ticket_articles$/.test(pathOf(r)));
  assert.ok(posts.length <= 1, `${posts.length} article POSTs`);
});

it('an empty reply is not sent', async ({ page }) => {
  await signedInTicket(page, 101, 'Printer on fire');
  const before = articlesOf(await fakeTicket(101)).length;
  const send = sendReplyButton(page);
  if (!(await send.isDisabled())) await send.click();
  await sleep(800);
  assert.equal(articlesOf(await fakeTicket(101)).length, before);
  assert.equal((await replyRequests(101)).length, 0);
});
