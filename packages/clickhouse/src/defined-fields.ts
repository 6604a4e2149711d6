/** `T` with its possibly-undefined fields optional and never undefined. */
export type DefinedFields<T> = { [K in keyof T as undefined extends T[K] ? never : K]: T[K] } & {
  [K in keyof T as undefined extends T[K] ? K : never]?: Exclude<T[K], undefined>;
};

/**
 * `fields` without its undefined ones. @clickhouse/client types its options as `x?: T` (no
 * `| undefined`), so under exactOptionalPropertyTypes an option we may not have must be left out,
 * not passed as undefined.
 */
export function definedFields<T extends object>(fields: T): DefinedFields<T> {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as DefinedFields<T>;
}
