// The incident map: MapLibre GL over local GeoJSON only (no tiles, no remote style, no glyphs).
// Land, the border, provinces and districts are vector layers; incidents, clusters and place
// labels are HTML markers — focusable buttons, drawn in the page's own fonts and languages.
import type { FeatureCollection, Point } from 'geojson';
import type { GeoJSONSource, Map as MlMap, Marker, StyleSpecification } from 'maplibre-gl';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AssessmentStatus } from '../api/types.js';
import { STATUSES, STATUS_OUTLINE, STATUS_SHAPE, eventColour, severity, shapePath } from '../lib/status.js';
import { makeFormatter } from '../lib/format.js';
import { GEO_URLS, absolute } from './geo.js';
import { maplibregl } from './maplibre.js';
import { KEY_PLACES, placeName } from './places.js';

export interface MapPoint {
  readonly id: string;
  readonly lon: number;
  readonly lat: number;
  readonly title: string;
  readonly eventType: string;
  readonly status: AssessmentStatus | null;
}

interface Props {
  readonly points: readonly MapPoint[];
  readonly selected?: ReadonlySet<string> | null;
  readonly onSelect?: (ids: string[] | null, via: 'point' | 'cluster') => void;
  /** Called after the view settles, with the ids of the points inside it. */
  readonly onView?: (ids: string[]) => void;
  /** One incident: no clustering, zoomed in. */
  readonly single?: boolean;
  readonly label: string;
  readonly className?: string;
}

const LAND = '#f3efe4';
const OUTSIDE = '#dde6ea';

/** The base map: land, provinces and the border from local GeoJSON (also the report form's pin map). */
/** A flat map of Afghanistan and Pakistan on the local base style (no rotation, no pitch, no world copies). */
export function regionMap(container: HTMLElement, maxZoom: number): MlMap {
  return new maplibregl.Map({
    container,
    style: baseStyle(),
    bounds: [
      [60.5, 23.6],
      [77.9, 38.6],
    ],
    fitBoundsOptions: { padding: 8 },
    attributionControl: false,
    dragRotate: false,
    pitchWithRotate: false,
    touchPitch: false,
    maxZoom,
    minZoom: 3,
    renderWorldCopies: false,
    cooperativeGestures: false,
  });
}

export function baseStyle(): StyleSpecification {
  return {
    version: 8,
    sources: {
      countries: { type: 'geojson', data: absolute(GEO_URLS.countries) },
      afgAdm1: { type: 'geojson', data: absolute(GEO_URLS.afgAdm1) },
      pakAdm1: { type: 'geojson', data: absolute(GEO_URLS.pakAdm1) },
      border: { type: 'geojson', data: absolute(GEO_URLS.border) },
    },
    layers: [
      { id: 'background', type: 'background', paint: { 'background-color': OUTSIDE } },
      { id: 'land', type: 'fill', source: 'countries', paint: { 'fill-color': LAND } },
      { id: 'afg-adm1', type: 'line', source: 'afgAdm1', paint: { 'line-color': '#b7ae9a', 'line-width': ['interpolate', ['linear'], ['zoom'], 4, 0.5, 9, 1.4] } },
      { id: 'pak-adm1', type: 'line', source: 'pakAdm1', paint: { 'line-color': '#b7ae9a', 'line-width': ['interpolate', ['linear'], ['zoom'], 4, 0.5, 9, 1.4] } },
      { id: 'country-outline', type: 'line', source: 'countries', paint: { 'line-color': '#8f8776', 'line-width': 1 } },
      { id: 'border-casing', type: 'line', source: 'border', layout: { 'line-join': 'round' }, paint: { 'line-color': '#ffffff', 'line-width': ['interpolate', ['linear'], ['zoom'], 4, 4, 9, 7], 'line-opacity': 0.8 } },
      { id: 'border-line', type: 'line', source: 'border', layout: { 'line-join': 'round' }, paint: { 'line-color': '#5a3e2b', 'line-width': ['interpolate', ['linear'], ['zoom'], 4, 1.8, 9, 3.2] } },
    ],
  };
}

