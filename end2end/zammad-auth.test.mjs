// Zammad sign-in as real servers behave (docs/zammad-api.md 2, 9.3, 9.4, 9.11): token mode beside
// an agent's Zammad session, two-factor customers in token-mode config (authenticator app,
// security key through Chromium's virtual authenticator, recovery code), lockouts, and the admin
// settings that refuse tokens (with and without the session fallback).
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import {
  BASE,
  PORTAL_URL,
  alert,
  apiGet,
  apiPatch,
  apiPost,
  articlesOf,
  currentConfig,
  eventually,
  fakeTicket,
  header,
  listHeading,
  onlyOn,
  openTicket,
  passwordBox,
  pathOf,
  patchUser,
  putConfig,
  replyBox,
  requests,
  sendReplyButton,
  signIn,
  signInButton,
  signInHeading,
  signOutButton,
  statusMessage,
  twoFactorBox,
  usePortal,
  verifyButton,
} from './lib/index.mjs';

const it = usePortal(import.meta);
const zammadOnly = { skip: onlyOn('zammad', 'Zammad authentication') };

const api = (reqs) => reqs.filter((r) => /^\/api\/v1\//.test(pathOf(r)));
const isTokenCreate = (r) => r.method === 'POST' && /\/api\/v1\/user_access_token$/.test(pathOf(r));
const isSignin = (r) => r.method === 'POST' && /\/api\/v1\/signin$/.test(pathOf(r));
const methodBox = (page, name) => page.getByRole('radio', { name, exact: true });
const recoveryBox = (page) => page.getByRole('textbox', { name: 'Recovery code', exact: true });
const useKeyButton = (page) => page.getByRole('button', { name: 'Use security key', exact: true });
const setSettings = (settings) => apiPatch('__test/settings', settings);

async function setFallback(on) {
  const config = await currentConfig();
  config.zammad = { ...(config.zammad || {}), session_fallback: on };
  await putConfig(config);
}

/** An agent (Emma) used Zammad's own UI in this browser: her session cookie is there. */
async function agentCookie(context, base = BASE) {
  const c = await apiPost('__test/agent_session', {});
  await context.addCookies([{ name: c.name, value: c.value, url: base, httpOnly: true }]);
  return c;
}

/** Everything after the first session sign-in went out with the cookie and no token. */
function assertSessionMode(reqs) {
  const first = reqs.findIndex((r) => isSignin(r) && r.status === 201);
  assert.ok(first >= 0, 'no successful POST /api/v1/signin');
  assert.equal(reqs.filter((r) => isTokenCreate(r) && r.status === 200).length, 0, 'a token was minted');
  for (const r of api(reqs.slice(first + 1))) {
    assert.equal(header(r, 'cookie'), true, `${r.method} ${r.path} without the session cookie`);
    assert.ok(!/^Token /.test(header(r, 'authorization') || ''), `${r.method} ${r.path} with a token`);
  }
}

it('zammad auth: token mode beside an agent session acts as the customer and sends no cookie', async ({ page, context }) => {
  await agentCookie(context);
  await signIn(page, 'alice');
  await listHeading(page).waitFor();
  await openTicket(page, 101, { title: 'Printer on fire' });
  await replyBox(page).fill('Sent beside an agent session');
  await sendReplyButton(page).click();
  await statusMessage(page, 'Reply sent').waitFor();

  const all = api(await requests());
  // The sign-in page's question what the help desk offers (signshow with no credential at all,
  // not even the cookie) is nobody's: it acts as no one.
  const anonymous = all.filter((r) => /\/signshow$/.test(pathOf(r)) && !header(r, 'authorization'));
  for (const r of anonymous) assert.equal(header(r, 'cookie'), false, 'the anonymous signshow carried the agent\'s cookie');
  const reqs = all.filter((r) => !anonymous.includes(r));
  assert.ok(reqs.length > 3, 'too few requests');
  for (const r of reqs) {
    assert.equal(header(r, 'cookie'), false, `${r.method} ${r.path} carried the agent's cookie`);
    assert.equal(r.acted_as, 'alice', `${r.method} ${r.path} acted as ${r.acted_as}`);
    assert.ok(/^(Token token=|Basic )/.test(header(r, 'authorization') || ''), `${r.method} ${r.path} without credentials`);
  }
  assert.ok(reqs.some((r) => r.method === 'PUT' && r.status === 200), 'the reply was not stored');
  const stored = articlesOf(await fakeTicket(101)).find((a) => String(a.body).includes('Sent beside an agent session'));
  assert.ok(stored, 'the reply is not on the ticket');
  assert.equal(stored.created_by_id, 10, 'the reply must be the customer\'s');
}, zammadOnly);

it('zammad auth: a two-factor customer signs in with the authenticator app in token mode', async ({ page }) => {
  await patchUser('alice', { two_factor: { methods: ['authenticator_app'], code: '123456', recovery_codes: ['rc-1'] } });
  await signIn(page, 'alice', { expectSuccess: false });
  await twoFactorBox(page).waitFor();
  assert.equal(await methodBox(page, 'Authenticator app').isChecked(), true);
  await methodBox(page, 'Recovery code').waitFor();
  assert.equal(await signOutButton(page).count(), 0);

  await twoFactorBox(page).fill('000000');
  await verifyButton(page).click();
  await alert(page, 'The two-factor code was not accepted').waitFor();
  assert.equal(await twoFactorBox(page).inputValue(), '000000', 'what was typed stays for correcting');
  await twoFactorBox(page).fill('123456');
  await verifyButton(page).click();
  await listHeading(page).waitFor();

  const reqs = await requests();
  const mint = reqs.find(isTokenCreate);
  assert.equal(mint?.status, 401, 'token mode tries the token first');
  const signins = reqs.filter(isSignin);
  assert.deepEqual(signins.map((r) => r.status), [422, 401, 201]);
  assert.equal(signins[2].body.two_factor_method, 'authenticator_app');
  assert.equal(signins[2].body.two_factor_payload, '123456');
  assertSessionMode(reqs);
  const stored = JSON.stringify(await page.evaluate(() => ({ ...sessionStorage, ...localStorage })));
  assert.ok(!stored.includes('alice-demo'), 'the password must never be stored');

  // A reload keeps the session sign-in; sign-out ends it on Zammad.
  await page.reload();
  await listHeading(page).waitFor();
  assert.equal((await requests()).filter(isSignin).length, 3, 'the reload must not sign in again');
  assert.equal((await apiGet('__test/state')).sessions, 1);
  await signOutButton(page).click();
  await signInHeading(page).waitFor();
  await eventually(async () => assert.equal((await apiGet('__test/state')).sessions, 0));
  assert.ok((await requests()).some((r) => /\/api\/v1\/signout$/.test(pathOf(r))), 'no signout request');
}, zammadOnly);

it('zammad auth: a recovery code signs in once', async ({ page }) => {
  // Two codes: the second keeps the recovery option offered after the first was used.
  await patchUser('alice', { two_factor: { methods: ['authenticator_app'], code: '123456', recovery_codes: ['rc-1111-aaaa', 'rc-2222-bbbb'] } });
  const withRecovery = async () => {
    await signIn(page, 'alice', { expectSuccess: false });
    await methodBox(page, 'Recovery code').check();
    await recoveryBox(page).fill('rc-1111-aaaa');
    await verifyButton(page).click();
  };
  await withRecovery();
  await listHeading(page).waitFor();
  const used = (await requests()).filter(isSignin).at(-1);
  assert.equal(used.body.two_factor_method, 'recovery_codes');
  await signOutButton(page).click();
  await signInHeading(page).waitFor();
  await withRecovery();
  await alert(page, 'The two-factor code was not accepted').waitFor();
  assert.equal(await signOutButton(page).count(), 0, 'a used recovery code must not sign in');
}, zammadOnly);

it('zammad auth: a security key signs in through WebAuthn', async ({ page, context }) => {
  // WebAuthn needs a domain (not an IP address) as relying party: the portal on localhost.
  const local = PORTAL_URL.replace('//127.0.0.1', '//localhost');
  const id = Buffer.from('portal-test-key-1');
  const { privateKey, publicKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
  // With the public key the fake verifies the key's ES256 signature too.
  const spki = publicKey.export({ format: 'der', type: 'spki' }).toString('base64url');
  await patchUser('carol', {
    two_factor: {
      methods: ['security_keys', 'authenticator_app'],
      default: 'security_keys',
      code: '654321',
      security_key: { credential_id: id.toString('base64url'), public_key: spki },
    },
  });
  const cdp = await context.newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: { protocol: 'ctap2', transport: 'usb', hasResidentKey: false, hasUserVerification: false, automaticPresenceSimulation: true },
  });
  await cdp.send('WebAuthn.addCredential', {
    authenticatorId,
    credential: {
      credentialId: id.toString('base64'),
      isResidentCredential: false,
      rpId: new URL(local).hostname,
      privateKey: privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64'),
      signCount: 0,
    },
  });
  await signIn(page, 'carol', { base: local, expectSuccess: false });
  await useKeyButton(page).waitFor();
  assert.equal(await methodBox(page, 'Security key').isChecked(), true, 'Zammad\'s default method is chosen');
  await useKeyButton(page).click();
  await listHeading(page).waitFor();

  const reqs = await requests();
  const init = reqs.find((r) => /two_factor_initiate_authentication\/security_keys$/.test(pathOf(r)));
  assert.equal(init?.status, 200, 'the WebAuthn options were not asked for');
  assert.ok(header(init, 'x-csrf-token'), 'the initiation needs the CSRF token');
  const done = reqs.filter(isSignin).at(-1);
  assert.equal(done.status, 201);
  assert.equal(done.body.two_factor_method, 'security_keys');
  assert.equal(done.body.two_factor_payload.credential.id, id.toString('base64url'));
  assert.ok(done.body.two_factor_payload.challenge, 'the challenge goes back with the assertion');
  assertSessionMode(reqs);
  const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
  assert.equal(credentials[0].signCount, 1, 'the key signed once');
}, zammadOnly);

