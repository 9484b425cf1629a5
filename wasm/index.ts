// The WebAssembly kernels, one module (AssemblyScript; outside lib/ because it is not TypeScript the library can
// import): built by tools/build-wasm.mjs into lib/core/wasm/kernels-generated.ts.
export { passRows, dlnUpdate, linearUpdate } from "./mgd";
export { batchResiduals, batchGradients, batchUpdate } from "./batched";
export { matVec, matTVec, matTVecCols, scaleRowsPairs, gramPairs, choleskyPairs, choleskySolvePairs, scale } from "./linalg";
