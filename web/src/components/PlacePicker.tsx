// The place field: what the monitor types is the report's place, as written; suggestions from
// the gazetteer (GET /api/v1/places) may fill it and set the pin. Offline, or when the lookup
// fails, the field still works and says that suggestions need a connection.
import { useEffect, useId, useRef, useState } from 'react';
import type { KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, api, qs } from '../api/client.js';
import type { FieldError } from '../api/client.js';
import { Field } from './Form.js';

export interface PlaceSuggestion {
  readonly id?: string;
  readonly name: string;
  readonly country: string | null;
  readonly admin1: string | null;
  readonly admin2: string | null;
  readonly lat: number;
  readonly lon: number;
}

type Lookup = { readonly kind: 'idle' } | { readonly kind: 'loading' } | { readonly kind: 'done'; readonly items: readonly PlaceSuggestion[] } | { readonly kind: 'offline' } | { readonly kind: 'failed' };

const describe = (p: PlaceSuggestion) => [p.admin2, p.admin1, p.country].filter((x) => x && x !== p.name).join(', ');

export function PlacePicker({ value, onChange, onChoose, errors }: { value: string; onChange: (v: string) => void; onChoose: (p: PlaceSuggestion) => void; errors: readonly FieldError[] }) {
  const { t } = useTranslation();
  const listId = useId();
  const [lookup, setLookup] = useState<Lookup>({ kind: 'idle' });
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const chosen = useRef<string | null>(null);

  useEffect(() => {
    const q = value.trim();
    if (q.length < 2 || q === chosen.current) {
      setLookup({ kind: 'idle' });
      return undefined;
    }
    if (!navigator.onLine) {
      setLookup({ kind: 'offline' });
      return undefined;
    }
    const ctl = new AbortController();
    const timer = setTimeout(() => {
      setLookup({ kind: 'loading' });
      api<{ items: PlaceSuggestion[] }>(`/api/v1/places${qs({ q, limit: 6 })}`, { signal: ctl.signal }).then(
        (r) => {
          setLookup({ kind: 'done', items: r.items });
          setActive(-1);
          setOpen(true);
        },
        (e: unknown) => {
          if (e instanceof DOMException && e.name === 'AbortError') return;
          setLookup(e instanceof ApiError && e.code === 'NETWORK' ? { kind: 'offline' } : { kind: 'failed' });
        },
      );
    }, 250);
    return () => {
      clearTimeout(timer);
      ctl.abort();
    };
  }, [value]);

  const items = lookup.kind === 'done' ? lookup.items : [];
  const choose = (p: PlaceSuggestion) => {
    chosen.current = p.name;
    onChange(p.name);
    onChoose(p);
    setOpen(false);
  };
  const onKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (!open || items.length === 0) return;
    if (e.key === 'ArrowDown') setActive((i) => Math.min(items.length - 1, i + 1));
    else if (e.key === 'ArrowUp') setActive((i) => Math.max(0, i - 1));
    else if (e.key === 'Enter' && active >= 0) choose(items[active]!);
    else if (e.key === 'Escape') setOpen(false);
    else return;
    e.preventDefault();
  };

  return (
    <div className="place-picker">
      <Field label={t('report.place')} hint={t('report.placeHint')} errors={errors} required>
        <input
          type="text"
          dir="auto"
          autoComplete="off"
          role="combobox"
          aria-autocomplete="list"
          aria-expanded={open && items.length > 0}
          aria-controls={listId}
          aria-activedescendant={active >= 0 ? `${listId}-${active}` : undefined}
          value={value}
          onChange={(e) => {
            chosen.current = null;
            onChange(e.target.value);
          }}
          onKeyDown={onKey}
          data-testid="place-input"
        />
      </Field>
      <p className="small muted" role="status" data-testid="place-status">
        {lookup.kind === 'loading' && t('report.placeSearching')}
        {lookup.kind === 'offline' && t('report.placeOffline')}
        {lookup.kind === 'failed' && t('report.placeFailed')}
        {lookup.kind === 'done' && items.length === 0 && t('report.placeNoMatch')}
      </p>
      {open && items.length > 0 && (
        <ul id={listId} role="listbox" className="place-options" aria-label={t('report.placeSuggestions')} data-testid="place-options">
          {items.map((p, i) => (
            <li key={`${p.id ?? p.name}-${i}`} id={`${listId}-${i}`} role="option" aria-selected={i === active} className={i === active ? 'active' : undefined} onMouseDown={(e) => e.preventDefault()} onClick={() => choose(p)}>
              <bdi dir="auto">{p.name}</bdi>
              {describe(p) && (
                <span className="small muted">
                  {' · '}
                  <bdi dir="auto">{describe(p)}</bdi>
                </span>
              )}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
