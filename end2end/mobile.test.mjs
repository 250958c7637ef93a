// Every page at 360 × 640 (a small phone) without horizontal scrolling, and screenshots of every
// page at 360 and 1280 px wide, light and dark, in
// <artifacts>/screenshots/<backend>/<page>-<width>-<theme>.png for a person to look at; the header
// folded behind "Menu" on phones; real-shaped data (16-digit numbers, 80-character titles with long
// words, a long name, German) on a 360 × 740 phone in dark mode.
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import {
  ARTIFACTS,
  BACKEND,
  BASE,
  IS_ZAMMAD,
  USERS,
  fileInput,
  listHeading,
  menuButton,
  mainLink,
  signIn,
  signInHeading,
  ticketHeading,
  usePortal,
} from './lib/index.mjs';

const it = usePortal(import.meta);
const SHOTS = path.join(ARTIFACTS, 'screenshots', BACKEND);
const WIDTHS = [360, 1280];
const THEMES = ['light', 'dark'];
// A file name with no place to break (no hyphen, no space): it must wrap, not widen the page.
const LONG_NAME = `${'QuarterlyReportFinalVersion'.repeat(4)}.pdf`;

const themeSelect = (page) => page.getByRole('combobox', { name: 'Theme', exact: true });
const languageSelect = (page) => page.getByRole('combobox', { name: /^(Language|Sprache)$/ });
const signOut = (page) => page.getByRole('button', { name: 'Sign out', exact: true });

async function assertNoHorizontalScroll(page, name) {
  const { scrollWidth, wide } = await page.evaluate(() => {
    const limit = document.documentElement.clientWidth;
    const wide = [...document.querySelectorAll('body *')]
      .filter((e) => e.getBoundingClientRect().right > limit + 0.5)
      .slice(0, 5)
      .map((e) => `${e.tagName.toLowerCase()}.${e.className}`);
    return { scrollWidth: document.documentElement.scrollWidth, wide };
  });
  assert.ok(scrollWidth <= 360, `${name} at 360 px scrolls sideways (${scrollWidth} px wide): ${wide.join(', ')}`);
}

/** Fails when anything inside `container` (a locator) sticks out of its box on the right. */
async function assertInside(container, name) {
  const out = await container.evaluate((box) => {
    const right = box.getBoundingClientRect().right + 0.5;
    return [...box.querySelectorAll('*')]
      .filter((e) => e.getBoundingClientRect().width > 0 && e.getBoundingClientRect().right > right)
      .slice(0, 5)
      .map((e) => `${e.tagName.toLowerCase()}.${e.className} (${Math.round(e.getBoundingClientRect().right - right)} px)`);
  });
  assert.deepEqual(out, [], `${name}: sticks out of its box`);
}

/** Checks `name` at 360 px in both themes and saves its screenshots at every width and theme. */
async function capture(page, name, ready) {
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: width === 360 ? 640 : 900 });
    for (const theme of THEMES) {
      await page.emulateMedia({ colorScheme: theme, reducedMotion: 'reduce' });
      await ready();
      if (width === 360) {
        await assertNoHorizontalScroll(page, `${name} (${theme})`);
        await menuButton(page).click();
        const box = await themeSelect(page).boundingBox();
        assert.ok(box && box.x >= 0 && box.x + box.width <= 360, `${name}: the theme choice is on screen`);
        await assertNoHorizontalScroll(page, `${name} with the menu open (${theme})`);
        await page.screenshot({ path: path.join(SHOTS, `${name}-${width}-${theme}-menu.png`) });
        await menuButton(page).click();
      } else {
        assert.equal(await menuButton(page).count(), 0, `${name}: no "Menu" on a wide screen`);
      }
      await page.screenshot({ path: path.join(SHOTS, `${name}-${width}-${theme}.png`), fullPage: true });
    }
  }
}

