// End to end in Chromium: the built web app on the real server, the built-in scenario, one
// account per role. Each test leaves a full-page screenshot in test-results/.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Harness } from './browser.js';
import { chromiumAvailable, openSession, shot, signIn, startHarness } from './browser.js';
import { hasGpsLocation } from '../../web/src/lib/exif.js';
import { photoWithGps } from '../support/jpeg.js';

// The Paktika strikes of 17 October: Kabul says civilian homes were hit, Islamabad says militant hideouts.
const PAKTIKA = 'INC-20251017-URGUN';

const run = chromiumAvailable();

describe.skipIf(!run)('web app in Chromium', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('signs in as each role and shows who is signed in', async () => {
    // Each role lands on the page it works on most.
    const roles = [
      ['admin1', 'administrator', '/log'],
      ['mediator1', 'mediator', '/allegations'],
      ['pak1', 'delegate', '/allegations'],
      ['afg1', 'delegate', '/agreements'],
      ['monitor1', 'monitor', '/about'],
      ['analyst1', 'analyst', '/threat-matrix'],
    ] as const;
    await Promise.all(
      roles.map(async ([name, role, next]) => {
        const s = await openSession(h);
        await signIn(s.page, name, undefined, next);
        expect(new URL(s.page.url()).pathname).toBe(next);
        const who = await s.page.getByTestId('session-user').innerText();
        expect(who).toContain(name);
        expect(who).toContain(role);
        if (name === 'pak1') {
          // A delegate acts for its party, and the header says which; it may file allegations.
          expect(who).toContain('Pakistan');
          await s.page.getByRole('link', { name: 'File an allegation' }).waitFor();
        }
        if (name === 'mediator1') expect(await s.page.getByRole('link', { name: 'File an allegation' }).count()).toBe(0);
        await s.page.waitForLoadState('networkidle');
        await shot(s.page, `login-${name}`);
        // Signing out ends the session on the server too.
        await s.page.getByRole('button', { name: 'Sign out' }).click();
        await s.page.getByRole('link', { name: 'Sign in' }).waitFor();
        const session = await s.page.evaluate('fetch("/api/v1/session").then((r) => r.json())');
        expect(session).toEqual({ user: null, csrf_token: null, session_ended: false });
        expect(s.errors).toEqual([]);
        await s.context.close();
      }),
    );
  });

  it('refuses a wrong password with a message, not a crash', async () => {
    const s = await openSession(h);
    await s.page.goto('/login');
    const form = s.page.getByTestId('login-form');
    await form.locator('input[name=username]').fill('pak1');
    await form.locator('input[name=password]').fill('not the password');
    await form.getByRole('button', { name: 'Sign in' }).click();
    await s.page.getByText('Wrong name or password.').waitFor();
    // Browser-side validation with the server's schema: an empty name never reaches the server.
    await form.locator('input[name=username]').fill('');
    await form.getByRole('button', { name: 'Sign in' }).click();
    await s.page.locator('input[name=username][aria-invalid=true]').waitFor();
    await shot(s.page, 'login-refused');
    await s.context.close();
  });

  it('tells a delegate whose session ended why the form was not saved, keeps what was typed, and offers to sign in again', async () => {
    const s = await openSession(h);
    await signIn(s.page, 'afg1', undefined, '/allegations/new');
    const form = s.page.getByTestId('file-allegation-form');
    await form.getByRole('combobox', { name: /^Agreement/ }).selectOption('AGR-DOHA-2025');
    const text = 'Shelling across the line in Kurram after the ceasefire.';
    await form.getByLabel(/What happened/).fill(text);
    await form.locator('input[type=checkbox][value="INC-202510-KURRAM"]').check();
    // The session ends meanwhile (signed out on another device, or expired over a long break).
    const db = h.t.app.store.db;
    await db.deleteFrom('sessions').where('user_id', 'in', db.selectFrom('users').select('id').where('name', '=', 'afg1')).execute();
    await form.getByRole('button', { name: 'File the allegation' }).click();
    const notice = s.page.getByTestId('session-ended');
    await notice.getByText('Your session has ended').waitFor();
    await form.getByText('Not saved: your session has ended.', { exact: false }).waitFor();
    expect(await form.getByLabel(/What happened/).inputValue()).toBe(text);
    await s.page.getByRole('link', { name: 'Sign in', exact: true }).waitFor();
    await shot(s.page, 'session-ended');
    await notice.getByRole('link', { name: 'Sign in again' }).click();
    await s.page.waitForURL((u) => u.pathname === '/login' && u.searchParams.get('next') === '/allegations/new');
    expect(s.errors).toEqual([]);
    await s.context.close();
  });

  it('can be used with the keyboard: skip link, landmarks, visible focus', async () => {
    const s = await openSession(h);
    await s.page.goto('/about');
    await s.page.locator('main h1').waitFor();
    // The first Tab reaches the skip link; following it moves focus into the main content.
    await s.page.keyboard.press('Tab');
    expect(await s.page.evaluate('document.activeElement?.className')).toBe('skip-link');
    await s.page.keyboard.press('Enter');
    expect(await s.page.evaluate('document.activeElement?.id')).toBe('main');
    // Landmarks for screen readers.
    for (const role of ['banner', 'navigation', 'main', 'contentinfo'] as const) expect(await s.page.getByRole(role).count()).toBeGreaterThan(0);
    // Focus is visible: a focused link draws an outline.
    await s.page.getByRole('link', { name: 'Agreements' }).focus();
    const outline = await s.page.evaluate('getComputedStyle(document.activeElement).outlineStyle');
    expect(outline).not.toBe('none');
    // Every form control on the login page has a label.
    await s.page.goto('/login');
    const unlabelled = await s.page.evaluate(`[...document.querySelectorAll('main input, main select, main textarea')].filter((e) => !e.labels || e.labels.length === 0).length`);
    expect(unlabelled).toBe(0);
    await shot(s.page, 'keyboard-login');
    await s.context.close();
  });

  it('draws the scenario on the overview map and timeline, from local data only', async () => {
    const s = await openSession(h);
    await s.page.goto('/');
    await s.page.locator('.map[data-ready=true]').waitFor({ timeout: 20_000 });
    // Incidents appear as HTML markers: single points and clusters with counts.
    await s.page.locator('.map-point, .map-cluster').first().waitFor({ timeout: 20_000 });
    // Markers follow the map's tiles as they load: wait until the view has settled on all of them.
    await s.page
      .waitForFunction(`document.querySelectorAll('.map-point').length + [...document.querySelectorAll('.map-cluster')].reduce((n, e) => n + Number(e.dataset.count), 0) >= 7`, undefined, { timeout: 15_000 })
      .catch(() => undefined);
    const markers = await s.page.evaluate<{ points: string[]; clustered: number }>(`(() => {
      const points = [...document.querySelectorAll('.map-point')].map((e) => e.dataset.incident);
      const clustered = [...document.querySelectorAll('.map-cluster')].reduce((n, e) => n + Number(e.dataset.count), 0);
      return { points, clustered };
    })()`);
    // The map opens on the incidents in Afghanistan and Pakistan (the talks in Doha and Istanbul
    // are off this view): seven of them, as points or inside clusters.
    const regional = ['INC-20251009-KABUL', 'INC-20251009-PAKTIKA', 'INC-20251015-SPIN-BOLDAK', 'INC-20251017-MIR-ALI', 'INC-20251017-URGUN', 'INC-20251017-BARMAL', 'INC-202510-KURRAM'];
    expect(markers.points.length + markers.clustered).toBe(regional.length);
    for (const id of markers.points) expect(regional).toContain(id);
    // The border is labelled with its neutral name, and the map's land and lines come from local GeoJSON.
    await s.page.locator('.map-label.border', { hasText: 'Afghanistan–Pakistan border (Durand Line)' }).first().waitFor();
    const list = await s.page.locator('.incident-list li').count();
    expect(list).toBeGreaterThanOrEqual(12);
    // The timeline is drawn, with the agreement windows as bands.
    await s.page.getByTestId('timeline-counts').locator('svg').waitFor();
    expect(await s.page.locator('.legend-row', { hasText: '48-hour temporary truce' }).count()).toBe(1);

    // Selecting on the map narrows the list and the timeline; clearing restores them.
    await s.page.locator('.map-cluster').first().click();
    await s.page.getByRole('button', { name: 'Clear the map selection' }).waitFor();
    const narrowed = await s.page.locator('.incident-list li').count();
    expect(narrowed).toBeLessThan(list);
    expect(narrowed).toBeGreaterThan(0);
    await shot(s.page, 'overview-map-selection');
    await s.page.getByRole('button', { name: 'Clear the map selection' }).click();
    expect(await s.page.locator('.incident-list li').count()).toBe(list);

    // A day on the timeline narrows the map's highlighted incidents and the list.
    await s.page.locator('#day-select').selectOption('2025-10-17');
    await s.page.getByRole('button', { name: 'Clear the day' }).waitFor();
    const onDay = await s.page.locator('.incident-list li').count();
    expect(onDay).toBeGreaterThan(0);
    expect(onDay).toBeLessThan(list);
    expect(await s.page.locator('.map-point.dimmed').count()).toBeGreaterThan(0);
    await s.page.getByRole('button', { name: 'Clear the day' }).click();

    await shot(s.page, 'overview');
    expect(s.foreign).toEqual([]);
    expect(s.errors).toEqual([]);
    await s.context.close();
  });

  it("shows both parties' claims about the Paktika strikes side by side, the assessment, and verified log entries", async () => {
    const s = await openSession(h);
    await s.page.goto(`/incidents/${PAKTIKA}`);
    const table = s.page.locator('.versions-table');
    await table.waitFor();
    // One column per party and source.
    await table.locator('thead th[data-by=AFG]').waitFor();
    await table.locator('thead th[data-by=PAK]').waitFor();
    // The target category is where they differ: civilians (Kabul) against militants (Islamabad).
    const row = table.locator('tr[data-field=target_category]');
    expect(await row.getAttribute('class')).toContain('agreement-differ');
    expect(await row.locator('td[data-by=AFG]').innerText()).toContain('civilians');
    expect(await row.locator('td[data-by=PAK]').innerText()).toContain('militants');
    expect(await row.locator('td.cell-differ').count()).toBeGreaterThanOrEqual(2);
    await s.page.getByTestId('versions-summary').getByText('Target category').waitFor();
    // The assessment under the truce: an alleged violation with the target still open.
    await s.page.locator('[data-obligation=TRUCE-PAK-CEASE]', { hasText: 'Alleged violation' }).waitFor();
    // Every log entry of the incident and its claims checks out in the browser.
    await s.page.getByTestId('verify-summary').getByText('Verified in your browser: all 4 entries.').waitFor({ timeout: 20_000 });
    expect(await s.page.getByTestId('verified-badge').count()).toBe(4);
    await shot(s.page, 'incident-paktika-versions');
    expect(s.foreign).toEqual([]);
    expect(s.errors).toEqual([]);
    await s.context.close();
  });

  it('switches to Pashto: right to left, Pashto labels, Eastern Arabic digits, and it fits 360 px', async () => {
    const s = await openSession(h, { width: 360, height: 780 });
    await s.page.goto(`/incidents/${PAKTIKA}`);
    await s.page.locator('.versions-table').waitFor();
    // On a narrow screen the header tools are behind the menu button.
    await s.page.getByRole('button', { name: 'Menu' }).click();
    await s.page.locator('#lang-select').selectOption('ps');
    await s.page.waitForFunction('document.documentElement.dir === "rtl" && document.documentElement.lang === "ps"');
    // The page is in Pashto and uses the bundled Naskh face.
    await s.page.locator('h2', { hasText: 'نسخې' }).first().waitFor();
    const font = await s.page.evaluate('getComputedStyle(document.body).fontFamily');
    expect(String(font)).toContain('Noto Naskh Arabic');
    // Nothing overflows the 360 px viewport sideways.
    const overflow = await s.page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth');
    expect(overflow).toBeLessThanOrEqual(0);
    await shot(s.page, 'incident-paktika-pashto-360');
    // The language can also come from the address, and sticks for the next page.
    await s.page.goto('/?lng=fa-AF');
    await s.page.waitForFunction('document.documentElement.dir === "rtl" && document.documentElement.lang === "fa-AF"');
    await s.page.locator('.map[data-ready=true]').waitFor({ timeout: 20_000 });
    const digits = await s.page.locator('.selection-card .count').innerText();
    expect(digits).toMatch(/[۰-۹]/);
    await shot(s.page, 'overview-dari-360');
    expect(s.foreign).toEqual([]);
    expect(s.errors).toEqual([]);
    await s.context.close();
  });

  it('verifies the whole log in the browser, with progress', async () => {
    const s = await openSession(h);
    await s.page.goto('/log');
    await s.page.getByTestId('checkpoint-ok').waitFor();
    await s.page.getByTestId('verify-all').click();
    await s.page.getByTestId('audit-ok').waitFor({ timeout: 30_000 });
    const size = Number(await s.page.getByTestId('log-size').innerText());
    expect(size).toBeGreaterThan(50);
    expect(await s.page.getByTestId('audit-ok').innerText()).toContain(`${size} entries`);
    // The served key is shown, so a reader can compare it with the operator's.
    expect(await s.page.getByTestId('log-key').innerText()).toBe(h.t.app.log.verifierKey);
    await shot(s.page, 'log-verified');
    expect(s.foreign).toEqual([]);
    await s.context.close();
  });

  it('follows an allegation from filing to finding: one delegate files, the other replies, a mediator finds', async () => {
    const id = `ALG-E2E-${Date.now()}`;
    // Pakistan's delegate files against Afghanistan under the Doha ceasefire, citing the Kurram fighting.
    const pak = await openSession(h);
    await signIn(pak.page, 'pak1', undefined, '/allegations/new');
    const form = pak.page.getByTestId('file-allegation-form');
    await form.waitFor();
    await form.getByRole('combobox', { name: /^Agreement/ }).selectOption('AGR-DOHA-2025');
    // Submitting without an incident is caught in the browser by the server's own schema.
    await form.getByLabel(/What happened/).fill('TTP fighters crossed from Afghanistan and attacked security personnel in Kurram after the ceasefire.');
    await form.getByLabel(/^Reference/).fill(id);
    await form.getByRole('button', { name: 'File the allegation' }).click();
    await form.getByText('cite at least one incident').waitFor();
    await form.locator('input[type=checkbox][value="INC-202510-KURRAM"]').check();
    // A file attached in the browser is uploaded, kept under its hash, and cited by it.
    const statement = Buffer.from(`Statement of a Kurram elder, ${id}\n`);
    const digest = createHash('sha256').update(statement).digest('hex');
    await form.getByTestId('evidence-file').setInputFiles({ name: 'elder-statement.txt', mimeType: 'text/plain', buffer: statement });
    await form.getByText('elder-statement.txt').waitFor();
    expect(await form.getByLabel(/^Evidence/).inputValue()).toContain(`sha256:${digest}`);
    await form.getByRole('button', { name: 'File the allegation' }).click();
    await pak.page.waitForURL(`**/allegations/${id}`);
    await pak.page.locator('.steps-bar li[aria-current=step]', { hasText: 'Awaiting reply' }).waitFor();
    const download = pak.page.locator(`a[href="/api/v1/evidence/${digest}"]`);
    await download.waitFor();
    const served = await pak.page.request.get(`/api/v1/evidence/${digest}`);
    expect(Buffer.from(await served.body()).equals(statement)).toBe(true);
    await shot(pak.page, 'allegation-filed');
    await pak.context.close();

    // Afghanistan's delegate replies before the deadline.
    const afg = await openSession(h);
    await signIn(afg.page, 'afg1', undefined, `/allegations/${id}`);
    const reply = afg.page.getByTestId('reply-form');
    await reply.getByLabel('Deny').check();
    await reply.getByLabel(/Reply text/).fill('Afghan forces were not involved; no group operates from Afghan territory with our support.');
    await reply.getByRole('button', { name: 'Send the reply' }).click();
    await afg.page.locator('.steps-bar li[aria-current=step]', { hasText: 'Replied' }).waitFor();
    await shot(afg.page, 'allegation-replied');
    await afg.context.close();

    // A mediator of the Doha ceasefire issues the finding.
    const med = await openSession(h);
    await signIn(med.page, 'mediator1', undefined, `/allegations/${id}`);
    const finding = med.page.getByTestId('finding-form');
    await finding.getByLabel(/Outcome/).selectOption('inconclusive');
    await finding.getByLabel(/Reasoning/).fill('The attackers are not identified beyond the report of TTP involvement; no verification was possible.');
    await finding.getByRole('button', { name: 'Issue the finding' }).click();
    await med.page.getByTestId('finding').getByText('Inconclusive').waitFor();
    await med.page.locator('.steps-bar li[aria-current=step]', { hasText: 'Finding issued' }).waitFor();
    // Every step of the procedure is in the log, and verifies in the browser.
    await med.page.locator('#history-h').scrollIntoViewIfNeeded();
    await med.page.getByTestId('verify-summary').getByText(/Verified in your browser/).waitFor({ timeout: 20_000 });
    await shot(med.page, 'allegation-finding');
    expect(med.errors).toEqual([]);
    await med.context.close();
  });

  it('lets a monitor report in Pashto on a phone, offline: the page opens from the service worker, a photo loses its GPS, the report arrives exactly once', async () => {
    // A mediator registers the monitor account (its identity stays mediator-only).
    const reg = await fetch(`${h.base}/api/v1/monitors`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${h.who.mediator1.token}` },
      body: JSON.stringify({ id: 'MON-E2E-1', pseudonym: 'Barmal elder', districts: ['Barmal'], languages: ['ps'], zone: 'Asia/Kabul', account: 'monitor1', identity: { name: 'Test Elder', phone: '+93 700 000 001' } }),
    });
    expect(reg.status, await reg.text()).toBe(201);
    // The old page's queue (localStorage) holds one report: it moves to IndexedDB once and is sent.
    const legacy = { body: { idempotency_key: 'legacy-e2e-0001', place: 'Urgun', occurred_local: '2025-10-16', what: 'SHELL' }, queued_at: '2025-10-16T10:00:00.000Z' };

    const s = await openSession(h, { width: 360, height: 780, locale: 'ps-AF' });
    await signIn(s.page, 'monitor1', undefined, '/about');
    await s.page.evaluate(`localStorage.setItem('mizan.reportQueue', ${JSON.stringify(JSON.stringify([legacy]))})`);
    await s.page.goto('/report');
    await s.page.waitForFunction('document.documentElement.dir === "rtl" && document.documentElement.lang === "ps"');
    await s.page.getByTestId('report-sent').locator('[data-state=sent]').waitFor();
    expect(await s.page.evaluate("localStorage.getItem('mizan.reportQueue')")).toBeNull();
    // The service worker takes control and keeps the app's files.
    // (One evaluate that waits for it: a polling waitForFunction would eval in the page, which the CSP refuses.)
    const controlled = await s.page.evaluate(`navigator.serviceWorker.ready.then(() => navigator.serviceWorker.controller !== null || new Promise((resolve) => {
      navigator.serviceWorker.addEventListener('controllerchange', () => resolve(true), { once: true });
      setTimeout(() => resolve(false), 20000);
    }))`);
    expect(controlled).toBe(true);

    // Online, the place field suggests gazetteer places; choosing one sets the pin.
    const form = s.page.getByTestId('report-form');
    await form.getByTestId('place-input').fill('برمل');
    await s.page.getByTestId('place-options').getByRole('option').first().click();
    expect(await form.getByTestId('place-input').inputValue()).toBe('Barmal');
    await s.page.getByTestId('pin-status').locator('span[dir=ltr]').waitFor();

    // Offline from here on: the page itself opens from the service worker, and nothing reaches the server.
    const reached: string[] = [];
    const count = (req: { url?: string }) => reached.push(req.url ?? '');
    await s.context.setOffline(true);
    h.server.server.on('request', count);
    await s.page.reload();
    await s.page.getByTestId('report-offline').waitFor();
    await form.locator('.map[data-ready=true]').waitFor({ timeout: 20_000 });
    await form.locator('select').first().selectOption('AIR');
    await form.getByTestId('place-input').fill('برمل کلی');
    // Suggestions need the network, and the page says so.
    await s.page.getByTestId('place-status').getByText('اړیکه پکار ده', { exact: false }).waitFor();
    // A tap on the map sets the pin (coordinates only; no network needed).
    await form.getByTestId('pin-map').click({ position: { x: 180, y: 130 } });
    await s.page.getByTestId('pin-status').locator('span[dir=ltr]').waitFor();
    await form.locator('input[type=date]').fill('2025-10-17');
    await form.locator('input[type=time]').fill('18:30');
    // Eastern Arabic digits, as a phone in Paktika types them.
    await form.getByLabel(/^وژل شوي/).fill('۳');
    await form.getByLabel(/^نور جزییات/).fill('د ماښام په شپږ بجو دوه کورونه ووهل شول.');
    const photo = photoWithGps();
    await form.getByTestId('report-files').setInputFiles({ name: 'IMG_20251017_1830.jpg', mimeType: 'image/jpeg', buffer: Buffer.from(photo) });
    await form.getByTestId('report-file-list').getByText('ځای لرې شو').waitFor();
    await form.locator('button[type=submit]').click();
    await s.page.getByTestId('report-queue').getByText('اړیکه نشته').waitFor();
    await s.page.getByTestId('report-queue').locator('[data-state=queued]').waitFor();
    expect(await s.page.getByTestId('report-queue').getByTestId('queue-item').count()).toBe(1);
    await shot(s.page, 'monitor-report-offline-pashto');
    // The report and its photo survive closing the page: they are in IndexedDB.
    await s.page.reload();
    await s.page.getByTestId('report-queue').locator('[data-state=queued]').waitFor();

    h.server.server.off('request', count);
    // Chromium checks for a newer service worker script on navigation, outside the page and outside
    // Playwright's offline emulation; on a real phone without signal that check just fails. Every
    // other request must have been answered from the service worker's cache or the queue.
    expect(reached.filter((url) => url !== '/sw.js')).toEqual([]);

    // Back online: sent once, with its photo.
    await s.context.setOffline(false);
    await s.page.evaluate('window.dispatchEvent(new Event("online"))');
    await s.page.getByTestId('report-receipt').waitFor();
    expect(await s.page.getByTestId('report-queue').count()).toBe(0);
    // More `online` events and a reload send nothing again.
    await s.page.evaluate('window.dispatchEvent(new Event("online")); window.dispatchEvent(new Event("online"))');
    await s.page.reload();
    await s.page.getByTestId('report-sent').waitFor();
    await shot(s.page, 'monitor-report-pashto');

    // Stored once, with the digits read as a number, the monitor's local zone applied, the pin, and the photo.
    const mine = await fetch(`${h.base}/api/v1/reports`, { headers: { authorization: `Bearer ${h.who.mediator1.token}` } });
    type Item = { monitor: string; report: { place: { query: string; candidates: { id: string }[] }; killed: number | null; occurred: { zone: string }; evidence?: { sha256: string; original_sha256: string; location_kept: boolean }[] } };
    const items = ((await mine.json()) as { items: Item[] }).items.filter((r) => r.monitor === 'MON-E2E-1');
    expect(items.map((i) => i.report.place.query).sort()).toEqual(['Urgun', 'برمل کلی']);
    const r = items.find((i) => i.report.place.query === 'برمل کلی')!;
    expect(r.report.killed).toBe(3);
    expect(r.report.occurred.zone).toBe('Asia/Kabul');
    expect(r.report.place.candidates[0]!.id).toBe('pin');
    const original = createHash('sha256').update(photo).digest('hex');
    expect(r.report.evidence).toHaveLength(1);
    const ev = r.report.evidence![0]!;
    expect(ev).toMatchObject({ original_sha256: original, location_kept: false });
    expect(ev.sha256).not.toBe(original);
    // The uploaded file is the photo without its GPS, stored under the digest the report cites.
    const file = await fetch(`${h.base}/api/v1/evidence/${ev.sha256}`, { headers: { authorization: `Bearer ${h.who.mediator1.token}` } });
    const bytes = new Uint8Array(await file.arrayBuffer());
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(ev.sha256);
    expect(hasGpsLocation(bytes)).toBe(false);
    expect(hasGpsLocation(photo)).toBe(true);
    expect(s.foreign).toEqual([]);
    expect(s.errors).toEqual([]);
    await s.context.close();
  }, 180_000); // a phone flow with two reloads and a service worker: slow on a loaded 2-core machine

  it('works under a strict Content-Security-Policy: no inline script or style, nothing from elsewhere', async () => {
    const s = await openSession(h);
    // The policy the server is meant to send; added here to the HTML document's response.
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
    await s.page.goto(`/incidents/${PAKTIKA}`);
    await s.page.locator('.map[data-ready=true]').waitFor({ timeout: 20_000 });
    await s.page.locator('.map-point').first().waitFor();
    await s.page.goto('/');
    await s.page.getByTestId('timeline-counts').locator('svg').waitFor();
    await s.page.locator('.map-point, .map-cluster').first().waitFor({ timeout: 20_000 });
    expect(refused).toEqual([]);
    expect(s.errors).toEqual([]);
    // The policy is in force: an inline style is refused.
    const enforced = await s.page.evaluate(`new Promise((resolve) => {
      document.addEventListener('securitypolicyviolation', () => resolve(true), { once: true });
      const st = document.createElement('style');
      st.textContent = 'body { outline: 1px solid red }';
      document.head.append(st);
      setTimeout(() => resolve(false), 2000);
    })`);
    expect(enforced).toBe(true);
    await shot(s.page, 'overview-strict-csp');
    await s.context.close();
  });
});
