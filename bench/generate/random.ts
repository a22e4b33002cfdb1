/** A seeded generator (mulberry32) and the skewed choices a real tenant shows. */
export type Rng = () => number;

export function rng(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const int = (r: Rng, n: number) => Math.floor(r() * n);

export function pick<T>(r: Rng, items: readonly T[]): T {
  const v = items[int(r, items.length)];
  if (v === undefined) throw new Error("pick from an empty list");
  return v;
}

/** Index 0..n-1 with Zipf weights 1/(k+1)^s: the first few take most of the draws. */
export function zipf(n: number, s: number): (r: Rng) => number {
  const cum = new Float64Array(n);
  let total = 0;
  for (let k = 0; k < n; k++) {
    total += 1 / Math.pow(k + 1, s);
    cum[k] = total;
  }
  return (r) => {
    const x = r() * total;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((cum[mid] ?? 0) < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

/** A choice by weight from `[value, weight]` pairs. */
export function weighted<T>(pairs: readonly (readonly [T, number])[]): (r: Rng) => T {
  const total = pairs.reduce((s, [, w]) => s + w, 0);
  return (r) => {
    let x = r() * total;
    for (const [v, w] of pairs) {
      x -= w;
      if (x < 0) return v;
    }
    const last = pairs[pairs.length - 1];
    if (!last) throw new Error("weighted: no choices");
    return last[0];
  };
}
