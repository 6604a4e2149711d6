// `@shopfloor/contracts/testing`: shared by tests, the chaos harness and the benchmarks.

export { sampleEvent } from './sample-event.ts';
export { sampleRawRecord } from './sample-raw-record.ts';
export { seededRandom } from './seeded-random.ts';
