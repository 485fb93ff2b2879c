/*
 * Every option that hosts a portfolio's models on shared capacity registers itself when its file
 * loads (src/portfolio/shared.ts): whatever runs portfolios (the portfolio run, the model-count
 * sweep) looks shared options up through this file, so a new one is one import line here.
 */
import './ic-shared.js';
import './lora-shared.js';

export { sharedOption } from './shared.js';
