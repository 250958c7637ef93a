// Keyboard only: the whole journey (sign in, open a ticket, reply, new ticket, sign out) with
// Tab / Shift+Tab / Enter / Space and typing, never a click. Every control reached shows a focus
// indicator, the skip link comes first and leads to the content, and after each route change focus
// lands on the new page's heading (or <main> while it loads), so it is announced.
import assert from 'node:assert/strict';
import {
  BASE,
  SUBPATH_BASE,
  USERS,
  articlesOf,
  bodyText,
  eventually,
  fakeTicket,
  isCreate,
  isReplyTo,
  listHeading,
  myTicketsLink,
  newTicketLink,
  passwordBox,
  identifierBox,
  replyBox,
  requests,
  sendReplyButton,
  signIn,
  signInHeading,
  signOutButton,
  statusMessage,
  ticketHeading,
  ticketLink,
  usePortal,
} from './lib/index.mjs';

const it = usePortal(import.meta);

/** What has keyboard focus now: enough to tell it and to judge its focus indicator. */
function focused(page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return { tag: 'body' };
    const style = getComputedStyle(el);
    const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
    const shadow = style.boxShadow !== 'none' && style.boxShadow !== '';
    return {
      tag: el.tagName.toLowerCase(),
      id: el.id,
      text: (el.getAttribute('aria-label') || el.textContent || '').trim().replace(/\s+/g, ' ').slice(0, 80),
      indicator: outline || shadow,
      outline: `${style.outlineStyle} ${style.outlineWidth} ${style.outlineColor}`,
      boxShadow: style.boxShadow,
      focusVisible: el.matches(':focus-visible'),
    };
  });
}

/** Fails unless the focused control shows a focus indicator (outline or box-shadow). */
async function assertIndicator(page) {
  const f = await focused(page);
  assert.ok(f.indicator, `no visible focus indicator on ${JSON.stringify(f)}`);
}

/**
 * Presses Tab (or Shift+Tab) until `target` (a locator) has focus, checking the focus indicator
 * at every stop on the way. Fails after `max` presses.
 */
