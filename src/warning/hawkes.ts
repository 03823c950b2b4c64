/**
 * A multivariate Hawkes process with exponential kernels, fitted by maximum likelihood (EM on the
 * branching structure), forecast by its expected counts and by simulation. Pure: numbers in,
 * numbers out. Time is in whatever unit the caller uses (the warning module uses days).
 *
 * The intensity of dimension l is
 *
 *     λ_l(t) = μ_l + Σ_k α_kl · β · Σ_{events i on k, t_i < t} exp(−β (t − t_i))
 *
 * so α_kl is a **branching ratio**: the expected number of events on l that one event on k
 * triggers, over all time; 1/β is how long the excitation lasts. Events at the same instant do not
 * excite each other (strict t_i < t), which matters for day-resolution data.
 */

export interface HawkesEvent {
  readonly t: number;
  /** Dimension index, 0 ≤ k < dims. */
  readonly k: number;
}

export interface HawkesModel {
  /** Background rate per dimension, events per time unit. */
  readonly mu: readonly number[];
  /** alpha[k][l]: expected events on l triggered by one event on k (branching ratio). */
  readonly alpha: readonly (readonly number[])[];
  /** Decay rate of the kernel, per time unit. */
  readonly beta: number;
}

export interface HawkesWindow {
  readonly from: number;
  readonly to: number;
}

export interface FitOptions {
  /** The observation window; events before `from` are history only. Default: first to last event. */
  readonly window?: HawkesWindow;
  /** A fixed decay; when absent it is chosen by maximising the profile likelihood over `betaRange`. */
  readonly beta?: number;
  readonly betaRange?: readonly [number, number];
  readonly maxIter?: number;
  /** Stop when the log-likelihood gains less than tol · (1 + |loglik|) in one iteration. */
  readonly tol?: number;
  /** Warm start (same dims): its mu and alpha seed EM; zeros stay zeros, so they are lifted slightly. */
  readonly init?: HawkesModel;
  /**
   * 'diagonal' fits self-excitation only (alpha zero off the diagonal): the ablation that tells how
   * much the excitation between dimensions adds. EM keeps a zero at zero, so zeroing the start suffices.
   */
  readonly structure?: 'full' | 'diagonal';
}

export interface HawkesFit extends HawkesModel {
  readonly loglik: number;
  readonly iterations: number;
  readonly converged: boolean;
  /** Spectral radius of the branching matrix: < 1 means stationary (every cascade dies out). */
  readonly spectral_radius: number;
  readonly stationary: boolean;
  /** Log-likelihood before each M-step at the chosen beta, then at the final parameters. */
  readonly trace: readonly number[];
}

interface Prepared {
  readonly t: Float64Array;
  readonly k: Int32Array;
  readonly d: number;
}

function prepare(events: readonly HawkesEvent[], d: number): Prepared {
  if (!Number.isInteger(d) || d < 1) throw new RangeError(`dims must be a positive integer, got ${d}`);
  const sorted = [...events].sort((a, b) => a.t - b.t);
  const t = new Float64Array(sorted.length);
  const k = new Int32Array(sorted.length);
  sorted.forEach((e, i) => {
    if (!Number.isFinite(e.t)) throw new RangeError(`event ${i}: time is not finite`);
    if (!Number.isInteger(e.k) || e.k < 0 || e.k >= d) throw new RangeError(`event ${i}: dimension ${e.k} is outside 0..${d - 1}`);
    t[i] = e.t;
    k[i] = e.k;
  });
  return { t, k, d };
}

function defaultWindow(p: Prepared): HawkesWindow {
  const n = p.t.length;
  return n ? { from: p.t[0]!, to: p.t[n - 1]! } : { from: 0, to: 0 };
}

/** alpha as a flat transposed array: aT[l * d + k] = alpha[k][l] (the inner loops run over k). */
function flatT(alpha: readonly (readonly number[])[], d: number): Float64Array {
  const aT = new Float64Array(d * d);
  for (let k = 0; k < d; k++) {
    const row = alpha[k];
    if (!row || row.length !== d) throw new RangeError(`alpha must be ${d}×${d}`);
    for (let l = 0; l < d; l++) aT[l * d + k] = row[l]!;
  }
  return aT;
}

