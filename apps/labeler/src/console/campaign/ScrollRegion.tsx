import type { ReactNode } from 'react';

/**
 * A wide table's horizontal scroller. It is focusable and named, so keyboard users can scroll it
 * too (a scrollable region nobody can focus fails WCAG 2.1.1).
 */
export function ScrollRegion({
  label,
  className,
  children,
}: {
  label: string;
  className?: string;
  children: ReactNode;
}) {
  return (
    <div
      className={['table-scroll', className].filter(Boolean).join(' ')}
      role="region"
      aria-label={label}
      // eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex -- keyboard users scroll it by focusing it
      tabIndex={0}
    >
      {children}
    </div>
  );
}
