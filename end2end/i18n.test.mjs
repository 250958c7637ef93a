// Languages: German for a German browser, the header's switcher (at once, remembered, <html lang>),
// dates in the chosen locale, and no English left on the pages a customer visits after switching.
import assert from 'node:assert/strict';
import {
  BASE,
  IS_ZAMMAD,
  LOGIN_LABEL,
  USERS,
  articles,
  eventually,
  markDocument,
  assertNotReloaded,
  newPage,
  signIn,
  usePortal,
} from './lib/index.mjs';

const it = usePortal(import.meta);

const languageSelect = (page, name) => page.getByRole('combobox', { name, exact: true });
const htmlLang = (page) => page.locator('html').getAttribute('lang');
const storedLanguage = (page) => page.evaluate(() => localStorage.getItem('portal.language'));

/**
 * English words of the portal's own UI that must not remain once German is chosen. None of them
 * occurs in the seed data shown on these pages (titles, messages and state names from the help
 * desk stay as the help desk wrote them).
 */
const ENGLISH = [
  'Sign in',
  LOGIN_LABEL,
  'Password',
  'Stay signed in',
  'Only on your own device',
  'You have signed out',
  'My tickets',
  'Create a ticket',
  'Search tickets',
  'Title, number or text',
  'Sort by',
  'Last update',
  'My organization',
  'My company',
  'Mine',
  'Previous page',
  'Next page',
  'Page 1',
  'Updated',
  'Created',
  "Colleague's ticket",
  'Number',
  'Group',
  'Close ticket',
  'Reopen ticket',
  'Write a reply',
  'Send reply',
  'Reply',
  'Attach files',
  'or drop files here',
  'Drop files here',
  'Files to send',
  'Attachments',
  'Download',
  'Support team',
  'Message from',
  'You',
  'Customer',
  'New ticket',
  'Subject',
  'Message',
  'Submit ticket',
  'Please enter a subject',
  'Please describe your request',
  'Loading',
  'image not shown',
  'Images from other websites',
  'Show images',
  'You are offline',
  'Send now',
  'Theme',
  'Light',
  'Dark',
  'bytes',
  'Language',
];

/**
 * The page's text (`main`, the header, the skip link) and accessible-name attributes. The brand
 * is configured; the switcher's "English" is that language's own name, so not in the list above.
 */
async function shownText(page) {
  return page.evaluate(() => {
    const parts = [document.body.innerText, document.querySelector('.skip-link')?.textContent ?? ''];
    for (const el of document.body.querySelectorAll('[aria-label], [placeholder]')) {
      parts.push(el.getAttribute('aria-label') || '', el.getAttribute('placeholder') || '');
    }
    return parts.join('\n');
  });
}

async function assertNoEnglish(page, where) {
  const text = await shownText(page);
  const word = (w) => new RegExp(`(^|[^\\p{L}])${w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[^\\p{L}])`, 'u');
  const left = ENGLISH.filter((w) => word(w).test(text));
  assert.deepEqual(left, [], `English left on ${where}:\n${text}`);
}

/** A context whose browser speaks German (navigator.languages, Intl default, Accept-Language). */
async function germanPage(browser) {
  const context = await browser.newContext({ locale: 'de-DE', viewport: { width: 1280, height: 900 } });
  const page = await newPage(browser, { context });
  return { context, page };
}

it('a German browser gets the portal in German, dates included', async ({ browser }) => {
  const { context, page } = await germanPage(browser);
  try {
    assert.deepEqual(await page.evaluate(() => navigator.languages), ['de-DE']);
    await page.goto(`${BASE}sign-in`);
    await page.getByRole('heading', { name: 'Anmelden', exact: true }).waitFor();
    assert.equal(await htmlLang(page), 'de');
    assert.equal(await languageSelect(page, 'Sprache').inputValue(), 'de');
    await assertNoEnglish(page, 'the sign-in page');

    // Signing in through the German form.
    const alice = USERS.alice;
    const loginLabel = IS_ZAMMAD ? 'E-Mail-Adresse oder Benutzername' : 'Benutzername';
    await page.getByRole('textbox', { name: loginLabel, exact: true }).fill(alice.identifier);
    await page.getByLabel('Passwort', { exact: true }).fill('wrong-password');
    await page.getByRole('button', { name: 'Anmelden', exact: true }).click();
    await page.getByRole('alert').filter({ hasText: /Anmeldung ist fehlgeschlagen/ }).waitFor();
    await page.getByLabel('Passwort', { exact: true }).fill(alice.password);
    await page.getByRole('button', { name: 'Anmelden', exact: true }).click();
    await page.getByRole('button', { name: 'Abmelden', exact: true }).waitFor();
    await page.getByRole('heading', { name: 'Meine Tickets', exact: true }).waitFor();
    await page.getByRole('link', { name: /Printer on fire/ }).first().waitFor();
    await assertNoEnglish(page, 'the ticket list');

    // Dates by Intl in de-DE: "24.11.2026, 09:30", and the relative time as the title.
    await page.goto(`${BASE}tickets/101`);
    await page.getByRole('heading', { level: 1, name: 'Printer on fire', exact: true }).waitFor();
    await articles(page).first().waitFor();
    const times = await page.locator('time').evaluateAll((els) =>
      els.map((e) => ({
        text: e.textContent,
        title: e.getAttribute('title'),
        german: new Intl.DateTimeFormat('de-DE', { dateStyle: 'medium', timeStyle: 'short' }).format(
          new Date(e.getAttribute('datetime')),
        ),
        english: new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeStyle: 'short' }).format(
          new Date(e.getAttribute('datetime')),
        ),
      })),
    );
    assert.ok(times.length >= 2, JSON.stringify(times));
    for (const t of times) {
      assert.equal(t.text, t.german);
      assert.notEqual(t.text, t.english);
      assert.match(t.text, /^\d{2}\.\d{2}\.\d{4}, \d{2}:\d{2}$/);
      // "vor 3 Tagen", "vorgestern", "gestern", "letzten Monat", …
      assert.match(t.title, /^(vor|in |gestern|heute|morgen|übermorgen|jetzt|letzte|nächste)/);
      assert.doesNotMatch(t.title, /ago|yesterday|today|tomorrow|now|last|next/);
    }
    await page.getByText('Offen', { exact: true }).first().waitFor();
    await assertNoEnglish(page, 'the ticket page');
  } finally {
    page.trap.check();
    await context.close();
  }
});

