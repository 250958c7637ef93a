// Accessibility: axe-core (WCAG 2.0/2.1 A and AA plus best practices) on every screen and state,
// in English and German, light and dark mode, with zero violations; live regions for results and
// errors; no motion under "reduce motion".
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import {
  BASE,
  IS_ZAMMAD,
  IS_ZNUNY,
  LIST_ROUTE,
  SERVER_ERROR,
  USERS,
  alert,
  bulkTickets,
  closeButton,
  eventually,
  expireSession,
  fileInput,
  listHeading,
  nextPageButton,
  noTickets,
  onlyOn,
  openTicket,
  patchUser,
  reopenButton,
  replyBox,
  searchBox,
  sessionWarning,
  sendReplyButton,
  setZammadAuth,
  signIn,
  signInButton,
  signInHeading,
  signOutButton,
  skewClock,
  skewableClock,
  statusSelect,
  statusMessage,
  ticketHeading,
  ticketLink,
  ticketRoute,
  twoFactorBox,
  usePortal,
  verifyButton,
} from './lib/index.mjs';

const it = usePortal(import.meta);

const AXE_SOURCE = await fs.readFile(new URL('../node_modules/axe-core/axe.min.js', import.meta.url), 'utf8');
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'];

/**
 * Makes axe available in every document the page loads. The portal's Content-Security-Policy
 * allows no inline script, so `page.addScriptTag({content})` would be refused (and reported as a
 * CSP violation by the harness). An init script is handed to the browser over the DevTools
 * protocol (Page.addScriptToEvaluateOnNewDocument), which CSP does not govern; unlike
 * `bypassCSP: true` it leaves the policy in force for the portal itself, so the run still proves
 * the portal works under its real CSP (axe needs neither eval nor inline script).
 */
async function withAxe(page) {
  await page.addInitScript({ content: AXE_SOURCE });
}

/** Switches the portal's language the way the header's switcher does (it may sit behind a modal dialog). */
async function useLanguage(page, code) {
  await page.evaluate((c) => {
    const select = document.getElementById('language');
    select.value = c;
    select.dispatchEvent(new Event('change', { bubbles: true }));
  }, code);
  await page.waitForFunction((c) => document.documentElement.lang === c, code);
}

/**
 * Runs axe on the page as it is now, in both languages (German labels are longer and must still
 * fit, and `lang` must match the text) and in light and dark mode (`prefers-color-scheme`, which
 * style/main.css follows); fails listing every violated rule id with the offending nodes. Leaves
 * the page in English and light mode, as the test left it.
 */
async function assertAccessible(page, what) {
  const problems = [];
  for (const language of ['en', 'de']) {
    await useLanguage(page, language);
    for (const colorScheme of ['light', 'dark']) {
      await page.emulateMedia({ colorScheme });
      // Switching themes fades colours (.15 s): judge the final colours, not a frame of the fade.
      await page.waitForFunction(() => document.getAnimations().every((a) => a.playState !== 'running'));
      const violations = await page.evaluate(async (tags) => {
        // eslint-disable-next-line no-undef
        const result = await axe.run(document, {
          runOnly: { type: 'tag', values: tags },
          resultTypes: ['violations'],
        });
        return result.violations.map((v) => ({
          id: v.id,
          impact: v.impact,
          help: v.help,
          nodes: v.nodes.map((n) => `${n.target.join(' ')} — ${n.failureSummary.replace(/\s+/g, ' ')}`),
        }));
      }, AXE_TAGS);
      for (const v of violations) {
        problems.push(`[${language}, ${colorScheme}] ${v.id} (${v.impact}): ${v.help}\n    ${v.nodes.join('\n    ')}`);
      }
    }
  }
  await useLanguage(page, 'en');
  await page.emulateMedia({ colorScheme: 'light' });
  const ids = [...new Set(problems.map((p) => /\] (\S+)/.exec(p)[1]))];
  assert.equal(problems.length, 0, `${what}: axe violations ${ids.join(', ')}\n${problems.join('\n')}`);
}

it('sign-in: empty form, missing fields, wrong password', async ({ page }) => {
  await withAxe(page);
  await page.goto(`${BASE}sign-in`);
  await signInHeading(page).waitFor();
  await assertAccessible(page, 'sign-in (empty)');
  await signInButton(page).click();
  await alert(page).waitFor();
  await assertAccessible(page, 'sign-in (fields missing)');
  await signIn(page, 'alice', { password: 'wrong-password', expectSuccess: false });
  await alert(page).waitFor();
  await assertAccessible(page, 'sign-in (wrong password)');
});

