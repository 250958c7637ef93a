// axe-core in a page under the portal's own Content-Security-Policy (see a11y.test.mjs, which
// runs it on every screen in English and German; i18n-languages.test.mjs in the other languages).
import fs from 'node:fs/promises';

const AXE_SOURCE = await fs.readFile(new URL('../../node_modules/axe-core/axe.min.js', import.meta.url), 'utf8');
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'];

/**
 * Makes axe available in every document the page loads: an init script (DevTools'
 * Page.addScriptToEvaluateOnNewDocument), which CSP does not govern, so the portal itself still
 * runs under its real policy.
 */
export async function withAxe(page) {
  await page.addInitScript({ content: AXE_SOURCE });
}

/** axe's violations on the page as it is now, in light and dark mode, as readable lines. */
export async function axeViolations(page) {
  const problems = [];
  for (const colorScheme of ['light', 'dark']) {
    await page.emulateMedia({ colorScheme });
    // Switching themes fades colours (.15 s): judge the final colours, not a frame of the fade.
    await page.waitForFunction(() => document.getAnimations().every((a) => a.playState !== 'running'));
    const violations = await page.evaluate(async (tags) => {
      // eslint-disable-next-line no-undef
      const result = await axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
      return result.violations.map((v) => ({
        id: v.id,
        help: v.help,
        nodes: v.nodes.map((n) => `${n.target.join(' ')} — ${n.failureSummary.replace(/\s+/g, ' ')}`),
      }));
    }, AXE_TAGS);
    for (const v of violations) problems.push(`[${colorScheme}] ${v.id}: ${v.help}\n    ${v.nodes.join('\n    ')}`);
  }
  await page.emulateMedia({ colorScheme: 'light' });
  return problems;
}
