import type { ImportLineError } from '@borda/api-contract';
import { useEffect, useState } from 'react';
import { readLineExcerpts } from './line-excerpts';

const EMPTY: ReadonlyMap<number, string> = new Map();

/**
 * The text of the lines that `errors` name, read from the file the user chose (the server sends
 * line numbers, not content). Until a read finishes the map is empty; a newer file or error list
 * replaces an older read's answer, never the other way round.
 */
export function useLineExcerpts(
  file: File | null,
  errors: readonly ImportLineError[] | undefined,
): ReadonlyMap<number, string> {
  const [state, setState] = useState<{ errors: readonly ImportLineError[]; excerpts: ReadonlyMap<number, string> }>();

  useEffect(() => {
    if (!file || !errors || errors.length === 0) return;
    let current = true;
    // Every listed line (the server lists at most 1,000), so "Show all" needs no second read.
    const lines = errors.map((e) => e.line);
    readLineExcerpts(file, lines)
      .then((excerpts) => {
        if (current) setState({ errors, excerpts });
      })
      .catch(() => {
        // An unreadable file (moved, changed on disk) only costs the excerpts; the table still shows.
        if (current) setState({ errors, excerpts: EMPTY });
      });
    return () => {
      current = false;
    };
  }, [file, errors]);

  return state && state.errors === errors ? state.excerpts : EMPTY;
}
