import type { TaskRegistry } from './job-runner.ts';
import { syncTasks, type SyncServices } from './github/sync.ts';

/** Every task the job runner knows, by name. A new stage adds its tasks here. */
export function allTasks(): TaskRegistry<SyncServices> {
  return { ...syncTasks };
}
