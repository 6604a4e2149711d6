// `@shopfloor/contracts/testing`: shared by tests, the chaos harness and the benchmarks.
export { seededRandom } from './seeded-random.ts';
export { sampleEvent } from './sample-event.ts';
