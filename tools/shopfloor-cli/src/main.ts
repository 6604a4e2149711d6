import { ConfigError } from '@shopfloor/config';
import { CommanderError } from 'commander';
import { buildProgram } from './commands.ts';
import { CliError } from './output.ts';

// The `shopfloor` operator command (`pnpm shopfloor <command>`, `--help` on every command).
try {
  await buildProgram().parseAsync(process.argv);
  process.exit(0);
} catch (err) {
  if (err instanceof CommanderError) process.exit(err.exitCode);
  if (err instanceof CliError || err instanceof ConfigError) {
    process.stderr.write(`shopfloor: ${err.message}\n`);
    process.exit(1);
  }
  throw err;
}
