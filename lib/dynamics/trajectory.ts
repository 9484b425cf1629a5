/**
 * The one shape of a path, shared by discrete runs (runMomentum) and continuous flows (momentumFlow): a list of
 * points in continuous time t, each with the training loss and the regression vector w. An MGD run's iterate k sits
 * at t_k = k·γ/(1−β), so a run and a flow compare point by point with no adapter.
 */

/** One point of a path. */
export interface PathPoint {
  /** Continuous time (k·h for iterate k of a run). */
  t: number;
  /** Training loss L(w) = ‖Xw − y‖²/(2n). */
  loss: number;
  /** The regression vector w (u ⊙ v on the network). */
  w: Float64Array;
  u?: Float64Array;
  v?: Float64Array;
}

/** A path: its points in increasing t (the first at t = 0 unless asked otherwise) and its final state. */
export interface Trajectory<P extends PathPoint = PathPoint> {
  /** λ = γ/(1−β)² of the run, or the mass of the flow (0 for GD and GF). */
  lambda: number;
  points: P[];
  final: P;
}
