// The report form's map: the same local base map as the incident map (no tiles, no network
// beyond this origin's GeoJSON, which the service worker keeps for offline use); a tap or click
// sets the pin, and the pin can be moved by tapping elsewhere or by choosing a place.
import type { Map as MlMap, Marker } from 'maplibre-gl';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { regionMap } from './IncidentMap.js';
import { maplibregl } from './maplibre.js';

export interface Pin {
  readonly lat: number;
  readonly lon: number;
}

/** Coordinates to 5 decimals (about a metre): what a tap on a phone can mean, no more. */
export const roundPin = (lat: number, lon: number): Pin => ({ lat: Math.round(lat * 1e5) / 1e5, lon: Math.round(lon * 1e5) / 1e5 });

export function PinMap({ pin, onPin, label }: { pin: Pin | null; onPin: (p: Pin) => void; label: string }) {
  const { t } = useTranslation();
  const container = useRef<HTMLDivElement>(null);
  const map = useRef<MlMap | null>(null);
  const marker = useRef<Marker | null>(null);
  const onPinRef = useRef(onPin);
  onPinRef.current = onPin;
  const [ready, setReady] = useState(false);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    const el = container.current;
    if (!el) return undefined;
    let m: MlMap;
    try {
      m = regionMap(el, 13);
    } catch {
      setFailed(true);
      return undefined;
    }
    m.touchZoomRotate.disableRotation();
    m.keyboard.disableRotation();
    m.addControl(new maplibregl.NavigationControl({ showCompass: false }), 'top-right');
    m.on('error', (e) => {
      if (/WebGL/i.test((e as { error?: Error }).error?.message ?? '')) setFailed(true);
    });
    m.on('load', () => setReady(true));
    m.on('click', (e) => onPinRef.current(roundPin(e.lngLat.lat, e.lngLat.lng)));
    map.current = m;
    const ro = new ResizeObserver(() => m.resize());
    ro.observe(el);
    return () => {
      ro.disconnect();
      marker.current?.remove();
      marker.current = null;
      m.remove();
      map.current = null;
    };
  }, []);

  useEffect(() => {
    const m = map.current;
    if (!m) return;
    if (!pin) {
      marker.current?.remove();
      marker.current = null;
      return;
    }
    if (!marker.current) {
      const el = document.createElement('div');
      el.className = 'pin-marker';
      el.setAttribute('aria-hidden', 'true');
      marker.current = new maplibregl.Marker({ element: el, anchor: 'bottom' }).setLngLat([pin.lon, pin.lat]).addTo(m);
    } else marker.current.setLngLat([pin.lon, pin.lat]);
    if (!m.getBounds().contains([pin.lon, pin.lat]) || m.getZoom() < 7) m.easeTo({ center: [pin.lon, pin.lat], zoom: Math.max(m.getZoom(), 8), duration: 0 });
  }, [pin, ready]);

  return (
    <div className="map-wrap small-map pin-map">
      <div ref={container} className="map" role="application" aria-label={label} data-ready={ready ? 'true' : 'false'} data-testid="pin-map" />
      {failed && <p className="map-failed">{t('report.mapUnavailable')}</p>}
    </div>
  );
}
