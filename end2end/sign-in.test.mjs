// Signing in and out: Zammad token mode (default) and session mode with CSRF and two-factor,
// Znuny sessions; persistence, deep links, expired sessions (password asked again in place).
import assert from 'node:assert/strict';
import {
  BASE,
  currentConfig,
  putConfig,
  IS_ZAMMAD,
  USERS,
  expireSession,
  isSignIn,
  isSignOut,
  isTicketCall,
  onlyOn,
  sentCredential,
  alert,
  articles,
  assertNothingStored,
  eventually,
  expectListed,
  header,
  isWrite,
  listHeading,
  myTicketsLink,
  nav,
  newTicketLink,
  openTicket,
  passwordBox,
  pathOf,
  patchUser,
  replyBox,
  requests,
  requestsSettled,
  sendReplyButton,
  setZammadAuth,
  shownSince,
  signIn,
  signInHeading,
  signOutButton,
  sleep,
  statusMessage,
  storageDump,
  storageText,
  ticketHeading,
  ticketLink,
  twoFactorBox,
  usePortal,
  verifyButton,
  watchShownTexts,
} from './lib/index.mjs';

const it = usePortal(import.meta);
const EXPIRED_TEXT = /expired|sign in again|session has ended|no longer valid/i;
const zammadTokens = { skip: onlyOn('zammad', 'Zammad access tokens (Basic auth, "Token Access" permission)') };
const zammadSession = { skip: onlyOn('zammad', 'Zammad session mode (cookie, CSRF token, two-factor)') };

const isTokenCreate = (r) => r.method === 'POST' && /\/api\/v1\/user_access_token$/.test(pathOf(r));
const basicOf = (r) => /^Basic (.+)$/.exec(header(r, 'authorization') || '');

async function assertSignedInLayout(page, name = 'Alice Anders') {
  await signOutButton(page).waitFor();
  await listHeading(page).waitFor();
  await nav(page).first().waitFor();
  await nav(page).getByRole('link', { name: 'My tickets', exact: true }).waitFor();
  await nav(page).getByRole('link', { name: 'New ticket', exact: true }).waitFor();
  await page.getByRole('banner').getByText(name).first().waitFor();
}

async function assertNoSecretsStored(page, password) {
  const dump = await storageDump(page);
  for (const [part, value] of Object.entries(dump)) {
    assert.ok(!storageText(value).includes(password), `the password is stored in ${part}: ${storageText(value)}`);
  }
}

/** Token mode: one Basic-auth request (creating the token), every later one uses the token. */
async function assertTokenHandshake(identifier, password) {
  const reqs = await requests();
  const creates = reqs.filter(isTokenCreate);
  assert.equal(creates.length, 1, `expected one POST /api/v1/user_access_token, got ${creates.length}`);
  const basic = basicOf(creates[0]);
  assert.ok(basic, `token creation must use Basic auth, got ${header(creates[0], 'authorization')}`);
  assert.equal(Buffer.from(basic[1], 'base64').toString('utf8'), `${identifier}:${password}`);
  assert.equal(reqs.filter(basicOf).length, 1, 'the password must travel exactly once');
  const permission = creates[0].body?.permission ?? creates[0].body?.permissions;
  assert.ok(
    JSON.stringify(permission ?? null).includes('ticket.customer'),
    `the token must ask for ticket.customer, body was ${JSON.stringify(creates[0].body)}`,
  );
  const later = reqs.slice(reqs.indexOf(creates[0]) + 1);
  assert.ok(later.length > 0, 'no API call after the token was created');
  for (const r of later) {
    assert.match(header(r, 'authorization') || '', /^Token token=\S+/, `${r.method} ${r.path} lacks the token`);
  }
}

it('token mode: signs in with the email address', async ({ page }) => {
  await signIn(page, 'alice');
  await assertSignedInLayout(page);
  await assertTokenHandshake('alice@example.com', 'alice-demo');
  await assertNoSecretsStored(page, 'alice-demo');
}, zammadTokens);

