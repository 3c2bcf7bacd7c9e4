import type { Generated, Selectable } from 'kysely';

// Tables of migration 0012: GitHub webhook deliveries and what became of each.

/** applied: its rows are written (or it carries none, like ping and push); ignored: not for a synced repo or org, or an event Guidepost does not take; failed: signed but not in GitHub's shape. */
export type WebhookOutcome = 'applied' | 'ignored' | 'failed';

export interface WebhookDeliveriesTable {
  id: Generated<number>;
  /** X-GitHub-Delivery: a redelivery carries the same id and is applied once. */
  delivery_id: string;
  event: string;
  action: string | null;
  org: string | null;
  /** owner/name. */
  repo: string | null;
  received_at: string;
  outcome: WebhookOutcome;
  error: string | null;
  /** The payload in raw_responses; null when it was not kept. */
  raw_id: number | null;
}

export interface WebhookTables {
  webhook_deliveries: WebhookDeliveriesTable;
}

export type WebhookDelivery = Selectable<WebhookDeliveriesTable>;
