import type { TaskRegistry } from './job-runner.ts';
import { syncTasks, type SyncServices } from './github/sync.ts';
import { deriveTasks } from './derive/derive.task.ts';

/** Every task the job runner knows, by name. A new stage adds its tasks here. */
export function allTasks(): TaskRegistry<SyncServices> {
  return { ...syncTasks, ...deriveTasks };
}
