export { type IssuedKey, issueKey, parseToken, secretMatches } from './api-key.ts';
export { type AuthMode, authModeFor, isLoopback } from './auth-rule.ts';
export { readBootstrapKey, startupKeys } from './bootstrap-key.ts';
export { createKey, type KeyLog, listKeys, revokeKey } from './key-admin.ts';
export {
  API_KEY_ROLES,
  type ApiKeyRole,
  type FactoryScope,
  factoryScopeSchema,
  type KeyCreated,
  type KeyEvent,
  keyEventSchema,
} from './key-events.ts';
export { type Access, inScope, KeyRing, type Principal, roleAllows } from './key-ring.ts';
