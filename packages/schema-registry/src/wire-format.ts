/**
 * The Confluent wire format: magic byte 0, the schema id as a 4-byte big-endian integer, then the
 * Avro body. Written here rather than through the library's async `encode`, so that encoding stays
 * synchronous (RecordCodec.encode is) once the schema id is known.
 */
export const MAGIC_BYTE = 0;
export const HEADER_BYTES = 5;
const JSON_OBJECT_START = 0x7b; // '{'

export function frame(schemaId: number, body: Buffer): Buffer {
  const out = Buffer.allocUnsafe(HEADER_BYTES + body.length);
  out[0] = MAGIC_BYTE;
  out.writeUInt32BE(schemaId, 1);
  body.copy(out, HEADER_BYTES);
  return out;
}

export type Header = { kind: 'avro'; schemaId: number } | { kind: 'json' } | { kind: 'bad'; error: string };

const hex = (byte: number) => `0x${byte.toString(16).padStart(2, '0')}`;

/** Reads the header of a record value; a JSON object (the pre-Avro wire format) is told apart. */
export function readHeader(bytes: Buffer | null): Header {
  if (bytes === null) return { kind: 'bad', error: 'value is null' };
  if (bytes.length > 0 && bytes[0] === JSON_OBJECT_START) return { kind: 'json' };
  if (bytes.length < HEADER_BYTES)
    return {
      kind: 'bad',
      error: `value is ${bytes.length} bytes, shorter than the ${HEADER_BYTES}-byte header (magic byte + schema id)`,
    };
  if (bytes[0] !== MAGIC_BYTE)
    return {
      kind: 'bad',
      error: `wrong magic byte ${hex(bytes[0] as number)} (expected ${hex(MAGIC_BYTE)}): not a schema-registry record`,
    };
  return { kind: 'avro', schemaId: bytes.readUInt32BE(1) };
}
