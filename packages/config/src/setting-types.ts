import { z } from 'zod';

// The value types of environment variables: strings parsed into what the code uses.
export const boolFlag = z
  .enum(['0', '1', 'true', 'false', 'yes', 'no'], { message: 'must be one of 0, 1, true, false, yes, no' })
  .transform((v) => v === '1' || v === 'true' || v === 'yes');

export const int = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, { message: 'must be a whole number' })
    .transform(Number)
    .pipe(z.number().int().min(min).max(max));

export const positiveDecimal = z
  .string()
  .regex(/^\d+(\.\d+)?$/, { message: 'must be a positive decimal number such as 3 or 2.5' })
  .transform(Number)
  .pipe(z.number().positive({ message: 'must be greater than 0' }).max(1000));

export const brokerList = z
  .string()
  .transform((s) => s.split(',').map((b) => b.trim()))
  .pipe(z.array(z.string().regex(/^[^\s:]+:\d{1,5}$/, { message: 'each broker must be host:port' })).min(1));
