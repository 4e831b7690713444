import { Markdown } from '../components/Markdown';

/** The campaign's guidelines (Markdown), shown while open; G or the toggle button opens and closes it. */
export function GuidelinesPanel({ guidelines, open }: { guidelines: string | undefined; open: boolean }) {
  return (
    <section id="guidelines-panel" className="guidelines card" aria-label="Guidelines" hidden={!open}>
      {guidelines?.trim() ? <Markdown text={guidelines} /> : <p className="muted">This campaign has no guidelines.</p>}
    </section>
  );
}
