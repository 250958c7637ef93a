// Issue 20's languages (French, Spanish, Italian, Dutch, Polish, Portuguese): a browser of each
// language (with a region: fr-CA, pt-BR…) gets the portal in it; sign-in, ticket list, a ticket
// and the new-ticket form pass axe and show none of the English catalogue's messages; dates,
// sizes and plurals follow the browser's Intl for that locale; the switcher changes to each
// language without a reload. Every test name starts with "languages:" (E2E_FILTER=languages:).
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import {
  BASE,
  IS_ZAMMAD,
  LOGIN_LABEL,
  USERS,
  articles,
  assertNotReloaded,
  markDocument,
  newPage,
  usePortal,
} from './lib/index.mjs';
import { axeViolations, withAxe } from './lib/axe.mjs';

const it = usePortal(import.meta);

const I18N = new URL('../src/i18n/', import.meta.url);

/** The browser tag each language is tried with, its code, and its name in the switcher. */
const LANGUAGES = [
  { tag: 'fr-CA', code: 'fr', name: 'Français' },
  { tag: 'es-MX', code: 'es', name: 'Español' },
  { tag: 'it-IT', code: 'it', name: 'Italiano' },
  { tag: 'nl-BE', code: 'nl', name: 'Nederlands' },
  { tag: 'pl-PL', code: 'pl', name: 'Polski' },
  { tag: 'pt-BR', code: 'pt', name: 'Português' },
];

const catalogue = async (code) => JSON.parse(await fs.readFile(new URL(`${code}.json`, I18N), 'utf8'));

/** Every string of a catalogue file (a plural's forms included). */
const stringsOf = (file) => Object.values(file).flatMap((v) => (typeof v === 'string' ? [v] : Object.values(v)));

/** A message cut at its `{values}`: "Page {page} of {pages}" → "Page", "of", "". */
const fragments = (text) => text.split(/\{[a-z_0-9]+\}/).map((f) => f.trim());

/**
 * English's messages (src/i18n/en.rs, the compiled-in catalogue), cut at their `{values}`: the
 * Rust string literals of the `TEXTS` literal, unescaped.
 */
async function englishFragments() {
  const source = await fs.readFile(new URL('en.rs', I18N), 'utf8');
  // The messages, without the catalogue's own code and name ("English" stays in the switcher).
  const body = source
    .slice(source.indexOf('pub const TEXTS'))
    .replace(/^\s*(code|name): .*$/gm, '');
  const literals = [...body.matchAll(/"((?:[^"\\]|\\[\s\S])*)"/g)].map((m) =>
    m[1]
      .replace(/\\\n\s*/g, '')
      .replace(/\\u\{([0-9a-fA-F]+)\}/g, (_, hex) => String.fromCodePoint(parseInt(hex, 16)))
      .replace(/\\(["\\])/g, '$1'),
  );
  return literals.flatMap(fragments);
}
const ENGLISH = await englishFragments();

/**
 * The English fragments that must not be on screen in `file`'s language: the longer ones (seven
 * characters and more: "Sign in", "My tickets", whole sentences), minus those the language words
 * the same, a whole message or fragment of its own ("Ticket" in French, "Status" in Dutch,
 * "Password" in Italian).
 */
function forbiddenEnglish(file) {
  const own = new Set(stringsOf(file).flatMap(fragments));
  return [...new Set(ENGLISH)].filter((f) => f.length >= 7 && !own.has(f));
}

/**
 * What the page shows and names, without the help desk's data (ticket titles, messages, names,
 * file names, the groups, the configured brand): rendered text nodes, plus aria-label,
 * placeholder and alt attributes.
 */
async function shownText(page) {
  return page.evaluate(() => {
    const data = [
      '.brand',
      '.who',
      '.ticket-head h1',
      '.ticket-meta dd',
      '.ticket-row .title',
      '.message .sender',
      '.message .subject',
      '.message .body',
      '.file-name',
      '#group option',
    ].join(', ');
    // The help desk's words also inside accessible names ("Message from Emma Agent via Support").
    const words = [...document.querySelectorAll(data)].map((el) => el.textContent.trim()).filter((w) => w.length >= 3);
    const parts = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const el = node.parentElement;
      if (!el || el.closest(data) || el.closest('script, style, template, noscript')) continue;
      if (!el.checkVisibility() && !el.closest('option')) continue;
      parts.push(node.textContent);
    }
    // (Not `title`: a state badge's title is the help desk's own state name.)
    for (const el of document.body.querySelectorAll('[aria-label], [placeholder], [alt]')) {
      if (el.closest(data)) continue;
      for (const a of ['aria-label', 'placeholder', 'alt']) parts.push(el.getAttribute(a) ?? '');
    }
    return words.reduce((text, w) => text.split(w).join(' '), parts.join('\n'));
  });
}

