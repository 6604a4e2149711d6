import { useState } from 'preact/hooks';

/**
 * Asked for when the data calls answer 401 (auth on, no key or an unknown one) or 403 (a key whose
 * role may not read the dashboard): the key is kept for this tab only and sent as X-API-Key.
 */
export function KeyForm(props: { refused: string | null; onKey: (key: string) => void }) {
  const [value, setValue] = useState('');
  return (
    <form
      class="card key-form"
      data-testid="key-form"
      onSubmit={(e) => {
        e.preventDefault();
        if (value.trim() !== '') props.onKey(value.trim());
      }}
    >
      <h2>API key needed</h2>
      <p data-testid="key-reason">
        {props.refused ??
          'This server has API keys on: the dashboard reads its data with an operator key. It is kept in this tab only (sessionStorage) and sent as X-API-Key.'}
      </p>
      <input
        type="password"
        data-testid="key-input"
        autocomplete="off"
        placeholder="sfk_…"
        value={value}
        onInput={(e) => setValue(e.currentTarget.value)}
      />{' '}
      <button type="submit" data-testid="key-submit">
        Use key
      </button>
    </form>
  );
}
