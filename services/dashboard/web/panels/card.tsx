import type { ComponentChildren } from 'preact';
import type { Section } from '../../src/snapshot-types.ts';

/** A titled panel that shows its section's data, or the error that kept it from being read. */
export function Card<T>(props: {
  title: string;
  testId: string;
  section: Section<T>;
  wide?: boolean;
  children: (data: T) => ComponentChildren;
}) {
  const { section } = props;
  return (
    <section class={props.wide ? 'card wide' : 'card'} data-testid={props.testId}>
      <h2>{props.title}</h2>
      {section.ok ? (
        props.children(section.data)
      ) : (
        <p class="error" data-testid={`${props.testId}-error`}>
          Unavailable: {section.error}
        </p>
      )}
    </section>
  );
}

export function Empty({ children }: { children: ComponentChildren }) {
  return <p class="empty">{children}</p>;
}
