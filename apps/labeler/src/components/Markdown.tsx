/**
 * Renders untrusted model output. HTML in a response never becomes elements: it is shown as the
 * text it is (a labeler judging a response should see that it emitted `<script>`), rehype-sanitize
 * removes anything outside GitHub's safe schema before highlighting adds its class names, links open nothing on the page and images never load: they
 * show as their alt text and address, since a remote image would leak that the labeler is looking.
 */
import type { ComponentProps } from 'react';
import ReactMarkdown, { type Components } from 'react-markdown';
import rehypeHighlight from 'rehype-highlight';
import rehypeSanitize from 'rehype-sanitize';
import remarkGfm from 'remark-gfm';

const components: Components = {
  img: ({ alt, src }) => (
    <span className="md-image-placeholder" title="Images in responses are not loaded">
      [image{alt ? `: ${alt}` : ''}]{src ? ` (${String(src)})` : ''}
    </span>
  ),
  a: ({ href, children }) => (
    <a
      href={href && /^https?:\/\//i.test(href) ? href : undefined}
      target="_blank"
      rel="noopener noreferrer nofollow"
      className="md-link"
    >
      {children}
    </a>
  ),
  // A wide table scrolls sideways in its own box instead of squeezing its words apart; the box and a
  // long code block take focus, so keyboard users can scroll them too (axe: scrollable-region-focusable).
  table: ({ node: _node, ...props }) => (
    // eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex -- a scrollable box must be focusable
    <div className="md-table-scroll" tabIndex={0} role="group" aria-label="Table (scrolls sideways)">
      <table {...props} />
    </div>
  ),
  // eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex -- a scrollable box must be focusable
  pre: ({ node: _node, ...props }) => <pre {...props} tabIndex={0} />,
};

export interface MarkdownProps {
  readonly text: string;
  readonly className?: string;
}

export function Markdown({ text, className }: MarkdownProps) {
  return (
    <div className={['markdown', className].filter(Boolean).join(' ')}>
      <ReactMarkdown remarkPlugins={[remarkGfm]} rehypePlugins={rehypePlugins} components={components}>
        {text}
      </ReactMarkdown>
    </div>
  );
}

interface HastNode {
  type: string;
  value?: string;
  children?: HastNode[];
}

/** Turns raw HTML nodes into text nodes (react-markdown would otherwise drop them silently). */
function rawHtmlAsText() {
  const walk = (node: HastNode) => {
    node.children?.forEach((child, index, siblings) => {
      if (child.type === 'raw') siblings[index] = { type: 'text', value: child.value ?? '' };
      else walk(child);
    });
  };
  return (tree: HastNode) => walk(tree);
}

interface HastElement extends HastNode {
  tagName?: string;
  properties?: Record<string, unknown>;
}

/** Blocks whose direction follows their own first strong character (Arabic, Hebrew … read right to left). */
const AUTO_DIRECTION = new Set(['p', 'li', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'blockquote', 'th', 'td', 'dt', 'dd']);

/**
 * dir="auto" on every text block, so a right-to-left paragraph reads right to left beside a
 * left-to-right one; code stays left to right whatever its comments are written in.
 */
function autoDirection() {
  const walk = (node: HastElement) => {
    if (node.type === 'element' && node.tagName) {
      if (AUTO_DIRECTION.has(node.tagName)) node.properties = { ...node.properties, dir: 'auto' };
      else if (node.tagName === 'pre') node.properties = { ...node.properties, dir: 'ltr' };
    }
    node.children?.forEach(walk);
  };
  return (tree: HastElement) => walk(tree);
}

// Sanitise first, then highlight and set directions: those attributes are ours, not the response's.
const rehypePlugins: ComponentProps<typeof ReactMarkdown>['rehypePlugins'] = [
  rawHtmlAsText,
  rehypeSanitize,
  [rehypeHighlight, { detect: true, ignoreMissing: true }],
  autoDirection,
];
