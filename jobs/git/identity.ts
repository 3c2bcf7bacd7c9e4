// Who is who in git history (DESIGN.md, "Identity"). Avelino et al. merge developer aliases;
// the rules are gambit's (identity.keys.ts) plus what the project and GitHub know, strongest
// first: alias settings, the `.mailmap` at the revision, GitHub accounts, the same e-mail, then
// names, logins and e-mail bases. Two GitHub accounts are never merged, nor identities a setting
// keeps apart, and every merge is kept with its rule so the knowledge page can show it.
import { isGenericEmail, looksLikeBot } from './identity.keys.ts';
import { mergeIdentities } from './identity.rules.ts';

export { loginFromEmail, looksLikeBot } from './identity.keys.ts';

export type { AliasRule, Identity, IdentityLink, KnownPerson, MergedIdentity, MergeRule, Raw, ResolverOptions } from './identity.types.ts';
import type { Identity, KnownPerson, AliasRule, MergedIdentity, Raw, ResolverOptions, IdentityLink } from './identity.types.ts';

/**
 * Raw (name, e-mail) pairs are added as history streams in; resolve() is asked once history is
 * read, so the merges do not depend on the order commits arrive in.
 */
export class IdentityResolver {
  private readonly rawIds = new Map<string, number>();
  private readonly raws: Raw[] = [];
  private readonly people: KnownPerson[];
  private merged: MergedIdentity[] = [];

  constructor(
    people: KnownPerson[] = [],
    private readonly aliasRows: AliasRule[] = [],
    private opts: ResolverOptions = {},
  ) {
    this.people = people;
  }

  /** A small integer for the raw (name, e-mail) pair; the same pair always gets the same id. */
  rawId(name: string, email: string): number {
    const k = `${name}\u0000${email}`;
    let id = this.rawIds.get(k);
    if (id === undefined) {
      id = this.raws.length;
      this.rawIds.set(k, id);
      this.raws.push({ name, email, commits: 0, person: null });
    }
    this.raws[id]!.commits++;
    return id;
  }

  /** The commit row already names its person (commits.person_id). */
  linkPerson(rawId: number, personId: number): void {
    const raw = this.raws[rawId];
    if (raw) raw.person = personId;
  }

  rawCount(): number {
    return this.raws.length;
  }

  /** Identities made of more than one commit identity, as the last resolve() merged them. */
  merges(): MergedIdentity[] {
    return this.merged;
  }

  /** Maps every raw id to its merged identity (index = raw id); `more` adds what became known late (the .mailmap). */
  resolve(more: ResolverOptions = {}): Identity[] {
    this.opts = { ...this.opts, ...more };
    const uf = mergeIdentities(this.raws, this.people, this.aliasRows, this.opts);
    const groups = new Map<number, number[]>();
    for (let id = 0; id < this.raws.length; id++) {
      const root = uf.find(id);
      const g = groups.get(root);
      if (g) g.push(id);
      else groups.set(root, [id]);
    }
    const linksOf = new Map<number, IdentityLink[]>();
    for (const { node, a, b, rule, via } of uf.links) {
      const root = uf.find(node);
      const list = linksOf.get(root);
      if (list) list.push({ a, b, rule, via });
      else linksOf.set(root, [{ a, b, rule, via }]);
    }
    const out: Identity[] = new Array<Identity>(this.raws.length);
    const used = new Set<string>();
    this.merged = [];
    for (const [root, ids] of groups) {
      const personIndex = uf.personOf(root);
      const person = personIndex === null ? undefined : this.people[personIndex];
      const top = ids.reduce((best, i) => (this.raws[i]!.commits > this.raws[best]!.commits ? i : best), ids[0]!);
      const shown = this.proper(top);
      const identity: Identity = {
        key: person ? `person:${person.id}` : unique(used, this.gitKey(ids)),
        personId: person?.id ?? null,
        login: person?.login ?? null,
        name: shown.name,
        email: shown.email,
        isBot: person ? person.isBot : ids.some((i) => looksLikeBot(this.raws[i]!.name, this.raws[i]!.email)),
      };
      used.add(identity.key);
      for (const i of ids) out[i] = identity;
      if (ids.length > 1) {
        this.merged.push({
          key: identity.key,
          name: identity.login ?? identity.name,
          members: ids.map((i) => ({ name: this.raws[i]!.name, email: this.raws[i]!.email, commits: this.raws[i]!.commits })),
          links: linksOf.get(root) ?? [],
        });
      }
    }
    return out;
  }

  /** The name and e-mail the .mailmap gives a raw identity, else its own. */
  private proper(id: number): { name: string; email: string } {
    const r = this.raws[id]!;
    const m = this.opts.mailmap?.map(r.name, r.email);
    return { name: m?.name ?? r.name, email: m?.email ?? r.email };
  }

  /** `git:<e-mail>` with the first specific e-mail of the group, so re-runs keep the key. */
  private gitKey(ids: number[]): string {
    const emails = ids.map((i) => this.raws[i]!.email.trim().toLowerCase()).sort();
    const specific = emails.find((e) => !isGenericEmail(e));
    if (specific) return `git:${specific}`;
    const r = this.raws[ids[0]!]!;
    return `git:${r.email.trim().toLowerCase()}/${r.name.trim().toLowerCase()}`;
  }
}

function unique(used: Set<string>, key: string): string {
  if (!used.has(key)) return key;
  let i = 2;
  while (used.has(`${key}#${i}`)) i++;
  return `${key}#${i}`;
}
