import { api, ApiError } from './api.ts';
import type { FormulaKey, FormulasResponse } from './types.ts';

/**
 * The formula behind every figure, as the server states it with the settings in force
 * (GET /api/formulas, server/signals/formulas.ts): read once, and again after the settings
 * change, so every (i) on every page says the same thing the API and the brief say. The shell
 * (App.svelte) loads them once it knows nobody has to log in first.
 */
export class FormulaStore {
  #all = $state.raw<FormulasResponse['formulas'] | undefined>(undefined);
  #error = $state.raw<ApiError | undefined>(undefined);
  #asked: Promise<void> | undefined;

  /** The formula for `key`, or a word on why it is not there (yet). */
  of(key: FormulaKey): string {
    if (this.#all) return this.#all[key];
    if (this.#error) return `The formula could not be loaded: ${this.#error.message}`;
    return 'Loading the formula…';
  }

  /** Reads the formulas unless they are read or on their way; `fresh` reads them again. */
  load(fresh = false): Promise<void> {
    if (this.#asked && !fresh) return this.#asked;
    this.#asked = api
      .get<FormulasResponse>('/formulas')
      .then((r) => {
        this.#all = r.formulas;
        this.#error = undefined;
      })
      .catch((e: unknown) => {
        this.#asked = undefined; // a later load() asks again
        this.#error = e instanceof ApiError ? e : new ApiError(0, 'client', e instanceof Error ? e.message : String(e));
      });
    return this.#asked;
  }
}

export const formulas = new FormulaStore();
