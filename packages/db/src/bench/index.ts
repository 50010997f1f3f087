/** `@mlapi/db/bench`: what the benches use to build a database at volume and to measure it. */
export { defaultFillInputs, fillCalls, settleAfterFill, type FillResult } from './fill-calls.ts';
export { rollupFootprint, type Footprint, type TableFootprint } from './rollup-footprint.ts';
