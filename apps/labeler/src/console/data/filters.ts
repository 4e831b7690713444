/**
 * The data browser's filters as URL query parameters (a view can be shared by its address): the
 * page's URL parameters are exactly the API's, minus the cursor.
 */
export interface FilterDraft {
  labeler: string;
  model: string;
  agreement: string;
  skipped: string;
  minSeconds: string;
  maxSeconds: string;
  metaKey: string;
  metaValue: string;
  q: string;
}

const META = /^meta\.(.+)$/;

export function draftFromParams(params: URLSearchParams): FilterDraft {
  const meta = [...params.keys()].map((k) => META.exec(k)).find(Boolean);
  const seconds = (name: string) => {
    const ms = params.get(name);
    return ms === null || ms === '' ? '' : String(Number(ms) / 1000);
  };
  return {
    labeler: params.get('labeler') ?? '',
    model: params.get('model') ?? '',
    agreement: params.get('agreement') ?? '',
    skipped: params.get('skipped') ?? '',
    minSeconds: seconds('minTimeMs'),
    maxSeconds: seconds('maxTimeMs'),
    metaKey: meta?.[1] ?? '',
    metaValue: meta ? (params.get(meta[0]) ?? '') : '',
    q: params.get('q') ?? '',
  };
}

export function paramsFromDraft(draft: FilterDraft): URLSearchParams {
  const params = new URLSearchParams();
  const set = (name: string, value: string) => {
    if (value.trim() !== '') params.set(name, value.trim());
  };
  set('labeler', draft.labeler);
  set('model', draft.model);
  set('agreement', draft.agreement);
  set('skipped', draft.skipped);
  const ms = (s: string) => (s.trim() === '' || Number.isNaN(Number(s)) ? '' : String(Math.round(Number(s) * 1000)));
  set('minTimeMs', ms(draft.minSeconds));
  set('maxTimeMs', ms(draft.maxSeconds));
  if (draft.metaKey.trim() !== '') set(`meta.${draft.metaKey.trim()}`, draft.metaValue);
  set('q', draft.q);
  return params;
}

/** The URL's filter parameters for the API (known names and meta.* only, so a stray parameter is not sent). */
export function apiQuery(params: URLSearchParams): Record<string, string> {
  return Object.fromEntries(paramsFromDraft(draftFromParams(params)).entries());
}
