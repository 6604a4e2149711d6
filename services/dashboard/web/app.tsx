import { useState } from 'preact/hooks';
import { WINDOW_KEYS, type WindowKey } from '../src/snapshot-types.ts';
import { storeApiKey, storedApiKey } from './api-key.ts';
import { formatDateTime, formatTime } from './format.ts';
import { DeadLettersPanel } from './panels/dead-letters-panel.tsx';
import { EquipmentPanel, RecentAlertsPanel } from './panels/equipment-panel.tsx';
import { IngestPanel } from './panels/ingest-panel.tsx';
import { KeyForm } from './panels/key-form.tsx';
import { LagPanel } from './panels/lag-panel.tsx';
import { MachinesPanel } from './panels/machines-panel.tsx';
import { MetricEventsPanel } from './panels/metric-events-panel.tsx';
import { RejectionsPanel } from './panels/rejections-panel.tsx';
import { TopLinesPanel } from './panels/top-lines-panel.tsx';
import { useSnapshot } from './use-snapshot.ts';

const WINDOW_LABELS: Record<WindowKey, string> = {
  '15m': 'last 15 minutes',
  '1h': 'last hour',
  '24h': 'last 24 hours',
  '7d': 'last 7 days',
};

/** The window and the factory live in the address, so a reload or a shared link keeps them. */
function initialChoice(): { windowKey: WindowKey; factoryId: string | null } {
  const params = new URLSearchParams(location.search);
  const w = params.get('window');
  return {
    windowKey: (WINDOW_KEYS as readonly string[]).includes(w ?? '') ? (w as WindowKey) : '1h',
    factoryId: params.get('factory'),
  };
}

function remember(windowKey: WindowKey, factoryId: string | null): void {
  const params = new URLSearchParams({ window: windowKey });
  if (factoryId !== null) params.set('factory', factoryId);
  history.replaceState(null, '', `${location.pathname}?${params}`);
}

export function App({ api }: { api: string }) {
  const [choice, setChoice] = useState(initialChoice);
  const [apiKey, setApiKey] = useState(storedApiKey);
  const chooseKey = (key: string | null) => {
    storeApiKey(key);
    setApiKey(key);
  };
  const { snapshot, error, keyProblem } = useSnapshot(api, choice.windowKey, choice.factoryId, apiKey);
  const choose = (next: Partial<typeof choice>) => {
    const merged = { ...choice, ...next };
    remember(merged.windowKey, merged.factoryId);
    setChoice(merged);
  };
  return (
    <main>
      <header>
        <h1>Shopfloor</h1>
        <label>
          Window{' '}
          <select
            data-testid="window-picker"
            value={choice.windowKey}
            onChange={(e) => choose({ windowKey: e.currentTarget.value as WindowKey })}
          >
            {WINDOW_KEYS.map((k) => (
              <option value={k} key={k}>
                {WINDOW_LABELS[k]}
              </option>
            ))}
          </select>
        </label>
        {snapshot && (
          <span
            class="window"
            data-testid="window"
            data-start={snapshot.window.start}
            data-end={snapshot.window.end}
          >
            {formatDateTime(snapshot.window.start)} – {formatDateTime(snapshot.window.end)} UTC
          </span>
        )}
        {apiKey !== null && (
          <button type="button" class="forget-key" data-testid="forget-key" onClick={() => chooseKey(null)}>
            Forget API key
          </button>
        )}
        <span class={error ? 'status stale' : 'status live'} data-testid="status">
          {error
            ? `not refreshed: ${error}`
            : snapshot
              ? `live · updated ${formatTime(snapshot.generatedAt)} UTC`
              : 'loading…'}
        </span>
      </header>
      {keyProblem && (
        <KeyForm refused={keyProblem.kind === 'refused' ? keyProblem.message : null} onKey={chooseKey} />
      )}
      {snapshot && !keyProblem && (
        <div class="grid" data-testid="dashboard" data-generated-at={snapshot.generatedAt}>
          <IngestPanel section={snapshot.ingest} />
          <MachinesPanel section={snapshot.machines} />
          <TopLinesPanel section={snapshot.factories} onPick={(factoryId) => choose({ factoryId })} />
          <RejectionsPanel section={snapshot.rejections} />
          <LagPanel section={snapshot.lag} />
          <DeadLettersPanel section={snapshot.deadLetters} />
          <EquipmentPanel section={snapshot.sensors} />
          <RecentAlertsPanel section={snapshot.sensors} />
          <MetricEventsPanel section={snapshot.metricEvents} />
        </div>
      )}
    </main>
  );
}
