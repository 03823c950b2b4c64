// The versions view: one column per party and source, their claims aligned field by field, and
// the fields where they differ marked — in colour and in words, for readers who cannot see colour.
import { useTranslation } from 'react-i18next';
import type { Contest, ContestField, ContestGroup } from '../api/types.js';
import { useDirectory, useNames } from '../app/context.js';
import { canonicalField, orderGroups, valuesOf, voices } from '../lib/contest.js';
import { useFormat } from '../lib/format.js';
import { Grading, Name } from './Display.js';

export interface VersionsViewProps {
  readonly contest: Contest;
  /** Rows to leave out when no group states them (keeps the table short). */
  readonly hideSilent?: boolean;
}

export function VersionsView({ contest, hideSilent = true }: VersionsViewProps) {
  const { t } = useTranslation();
  const fields = hideSilent ? contest.fields.filter((f) => f.agreement !== 'silent') : contest.fields;
  const differ = contest.fields.filter((f) => f.agreement === 'differ');
  const groups = orderGroups(contest.groups);
  if (groups.length === 0) return <p className="state state-empty">{t('versions.noClaims')}</p>;
  return (
    <div className="versions">
      <p className="versions-summary" data-testid="versions-summary">
        {t('versions.summary', { count: groups.length })}{' '}
        {differ.length > 0 ? (
          <strong className="differ-text">{t('versions.differOn', { fields: differ.map((f) => t(`field.${canonicalField(f.field)}`, { defaultValue: f.field })).join(', ') })}</strong>
        ) : (
          t('versions.noDifferences')
        )}
      </p>
      <div className="table-scroll" role="region" aria-label={t('versions.tableLabel')} tabIndex={0}>
        <table className="versions-table">
          <caption className="sr-only">{t('versions.caption')}</caption>
          <thead>
            <tr>
              <th scope="col" className="field-col">
                {t('versions.field')}
              </th>
              {groups.map((g) => (
                <GroupHeader key={g.by} group={g} />
              ))}
            </tr>
          </thead>
          <tbody>
            {fields.map((f) => (
              <tr key={f.field} className={`agreement-${f.agreement}`} data-field={canonicalField(f.field)}>
                <th scope="row" className="field-col">
                  {t(`field.${canonicalField(f.field)}`, { defaultValue: f.field })}
                  <span className={`agreement-tag ${f.agreement}`}>{f.agreement === 'agree' && voices(f) === 1 ? t('versions.single') : t(`versions.${f.agreement}`)}</span>
                  {f.range && (f.range.low != null || f.range.high != null) && <RangeNote range={f.range} />}
                </th>
                {groups.map((g) => (
                  <td key={g.by} data-by={g.by} className={f.agreement === 'differ' && valuesOf(f, g.by).length > 0 ? 'cell-differ' : undefined}>
                    <Values field={f} by={g.by} />
                  </td>
                ))}
              </tr>
            ))}
            <tr className="evidence-row">
              <th scope="row" className="field-col">
                {t('versions.statement')}
              </th>
              {groups.map((g) => (
                <td key={g.by} data-by={g.by}>
                  {g.claims.map((c) => (
                    <div key={c.id} id={`claim-${c.id}`} className="claim-text">
                      {c.asserts.text && (
                        <p dir="auto" className="user-text">
                          {c.asserts.text}
                        </p>
                      )}
                      {(c.evidence ?? []).map((e, i) => (
                        <p key={i} dir="auto" className="user-text">
                          {e}
                        </p>
                      ))}
                      <p className="muted small">
                        <code dir="ltr">{c.id}</code>
                        {c.log_index != null && (
                          <>
                            {' · '}
                            {t('log.entryN', { n: c.log_index })}
                          </>
                        )}
                      </p>
                    </div>
                  ))}
                </td>
              ))}
            </tr>
          </tbody>
        </table>
      </div>
    </div>
  );
}

function GroupHeader({ group }: { group: ContestGroup }) {
  const { t } = useTranslation();
  const dir = useDirectory();
  const source = group.kind === 'source' ? dir.sources.get(group.by) : undefined;
  const bases = [...new Set(group.claims.map((c) => c.basis))];
  return (
    <th scope="col" data-by={group.by} className={`group-${group.kind}`}>
      <span className="group-name">
        <Name id={group.by} kind={group.kind === 'party' ? 'party' : 'source'} />
      </span>
      <span className={`badge kind-${group.kind}`}>{t(`versions.kind.${group.kind}`)}</span>
      {source && <Grading reliability={source.reliability} credibility={source.credibility} />}
      <span className="basis">{bases.map((b) => t(`basis.${b}`)).join(', ')}</span>
    </th>
  );
}

function RangeNote({ range }: { range: NonNullable<ContestField['range']> }) {
  const { t } = useTranslation();
  const f = useFormat();
  const n = (x: number | null | undefined) => (x == null ? '?' : f.num(x));
  return <span className="range-note">{t('versions.range', { low: n(range.low), high: n(range.high) })}</span>;
}

function Values({ field, by }: { field: ContestField; by: string }) {
  const { t } = useTranslation();
  const vs = valuesOf(field, by);
  if (vs.length === 0) {
    return (
      <span className="silent">
        <span aria-hidden="true">—</span>
        <span className="sr-only">{t('versions.notStated')}</span>
      </span>
    );
  }
  return (
    <>
      {vs.map((v, i) => (
        <div key={i}>
          <FieldValue field={canonicalField(field.field)} value={v} />
        </div>
      ))}
    </>
  );
}

/** One stated value, shown the way its field reads. */
export function FieldValue({ field, value }: { field: string; value: unknown }) {
  const { t } = useTranslation();
  const f = useFormat();
  const names = useNames();
  switch (field) {
    case 'perpetrator':
    case 'target':
    case 'denies':
    case 'facilitated_by': {
      if (typeof value === 'string') return <Name id={value} />;
      // The server folds a denial into the perpetrator field: { denies: actor }.
      const denies = (value as { denies?: unknown } | null)?.denies;
      if (typeof denies === 'string') {
        return (
          <span className="denial">
            {t('versions.deniesValue')} <Name id={denies} />
          </span>
        );
      }
      return <code>{JSON.stringify(value)}</code>;
    }
    case 'target_category':
      return <>{typeof value === 'string' ? t(`targetCategory.${value}`, { defaultValue: value }) : JSON.stringify(value)}</>;
    case 'fatalities':
    case 'civilian_fatalities': {
      const v = (value ?? {}) as { low?: number; best?: number; high?: number };
      const parts = [v.best !== undefined ? f.num(v.best) : null, v.low !== undefined || v.high !== undefined ? `(${v.low !== undefined ? f.num(v.low) : '?'}–${v.high !== undefined ? f.num(v.high) : '?'})` : null].filter(Boolean);
      return <span className="num">{parts.join(' ') || '?'}</span>;
    }
    case 'occurred': {
      const v = value as Record<string, string>;
      const text = v['local'] ?? (v['local_from'] ? `${v['local_from']} – ${v['local_to']}` : v['from'] ? `${v['from']} – ${v['to']}` : JSON.stringify(v));
      return (
        <code dir="ltr">
          {text}
          {v['zone'] ? ` (${v['zone']})` : ''}
        </code>
      );
    }
    case 'location': {
      const v = value as { place?: string; admin2?: string; admin1?: string; country?: string };
      return <bdi>{[v.place, v.admin2, v.admin1, v.country && names.name(v.country)].filter(Boolean).join(', ')}</bdi>;
    }
    default:
      return <bdi>{typeof value === 'string' ? value : JSON.stringify(value)}</bdi>;
  }
}
