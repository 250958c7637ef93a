// An account customers can look after (issue 20): "Forgot password?" and "Create an account" on
// the sign-in page (Zammad: its API, shown as its settings allow, the same answer for known and
// unknown addresses; Znuny: links from config.json), and the password change of a signed-in
// Zammad customer.
import assert from 'node:assert/strict';
import {
  assertStyledLike,
  BASE,
  alert,
  apiGet,
  apiPatch,
  currentConfig,
  header,
  listHeading,
  onlyOn,
  pathOf,
  putConfig,
  requests,
  requestsSettled,
  signIn,
  signInHeading,
  signOutButton,
  statusMessage,
  storageDump,
  usePortal,
} from './lib/index.mjs';

const it = usePortal(import.meta);
const zammadOnly = { skip: onlyOn('zammad', 'Zammad account API') };
const znunyOnly = { skip: onlyOn('znuny', 'Znuny account links') };

const forgotLink = (page) => page.getByRole('link', { name: 'Forgot password?', exact: true });
const signUpLink = (page) => page.getByRole('link', { name: 'Create an account', exact: true });
const changeLink = (page) => page.getByRole('banner').getByRole('link', { name: 'Change password', exact: true });
const box = (page, name) => page.getByLabel(name, { exact: true });
const button = (page, name) => page.getByRole('button', { name, exact: true });
const mails = () => apiGet('__test/mails');
const setSettings = (settings) => apiPatch('__test/settings', settings);
const calls = async (method, path) =>
  (await requests()).filter((r) => r.method === method && pathOf(r).endsWith(`/api/v1/${path}`));

const RESET_SENT = 'If an account with this email address or username exists';
const SIGN_UP_SENT = 'Thank you. The help desk has sent an email to this address';

/** The text of the message a field's `aria-describedby` names. */
async function fieldMessage(page, label) {
  const id = await box(page, label).getAttribute('aria-describedby');
  assert.ok(id, `${label} names no message`);
  return (await page.locator(`#${id}`).textContent())?.trim();
}

async function requestReset(page, login) {
  await page.goto(`${BASE}sign-in`);
  await forgotLink(page).click();
  await page.getByRole('heading', { name: 'Reset your password', exact: true }).waitFor();
  await box(page, 'Email or username').fill(login);
  await button(page, 'Send link').click();
  const status = statusMessage(page, RESET_SENT);
  await status.waitFor();
  return status.textContent();
}