it('token mode: signs in with the login name', async ({ page }) => {
  await signIn(page, 'alice', { identifier: 'alice' });
  await assertSignedInLayout(page);
  await assertTokenHandshake('alice', 'alice-demo');
}, zammadTokens);

it('lands on the ticket list, which shows the customer their tickets', async ({ page }) => {
  await signIn(page, 'alice');
  await listHeading(page).waitFor();
  await expectListed(page, [101, 105, 106, 102]);
  await myTicketsLink(page).waitFor();
  await newTicketLink(page).waitFor();
});

it('a wrong password shows an alert and stays on the sign-in page', async ({ page }) => {
  await signIn(page, 'alice', { password: 'not-the-password', expectSuccess: false });
  const a = alert(page);
  await a.waitFor();
  const text = await a.innerText();
  assert.match(text, /double-check|password|credentials|invalid|incorrect|wrong/i, `alert text: ${text}`);
  assert.match(new URL(page.url()).pathname, /\/sign-in$/);
  await signInHeading(page).waitFor();
  assert.equal(await signOutButton(page).count(), 0, 'must not look signed in');
  await assertNoSecretsStored(page, 'not-the-password');
  assert.equal((await requests()).filter(isTicketCall).length, 0, 'no ticket call');
});

it('znuny: the field asks for the username; an e-mail address is answered with what to type', async ({ page }) => {
  await page.goto(`${BASE}sign-in`);
  await signInHeading(page).waitFor();
  assert.equal(await page.getByRole('textbox', { name: 'Email or username', exact: true }).count(), 0);
  await signIn(page, 'alice', { identifier: 'alice@example.com', expectSuccess: false });
  await alert(page, 'signs you in with your username, not your email address').waitFor();
  // Znuny refused it as AuthFail; the right login then works.
  const creates = (await requests()).filter((r) => r.operation === 'SessionCreate');
  assert.equal(creates.at(-1).body.CustomerUserLogin, 'alice@example.com');
  await signIn(page, 'alice');
  await listHeading(page).waitFor();
}, { skip: onlyOn('znuny', 'Znuny login names') });

it('znuny: a site that takes e-mail addresses labels the field so', async ({ page }) => {
  const config = await currentConfig();
  await putConfig({ ...config, znuny: { ...config.znuny, login_with_email: true } });
  await page.goto(`${BASE}sign-in`);
  await page.getByRole('textbox', { name: 'Email or username', exact: true }).waitFor();
  assert.equal(await page.getByRole('textbox', { name: 'Username', exact: true }).count(), 0);
}, { skip: onlyOn('znuny', 'Znuny login names') });

it('a customer without Token Access is told so (session fallback off)', async ({ page }) => {
  // With the fallback on (the default) Zammad's session sign-in steps in: zammad-auth.test.mjs.
  const config = await currentConfig();
  await putConfig({ ...config, zammad: { ...(config.zammad || {}), session_fallback: false } });
  await patchUser('alice', { token_access: false });
  await signIn(page, 'alice', { expectSuccess: false });
  await alert(page, 'Token Access').waitFor();
  await signInHeading(page).waitFor();
  assert.equal(await signOutButton(page).count(), 0);
}, zammadTokens);

