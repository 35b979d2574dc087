#!/usr/bin/env node
// The project runs its TypeScript sources directly (no build step), through tsx's loader.
import { register } from 'tsx/esm/api';

register();
await import('../cli/main.ts');