async function assertNoEnglish(page, file, where) {
  const text = await shownText(page);
  // As words: Dutch "Downloaden" does not contain English "Download".
  const word = (f) => new RegExp(`(^|[^\\p{L}])${f.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[^\\p{L}])`, 'u');
  const left = forbiddenEnglish(file).filter((f) => word(f).test(text));
  assert.deepEqual(left, [], `${file.language}: English on ${where}:\n${text}`);
}

async function assertAccessible(page, code, where) {
  const problems = await axeViolations(page);
  assert.deepEqual(problems, [], `${code}, ${where}: axe violations\n${problems.join('\n')}`);
}

const heading = (page, name, level) => page.getByRole('heading', { name, exact: true, ...(level ? { level } : {}) });
const htmlLang = (page) => page.locator('html').getAttribute('lang');
const CATALOGUE = /\/i18n-([a-z]{2})-[0-9a-f]{16}\.json$/;

/** A context whose browser speaks `tag` (navigator.languages, Intl default, Accept-Language). */
async function browserIn(browser, tag) {
  const context = await browser.newContext({ locale: tag, viewport: { width: 1280, height: 900 } });
  const page = await newPage(browser, { context });
  return { context, page };
}

it('languages: the English catalogue is read (the no-English check has something to look for)', async () => {
  for (const english of ['Sign in', 'My tickets', 'Please enter a subject.', 'Submit ticket', 'Reply sent.']) {
    assert.ok(ENGLISH.includes(english), english);
  }
  assert.ok(ENGLISH.includes('or drop files here (up to'), 'a template is cut at its values');
  assert.ok(ENGLISH.some((f) => f.startsWith('Choose \u201cUse security key\u201d, then follow')), 'escapes read');
  assert.ok(!ENGLISH.includes('English'), "the language's own name is not a message");
  const fr = await catalogue('fr');
  assert.ok(!forbiddenEnglish(fr).includes('Ticket'), 'French says "Ticket" too');
  assert.ok(forbiddenEnglish(fr).includes('My tickets'));
});

it('languages: the first load holds none of their texts and fetches none of their files', async ({ page }) => {
  const fetched = [];
  page.on('request', (req) => CATALOGUE.test(new URL(req.url()).pathname) && fetched.push(req.url()));
  await page.goto(`${BASE}sign-in`);
  await heading(page, 'Sign in').waitFor();
  assert.deepEqual(fetched, [], 'an English start fetches no catalogue');
  const loaded = await page.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name));
  const wasmUrl = loaded.find((n) => /_bg\.wasm$/.test(n));
  assert.ok(wasmUrl, 'the wasm among the loaded resources');
  const wasm = await (await page.request.get(wasmUrl)).body();
  const html = await (await page.request.get(BASE)).text();
  for (const { code, name } of LANGUAGES) {
    const file = await catalogue(code);
    // Its name is in the wasm (the switcher offers it), its texts are not.
    assert.ok(wasm.includes(Buffer.from(name)), `${name} in the wasm`);
    for (const key of ['my_tickets', 'offline', 'err_sign_in_failed']) {
      assert.ok(!wasm.includes(Buffer.from(file[key])), `${code}.${key} is not in the wasm`);
    }
    assert.doesNotMatch(html, new RegExp(`i18n-${code}-`), `index.html does not name the ${code} file`);
  }
});

