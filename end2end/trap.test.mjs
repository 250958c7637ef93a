// If the portal's wasm ever traps (issue 15: DOM clobbering once made it read "memory access out
// of bounds"), the app is dead. public/trap.js then shows a short message with a reload button in
// its place: in the page's language, as an alert with the focus on it, nothing of the dead portal
// left to click, axe-clean. What the customer typed up to the last key is in the draft and comes
// back after the reload, and nothing was sent. Each test makes the release wasm trap for real
// (lib/hostile.mjs `trapWasm`: the wasm's own closure shim called with an address beyond its
// memory), at a different point: instead of the wasm's next task-queue run right after a keystroke,
// in a timer, in a promise. The embedded portal's case is in embed.test.mjs.
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import {
  STOPPED,
  WasmTrapExpected,
  eventually,
  expireSession,
  isCreate,
  isReplyTo,
  listHeading,
  newPage,
  newTicketLink,
  openTicket,
  replyBox,
  sent,
  signIn,
  ticketLink,
  trapWasm,
  usePortal,
} from './lib/index.mjs';

const it = usePortal(import.meta);

const AXE_SOURCE = await fs.readFile(new URL('../node_modules/axe-core/axe.min.js', import.meta.url), 'utf8');
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'];

/** A page of its own context whose expected wasm trap is recorded instead of failing the test. */
async function trappable(browser, run) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  try {
    const trap = new WasmTrapExpected();
    const page = await newPage(browser, { context, trap });
    // axe in every document (an init script: the portal's CSP stays in force).
    await page.addInitScript({ content: AXE_SOURCE });
    await Promise.race([run(page, trap), trap.failed]);
    trap.check();
  } finally {
    await context.close();
  }
}

/**
 * The "stopped working" message as the customer meets it: an alert with heading, text and reload
 * button in `lang`, holding the focus; nothing else of the portal to see or reach; axe-clean in
 * light and dark mode. Returns the reload button.
 */
async function assertStopped(page, trap, lang) {
  const t = STOPPED[lang];
  const stopped = page.getByRole('alert').filter({ has: page.getByRole('heading', { name: t.heading, exact: true }) });
  await stopped.waitFor();
  await eventually(async () => assert.equal(trap.wasmTraps.length, 1, 'one real wasm trap'));
  assert.match(await stopped.innerText(), t.message);
  const reload = stopped.getByRole('button', { name: t.reload, exact: true });
  await reload.waitFor();
  assert.equal(
    await stopped.evaluate((el) => el.getRootNode().activeElement === el),
    true,
    'the focus moved to the message',
  );
  // The dead portal is out of sight and out of reach: the reload button is the only control.
  assert.deepEqual(await page.getByRole('button').allTextContents(), [t.reload]);
  for (const role of ['textbox', 'link', 'combobox', 'navigation']) {
    assert.equal(await page.getByRole(role).count(), 0, `no ${role} of the stopped portal`);
  }
  // One main landmark: the message's, not the dead portal's.
  assert.equal(await page.getByRole('main').count(), 1);
  assert.equal(await page.getByRole('main').getByRole('alert').count(), 1);
  assert.equal(await page.locator('html').getAttribute('lang'), lang);
  for (const colorScheme of ['light', 'dark']) {
    await page.emulateMedia({ colorScheme });
    // Switching themes fades colours (.15 s): judge the final colours, not a frame of the fade.
    await page.waitForFunction(() => document.getAnimations().every((a) => a.playState !== 'running'));
    const violations = await page.evaluate(async (tags) => {
      // eslint-disable-next-line no-undef
      const result = await axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
      return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
    }, AXE_TAGS);
    assert.deepEqual(violations, [], `the message is accessible (${colorScheme})`);
  }
  await page.emulateMedia({ colorScheme: 'light' });
  return reload;
}

