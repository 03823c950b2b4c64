// @vitest-environment jsdom
// The forms added with the review queue and early warning: a verification task's outcome and a
// remedy's progress (src/domain/allegation.ts schemas), a party's answer to a joint-definition
// proposal (src/domain/threat/types.ts ResponseInput), the extraction panel, and a candidate
// link's decisions. Each validates in the browser and shows the server's field errors.
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import fc from 'fast-check';
import { createElement } from 'react';
import type { ComponentType } from 'react';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ProposalView } from '../../web/src/api/types.js';
import type { QueuedLink } from '../../web/src/lib/review.js';
import { ExtractForm, linkActionPath, linkActions, segments } from '../../web/src/lib/review.js';
import { fakeServer } from './fake-server.js';
import type { ClientModule, ContextModule, I18nModule } from './load.js';
import { el, loadWeb, text } from './load.js';

type FormProps = { allegationId: string; onDone: () => void };
let TaskOutcomeForm: ComponentType<FormProps & { taskId: string }>;
let RemedyProgressForm: ComponentType<FormProps & { remedyId: string; current?: string }>;
let ProposalResponseForm: ComponentType<{ proposal: ProposalView; party: string; onDone: () => void }>;
let ExtractPanel: ComponentType;
let LinkItem: ComponentType<{ link: QueuedLink; onDecided: () => void }>;
let i18n: I18nModule;
let ctx: ContextModule;

beforeAll(async () => {
  i18n = await loadWeb<I18nModule>('i18n/index.ts');
  i18n.initI18n();
  ({ TaskOutcomeForm, RemedyProgressForm } = await loadWeb<{ TaskOutcomeForm: typeof TaskOutcomeForm; RemedyProgressForm: typeof RemedyProgressForm }>('components/AllegationForms.tsx'));
  ({ ProposalResponseForm } = await loadWeb<{ ProposalResponseForm: typeof ProposalResponseForm }>('components/ProposalResponseForm.tsx'));
  ({ ExtractPanel, LinkItem } = await loadWeb<{ ExtractPanel: typeof ExtractPanel; LinkItem: typeof LinkItem }>('pages/ReviewQueue.tsx'));
  ctx = await loadWeb<ContextModule>('app/context.tsx');
  (await loadWeb<ClientModule>('api/client.ts')).setCsrfToken('csrf-9');
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  i18n.changeLanguage('en');
});

const field = (label: RegExp) => screen.getByLabelText(label);
const invalid = (label: RegExp) => el(field(label)).getAttribute('aria-invalid') === 'true';

describe('verification task outcome', () => {
  it('refuses an empty outcome in the browser, without sending anything', async () => {
    const sent = fakeServer();
    render(createElement(TaskOutcomeForm, { allegationId: 'ALG-1', taskId: 'ALG-1.task1', onDone: vi.fn() }));
    fireEvent.click(screen.getByRole('button', { name: 'Record the outcome' }));
    await screen.findByText('Please correct 1 field.');
    expect(invalid(/What the task found/)).toBe(true);
    expect(sent).toEqual([]);
  });

  it('posts to the task’s outcome route, evidence one item per line, and shows the server’s refusal', async () => {
    const sent = fakeServer(
      { status: 409, body: { error: { code: 'ILLEGAL_TRANSITION', message: 'task ALG-1.task1 already has an outcome', fields: [] } } },
      { status: 201, body: { id: 'ALG-1' } },
    );
    const onDone = vi.fn();
    render(createElement(TaskOutcomeForm, { allegationId: 'ALG-1', taskId: 'ALG-1.task1', onDone }));
    fireEvent.change(field(/What the task found/), { target: { value: ' Craters consistent with an air strike. ' } });
    fireEvent.change(field(/Evidence/), { target: { value: 'photo hash 1\n\nphoto hash 2' } });
    fireEvent.click(screen.getByRole('button', { name: 'Record the outcome' }));
    await screen.findByText(/already has an outcome/);
    expect(onDone).not.toHaveBeenCalled();
    expect(sent[0]).toMatchObject({ url: '/api/v1/allegations/ALG-1/tasks/ALG-1.task1/outcome', method: 'POST', body: { outcome: 'Craters consistent with an air strike.', evidence: ['photo hash 1', 'photo hash 2'] } });
    expect(sent[0]!.headers['x-csrf-token']).toBe('csrf-9');
    fireEvent.click(screen.getByRole('button', { name: 'Record the outcome' }));
    await screen.findByText('Recorded.');
    expect(onDone).toHaveBeenCalledTimes(1);
  });
});