for (const { tag, code, name } of LANGUAGES) {
  it(`languages: ${name} for a ${tag} browser — sign-in, list, ticket and new ticket pass axe, with no English`, async ({
    browser,
  }) => {
    const file = await catalogue(code);
    const { context, page } = await browserIn(browser, tag);
    try {
      await withAxe(page);
      const fetched = [];
      page.on('request', (req) => {
        const m = CATALOGUE.exec(new URL(req.url()).pathname);
        if (m) fetched.push(m[1]);
      });

      // Sign-in, in the browser's language.
      await page.goto(`${BASE}sign-in`);
      await heading(page, file.sign_in).waitFor();
      assert.equal(await htmlLang(page), code);
      assert.equal(await page.getByRole('combobox', { name: file.language, exact: true }).inputValue(), code);
      assert.deepEqual(fetched, [code], 'its catalogue, and only it');
      await assertAccessible(page, code, 'the sign-in page');
      await assertNoEnglish(page, file, 'the sign-in page');

      // The catalogue's plural forms are the categories this locale's Intl has (with the region:
      // Brazil's Portuguese and Portugal's count alike today, and the file must cover both).
      const needed = await page.evaluate(
        ([t, c]) => [t, c].map((l) => new Intl.PluralRules(l).resolvedOptions().pluralCategories.sort()),
        [tag, code],
      );
      assert.deepEqual(needed[0], needed[1], `${tag} and ${code} count alike`);
      for (const [key, value] of Object.entries(file)) {
        if (typeof value === 'object') assert.deepEqual(Object.keys(value).sort(), needed[0], `${code}: ${key}`);
      }

      // Signing in through the translated form; a wrong password is said in the language too.
      const alice = USERS.alice;
      const login = page.getByRole('textbox', { name: IS_ZAMMAD ? file.login_label : file.username_label, exact: true });
      await login.fill(alice.identifier);
      await page.getByLabel(file.password, { exact: true }).fill('wrong-password');
      await page.getByRole('button', { name: file.sign_in, exact: true }).click();
      await page
        .getByRole('alert')
        .filter({ hasText: IS_ZAMMAD ? file.err_sign_in_failed : file.err_sign_in_failed_username })
        .waitFor();
      await assertNoEnglish(page, file, 'the sign-in page with an error');
      await page.getByLabel(file.password, { exact: true }).fill(alice.password);
      await page.getByRole('button', { name: file.sign_in, exact: true }).click();

      // The ticket list.
      await page.getByRole('button', { name: file.sign_out, exact: true }).waitFor();
      await heading(page, file.my_tickets).waitFor();
      await page.getByRole('link', { name: /Printer on fire/ }).first().waitFor();
      await assertAccessible(page, code, 'the ticket list');
      await assertNoEnglish(page, file, 'the ticket list');

      // A ticket: dates by Intl in the browser's locale, sizes with the language's words.
      await page.getByRole('link', { name: /Printer on fire/ }).first().click();
      await heading(page, 'Printer on fire', 1).waitFor();
      await articles(page).first().waitFor();
      await page.getByRole('button', { name: file.send_reply, exact: true }).waitFor();
      const times = await page.locator('time').evaluateAll(
        (els, t) =>
          els.map((e) => {
            const at = new Date(e.getAttribute('datetime'));
            const format = (l) => new Intl.DateTimeFormat(l, { dateStyle: 'medium', timeStyle: 'short' }).format(at);
            return { text: e.textContent, local: format(t), english: format('en-US'), title: e.getAttribute('title') };
          }),
        tag,
      );
      assert.ok(times.length >= 2, JSON.stringify(times));
      for (const t of times) {
        assert.equal(t.text, t.local, `a date in ${tag}`);
        assert.notEqual(t.text, t.english);
        assert.ok(t.title, 'the relative time as the title');
        assert.doesNotMatch(t.title, /\b(ago|yesterday|today|tomorrow|now|last|next)\b/);
      }
      const sizes = await page.locator('.file-size').allTextContents();
      assert.ok(sizes.length >= 1, 'checklist.pdf shows its size');
      for (const size of sizes) {
        const bytes = /^(\d+) /.exec(size);
        if (bytes && !/[.,]/.test(size)) {
          // Under 1 KB: the plural form Intl picks for this number in this locale.
          const category = await page.evaluate(([t, n]) => new Intl.PluralRules(t).select(n), [tag, Number(bytes[1])]);
          assert.equal(size, file.bytes[category].replace('{n}', bytes[1]));
        } else {
          assert.match(size, new RegExp(`^\\d+${file.decimal_separator}\\d (${file.kilobytes}|${file.megabytes})$`));
        }
      }
      await assertAccessible(page, code, 'a ticket');
      await assertNoEnglish(page, file, 'a ticket');

      // The new-ticket form, with its errors on screen.
      await page.getByRole('link', { name: file.new_ticket, exact: true }).click();
      await heading(page, file.new_ticket).waitFor();
      await page.getByRole('button', { name: file.submit_ticket, exact: true }).click();
      await page.getByText(file.subject_missing, { exact: true }).waitFor();
      await page.getByText(file.message_missing, { exact: true }).waitFor();
      await page.getByRole('textbox', { name: file.subject, exact: true }).waitFor();
      await assertAccessible(page, code, 'the new-ticket form');
      await assertNoEnglish(page, file, 'the new-ticket form');

      assert.deepEqual(fetched, [code], 'one catalogue for the whole visit');
    } finally {
      page.trap.check();
      await context.close();
    }
  });
}

