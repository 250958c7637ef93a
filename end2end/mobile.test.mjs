// Every page at 360 × 640 (a small phone) without horizontal scrolling, and screenshots of every
// page at 360 and 1280 px wide, light and dark, in
// <artifacts>/screenshots/<backend>/<page>-<width>-<theme>.png for a person to look at.
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import {
  ARTIFACTS,
  BACKEND,
  BASE,
  fileInput,
  listHeading,
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

/** Checks `name` at 360 px in both themes and saves its screenshots at every width and theme. */
async function capture(page, name, ready) {
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: width === 360 ? 640 : 900 });
    for (const theme of THEMES) {
      await page.emulateMedia({ colorScheme: theme, reducedMotion: 'reduce' });
      await ready();
      if (width === 360) {
        await assertNoHorizontalScroll(page, `${name} (${theme})`);
        const box = await themeSelect(page).boundingBox();
        assert.ok(box && box.x >= 0 && box.x + box.width <= 360, `${name}: the theme choice is on screen`);
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

it('the header at 360 px: brand and theme on one row, menu and account below, nothing cut off', async ({ page }) => {
  await page.setViewportSize({ width: 360, height: 640 });
  await signIn(page, 'alice');
  await listHeading(page).waitFor();
  const banner = page.getByRole('banner');
  const brand = await banner.getByRole('link', { name: /Help Center/ }).boundingBox();
  const theme = await themeSelect(page).boundingBox();
  const signOut = await banner.getByRole('button', { name: 'Sign out', exact: true }).boundingBox();
  const myTickets = await banner.getByRole('link', { name: 'My tickets', exact: true }).boundingBox();
  assert.ok(Math.abs(brand.y + brand.height / 2 - (theme.y + theme.height / 2)) < theme.height, 'brand and theme share the first row');
  assert.ok(myTickets.y > theme.y + theme.height / 2, 'the menu is below');
  for (const [what, box] of Object.entries({ brand, theme, signOut, myTickets })) {
    assert.ok(box.x >= 0 && box.x + box.width <= 360, `${what} is on screen: ${JSON.stringify(box)}`);
  }
});
