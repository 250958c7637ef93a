// DOMPurify's own test corpus (devserver/data/dompurify-corpus.json: all 223 payloads of
// cure53/DOMPurify test/fixtures/expect.mjs) as agent e-mails on both backends. It once crashed the
// portal (issue 15): DOM clobbering (`<form><input name=nodeType>`) fed the wasm bindings values of
// the wrong type, the wasm trapped, the message rendered blank and the portal stopped until a
// reload. Here: none of the payloads runs (with the Content-Security-Policy and without it), every
// article shows exactly the text that survives the whitelist (computed independently, in
// lib/hostile.mjs), nothing unsafe reaches the page, and the portal still works afterwards (a reply
// reaches the help desk, navigation works).
import assert from 'node:assert/strict';
import {
  DOMPURIFY,
  articles,
  assertBodiesClean,
  assertNothingRan,
  assertReplyRequest,
  dompurifySubject,
  eventually,
  isReplyTo,
  listHeading,
  markPage,
  myTicketsLink,
  newPage,
  replyBox,
  seedDompurify,
  sendReplyButton,
  sent,
  signIn,
  sleep,
  survivingTexts,
  ticketHeading,
  ticketLink,
  usePortal,
  watchExecution,
} from './lib/index.mjs';

const it = usePortal(import.meta);
const SLOW = { timeout: 240_000 };
const PAYLOADS = DOMPURIFY.payloads;

/**
 * The shown text with the portal's one documented rewrite undone: before parsing, every attribute
 * name starting with `on`, and `style`, gets an `x-` in front wherever a start tag could begin
 * (src/html/sanitize.rs `neutralize_inline`), also in look-alike tags inside attribute values, which
 * then show in an image's "[image not shown: …]" label.
 */
const undoNeutralized = (text) => text.replace(/x-(on[a-z]*|style)(?=[\s/>=]|$)/gi, '$1');

/**
 * What every article of the DOMPurify ticket shows: `{ subject, html, plain }` (the text of its
 * HTML body, or of its plain-text body; null where there is none).
 */
async function shownArticles(page) {
  return articles(page).evaluateAll((els) =>
    els.map((e) => ({
      subject: e.querySelector('.subject')?.textContent ?? '',
      html: e.querySelector('div[class~="body-html"]')?.textContent ?? null,
      plain: e.querySelector('div[class~="body-plain"]')?.textContent ?? null,
    })),
  );
}

async function dompurifyJourney(browser, page, context, what) {
  assert.equal(PAYLOADS.length, 223, 'the whole corpus');
  const seeded = await seedDompurify();
  assert.equal(seeded.payloads, PAYLOADS.length);
  const expected = await survivingTexts(browser, PAYLOADS.map((p) => p.payload));
  const seen = watchExecution(context);
  await signIn(page, 'alice');
  await markPage(page);

  // Into the ticket through the list, as a customer would (no reload: the document keeps its mark).
  await ticketLink(page, seeded.title).first().click();
  await ticketHeading(page, seeded.title).waitFor({ timeout: 30_000 });
  await eventually(async () => assert.equal(await articles(page).count(), PAYLOADS.length + 1), { timeout: 30_000 });
  // Let every image, refresh, focus trick and timer a payload could start have its chance.
  await page.mouse.move(300, 300);
  await page.keyboard.press('Tab');
  for (const y of [0, 3000, 10000, 30000, 100000]) {
    await page.evaluate((top) => window.scrollTo(0, top), y);
    await sleep(150);
  }
  await sleep(1000);
  await assertNothingRan(page, seen, `${what}, DOMPurify ticket`);
  await assertBodiesClean(page, `${what}, DOMPurify ticket`);

  // Every article is there, in order, and shows what survives sanitizing: no blank message, no
  // "could not be displayed", no text that the whitelist drops.
  const shown = (await shownArticles(page)).slice(1);
  const wrong = [];
  PAYLOADS.forEach((p, i) => {
    const got = shown[i];
    if (got?.subject !== dompurifySubject(p)) wrong.push(`${p.id}: article ${i + 1} is "${got?.subject}"`);
    else if (got.html === null && !(got.plain !== null && !got.plain.trim() && !expected[i].trim())) {
      // (Znuny: an HTML body of nothing but white space gives way to the article's text body.)
      wrong.push(`${p.id}: no HTML body (text body ${JSON.stringify(got.plain)}), expected ${JSON.stringify(expected[i])}`);
    } else if (got.html !== null && undoNeutralized(got.html) !== expected[i]) {
      wrong.push(`${p.id}: shows ${JSON.stringify(got.html)}, expected ${JSON.stringify(expected[i])}`);
    }
  });
  assert.deepEqual(wrong, [], `${what}: each article shows the text that survives sanitizing`);
  // The comparison has teeth: payloads with visible text show it.
  assert.ok(expected.filter((t) => t.trim()).length > 150, 'most payloads leave text to compare');
  assert.ok(shown.some((s) => s.html?.includes('I am a dolphin!')), 'a payload text shows');

  // The portal still works: a reply reaches the help desk and shows, navigation works.
  const text = `Still working after the DOMPurify corpus (${what})`;
  await replyBox(page).fill(text);
  await sendReplyButton(page).click();
  await articles(page).filter({ hasText: text }).waitFor({ timeout: 20_000 });
  const replies = await sent(isReplyTo(seeded.ticket));
  assert.equal(replies.length, 1, 'the reply was sent once');
  assertReplyRequest(replies[0], { text });
  await myTicketsLink(page).click();
  await listHeading(page).waitFor();
  await ticketLink(page, seeded.title).first().click();
  await ticketHeading(page, seeded.title).waitFor();
  await articles(page).filter({ hasText: text }).waitFor();
  await assertNothingRan(page, seen, `${what}, after the reply`);
}

it(
  'dompurify corpus: no payload runs, each article shows its surviving text, the portal keeps working (with the CSP)',
  async ({ browser, page, context }) => {
    await dompurifyJourney(browser, page, context, 'with CSP');
  },
  SLOW,
);

it(
  'dompurify corpus with the Content-Security-Policy bypassed: the sanitizer alone',
  async ({ browser, page }) => {
    const context = await browser.newContext({ bypassCSP: true, viewport: { width: 1280, height: 900 } });
    try {
      const bare = await newPage(browser, { context, trap: page.trap });
      await dompurifyJourney(browser, bare, context, 'CSP bypassed');
    } finally {
      await context.close();
    }
  },
  SLOW,
);

it('dompurify expected texts are computed, not assumed: clobbering payloads and dropped content', async ({ browser }) => {
  // The independent computation itself, on payloads whose outcome is known.
  const clobber = PAYLOADS.find((p) => p.payload.includes('name=nodeType'));
  const [dolphin, clobbered, script] = await survivingTexts(browser, [
    "123<a href='\u2028javascript:alert(1)'>I am a dolphin!</a>",
    clobber.payload,
    '<p>a<script>alert(1)</script>b<img src=x alt=" cat ">c<img src="https://x.example/p.png"></p>',
  ]);
  assert.equal(dolphin, '123I am a dolphin!');
  assert.equal(clobbered, '123', `${clobber.id}: the form is unwrapped, the input dropped`);
  assert.equal(script, 'ab[image not shown: cat]c');
  assert.equal(undoNeutralized('[image not shown: <img x-onerror=a x-style="b">]'), '[image not shown: <img onerror=a style="b">]');
});
