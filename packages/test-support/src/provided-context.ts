// What the integration project's global setup provides to tests (`inject('kafkaBrokers')`).
// Other fixture files may add their own keys in their own augmentation.
import type {} from 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    kafkaBrokers: string[];
  }
}