it('every page fits 360 px without sideways scrolling; screenshots at 360 and 1280 px, light and dark', async ({ page }) => {
  await fs.mkdir(SHOTS, { recursive: true });
  await page.setViewportSize({ width: 360, height: 640 });

  await page.goto(`${BASE}sign-in`);
  await capture(page, 'sign-in', () => signInHeading(page).waitFor());

  await signIn(page, 'alice', { navigate: false });
  await capture(page, 'tickets', () => listHeading(page).waitFor());

  await page.goto(`${BASE}tickets/101`);
  await capture(page, 'ticket', () => ticketHeading(page, 'Printer on fire').waitFor());

  await page.goto(`${BASE}tickets/new`);
  await page.getByRole('heading', { level: 1, name: 'New ticket' }).waitFor();
  await fileInput(page).setInputFiles({ name: LONG_NAME, mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n') });
  await page.getByRole('list', { name: 'Files to send' }).getByText(LONG_NAME).waitFor();
  await capture(page, 'new-ticket', () => page.getByRole('heading', { level: 1, name: 'New ticket' }).waitFor());

  await page.goto(`${BASE}no/such/page`);
  await capture(page, 'not-found', () => page.getByRole('heading', { level: 1, name: 'Page not found' }).waitFor());

  const saved = await fs.readdir(SHOTS);
  for (const name of ['sign-in', 'tickets', 'ticket', 'new-ticket', 'not-found']) {
    for (const width of WIDTHS) {
      for (const theme of THEMES) assert.ok(saved.includes(`${name}-${width}-${theme}.png`), `${name}-${width}-${theme}.png`);
    }
  }
});

it('the header at 360 px: brand and "Menu" on one row, the main links below, the rest behind "Menu"', async ({ page }) => {
  await page.setViewportSize({ width: 360, height: 640 });
  await signIn(page, 'alice');
  await listHeading(page).waitFor();
  const banner = page.getByRole('banner');
  const brand = await banner.getByRole('link', { name: /Help Center/ }).boundingBox();
  const menu = await menuButton(page).boundingBox();
  const myTickets = await mainLink(page, 'My tickets').boundingBox();
  assert.ok(Math.abs(brand.y + brand.height / 2 - (menu.y + menu.height / 2)) < menu.height, 'brand and Menu share the first row');
  assert.ok(myTickets.y > menu.y + menu.height / 2, 'the main links are below');
  // Folded: no sign-out, theme or language until "Menu" is pressed; the header stays small.
  assert.equal(await menuButton(page).getAttribute('aria-expanded'), 'false');
  for (const hidden of [signOut(page), themeSelect(page), languageSelect(page)]) assert.equal(await hidden.count(), 0);
  const header = await banner.boundingBox();
  assert.ok(header.height <= 110, `the folded header is ${header.height} px high`);

  await menuButton(page).click();
  assert.equal(await menuButton(page).getAttribute('aria-expanded'), 'true');
  const boxes = {
    brand,
    menu,
    myTickets,
    signOut: await signOut(page).boundingBox(),
    theme: await themeSelect(page).boundingBox(),
    language: await languageSelect(page).boundingBox(),
    name: await banner.getByText('Alice Anders', { exact: true }).boundingBox(),
  };
  for (const [what, box] of Object.entries(boxes)) {
    assert.ok(box && box.x >= 0 && box.x + box.width <= 360, `${what} is on screen: ${JSON.stringify(box)}`);
  }
  // Escape folds it again and gives the focus back to "Menu"; so does going to another page.
  await themeSelect(page).focus();
  await page.keyboard.press('Escape');
  assert.equal(await signOut(page).count(), 0);
  await page.waitForFunction(() => document.activeElement?.id === 'header-menu-toggle', null, { timeout: 2000 });
  await menuButton(page).click();
  await mainLink(page, 'New ticket').click();
  await page.getByRole('heading', { level: 1, name: 'New ticket' }).waitFor();
  assert.equal(await menuButton(page).getAttribute('aria-expanded'), 'false');
  assert.equal(await signOut(page).count(), 0);
  // …and signing out from the menu works.
  await menuButton(page).click();
  await signOut(page).click();
  await page.getByRole('heading', { name: 'Sign in', exact: true }).waitFor();
});

it('real-shaped data on a 360 × 740 phone (German, dark): the first ticket is on the first screen, its title readable', async ({ page }) => {
  await page.setViewportSize({ width: 360, height: 740 });
  await page.emulateMedia({ colorScheme: 'dark', reducedMotion: 'reduce' });
  await page.goto(`${BASE}sign-in`);
  await page.getByRole('heading', { name: 'Sign in', exact: true }).waitFor();
  await menuButton(page).click();
  await languageSelect(page).selectOption('de');
  await page.getByRole('heading', { name: 'Anmelden', exact: true }).waitFor();
  await page.getByRole('textbox', { name: IS_ZAMMAD ? 'E-Mail-Adresse oder Benutzername' : 'Benutzername', exact: true })
    .fill(USERS.maximiliane.identifier);
  await page.getByLabel('Passwort', { exact: true }).fill(USERS.maximiliane.password);
  await page.getByRole('button', { name: 'Anmelden', exact: true }).click();
  await page.getByRole('heading', { level: 1, name: 'Meine Tickets' }).waitFor();
  const first = page.getByRole('listitem').filter({ hasText: 'Druckerwarteschlangenverwaltungsdienst' });
  await first.waitFor();
  await page.evaluate(() => document.fonts.ready);

  // 16 digits on Znuny; Zammad's numbers are short.
  const number = await first.locator('.number').innerText();
  if (!IS_ZAMMAD) assert.match(number, /^#\d{16}$/);
  const row = await first.boundingBox();
  assert.ok(row.y >= 0 && row.y + row.height <= 740, `the first ticket row is not fully on the first screen: ${JSON.stringify(row)}`);
  assert.equal(await page.evaluate(() => window.scrollY), 0);
  // The title gets the row's width: not a column squeezed beside the number.
  const title = first.locator('.title');
  const box = await title.boundingBox();
  assert.ok(box.width >= row.width * 0.8, `the title is ${box.width} of ${row.width} px wide`);
  const lines = await title.evaluate((el) => {
    const range = document.createRange();
    range.selectNodeContents(el);
    return new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size;
  });
  assert.ok(lines <= 4, `an 80-character title takes ${lines} lines`);
  const perLine = (await title.innerText()).length / lines;
  assert.ok(perLine >= 20, `only ${perLine.toFixed(1)} characters a line`);
  // The search field gets the width too (its label above it), so its hint is not cut off.
  const search = await page.getByRole('searchbox').boundingBox();
  assert.ok(search.width >= row.width * 0.9, `the search field is ${search.width} of ${row.width} px wide`);
  await assertNoHorizontalScroll(page, 'the list with real-shaped data');

  // The ticket page with the long title, the long name and the long word in the message.
  await first.getByRole('link').click();
  await page.getByRole('heading', { level: 1, name: /Druckerwarteschlangenverwaltungsdienst/ }).waitFor();
  await page.getByRole('article').first().waitFor();
  await assertNoHorizontalScroll(page, 'the ticket page with real-shaped data');
  await assertInside(page.getByRole('article').first(), 'the message');
  await assertInside(page.locator('form').filter({ has: page.getByRole('button', { name: 'Antwort senden' }) }), 'the reply form');
  await fs.mkdir(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, 'real-shapes-ticket-360-dark-de.png'), fullPage: true });
});
