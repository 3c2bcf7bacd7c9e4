import type { Migration } from 'kysely';
import * as m0001 from './0001_init.ts';
import * as m0003 from './0003_knowledge.ts';
import * as m0004 from './0004_signals.ts';
import * as m0005 from './0005_auth.ts';
import * as m0006 from './0006_signal_packs.ts';
import * as m0007 from './0007_drop_default_window.ts';
import * as m0008 from './0008_login_attempts.ts';
import * as m0009 from './0009_teams_per_org.ts';
import * as m0010 from './0010_codeowners.ts';
import * as m0011 from './0011_knowledge_identities.ts';
import * as m0012 from './0012_webhooks.ts';
import * as m0013 from './0013_digest.ts';
import * as m0014 from './0014_workers.ts';
import * as m0015 from './0015_week_pack_heads.ts';
import * as m0016 from './0016_prepared_reports.ts';
import * as m0017 from './0017_pr_facts_by_author.ts';

// Every migration, in order. A new migration is a new file here and a new line below.
export const migrations: Record<string, Migration> = {
  '0001_init': m0001,
  '0003_knowledge': m0003,
  '0004_signals': m0004,
  '0005_auth': m0005,
  '0006_signal_packs': m0006,
  '0007_drop_default_window': m0007,
  '0008_login_attempts': m0008,
  '0009_teams_per_org': m0009,
  '0010_codeowners': m0010,
  '0011_knowledge_identities': m0011,
  '0012_webhooks': m0012,
  '0013_digest': m0013,
  '0014_workers': m0014,
  '0015_week_pack_heads': m0015,
  '0016_prepared_reports': m0016,
  '0017_pr_facts_by_author': m0017,
};
