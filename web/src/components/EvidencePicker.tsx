// Photos and files for a report. Each file is read and hashed on the phone when chosen; a JPEG
// loses its location (web/src/lib/exif.ts) unless the monitor ticks "keep the location", which
// applies to the files chosen after it. The bytes then wait in the queue with the report.
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Prepared } from '../lib/evidence-file.js';
import { prepareFile } from '../lib/evidence-file.js';
import { MAX_REPORT_EVIDENCE } from '../../../src/domain/monitors/web-report.js';

export type PickedFile = Extract<Prepared, { ok: true }>;

export function EvidencePicker({ files, onChange }: { files: readonly PickedFile[]; onChange: (f: PickedFile[]) => void }) {
  const { t } = useTranslation();
  const id = useId();
  const [keep, setKeep] = useState(false);
  const [busy, setBusy] = useState(false);
  const [problems, setProblems] = useState<string[]>([]);

  const add = async (list: FileList | null) => {
    setBusy(true);
    const out = [...files];
    const bad: string[] = [];
    for (const f of Array.from(list ?? [])) {
      if (out.length >= MAX_REPORT_EVIDENCE) {
        bad.push(t('report.fileTooMany', { count: MAX_REPORT_EVIDENCE }));
        break;
      }
      const p = prepareFile(f.name, f.type, new Uint8Array(await f.arrayBuffer()), keep);
      if (!p.ok) bad.push(t(`report.file_${p.reason}`, { name: f.name }));
      else if (!out.some((o) => o.file.sha256 === p.file.sha256)) out.push(p);
    }
    setProblems(bad);
    onChange(out);
    setBusy(false);
  };

  const note = (p: PickedFile) => (p.file.location_kept ? t('report.fileLocationKept') : !p.checked ? t('report.fileNotJpeg') : p.hadLocation ? t('report.fileLocationRemoved') : t('report.fileNoLocation'));

  return (
    <div className="field evidence-picker">
      <span className="label" id={id}>
        {t('report.files')}
      </span>
      <p className="hint" id={`${id}-hint`}>
        {t('report.filesHint')}
      </p>
      <label className="check">
        <input type="checkbox" checked={keep} onChange={(e) => setKeep(e.target.checked)} data-testid="keep-location" />
        {t('report.keepLocation')}
      </label>
      {/* The browser's own file button speaks the browser's language: ours speaks the page's. */}
      <input id={`${id}-input`} className="file-input" type="file" multiple accept="image/*,video/*,audio/*,application/pdf,text/plain" aria-describedby={`${id}-hint`} disabled={busy} onChange={(e) => void add(e.target.files).then(() => (e.target.value = ''))} data-testid="report-files" />
      <label htmlFor={`${id}-input`} className="button secondary file-button">
        {t('report.addFiles')}
      </label>
      {busy && (
        <p role="status" className="small">
          {t('report.fileReading')}
        </p>
      )}
      {problems.length > 0 && (
        <ul role="alert" className="field-errors">
          {problems.map((p, i) => (
            <li key={i} dir="auto">
              {p}
            </li>
          ))}
        </ul>
      )}
      {files.length > 0 && (
        <ul className="plain file-list" data-testid="report-file-list">
          {files.map((p) => (
            <li key={p.file.sha256} className="file-item">
              <span>
                <bdi dir="auto">{p.file.name}</bdi> — {note(p)}
                <br />
                <code className="small" dir="ltr" title={p.file.original_sha256}>
                  SHA-256 {p.file.original_sha256.slice(0, 16)}…
                </code>
              </span>
              <button type="button" className="button secondary small" onClick={() => onChange(files.filter((x) => x !== p))}>
                {t('report.removeFile')}
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