describe('remedy progress', () => {
  it('needs a status; offers every status but the current one', async () => {
    const sent = fakeServer();
    render(createElement(RemedyProgressForm, { allegationId: 'ALG-1', remedyId: 'ALG-1.rem1', current: 'agreed', onDone: vi.fn() }));
    const options = [...(field(/Status now/) as HTMLSelectElement).options].map((o) => o.value);
    expect(options).toEqual(['', 'in_progress', 'completed', 'not_carried_out']);
    fireEvent.click(screen.getByRole('button', { name: 'Record the progress' }));
    await screen.findByText('Please correct 1 field.');
    expect(invalid(/Status now/)).toBe(true);
    expect(sent).toEqual([]);
  });

  it('shows a field error the server returns at the field it names', async () => {
    const sent = fakeServer({ status: 400, body: { error: { code: 'VALIDATION_FAILED', message: 'the progress is not valid', fields: [{ path: '/text', code: 'too_big', message: 'is longer than 5000 characters' }] } } });
    render(createElement(RemedyProgressForm, { allegationId: 'ALG-1', remedyId: 'ALG-1.rem1', onDone: vi.fn() }));
    fireEvent.change(field(/Status now/), { target: { value: 'in_progress' } });
    fireEvent.change(field(/Notes/), { target: { value: 'Compensation paid to two of five families.' } });
    fireEvent.click(screen.getByRole('button', { name: 'Record the progress' }));
    await screen.findByText('is longer than 5000 characters');
    expect(invalid(/Notes/)).toBe(true);
    expect(sent[0]).toMatchObject({ url: '/api/v1/allegations/ALG-1/remedies/ALG-1.rem1/progress', body: { status: 'in_progress', text: 'Compensation paid to two of five families.' } });
  });
});

const PROPOSAL: ProposalView = {
  id: 'PROP-1',
  title: 'Groups for joint action',
  criteria: 'Attacks across the border',
  parties: ['PAK', 'AFG'],
  proposed_by: 'mediator1',
  recorded_at: '2025-10-20T00:00:00Z',
  log_index: 7,
  state: 'open',
  items: [
    { actor: 'TTP', status: 'pending', decisions: {} },
    { actor: 'ISKP', status: 'pending', decisions: {} },
  ],
  agreed_list: [],
  annexes: [],
} as unknown as ProposalView;

function showResponse(onDone = vi.fn()) {
  const directory = { actors: new Map([['TTP', { id: 'TTP', names: [{ name: 'Tehrik-i-Taliban Pakistan', lang: 'en' }], controlled_by: null }], ['ISKP', { id: 'ISKP', names: [{ name: 'ISKP', lang: 'en' }], controlled_by: null }]]), parties: new Map([['AFG', { id: 'AFG', name: 'Afghanistan', kind: 'de_facto_authority' }]]) };
  render(createElement(ctx.StaticDirectory, { value: directory }, createElement(ProposalResponseForm, { proposal: PROPOSAL, party: 'AFG', onDone })));
  return onDone;
}

