// Component tests load the web app's modules by path at run time. The root tsconfig (Node,
// no DOM, no JSX) type-checks test/ but must not compile web/src's .tsx files, so the modules
// are imported through a non-literal specifier and typed here by the shape the tests use.
import type { ComponentType, ReactNode } from 'react';

/** A web/src module, by its path under web/src (with extension). */
export async function loadWeb<T>(path: string): Promise<T> {
  const spec: string = `../../web/src/${path}`;
  return (await import(/* @vite-ignore */ spec)) as T;
}

export interface I18nModule {
  initI18n(): string;
  changeLanguage(code: 'en' | 'ur' | 'ps' | 'fa-AF'): void;
}

export interface ContextModule {
  StaticDirectory: ComponentType<{ value: Record<string, unknown>; children?: ReactNode }>;
}

export interface ClientModule {
  setCsrfToken(token: string | null): void;
}

/** The DOM without the DOM library: the few element members the tests read. */
export interface El {
  readonly textContent: string | null;
  getAttribute(name: string): string | null;
  querySelector(selector: string): El | null;
  querySelectorAll(selector: string): ArrayLike<El>;
  readonly className: string;
}
export const el = (x: unknown): El => x as El;
export const text = (x: unknown): string => el(x).textContent ?? '';
