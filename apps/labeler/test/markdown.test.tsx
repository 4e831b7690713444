import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { Markdown } from '../src/components/Markdown';

describe('Markdown (untrusted model output)', () => {
  it('shows <script> and <img onerror> as inert text, creating no such elements', () => {
    const hostile = 'Hello <script>window.pwned = 1</script> and <img src=x onerror="window.pwned=2">';
    const { container } = render(<Markdown text={hostile} />);
    expect(container.querySelector('script')).toBeNull();
    expect(container.querySelector('img')).toBeNull();
    expect(container.textContent).toContain('<script>window.pwned = 1</script>');
    expect(container.textContent).toContain('<img src=x onerror="window.pwned=2">');
    expect((window as unknown as { pwned?: number }).pwned).toBeUndefined();
  });

  it('never loads a Markdown image: shows its alt text and address instead', () => {
    const { container } = render(<Markdown text="![a cat](https://tracker.example/cat.png)" />);
    expect(container.querySelector('img')).toBeNull();
    expect(screen.getByTitle('Images in responses are not loaded')).toHaveTextContent(
      '[image: a cat] (https://tracker.example/cat.png)',
    );
  });

  it('drops javascript: links but keeps http links, opening them away from the app', () => {
    const { container } = render(<Markdown text="[bad](javascript:alert(1)) and [good](https://example.com)" />);
    const links = [...container.querySelectorAll('a')];
    expect(links.map((a) => a.getAttribute('href'))).toEqual([null, 'https://example.com']);
    expect(links[1]).toHaveAttribute('rel', 'noopener noreferrer nofollow');
  });

  it('highlights fenced code and renders GitHub tables', () => {
    const text = '```python\ndef f(x):\n    return x + 1\n```\n\n| a | b |\n|---|---|\n| 1 | 2 |';
    const { container } = render(<Markdown text={text} />);
    const code = container.querySelector('pre code');
    expect(code).toHaveClass('language-python');
    expect(code?.querySelector('.hljs-keyword')).toHaveTextContent('def');
    expect(container.querySelector('table td')).toHaveTextContent('1');
  });

  it('gives every text block its own direction (dir="auto"), so right-to-left text reads right to left', () => {
    const text = [
      'مرحبا بالعالم، هذه فقرة.',
      '',
      'An English paragraph.',
      '',
      '- עברית ברשימה',
      '- a list item',
      '',
      '> اقتباس',
      '',
      '| عمود | column |',
      '|---|---|',
      '| خلية | cell |',
      '',
      '```js',
      '// تعليق',
      'const x = 1;',
      '```',
    ].join('\n');
    const { container } = render(<Markdown text={text} />);
    const blocks = container.querySelectorAll('p, li, blockquote, th, td');
    expect(blocks.length).toBeGreaterThanOrEqual(9);
    for (const block of blocks) expect(block).toHaveAttribute('dir', 'auto');
    expect(container.querySelector('pre')).toHaveAttribute('dir', 'ltr');
    // A response cannot set its own direction attributes on other elements.
    const { container: hostile } = render(<Markdown text={'<span dir="rtl">x</span>'} />);
    expect(hostile.querySelector('span[dir]')).toBeNull();
  });

  it('puts a table in a focusable sideways-scrolling box and makes code blocks focusable (they may scroll)', () => {
    const { container } = render(<Markdown text={'| a | b |\n|---|---|\n| 1 | 2 |\n\n```\nlong line\n```'} />);
    const box = container.querySelector('.md-table-scroll');
    expect(box).toHaveAttribute('tabindex', '0');
    expect(box?.querySelector('table')).not.toBeNull();
    expect(screen.getByRole('group', { name: 'Table (scrolls sideways)' })).toBe(box);
    expect(container.querySelector('pre')).toHaveAttribute('tabindex', '0');
  });
});