it('account: forgot password (zammad) sends the request and answers the same for known and unknown addresses', async ({ page }) => {
  const known = await requestReset(page, 'alice@example.com');
  const unknown = await requestReset(page, 'nobody@example.com');
  assert.equal(unknown, known, 'the answer must not tell whether the address exists');

  const sent = await calls('POST', 'users/password_reset');
  assert.deepEqual(sent.map((r) => [r.body?.username, r.status]), [['alice@example.com', 200], ['nobody@example.com', 200]]);
  // The fake checks the anonymous session's CSRF token as Zammad does.
  assert.ok(sent.every((r) => header(r, 'x-csrf-token')), 'sent without the CSRF token');
  const list = await mails();
  assert.equal(list.length, 1, `one mail, for the known address only: ${JSON.stringify(list)}`);
  assert.equal(list[0].to, 'alice@example.com');
  assert.equal(list[0].template, 'password_reset');
  assert.match(list[0].url, /#password_reset_verify\/\w+$/, 'the mail links to Zammad\'s own page');
}, zammadOnly);

it('account: forgot password and sign-up are hidden when Zammad switches them off', async ({ page }) => {
  await setSettings({ user_lost_password: false });
  await page.goto(`${BASE}sign-in`);
  await signUpLink(page).waitFor();
  assert.equal(await forgotLink(page).count(), 0, 'Forgot password? must be hidden');

  // The page itself, reached directly, shows Zammad's refusal in the customer's words.
  await page.goto(`${BASE}forgot-password`);
  await box(page, 'Email or username').fill('alice@example.com');
  await button(page, 'Send link').click();
  await alert(page, 'The help desk does not offer this at the moment.').waitFor();
  assert.deepEqual((await calls('POST', 'users/password_reset')).map((r) => r.status), [422]);
  assert.equal((await mails()).length, 0);

  await setSettings({ user_lost_password: true, user_create_account: false });
  await page.goto(`${BASE}sign-in`);
  await forgotLink(page).waitFor();
  await requestsSettled();
  assert.equal(await signUpLink(page).count(), 0, 'Create an account must be hidden');
}, zammadOnly);

it('account: sign-up (zammad) sends Zammad\'s signup form and answers the same for a known address', async ({ page }) => {
  await page.goto(`${BASE}sign-in`);
  await signUpLink(page).click();
  await page.getByRole('heading', { name: 'Create an account', exact: true }).waitFor();
  await box(page, 'First name').fill('Nora');
  await box(page, 'Last name').fill('New');
  await box(page, 'Email').fill('nora.new@example.com');
  await assertStyledLike(box(page, 'Email'), box(page, 'First name'), 'the email field');
  await box(page, 'Password').fill('short');
  await button(page, 'Create account').click();
  await eventuallyText(page, 'Password', 'The password must be at least 10 characters long.');
  assert.equal(await box(page, 'Email').inputValue(), 'nora.new@example.com', 'what was typed stays');
  await box(page, 'Password').fill('NewSecret42xy');
  await button(page, 'Create account').click();
  const first = await statusMessage(page, SIGN_UP_SENT).textContent();

  await page.goto(`${BASE}sign-up`);
  await box(page, 'Email').fill('alice@example.com');
  await box(page, 'Password').fill('OtherSecret42xy');
  await button(page, 'Create account').click();
  const second = await statusMessage(page, SIGN_UP_SENT).textContent();
  assert.equal(second, first, 'the answer must not tell whether the address exists');

  const sent = await calls('POST', 'users');
  assert.deepEqual(sent.map((r) => r.status), [422, 201, 201]);
  assert.deepEqual(sent[1].body, {
    firstname: 'Nora', lastname: 'New', email: 'nora.new@example.com', password: 'NewSecret42xy', signup: true,
  });
  const list = await mails();
  assert.deepEqual(list.map((m) => [m.to, m.template]), [
    ['nora.new@example.com', 'signup'],
    ['alice@example.com', 'signup_taken_reset'],
  ]);
  const stored = JSON.stringify(await storageDump(page));
  assert.ok(!stored.includes('NewSecret42xy') && !stored.includes('OtherSecret42xy'), 'a password must never be stored');
}, zammadOnly);

async function eventuallyText(page, label, text) {
  const end = Date.now() + 10_000;
  for (;;) {
    const shown = await fieldMessage(page, label);
    if (shown === text) return;
    if (Date.now() > end) assert.equal(shown, text, `the message at ${label}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

it('account: password change (zammad) tells a wrong current password at its field, then the new password signs in', async ({ page }) => {
  await signIn(page, 'alice');
  await listHeading(page).waitFor();
  await changeLink(page).click();
  await page.getByRole('heading', { name: 'Change password', exact: true }).waitFor();

  await box(page, 'Current password').fill('not-my-password');
  await box(page, 'New password').fill('NewSecret42xy');
  await box(page, 'Repeat new password').fill('NewSecret42xy');
  await button(page, 'Change password').click();
  await eventuallyText(page, 'Current password', 'The current password is not correct.');
  assert.equal(await box(page, 'Current password').getAttribute('aria-invalid'), 'true');

  await box(page, 'Current password').fill('alice-demo');
  await box(page, 'New password').fill('short1');
  await box(page, 'Repeat new password').fill('short1');
  await button(page, 'Change password').click();
  await eventuallyText(page, 'New password', 'The password must be at least 10 characters long.');

  await box(page, 'New password').fill('NewSecret42xy');
  await box(page, 'Repeat new password').fill('NewSecret42xy');
  // Held until "Sending…" was announced, as on the other account forms.
  let release;
  const held = new Promise((resolve) => { release = resolve; });
  await page.route('**/users/password_change', async (route) => { await held; await route.continue(); });
  await button(page, 'Change password').click();
  await statusMessage(page, 'Sending…').waitFor();
  release();
  await statusMessage(page, 'Your password has been changed.').waitFor();
  await page.unroute('**/users/password_change');
  assert.equal(await statusMessage(page, 'Sending…').count(), 0, '"Sending…" stays after the answer');
  const sent = await calls('POST', 'users/password_change');
  assert.deepEqual(sent.map((r) => r.status), [422, 422, 200]);
  assert.deepEqual(sent[2].body, { password_old: 'alice-demo', password_new: 'NewSecret42xy' });
  const stored = JSON.stringify(await storageDump(page));
  assert.ok(!stored.includes('NewSecret42xy') && !stored.includes('alice-demo'), 'a password must never be stored');

  await signOutButton(page).click();
  await signInHeading(page).waitFor();
  await signIn(page, 'alice', { password: 'alice-demo', expectSuccess: false });
  await alert(page).waitFor();
  await signIn(page, 'alice', { password: 'NewSecret42xy' });
  await listHeading(page).waitFor();
}, zammadOnly);

it('account: znuny links to the help desk\'s own pages from config.json, and to none when not configured', async ({ page }) => {
  await page.goto(`${BASE}sign-in`);
  await signInHeading(page).waitFor();
  await requestsSettled();
  assert.equal(await forgotLink(page).count(), 0);
  assert.equal(await signUpLink(page).count(), 0);

  const config = await currentConfig();
  config.znuny = {
    ...(config.znuny || {}),
    forgot_password_url: 'https://desk.example/otrs/customer.pl#Reset',
    sign_up_url: '/otrs/customer.pl#Signup',
  };
  await putConfig(config);
  await page.goto(`${BASE}sign-in`);
  await forgotLink(page).waitFor();
  assert.equal(await forgotLink(page).getAttribute('href'), 'https://desk.example/otrs/customer.pl#Reset');
  assert.equal(await signUpLink(page).getAttribute('href'), '/otrs/customer.pl#Signup');

  // No password change in the portal (the Generic Interface has none).
  await signIn(page, 'alice');
  await listHeading(page).waitFor();
  assert.equal(await changeLink(page).count(), 0);
}, znunyOnly);