it('trap while typing a reply: the message with a reload button, and the reply typed up to the last key comes back', async ({
  browser,
}) => {
  await trappable(browser, async (page, trap) => {
    await signIn(page, 'alice');
    await openTicket(page, 101);
    await replyBox(page).click();
    await page.keyboard.type('Typed before the trap');
    // The last key's own task-queue run (where Leptos effects run) never comes: a trap instead.
    const shim = await trapWasm(page, 'queue', { field: '#reply-text', endsWith: '!' });
    assert.match(shim, /invoke/);
    await page.keyboard.type('!');
    const reload = await assertStopped(page, trap, 'en');
    assert.equal(await page.evaluate(() => window.__e2eQueueTrapped), true, 'the trap took the place of the queue run');
    assert.deepEqual(await sent(isReplyTo(101)), [], 'nothing was sent');

    await reload.click();
    await replyBox(page).waitFor();
    assert.equal(await replyBox(page).inputValue(), 'Typed before the trap!', 'the whole draft is back');
    await page.getByRole('alert').filter({ hasText: STOPPED.en.heading }).waitFor({ state: 'detached' });
    assert.deepEqual(await sent(isReplyTo(101)), [], 'and still nothing was sent');
  });
});

it('trap while writing a new ticket: subject and message typed up to the last key come back', async ({ browser }) => {
  await trappable(browser, async (page, trap) => {
    await signIn(page, 'alice');
    await newTicketLink(page).click();
    await page.getByRole('textbox', { name: 'Subject', exact: true }).fill('Printer on fire');
    await page.getByRole('textbox', { name: 'Message', exact: true }).click();
    await page.keyboard.type('It smokes');
    await trapWasm(page, 'queue', { field: '#message', endsWith: '.' });
    await page.keyboard.type('.');
    const reload = await assertStopped(page, trap, 'en');
    assert.deepEqual(await sent(isCreate), [], 'nothing was sent');

    await reload.click();
    const message = page.getByRole('textbox', { name: 'Message', exact: true });
    await message.waitFor();
    assert.equal(await page.getByRole('textbox', { name: 'Subject', exact: true }).inputValue(), 'Printer on fire');
    assert.equal(await message.inputValue(), 'It smokes.');
  });
});

it('trap in a timer of the German portal: the message in German, the reload brings the portal back', async ({
  browser,
}) => {
  await trappable(browser, async (page, trap) => {
    await signIn(page, 'alice');
    await listHeading(page).waitFor();
    await page.getByRole('combobox', { name: 'Language', exact: true }).selectOption({ label: 'Deutsch' });
    await page.getByRole('heading', { name: 'Meine Tickets', exact: true }).waitFor();
    await trapWasm(page, 'timer');
    const reload = await assertStopped(page, trap, 'de');
    await reload.click();
    await page.getByRole('heading', { name: 'Meine Tickets', exact: true }).waitFor();
    assert.equal(await page.getByRole('alert').filter({ hasText: STOPPED.de.heading }).count(), 0);
  });
});

it('trap while the password dialog is open: the modal dialog goes, the message can be reached', async ({ browser }) => {
  await trappable(browser, async (page, trap) => {
    await signIn(page, 'alice');
    await ticketLink(page, 'Printer on fire').first().waitFor();
    await expireSession();
    await ticketLink(page, 'Printer on fire').first().click();
    const dialog = page.getByRole('dialog', { name: 'Your session has expired' });
    await dialog.waitFor({ timeout: 20_000 });
    await trapWasm(page, 'timer');
    const reload = await assertStopped(page, trap, 'en');
    assert.equal(await dialog.count(), 0, 'the dialog is closed');
    await reload.click();
    await page.getByRole('button', { name: 'Reload page' }).waitFor({ state: 'detached' });
  });
});

it('trap in a promise nobody handles: the same message (an unhandled rejection)', async ({ browser }) => {
  await trappable(browser, async (page, trap) => {
    await signIn(page, 'alice');
    await listHeading(page).waitFor();
    await trapWasm(page, 'promise');
    await assertStopped(page, trap, 'en');
  });
});