it('sign-in: two-factor prompt', async ({ page }) => {
  await setZammadAuth('session');
  await patchUser('alice', { two_factor_code: '123456' });
  await withAxe(page);
  await signIn(page, 'alice', { expectSuccess: false });
  await twoFactorBox(page).waitFor();
  await assertAccessible(page, 'two-factor prompt');
  await twoFactorBox(page).fill('000000');
  await verifyButton(page).click();
  await alert(page).waitFor();
  await assertAccessible(page, 'two-factor prompt (wrong code)');
}, { skip: onlyOn('zammad', 'two-factor codes exist in Zammad session mode only') });

it('sign-in: two-factor prompt with a choice of methods', async ({ page }) => {
  await patchUser('alice', {
    two_factor: { methods: ['authenticator_app', 'security_keys'], code: '123456', recovery_codes: ['rc-1'], security_key: { credential_id: 'a2V5' } },
  });
  await withAxe(page);
  await signIn(page, 'alice', { expectSuccess: false });
  await twoFactorBox(page).waitFor();
  await assertAccessible(page, 'two-factor methods');
  await page.getByRole('radio', { name: 'Recovery code', exact: true }).check();
  await page.getByRole('textbox', { name: 'Recovery code', exact: true }).waitFor();
  await page.getByRole('radio', { name: 'Security key', exact: true }).check();
  await page.getByRole('button', { name: 'Use security key', exact: true }).waitFor();
  await assertAccessible(page, 'two-factor methods (security key)');
}, { skip: onlyOn('zammad', 'two-factor methods exist in Zammad only') });

it('ticket list: tickets, pager, no result, load error', async ({ page }) => {
  await bulkTickets('alice', 30);
  await withAxe(page);
  await signIn(page, 'alice');
  await listHeading(page).waitFor();
  await nextPageButton(page).waitFor();
  await assertAccessible(page, 'ticket list (with pager)');
  await searchBox(page).fill('no-such-ticket-anywhere');
  await searchBox(page).press('Enter');
  await noTickets(page).waitFor();
  await assertAccessible(page, 'ticket list (no result)');
  // A list not shown before (the 30-second view cache would answer a repeated one).
  await page.route(LIST_ROUTE, (route) => route.fulfill(SERVER_ERROR));
  await statusSelect(page).selectOption('closed');
  await page.getByRole('alert').filter({ has: page.getByRole('button', { name: 'Try again' }) }).first().waitFor({ timeout: 30_000 });
  await assertAccessible(page, 'ticket list (error)');
});

it('ticket page: articles, attachments, reply form with files, sent reply, refusal, error', async ({ page }) => {
  await withAxe(page);
  await signIn(page, 'alice');
  await openTicket(page, 101, { title: 'Printer on fire' });
  await page.getByRole('button', { name: /^Download / }).first().waitFor();
  await assertAccessible(page, 'ticket page');
  await fileInput(page).setInputFiles([{ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('notes') }]);
  await page.getByRole('button', { name: 'Remove notes.txt' }).waitFor();
  await replyBox(page).fill('Thanks, it is out now.');
  await assertAccessible(page, 'ticket page (reply with a file)');
  await sendReplyButton(page).click();
  await statusMessage(page, 'Reply sent').waitFor();
  await assertAccessible(page, 'ticket page (reply sent)');
  await sendReplyButton(page).click();
  await alert(page, /write your reply/).waitFor();
  await assertAccessible(page, 'ticket page (empty reply)');

  await openTicket(page, 103);
  await assertAccessible(page, 'closed ticket (follow-up refused)');

  await page.route(ticketRoute(102), (route) =>
    route.request().method() === 'GET' ? route.fulfill(SERVER_ERROR) : route.continue(),
  );
  await page.goto(`${BASE}tickets/102`);
  await page.getByRole('alert').filter({ has: page.getByRole('button', { name: 'Try again' }) }).first().waitFor({ timeout: 30_000 });
  await assertAccessible(page, 'ticket page (server error)');

  await page.goto(`${BASE}tickets/99999`);
  await page.getByRole('heading', { level: 1, name: 'Ticket not found' }).waitFor();
  await assertAccessible(page, 'ticket not found');
});

