// Colours as the browser computed them, and WCAG contrast, computed here independently of the
// portal's own Rust implementation.
import assert from 'node:assert/strict';

/** [r, g, b] of a computed `rgb(…)` / `rgba(…)` value. */
export function rgbOf(css) {
  const m = /^rgba?\((\d+),\s*(\d+),\s*(\d+)/.exec(css);
  assert.ok(m, `not an rgb() colour: ${css}`);
  return m.slice(1, 4).map(Number);
}

function luminance([r, g, b]) {
  const ch = (c) => {
    const v = c / 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * ch(r) + 0.7152 * ch(g) + 0.0722 * ch(b);
}

/** WCAG 2 contrast ratio of two computed colours (1 to 21). */
export function contrast(a, b) {
  const [x, y] = [luminance(rgbOf(a)), luminance(rgbOf(b))].sort((p, q) => q - p);
  return (x + 0.05) / (y + 0.05);
}

/**
 * The computed text colour of `locator` and the background it is drawn on (its own or the
 * nearest ancestor's non-transparent background).
 */
export async function textAndBackground(locator) {
  return locator.evaluate((el) => {
    const color = getComputedStyle(el).color;
    for (let e = el; e; e = e.parentElement) {
      const bg = getComputedStyle(e).backgroundColor;
      if (!/^rgba\(\d+, \d+, \d+, 0\)$/.test(bg) && bg !== 'transparent') return { color, background: bg };
    }
    return { color, background: 'rgb(255, 255, 255)' };
  });
}

/** Asserts WCAG AA (4.5:1) for the text of `locator` on its background. */
export async function assertReadable(locator, what) {
  const { color, background } = await textAndBackground(locator);
  const ratio = contrast(color, background);
  assert.ok(ratio >= 4.5, `${what}: ${color} on ${background} is ${ratio.toFixed(2)}:1, below 4.5:1`);
  return { color, background, ratio };
}

/** Asserts that `field` is drawn like `model` (the portal's form fields share one look): the
 * browser's default look of an input type the stylesheet forgot stands out, in dark mode most. */
export async function assertStyledLike(field, model, what) {
  const look = (l) =>
    l.evaluate((el) => {
      const s = getComputedStyle(el);
      return {
        background: s.backgroundColor, color: s.color, border: `${s.borderTopWidth} ${s.borderTopStyle} ${s.borderTopColor}`,
        radius: s.borderTopLeftRadius, padding: `${s.paddingTop} ${s.paddingLeft}`, font: `${s.fontSize} ${s.fontFamily}`,
      };
    });
  assert.deepEqual(await look(field), await look(model), `${what} is drawn unlike the other fields`);
}
