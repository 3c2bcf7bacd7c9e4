import { api, ApiError, type Query } from './api.ts';

/**
 * One GET endpoint kept in sync with its inputs. Construct it during component setup with a
 * function returning [path, query] (or null to wait); when what it reads changes, it refetches
 * and drops stale answers. `data` is $state.raw: API payloads are replaced, never mutated.
 */
export class Resource<T> {
  data = $state.raw<T | undefined>(undefined);
  error = $state.raw<ApiError | undefined>(undefined);
  loading = $state(true);
  #reloads = $state(0);

  constructor(source: () => readonly [string, Query?] | null) {
    $effect(() => {
      const req = source();
      void this.#reloads;
      if (!req) return;
      const controller = new AbortController();
      this.loading = true;
      api
        .get<T>(req[0], req[1], controller.signal)
        .then((d) => {
          this.data = d;
          this.error = undefined;
        })
        .catch((e: unknown) => {
          if (controller.signal.aborted) return;
          this.error = e instanceof ApiError ? e : new ApiError(0, 'client', e instanceof Error ? e.message : String(e));
        })
        .finally(() => {
          if (!controller.signal.aborted) this.loading = false;
        });
      return () => controller.abort();
    });
  }

  reload(): void {
    this.#reloads++;
  }
}
