// End to end in Chromium: the review queue (candidate links confirmed by a person, text turned
// into candidates), the early-warning page over the built-in scenario, and the forms added beside
// them (a task's outcome, a remedy's progress, a party's answer to a proposal). Each test leaves
// a full-page screenshot in test-results/.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Harness } from './browser.js';
import { chromiumAvailable, openSession, shot, signIn, startHarness } from './browser.js';

const run = chromiumAvailable();

/** A fitted model in the shape agreed with the early-warning work (added to the server's answer where it has none). */
const SAMPLE_MODEL = {
  kind: 'hawkes-exp',
  dyads: ['PAK->AFG', 'AFG->PAK', 'TTP->PAK'],
  mu_per_day: [0.05, 0.04, 0.2],
  excitation: [
    [0.12, 0.64, 0.03],
    [0.51, 0.08, 0.0],
    [0.35, 0.02, 0.27],
  ],
  decay_hours: 31.2,
  spectral_radius: 0.74,
  fitted_on: { events: 38, from: '2025-04-12T00:00:00Z', to: '2025-10-11T00:00:00Z' },
  forecast: { horizon_days: 7, items: [{ dyad: 'PAK->AFG', expected: 1.6, low: 0, high: 4 }, { dyad: 'AFG->PAK', expected: 1.2, low: 0, high: 3 }, { dyad: 'TTP->PAK', expected: 3.4, low: 1, high: 7 }] },
};

