/**
 * The library behind the notebooks, in the order of the paper. Notebooks import from here:
 *   import { sparseRegression, runMomentum, momentumFlow, show } from "./lib/index";
 *
 * Layers (folders), arrows pointing down: notebook → figures → experiments → sweeps → bias → dynamics → model → core.
 * Computation (core … experiments) never imports figures or display. What is listed here is the public surface:
 * every function validates its arguments. Low-level kernels (matrix-vector products on raw buffers, Cholesky, the
 * entropy's series helpers, the DLN's in-place gradient) stay in their modules for the library's own use.
 */

// ── Core: validation, numbers, summary statistics ───────────────────────────────────────────────────────────────
export { checkNumber, checkInteger, checkVector, checkPositiveVector, checkChoice } from "./core/validate";
export { createRng, rngFromState, normalVector, sampleWithoutReplacement, type Rng, type RngState } from "./core/random";
export { distance, dot, norm1, norm2, normInf, matVec, matTVec, largestEigenvalueXtX } from "./core/linalg";
export { correlation, geometricMean, mean, sd, sum, linearFit, logLogSlope } from "./core/stats";

// ── §1 The model: data, the diagonal network w = u ⊙ v, momentum's λ ────────────────────────────────────────────
export {
  sparseRegression, toyProblem, makeProblem, trainLoss, recoveryError, testLoss, problemToJSON, problemFromJSON,
  type Problem, type SparseRegressionOptions,
} from "./model/problems";
export { decoyRegression, toeplitzRegression, spreadAlpha, populationError, type DecoyOptions, type ToeplitzOptions } from "./model/designs";
export { initDLN, dlnFromUV, dlnWeights, balancedness, lossAndGradient, type DlnState } from "./model/dln";
export {
  lambdaOf, checkLambda, timeStep, continuousTime, paramsForLambda, iterationsForTime, heavyBallStability, accelerationRule,
  type MomentumParams, type AccelerationPlan,
} from "./model/momentum";

// ── §2 Dynamics: GD/MGD/SGD/SMGD, their continuous-time flows, stability ─────────────────────────────────────────
export {
  runMomentum, createMomentumStepper, curvatureEstimate, DivergenceError, IterationLimitError,
  type Model, type RecordField, type SnapshotSchedule, type StopRule, type StepperOptions, type MomentumOptions,
  type Snapshot, type RunResult, type MomentumStepper, type CurvatureEstimate,
} from "./dynamics/optimizers";
export { runMomentumBatched, createBatchedStepper, type BatchedRun, type BatchedOutcome } from "./dynamics/batched";
export { stabilityMap, logSpace, type StabilityMap, type StabilityCell, type StabilityOutcome } from "./dynamics/stability";
export {
  dopri5, rk4, expAdams, type Rhs, type OdeResult, type OdeStats, type Dopri5Options, type Rk4Options, type ExpAdamsOptions,
  type DampedSystem, type StepHook, type Interpolant,
} from "./dynamics/ode";
export {
  momentumFlow, gradientFlow, linearMomentumFlow, momentumFlowBatched,
  type FlowOptions, type FlowResult, type FlowSample, type FlowIntegrals, type SignChange, type LinearFlowSample,
  type LinearFlowResult, type FlowMethod, type FlowSolver, type BatchedFlowRun, type BatchedFlowOptions,
} from "./dynamics/flows";

// ── §3 Implicit bias: hyperbolic entropy, interpolators, balancedness, the limit ────────────────────────────────
export { psi, gradPsi, hessianPsiDiag, gradPsiInverse, bregmanPsi } from "./bias/entropy";
export { minPsiInterpolator, type MinPsiOptions, type MinPsiResult } from "./bias/interpolators";
export { minNormInterpolator } from "./bias/min-norm";
export { basisPursuit, weightedL1, type L1Options, type L1Result } from "./bias/l1";
export type { LinearSystem } from "./bias/linear-system";
export {
  deltaInfinity, mgfIdentityResidual, firstOrderDelta, offsetPoint, summarizeMomentumRun, projectToLimit,
  type IdentityResiduals, type MomentumRunSummary, type ProjectedLimit,
} from "./bias/balancedness";
export { flowLimit, type FlowLimit } from "./bias/limit";

// ── Sweeps: grids of runs, cached with provenance ──────────────────────────────────────────────────────────────
export {
  runSweep, loadSweep, mergeShards, sweepRows, aggregateSweep, sweepPath, configHash, normalizeSpec, gridSize,
  type SweepSpec, type SweepResult, type SweepOptions, type SweepRow, type AggregateRow, type RunRecord,
} from "./sweeps/sweep";

// ── Figures: Vega-Lite chart builders ───────────────────────────────────────────────────────────────────────────
export { lineChart, SCHEMA, type VegaLiteSpec, type Row, type ChartOptions, type AxesOptions } from "./figures/spec";
export { roundRows, sideBySide, runsOverFlows, planeChart, type PlaneOptions, type PlaneSlider } from "./figures/composite";
export { coordinateChart, scatterWithDiagonal, withMarks } from "./figures/balancedness";

// ── Notebook: display, claims, the ledger ──────────────────────────────────────────────────────────────────────
export { show, showTable, toSVG, display, chartBundle, tableBundle, inKernel, VEGALITE_MIME } from "./notebook/display";
export { checkClaim, checkFact, showClaims, claimsDir, type ClaimCheck, type ClaimsRecord } from "./notebook/claims";
export { LEDGER, ledgerRows, indexRecords, loadClaimRecords, claimsFromNotebook, type LedgerEntry, type LedgerRow, type Verdict } from "./notebook/ledger";
export { loadProblem, saveProblem } from "./model/problem-files";