describe('proposal response', () => {
  it('refuses an answer that answers nothing, without sending it', async () => {
    const sent = fakeServer();
    showResponse();
    fireEvent.click(screen.getByRole('button', { name: 'Send the answer' }));
    await screen.findByText('Please correct 1 field.');
    expect(sent).toEqual([]);
  });

  it('asks for a reason with each decision, at that group', async () => {
    const sent = fakeServer();
    showResponse();
    const isk = within(screen.getByRole('group', { name: 'ISKP' }));
    fireEvent.click(isk.getByLabelText('Reject'));
    fireEvent.click(screen.getByRole('button', { name: 'Send the answer' }));
    await screen.findByText('Please correct 1 field.');
    expect(el(isk.getByLabelText(/Reason/)).getAttribute('aria-invalid')).toBe('true');
    expect(el(within(screen.getByRole('group', { name: 'Tehrik-i-Taliban Pakistan' })).getByLabelText(/Reason/)).getAttribute('aria-invalid')).toBeNull();
    expect(sent).toEqual([]);
  });

  it('sends only the answered groups for its party, and maps the server’s item errors back to the right group', async () => {
    const sent = fakeServer(
      { status: 400, body: { error: { code: 'VALIDATION_FAILED', message: 'the response is not valid', fields: [{ path: '/items/0/reason', code: 'too_vague', message: 'name the attacks you mean' }] } } },
      { status: 201, body: PROPOSAL },
    );
    const onDone = showResponse();
    const isk = within(screen.getByRole('group', { name: 'ISKP' }));
    fireEvent.click(isk.getByLabelText('Accept'));
    fireEvent.change(isk.getByLabelText(/Reason/), { target: { value: 'Attacks on both sides.' } });
    fireEvent.click(screen.getByRole('button', { name: 'Send the answer' }));
    // Item 0 of the body is ISKP (TTP was left blank): the error shows at ISKP's reason.
    await screen.findByText('name the attacks you mean');
    expect(el(isk.getByLabelText(/Reason/)).getAttribute('aria-invalid')).toBe('true');
    expect(sent[0]).toMatchObject({ url: '/api/v1/threat/proposals/PROP-1/responses', body: { by: 'AFG', items: [{ actor: 'ISKP', decision: 'accept', reason: 'Attacks on both sides.' }] } });
    fireEvent.click(screen.getByRole('button', { name: 'Send the answer' }));
    await screen.findByText('Recorded.');
    expect(onDone).toHaveBeenCalledTimes(1);
  });
});

describe('extraction panel', () => {
  const TEXT = 'Aircraft struck Urgun on Friday evening. Later the sides agreed to a ceasefire in Doha.';
  const span = (part: string) => ({ start: TEXT.indexOf(part), end: TEXT.indexOf(part) + part.length, text: part });

  it('checks the text and the publication date before asking the server', async () => {
    const sent = fakeServer();
    render(createElement(ExtractPanel));
    fireEvent.click(screen.getByRole('button', { name: 'Find candidates' }));
    await screen.findByText(/^Please correct \d+ fields\.$/);
    expect(invalid(/^Text/)).toBe(true);
    expect(invalid(/Publication date/)).toBe(true);
    expect(sent).toEqual([]);
  });

  it('highlights each candidate’s passage in the text and lists the candidates with their link suggestion', async () => {
    const incident = { kind: 'incident', text_span: span('Aircraft struck Urgun on Friday evening.'), occurred: { from: '2025-10-17T13:00:00Z', to: '2025-10-17T19:00:00Z', stated: 'Friday evening' }, location: { name: 'Urgun', country: 'AFG', admin1: 'Paktika', admin2: 'Urgun', lat: 32.9, lon: 69.2 }, event_type: 'Explosions/Remote violence', sub_event_type: 'Air/drone strike', actors: { perpetrator: null, target: null }, target_category: 'unknown', fatalities: [], hedging: 'reported', confidence: 0.6 };
    const agreement = { kind: 'agreement', text_span: span('the sides agreed to a ceasefire in Doha.'), occurred: { from: null, to: null, stated: null }, parties: [], mediators: [], terms: ['ceasefire'] };
    const link = { incident: 'INC-20251017-URGUN', decision: 'queued', score: 0.66, explanation: 'times overlap; same district', alternatives: [] };
    const sent = fakeServer({ status: 200, body: { incidents: [incident], agreements: [agreement], links: [link] } });
    render(createElement(ExtractPanel));
    fireEvent.change(field(/^Text/), { target: { value: TEXT } });
    fireEvent.change(field(/Publication date/), { target: { value: '2025-10-19' } });
    fireEvent.click(screen.getByRole('button', { name: 'Find candidates' }));
    await screen.findByTestId('extract-result');
    expect(sent[0]).toMatchObject({ url: '/api/v1/extract', method: 'POST', body: { text: TEXT, published: '2025-10-19' } });
    const marks = el(screen.getByTestId('highlighted-text')).querySelectorAll('mark');
    expect(marks.length).toBe(2);
    expect(text(marks[0]!)).toContain('Aircraft struck Urgun on Friday evening.');
    expect(text(marks[1]!)).toContain('the sides agreed to a ceasefire in Doha.');
    // The grey zone says plainly that a person decides.
    expect(text(screen.getByTestId('incident-candidate'))).toContain('Unclear: a person should decide');
    expect(text(screen.getByTestId('agreement-candidate'))).toContain('ceasefire');
  });

  it('says so when the text holds no candidate', async () => {
    fakeServer({ status: 200, body: { incidents: [], agreements: [], links: [] } });
    render(createElement(ExtractPanel));
    fireEvent.change(field(/^Text/), { target: { value: 'The weather was fine.' } });
    fireEvent.change(field(/Publication date/), { target: { value: '2025-10-19' } });
    fireEvent.click(screen.getByRole('button', { name: 'Find candidates' }));
    expect(text(await screen.findByTestId('extract-result'))).toContain('No incidents or agreements were found');
  });
});

