// The shapes the identity files share (identity.ts resolves, identity.rules.ts merges,
// identity.union.ts keeps the sets), in a file of their own so none of them imports another's
// types back.
import type { Mailmap } from './mailmap.parse.ts';

// The stored shape of a merge (knowledge_identities.merged) belongs to the table.
export type { IdentityLink, MergedIdentity, MergeRule } from '../../server/db/identity.tables.ts';

export interface KnownPerson {
  id: number;
  login: string;
  /** GitHub profile name; the same name in a commit is the same person. */
  name?: string | null;
  isBot: boolean;
}

/** An alias row: person_aliases (kind email/name/login) pointing at a person. */
export interface AliasRule {
  personId: number;
  kind: 'email' | 'name' | 'login';
  value: string;
}

export interface ResolverOptions {
  mailmap?: Mailmap;
  /** Settings `identityAliases`: each entry lists e-mails, names or logins of one person. */
  aliases?: readonly (readonly string[])[];
  /** Settings `identityDistinct`: each entry lists identities that are different people. */
  distinct?: readonly (readonly string[])[];
}

export interface Identity {
  /** Stable key: `person:<id>` when the identity maps to a GitHub person, else `git:<e-mail>`. */
  key: string;
  personId: number | null;
  login: string | null;
  name: string;
  email: string;
  isBot: boolean;
}

export interface Raw {
  name: string;
  email: string;
  commits: number;
  person: number | null;
}
