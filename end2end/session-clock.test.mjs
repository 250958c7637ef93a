// Znuny ends every Generic Interface session two hours after sign-in, however active the customer
// is. The portal warns ahead of time and, once the time is up, asks for the password in place.
// The browser's clock is moved with `skewClock` (Date.now only; the portal's timers keep real time,
// so the warning shows at its next 20-second check). Playwright's `page.clock` fake timers cannot
// be used with this app: see README, "Time travel".
import assert from 'node:assert/strict';
import {
  USERS,
  isSignIn,
  listHeading,
  onlyOn,
  requests,
  sessionWarning,
  signIn,
  skewClock,
  skewableClock,
  ticketHeading,
  ticketLink,
  usePortal,
} from './lib/index.mjs';

const it = usePortal(import.meta);
const znunyOnly = { skip: onlyOn('znuny', 'Znuny ends sessions two hours after sign-in') };

it('warns ten minutes before the session ends, then asks for the password and carries on', async ({ page }) => {
  // The browser's clock, moved forward below; the fake Znuny keeps real time (its session would
  // still work: the portal must not use it past the 2 hours all the same).
  await skewableClock(page);
  await signIn(page, 'alice');
  await listHeading(page).waitFor();
  const warning = sessionWarning(page);
  assert.equal(await warning.count(), 0, 'no warning right after sign-in');

  await skewClock(page, (60 + 51) * 60_000);
  await warning.first().waitFor({ timeout: 30_000 });
  assert.match(await warning.first().innerText(), /in (9|10) minutes/);

  await skewClock(page, (120 + 1) * 60_000);
  await ticketLink(page, 'Printer on fire').first().click();
  const dialog = page.getByRole('dialog', { name: 'Your session has expired' });
  await dialog.waitFor();
  await dialog.getByLabel('Password', { exact: true }).fill(USERS.alice.password);
  await dialog.getByRole('button', { name: 'Continue', exact: true }).click();
  await ticketHeading(page, 'Printer on fire').waitFor();
  await dialog.waitFor({ state: 'hidden' });
  assert.equal((await requests()).filter(isSignIn).length, 2, 'a fresh session after the password');
  // A fresh session has two hours again (the warning goes at the next check).
  await warning.first().waitFor({ state: 'detached', timeout: 25_000 });
}, znunyOnly);
