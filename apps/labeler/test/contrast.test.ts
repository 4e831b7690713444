/**
 * The focus ring must stand out from what it is drawn on (WCAG 1.4.11: 3:1 for non-text contrast):
 * the ring is offset from the control, so it sits on the page background or a surface.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// jsdom gives this module an http: URL, so the file is found from the repository root (vitest's cwd).
const css = readFileSync(path.join(process.cwd(), 'apps/labeler/src/styles.css'), 'utf8');

function variable(name: string): string {
  const match = new RegExp(`--${name}:\\s*(#[0-9a-fA-F]{6})`).exec(css);
  if (!match) throw new Error(`--${name} is not a #rrggbb colour in styles.css`);
  return match[1];
}

function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

describe('colours', () => {
  it('draws the focus ring at 3:1 or more against the page, surfaces, code and warning backgrounds', () => {
    const focus = variable('focus');
    for (const background of ['bg', 'surface', 'code-bg', 'warning-bg', 'success-bg']) {
      expect(contrast(focus, variable(background)), `--focus on --${background}`).toBeGreaterThanOrEqual(3);
    }
  });

  it('computes contrast as WCAG does', () => {
    expect(contrast('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrast('#ffbf47', '#ffffff')).toBeLessThan(2); // the old focus colour
  });
});
