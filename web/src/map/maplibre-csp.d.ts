// MapLibre's CSP build has the same API as the main build but loads its worker from a file
// (setWorkerUrl) instead of a blob: URL, so the page works under script-src 'self'.
declare module 'maplibre-gl/dist/maplibre-gl-csp.js' {
  import * as maplibregl from 'maplibre-gl';
  export default maplibregl;
}
