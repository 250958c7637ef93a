// Light / dark: the system's preference (emulated with Playwright's colorScheme) unless the
// customer picks one in the header ("Theme"), remembered across reloads and applied before the
// app starts; transitions respect prefers-reduced-motion.
import assert from 'node:assert/strict';
import { BASE, eventually, listHeading, signIn, signInButton, signInHeading, usePortal } from './lib/index.mjs';

const it = usePortal(import.meta);

const LIGHT_BG = 'rgb(245, 247, 250)';
const DARK_BG = 'rgb(17, 22, 29)';

const themeSelect = (page) => page.getByRole('combobox', { name: 'Theme', exact: true });
const pageBackground = (page) => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
const storedTheme = (page) => page.evaluate(() => localStorage.getItem('portal.theme'));

async function expectBackground(page, expected, why) {
  await eventually(async () => assert.equal(await pageBackground(page), expected, why));
}

it('follows the system until the customer picks Light or Dark in the header', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.goto(`${BASE}sign-in`);
  await signInHeading(page).waitFor();
  const select = themeSelect(page);
  assert.equal(await select.inputValue(), 'system');
  assert.equal(await select.locator('option:checked').textContent(), 'System');
  await expectBackground(page, DARK_BG, 'dark system, System theme');
  await page.emulateMedia({ colorScheme: 'light' });
  await expectBackground(page, LIGHT_BG, 'follows the system as it changes');
  assert.equal(await storedTheme(page), null, 'nothing stored while on System');

  await select.selectOption({ label: 'Dark' });
  await expectBackground(page, DARK_BG, 'Dark picked on a light system');
  assert.equal(await storedTheme(page), 'dark');
  // Form controls follow the theme too (color-scheme).
  assert.equal(await page.evaluate(() => getComputedStyle(document.documentElement).colorScheme), 'dark');

  await page.emulateMedia({ colorScheme: 'dark' });
  await select.selectOption({ label: 'Light' });
  await expectBackground(page, LIGHT_BG, 'Light picked on a dark system');
  assert.equal(await storedTheme(page), 'light');
  const button = await signInButton(page).evaluate((b) => getComputedStyle(b).backgroundColor);
  assert.equal(button, 'rgb(31, 95, 191)', 'the light theme’s primary colour');

  await select.selectOption({ label: 'System' });
  await expectBackground(page, DARK_BG, 'System again: the dark system');
  assert.equal(await storedTheme(page), null, 'System forgets the choice');
});

it('remembers the choice across reloads and sign-in, applied before the app starts', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'light' });
  await signIn(page, 'alice');
  await listHeading(page).waitFor();
  await themeSelect(page).selectOption({ label: 'Dark' });
  await expectBackground(page, DARK_BG, 'Dark picked');

  await page.reload();
  await listHeading(page).waitFor();
  assert.equal(await themeSelect(page).inputValue(), 'dark', 'the header shows the remembered choice');
  assert.equal(await pageBackground(page), DARK_BG);

  // With the app held back (its wasm never arrives), the page is already dark: the choice is
  // applied by the document itself, before the first paint, not by the app.
  await page.route('**/*_bg.wasm', () => {});
  await page.goto(`${BASE}tickets`, { waitUntil: 'domcontentloaded' });
  assert.equal(await page.evaluate(() => document.documentElement.getAttribute('data-theme')), 'dark');
  assert.equal(await pageBackground(page), DARK_BG);
  assert.equal(await page.getByRole('banner').count(), 0, 'the app has not started');
});

it('fades between themes only for people who did not ask for reduced motion', async ({ page }) => {
  await page.goto(`${BASE}sign-in`);
  await signInHeading(page).waitFor();
  const duration = () => signInButton(page).evaluate((b) => getComputedStyle(b).transitionDuration);
  await page.emulateMedia({ reducedMotion: 'no-preference' });
  assert.notEqual(await duration(), '0s', 'a short fade by default');
  await page.emulateMedia({ reducedMotion: 'reduce' });
  assert.match(await duration(), /^0s(, 0s)*$/, 'no transition with prefers-reduced-motion: reduce');
});