it('new ticket: empty form and field errors', async ({ page }) => {
  await withAxe(page);
  await signIn(page, 'alice');
  await page.goto(`${BASE}tickets/new`);
  await page.getByRole('heading', { level: 1, name: 'New ticket' }).waitFor();
  await assertAccessible(page, 'new ticket');
  await page.getByRole('button', { name: 'Submit ticket' }).click();
  await page.getByText('Please enter a subject.').waitFor();
  await assertAccessible(page, 'new ticket (field errors)');
});

it('page not found', async ({ page }) => {
  await withAxe(page);
  await signIn(page, 'alice');
  await page.goto(`${BASE}no/such/page`);
  await page.getByRole('heading', { level: 1, name: 'Page not found' }).waitFor();
  await assertAccessible(page, 'not found');
});

it('account: forgot password, sign-up and password change pages, with their messages', async ({ page }) => {
  await withAxe(page);
  const label = (name) => page.getByLabel(name, { exact: true });
  const button = (name) => page.getByRole('button', { name, exact: true });
  await page.goto(`${BASE}sign-in`);
  await page.getByRole('link', { name: 'Forgot password?', exact: true }).click();
  await page.getByRole('heading', { level: 1, name: 'Reset your password' }).waitFor();
  await button('Send link').click();
  await page.getByText('Please enter your email address or username.').waitFor();
  await assertAccessible(page, 'forgot password (field error)');
  await label('Email or username').fill('alice@example.com');
  await button('Send link').click();
  await statusMessage(page, 'If an account with this email address').waitFor();
  await assertAccessible(page, 'forgot password (sent)');

  await page.goto(`${BASE}sign-up`);
  await page.getByRole('heading', { level: 1, name: 'Create an account' }).waitFor();
  await label('Email').fill('nora.new@example.com');
  await label('Password').fill('short');
  await button('Create account').click();
  await page.getByText('The password must be at least 10 characters long.').waitFor();
  await assertAccessible(page, 'sign-up (password refused)');

  await signIn(page, 'alice');
  await page.getByRole('banner').getByRole('link', { name: 'Change password', exact: true }).click();
  await page.getByRole('heading', { level: 1, name: 'Change password' }).waitFor();
  await label('Current password').fill('wrong-password');
  await label('New password').fill('NewSecret42xy');
  await label('Repeat new password').fill('NewSecret42xy');
  await button('Change password').click();
  await page.getByText('The current password is not correct.').waitFor();
  await assertAccessible(page, 'password change (wrong current password)');
}, { skip: onlyOn('zammad', 'the account pages are Zammad\'s') });

it('session expired: the password dialog', async ({ page }) => {
  await withAxe(page);
  await signIn(page, 'alice');
  await listHeading(page).waitFor();
  await ticketLink(page, 'Printer on fire').first().waitFor();
  await expireSession();
  await ticketLink(page, 'Printer on fire').first().click();
  const dialog = page.getByRole('dialog', { name: 'Your session has expired' });
  await dialog.waitFor({ timeout: 20_000 });
  await assertAccessible(page, 'session-expired dialog');
  await dialog.getByRole('button', { name: 'Continue', exact: true }).click();
  await dialog.getByRole('alert').filter({ hasText: /password/i }).waitFor();
  await assertAccessible(page, 'session-expired dialog (no password)');
  await dialog.getByLabel('Password', { exact: true }).fill(USERS.alice.password);
  await dialog.getByRole('button', { name: 'Continue', exact: true }).click();
  await ticketHeading(page, 'Printer on fire').waitFor();
});

it('ticket closed confirmation, session warning (Znuny), signed-out notice', async ({ page }) => {
  await withAxe(page);
  await skewableClock(page);
  await signIn(page, 'alice');
  await openTicket(page, 101, { title: 'Printer on fire' });
  await closeButton(page).click();
  await statusMessage(page, 'Ticket closed').waitFor({ timeout: 20_000 });
  await reopenButton(page).waitFor();
  await assertAccessible(page, 'ticket page (closed confirmation)');
  if (IS_ZNUNY) {
    await skewClock(page, (60 + 51) * 60_000);
    await sessionWarning(page).waitFor({ timeout: 30_000 });
    await assertAccessible(page, 'session warning');
  }
  await signOutButton(page).click();
  await statusMessage(page, 'You have signed out').waitFor();
  await assertAccessible(page, 'sign-in (signed out)');
});

