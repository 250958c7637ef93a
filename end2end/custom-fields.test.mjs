// The help desk's own ticket fields (issue 19): Znuny dynamic fields listed in config.json,
// Zammad object attributes learned from the help desk with Core Workflow. The form shows them,
// checks them at the field, keeps them with the draft; the values reach the help desk and show
// on the ticket page; fields a customer may not see never do.
import assert from 'node:assert/strict';
import {
  assertStyledLike,
  BASE,
  currentConfig,
  eventually,
  fakeTicket,
  isCreate,
  newPage,
  newTicketLink,
  onlyOn,
  pathOf,
  putConfig,
  queryOf,
  requests,
  signIn,
  USERS,
  usePortal,
} from './lib/index.mjs';

const it = usePortal(import.meta);
const znunyOnly = { skip: onlyOn('znuny', 'dynamic fields from config.json') };
const zammadOnly = { skip: onlyOn('zammad', 'object attributes and Core Workflow') };

const subjectBox = (page) => page.getByRole('textbox', { name: 'Subject', exact: true });
const messageBox = (page) => page.getByRole('textbox', { name: 'Message', exact: true });
const submitButton = (page) => page.getByRole('button', { name: 'Submit ticket', exact: true });
const productSelect = (page, name = /^Product/) => page.getByRole('combobox', { name });
const contractBox = (page) => page.getByRole('textbox', { name: /^Contract number/ });
const orderDate = (page) => page.getByLabel(/^Order date/);
const groupSelect = (page) => page.getByRole('combobox', { name: 'Group', exact: true });
const serialBox = (page) => page.getByRole('textbox', { name: /^Serial number/ });
const isPerform = (r) => r.method === 'POST' && /\/api\/v1\/core_workflows\/perform$/.test(pathOf(r));

/** The value shown for `term` in the ticket's details. */
async function detail(page, term) {
  const row = page.locator('dl.ticket-meta > div').filter({ has: page.getByRole('term').filter({ hasText: term }) });
  return (await row.getByRole('definition').textContent()).trim();
}

/** The field's state as a screen reader gets it: aria-invalid and the described-by text. */
async function fieldMessage(field) {
  return field.evaluate((el) => {
    const ids = (el.getAttribute('aria-describedby') || '').split(/\s+/).filter(Boolean);
    const described = ids.map((id) => document.getElementById(id)?.textContent?.trim() || '').join(' ').trim();
    return { invalid: el.getAttribute('aria-invalid') === 'true', described };
  });
}

/** config.json with Product required (Znuny). */
async function productRequired() {
  const config = await currentConfig();
  config.znuny.dynamic_fields = config.znuny.dynamic_fields.map((f) =>
    f.name === 'Product' ? { ...f, required: true } : f,
  );
  await putConfig(config);
}

