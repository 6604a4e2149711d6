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

/** Scratch space of `framedEncoder`: shared, since encoding is synchronous; grows to the largest record. */
let scratch = Buffer.allocUnsafe(64 * 1024);

/**
 * `frame(schemaId, type.toBuffer(value))` in one allocation and one copy: the header and the Avro
 * body are written into a shared scratch buffer, then copied out once (small records come from
 * Node's buffer pool). avsc's `toBuffer` allocates a zero-filled, unpooled buffer per record, which
 * `frame` then copies again: on every raw, state and change record that was most of the codec's cost.
 */
export function framedEncoder(
  schemaId: number,
  type: { encode(value: unknown, buf: Buffer, pos: number): number },
): (avroValue: unknown) => Buffer {
  return (avroValue) => {
    let end = type.encode(avroValue, scratch, HEADER_BYTES);
    if (end < 0) {
      // avsc answers how many bytes were missing (negative): grow once, then the write fits.
      scratch = Buffer.allocUnsafe(2 * (scratch.length - end));
      end = type.encode(avroValue, scratch, HEADER_BYTES);
    }
    scratch[0] = MAGIC_BYTE;
    scratch.writeUInt32BE(schemaId, 1);
    const out = Buffer.allocUnsafe(end);
    scratch.copy(out, 0, 0, end);
    return out;
  };
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
