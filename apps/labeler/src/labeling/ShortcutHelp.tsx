import { KeyHint } from './KeyHint';
import { SHORTCUTS } from './shortcuts';

/** Every shortcut of the comparison screen (from the same table that drives the keys). */
export function ShortcutHelp({ onClose }: { onClose(): void }) {
  return (
    <section className="shortcut-help card" aria-labelledby="shortcut-help-title">
      <h2 id="shortcut-help-title">Keyboard shortcuts</h2>
      <p className="muted">Shortcuts work anywhere on the page except while you type in a text box.</p>
      <table>
        <thead>
          <tr>
            <th scope="col">Keys</th>
            <th scope="col">Action</th>
          </tr>
        </thead>
        <tbody>
          {SHORTCUTS.map((shortcut) => (
            <tr key={shortcut.action}>
              <td>
                {/* The keys are read out here: this table is where they are explained. */}
                <span className="visually-hidden">{shortcut.label.join(' or ')}</span>
                <KeyHint action={shortcut.action} />
              </td>
              <td>{shortcut.description}</td>
            </tr>
          ))}
          <tr>
            <td>
              <kbd>Esc</kbd>
            </td>
            <td>Close this list</td>
          </tr>
        </tbody>
      </table>
      <button type="button" className="button" onClick={onClose}>
        Close shortcuts
      </button>
    </section>
  );
}