describe('a candidate link', () => {
  const LINK: QueuedLink = { id: 'RPT-1.link1', report_id: 'RPT-1', incident_id: 'INC-20251017-URGUN', score: 0.82, explanation: 'times overlap; 0.3 km apart', status: 'candidate', decided_by: null, recorded_at: '2025-10-18T00:00:00Z' };

  it('shows its score and reasons; "reject" undoes the candidate on the server', async () => {
    const sent = fakeServer({ status: 200, body: { id: LINK.id, status: 'undone' } });
    const onDecided = vi.fn();
    render(createElement('ul', null, createElement(LinkItem, { link: LINK, onDecided })));
    expect(text(screen.getByRole('listitem'))).toContain('82%');
    expect(text(screen.getByRole('listitem'))).toContain('0.3 km apart');
    fireEvent.click(screen.getByRole('button', { name: 'Reject' }));
    await vi.waitFor(() => expect(onDecided).toHaveBeenCalledTimes(1));
    expect(sent[0]).toMatchObject({ url: '/api/v1/report-links/RPT-1.link1/undo', method: 'POST' });
  });

  it('shows the server’s refusal next to the buttons', async () => {
    fakeServer({ status: 409, body: { error: { code: 'ILLEGAL_TRANSITION', message: 'link RPT-1.link1 is already confirmed', fields: [] } } });
    render(createElement('ul', null, createElement(LinkItem, { link: LINK, onDecided: vi.fn() })));
    fireEvent.click(screen.getByRole('button', { name: 'Confirm' }));
    expect(text(await screen.findByRole('alert'))).toContain('already confirmed');
  });

  it('offers exactly the decisions the server allows in each state', () => {
    expect(linkActions('candidate')).toEqual(['confirm', 'reject']);
    expect(linkActions('confirmed')).toEqual(['undo']);
    expect(linkActions('undone')).toEqual(['confirm']);
    expect(linkActionPath('a/b', 'reject')).toBe('/api/v1/report-links/a%2Fb/undo');
  });
});

describe('highlighted spans', () => {
  it('cut any text into pieces that put it back together, whatever spans the server sends', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), fc.array(fc.tuple(fc.integer({ min: -5, max: 100 }), fc.integer({ min: -5, max: 100 })), { maxLength: 6 }), (s, raw) => {
        const cand = raw.map(([a, b]) => ({ text_span: { start: a, end: b, text: '' } }));
        const parts = segments(s, { incidents: cand as never, agreements: [] });
        expect(parts.map((p) => p.text).join('')).toBe(s);
        expect(parts.every((p) => p.text.length > 0)).toBe(true);
      }),
    );
  });

  it('accepts the same requests as the server’s rule: a non-empty text and a real day', () => {
    expect(ExtractForm.safeParse({ text: 'x', published: '2025-10-19' }).success).toBe(true);
    expect(ExtractForm.safeParse({ text: 'x', published: '2025-02-29' }).success).toBe(false);
    expect(ExtractForm.safeParse({ text: '', published: '2025-10-19' }).success).toBe(false);
    expect(ExtractForm.safeParse({ text: 'x', published: '2025-10-19', extra: 1 }).success).toBe(false);
  });
});
