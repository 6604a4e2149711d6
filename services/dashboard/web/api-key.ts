// The operator key the page sends with its data calls when the server has auth on. Kept in
// sessionStorage: per tab, gone when the tab closes, never in the address (no leak through history,
// logs or a shared link) and never sent anywhere but this origin's /dashboard/api.
const STORAGE_KEY = 'shopfloor.dashboard.apiKey';

export function storedApiKey(): string | null {
  try {
    return sessionStorage.getItem(STORAGE_KEY);
  } catch {
    return null; // storage disabled: the key lives only as long as the page
  }
}

export function storeApiKey(key: string | null): void {
  try {
    if (key === null) sessionStorage.removeItem(STORAGE_KEY);
    else sessionStorage.setItem(STORAGE_KEY, key);
  } catch {}
}
