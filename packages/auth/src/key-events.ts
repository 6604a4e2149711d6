import { z } from 'zod';

export const API_KEY_ROLES = ['machine', 'reader', 'operator'] as const;
export type ApiKeyRole = (typeof API_KEY_ROLES)[number];

/** `'*'`: every factory; otherwise the factoryIds the key may write or read. */
export const factoryScopeSchema = z.union([z.literal('*'), z.array(z.string().min(1).max(128)).min(1)]);
export type FactoryScope = z.infer<typeof factoryScopeSchema>;

/**
 * One change of one key, the value of the compacted key topic (keyed by keyId, so compaction keeps
 * each key's latest state: created, or revoked). Holds the salted hash, never the key.
 */
export const keyEventSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('created'),
    keyId: z.string().regex(/^[0-9a-f]{16}$/),
    role: z.enum(API_KEY_ROLES),
    factories: factoryScopeSchema,
    label: z.string().max(200).optional(),
    salt: z.string().regex(/^[0-9a-f]+$/),
    hash: z.string().regex(/^[0-9a-f]+$/),
    at: z.string(),
  }),
  z.object({ type: z.literal('revoked'), keyId: z.string().regex(/^[0-9a-f]{16}$/), at: z.string() }),
]);
export type KeyEvent = z.infer<typeof keyEventSchema>;
export type KeyCreated = Extract<KeyEvent, { type: 'created' }>;
