/**
 * L2-regularised logistic regression fitted by Newton–Raphson (IRLS). Small and dense: the
 * backtest has a handful of features and ~10^5 rows.
 */
export interface LogisticModel {
  readonly weights: readonly number[];
  readonly iterations: number;
}

export function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

export function predict(m: LogisticModel, x: readonly number[]): number {
  let z = m.weights[0]!;
  for (let j = 0; j < x.length; j++) z += m.weights[j + 1]! * x[j]!;
  return sigmoid(z);
}

/** Solves A x = b by Gaussian elimination with partial pivoting (A is small and positive definite). */
function solve(a: number[][], b: number[]): number[] {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]!]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r]![c]!) > Math.abs(m[p]![c]!)) p = r;
    [m[c], m[p]] = [m[p]!, m[c]!];
    const pivot = m[c]![c]!;
    if (Math.abs(pivot) < 1e-12) continue;
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = m[r]![c]! / pivot;
      if (f === 0) continue;
      for (let k = c; k <= n; k++) m[r]![k]! -= f * m[c]![k]!;
    }
  }
  return m.map((row, i) => (Math.abs(row[i]!) < 1e-12 ? 0 : row[n]! / row[i]!));
}

export function fitLogistic(xs: readonly (readonly number[])[], ys: readonly number[], lambda = 1e-3, maxIter = 50): LogisticModel {
  const d = (xs[0]?.length ?? 0) + 1;
  let w = new Array<number>(d).fill(0);
  let it = 0;
  for (; it < maxIter; it++) {
    const g = new Array<number>(d).fill(0);
    const h = Array.from({ length: d }, () => new Array<number>(d).fill(0));
    for (let i = 0; i < xs.length; i++) {
      const x = [1, ...xs[i]!];
      let z = 0;
      for (let j = 0; j < d; j++) z += w[j]! * x[j]!;
      const p = sigmoid(z);
      const r = p - ys[i]!;
      const s = Math.max(p * (1 - p), 1e-9);
      for (let j = 0; j < d; j++) {
        g[j]! += r * x[j]!;
        for (let k = j; k < d; k++) h[j]![k]! += s * x[j]! * x[k]!;
      }
    }
    for (let j = 0; j < d; j++) {
      for (let k = 0; k < j; k++) h[j]![k] = h[k]![j]!;
      // The intercept is not penalised.
      if (j > 0) {
        g[j]! += lambda * xs.length * w[j]!;
        h[j]![j]! += lambda * xs.length;
      }
    }
    const step = solve(h, g);
    w = w.map((v, j) => v - step[j]!);
    if (Math.max(...step.map(Math.abs)) < 1e-8) break;
  }
  return { weights: w, iterations: it + 1 };
}

/**
 * Poisson regression with a log link, fitted by the same damped Newton–Raphson (IRLS); the
 * linear predictor is clamped at ±30 so that a wild step cannot overflow.
 */
export function fitPoisson(xs: readonly (readonly number[])[], ys: readonly number[], lambda = 1e-3, maxIter = 50): LogisticModel {
  const d = (xs[0]?.length ?? 0) + 1;
  const meanY = ys.reduce((s, y) => s + y, 0) / Math.max(1, ys.length);
  let w = new Array<number>(d).fill(0);
  w[0] = Math.log(Math.max(meanY, 1e-6));
  let it = 0;
  for (; it < maxIter; it++) {
    const g = new Array<number>(d).fill(0);
    const h = Array.from({ length: d }, () => new Array<number>(d).fill(0));
    for (let i = 0; i < xs.length; i++) {
      const x = [1, ...xs[i]!];
      let z = 0;
      for (let j = 0; j < d; j++) z += w[j]! * x[j]!;
      const mu = Math.exp(Math.max(-30, Math.min(30, z)));
      const r = mu - ys[i]!;
      for (let j = 0; j < d; j++) {
        g[j]! += r * x[j]!;
        for (let k = j; k < d; k++) h[j]![k]! += mu * x[j]! * x[k]!;
      }
    }
    for (let j = 0; j < d; j++) {
      for (let k = 0; k < j; k++) h[j]![k] = h[k]![j]!;
      if (j > 0) {
        g[j]! += lambda * xs.length * w[j]!;
        h[j]![j]! += lambda * xs.length;
      }
    }
    const step = solve(h, g);
    // Damped: at most 1 per coefficient per iteration.
    const scale = Math.min(1, 1 / Math.max(1e-12, ...step.map(Math.abs)));
    w = w.map((v, j) => v - scale * step[j]!);
    if (Math.max(...step.map(Math.abs)) < 1e-8) break;
  }
  return { weights: w, iterations: it + 1 };
}

export function predictRate(m: LogisticModel, x: readonly number[]): number {
  let z = m.weights[0]!;
  for (let j = 0; j < x.length; j++) z += m.weights[j + 1]! * x[j]!;
  return Math.exp(Math.max(-30, Math.min(30, z)));
}

/** log P(Y = y) for Y ~ Poisson(mu). */
export function poissonLogPmf(y: number, mu: number): number {
  let lf = 0;
  for (let k = 2; k <= y; k++) lf += Math.log(k);
  return y * Math.log(mu) - mu - lf;
}

/** The smallest k with P(Y ≤ k) ≥ p, for Y ~ Poisson(mu). */
export function poissonQuantile(p: number, mu: number): number {
  let k = 0;
  let pmf = Math.exp(-mu);
  let cdf = pmf;
  while (cdf < p && k < 10_000) {
    k++;
    pmf *= mu / k;
    cdf += pmf;
  }
  return k;
}
