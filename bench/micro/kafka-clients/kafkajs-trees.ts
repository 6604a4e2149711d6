// Which kafkajs source trees a kafkajs micro-benchmark compares: the directories given on the
// command line, or else the one this workspace installs (with patches/kafkajs@2.2.4.patch).
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);

export function kafkajsTrees(args: readonly string[]): string[] {
  if (args.length > 0) return args.map((dir) => path.resolve(dir));
  const kafkaPackage = path.resolve(import.meta.dirname, '../../../packages/kafka');
  return [path.dirname(require.resolve('kafkajs/package.json', { paths: [kafkaPackage] }))];
}