async function openForm(page) {
  await signIn(page, 'alice');
  await newTicketLink(page).click();
  await subjectBox(page).waitFor();
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

it('custom fields (znuny): a missing required field is caught at the field; the values reach Znuny and show on the ticket page', async ({ page }) => {
  await productRequired();
  await openForm(page);
  const product = productSelect(page, 'Product (required)');
  await product.waitFor();
  await contractBox(page).waitFor();
  await orderDate(page).waitFor();

  await subjectBox(page).fill('Scanner jams');
  await messageBox(page).fill('Every second page jams.');
  await submitButton(page).click();
  await eventually(async () => {
    assert.deepEqual(await fieldMessage(product), { invalid: true, described: 'Please fill in this field.' });
  });
  await eventually(async () => assert.equal(await product.evaluate((el) => el === document.activeElement), true));
  assert.equal((await requests()).filter(isCreate).length, 0, 'nothing may be sent with a required field empty');

  await product.selectOption({ label: 'Scanner' });
  assert.equal((await fieldMessage(product)).invalid, false, 'the problem goes once the field changes');
  await contractBox(page).fill('C-4711');
  await orderDate(page).fill('2026-12-01');
  await submitButton(page).click();
  const id = await newTicketId(page);

  const creates = (await requests()).filter(isCreate);
  assert.equal(creates.length, 1);
  assert.deepEqual(creates[0].body.DynamicField, [
    { Name: 'Product', Value: 'scanner' },
    { Name: 'ContractNumber', Value: 'C-4711' },
    { Name: 'OrderDate', Value: '2026-12-01 00:00:00' },
  ]);
  const stored = (await fakeTicket(id)).znuny.DynamicFields;
  assert.deepEqual(stored, { ContractNumber: 'C-4711', OrderDate: '2026-12-01 00:00:00', Product: 'scanner' });

  await eventually(async () => assert.equal(await detail(page, 'Product'), 'Scanner'));
  assert.equal(await detail(page, 'Contract number'), 'C-4711');
  assert.equal(await detail(page, 'Order date'), '2026-12-01');
}, znunyOnly);

it('custom fields (znuny): only the configured dynamic fields show, read with DynamicFields=1', async ({ page }) => {
  await signIn(page, 'alice');
  await page.goto(`${BASE}tickets/102`);
  await page.getByRole('heading', { level: 1, name: 'VPN access for new colleague' }).waitFor();
  await eventually(async () => assert.equal(await detail(page, 'Product'), 'Scanner'));
  assert.equal(await detail(page, 'Order date'), '2026-11-02');
  // AgentNotes is a dynamic field Znuny hands to customers too; the portal drops it.
  assert.equal(await page.getByText('Customer is difficult').count(), 0);
  assert.equal(await page.getByRole('term').filter({ hasText: /Contract number|AgentNotes/ }).count(), 0);
  const reads = (await requests()).filter((r) => r.method === 'GET' && /\/Ticket\/102(\?|$)/.test(r.path));
  assert.ok(reads.some((r) => String(queryOf(r).DynamicFields) === '1'), 'the ticket is read with DynamicFields=1');
}, znunyOnly);

it('custom fields (znuny): field values are kept with the draft across a reload', async ({ page }) => {
  await openForm(page);
  await productSelect(page).selectOption({ label: 'Network' });
  await contractBox(page).fill('C-99');
  await subjectBox(page).fill('Switch down');
  await page.reload();
  await subjectBox(page).waitFor();
  await eventually(async () => assert.equal(await productSelect(page).inputValue(), 'network'));
  assert.equal(await contractBox(page).inputValue(), 'C-99');
  assert.equal(await subjectBox(page).inputValue(), 'Switch down');
}, znunyOnly);

it('custom fields (znuny): German labels and messages at the field', async ({ browser }) => {
  await productRequired();
  const context = await browser.newContext({ locale: 'de-DE', viewport: { width: 1280, height: 900 } });
  try {
    const page = await newPage(browser, { context });
    await page.goto(`${BASE}sign-in`);
    await page.getByRole('textbox', { name: 'Benutzername', exact: true }).fill(USERS.alice.identifier);
    await page.getByLabel('Passwort', { exact: true }).fill(USERS.alice.password);
    await page.getByRole('button', { name: 'Anmelden', exact: true }).click();
    await page.getByRole('heading', { name: 'Meine Tickets', exact: true }).waitFor();
    await page.goto(`${BASE}tickets/new`);
    const product = page.getByRole('combobox', { name: 'Produkt (Pflichtfeld)', exact: true });
    await product.waitFor();
    await page.getByRole('textbox', { name: 'Vertragsnummer', exact: true }).waitFor();
    await page.getByRole('button', { name: 'Ticket absenden', exact: true }).click();
    await eventually(async () => {
      assert.deepEqual(await fieldMessage(product), { invalid: true, described: 'Bitte füllen Sie dieses Feld aus.' });
    });
  } finally {
    await context.close();
  }
}, znunyOnly);

it('custom fields (znuny): a bad dynamic_fields entry stops the portal with a message naming it', async ({ page }) => {
  const config = await currentConfig();
  config.znuny.dynamic_fields = [...config.znuny.dynamic_fields, { name: 'Colour', label: 'Colour', type: 'radio' }];
  await putConfig(config);
  await page.goto(`${BASE}sign-in`);
  const alert = page.getByRole('alert').filter({ hasText: 'znuny.dynamic_fields[3]' });
  await alert.waitFor();
  assert.match(await alert.textContent(), /"Colour".*`type` must be one of text, textarea, dropdown/);
}, znunyOnly);


it('custom fields (zammad): the help desk\'s attributes are on the form; a missing required one is caught at the field; values reach Zammad and show on the ticket page', async ({ page }) => {
  await openForm(page);
  const product = productSelect(page, 'Product (required)');
  await product.waitFor();
  assert.equal(await product.inputValue(), 'printer', 'the attribute\'s default is chosen');
  await contractBox(page).waitFor();
  await orderDate(page).waitFor();
  await assertStyledLike(orderDate(page), contractBox(page), 'the date field');
  const category = page.getByRole('combobox', { name: /^Category/ });
  await category.waitFor();
  assert.equal(await page.getByLabel(/^Internal rating/).count(), 0, 'agent-only attributes are not on the form');

  await subjectBox(page).fill('Scanner jams');
  await messageBox(page).fill('Every second page jams.');
  await product.selectOption('');
  await submitButton(page).click();
  await eventually(async () => {
    assert.deepEqual(await fieldMessage(product), { invalid: true, described: 'Please fill in this field.' });
  });
  assert.equal((await requests()).filter(isCreate).length, 0, 'nothing may be sent with a required field empty');

  await product.selectOption({ label: 'Scanner' });
  await category.selectOption('Hardware::Scanner');
  await contractBox(page).fill('C-4711');
  await orderDate(page).fill('2026-12-01');
  await submitButton(page).click();
  const id = await newTicketId(page);

  const creates = (await requests()).filter(isCreate);
  assert.equal(creates.length, 1);
  const body = creates[0].body;
  assert.equal(body.product, 'scanner');
  assert.equal(body.category, 'Hardware::Scanner');
  assert.equal(body.contract_number, 'C-4711');
  assert.equal(body.order_date, '2026-12-01');
  assert.ok(!('serial_number' in body) && !('internal_rating' in body), JSON.stringify(body));
  const stored = await fakeTicket(id);
  assert.equal(stored.product, 'scanner');
  assert.equal(stored.contract_number, 'C-4711');

  await eventually(async () => assert.equal(await detail(page, 'Product'), 'Scanner'));
  assert.equal(await detail(page, 'Contract number'), 'C-4711');
  assert.equal(await detail(page, 'Order date'), '2026-12-01');
  assert.equal(await detail(page, 'Category'), 'Scanner');
}, zammadOnly);

it('custom fields (zammad): a field Core Workflow shows for one group appears and disappears with the group', async ({ page }) => {
  // Core Workflow's first answer held back: until it arrives, no field it might hide is shown
  // (the serial number is for Sales only), not even for a moment.
  let release;
  let asked = false;
  const held = new Promise((resolve) => { release = resolve; });
  await page.route('**/api/v1/core_workflows/perform', async (route) => {
    asked = true;
    await held;
    await route.continue();
  });
  await openForm(page);
  // The rules are asked for once the definitions are in: a field shown from those alone would
  // be on screen within a frame or two.
  await eventually(async () => assert.ok(asked, 'the rules are asked for'));
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  assert.equal(await serialBox(page).count(), 0, 'not before the rules say so');
  assert.equal(await productSelect(page).count(), 0, 'the fields come with the rules');
  release();
  await productSelect(page).waitFor();
  assert.equal(await serialBox(page).count(), 0, 'not for Support');
  await groupSelect(page).selectOption({ label: 'Sales' });
  await serialBox(page).waitFor();
  await eventually(async () => {
    const asked = (await requests()).filter(isPerform).map((r) => r.body);
    assert.ok(asked.some((b) => b.screen === 'create_middle' && String(b.params?.group_id) === '3'), JSON.stringify(asked));
  });
  await groupSelect(page).selectOption({ label: 'Support' });
  await eventually(async () => assert.equal(await serialBox(page).count(), 0, 'gone again with Support'));

  await groupSelect(page).selectOption({ label: 'Sales' });
  await serialBox(page).fill('SN-1234');
  await subjectBox(page).fill('Scanner for sales');
  await messageBox(page).fill('Please check.');
  await submitButton(page).click();
  await newTicketId(page);
  const create = (await requests()).filter(isCreate).at(-1);
  assert.equal(create.body.serial_number, 'SN-1234');
  assert.equal(String(create.body.group_id), '3');
}, zammadOnly);

it('custom fields (zammad): the ticket page shows only attributes the customer may see', async ({ page }) => {
  await signIn(page, 'alice');
  await page.goto(`${BASE}tickets/101`);
  await page.getByRole('heading', { level: 1, name: 'Printer on fire' }).waitFor();
  await eventually(async () => assert.equal(await detail(page, 'Product'), 'Scanner'));
  assert.equal(await detail(page, 'Order date'), '2026-11-02');
  assert.equal(await page.getByText('Difficult customer').count(), 0);
  assert.equal(await page.getByRole('term').filter({ hasText: 'Internal rating' }).count(), 0);
}, zammadOnly);