function unflatT(aT: Float64Array, d: number): number[][] {
  const out: number[][] = [];
  for (let k = 0; k < d; k++) {
    const row = new Array<number>(d);
    for (let l = 0; l < d; l++) row[l] = aT[l * d + k]!;
    out.push(row);
  }
  return out;
}

/**
 * Kernel mass each event puts inside the window, summed per source dimension:
 * G_k = Σ_{i on k, t_i < to} (exp(−β·max(0, from − t_i)) − exp(−β (to − t_i))).
 */
function kernelMass(p: Prepared, beta: number, w: HawkesWindow): Float64Array {
  const g = new Float64Array(p.d);
  for (let i = 0; i < p.t.length && p.t[i]! < w.to; i++) {
    const ti = p.t[i]!;
    g[p.k[i]!]! += Math.exp(-beta * Math.max(0, w.from - ti)) - Math.exp(-beta * (w.to - ti));
  }
  return g;
}

interface Sweep {
  readonly sumLog: number;
  /** Expected background events per dimension (E-step), when asked for. */
  readonly bg: Float64Array | null;
  /** Expected triggered counts, transposed like aT, when asked for. */
  readonly trig: Float64Array | null;
}

/**
 * One pass over the events in time order, keeping S_k(t) = Σ_{i on k, t_i < t} exp(−β (t − t_i))
 * by decaying it between distinct instants: O(n·d). Returns Σ log λ at the events inside the window
 * and, for EM, each event's parent probabilities summed.
 */
function sweep(p: Prepared, mu: ArrayLike<number>, aT: Float64Array, beta: number, w: HawkesWindow, estep: boolean): Sweep {
  const d = p.d;
  const S = new Float64Array(d);
  const bg = estep ? new Float64Array(d) : null;
  const trig = estep ? new Float64Array(d * d) : null;
  let sumLog = 0;
  let last = Number.NaN;
  const n = p.t.length;
  let i = 0;
  while (i < n && p.t[i]! < w.to) {
    const t = p.t[i]!;
    if (!Number.isNaN(last)) {
      const f = Math.exp(-beta * (t - last));
      for (let k = 0; k < d; k++) S[k]! *= f;
    }
    let j = i;
    while (j < n && p.t[j] === t) j++;
    if (t >= w.from) {
      for (let e = i; e < j; e++) {
        const l = p.k[e]!;
        const base = l * d;
        let exc = 0;
        for (let k = 0; k < d; k++) exc += aT[base + k]! * S[k]!;
        const lam = mu[l]! + beta * exc;
        if (!(lam > 0)) return { sumLog: -Infinity, bg, trig };
        sumLog += Math.log(lam);
        if (bg && trig) {
          bg[l]! += mu[l]! / lam;
          const c = beta / lam;
          for (let k = 0; k < d; k++) trig[base + k]! += c * aT[base + k]! * S[k]!;
        }
      }
    }
    for (let e = i; e < j; e++) S[p.k[e]!]! += 1;
    last = t;
    i = j;
  }
  return { sumLog, bg, trig };
}

function compensator(mu: ArrayLike<number>, aT: Float64Array, g: Float64Array, d: number, span: number): number {
  let c = 0;
  for (let l = 0; l < d; l++) c += mu[l]! * span;
  for (let l = 0; l < d; l++) for (let k = 0; k < d; k++) c += aT[l * d + k]! * g[k]!;
  return c;
}

/**
 * The log-likelihood of the events inside `window` given everything before it:
 * Σ log λ(t_j) − ∫ Σ_l λ_l. −Infinity when an event falls where the model's intensity is zero.
 */
export function logLikelihood(model: HawkesModel, events: readonly HawkesEvent[], window: HawkesWindow): number {
  const d = model.mu.length;
  const p = prepare(events, d);
  const aT = flatT(model.alpha, d);
  const s = sweep(p, model.mu, aT, model.beta, window, false);
  if (s.sumLog === -Infinity) return -Infinity;
  return s.sumLog - compensator(model.mu, aT, kernelMass(p, model.beta, window), d, window.to - window.from);
}