it('languages: the switcher offers every language and changes to each without a reload', async ({ page }) => {
  const fetched = [];
  page.on('request', (req) => {
    const m = CATALOGUE.exec(new URL(req.url()).pathname);
    if (m) fetched.push(m[1]);
  });
  await page.goto(`${BASE}sign-in`);
  await heading(page, 'Sign in').waitFor();
  const options = await page.getByRole('combobox', { name: 'Language', exact: true }).locator('option').allTextContents();
  assert.deepEqual(options, ['English', 'Deutsch', ...LANGUAGES.map((l) => l.name).sort()]);

  // The check can fail: on the English page it finds English that French would not have.
  const french = forbiddenEnglish(await catalogue('fr'));
  const shown = await shownText(page);
  const found = french.filter((f) => shown.includes(f));
  for (const english of ['Sign in', LOGIN_LABEL, 'Stay signed in', 'Skip to content']) {
    assert.ok(found.includes(english), `${english} in ${JSON.stringify(found)}`);
  }

  await markDocument(page);
  let label = 'Language';
  for (const { code, name } of LANGUAGES) {
    const file = await catalogue(code);
    await page.getByRole('combobox', { name: label, exact: true }).selectOption({ label: name });
    await heading(page, file.sign_in).waitFor();
    assert.equal(await htmlLang(page), code);
    assert.equal(await page.evaluate(() => localStorage.getItem('portal.language')), code);
    await assertNoEnglish(page, file, 'the sign-in page after switching');
    label = file.language;
  }
  await assertNotReloaded(page);
  assert.deepEqual(fetched, LANGUAGES.map((l) => l.code), 'each catalogue once, when chosen');

  // Remembered over a reload, whatever the browser says (en-US here).
  await page.reload();
  await heading(page, (await catalogue('pt')).sign_in).waitFor();
  assert.equal(await htmlLang(page), 'pt');
});