/** Districts appear from zoom 6.5, loaded only then (they are the largest files). */
function addDistricts(map: MlMap) {
  if (map.getSource('afgAdm2')) return;
  map.addSource('afgAdm2', { type: 'geojson', data: absolute(GEO_URLS.afgAdm2) });
  map.addSource('pakAdm2', { type: 'geojson', data: absolute(GEO_URLS.pakAdm2) });
  for (const id of ['afgAdm2', 'pakAdm2']) {
    map.addLayer({ id: `${id}-line`, type: 'line', source: id, minzoom: 6.5, paint: { 'line-color': '#cfc7b4', 'line-width': 0.6, 'line-dasharray': [2, 2] } }, 'afg-adm1');
  }
}

function markerSvg(status: AssessmentStatus | null, colour: string, size: number): string {
  const key = status ?? 'unassessed';
  const shape = STATUS_SHAPE[key];
  const fill = shape === 'ring' ? '#ffffff' : colour;
  const stroke = shape === 'ring' ? colour : '#1b1b1b';
  const width = STATUS_OUTLINE[key] + (shape === 'ring' ? 2 : 0);
  return `<svg width="${size}" height="${size}" viewBox="-2 -2 24 24" aria-hidden="true" focusable="false"><path d="${shapePath(shape)}" fill="${fill}" stroke="${stroke}" stroke-width="${width}" stroke-linejoin="round"/></svg>`;
}

function toFeatureCollection(points: readonly MapPoint[]): FeatureCollection<Point> {
  return {
    type: 'FeatureCollection',
    features: points.map((p) => ({
      type: 'Feature',
      id: undefined,
      geometry: { type: 'Point', coordinates: [p.lon, p.lat] },
      properties: { id: p.id, sev: severity(p.status) },
    })),
  };
}