/** The intensity vector just before `at`, from the events strictly before it. */
export function intensity(model: HawkesModel, history: readonly HawkesEvent[], at: number): number[] {
  const d = model.mu.length;
  const S = excitationState(history, d, model.beta, at);
  const out: number[] = [];
  for (let l = 0; l < d; l++) {
    let exc = 0;
    for (let k = 0; k < d; k++) exc += model.alpha[k]![l]! * S[k]!;
    out.push(model.mu[l]! + model.beta * exc);
  }
  return out;
}

/** S_k(at) = Σ_{i on k, t_i < at} exp(−β (at − t_i)). */
function excitationState(history: readonly HawkesEvent[], d: number, beta: number, at: number): Float64Array {
  const S = new Float64Array(d);
  for (const e of history) if (e.t < at && e.k >= 0 && e.k < d) S[e.k]! += Math.exp(-beta * (at - e.t));
  return S;
}

interface EmResult {
  mu: Float64Array;
  aT: Float64Array;
  loglik: number;
  iterations: number;
  converged: boolean;
  trace: number[];
}

function em(p: Prepared, beta: number, w: HawkesWindow, mu0: Float64Array, aT0: Float64Array, maxIter: number, tol: number): EmResult {
  const d = p.d;
  const span = w.to - w.from;
  const g = kernelMass(p, beta, w);
  let mu = mu0;
  let aT = aT0;
  const trace: number[] = [];
  let prev = -Infinity;
  let converged = false;
  let it = 0;
  for (; it < maxIter; it++) {
    const s = sweep(p, mu, aT, beta, w, true);
    const ll = s.sumLog - compensator(mu, aT, g, d, span);
    trace.push(ll);
    if (Number.isFinite(prev) && Math.abs(ll - prev) <= tol * (1 + Math.abs(ll))) {
      converged = true;
      break;
    }
    prev = ll;
    // M-step: background rate = expected background events / span; alpha_kl = expected children
    // of k on l / kernel mass k's events have inside the window. A dimension with no events keeps 0.
    const nextMu = new Float64Array(d);
    const nextA = new Float64Array(d * d);
    for (let l = 0; l < d; l++) nextMu[l] = span > 0 ? s.bg![l]! / span : 0;
    for (let l = 0; l < d; l++) for (let k = 0; k < d; k++) nextA[l * d + k] = g[k]! > 0 ? s.trig![l * d + k]! / g[k]! : 0;
    mu = nextMu;
    aT = nextA;
  }
  const final = sweep(p, mu, aT, beta, w, false).sumLog - compensator(mu, aT, g, d, span);
  trace.push(final);
  return { mu, aT, loglik: final, iterations: it, converged, trace };
}

function initialParams(p: Prepared, w: HawkesWindow, init: HawkesModel | undefined, diagonal: boolean): { mu: Float64Array; aT: Float64Array } {
  const start = initialFull(p, w, init);
  if (diagonal) for (let l = 0; l < p.d; l++) for (let k = 0; k < p.d; k++) if (k !== l) start.aT[l * p.d + k] = 0;
  return start;
}

function initialFull(p: Prepared, w: HawkesWindow, init: HawkesModel | undefined): { mu: Float64Array; aT: Float64Array } {
  const d = p.d;
  const span = Math.max(w.to - w.from, Number.MIN_VALUE);
  const counts = new Float64Array(d);
  for (let i = 0; i < p.t.length; i++) if (p.t[i]! >= w.from && p.t[i]! < w.to) counts[p.k[i]!]! += 1;
  const mu = new Float64Array(d);
  const aT = new Float64Array(d * d);
  if (init && init.mu.length === d) {
    const given = flatT(init.alpha, d);
    // EM cannot move a parameter off zero, so a warm start lifts zeros where there is data.
    for (let l = 0; l < d; l++) mu[l] = counts[l]! > 0 ? Math.max(init.mu[l]!, (0.05 * counts[l]!) / span) : 0;
    for (let l = 0; l < d; l++) for (let k = 0; k < d; k++) aT[l * d + k] = Math.max(given[l * d + k]!, 0.01 / d);
    return { mu, aT };
  }
  for (let l = 0; l < d; l++) mu[l] = (0.5 * counts[l]!) / span;
  aT.fill(0.5 / d);
  return { mu, aT };
}

