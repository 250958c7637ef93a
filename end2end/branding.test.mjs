// Branding from config.json (brand.name, brand.logo, brand.primary_color, brand.favicon), set
// through the test API: what the customer sees, readable in both themes, and bad values ignored
// with a console warning while the portal keeps working.
import assert from 'node:assert/strict';
import {
  BASE,
  assertReadable,
  contrast,
  currentConfig,
  eventually,
  listHeading,
  myTicketsLink,
  putConfig,
  signIn,
  signInButton,
  signInHeading,
  usePortal,
} from './lib/index.mjs';

const it = usePortal(import.meta);

/** The build's favicon file (hashed name), read from the served document. */
async function builtFavicon() {
  const html = await (await fetch(BASE)).text();
  const name = /<link rel="icon" href="\.\/(favicon-[0-9a-f]+\.svg)"/.exec(html)?.[1];
  assert.ok(name, 'the document links the build’s favicon');
  return name;
}

async function withBrand(brand) {
  const config = await currentConfig();
  config.brand = brand;
  await putConfig(config);
}

const iconHrefs = (page) =>
  page.evaluate(() => [...document.querySelectorAll('link[rel~="icon"]')].map((l) => l.href));

const headerBrandLink = (page, name) =>
  page.getByRole('banner').getByRole('link', { name, exact: true });

function collectWarnings(page) {
  const warnings = [];
  page.on('console', (msg) => {
    if (msg.type() === 'warning') warnings.push(msg.text());
  });
  return warnings;
}

it('shows the brand: name, logo with the name as alt text, favicon, primary colour with readable text', async ({ page }) => {
  const logo = await builtFavicon();
  await withBrand({ name: 'Globex Support', logo, primary_color: '#FFCC00', favicon: 'brand/globex.png' });
  await page.goto(`${BASE}sign-in`);
  await signInHeading(page).waitFor();

  // The title names the page, then the brand ("Sign in – Globex Support").
  assert.match(await page.title(), / – Globex Support$/);
  const img = headerBrandLink(page, 'Globex Support').getByRole('img', { name: 'Globex Support', exact: true });
  await img.waitFor();
  assert.equal(await img.getAttribute('alt'), 'Globex Support');
  assert.ok(await img.evaluate((i) => i.complete && i.naturalWidth > 0), 'the logo loaded');
  assert.equal(new URL(await img.evaluate((i) => i.src)).pathname, `/${logo}`, 'the logo is relative to the portal');

  const icons = await iconHrefs(page);
  assert.ok(icons.length >= 1, 'a <link rel=icon> is there');
  for (const href of icons) assert.equal(href, `${BASE}brand/globex.png`);

  // #ffcc00: white text would read at 1.6:1, so the text is near-black.
  const button = await assertReadable(signInButton(page), 'Sign in button');
  assert.equal(button.background, 'rgb(255, 204, 0)', 'the primary button wears the brand colour');
  assert.equal(button.color, 'rgb(27, 36, 48)');

  await signIn(page, 'alice', { navigate: false });
  await listHeading(page).waitFor();
  const create = page.getByRole('link', { name: 'Create a ticket', exact: true });
  assert.equal((await assertReadable(create, 'Create a ticket')).background, 'rgb(255, 204, 0)');
  // Links use a darker shade of yellow: readable on the light header.
  const light = await assertReadable(myTicketsLink(page), 'My tickets link (light)');
  assert.notEqual(light.color, 'rgb(255, 204, 0)');

  await page.emulateMedia({ colorScheme: 'dark' });
  // (eventually: the header's background fades to the dark one.)
  await eventually(async () => {
    const dark = await assertReadable(myTicketsLink(page), 'My tickets link (dark)');
    assert.ok(contrast(dark.background, 'rgb(0, 0, 0)') < 2, `the header is dark: ${dark.background}`);
  });
  assert.equal((await assertReadable(create, 'Create a ticket (dark)')).background, 'rgb(255, 204, 0)');
});

it('keeps text on the primary colour readable: white on dark blue, a mid grey darkened', async ({ page }) => {
  await withBrand({ name: 'Blue', primary_color: '#15b' });
  await page.goto(`${BASE}sign-in`);
  await signInHeading(page).waitFor();
  const blue = await assertReadable(signInButton(page), 'Sign in on #15b');
  assert.equal(blue.background, 'rgb(17, 85, 187)', '#rgb is read as #rrggbb');
  assert.equal(blue.color, 'rgb(255, 255, 255)');

  // Neither white (4.4:1) nor the near-black (3.5:1) reaches AA on #787878.
  await withBrand({ name: 'Grey', primary_color: '#787878' });
  await page.reload();
  await signInHeading(page).waitFor();
  const grey = await assertReadable(signInButton(page), 'Sign in on #787878');
  assert.notEqual(grey.background, 'rgb(120, 120, 120)', 'the grey is darkened');
  assert.equal(grey.color, 'rgb(255, 255, 255)');
});

it('ignores bad brand values with a console warning and keeps working', async ({ page }) => {
  const favicon = await builtFavicon();
  // The defaults, for comparison.
  await page.goto(`${BASE}sign-in`);
  await signInHeading(page).waitFor();
  const normal = await assertReadable(signInButton(page), 'Sign in (default)');

  const warnings = collectWarnings(page);
  await withBrand({
    name: 42,
    logo: 'javascript:alert(1)',
    primary_color: 'red; background: url(https://evil.example/x.png)',
    favicon: 'https://evil.example/favicon.ico',
  });
  await page.reload();
  await signInHeading(page).waitFor();

  const brandLink = headerBrandLink(page, 'Help Center');
  await brandLink.waitFor();
  assert.equal(await brandLink.getByRole('img').count(), 0, 'no logo');
  assert.match(await page.title(), / – Help Center$/);
  const button = await assertReadable(signInButton(page), 'Sign in');
  assert.deepEqual(button, normal, 'the stylesheet’s colours are untouched');
  const inline = await page.evaluate(() => document.documentElement.getAttribute('style') ?? '');
  assert.doesNotMatch(inline, /evil|url|red/, `nothing from the config reached the page's style: ${inline}`);
  for (const href of await iconHrefs(page)) assert.equal(href, `${BASE}${favicon}`);
  for (const key of ['name', 'logo', 'primary_color', 'favicon']) {
    assert.ok(
      warnings.some((w) => w.includes(`brand.${key}`)),
      `a console warning names brand.${key}: ${JSON.stringify(warnings)}`,
    );
  }

  // The portal still works.
  await signIn(page, 'alice', { navigate: false });
  await listHeading(page).waitFor();

  // A colour that is almost right is still refused.
  warnings.length = 0;
  await withBrand({ name: 'Almost', primary_color: '#12345' });
  await page.reload();
  await listHeading(page).waitFor();
  const create = page.getByRole('link', { name: 'Create a ticket', exact: true });
  assert.equal((await assertReadable(create, 'Create a ticket')).background, normal.background);
  assert.ok(warnings.some((w) => w.includes('brand.primary_color')), JSON.stringify(warnings));
});