describe.skipIf(!run)('review queue and early warning in Chromium', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  const post = async (path: string, token: string | null, body: unknown) => {
    const res = await fetch(`${h.base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(body) });
    expect(res.status, await res.clone().text()).toBeLessThan(300);
    return res.json() as Promise<Record<string, unknown>>;
  };

  it('lets an analyst confirm a proposed link and read candidates out of pasted text; a delegate gets nothing to act on', async () => {
    // A monitor reports an air strike at Urgun on the evening of 17 October: the intake proposes
    // links to the recorded strikes nearby, for a person to decide.
    await post('/api/v1/monitors', h.who.mediator1.token, { id: 'MON-E2E-R', pseudonym: 'Urgun elder', districts: ['Urgun'], languages: ['ps'], zone: 'Asia/Kabul', account: 'monitor1', identity: { name: 'Test Elder', phone: '+93 700 000 009' } });
    await post('/api/v1/reports', h.who.monitor1.token, { idempotency_key: 'e2e-review-0001', place: 'Urgun', occurred_local: '2025-10-17T20:00', what: 'AIR', lat: 32.95, lon: 69.18 });
    const links = (await (await fetch(`${h.base}/api/v1/report-links?status=candidate`, { headers: { authorization: `Bearer ${h.who.analyst1.token}` } })).json()) as { items: { id: string; incident_id: string }[] };
    const urgun = links.items.find((l) => l.incident_id === 'INC-20251017-URGUN');
    expect(urgun, JSON.stringify(links.items)).toBeDefined();

    const s = await openSession(h);
    await signIn(s.page, 'analyst1', undefined, '/review');
    await s.page.getByRole('link', { name: 'Review', exact: true }).waitFor();
    const item = s.page.locator(`[data-link="${urgun!.id}"]`);
    await item.waitFor();
    // Score and reasons are shown with the proposal.
    expect(await item.innerText()).toMatch(/Match\s+\d+%/);
    expect(await item.innerText()).toContain('times overlap');
    await item.getByRole('button', { name: 'Reject' }).waitFor();
    await item.getByRole('button', { name: 'Confirm' }).click();
    // Decided: it leaves the queue of candidates and appears among the confirmed, where it can be undone.
    await item.waitFor({ state: 'detached' });
    await s.page.locator('#link-status').selectOption('confirmed');
    const confirmed = s.page.locator(`[data-link="${urgun!.id}"]`);
    await confirmed.getByRole('button', { name: 'Undo' }).waitFor();
    expect(await confirmed.innerText()).toContain('decided by analyst1');

    // Extraction: pasted text becomes candidates with their passages highlighted; nothing is recorded.
    const form = s.page.getByTestId('extract-form');
    await form.getByRole('button', { name: 'Find candidates' }).click();
    // The same schema as the server refuses an empty request in the browser.
    await form.locator('textarea[aria-invalid=true]').waitFor();
    await form.getByLabel(/^Text/).fill(
      'Pakistani aircraft struck Urgun district in Paktika province on Friday evening, killing 10 civilians, Afghan officials said. ' +
        'On Sunday Pakistan and Afghanistan agreed in Doha to an immediate ceasefire, mediated by Qatar and Turkey.',
    );
    await form.getByLabel(/^Publication date/).fill('2025-10-19');
    await form.getByRole('button', { name: 'Find candidates' }).click();
    const result = s.page.getByTestId('extract-result');
    await result.waitFor();
    await result.getByTestId('incident-candidate').first().waitFor();
    expect(await result.locator('mark.span-incident').count()).toBeGreaterThan(0);
    // The highlighted passage is the text the candidate was read from.
    const passage = await result.locator('mark.span-incident').first().innerText();
    expect(passage).toContain('Urgun');
    await shot(s.page, 'review-queue-analyst');
    expect(s.errors).toEqual([]);
    await s.context.close();

    // A delegate may do neither: the page says so and offers no button.
    const d = await openSession(h);
    await signIn(d.page, 'pak1', undefined, '/review');
    await d.page.getByTestId('review-not-for-role').waitFor();
    expect(await d.page.locator('main button').count()).toBe(0);
    expect(await d.page.getByRole('link', { name: 'Review', exact: true }).count()).toBe(0);
    await d.context.close();
  });

  it('opens early warning on the scenario, shows alerts, indicators and exchanges, and changes the date', async () => {
    const s = await openSession(h);
    await s.page.goto('/warning');
    await s.page.locator('main h1', { hasText: 'Early warning' }).waitFor();
    // Today the record is quiet (the scenario is October 2025): the page says which day it shows instead.
    await s.page.getByTestId('as-of-fallback').waitFor();
    const day = await s.page.locator('#as-of-day').inputValue();
    expect(day).toMatch(/^2025-1[01]-\d{2}$/);
    // Exchanges on a time axis, drawn and also listed.
    await s.page.locator('[data-testid=chains] svg').first().waitFor();
    expect(await s.page.locator('.chain-list li').count()).toBeGreaterThan(0);
    // Indicators with z-scores, and signs of calm beside them.
    const rows = await s.page.getByTestId('indicators').locator('tbody tr').count();
    expect(rows).toBeGreaterThan(0);
    expect(await s.page.getByTestId('indicators').innerText()).toMatch(/z -?\d/);
    // The model: drawn when the server fits it, a neutral note when it cannot.
    const modelShown = (await s.page.getByTestId('model').count()) > 0;
    if (modelShown) await s.page.getByTestId('excitation-heatmap').locator('svg').waitFor();
    else await s.page.getByTestId('model-empty').waitFor();
    // Alerts link to the CAP feed, which the server serves for the same date.
    const feed = await s.page.getByRole('link', { name: 'Alerts feed (CAP)' }).getAttribute('href');
    expect(feed).toMatch(/^\/api\/v1\/warning\/cap\?as_of=/);
    const xml = await fetch(`${h.base}${feed}`);
    expect(xml.status).toBe(200);
    expect(await xml.text()).toContain('<feed');
    expect(await s.page.getByTestId('alerts').locator('li').count()).toBeGreaterThan(0);
    await shot(s.page, 'early-warning');

    // Another day, chosen by the reader: the address keeps it and the fallback note goes away.
    await s.page.locator('#as-of-day').fill('2025-10-20');
    await s.page.getByRole('button', { name: 'Show', exact: true }).click();
    await s.page.waitForURL(/as_of=2025-10-20/);
    await s.page.getByTestId('warning-as-of').getByText(/21 Oct 2025/).waitFor();
    expect(await s.page.getByTestId('as-of-fallback').count()).toBe(0);
    expect(s.errors).toEqual([]);
    expect(s.foreign).toEqual([]);
    await s.context.close();
  });

  it('draws the model as a heat map with its forecast, and signs of calm, when the server sends them', async () => {
    // The model and peace counts come from the early-warning work running alongside; until this
    // server sends them, the test adds them to the real answer, in the shape agreed for them.
    const s = await openSession(h);
    await s.page.route(/\/api\/v1\/warning(\?|$)/, async (route) => {
      const res = await route.fetch();
      const json = (await res.json()) as Record<string, unknown>;
      json['model'] = SAMPLE_MODEL;
      json['peace'] = [{ scope: 'PAK->AFG', kind: 'crossing_reopened', last_7d: 0, last_28d: 1 }, { scope: 'AFG/Kandahar', kind: 'peace_report', last_7d: 1, last_28d: 2 }];
      await route.fulfill({ response: res, json });
    });
    await s.page.goto('/warning?as_of=2025-10-11');
    const heat = s.page.getByTestId('excitation-heatmap');
    await heat.locator('svg').waitFor();
    // Every value is printed on its cell, and the same numbers are in a table for screen readers.
    expect(await heat.locator('svg text', { hasText: '0.64' }).count()).toBe(1);
    await heat.getByText('Show the numbers as a table').click();
    expect(await s.page.getByTestId('excitation-table').locator('tbody tr').count()).toBe(3);
    await s.page.getByTestId('forecast').locator('svg').waitFor();
    expect(await s.page.getByTestId('peace').locator('tbody tr').count()).toBe(2);
    await shot(s.page, 'early-warning-model');
    expect(s.errors).toEqual([]);
    await s.context.close();
  });

  it('draws its charts under the strict Content-Security-Policy', async () => {
    const s = await openSession(h);
    const csp = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; worker-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";
    await s.page.route('**/*', async (route) => {
      if (route.request().resourceType() !== 'document') return route.continue();
      const res = await route.fetch();
      return route.fulfill({ response: res, headers: { ...res.headers(), 'content-security-policy': csp } });
    });
    const refused: string[] = [];
    s.page.on('console', (m) => {
      if (/Content Security Policy|Refused to/i.test(m.text())) refused.push(m.text());
    });
    // Registered last, so it answers first: the warning view with a model, to draw the heat map too.
    await s.page.route(/\/api\/v1\/warning(\?|$)/, async (route) => {
      const res = await route.fetch();
      await route.fulfill({ response: res, json: { ...((await res.json()) as object), model: SAMPLE_MODEL } });
    });
    await s.page.goto('/warning?as_of=2025-10-11');
    await s.page.locator('[data-testid=chains] svg').first().waitFor();
    await s.page.getByTestId('excitation-heatmap').locator('svg').waitFor();
    await s.page.getByTestId('forecast').locator('svg').waitFor();
    await s.page.goto('/review');
    await s.page.locator('main h1').waitFor();
    expect(refused).toEqual([]);
    expect(s.errors).toEqual([]);
    await s.context.close();
  });

  it('reads right to left in Dari and fits a 360 px phone', async () => {
    const s = await openSession(h, { width: 360, height: 780 });
    await s.page.goto('/warning?lng=fa-AF&as_of=2025-10-11');
    await s.page.waitForFunction('document.documentElement.dir === "rtl" && document.documentElement.lang === "fa-AF"');
    await s.page.locator('main h1', { hasText: 'هشدار زودهنگام' }).waitFor();
    await s.page.getByTestId('indicators').waitFor();
    // Counts in Eastern Arabic digits, and nothing overflows the viewport sideways.
    expect(await s.page.getByTestId('indicators').locator('tbody td').first().innerText()).toMatch(/[۰-۹]/);
    const overflow = await s.page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth');
    expect(overflow).toBeLessThanOrEqual(0);
    // Every control in the page has a label.
    const unlabelled = await s.page.evaluate(`[...document.querySelectorAll('main input, main select, main textarea')].filter((e) => !e.labels || e.labels.length === 0).length`);
    expect(unlabelled).toBe(0);
    await shot(s.page, 'early-warning-dari-360');
    expect(s.errors).toEqual([]);
    await s.context.close();
  });

  it('lets a mediator record a task outcome and a remedy’s progress, and a delegate answer a proposal', async () => {
    const id = `ALG-E2E-REM-${Date.now()}`;
    await post('/api/v1/allegations', h.who.pak1.token, { id, agreement: 'AGR-DOHA-2025', by: 'PAK', against: 'AFG', incidents: ['INC-202510-KURRAM'], text: 'Fighters crossed and attacked security personnel in Kurram after the ceasefire.' });
    await post(`/api/v1/allegations/${id}/reply`, h.who.afg1.token, { kind: 'deny', text: 'No involvement.' });
    await post(`/api/v1/allegations/${id}/tasks`, h.who.mediator1.token, { kind: 'site_visit', assignees: ['Verifier A'], due: '2025-11-05T09:00:00Z' });

    const med = await openSession(h);
    await signIn(med.page, 'mediator1', undefined, `/allegations/${id}`);
    await med.page.getByText('Record the outcome', { exact: true }).first().click();
    const outcome = med.page.locator('[data-testid^=outcome-form-]');
    // Empty: refused in the browser with the server's schema.
    await outcome.getByRole('button', { name: 'Record the outcome' }).click();
    await outcome.locator('textarea[aria-invalid=true]').first().waitFor();
    await outcome.getByLabel(/What the task found/).fill('The site visit found the post damaged; the attackers could not be identified.');
    await outcome.getByRole('button', { name: 'Record the outcome' }).click();
    await med.page.locator('.task-outcome', { hasText: 'the attackers could not be identified' }).waitFor();

    // A substantiated finding and a remedy, then its progress through the form.
    await post(`/api/v1/allegations/${id}/finding`, h.who.mediator1.token, { outcome: 'substantiated', reasoning: 'The crossing is established by the site visit.' });
    await post(`/api/v1/allegations/${id}/remedies`, h.who.mediator1.token, { text: 'Joint border patrol at the crossing for 30 days.' });
    await med.page.reload();
    await med.page.getByText('Record progress', { exact: true }).click();
    const progress = med.page.locator('[data-testid^=progress-form-]');
    await progress.getByLabel(/Status now/).selectOption('in_progress');
    await progress.getByLabel(/Notes/).fill('First patrol held on 3 November.');
    await progress.getByRole('button', { name: 'Record the progress' }).click();
    await med.page.locator('.remedy-history li', { hasText: 'First patrol held on 3 November.' }).waitFor();
    await shot(med.page, 'allegation-task-outcome-remedy-progress');
    expect(med.errors).toEqual([]);
    await med.context.close();

    // A proposal for joint action; Afghanistan's delegate answers it item by item.
    const pid = `PROP-E2E-${Date.now()}`;
    await post('/api/v1/threat/proposals', h.who.mediator1.token, { id: pid, title: 'Groups for joint action', criteria: 'Armed attacks across the border since 9 October.', actors: ['TTP', 'ISKP'], parties: ['PAK', 'AFG'] });
    const afg = await openSession(h);
    await signIn(afg.page, 'afg1', undefined, '/threat-matrix');
    await afg.page.getByText('Answer this proposal').click();
    const answer = afg.page.getByTestId(`response-form-${pid}`);
    await answer.getByRole('button', { name: 'Send the answer' }).click();
    await answer.getByText(/Please correct/).waitFor();
    const iskp = answer.getByRole('group').filter({ has: afg.page.locator('input[value=accept]') }).nth(1);
    await iskp.getByLabel('Accept').check();
    await iskp.getByLabel(/Reason/).fill('It attacks both countries.');
    await answer.getByRole('button', { name: 'Send the answer' }).click();
    await afg.page.locator('.proposals td', { hasText: 'It attacks both countries.' }).waitFor();
    await shot(afg.page, 'threat-proposal-answered');
    expect(afg.errors).toEqual([]);
    await afg.context.close();
  });
});
