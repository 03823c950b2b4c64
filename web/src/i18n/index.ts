import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import { makeFormatter } from '../lib/format.js';
import { en } from './en.js';
import { faAF } from './fa-AF.js';
import { ps } from './ps.js';
import { ur } from './ur.js';

export const LANGUAGES = [
  { code: 'en', name: 'English', dir: 'ltr', intl: 'en-GB' },
  { code: 'ur', name: 'اردو', dir: 'rtl', intl: 'ur-PK' },
  { code: 'ps', name: 'پښتو', dir: 'rtl', intl: 'ps-AF' },
  { code: 'fa-AF', name: 'دری', dir: 'rtl', intl: 'fa-AF' },
] as const;

export type Lang = (typeof LANGUAGES)[number]['code'];
const STORAGE_KEY = 'mizan.lng';

export function isLang(x: string | null | undefined): x is Lang {
  return LANGUAGES.some((l) => l.code === x);
}

/** Map a BCP 47 tag from ?lng= or the browser to one of ours (prs is Dari's own code). */
export function toLang(tag: string | null | undefined): Lang | null {
  if (!tag) return null;
  const t = tag.toLowerCase();
  if (t === 'fa-af' || t.startsWith('prs') || t === 'fa' || t.startsWith('fa-')) return 'fa-AF';
  if (t.startsWith('ur')) return 'ur';
  if (t.startsWith('ps') || t.startsWith('pbt') || t.startsWith('pbu')) return 'ps';
  if (t.startsWith('en')) return 'en';
  return null;
}

/** ?lng= first, then the last choice on this device, then the browser's languages, then English. */
export function detectLanguage(): Lang {
  const fromUrl = toLang(new URLSearchParams(window.location.search).get('lng'));
  if (fromUrl) return fromUrl;
  try {
    const stored = localStorage.getItem(STORAGE_KEY);
    if (isLang(stored)) return stored;
  } catch {
    // storage disabled
  }
  for (const tag of navigator.languages ?? [navigator.language]) {
    const l = toLang(tag);
    if (l) return l;
  }
  return 'en';
}

export function languageInfo(code: string) {
  return LANGUAGES.find((l) => l.code === code) ?? LANGUAGES[0];
}

/** Set <html lang dir> so the whole page, scrollbars included, follows the script's direction. */
export function applyDocumentLanguage(code: Lang): void {
  const info = languageInfo(code);
  document.documentElement.lang = code;
  document.documentElement.dir = info.dir;
}

export function changeLanguage(code: Lang): void {
  void i18n.changeLanguage(code);
  applyDocumentLanguage(code);
  try {
    localStorage.setItem(STORAGE_KEY, code);
  } catch {
    // storage disabled
  }
  const u = new URL(window.location.href);
  if (u.searchParams.has('lng')) {
    u.searchParams.set('lng', code);
    window.history.replaceState(null, '', u.pathname + u.search);
  }
}

export function initI18n(): Lang {
  const lng = detectLanguage();
  void i18n.use(initReactI18next).init({
    resources: { en: { translation: en }, ur: { translation: ur }, ps: { translation: ps }, 'fa-AF': { translation: faAF } },
    lng,
    fallbackLng: 'en',
    supportedLngs: LANGUAGES.map((l) => l.code),
    interpolation: { escapeValue: false },
    returnNull: false,
    initAsync: false,
  });
  // Numbers in strings ({{count, number}}) use the same formatter as the rest of the page, so
  // Pashto gets its digits even where the browser lacks Pashto locale data.
  i18n.services.formatter?.add('number', (value: unknown, lang: string | undefined) => (typeof value === 'number' ? makeFormatter(lang || i18n.language).num(value) : String(value)));
  applyDocumentLanguage(lng);
  return lng;
}

export { i18n };
