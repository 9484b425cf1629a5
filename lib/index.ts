/**
 * The library behind the notebooks, one concept per file. Notebooks import from here:
 *   import { sparseRegression, runMomentum, momentumFlow, show } from "./lib/index";
 */
export * from "./validate";
export * from "./random";
export * from "./linalg";
export * from "./problems";
export * from "./designs";
export * from "./dln";
export * from "./momentum";
export * from "./optimizers";
export * from "./ode";
export * from "./flows";
export * from "./entropy";
export * from "./interpolators";
export * from "./balancedness";
export * from "./stability";
export * from "./batched";
export * from "./sweep";
export * from "./plot";
export * from "./figures";
export * from "./figures-balancedness";
export * from "./claims";
export * from "./ledger";
