import { MAX_REQUEST_TOKENS } from './types.js';

/** A drawn token length: rounded, at least 1, at most `MAX_REQUEST_TOKENS` (a heavy tail's rare giant). */
export function clampTokens(x: number): number {
  return Math.min(MAX_REQUEST_TOKENS, Math.max(1, Math.round(x)));
}
