// @vitest-environment jsdom
// The allegation forms validate in the browser with the server's own zod schemas
// (src/domain/allegation.ts), send the session's CSRF token, and show the server's field errors
// at the fields they name.
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { createElement } from 'react';
import type { ComponentType } from 'react';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ClientModule, I18nModule } from './load.js';
import { fakeServer } from './fake-server.js';
import { el, loadWeb, text } from './load.js';

type FormProps = { allegationId: string; onDone: () => void };
let ReplyForm: ComponentType<FormProps>;
let FindingForm: ComponentType<FormProps & { claimIds: readonly string[] }>;
let client: ClientModule;
let i18n: I18nModule;

beforeAll(async () => {
  i18n = await loadWeb<I18nModule>('i18n/index.ts');
  i18n.initI18n();
  ({ ReplyForm, FindingForm } = await loadWeb<{ ReplyForm: typeof ReplyForm; FindingForm: typeof FindingForm }>('components/AllegationForms.tsx'));
  client = await loadWeb<ClientModule>('api/client.ts');
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  i18n.changeLanguage('en');
});


const form = () => el(screen.getByTestId('reply-form'));
const field = (label: RegExp) => screen.getByLabelText(label);
const invalid = (label: RegExp) => el(field(label)).getAttribute('aria-invalid') === 'true';

describe('reply form', () => {
  it('refuses an empty reply in the browser, with the server schema, without sending anything', async () => {
    const sent = fakeServer();
    const onDone = vi.fn();
    render(createElement(ReplyForm, { allegationId: 'ALG-1', onDone }));
    fireEvent.click(screen.getByRole('button', { name: 'Send the reply' }));
    await screen.findByText('Please correct 2 fields.');
    // Both the reply kind and the text are required by ReplyInput.
    expect(invalid(/Reply text/)).toBe(true);
    expect(text(form())).toContain('Choose one of the options.');
    expect(text(form())).toContain('is required');
    expect(sent).toEqual([]);
    expect(onDone).not.toHaveBeenCalled();
  });

  it('sends a valid reply with the CSRF token and shows the server’s field errors where they belong', async () => {
    client.setCsrfToken('csrf-123');
    const sent = fakeServer(
      { status: 409, body: { error: { code: 'ALLEGATION_REPLY_OVERDUE', message: 'the reply deadline has passed', fields: [{ path: '/text', code: 'too_late', message: 'arrived after the deadline' }] } } },
      { status: 201, body: { id: 'ALG-1', state: 'replied' } },
    );
    const onDone = vi.fn();
    render(createElement(ReplyForm, { allegationId: 'ALG-1', onDone }));
    fireEvent.click(screen.getByLabelText('Deny'));
    fireEvent.change(field(/Reply text/), { target: { value: '  The strikes hit militant hideouts.  ' } });
    fireEvent.change(field(/Evidence/), { target: { value: 'ISPR statement, 18 Oct\n\n  imagery hash abc  ' } });
    fireEvent.click(screen.getByRole('button', { name: 'Send the reply' }));

    // The server's refusal: its message at the top, its field error at the text field.
    await screen.findByText('arrived after the deadline');
    expect(invalid(/Reply text/)).toBe(true);
    expect(text(form())).toContain('the reply deadline has passed');
    expect(sent[0]).toEqual({
      url: '/api/v1/allegations/ALG-1/reply',
      method: 'POST',
      headers: { accept: 'application/json', 'content-type': 'application/json', 'x-csrf-token': 'csrf-123' },
      body: { kind: 'deny', text: 'The strikes hit militant hideouts.', evidence: ['ISPR statement, 18 Oct', 'imagery hash abc'] },
    });
    expect(onDone).not.toHaveBeenCalled();

    // Sent again, accepted: the form says so and the page reloads the allegation.
    fireEvent.click(screen.getByRole('button', { name: 'Send the reply' }));
    await screen.findByText('Recorded.');
    expect(onDone).toHaveBeenCalledTimes(1);
    expect(sent).toHaveLength(2);
  });

  it('speaks the reader’s language: Pashto labels and messages', async () => {
    fakeServer();
    i18n.changeLanguage('ps');
    render(createElement(ReplyForm, { allegationId: 'ALG-1', onDone: () => undefined }));
    fireEvent.click(screen.getByRole('button', { name: 'ځواب ولېږئ' }));
    await screen.findByText(/مهرباني وکړئ ۲ برخې سمې کړئ/);
    expect(text(form())).toContain('اړین دی.');
  });
});

describe('finding form', () => {
  it('lets a mediator mark the claims it verified and sends only the chosen ones', async () => {
    const sent = fakeServer({ status: 201, body: { id: 'ALG-2', state: 'finding' } });
    const onDone = vi.fn();
    render(createElement(FindingForm, { allegationId: 'ALG-2', onDone, claimIds: ['CLM-URGUN-AFG', 'CLM-URGUN-PAK'] }));
    fireEvent.change(field(/Outcome/), { target: { value: 'inconclusive' } });
    fireEvent.change(field(/Reasoning/), { target: { value: 'Access to the site was refused.' } });
    fireEvent.click(screen.getByLabelText('CLM-URGUN-AFG'));
    fireEvent.click(screen.getByRole('button', { name: 'Issue the finding' }));
    await screen.findByText('Recorded.');
    expect(sent[0]!.body).toEqual({ outcome: 'inconclusive', reasoning: 'Access to the site was refused.', verified_claims: ['CLM-URGUN-AFG'] });
    expect(onDone).toHaveBeenCalledTimes(1);
  });
});