/**
 * Maximum-likelihood fit. With `beta` given, EM at that decay; otherwise the profile likelihood
 * over log β is maximised by a coarse grid and then golden-section search inside the best bracket
 * (each point an EM run warm-started from the best so far), and EM is run to convergence at the best β.
 */
export function fit(events: readonly HawkesEvent[], dims: number, options: FitOptions = {}): HawkesFit {
  const p = prepare(events, dims);
  const w = options.window ?? defaultWindow(p);
  if (!(w.to >= w.from)) throw new RangeError('the window ends before it starts');
  const maxIter = options.maxIter ?? 500;
  const tol = options.tol ?? 1e-9;
  const start = initialParams(p, w, options.init, options.structure === 'diagonal');
  let beta: number;
  if (options.beta !== undefined) {
    if (!(options.beta > 0 && Number.isFinite(options.beta))) throw new RangeError('beta must be a positive number');
    beta = options.beta;
  } else {
    const [lo, hi] = options.betaRange ?? [0.01, 10];
    if (!(lo > 0 && hi > lo)) throw new RangeError('betaRange must be 0 < low < high');
    beta = searchBeta(p, w, start, Math.log(lo), Math.log(hi), Math.min(maxIter, 150), Math.max(tol, 1e-7));
  }
  const r = em(p, beta, w, start.mu, start.aT, maxIter, tol);
  const alpha = unflatT(r.aT, dims);
  const rho = spectralRadius(alpha);
  return { mu: [...r.mu], alpha, beta, loglik: r.loglik, iterations: r.iterations, converged: r.converged, spectral_radius: rho, stationary: rho < 1, trace: r.trace };
}

function searchBeta(p: Prepared, w: HawkesWindow, start: { mu: Float64Array; aT: Float64Array }, a: number, b: number, maxIter: number, tol: number): number {
  let warm = start;
  let best = { x: a, ll: -Infinity };
  const cache = new Map<number, number>();
  const profile = (x: number): number => {
    const hit = cache.get(x);
    if (hit !== undefined) return hit;
    const r = em(p, Math.exp(x), w, warm.mu, warm.aT, maxIter, tol);
    const ll = Number.isFinite(r.loglik) ? r.loglik : -Infinity;
    if (ll > best.ll) {
      best = { x, ll };
      warm = { mu: r.mu, aT: r.aT };
    }
    cache.set(x, ll);
    return ll;
  };
  const grid = 7;
  const xs = Array.from({ length: grid }, (_, i) => a + ((b - a) * i) / (grid - 1));
  const lls = xs.map(profile);
  const i = lls.indexOf(Math.max(...lls));
  let lo = xs[Math.max(0, i - 1)]!;
  let hi = xs[Math.min(grid - 1, i + 1)]!;
  const phi = (Math.sqrt(5) - 1) / 2;
  let c = hi - phi * (hi - lo);
  let d = lo + phi * (hi - lo);
  let fc = profile(c);
  let fd = profile(d);
  for (let step = 0; step < 14; step++) {
    if (fc >= fd) {
      hi = d;
      d = c;
      fd = fc;
      c = hi - phi * (hi - lo);
      fc = profile(c);
    } else {
      lo = c;
      c = d;
      fc = fd;
      d = lo + phi * (hi - lo);
      fd = profile(d);
    }
  }
  return Math.exp(best.x);
}

/**
 * Spectral radius of a non-negative matrix by power iteration on A + I (positive diagonal, so no
 * periodicity), with the Collatz–Wielandt upper bound max_i (Bx)_i / x_i: never an underestimate.
 */
