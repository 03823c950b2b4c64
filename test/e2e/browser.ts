// Shared set-up for the end-to-end tests: the real app in-process (SQLite, built-in scenario,
// one account per role), the built web app served by it, and Debian's Chromium driven by
// playwright-core. No test here reaches another origin.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createHttpServer } from '../../src/server/main.js';
import type { Callers, TestApp } from '../support/app.js';
import { makeCallers, makeTestApp } from '../support/app.js';
import { REPO_ROOT, requireOrSkip } from '../support/env.js';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const PASSWORD = 'correct horse battery staple';
export const SHOTS = join(REPO_ROOT, 'test-results');

/** Chromium present → run; absent → skip, except under CI=true where it fails the run. */
export const chromiumAvailable = (): boolean => requireOrSkip(`Chromium at ${CHROMIUM}`, existsSync(CHROMIUM));

/** The suite needs the built web app; build it once if it is missing. */
export function ensureWebBuilt(): void {
  if (existsSync(join(REPO_ROOT, 'web', 'dist', 'index.html'))) return;
  execFileSync(process.execPath, [join(REPO_ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', 'web/vite.config.ts', '--logLevel', 'warn'], { cwd: REPO_ROOT, stdio: 'inherit' });
}

export interface Harness {
  readonly t: TestApp;
  readonly who: Callers;
  readonly server: FastifyInstance;
  readonly base: string;
  readonly browser: Browser;
  close(): Promise<void>;
}

export async function startHarness(): Promise<Harness> {
  ensureWebBuilt();
  mkdirSync(SHOTS, { recursive: true });
  const t = await makeTestApp('sqlite');
  const who = await makeCallers(t.app);
  const server = await createHttpServer(t.app);
  await server.listen({ port: 0, host: '127.0.0.1' });
  const { port } = server.server.address() as AddressInfo;
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-dev-shm-usage'],
  });
  return {
    t,
    who,
    server,
    base: `http://127.0.0.1:${port}`,
    browser,
    async close() {
      await browser.close().catch(() => undefined);
      await server.close();
      await t.close();
    },
  };
}

export interface Session {
  readonly context: BrowserContext;
  readonly page: Page;
  /** Requests the page made to any other origin (there must be none). */
  readonly foreign: string[];
  /** Uncaught page errors. */
  readonly errors: string[];
}

/** A fresh browser profile on the app, in English unless told otherwise. */
export async function openSession(h: Harness, opts: { width?: number; height?: number; locale?: string } = {}): Promise<Session> {
  const context = await h.browser.newContext({
    baseURL: h.base,
    viewport: { width: opts.width ?? 1280, height: opts.height ?? 900 },
    locale: opts.locale ?? 'en-GB',
    timezoneId: 'UTC',
  });
  const page = await context.newPage();
  const foreign: string[] = [];
  const errors: string[] = [];
  page.on('request', (r) => {
    const url = r.url();
    if (!url.startsWith(h.base) && !url.startsWith('data:') && !url.startsWith('blob:') && !url.startsWith('about:')) foreign.push(url);
  });
  page.on('pageerror', (e) => errors.push(e.message));
  return { context, page, foreign, errors };
}

/** Sign in through the login form, as a person would. */
export async function signIn(page: Page, name: string, password = PASSWORD, next = '/'): Promise<void> {
  await page.goto(`/login?next=${encodeURIComponent(next)}`);
  const form = page.getByTestId('login-form');
  await form.locator('input[name=username]').fill(name);
  await form.locator('input[name=password]').fill(password);
  // The submit button, whatever the interface language.
  await form.locator('button[type=submit]').click();
  await page.getByTestId('session-user').waitFor({ state: 'attached' });
  // The page it lands on is loaded on demand: wait for its heading.
  await page.locator('main h1').waitFor();
}

export async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}