it('zammad auth: wrong passwords end in the lockout message', async ({ page }) => {
  await page.goto(`${BASE}sign-in`);
  const mints = async () => (await requests()).filter(isTokenCreate).length;
  for (let i = 1; i <= 6; i++) {
    await signIn(page, 'alice', { navigate: false, password: `wrong-${i}`, expectSuccess: false });
    await eventually(async () => assert.equal(await mints(), i));
    await alert(page, i < 5 ? 'Sign-in failed. Please double-check' : 'locks the account').waitFor();
  }
  // Zammad locked the account after the sixth failure: now the right password is refused too.
  await signIn(page, 'alice', { navigate: false, expectSuccess: false });
  await eventually(async () => assert.equal(await mints(), 7));
  await alert(page, 'locks the account').waitFor();
  assert.equal(await signOutButton(page).count(), 0);
  assert.equal((await requests()).filter(isTokenCreate).at(-1).status, 401);
  assert.equal(await passwordBox(page).inputValue(), 'alice-demo', 'the form keeps what was typed');
}, zammadOnly);

it('zammad auth: an account locked during the two-factor step is named so', async ({ page }) => {
  await patchUser('alice', { two_factor_code: '123456' });
  await signIn(page, 'alice', { expectSuccess: false });
  await twoFactorBox(page).waitFor();
  // Someone else tries wrong passwords meanwhile (Basic auth counts them too).
  for (let i = 0; i < 6; i++) {
    const res = await fetch(new URL('api/v1/users/me', PORTAL_URL), {
      headers: { Accept: 'application/json', Authorization: `Basic ${Buffer.from(`alice:bad-${i}`).toString('base64')}` },
    });
    assert.equal(res.status, 401);
  }
  await twoFactorBox(page).fill('123456');
  await verifyButton(page).click();
  await alert(page, 'after too many failed sign-ins the help desk locks the account').waitFor();
  assert.equal(await signOutButton(page).count(), 0);
}, zammadOnly);

