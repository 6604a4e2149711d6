import { type ClickHouseReader, queryEventWinners } from '@shopfloor/clickhouse';
import { payloadKey, type WinnerState } from '@shopfloor/contracts';
import { HttpError } from '@shopfloor/http-kit';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';

/** Winners from the projection (events FINAL), as dedupe state entries. */
export function clickHouseWinnerLookup(reader: ClickHouseReader) {
  return async (eventIds: readonly string[]): Promise<Map<string, WinnerState>> => {
    const rows = await queryEventWinners(reader, eventIds);
    return new Map(rows.map((r) => [r.eventId, { ...r, payloadKey: payloadKey(r) }]));
  };
}

const lookupBody = z.object({ eventIds: z.array(z.string().min(1).max(512)).max(100_000) });

/**
 * POST /internal/winners {eventIds} → [WinnerState]: lets dedupe processes with a state horizon
 * find winners that left their state, when the embedded ClickHouse lives in this process.
 */
export async function winnerLookupRoutes(app: FastifyInstance, { reader }: { reader: ClickHouseReader }) {
  const lookup = clickHouseWinnerLookup(reader);
  app.post('/internal/winners', async (request) => {
    const body = lookupBody.safeParse(request.body);
    if (!body.success) throw new HttpError('INVALID_QUERY', z.prettifyError(body.error));
    return [...(await lookup(body.data.eventIds)).values()];
  });
}
