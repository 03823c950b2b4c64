import type { ReactNode } from 'react';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { LANGUAGES, changeLanguage, isLang } from '../i18n/index.js';
import { useDirectory, useNaming, useNames, useSession } from './context.js';
import { Link, useLocation } from './router.js';

const NAV = [
  { to: '/', key: 'nav.overview' },
  { to: '/agreements', key: 'nav.agreements' },
  { to: '/allegations', key: 'nav.allegations' },
  { to: '/threat-matrix', key: 'nav.threatMatrix' },
  { to: '/warning', key: 'nav.warning' },
  { to: '/log', key: 'nav.log' },
  { to: '/about', key: 'nav.about' },
] as const;

function isCurrent(path: string, to: string): boolean {
  if (to === '/') return path === '/' || path.startsWith('/incidents');
  return path === to || path.startsWith(to + '/');
}

export function Layout({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const { path } = useLocation();
  const { user } = useSession();
  const [menuOpen, setMenuOpen] = useState(false);
  // A monitor's first task is reporting: the form comes first in its menu.
  // The review queue is listed only for the roles that work it (analysts, mediators, admins: extraction).
  const reviewer = user?.role === 'analyst' || user?.role === 'mediator' || user?.role === 'admin';
  const base = reviewer ? [...NAV.slice(0, 4), { to: '/review', key: 'nav.review' } as const, ...NAV.slice(4)] : NAV;
  const nav = user?.role === 'monitor' ? [{ to: '/report', key: 'nav.report' } as const, ...base] : base;
  useEffect(() => setMenuOpen(false), [path]);

  return (
    <div className="app">
      <a className="skip-link" href="#main">
        {t('nav.skip')}
      </a>
      <header className="site-header">
        <div className="brand-row">
          <Link to="/" className="brand" aria-label={t('app.homeLabel')}>
            <img src="/favicon.svg" alt="" width="28" height="28" />
            <span className="brand-name">{t('app.name')}</span>
            <span className="brand-tag">{t('app.tagline')}</span>
          </Link>
          <button type="button" className="menu-button" aria-expanded={menuOpen} aria-controls="site-nav" onClick={() => setMenuOpen((o) => !o)}>
            {t('nav.menu')}
          </button>
        </div>
        <nav id="site-nav" className={`site-nav${menuOpen ? ' open' : ''}`} aria-label={t('nav.label')}>
          <ul>
            {nav.map((n) => (
              <li key={n.to}>
                <Link to={n.to} aria-current={isCurrent(path, n.to) ? 'page' : undefined}>
                  {t(n.key)}
                </Link>
              </li>
            ))}
          </ul>
          <div className="header-tools">
            <LanguageSwitcher />
            <NamingSwitcher />
            <SessionBox />
          </div>
        </nav>
      </header>
      <main id="main" tabIndex={-1}>
        <SessionEndedNotice />
        {children}
      </main>
      <footer className="site-footer">
        <p>
          {t('footer.record')} <Link to="/log">{t('footer.verify')}</Link>
        </p>
        <p className="small">{t('about.attributionShort')}</p>
      </footer>
    </div>
  );
}

/** Says why writes stopped working after a session expired; the page (and what was typed in it) stays. */
function SessionEndedNotice() {
  const { t } = useTranslation();
  const { ended } = useSession();
  const { path } = useLocation();
  if (!ended || path === '/login') return null;
  return (
    <p className="form-error session-ended" role="alert" data-testid="session-ended">
      {t('login.ended')} <Link to={`/login?next=${encodeURIComponent(path)}`}>{t('login.again')}</Link>
    </p>
  );
}

function LanguageSwitcher() {
  const { t, i18n } = useTranslation();
  return (
    <div className="tool">
      <label htmlFor="lang-select">{t('header.language')}</label>
      <select
        id="lang-select"
        value={i18n.language}
        onChange={(e) => {
          if (isLang(e.target.value)) changeLanguage(e.target.value);
        }}
      >
        {LANGUAGES.map((l) => (
          <option key={l.code} value={l.code} lang={l.code}>
            {l.name}
          </option>
        ))}
      </select>
    </div>
  );
}

/** Neutral names by default; or the names one side uses. */
function NamingSwitcher() {
  const { t } = useTranslation();
  const { view, setView } = useNaming();
  const dir = useDirectory();
  const names = useNames();
  const sides = [...dir.parties.values()].filter((p) => p.kind === 'state' || p.kind === 'de_facto_authority');
  return (
    <div className="tool">
      <label htmlFor="naming-select">{t('header.naming')}</label>
      <select id="naming-select" value={view} onChange={(e) => setView(e.target.value)}>
        <option value="neutral">{t('header.namingNeutral')}</option>
        {sides.map((p) => (
          <option key={p.id} value={p.id}>
            {t('header.namingAs', { party: names.name(p.id, 'party') })}
          </option>
        ))}
      </select>
    </div>
  );
}

function SessionBox() {
  const { t } = useTranslation();
  const { user, checked, ended, logout } = useSession();
  const names = useNames();
  if (!checked) return null;
  if (!user || ended) {
    return (
      <Link to="/login" className="button small">
        {t('nav.login')}
      </Link>
    );
  }
  return (
    <div className="session-box">
      <span className="who" data-testid="session-user">
        <bdi>{user.name}</bdi> · {t(`role.${user.role}`)}
        {user.party && <> · {names.name(user.party, 'party')}</>}
      </span>
      <button
        type="button"
        className="button small secondary"
        onClick={() => {
          void logout();
        }}
      >
        {t('nav.logout')}
      </button>
    </div>
  );
}
