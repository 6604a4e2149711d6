import { z } from 'zod';

/**
 * Every reason an event can be rejected for. The codes are stable: they appear in HTTP responses,
 * in the dead-letter topic and in dashboards. Add codes; never rename or reuse one.
 */
export const REJECTION_REASONS = {
  NOT_AN_OBJECT: {
    description: 'The event is not a JSON object (it is null, an array, a string, a number or a boolean).',
  },
  MISSING_FIELD: { description: 'A required field is absent.' },
  INVALID_TYPE: {
    description:
      'A field has the wrong JSON type: an id or eventTime that is not a string, a number field that is not a JSON number (e.g. "100"), or null.',
  },
  NOT_AN_INTEGER: {
    description: 'durationMs or defectCount is a number but not a safe integer (e.g. 1.5 or 1e300).',
  },
  INVALID_ID: {
    description:
      'eventId, machineId, lineId or factoryId is empty, longer than 128 Unicode code points, or contains a control character or an unpaired surrogate.',
  },
  INVALID_EVENT_TIME: {
    description:
      'eventTime is not an ISO-8601 date-time with a zone (Z, ±hh:mm or ±hhmm), or names a date or time that does not exist, or is before 1900.',
  },
  FUTURE_EVENT_TIME: {
    description: 'eventTime is more than 15 minutes after the time the gateway received it.',
  },
  INVALID_DURATION: { description: 'durationMs is below 0 or above 21 600 000 (6 hours).' },
  INVALID_DEFECT_COUNT: { description: 'defectCount is below -1 (-1 means unknown).' },
  OUT_OF_SCOPE: {
    description:
      'factoryId is not one of the factories of the machine API key that posted the event (checked only when API keys are required).',
  },
} as const satisfies Record<string, { description: string }>;

export type RejectionReason = keyof typeof REJECTION_REASONS;
export const REJECTION_REASON_CODES = Object.keys(REJECTION_REASONS) as RejectionReason[];
export const rejectionReasonSchema = z.enum(
  REJECTION_REASON_CODES as [RejectionReason, ...RejectionReason[]],
);

/** The reason codes as a Markdown table (`| Code | Meaning |`), for the README and API docs. */
export function rejectionReasonsMarkdown(): string {
  const rows = REJECTION_REASON_CODES.map(
    (code) => `| \`${code}\` | ${REJECTION_REASONS[code].description} |`,
  );
  return ['| Code | Meaning |', '| --- | --- |', ...rows].join('\n');
}
