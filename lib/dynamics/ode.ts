/**
 * ODE solvers for the continuous-time flows (the files under ode/):
 * - `dopri5`: Dormand–Prince 5(4), adaptive, FSAL, 4th-order dense output (ode/dopri5.ts);
 * - `expAdams`: an exponential Adams method for damped second-order systems λẍ + ẋ = f(t, x), which treats the
 *   damping exactly and so costs what the path costs however small λ is (ode/exp-adams.ts);
 * - `rk4`: classical fixed-step RK4 (ode/rk4.ts).
 *
 * The state is a Float64Array and the right-hand side writes into a caller-owned buffer,
 * `f(t, y, dydt)`, so a step allocates nothing. Output times are sampled from the dense output, so they
 * never shorten the adaptive steps. Extra quantities (running integrals) are handled by appending them to
 * the state; `errorDims` can leave them out of dopri5's error control, and the exponential Adams method takes them
 * as quadratures outside its error control.
 */
export type { Rhs, StepHook, Interpolant, OdeStats, OdeResult, AdaptiveOptions } from "./ode/types";
export { dopri5, type Dopri5Options } from "./ode/dopri5";
export { rk4, type Rk4Options } from "./ode/rk4";
export { expAdams, expAdamsStepper, type ExpAdamsOptions, type DampedSystem, type ForceRequest } from "./ode/exp-adams";