export function spectralRadius(a: readonly (readonly number[])[]): number {
  const n = a.length;
  if (n === 0) return 0;
  let x = new Float64Array(n).fill(1);
  let upper = Infinity;
  for (let it = 0; it < 2000; it++) {
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let s = x[i]!;
      // (A + I)ᵀ and A + I share their spectrum; rows of A multiply x on the left here.
      for (let j = 0; j < n; j++) s += a[j]![i]! * x[j]!;
      y[i] = s;
    }
    let lo = Infinity;
    let hi = 0;
    for (let i = 0; i < n; i++) {
      const r = y[i]! / x[i]!;
      if (r < lo) lo = r;
      if (r > hi) hi = r;
    }
    upper = Math.min(upper, hi);
    let norm = 0;
    for (let i = 0; i < n; i++) norm = Math.max(norm, y[i]!);
    for (let i = 0; i < n; i++) y[i] = Math.max(y[i]! / norm, 1e-300);
    x = y;
    if (upper - lo < 1e-10 * upper) break;
  }
  return Math.max(0, upper - 1);
}

/**
 * Expected number of events per dimension in [from, from + horizon), given the history before
 * `from`. The mean excitation state s = E[S] obeys ds/dt = −β s + μ + β αᵀ s; integrated by RK4
 * with steps short against 1/β.
 */
export function expectedCount(model: HawkesModel, history: readonly HawkesEvent[], from: number, horizon: number): number[] {
  const d = model.mu.length;
  const beta = model.beta;
  const aT = flatT(model.alpha, d);
  const s0 = excitationState(history, d, beta, from);
  let rowMax = 0;
  for (let k = 0; k < d; k++) rowMax = Math.max(rowMax, model.alpha[k]!.reduce((x, y) => x + y, 0));
  const steps = Math.min(200_000, Math.max(64, Math.ceil(horizon * beta * (1 + rowMax) * 4)));
  const h = horizon / steps;
  const rate = (s: Float64Array): Float64Array => {
    const lam = new Float64Array(d);
    for (let l = 0; l < d; l++) {
      let exc = 0;
      for (let k = 0; k < d; k++) exc += aT[l * d + k]! * s[k]!;
      lam[l] = model.mu[l]! + beta * exc;
    }
    return lam;
  };
  const deriv = (s: Float64Array): { ds: Float64Array; lam: Float64Array } => {
    const lam = rate(s);
    const ds = new Float64Array(d);
    for (let k = 0; k < d; k++) ds[k] = lam[k]! - beta * s[k]!;
    return { ds, lam };
  };
  let s = s0;
  const count = new Float64Array(d);
  const axpy = (x: Float64Array, y: Float64Array, c: number) => {
    const o = new Float64Array(d);
    for (let i = 0; i < d; i++) o[i] = x[i]! + c * y[i]!;
    return o;
  };
  for (let step = 0; step < steps; step++) {
    const k1 = deriv(s);
    const k2 = deriv(axpy(s, k1.ds, h / 2));
    const k3 = deriv(axpy(s, k2.ds, h / 2));
    const k4 = deriv(axpy(s, k3.ds, h));
    const next = new Float64Array(d);
    for (let i = 0; i < d; i++) {
      next[i] = s[i]! + (h / 6) * (k1.ds[i]! + 2 * k2.ds[i]! + 2 * k3.ds[i]! + k4.ds[i]!);
      count[i]! += (h / 6) * (k1.lam[i]! + 2 * k2.lam[i]! + 2 * k3.lam[i]! + k4.lam[i]!);
    }
    s = next;
  }
  return [...count];
}

/** A small seeded PRNG (mulberry32): the same seed gives the same samples on every machine. */
export function seededRng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Poisson draw by inversion; large means are split so exp(−mean) never underflows. */
export function poissonDraw(mean: number, rng: () => number): number {
  if (!(mean > 0)) return 0;
  let total = 0;
  let m = mean;
  while (m > 0) {
    const part = Math.min(m, 500);
    m -= part;
    let k = 0;
    let pmf = Math.exp(-part);
    let cdf = pmf;
    const u = rng();
    while (u > cdf && k < 100_000) {
      k++;
      pmf *= part / k;
      cdf += pmf;
      if (pmf === 0) break;
    }
    total += k;
  }
  return total;
}