it('the switcher changes the language at once, is remembered, and sets <html lang>', async ({ page }) => {
  await page.goto(`${BASE}sign-in`);
  await page.getByRole('heading', { name: 'Sign in', exact: true }).waitFor();
  assert.equal(await htmlLang(page), 'en');
  const select = languageSelect(page, 'Language');
  assert.equal(await select.inputValue(), 'en');
  assert.deepEqual((await select.locator('option').allTextContents()).slice(0, 2), ['English', 'Deutsch']);
  assert.equal(await storedLanguage(page), null, 'nothing stored before the customer chose');

  await markDocument(page);
  await select.selectOption({ label: 'Deutsch' });
  await page.getByRole('heading', { name: 'Anmelden', exact: true }).waitFor();
  await assertNotReloaded(page);
  await eventually(async () => assert.equal(await htmlLang(page), 'de'));
  assert.equal(await storedLanguage(page), 'de');
  assert.equal(await languageSelect(page, 'Sprache').inputValue(), 'de');

  // Remembered: a reload (and the browser's en-US) keeps German.
  await page.reload();
  await page.getByRole('heading', { name: 'Anmelden', exact: true }).waitFor();
  assert.equal(await htmlLang(page), 'de');

  await languageSelect(page, 'Sprache').selectOption({ label: 'English' });
  await page.getByRole('heading', { name: 'Sign in', exact: true }).waitFor();
  assert.equal(await htmlLang(page), 'en');
  assert.equal(await storedLanguage(page), 'en');
  await page.reload();
  await page.getByRole('heading', { name: 'Sign in', exact: true }).waitFor();
  assert.equal(await languageSelect(page, 'Language').inputValue(), 'en');
});

it('after switching to German nothing stays English on list, ticket, new ticket and sign-in', async ({ page }) => {
  await signIn(page, 'alice');
  await page.getByRole('heading', { name: 'My tickets', exact: true }).waitFor();
  await page.getByRole('link', { name: /Printer on fire/ }).first().waitFor();

  // A message already on screen follows the switch too: an empty new-ticket form's errors.
  await page.getByRole('link', { name: 'New ticket', exact: true }).click();
  await page.getByRole('button', { name: 'Submit ticket', exact: true }).click();
  await page.getByText('Please enter a subject.').waitFor();

  await markDocument(page);
  await languageSelect(page, 'Language').selectOption('de');
  await page.getByRole('heading', { name: 'Neues Ticket', exact: true }).waitFor();
  await page.getByText('Bitte geben Sie einen Betreff ein.').waitFor();
  await page.getByText('Bitte beschreiben Sie Ihr Anliegen.').waitFor();
  await page.getByRole('textbox', { name: 'Betreff', exact: true }).waitFor();
  // The document title names the page in the new language too.
  await eventually(async () => assert.equal(await page.title(), 'Neues Ticket \u2013 Acme Help Center'));
  await assertNoEnglish(page, 'the new-ticket page');

  await page.getByRole('link', { name: 'Meine Tickets', exact: true }).click();
  await page.getByRole('heading', { name: 'Meine Tickets', exact: true }).waitFor();
  await page.getByRole('link', { name: /Printer on fire/ }).first().waitFor();
  await page.getByRole('combobox', { name: 'Status', exact: true }).waitFor();
  await assertNoEnglish(page, 'the ticket list');

  await page.getByRole('link', { name: /Printer on fire/ }).first().click();
  await page.getByRole('heading', { level: 1, name: 'Printer on fire', exact: true }).waitFor();
  await articles(page).first().waitFor();
  await page.getByRole('button', { name: 'Antwort senden', exact: true }).waitFor();
  await page.getByRole('button', { name: /^Herunterladen checklist\.pdf/ }).first().waitFor();
  await assertNoEnglish(page, 'the ticket page');
  await assertNotReloaded(page);

  await page.getByRole('button', { name: 'Abmelden', exact: true }).click();
  await page.getByRole('heading', { name: 'Anmelden', exact: true }).waitFor();
  await page.getByRole('status').filter({ hasText: 'Sie haben sich abgemeldet.' }).waitFor();
  await assertNoEnglish(page, 'the sign-in page after signing out');
  assert.equal(await storedLanguage(page), 'de', 'signing out keeps the language');
});
