import type { ComponentChildren } from 'preact';
import { formatCount } from '../format.ts';

/** One tile of a panel's row of counts: a label, the count (its test id) and what else it shows. */
export function CountTile(props: {
  kind: string;
  label: string;
  testId: string;
  count: number;
  children?: ComponentChildren;
}) {
  return (
    <div class={`tile ${props.kind}`}>
      <span class="label">{props.label}</span>
      <span class="value" data-testid={props.testId}>
        {formatCount(props.count)}
      </span>
      {props.children}
    </div>
  );
}