export function IncidentMap({ points, selected, onSelect, onView, single = false, label, className }: Props) {
  const { t, i18n } = useTranslation();
  const container = useRef<HTMLDivElement>(null);
  const mapRef = useRef<MlMap | null>(null);
  const markers = useRef(new Map<string, Marker>());
  const labelMarkers = useRef<Marker[]>([]);
  const [ready, setReady] = useState(false);
  const [failed, setFailed] = useState<string | null>(null);
  const pointsRef = useRef(points);
  pointsRef.current = points;
  const selectedRef = useRef(selected);
  selectedRef.current = selected;
  const onSelectRef = useRef(onSelect);
  onSelectRef.current = onSelect;
  const onViewRef = useRef(onView);
  onViewRef.current = onView;
  const tRef = useRef(t);
  tRef.current = t;

  // Create the map once.
  useEffect(() => {
    const el = container.current;
    if (!el) return undefined;
    let map: MlMap;
    try {
      map = regionMap(el, 12);
    } catch (e) {
      setFailed(e instanceof Error ? e.message : String(e));
      return undefined;
    }
    map.touchZoomRotate.disableRotation();
    map.keyboard.disableRotation();
    map.addControl(new maplibregl.NavigationControl({ showCompass: false }), 'top-right');
    map.addControl(new maplibregl.ScaleControl({ unit: 'metric' }), 'bottom-left');
    map.on('error', (e) => {
      // A missing file is worth showing; transient tile errors are not.
      const msg = (e as { error?: Error }).error?.message ?? '';
      if (/WebGL/i.test(msg)) setFailed(msg);
    });
    map.on('load', () => {
      map.addSource('incidents', {
        type: 'geojson',
        data: toFeatureCollection(pointsRef.current),
        cluster: !single,
        clusterRadius: 36,
        clusterMaxZoom: 8,
        clusterProperties: { sev: ['min', ['get', 'sev']] },
      });
      // An invisible layer keeps the source's tiles loaded so querySourceFeatures sees them.
      map.addLayer({ id: 'incidents-anchor', type: 'circle', source: 'incidents', paint: { 'circle-radius': 1, 'circle-opacity': 0 } });
      setReady(true);
    });
    map.on('zoomend', () => {
      if (map.getZoom() >= 6.3) addDistricts(map);
    });
    mapRef.current = map;
    const ro = new ResizeObserver(() => map.resize());
    ro.observe(el);
    return () => {
      ro.disconnect();
      for (const m of markers.current.values()) m.remove();
      markers.current.clear();
      for (const m of labelMarkers.current) m.remove();
      labelMarkers.current = [];
      map.remove();
      mapRef.current = null;
    };
  }, [single]);

  // Place labels and the border label, in the interface language.
  useEffect(() => {
    const map = mapRef.current;
    if (!map || !ready) return undefined;
    for (const m of labelMarkers.current) m.remove();
    const lang = i18n.language;
    const made: Marker[] = [];
    const addLabel = (lon: number, lat: number, text: string, cls: string, rank: number) => {
      const el = document.createElement('div');
      el.className = `map-label ${cls}`;
      el.dataset['rank'] = String(rank);
      el.setAttribute('aria-hidden', 'true');
      el.textContent = text;
      made.push(new maplibregl.Marker({ element: el, anchor: 'left', offset: [4, 0] }).setLngLat([lon, lat]).addTo(map));
    };
    for (const p of KEY_PLACES) addLabel(p.lon, p.lat, placeName(p, lang), 'place', p.rank);
    addLabel(63.2, 32.6, t('map.afghanistan'), 'country', 0);
    addLabel(68.6, 27.6, t('map.pakistan'), 'country', 0);
    labelMarkers.current = made;
    // The border's name along the line itself, at a quarter, half and three quarters of its length.
    let cancelled = false;
    void fetch(GEO_URLS.border)
      .then((r) => r.json() as Promise<{ features: { geometry: { coordinates: [number, number][] } }[] }>)
      .then((fc) => {
        const line = fc.features[0]?.geometry.coordinates ?? [];
        if (cancelled || line.length < 20) return;
        for (const at of [0.25, 0.5, 0.75]) {
          const i = Math.floor(line.length * at);
          const [a, b] = [line[Math.max(0, i - 6)]!, line[Math.min(line.length - 1, i + 6)]!];
          let angle = (-Math.atan2(b[1] - a[1], (b[0] - a[0]) * Math.cos((a[1] * Math.PI) / 180)) * 180) / Math.PI;
          if (angle > 90) angle -= 180;
          if (angle < -90) angle += 180;
          const el = document.createElement('div');
          el.className = 'map-label border';
          el.dataset['rank'] = '0';
          el.setAttribute('aria-hidden', 'true');
          const text = document.createElement('span');
          text.textContent = t('map.borderLabel');
          text.style.setProperty('--angle', `${angle.toFixed(0)}deg`);
          el.append(text);
          made.push(new maplibregl.Marker({ element: el, anchor: 'bottom', offset: [0, -4] }).setLngLat(line[i]!).addTo(map));
        }
      })
      .catch(() => undefined);
    const applyZoom = () => {
      const z = map.getZoom();
      for (const m of made) {
        const rank = Number(m.getElement().dataset['rank']);
        const show = rank === 0 ? true : rank === 1 ? true : rank === 2 ? z >= 5.3 : z >= 6.8;
        m.getElement().classList.toggle('hidden', !show);
      }
    };
    applyZoom();
    map.on('zoom', applyZoom);
    return () => {
      cancelled = true;
      map.off('zoom', applyZoom);
      for (const m of made) m.remove();
    };
  }, [ready, i18n.language, t]);

  // Data changes. The first time there are incidents, frame those in the region (the talks in
  // Doha and Istanbul would otherwise zoom the map out to half of Asia).
  const framed = useRef(false);
  useEffect(() => {
    const map = mapRef.current;
    if (!map || !ready) return;
    map.getSource<GeoJSONSource>('incidents')?.setData(toFeatureCollection(points));
    if (single && points[0]) {
      map.jumpTo({ center: [points[0].lon, points[0].lat], zoom: 7 });
      return;
    }
    const local = points.filter((p) => p.lon > 60 && p.lon < 78 && p.lat > 23 && p.lat < 39);
    if (!framed.current && local.length > 1) {
      framed.current = true;
      const lons = local.map((p) => p.lon);
      const lats = local.map((p) => p.lat);
      map.fitBounds(
        [
          [Math.min(...lons), Math.min(...lats)],
          [Math.max(...lons), Math.max(...lats)],
        ],
        { padding: 48, maxZoom: 6.5, duration: 0 },
      );
    }
  }, [points, ready, single]);

  // Markers follow the clustered source.
  useEffect(() => {
    const map = mapRef.current;
    if (!map || !ready) return undefined;
    const byId = () => new Map(pointsRef.current.map((p) => [p.id, p]));
    let frame = 0;
    const update = () => {
      frame = 0;
      const lookup = byId();
      const seen = new Set<string>();
      const sel = selectedRef.current;
      for (const f of map.querySourceFeatures('incidents')) {
        const props = f.properties as { cluster?: boolean; cluster_id?: number; point_count?: number; sev?: number; id?: string };
        const [lon, lat] = (f.geometry as Point).coordinates as [number, number];
        const key = props.cluster ? `c${props.cluster_id}` : `p${props.id}`;
        if (seen.has(key)) continue;
        seen.add(key);
        let marker = markers.current.get(key);
        if (!marker) {
          const el = document.createElement('button');
          el.type = 'button';
          if (props.cluster) {
            const count = props.point_count ?? 0;
            const sev = STATUSES[props.sev ?? -1] ?? null;
            el.className = `map-cluster sev-${sev ?? 'unassessed'}`;
            el.textContent = makeFormatter(i18n.language).num(count);
            el.dataset['count'] = String(count);
            el.setAttribute('aria-label', tRef.current('map.cluster', { count }));
            const size = Math.min(56, 26 + Math.sqrt(count) * 6);
            el.style.width = el.style.height = `${size}px`;
            const clusterId = props.cluster_id!;
            el.addEventListener('click', () => {
              const src = map.getSource('incidents') as GeoJSONSource;
              void src.getClusterLeaves(clusterId, 10_000, 0).then((leaves) => {
                onSelectRef.current?.(leaves.map((l) => String((l.properties as { id: string }).id)), 'cluster');
              });
              void src.getClusterExpansionZoom(clusterId).then((z) => map.easeTo({ center: [lon, lat], zoom: Math.min(z, 10) }));
            });
          } else {
            const p = lookup.get(props.id ?? '');
            if (!p) continue;
            el.className = `map-point sev-${p.status ?? 'unassessed'}`;
            el.dataset['incident'] = p.id;
            el.innerHTML = markerSvg(p.status, eventColour(p.eventType), 22);
            el.setAttribute('aria-label', `${p.title} — ${tRef.current(`status.${p.status ?? 'unassessed'}`)}`);
            el.title = p.title;
            el.style.zIndex = String(10 - severity(p.status));
            el.addEventListener('click', () => onSelectRef.current?.([p.id], 'point'));
          }
          marker = new maplibregl.Marker({ element: el }).setLngLat([lon, lat]).addTo(map);
          markers.current.set(key, marker);
        }
        const el = marker.getElement();
        if (!props.cluster) {
          const on = !sel || sel.has(props.id ?? '');
          el.classList.toggle('dimmed', !on);
          el.classList.toggle('selected', !!sel && sel.has(props.id ?? '') && sel.size <= 3);
          el.setAttribute('aria-pressed', String(!!sel && sel.has(props.id ?? '')));
        }
      }
      for (const [key, m] of markers.current) {
        if (!seen.has(key)) {
          m.remove();
          markers.current.delete(key);
        }
      }
    };
    const schedule = () => {
      if (!frame) frame = requestAnimationFrame(update);
    };
    const onData = (e: { sourceId?: string; isSourceLoaded?: boolean }) => {
      if (e.sourceId === 'incidents' && e.isSourceLoaded) schedule();
    };
    const onMoveEnd = () => {
      schedule();
      if (onViewRef.current) {
        const b = map.getBounds();
        onViewRef.current(pointsRef.current.filter((p) => b.contains([p.lon, p.lat])).map((p) => p.id));
      }
    };
    map.on('data', onData);
    map.on('move', schedule);
    map.on('moveend', onMoveEnd);
    // New points or selection: rebuild the markers.
    for (const m of markers.current.values()) m.remove();
    markers.current.clear();
    schedule();
    return () => {
      map.off('data', onData);
      map.off('move', schedule);
      map.off('moveend', onMoveEnd);
      if (frame) cancelAnimationFrame(frame);
    };
  }, [ready, points, selected, i18n.language]);

  return (
    <div className={`map-wrap ${className ?? ''}`} dir="ltr">
      <div ref={container} className="map" role="region" aria-label={label} data-ready={ready ? 'true' : 'false'} data-points={points.length} />
      {failed && (
        <div className="map-failed" role="alert">
          {t('map.failed')} <span className="muted small">({failed})</span>
        </div>
      )}
    </div>
  );
}
