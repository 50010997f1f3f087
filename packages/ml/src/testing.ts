/** Test helpers other packages share (`@mlapi/ml/testing`): the real data sets, for tests that send real rows. */
export { loadBostonRows } from './training/load-data.ts';