it('session mode: signs in with CSRF token and sends it on every write', async ({ page }) => {
  await setZammadAuth('session');
  await signIn(page, 'alice');
  await assertSignedInLayout(page);

  // A write: reply to a ticket.
  await openTicket(page, 101, { title: 'Printer on fire' });
  await replyBox(page).fill('Written in session mode');
  await sendReplyButton(page).click();
  await statusMessage(page, 'Reply sent').waitFor();

  const reqs = await requests();
  const show = reqs.findIndex((r) => r.method === 'GET' && /\/api\/v1\/signshow$/.test(pathOf(r)));
  const signin = reqs.findIndex((r) => r.method === 'POST' && /\/api\/v1\/signin$/.test(pathOf(r)));
  assert.ok(show >= 0, 'no GET /api/v1/signshow');
  assert.ok(signin > show, 'POST /api/v1/signin must follow signshow');
  assert.ok(header(reqs[signin], 'x-csrf-token'), 'signin without X-CSRF-Token');
  assert.equal(reqs.filter(isTokenCreate).length, 0, 'session mode must not create access tokens');
  assert.equal(reqs.filter(basicOf).length, 0, 'session mode must not send Basic auth');
  const writes = reqs.slice(signin + 1).filter(isWrite);
  assert.ok(writes.some((r) => /ticket_articles|tickets\/101/.test(pathOf(r))), 'the reply was not sent');
  for (const w of writes) {
    assert.ok(header(w, 'x-csrf-token'), `${w.method} ${w.path} without X-CSRF-Token`);
    assert.equal(header(w, 'cookie'), true, `${w.method} ${w.path} without the session cookie`);
  }
  await assertNoSecretsStored(page, 'alice-demo');
}, zammadSession);

it('session mode: two-factor code prompt, wrong code refused, right code signs in', async ({ page }) => {
  await setZammadAuth('session');
  await patchUser('alice', { two_factor_code: '123456' });
  await signIn(page, 'alice', { expectSuccess: false });
  await twoFactorBox(page).waitFor();
  await verifyButton(page).waitFor();
  assert.equal(await signOutButton(page).count(), 0);

  await twoFactorBox(page).fill('000000');
  await verifyButton(page).click();
  await alert(page).waitFor();
  assert.equal(await signOutButton(page).count(), 0, 'a wrong code must not sign in');

  await twoFactorBox(page).fill('123456');
  await verifyButton(page).click();
  await assertSignedInLayout(page);
  await expectListed(page, [101, 105, 106, 102]);
}, zammadSession);

it('session mode: sign out ends the Zammad session (with CSRF token)', async ({ page, context }) => {
  await setZammadAuth('session');
  await signIn(page, 'alice');
  await listHeading(page).waitFor();
  const cookie = (await context.cookies()).find((c) => /^_zammad_session/.test(c.name));
  assert.ok(cookie?.value, 'no Zammad session cookie after sign-in');
  await signOutButton(page).click();
  await signInHeading(page).waitFor();
  await eventually(() => assertNothingStored(page, { credential: cookie.value, what: 'after sign-out' }));
  await eventually(async () => {
    const out = (await requests()).filter((r) => /\/api\/v1\/signout$/.test(pathOf(r)));
    assert.equal(out.length, 1, 'expected one request to /api/v1/signout');
    if (out[0].method !== 'GET') assert.ok(header(out[0], 'x-csrf-token'), 'signout without X-CSRF-Token');
  });
  await page.goto(`${BASE}tickets`);
  await signInHeading(page).waitFor();
  assert.equal(await signOutButton(page).count(), 0, 'the session must be gone after a reload');
}, zammadSession);

it('a reload keeps the customer signed in (credential in sessionStorage only)', async ({ page }) => {
  await signIn(page, 'alice');
  await listHeading(page).waitFor();
  // The access token (Zammad) or SessionID (Znuny) the portal sends.
  const credential = await sentCredential();
  assert.ok(credential, 'no token / SessionID seen by the help desk');
  const dump = await storageDump(page);
  assert.ok(storageText(dump.session).includes(credential), 'the credential is not in sessionStorage');
  assert.ok(!storageText(dump.local).includes(credential), 'the credential must not be in localStorage');
  assert.ok(!storageText(dump.cookies).includes(credential), 'the credential must not be in a cookie');
  await page.reload();
  await assertSignedInLayout(page);
  await expectListed(page, [101, 105, 106, 102]);
  assert.equal((await requests()).filter(isSignIn).length, 1, 'the reload must reuse the credential');
  assert.equal(await sentCredential(), credential);
  await assertNoSecretsStored(page, 'alice-demo');
});