// ---- live regions ------------------------------------------------------------------------------

/**
 * Holds the requests matching `match(request)` until the returned `release()` is called, so that a
 * test can look at the page while it waits.
 */
async function hold(page, match) {
  let release;
  const released = new Promise((r) => {
    release = r;
  });
  let held = 0;
  await page.route(
    () => true,
    async (route) => {
      if (match(route.request())) {
        held++;
        await released;
      }
      await route.continue().catch(() => {});
    },
  );
  return { release: () => release(), held: () => held };
}

/** The role=status / role=alert element (or `aria-live` region) that contains `locator`. */
function liveRegionOf(locator) {
  return locator.evaluate((el) => {
    const region = el.closest('[role="status"], [role="alert"], [aria-live]');
    return region && { role: region.getAttribute('role'), live: region.getAttribute('aria-live') };
  });
}

it('async states are announced: loading and results in role=status, errors in role=alert', async ({ page }) => {
  // Sign-in: "Signing in…" while the help desk answers, the refusal as an alert.
  await page.goto(`${BASE}sign-in`);
  await signInHeading(page).waitFor();
  const signInHold = await hold(page, (r) => r.method() === 'POST');
  await signIn(page, 'alice', { password: 'wrong-password', navigate: false, expectSuccess: false });
  await statusMessage(page, 'Signing in').waitFor();
  signInHold.release();
  await page.getByRole('alert').filter({ hasText: /\S/ }).first().waitFor();
  await page.unrouteAll({ behavior: 'ignoreErrors' });

  // The list: one status region that stays in place says "Loading tickets…", then the result.
  // (The sign-in reads the first list page itself, under "Signing in…": the list's own loading
  // state shows when the list page reads, here after a reload.)
  await signIn(page, 'alice');
  await listHeading(page).waitFor();
  const listHold = await hold(page, (r) => LIST_ROUTE.test(r.url()));
  await page.reload();
  const region = page.getByRole('status').filter({ hasText: 'Loading tickets…' });
  await region.waitFor();
  const regionHandle = await region.elementHandle();
  listHold.release();
  await listHeading(page).waitFor();
  await eventually(async () =>
    assert.match(await regionHandle.evaluate((el) => (el.isConnected ? el.textContent : 'removed')), /^\d+ tickets? found\.$/),
  );
  await page.unrouteAll({ behavior: 'ignoreErrors' });
  await searchBox(page).fill('no-such-ticket-anywhere');
  await searchBox(page).press('Enter');
  await noTickets(page).waitFor();
  await eventually(async () => assert.equal(await regionHandle.evaluate((el) => el.textContent), '0 tickets found.'));
  assert.ok(await regionHandle.evaluate((el) => el.isConnected), 'the status region was rebuilt instead of updated');

  // A list that cannot be loaded: an alert with "Try again".
  await page.route(LIST_ROUTE, (route) => route.fulfill(SERVER_ERROR));
  await statusSelect(page).selectOption('closed');
  await page.getByRole('alert').filter({ has: page.getByRole('button', { name: 'Try again' }) }).first().waitFor({ timeout: 30_000 });
  await page.unrouteAll({ behavior: 'ignoreErrors' });

  // Ticket page: "Reply sent." in a status region, a failed reply and an empty one as alerts.
  await openTicket(page, 101, { title: 'Printer on fire' });
  await replyBox(page).fill('Announced?');
  await sendReplyButton(page).click();
  const sent = statusMessage(page, 'Reply sent');
  await sent.waitFor({ timeout: 20_000 });
  assert.deepEqual(await liveRegionOf(sent), { role: 'status', live: null });
  await sendReplyButton(page).click();
  const empty = alert(page, 'Please write your reply first.');
  await empty.waitFor();
  assert.equal((await liveRegionOf(empty)).role, 'alert');
  await page.route(ticketRoute(101), (route) =>
    route.request().method() === 'GET' ? route.continue() : route.fulfill(SERVER_ERROR),
  );
  await replyBox(page).fill('This one fails.');
  await sendReplyButton(page).click();
  await page.getByRole('alert').filter({ hasNotText: 'Please write' }).filter({ hasText: /\S/ }).first().waitFor({ timeout: 30_000 });
  await page.unrouteAll({ behavior: 'ignoreErrors' });

  // New ticket: field errors are tied to their fields and focus goes to the first one; a failed
  // submission is an alert.
  await page.goto(`${BASE}tickets/new`);
  const subject = page.getByRole('textbox', { name: 'Subject', exact: true });
  await subject.waitFor();
  await page.getByRole('button', { name: 'Submit ticket' }).click();
  await eventually(async () => {
    const state = await subject.evaluate((el) => ({
      focused: el === document.activeElement,
      invalid: el.getAttribute('aria-invalid'),
      description: document.getElementById(el.getAttribute('aria-describedby'))?.textContent,
    }));
    assert.deepEqual(state, { focused: true, invalid: 'true', description: 'Please enter a subject.' });
  });
  await page.route(IS_ZAMMAD ? /\/api\/v1\/tickets(\?|$)/ : /\/Ticket(\?|$)/, (route) =>
    route.request().method() === 'POST' ? route.fulfill(SERVER_ERROR) : route.continue(),
  );
  await subject.fill('Will not arrive');
  await page.getByRole('textbox', { name: 'Message', exact: true }).fill('Because the help desk fails.');
  await page.getByRole('button', { name: 'Submit ticket' }).click();
  await page.getByRole('alert').filter({ hasText: /\S/ }).first().waitFor({ timeout: 30_000 });
});

