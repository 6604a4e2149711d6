import { type ParseArgsConfig, parseArgs } from 'node:util';

type CliValues = Record<string, string | boolean | undefined>;

export interface ServiceCli {
  /** Prefix of the CLI's own lines on stderr ("local-kafka"). */
  name: string;
  usage: string;
  /** The options besides `--data-dir` and `--help`. */
  options: NonNullable<ParseArgsConfig['options']>;
  defaultDataDir: string;
  resolveDataDir(dataDir: string): string;
  /** Starts (or reuses) the server; resolves to the line printed on stdout (its address). */
  start(values: CliValues, dataDir: string, log: (line: string) => void): Promise<string>;
  stop(dataDir: string): Promise<boolean>;
  status(dataDir: string): Promise<{ state: string }>;
}

/** start | stop | status (alias health): prints the address or the status JSON; exit 0 only when running. */
export async function runServiceCli(cli: ServiceCli, argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      ...cli.options,
      'data-dir': { type: 'string', default: cli.defaultDataDir },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const command = positionals[0];
  if (values.help || !command) {
    console.log(cli.usage);
    return command || values.help ? 0 : 2;
  }
  const dataDir = cli.resolveDataDir(String(values['data-dir']));
  const log = (line: string) => console.error(`${cli.name}: ${line}`);
  switch (command) {
    case 'start':
      console.log(await cli.start(values, dataDir, log));
      return 0;
    case 'stop':
      log((await cli.stop(dataDir)) ? 'stopped' : 'not running');
      return 0;
    case 'status':
    case 'health': {
      const status = await cli.status(dataDir);
      console.log(JSON.stringify(status));
      return status.state === 'running' ? 0 : 1;
    }
    default:
      console.error(cli.usage);
      return 2;
  }
}

/** Runs the CLI as a script's main: exits with its code, or 1 with the error's message. */
export function serviceCliMain(cli: ServiceCli): void {
  runServiceCli(cli, process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      console.error(`${cli.name}: ${err instanceof Error ? err.message : String(err)}`);
      process.exit(1);
    },
  );
}
