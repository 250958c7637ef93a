// Znuny web services differ per site: the portal's route table and path prefix come from
// config.json. Here: the older 6.x / OTRS 6 example web service (search is GET /Ticket, no
// logout route), reached under the /otrs/ script alias.
import assert from 'node:assert/strict';
import {
  currentConfig,
  expectListed,
  fakeTicket,
  header,
  listHeading,
  onlyOn,
  pathOf,
  putConfig,
  replyBox,
  requests,
  sendReplyButton,
  signIn,
  signInHeading,
  signOutButton,
  statusMessage,
  ticketHeading,
  ticketLink,
  usePortal,
} from './lib/index.mjs';

const it = usePortal(import.meta);

it('works with the 6.x route preset under /otrs/', async ({ page }) => {
  const config = await currentConfig();
  config.api_base = config.api_base.replace('/znuny/', '/otrs/');
  config.znuny = { ...config.znuny, routes: 'znuny6' };
  await putConfig(config);

  await signIn(page, 'alice');
  await listHeading(page).waitFor();
  await expectListed(page, [101, 105, 106, 102]);

  const searches = (await requests()).filter((r) => r.operation === 'TicketSearch');
  assert.ok(searches.length >= 1, 'the list was searched');
  for (const r of searches) {
    assert.equal(r.method, 'GET', 'table B searches with GET');
    assert.match(pathOf(r), /^\/otrs\/nph-genericinterface\.pl\/Webservice\/GenericTicketConnectorREST\/Ticket$/);
    // Parameters in the query string (arrays as repeated keys), the session only in the header.
    assert.match(r.query, /StateType=new&StateType=open/);
    assert.doesNotMatch(r.query, /SessionID/i);
    const sid = header(r, 'x-otrs-header-sessionid');
    assert.ok(sid, 'the SessionID travels in the header');
    assert.ok(!r.request_line.includes(sid), `the SessionID is in the URL: ${r.request_line}`);
  }

  await ticketLink(page, 'Printer on fire').first().click();
  await ticketHeading(page, 'Printer on fire').waitFor();
  await replyBox(page).fill('Sent through the 6.x routes.');
  await sendReplyButton(page).click();
  await statusMessage(page, 'Reply sent').waitFor();
  const stored = await fakeTicket(101);
  assert.equal(stored.articles.at(-1).body, 'Sent through the 6.x routes.');

  // Table B has no SessionDelete: signing out only forgets the session locally.
  await signOutButton(page).click();
  await signInHeading(page).waitFor();
  assert.equal((await requests()).filter((r) => r.method === 'DELETE').length, 0);
}, { skip: onlyOn('znuny', 'Znuny route presets'), reset: { znuny_routes: '6' } });
