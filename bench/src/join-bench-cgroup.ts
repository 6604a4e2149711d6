// Imported first by the pipeline child: with --pipeline-memory-limit-mb the bench names a memory
// cgroup for it to join before the rest of its modules (the engine, LMDB, kafkajs) are loaded.
import { joinMemoryCgroup } from './memory-cgroup.ts';

const dir = process.env.BENCH_MEMORY_CGROUP;
if (dir) joinMemoryCgroup(dir);