async function tabTo(page, target, { back = false, max = 60 } = {}) {
  const key = back ? 'Shift+Tab' : 'Tab';
  const stops = [];
  for (let i = 0; i < max; i++) {
    await page.keyboard.press(key);
    const f = await focused(page);
    stops.push(`${f.tag}${f.id ? `#${f.id}` : ''} "${f.text}"`);
    if (f.tag !== 'body') assert.ok(f.indicator, `no visible focus indicator on ${JSON.stringify(f)}`);
    if (await target.evaluate((el) => el === document.activeElement).catch(() => false)) return;
  }
  assert.fail(`${key} never reached the target; stops: ${stops.join(' → ')}`);
}

/**
 * After a route change: focus is on the page's h1 (named `name`; <main> until it shows) and the
 * document title names the page before the brand.
 */
async function assertFocusOnHeading(page, name) {
  await eventually(async () => {
    const f = await focused(page);
    assert.equal(f.tag, 'h1', `focus after the route change is on ${JSON.stringify(f)}, not the h1`);
    assert.equal(f.text, name);
    assert.ok((await page.title()).startsWith(`${name} \u2013 `), `document title "${await page.title()}"`);
  });
}

it('keyboard only: sign in, open a ticket, reply, create a ticket, sign out', async ({ page }) => {
  await page.goto(`${BASE}sign-in`);
  await signInHeading(page).waitFor();

  // The skip link is the first Tab stop, visible when focused, and leads to <main>.
  await page.keyboard.press('Tab');
  let f = await focused(page);
  assert.equal(f.tag, 'a');
  assert.equal(f.text, 'Skip to content');
  assert.ok(f.indicator, `the skip link shows no focus indicator: ${JSON.stringify(f)}`);
  const skip = page.getByRole('link', { name: 'Skip to content' });
  const box = await skip.boundingBox();
  assert.ok(box && box.x >= 0 && box.y >= 0 && box.width > 1, `the focused skip link is off screen: ${JSON.stringify(box)}`);
  await page.keyboard.press('Enter');
  await eventually(async () => assert.equal((await focused(page)).id, 'main', 'the skip link did not move focus to main'));
  assert.match(new URL(page.url()).pathname, /\/sign-in$/, 'the skip link navigated away');

  // Sign in: the next stop after the skip target is the first field.
  await tabTo(page, identifierBox(page), { max: 3 });
  await page.keyboard.type(USERS.alice.identifier);
  await tabTo(page, passwordBox(page), { max: 1 });
  await page.keyboard.type(USERS.alice.password);
  await page.keyboard.press('Enter');
  await listHeading(page).waitFor();
  await signOutButton(page).waitFor();
  await assertFocusOnHeading(page, 'My tickets');
  // The list's result is announced in a status region.
  await page.getByRole('status').filter({ hasText: /tickets?\b/i }).first().waitFor();

  // Open a ticket from the list.
  await tabTo(page, ticketLink(page, 'Printer on fire').first());
  await page.keyboard.press('Enter');
  await ticketHeading(page, 'Printer on fire').waitFor();
  await assertFocusOnHeading(page, 'Printer on fire');

  // Reply.
  const text = 'Sent without a mouse.';
  await tabTo(page, replyBox(page));
  await page.keyboard.type(text);
  await tabTo(page, sendReplyButton(page), { max: 5 });
  await page.keyboard.press('Enter');
  await statusMessage(page, 'Reply sent').waitFor({ timeout: 20_000 });
  await eventually(async () => assert.equal((await requests()).filter(isReplyTo(101)).length, 1));
  await eventually(async () => {
    const t = await fakeTicket(101);
    assert.ok(articlesOf(t).some((a) => bodyText(a).includes(text)), 'the reply is not stored');
  });
  // The form was rebuilt with the ticket: focus is on the confirmation, not lost to <body>.
  await eventually(async () => {
    f = await focused(page);
    assert.notEqual(f.tag, 'body', 'focus was lost after sending the reply');
    assert.match(f.text, /Reply sent/);
  });

  // New ticket, through the main navigation (backwards from here).
  await tabTo(page, newTicketLink(page), { back: true });
  await page.keyboard.press('Enter');
  await assertFocusOnHeading(page, 'New ticket');
  const subject = 'Keyboard-made ticket';
  await tabTo(page, page.getByRole('textbox', { name: 'Subject', exact: true }), { max: 2 });
  await page.keyboard.type(subject);
  // The group, then the help desk's own fields (the demo Zammad's: product, contract number,
  // order date with its day, month and year stops, category), then the message.
  await tabTo(page, page.getByRole('textbox', { name: 'Message', exact: true }), { max: 12 });
  await page.keyboard.type('Typed, tabbed and submitted with the keyboard alone.');
  await tabTo(page, page.getByRole('button', { name: 'Submit ticket', exact: true }), { max: 5 });
  await page.keyboard.press('Space');
  await ticketHeading(page, subject).waitFor({ timeout: 20_000 });
  await assertFocusOnHeading(page, subject);
  assert.equal((await requests()).filter(isCreate).length, 1);

  // Back to the list, then sign out.
  await tabTo(page, myTicketsLink(page), { back: true });
  await page.keyboard.press('Enter');
  await assertFocusOnHeading(page, 'My tickets');
  await tabTo(page, signOutButton(page), { back: true });
  await page.keyboard.press('Enter');
  await signInHeading(page).waitFor();
  await assertFocusOnHeading(page, 'Sign in');
  await statusMessage(page, 'You have signed out').waitFor();
});

it('the skip link passes the header on a signed-in page, also under a sub-path', async ({ page }) => {
  for (const base of [BASE, SUBPATH_BASE]) {
    await signIn(page, 'alice', { base });
    await page.goto(`${base}tickets/101`);
    await ticketHeading(page, 'Printer on fire').waitFor();
    await page.keyboard.press('Tab');
    assert.equal((await focused(page)).text, 'Skip to content');
    await assertIndicator(page);
    await page.keyboard.press('Enter');
    await eventually(async () => assert.equal((await focused(page)).id, 'main'));
    assert.equal(new URL(page.url()).pathname, new URL(`${base}tickets/101`).pathname, 'the skip link navigated');
    await page.keyboard.press('Tab');
    const next = await page.evaluate(() => ({
      inMain: Boolean(document.activeElement?.closest('main')),
      inHeader: Boolean(document.activeElement?.closest('header.site-header, [role="banner"]')),
    }));
    assert.deepEqual(next, { inMain: true, inHeader: false }, 'Tab after the skip link went back into the header');
    await assertIndicator(page);
    await signOutButton(page).press('Enter');
    await signInHeading(page).waitFor();
  }
});
