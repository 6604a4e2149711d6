import { API_KEY_ROLES, type ApiKeyRole, createKey, type KeyLog, listKeys, revokeKey } from '@shopfloor/auth';
import { type Command, Option } from 'commander';
import { CliError, formatTable, toJson } from './output.ts';

/**
 * `shopfloor keys create|list|revoke`: API keys through the key log. `create` prints the key once
 * (it is stored only as a salted hash); list and revoke name keys by their public id.
 * Plug in with `addKeysCommand(program, () => keyLogOf(context), (s) => context.out(s))`.
 */
export function addKeysCommand(program: Command, keyLog: () => KeyLog, out: (text: string) => void): Command {
  const keys = program.command('keys').description('create, list and revoke API keys');
  keys
    .command('create')
    .description('create a key and print it (once: only its salted hash is kept)')
    .addOption(
      new Option('--role <role>', 'what the key may do').choices(API_KEY_ROLES).makeOptionMandatory(),
    )
    .option('--factory <id...>', 'the factories the key may write or read (repeatable)')
    .option('--all-factories', 'every factory')
    .option('--label <text>', 'who or what holds the key')
    .action(async (o: { role: ApiKeyRole; factory?: string[]; allFactories?: boolean; label?: string }) => {
      if (!o.allFactories && !o.factory?.length)
        throw new CliError('give --factory <id> (repeatable) or --all-factories');
      if (o.allFactories && o.factory?.length)
        throw new CliError('give --factory or --all-factories, not both');
      const created = await createKey(keyLog(), {
        role: o.role,
        factories: o.allFactories ? '*' : o.factory!,
        ...(o.label ? { label: o.label } : {}),
      });
      out(
        `key ${created.keyId} (${o.role}) created. It is shown only now; store it safely:\n${created.token}`,
      );
    });
  keys
    .command('list')
    .description('the live keys: id, role, factories (never the keys themselves)')
    .option('--json', 'print JSON')
    .action(async (o: { json?: boolean }) => {
      const live = await listKeys(keyLog());
      if (o.json) return out(toJson(live));
      out(
        formatTable(
          ['keyId', 'role', 'factories', 'label', 'created'],
          live.map((k) => [
            k.keyId,
            k.role,
            k.factories === '*' ? '*' : k.factories.join(','),
            k.label,
            k.createdAt,
          ]),
        ),
      );
    });
  keys
    .command('revoke <keyId>')
    .description('revoke a key; every service refuses it once it has read the revocation')
    .action(async (keyId: string) => {
      if (!(await revokeKey(keyLog(), keyId))) throw new CliError(`no live key ${keyId}`);
      out(`key ${keyId} revoked`);
    });
  return keys;
}
