/**
 * Both themes (light, and dark when the system asks for it) meet WCAG AA: 4.5:1 for text on the
 * backgrounds it is drawn on, 3:1 for the focus ring (WCAG 1.4.11, non-text contrast), which is
 * offset from the control and so sits on the page background or a surface.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// jsdom gives this module an http: URL, so the file is found from the repository root (vitest's cwd).
const css = readFileSync(path.join(process.cwd(), 'apps/labeler/src/styles.css'), 'utf8');

type Theme = Record<string, string>;

function variables(block: string): Theme {
  const theme: Theme = {};
  for (const match of block.matchAll(/--([a-z0-9-]+):\s*(#[0-9a-fA-F]{6})\s*;/g)) theme[match[1]] = match[2];
  return theme;
}

const lightBlock = /^:root\s*\{([^}]*)\}/m.exec(css)?.[1] ?? '';
const darkBlock = /@media \(prefers-color-scheme: dark\)\s*\{\s*:root\s*\{([^}]*)\}/.exec(css)?.[1] ?? '';
const light = variables(lightBlock);
// The dark block overrides what it names; anything else (sizes, radii) is shared.
const themes: [string, Theme][] = [
  ['light', light],
  ['dark', { ...light, ...variables(darkBlock) }],
];

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

/** Text colour → the backgrounds the stylesheets draw it on. */
const TEXT_PAIRS: [string, string[]][] = [
  ['text', ['bg', 'surface', 'code-bg', 'diff-del-bg', 'diff-ins-bg', 'info-bg']],
  ['muted', ['bg', 'surface', 'code-bg']],
  ['primary', ['bg', 'surface', 'info-bg']],
  ['primary-hover', ['surface', 'info-bg']],
  ['primary-text', ['primary', 'primary-hover']],
  ['danger', ['danger-bg', 'surface', 'bg']],
  ['warning', ['warning-bg', 'surface']],
  ['success', ['success-bg', 'surface']],
  ['accent', ['accent-bg']],
  ['hl-keyword', ['code-bg']],
  ['hl-string', ['code-bg']],
  ['hl-number', ['code-bg']],
  ['hl-comment', ['code-bg']],
  ['hl-title', ['code-bg']],
  ['hl-type', ['code-bg']],
];

describe.each(themes)('the %s theme', (_name, theme) => {
  const colour = (name: string) => {
    const value = theme[name];
    if (!value) throw new Error(`--${name} is not a #rrggbb colour in styles.css`);
    return value;
  };

  it('draws the focus ring at 3:1 or more against the page, surfaces, code and status backgrounds', () => {
    for (const background of ['bg', 'surface', 'code-bg', 'warning-bg', 'success-bg', 'danger-bg']) {
      expect(contrast(colour('focus'), colour(background)), `--focus on --${background}`).toBeGreaterThanOrEqual(3);
    }
  });

  it('draws text at 4.5:1 or more on every background it is used on', () => {
    for (const [text, backgrounds] of TEXT_PAIRS) {
      for (const background of backgrounds) {
        expect(contrast(colour(text), colour(background)), `--${text} on --${background}`).toBeGreaterThanOrEqual(4.5);
      }
    }
  });

  it('draws form control borders at 3:1 or more on surfaces', () => {
    expect(contrast(colour('control-border'), colour('surface'))).toBeGreaterThanOrEqual(3);
  });
});

describe('the stylesheet', () => {
  it('has a dark block that overrides every colour of the light one', () => {
    const dark = variables(darkBlock);
    expect(Object.keys(light).length).toBeGreaterThan(20);
    expect(Object.keys(light).filter((name) => !(name in dark))).toEqual([]);
  });

  it('computes contrast as WCAG does', () => {
    expect(contrast('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrast('#ffbf47', '#ffffff')).toBeLessThan(2); // the old focus colour
  });
});
