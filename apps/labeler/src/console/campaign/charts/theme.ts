/** Chart colours: the app's palette (AA contrast on white), and a dash pattern wherever colour alone would carry meaning. */
export const CHART = {
  primary: '#1f5fbf',
  secondary: '#b35c00',
  tertiary: '#6a3d9a',
  danger: '#b3261e',
  success: '#1e6b34',
  muted: '#4d5661',
  grid: '#dde2e8',
  reference: '#4d5661',
  dash: '6 4',
} as const;

export const CHART_MARGIN = { top: 8, right: 8, bottom: 8, left: 0 };

// Every chart here also passes accessibilityLayer={false}: ChartFigure hides the drawing from
// assistive technology and gives its numbers as a table, and recharts' keyboard layer would put a
// focusable element inside aria-hidden (axe: aria-hidden-focus), a Tab stop that announces nothing.
