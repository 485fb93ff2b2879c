import type { UncertainSetting } from './hooks.js';

/** Shorthands for the options' uncertain settings (hooks.ts `UncertainSettings`). */

/** A property of the world, read from the assumption named `assumption`. */
export const fact = (
  assumption: string,
  form: UncertainSetting['form'],
  choices?: readonly string[],
): UncertainSetting =>
  choices ? { assumption, form, role: 'fact', choices } : { assumption, form, role: 'fact' };

/** The scenario author's decision, left at its default. */
export const decision = (assumption: string, form: UncertainSetting['form']): UncertainSetting => ({
  assumption,
  form,
  role: 'setting',
});

export const ROUTING = ['pack', 'least-loaded'] as const;

/** Ops effort and its price, for options you run yourself. */
export const OPS = {
  opsFte: { ...fact('ops', 'number'), billingOnly: true },
  opsCostPerFteYear: { ...fact('ops cost per FTE-year', 'number'), billingOnly: true },
} satisfies Record<string, UncertainSetting>;

/**
 * For an option whose uncertain assumptions no setting moves yet: the sensitivity analysis prices
 * it at base throughout (an explicit choice, unlike an option with no `uncertain` hook at all).
 */
export const NO_UNCERTAIN_SETTINGS = { settings: {} } as const;