/** A delay in [0, limit) with density ∝ exp(−β x). */
function truncatedExp(beta: number, limit: number, rng: () => number): number {
  const x = -Math.log(1 - rng() * (1 - Math.exp(-beta * limit))) / beta;
  return Math.min(x, limit * (1 - 1e-12));
}

export interface Simulation {
  /** counts[s][l]: events on dimension l in sample s. */
  readonly counts: number[][];
  /** Samples cut short at `maxEvents` (only an explosive, non-stationary model gets there). */
  readonly truncated: number;
}

interface Cascade {
  readonly events: HawkesEvent[];
  readonly truncated: boolean;
}

/**
 * One draw of the events in [from, from + horizon) by the branching (cluster) representation:
 * background events, children of the history (their superposition is Poisson with a decaying
 * shape), then children of children until the horizon.
 */
function cascade(model: HawkesModel, S: Float64Array, from: number, horizon: number, rng: () => number, maxEvents: number): Cascade {
  const d = model.mu.length;
  const beta = model.beta;
  const tail = 1 - Math.exp(-beta * horizon);
  const queue: HawkesEvent[] = [];
  for (let l = 0; l < d; l++) {
    let x = 0;
    for (let k = 0; k < d; k++) x += model.alpha[k]![l]! * S[k]!;
    for (let m = poissonDraw(model.mu[l]! * horizon, rng); m > 0; m--) queue.push({ t: from + rng() * horizon, k: l });
    for (let m = poissonDraw(x * tail, rng); m > 0; m--) queue.push({ t: from + truncatedExp(beta, horizon, rng), k: l });
  }
  const end = from + horizon;
  const out: HawkesEvent[] = [];
  while (queue.length) {
    const e = queue.pop()!;
    out.push(e);
    if (out.length >= maxEvents) return { events: out, truncated: true };
    const row = model.alpha[e.k]!;
    let rho = 0;
    for (const v of row) rho += v;
    const left = end - e.t;
    if (!(rho > 0) || left <= 0) continue;
    for (let m = poissonDraw(rho * (1 - Math.exp(-beta * left)), rng); m > 0; m--) queue.push({ t: e.t + truncatedExp(beta, left, rng), k: pickColumn(row, rho, rng) });
  }
  return { events: out, truncated: false };
}

function pickColumn(row: readonly number[], total: number, rng: () => number): number {
  let u = rng() * total;
  for (let l = 0; l < row.length; l++) {
    u -= row[l]!;
    if (u < 0) return l;
  }
  return row.length - 1;
}

/** `n` samples of the counts per dimension in [from, from + horizon), given the history before `from`. */
export function simulate(model: HawkesModel, history: readonly HawkesEvent[], from: number, horizon: number, rng: () => number, n: number, maxEvents = 100_000): Simulation {
  const d = model.mu.length;
  const S = excitationState(history, d, model.beta, from);
  const counts: number[][] = [];
  let truncated = 0;
  for (let s = 0; s < n; s++) {
    const c = cascade(model, S, from, horizon, rng, maxEvents);
    const row = new Array<number>(d).fill(0);
    for (const e of c.events) row[e.k]! += 1;
    if (c.truncated) truncated++;
    counts.push(row);
  }
  return { counts, truncated };
}

/** A sample path on [from, from + horizon) from an empty history, in time order (for tests and checks). */
export function simulateEvents(model: HawkesModel, from: number, horizon: number, rng: () => number, maxEvents = 1_000_000): HawkesEvent[] {
  return cascade(model, new Float64Array(model.mu.length), from, horizon, rng, maxEvents).events.sort((a, b) => a.t - b.t);
}

/** The q-quantile of a sample (the smallest value with at least q of the sample at or below it). */
export function sampleQuantile(xs: readonly number[], q: number): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))]!;
}
