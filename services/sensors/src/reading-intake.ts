import {
  type RawReadingRecord,
  type ReadingRejectionReason,
  SENSOR_WIRE_VERSION,
  type SensorDeadLetterRecord,
  validateReading,
} from '@shopfloor/sensors';

export type ReadingRejection = { readingId: string | null; index: number; reason: ReadingRejectionReason };

/** One `readings` array split into what goes to sensor.readings.raw and what to sensor.dlq. */
export type ReadingIntake = {
  batchId: string;
  raw: RawReadingRecord[];
  rejected: SensorDeadLetterRecord[];
  rejections: ReadingRejection[];
};

/**
 * Validates every element of a posted `readings` array against the gateway's clock (and the state
 * horizon, `horizonMs`, when there is one). `seq` is the element's index, so a record names its
 * place in the batch; nothing a device sent is dropped.
 */
export function intakeReadings(
  readings: readonly unknown[],
  receivedAt: number,
  batchId: string,
  horizonMs?: number | undefined,
): ReadingIntake {
  const intake: ReadingIntake = { batchId, raw: [], rejected: [], rejections: [] };
  readings.forEach((element, seq) => {
    const result = validateReading(element, receivedAt, horizonMs);
    if (result.ok) {
      intake.raw.push({
        v: SENSOR_WIRE_VERSION,
        batchId,
        seq,
        batchSize: readings.length,
        receivedAt,
        reading: result.value,
      });
      return;
    }
    intake.rejections.push({ readingId: result.readingId, index: seq, reason: result.reason });
    intake.rejected.push({
      v: SENSOR_WIRE_VERSION,
      batchId,
      seq,
      batchSize: readings.length,
      receivedAt,
      readingId: result.readingId,
      reason: result.reason,
      message: result.message,
      payloadJson: JSON.stringify(element) ?? 'null',
    });
  });
  return intake;
}
