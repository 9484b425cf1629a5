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
export { distance, dot, norm1, norm2, normInf, matVec, matTVec } from "./core/checked"; // the kernels, with checks
export { largestEigenvalueXtX } from "./core/linalg";
export { correlation, geometricMean, mean, sd, sum, linearFit, logLogSlope } from "./core/stats";
// the WebAssembly SIMD kernels (bit-identical to the TypeScript reference) and their worker threads: on by default
export { useWasmKernels, wasmKernelsEnabled } from "./core/wasm/module";
export { useKernelThreads, kernelThreadsReady } from "./core/wasm/threads";

// ── §1 The model: data, the diagonal network w = u ⊙ v, momentum's λ ────────────────────────────────────────────
export {
  sparseRegression, toyProblem, makeProblem, trainLoss, recoveryError, testLoss, problemToJSON, problemFromJSON,
  type Problem, type SparseRegressionOptions,
} from "./model/problems";
export { decoyRegression, toeplitzRegression, spreadAlpha, populationError, type DecoyOptions, type ToeplitzOptions } from "./model/designs";
export { initDLN, dlnFromUV, dlnWeights, balancedness, lossAndGradientChecked as lossAndGradient, type DlnState } from "./model/dln";
export {
  lambdaOf, checkLambda, timeStep, continuousTime, paramsForLambda, iterationsForTime, heavyBallStability, accelerationRule, massOf,
  secondOrderParams, type MomentumParams, type AccelerationPlan, type AccelerationSpec, type SecondOrderParams,
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
// Notebook 01: the λ × β grid against MGF_λ, the order of the path error, the modified equation, GD's γ/2 path.
export {
  momentumGrid, gridFlows, sampledFlow, unionOfTimes, supDistance, gridPathErrors, orderFits, flowSeparation,
  bundleSeparation, lambdaContrast, halvingRatio, nearestValue, flowSettling, modifiedEquationGrid, firstOrderConstants,
  gdPathCheck, linearFlows, linearRegressionRuns, runAgainstFlow, compareConstants, secondOrderPathError,
  type GridRun, type SampledFlow, type SupDistance, type PathErrorRow, type OrderFit, type BundlePair, type BundleSeparation,
  type LambdaContrast, type HalvingRatio, type SettleRow, type ModifiedEquationGridRow, type FirstOrderConstant, type GdPathRow,
  type LinearFlow, type LinearRunRow, type ConstantComparison, type SecondOrderError,
} from "./experiments/path";
// Notebook 02: iteration counts at fixed λ and fixed γ, the rule's plans against the alternatives, stability statistics.
export {
  iterationsToLoss, fixedLambdaSweep, fixedGammaSweep, relativeSpread, worstSpeedup, iterationSlope, meanTime, runContenders, stabilityStats,
  linearSpace, labelledPlan, accuracyCapCheck, firstOrderContender, planAgreement, compareWithFirstOrder, recoveryAlongBeta,
  type LossRun, type SpeedupRun, type Contender, type ContenderRow, type StabilityStats, type LabelledPlan, type AccuracyCapCheck,
} from "./experiments/acceleration";

// ── §3 Implicit bias: hyperbolic entropy, interpolators, balancedness, the limit ────────────────────────────────
export { psi, gradPsi, hessianPsiDiag, gradPsiInverse, bregmanPsi } from "./bias/entropy";
export { minPsiInterpolator, type MinPsiOptions, type MinPsiResult } from "./bias/interpolators";
export { minNormInterpolator } from "./bias/min-norm";
export { basisPursuit, weightedL1, type L1Options, type L1Result } from "./bias/l1";
export type { LinearSystem } from "./bias/linear-system";
export {
  deltaInfinity, mgfIdentityResidual, firstOrderDelta, offsetPoint, summarizeMomentumRun, projectToLimit, stateWithBalancedness,
  type IdentityResiduals, type MomentumRunSummary, type ProjectedLimit,
} from "./bias/balancedness";
export { flowLimit, type FlowLimit } from "./bias/limit";
// Notebook 00: the shape of ψ_Δ (ℓ1 and ℓ2 limits, shape ratio, unit costs, which coordinate an interpolator prefers).
export {
  psiShapeRatio, psiLimitErrors, unitEntryCosts, strictlyDecreasing, deltaForShapeRatio, coordinateChoice, type CoordinateChoice,
} from "./experiments/entropy-shape";
// Notebook 07: flows on the 2-D toy, their limits, the crossing threshold λc, discrete MGD on the same limits.
export {
  toyFlow, toyFlows, toyHorizon, thinByArcLength, logLambdaGrid, limitSummary, crossingThreshold, overdampingEstimate, discreteLimits,
  crossingRegion, increasingInLambda, limitContrast,
  type LambdaFlow, type ToyLimit, type CrossingThreshold, type DiscreteLimitRow,
} from "./experiments/toy";

// ── Theory (notebook 08): each derivation's numerical check ─────────────────────────────────────────────────────
export {
  scaleData, logTimes, conventionChecks, modifiedEquationErrors, modifiedEquationSeries, gdPathComparison, identitiesAlongFlows,
  psiDerivatives, PSI_EXPRESSION, implicitProblemErrors, crossingScan, firstOrderErrors, dataScaleComparison, projectionErrors,
  gfProjectionGap, type TableRow, type ConventionRow, type ModifiedEquationRow, type IdentityRow, type ImplicitRow, type CrossingRow,
} from "./experiments/theory";

// ── §3 Experiments of notebook 03: Δ_t along MGF, the identities, the first-order Δ∞, draws, crossings ───────────
export {
  supportOf, logSampleTimes, evenSampleTimes, deltaRatio, balancednessDrift, largestIncrease, runValidity, splitByCrossing,
  validLambdasLabel, mgfDeltaRows, mgfDeltaCaption, deltaPathRows, shrinkageRows, identityResiduals, residualRows,
  describeIdentityCheck, identityStatus,
  type RunValidity, type DeltaPathOptions, type RunResiduals, type IdentityCheck, type Trend,
} from "./experiments/balancedness";
export {
  firstOrderError, firstOrderRows, firstOrderScaling, firstOrderErrorAt, firstOrderSlopes, firstOrderSlopeTrend, logRatioRows,
  type FirstOrderScaling,
} from "./experiments/balancedness-first-order";
export {
  balancednessDraws, shrinkageOverDraws, supportShrinksMore, firstOrderOverDraws, drawErrors, type Draw, type DrawOptions,
} from "./experiments/balancedness-draws";
export {
  crossingRows, crossingCountRows, crossingOnset, crossingCaption, validityRegion, crossingGrowth, everyNthCoordinate, crossingPathRows,
} from "./experiments/balancedness-crossings";

// ── §3 Experiments of notebook 04: the ψ_Δ bridge, the exact and approximate problems, MGD, the init reading ──────
export {
  bridgeDeltas, psiBridge, bridgeRows, bridgeExponent, supportDelta, bridgeTable, sampleAt, projectionGap, exactRunRow,
  implicitSweep, approxError, implicitSweepRows, implicitSweepChartRows, sweepEntry, approxLocalSlope, oneRunPredictor,
  oneRunChartRows, crossingEnds, effectRatios, type BridgePoint, type SweepEntry, type OneRunPrediction,
} from "./experiments/implicit-bias";
export {
  exactOverDraws, exactDrawRows, worstExact, approxDrawRows, approxErrorsAt, type ExactDraw, type ExactDrawOptions,
} from "./experiments/implicit-bias-draws";
export {
  mgdAgainstFlow, mgdRows, mgdRate, mgdRateRows, deltaGapRatio, mgdDeltaRows, mgdApproxRatio, type MgdEntry, type MgdRate,
} from "./experiments/implicit-bias-mgd";
export { initFromMomentum, shapeComparison, type InitComparison, type ShapeComparison } from "./experiments/implicit-bias-init";

// ── Sweeps: grids of runs in a memo store (data/sweeps), computed on demand, with provenance ────────────────────
export {
  runSweep, compactSweep, mergeShards, describeStore, normalizeGrid, gridPoints, gridSize, selectRows, aggregateSweep, provenanceLine, combineRows,
  memoryBackend, fileBackend, memoSweep, codeVersion, verifyPoints, runToLoss, summarizeLimit, ratioStats, runKind, initAlpha,
  type GridSpec, type SweepOptions, type SweepResult, type SweepRow, type SweepReport, type SweepProgress, type AggregateRow,
  type StoreBackend, type StoredRecord, type RunToLoss, type LimitSummary, type RatioStats, type ProblemOptions,
} from "./sweeps/sweep";

// ── §5 Sparse recovery (notebook 05): grids, paired comparisons, regimes, the mechanism, spread inits ─────────────
export { SPARSE_STORE, ISOTROPIC, STRONG_DECOY, REGIMES, OTHER_REGIMES, recoveryGrid, sparseRecoveryGrids, scalesOf, type Regime } from "./experiments/sparse-grids";
export { pairedRuns, pairedCells, winCount, formatMeanSd, smallestPairedDifference, type PairedRun, type CellSummary, type WinCount } from "./experiments/paired";
export { firstDecrease, gfIsBest, monotonicity, describeException, regimeSummary, scaleEquivalence, decompositionSummary, seed1Findings, type DecompositionSummary, type MonotoneBreak } from "./experiments/sparse-recovery";
export {
  projectionCheck, scalePathGap, decoyAnatomy, uniformShapeSplit, uniformShapeRows, gfSpreadGap, spreadComparison, spreadWeights, weightedL1Errors,
  type ProjectionCheck, type DecoyAnatomy, type UniformShapeSplit, type SpreadRow,
} from "./experiments/sparse-mechanism";
export { heatmapRows, bandRows, pairedTableRows, decoyTableRows, weakTableRows, regimeDotRows, projectionRows, decompositionRows, monotonicityTable, type MonotonicityTable } from "./experiments/sparse-tables";

// ── §6 Stochastic momentum (notebook 06): the SMGD grid, gaps and their order in 1 − β, SGD's shrinkage, GD = MGF(γ/2) ─
export { SMGD_STORE, smgdGrid, smgdRegimes, smgdDefaultGrid } from "./experiments/stochastic-grids";
export {
  runRows, findRuns, findRun, runGap, smgdGaps, gapSeries, gapSlopes, runTable, uniformityRow, psiResidualTable, residualRatio, modifiedEquationCheck,
  iterationCosts, iterationBudget, runLabel, deltaTickRows, meanGap, errsBySeed, maxResidualOverMove, maxResidual, psiCheck,
  type RunRow, type Gap, type SmgdGap, type GapPoint, type HalfPathRow,
} from "./experiments/stochastic";

// ── Figures: Vega-Lite chart builders ───────────────────────────────────────────────────────────────────────────
export { lineChart, SCHEMA, type VegaLiteSpec, type Row, type ChartOptions, type AxesOptions } from "./figures/spec";
export { roundRows, sideBySide, runsOverFlows, planeChart, type PlaneOptions, type PlaneSlider } from "./figures/composite";
export { logLogChart, type LogLogOptions, type ReferenceLine } from "./figures/loglog";
export {
  runOnFlowFigure, collapseFigure, iterationFigure, pathErrorFigure, errorOrderFigure, linearRegressionFigure, gridRunRows,
  gridRunTable, settleTable, pathErrorTable, orderFitTable, modifiedEquationTable, gdPathTable, linearRunTable,
} from "./figures/path";
export {
  iterationCountChart, timeConstancyChart, stabilityMapChart, fixedLambdaTable, fixedGammaTable, planTable, contenderTable, stabilityEdgeTable,
  type LabelledSweep, type StabilityMapChartOptions,
} from "./figures/acceleration";
export { psiShapeChart, shapeRatioTable, unitCostTable, coordinateChoiceTable } from "./figures/entropy-shape";
export {
  toyPlaneFigure, toySliderFigure, limitVsLambdaChart, crossingFigure, interpolationLine, limitTable, signChangeTable, discreteLimitTable,
  crossingSummary, landmark, type Landmark,
} from "./figures/toy";
export {
  coordinateChart, scatterWithDiagonal, withMarks, powerLawChart, powerLabel, deltaPathChart, identityResidualChart, firstOrderScatter,
  logRatioChart, crossingCountChart, crossingPathChart, type PowerLawOptions,
} from "./figures/balancedness";
export { bridgeChart, implicitSweepChart, oneRunChart, mgdRateChart, mgdDeltaScatter } from "./figures/implicit-bias";
export { heatmap, bandChart, intervalDots, categoryPoints, tickChart, slopeChart, type HeatmapOptions, type BandOptions, type IntervalDotsOptions, type CategoryPointsOptions, type TickChartOptions, type SlopeChartOptions } from "./figures/grid";

// ── Notebook: display, claims, the ledger ──────────────────────────────────────────────────────────────────────
export { show, showTable, toSVG, display, chartBundle, tableBundle, inKernel, VEGALITE_MIME } from "./notebook/display";
export { sweep, notebookProgress } from "./notebook/sweep";
export { checkClaim, checkFact, showClaims, claimsDir, type ClaimCheck, type ClaimTags, type ClaimsRecord } from "./notebook/claims";
export { readSeries, recordingDecision, type RecordingDecision } from "./notebook/series";
export {
  LEDGER, VERDICTS, SOURCES, ledgerRows, ledgerTable, verdictTable, verdictTally, ownChecks, unmappedChecks, idNamesClaim,
  indexRecords, loadClaimRecords, claimsFromNotebook, type LedgerEntry, type LedgerRow, type LedgerTableRow, type Verdict,
  type CheckRef, type Reading,
} from "./notebook/ledger";
export { loadProblem, saveProblem } from "./model/problem-files";
