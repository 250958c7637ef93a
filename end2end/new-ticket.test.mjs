// Creating tickets: validation, group choice, attachments, the one-group configuration.
import assert from 'node:assert/strict';
import {
  BASE,
  articles,
  articlesOf,
  assertCreateRequest,
  attachmentsOf,
  bodyText,
  currentConfig,
  customerLoginOf,
  eventually,
  fakeAttachment,
  fakeTicket,
  fileInput,
  groupNameOf,
  isCreate,
  listHeading,
  listedTicketIds,
  myTicketsLink,
  newTicketLink,
  putConfig,
  removeFileButton,
  requests,
  signIn,
  sleep,
  ticketHeading,
  usePortal,
} from './lib/index.mjs';

const it = usePortal(import.meta);

const heading = (page) => page.getByRole('heading', { name: 'New ticket', exact: true });
const subjectBox = (page) => page.getByRole('textbox', { name: 'Subject', exact: true });
const messageBox = (page) => page.getByRole('textbox', { name: 'Message', exact: true });
const groupSelect = (page) => page.getByRole('combobox', { name: 'Group', exact: true });
const submitButton = (page) => page.getByRole('button', { name: 'Submit ticket', exact: true });

async function openForm(page) {
  await signIn(page, 'alice');
  await newTicketLink(page).click();
  await heading(page).waitFor();
  assert.match(new URL(page.url()).pathname, /\/tickets\/new$/);
}

/** A field shows a validation message: aria-invalid and/or a described-by text. */
async function fieldMessage(field) {
  return field.evaluate((el) => {
    const ids = (el.getAttribute('aria-describedby') || '').split(/\s+/).filter(Boolean);
    const described = ids.map((id) => document.getElementById(id)?.textContent?.trim() || '').join(' ').trim();
    return { invalid: el.getAttribute('aria-invalid') === 'true', described };
  });
}

async function assertFlagged(field, what) {
  await eventually(async () => {
    const m = await fieldMessage(field);
    assert.ok(m.invalid || m.described, `${what}: no validation message at the field (${JSON.stringify(m)})`);
  });
}

async function newTicketId(page) {
  let id;
  await eventually(async () => {
    const m = /\/tickets\/(\d+)$/.exec(new URL(page.url()).pathname);
    assert.ok(m, `still at ${page.url()}`);
    id = Number(m[1]);
  }, { timeout: 20_000 });
  return id;
}

it('empty subject and message are refused at the fields, nothing is sent', async ({ page }) => {
  await openForm(page);
  await submitButton(page).click();
  await assertFlagged(subjectBox(page), 'Subject');
  await assertFlagged(messageBox(page), 'Message');
  await page.getByText(/required|please|enter|empty|missing|must/i).first().waitFor();

  await subjectBox(page).fill('Only a subject');
  await submitButton(page).click();
  await assertFlagged(messageBox(page), 'Message');
  await sleep(500);
  assert.equal((await requests()).filter(isCreate).length, 0, 'an invalid ticket was sent');
  assert.match(new URL(page.url()).pathname, /\/tickets\/new$/);
  assert.equal(await subjectBox(page).inputValue(), 'Only a subject', 'typed text must stay');
});

it('creates a Sales ticket with an attachment and opens it', async ({ page }) => {
  await openForm(page);
  const subject = 'Coffee machine leaks water';
  const message = 'It leaks since Monday.\nPlease send someone — "soon" & <quick>.';
  const photo = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 1, 2, 254, 255]);

  await subjectBox(page).fill(subject);
  assert.deepEqual(
    await groupSelect(page).evaluate((s) => [...s.options].map((o) => o.label)),
    ['Support', 'Sales'],
  );
  await groupSelect(page).selectOption({ label: 'Sales' });
  await messageBox(page).fill(message);
  await fileInput(page).setInputFiles({ name: 'leak.png', mimeType: 'image/png', buffer: photo });
  await removeFileButton(page, 'leak.png').waitFor();
  await submitButton(page).click();

  const id = await newTicketId(page);
  await ticketHeading(page, subject).waitFor();
  await articles(page).first().waitFor();

  const stored = await fakeTicket(id);
  assert.equal(stored.title, subject);
  assert.equal(groupNameOf(stored), 'Sales', 'the ticket must land in Sales');
  assert.equal(customerLoginOf(stored), 'alice', 'the customer must be alice');
  const first = articlesOf(stored)[0];
  assert.equal(bodyText(first).replace(/\n$/, ''), message);
  const files = attachmentsOf(first);
  assert.deepEqual(files.map((a) => a.filename), ['leak.png']);
  assert.ok((await fakeAttachment(files[0].id)).equals(photo), 'attachment bytes differ');

  const creates = (await requests()).filter(isCreate);
  assert.equal(creates.length, 1);
  assertCreateRequest(creates[0], { group: 'Sales' });

  // The new ticket heads the list.
  await myTicketsLink(page).click();
  await listHeading(page).waitFor();
  await eventually(async () => assert.equal((await listedTicketIds(page))[0], id));
});

it('with one configured group the Group choice is hidden and used', async ({ page }) => {
  const config = await currentConfig();
  // The configured choice labelled "Sales" (a group id on Zammad, a queue name on Znuny).
  const sales = config.ticket_form.groups.find((g) => g.label === 'Sales');
  assert.ok(sales, `no "Sales" in the configured groups: ${JSON.stringify(config.ticket_form)}`);
  config.ticket_form = { ...config.ticket_form, groups: [sales], default_group: sales.id };
  await putConfig(config);

  await openForm(page);
  await subjectBox(page).waitFor();
  assert.equal(await groupSelect(page).count(), 0, 'the Group select must be hidden');
  await subjectBox(page).fill('Quote for 20 laptops');
  await messageBox(page).fill('Please send a quote.');
  await submitButton(page).click();

  const id = await newTicketId(page);
  await ticketHeading(page, 'Quote for 20 laptops').waitFor();
  assert.equal(groupNameOf(await fakeTicket(id)), 'Sales');
});

it('the form is reachable by URL', async ({ page }) => {
  await signIn(page, 'alice');
  await page.goto(`${BASE}tickets/new`);
  await heading(page).waitFor();
  await subjectBox(page).waitFor();
  await messageBox(page).waitFor();
  await submitButton(page).waitFor();
});