it('"Stay signed in" keeps the credential in localStorage (a new tab is signed in)', async ({ page, openPage }) => {
  await signIn(page, 'alice', { stay: true });
  await listHeading(page).waitFor();
  const credential = await sentCredential();
  assert.ok(credential);
  const dump = await storageDump(page);
  assert.ok(storageText(dump.local).includes(credential), 'the credential is not in localStorage');
  assert.ok(!storageText(dump.session).includes(credential), 'the credential must not also be in sessionStorage');
  await assertNoSecretsStored(page, 'alice-demo');

  const tab = await openPage();
  await tab.goto(`${BASE}tickets`);
  await assertSignedInLayout(tab);
  await expectListed(tab, [101, 105, 106, 102]);
  assert.equal((await requests()).filter(isSignIn).length, 1, 'the new tab must reuse the credential');
});

it('sign out ends the session on the server and forgets it in the browser', async ({ page }) => {
  await signIn(page, 'alice');
  await listHeading(page).waitFor();
  const credential = await sentCredential();
  assert.ok(credential);
  // An unsent draft must not survive the sign-out either (the next person at this browser).
  await openTicket(page, 101, { title: 'Printer on fire' });
  await replyBox(page).fill('DRAFT-SECRET-4711');
  await signOutButton(page).click();
  await signInHeading(page).waitFor();
  assert.match(new URL(page.url()).pathname, /\/sign-in$/);

  // DELETE of the access token (Zammad), SessionDelete (Znuny).
  await eventually(async () => {
    assert.equal((await requests()).filter(isSignOut).length, 1, 'expected one sign-out request');
  });
  const dump = await assertNothingStored(page, { credential, what: 'after sign-out' });
  assert.ok(!storageText(dump).includes('DRAFT-SECRET-4711'), 'the draft survived sign-out');

  // Back returns to the ticket's address, but the guard shows no ticket content.
  await watchShownTexts(page);
  await page.goBack();
  await eventually(async () => assert.match(new URL(page.url()).pathname, /\/sign-in$/));
  await signInHeading(page).waitFor();
  await sleep(500);
  assert.deepEqual(await shownSince(page), [], 'Back after sign-out showed ticket content');
  assert.equal(await replyBox(page).count(), 0);

  await page.goto(`${BASE}tickets`);
  await signInHeading(page).waitFor();
  assert.equal(await listHeading(page).count(), 0);
  assert.equal(await signOutButton(page).count(), 0);

  // Signing in again (carol, same browser) lands on the list, and no draft comes back.
  await signIn(page, 'carol', { navigate: false });
  await listHeading(page).waitFor();
  await openTicket(page, 101, { title: 'Printer on fire' });
  assert.equal(await replyBox(page).inputValue(), '', 'the previous customer\'s draft is shown');
});

it('a deep link survives the sign-in', async ({ page }) => {
  await page.goto(`${BASE}tickets/101`);
  await signInHeading(page).waitFor();
  assert.equal(await page.getByText('Printer on fire').count(), 0, 'ticket data shown before sign-in');
  await signIn(page, 'alice', { navigate: false });
  await ticketHeading(page, 'Printer on fire').waitFor();
  assert.match(new URL(page.url()).pathname, /\/tickets\/101$/);
  await articles(page).first().waitFor();
});

