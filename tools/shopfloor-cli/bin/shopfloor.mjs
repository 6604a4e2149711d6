#!/usr/bin/env node
// The `shopfloor` bin: the sources are TypeScript, run through tsx like every other entry point.
import { register } from 'tsx/esm/api';

register();
await import('../src/main.ts');
