export type { AvroRecordCodecOptions } from './avro-record-codec.ts';
export { createAvroRecordCodec } from './avro-record-codec.ts';
export {
  isUnreachable,
  SCHEMA_REGISTRY_ERRORS,
  SchemaRegistryError,
  type SchemaRegistryErrorCode,
} from './errors.ts';
export { fixedSchemaCodec } from './fixed-schema-codec.ts';
export { type RecordCodecSpec, registerRecordCodecs, valueSubject } from './register-record-codecs.ts';
export { RegistryClient, SHOPFLOOR_COMPATIBILITY } from './registry-client.ts';
export { type RegistryCodecsOptions, registryCodecs } from './registry-codecs.ts';
export { registryCodecsOf } from './registry-codecs-of.ts';
export { registryKeyCodec } from './registry-key-codec.ts';
export { frame, HEADER_BYTES, MAGIC_BYTE, readHeader } from './wire-format.ts';