it('an expired session mid-work asks for the password in place, then carries on', async ({ page }) => {
  await signIn(page, 'alice');
  await listHeading(page).waitFor();
  await expectListed(page, [101, 105, 106, 102]);
  const credential = await sentCredential();
  await expireSession();
  await ticketLink(page, 'Printer on fire').first().click();
  const dialog = page.getByRole('dialog', { name: 'Your session has expired' });
  await dialog.waitFor({ timeout: 20_000 });
  const dump = await storageDump(page);
  assert.ok(!storageText(dump).includes(credential), 'the dead credential is still stored');
  await dialog.getByRole('button', { name: 'Continue', exact: true }).click();
  await dialog.getByRole('alert').filter({ hasText: /password/i }).waitFor();
  await dialog.getByLabel('Password', { exact: true }).fill(USERS.alice.password);
  await dialog.getByRole('button', { name: 'Continue', exact: true }).click();
  // The interrupted navigation completes without a new sign-in page.
  await ticketHeading(page, 'Printer on fire').waitFor();
  await dialog.waitFor({ state: 'hidden' });
  assert.equal(await signInHeading(page).count(), 0);
  assert.equal((await requests()).filter(isSignIn).length, 2, 'a fresh credential after the password prompt');
  assert.notEqual(await sentCredential(), credential, 'the dead credential is still sent');
});

it('giving up at the password prompt leads to sign-in with a message, and back', async ({ page }) => {
  await signIn(page, 'alice');
  await listHeading(page).waitFor();
  await expectListed(page, [101, 105, 106, 102]);
  const credential = await sentCredential();
  await expireSession();
  await ticketLink(page, 'Printer on fire').first().click();
  const dialog = page.getByRole('dialog', { name: 'Your session has expired' });
  await dialog.waitFor({ timeout: 20_000 });
  await dialog.getByRole('button', { name: 'Sign out instead', exact: true }).click();
  await signInHeading(page).waitFor({ timeout: 20_000 });
  await page.getByText(EXPIRED_TEXT).first().waitFor();
  assert.equal(await signOutButton(page).count(), 0);
  await assertNothingStored(page, { credential, what: '"Sign out instead"' });
  // Signing in again works and leads back to where the customer was going.
  await signIn(page, 'alice', { navigate: false });
  await ticketHeading(page, 'Printer on fire').waitFor();
});

it('an expired session found on reload leads to sign-in with a message (Zammad) or the password prompt (Znuny)', async ({ page }) => {
  await signIn(page, 'alice');
  await listHeading(page).waitFor();
  // A read still under way when the session expires (the "New reply" check after the list) would
  // find it dead and forget it before the reload: this test is about the reload finding it.
  await requestsSettled();
  const credential = await sentCredential();
  await expireSession();
  await page.goto(`${BASE}tickets`);
  if (IS_ZAMMAD) {
    // The token is checked on start: straight to the sign-in page.
    await signInHeading(page).waitFor({ timeout: 20_000 });
    assert.equal(await signOutButton(page).count(), 0);
    await assertNothingStored(page, { credential, what: 'expired session found on reload' });
    await page.getByText(EXPIRED_TEXT).first().waitFor();
    await signIn(page, 'alice', { navigate: false });
  } else {
    // Znuny calls SessionGet only right after sign-in, so the stored session is found dead by the
    // list's TicketSearch (AuthFail): the password prompt, like mid-work.
    const dialog = page.getByRole('dialog', { name: 'Your session has expired' });
    await dialog.waitFor({ timeout: 20_000 });
    await assertNothingStored(page, { credential, what: 'expired session found on reload' });
    await dialog.getByLabel('Password', { exact: true }).fill(USERS.alice.password);
    await dialog.getByRole('button', { name: 'Continue', exact: true }).click();
    await dialog.waitFor({ state: 'hidden' });
  }
  await listHeading(page).waitFor();
  await expectListed(page, [101, 105, 106, 102]);
  assert.equal((await requests()).filter(isSignIn).length, 2);
});

it('the password field is a real password input', async ({ page }) => {
  await page.goto(`${BASE}sign-in`);
  await signInHeading(page).waitFor();
  assert.equal(await passwordBox(page).getAttribute('type'), 'password');
  // The stored seed names are what the other tests rely on.
  assert.equal(USERS.alice.name, 'Alice Anders');
});
