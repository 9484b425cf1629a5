/**
 * The φ-functions of exponential integrators, φ₀(z) = eᶻ and φₖ(z) = ∫₀¹ e^{(1−θ)z} θ^{k−1}/(k−1)! dθ, so that
 * φₖ(z) = (φₖ₋₁(z) − 1/(k−1)!)/z and φₖ(0) = 1/k!. They give the exact solution of p' = −p/λ + (polynomial forcing)
 * over a step (z = −h/λ), which is how the exponential Adams method treats the damping exactly.
 */

const SERIES_RADIUS = 2;

/**
 * φ₀(z) … φ_K(z) into out[0..K]. A Taylor series for |z| < 2 (where the recurrence would cancel), the recurrence
 * from eᶻ beyond; both are accurate to a few ulps for the K ≤ 8 used here.
 * @param z the argument (real; −h/λ ≤ 0 in practice)
 * @param K highest index
 * @param out at least K + 1 entries
 */
export function phiFunctions(z: number, K: number, out: Float64Array): void {
  if (Math.abs(z) < SERIES_RADIUS) {
    // φ_K by its series (terms z^j/(j + K)! fall fast), then down with φ_{k−1}(z) = z·φ_k(z) + 1/(k−1)!, which is
    // stable for |z| < 2 (checked against 120-digit values to 2e-15).
    let factK = 1; // 1/K!
    for (let k = 2; k <= K; k++) factK /= k;
    let term = factK;
    let sum = 0;
    for (let j = 0; j < 60; j++) {
      sum += term;
      term *= z / (j + K + 1);
      if (Math.abs(term) <= 1e-17 * Math.abs(sum)) break;
    }
    out[K] = sum;
    let fact = factK; // 1/k! for the current k
    for (let k = K; k >= 1; k--) {
      fact *= k; // now 1/(k−1)!
      out[k - 1] = z * out[k] + fact;
    }
    return;
  }
  out[0] = Math.exp(z);
  let fact = 1; // (k−1)!
  for (let k = 1; k <= K; k++) {
    out[k] = (out[k - 1] - 1 / fact) / z;
    fact *= k;
  }
}