it('zammad auth: token settings fall back to the session sign-in', async ({ page }) => {
  await setSettings({ api_token_access: false });
  await signIn(page, 'alice');
  await listHeading(page).waitFor();
  const reqs = await requests();
  assert.equal(reqs.find(isTokenCreate)?.status, 422);
  assertSessionMode(reqs);
  await page.reload();
  await listHeading(page).waitFor();
}, zammadOnly);

it('zammad auth: with the session fallback off, each refusal names the setting to change', async ({ page }) => {
  await setFallback(false);
  const cases = [
    [() => setSettings({ api_token_access: false }), 'Settings → System → API → Token Access'],
    [() => setSettings({ api_token_access: true, api_password_access: false }), 'Settings → System → API → Password Access'],
    [async () => { await setSettings({ api_password_access: true }); await patchUser('alice', { token_access: false }); }, 'Roles → Customer → Token Access'],
    [async () => { await patchUser('alice', { token_access: true, two_factor_code: '123456' }); }, '"session_fallback": true'],
  ];
  for (const [arrange, text] of cases) {
    await arrange();
    await signIn(page, 'alice', { expectSuccess: false });
    await alert(page, text).waitFor();
    assert.equal(await signOutButton(page).count(), 0, text);
  }
  assert.equal((await requests()).filter(isSignin).length, 0, 'no session sign-in when the fallback is off');
  await signInButton(page).waitFor();
}, zammadOnly);

it("zammad auth: session mode never takes over someone else's Zammad session (an agent's, after a reload)", async ({ page, context }) => {
  const config = await currentConfig();
  config.zammad = { ...(config.zammad || {}), auth: 'session' };
  await putConfig(config);

  // An agent's session in the browser, and no sign-in of the portal's: the sign-in form, not Emma.
  await agentCookie(context);
  await page.goto(`${BASE}tickets`);
  await signInHeading(page).waitFor();
  assert.equal(await page.getByText('Emma Agent').count(), 0, "the agent's name is shown");

  // Alice signs in through the portal (her session replaces the agent's cookie)...
  await signIn(page, 'alice', { navigate: false });
  await listHeading(page).waitFor();
  await page.reload();
  await listHeading(page).waitFor();
  assert.equal(await page.getByText('Alice Anders').count() > 0, true, 'a reload keeps her own session');
  // The list's own requests finish under her session before the agent's cookie arrives (the
  // heading shows before the search is sent; on a slow machine the cookie could overtake it).
  await page.waitForLoadState('networkidle');

  // ...then the agent signs in to Zammad's own UI in the same browser: the portal does not adopt it.
  await agentCookie(context);
  await page.reload();
  await signInHeading(page).waitFor();
  assert.equal(await page.getByText('Emma Agent').count(), 0, "the agent's name is shown");
  const after = (await requests()).filter((r) => r.acted_as === 'emma@helpdesk.example' && !/\/signshow$/.test(pathOf(r)));
  assert.deepEqual(after.map((r) => `${r.method} ${pathOf(r)}`), [], 'the portal acted as the agent');
}, zammadOnly);
