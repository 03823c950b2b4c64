import { useTranslation } from 'react-i18next';
import { EVENT_TYPES } from '../../../src/domain/taxonomy.js';
import { StatusShape } from '../components/Display.js';
import { STATUSES, eventColour } from '../lib/status.js';

export function MapLegend({ statusesKnown, eventTypes = EVENT_TYPES }: { statusesKnown: boolean; eventTypes?: readonly string[] }) {
  const { t } = useTranslation();
  return (
    <div className="map-legend">
      <div>
        <h3 className="legend-title">{t('map.legendColour')}</h3>
        <ul className="legend-list">
          {eventTypes.map((e) => (
            <li key={e}>
              <span className="swatch round" style={{ backgroundColor: eventColour(e) }} aria-hidden="true" />
              {t(`eventType.${e}`)}
            </li>
          ))}
        </ul>
      </div>
      <div>
        <h3 className="legend-title">{t('map.legendShape')}</h3>
        <ul className="legend-list">
          {STATUSES.map((s) => (
            <li key={s}>
              <StatusShape status={s} colour="#9a9a9a" size={14} />
              {t(`status.${s}`)}
            </li>
          ))}
          <li>
            <StatusShape status={null} colour="#9a9a9a" size={14} />
            {t('status.unassessed')}
          </li>
        </ul>
        {!statusesKnown && <p className="muted small">{t('map.noAssessments')}</p>}
      </div>
      <div>
        <h3 className="legend-title">{t('map.legendLines')}</h3>
        <ul className="legend-list">
          <li>
            <span className="line-swatch border" aria-hidden="true" />
            {t('map.borderLabel')}
          </li>
          <li>
            <span className="line-swatch admin" aria-hidden="true" />
            {t('map.provinces')}
          </li>
        </ul>
        <p className="muted small">{t('map.borderNote')}</p>
      </div>
    </div>
  );
}