// ---- reduced motion ----------------------------------------------------------------------------

/** Every element (and ::before / ::after) whose computed style moves: transitions or animations. */
function movingElements(page) {
  return page.evaluate(() => {
    const moving = [];
    const seconds = (list) => Math.max(...list.split(',').map((v) => parseFloat(v) || 0));
    for (const el of document.querySelectorAll('*')) {
      for (const pseudo of [null, '::before', '::after']) {
        const s = getComputedStyle(el, pseudo);
        const transition = seconds(s.transitionDuration) + seconds(s.transitionDelay) > 0;
        const animation = s.animationName !== 'none' && seconds(s.animationDuration) > 0;
        if (transition || animation) {
          moving.push(`${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}.${[...el.classList].join('.')}${pseudo ?? ''}: transition ${s.transitionDuration}, animation ${s.animationName} ${s.animationDuration}`);
        }
      }
    }
    return moving;
  });
}

/**
 * A probe that asks for a transition and an animation through inline style (CSSOM, allowed by the
 * CSP); returns its computed durations. The portal's reduced-motion rule must win over it.
 */
function probeMotion(page) {
  return page.evaluate(() => {
    const probe = document.createElement('div');
    probe.style.transition = 'opacity 0.4s ease';
    probe.style.animation = 'e2e-probe 0.4s infinite';
    document.getElementById('main').append(probe);
    const s = getComputedStyle(probe);
    const result = { transition: s.transitionDuration, animation: s.animationName };
    probe.remove();
    return result;
  });
}

it('reduced motion: no transition or animation is left under prefers-reduced-motion: reduce', async ({ page }) => {
  await signIn(page, 'alice');
  await listHeading(page).waitFor();
  await page.emulateMedia({ reducedMotion: 'no-preference' });
  assert.deepEqual(await probeMotion(page), { transition: '0.4s', animation: 'e2e-probe' }, 'the probe itself does not move');
  const views = [
    ['list', async () => {
      await page.goto(`${BASE}tickets`);
      await listHeading(page).waitFor();
    }],
    ['ticket', () => openTicket(page, 101, { title: 'Printer on fire' })],
    ['new ticket', async () => {
      await page.goto(`${BASE}tickets/new`);
      await page.getByRole('heading', { level: 1, name: 'New ticket' }).waitFor();
    }],
  ];
  for (const [name, open] of views) {
    await page.emulateMedia({ reducedMotion: 'no-preference' });
    await open();
    const animated = await movingElements(page);
    for (const colorScheme of ['light', 'dark']) {
      await page.emulateMedia({ reducedMotion: 'reduce', colorScheme });
      assert.deepEqual(await movingElements(page), [], `${name} (${colorScheme}) still moves under reduce; without it: ${animated.join('; ') || 'nothing'}`);
      assert.deepEqual(await probeMotion(page), { transition: '0s', animation: 'none' }, `${name}: the reduced-motion rule does not apply`);
    }
  }
});
