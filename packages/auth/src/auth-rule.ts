/** Addresses only this host can reach. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

export type AuthMode = { enabled: false; reason: string } | { enabled: true };

/**
 * The rule: auth is off only when the API listens on loopback and no key source is configured
 * (the embedded demo); listening on any other address requires keys, so a bootstrap key (env or
 * file) must be given, else start-up fails with this error's message.
 */
export function authModeFor(host: string, bootstrapKeyConfigured: boolean, authRequested: boolean): AuthMode {
  if (bootstrapKeyConfigured || authRequested) return { enabled: true };
  if (isLoopback(host)) {
    return { enabled: false, reason: `auth is off: the API listens on loopback (${host}) only` };
  }
  throw new Error(
    `HOST=${host} is reachable from other machines: API keys are required. Set SHOPFLOOR_BOOTSTRAP_KEY or SHOPFLOOR_BOOTSTRAP_KEY_FILE (an operator key), or listen on 127.0.0.1.`,
  );
}
