// Who is who in git history. Avelino et al. merge developer aliases; DESIGN.md fixes the rule:
// the same e-mail (case-insensitive) or the same name (case-insensitive) is one person, plus the
// project's alias settings and GitHub logins where a commit maps to one.

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

export interface Identity {
  /** Stable key: `person:<id>` when the identity maps to a GitHub person, else `git:<e-mail>`. */
  key: string;
  personId: number | null;
  login: string | null;
  name: string;
  email: string;
  isBot: boolean;
}

// GitHub's no-reply addresses carry the login: `123+login@users.noreply.github.com` or `login@…`.
const NOREPLY = /^(?:\d+\+)?([^@+]+)@users\.noreply\.github\.com$/i;

export function loginFromEmail(email: string): string | null {
  const m = NOREPLY.exec(email.trim());
  return m ? m[1]!.toLowerCase() : null;
}

export function looksLikeBot(name: string, email: string): boolean {
  return /\[bot\]$/i.test(name.trim()) || /\[bot\]@/i.test(email);
}

/**
 * Union-find over the tokens `e:<email>`, `n:<name>` and `p:<personId>`. Raw (name, e-mail)
 * pairs are added as history streams in; resolve() is asked once history is read, so a later
 * commit that links two names still merges everything seen before it.
 */
export class IdentityResolver {
  private readonly parent = new Map<string, string>();
  private readonly rawIds = new Map<string, number>();
  private readonly raws: { name: string; email: string }[] = [];
  private readonly people = new Map<number, KnownPerson>();
  private readonly byLogin = new Map<string, KnownPerson>();

  constructor(people: KnownPerson[] = [], aliases: AliasRule[] = []) {
    for (const p of people) {
      this.people.set(p.id, p);
      this.byLogin.set(p.login.toLowerCase(), p);
      const name = p.name?.trim().toLowerCase();
      if (name) this.union(`n:${name}`, `p:${p.id}`);
    }
    for (const a of aliases) {
      const value = a.value.trim().toLowerCase();
      if (!value || !this.people.has(a.personId)) continue;
      const token = a.kind === 'email' ? `e:${value}` : a.kind === 'name' ? `n:${value}` : null;
      if (token) this.union(token, `p:${a.personId}`);
      else {
        // A login alias: commits whose no-reply address names that login belong to the person.
        this.union(`l:${value}`, `p:${a.personId}`);
      }
    }
  }

  /** A small integer for the raw (name, e-mail) pair; the same pair always gets the same id. */
  rawId(name: string, email: string): number {
    const k = `${name}\u0000${email}`;
    let id = this.rawIds.get(k);
    if (id !== undefined) return id;
    id = this.raws.length;
    this.rawIds.set(k, id);
    this.raws.push({ name, email });
    const e = email.trim().toLowerCase();
    const n = name.trim().toLowerCase();
    const self = `r:${id}`;
    if (e) this.union(self, `e:${e}`);
    if (n) this.union(self, `n:${n}`);
    const login = loginFromEmail(e);
    if (login) {
      this.union(self, `l:${login}`);
      const person = this.byLogin.get(login);
      if (person) this.union(self, `p:${person.id}`);
    }
    return id;
  }

  /** The commit row already names its person (commits.person_id). */
  linkPerson(rawId: number, personId: number): void {
    if (this.people.has(personId)) this.union(`r:${rawId}`, `p:${personId}`);
  }

  rawCount(): number {
    return this.raws.length;
  }

  /** Maps every raw id to its merged identity (index = raw id). */
  resolve(): Identity[] {
    const groups = new Map<string, number[]>();
    for (let id = 0; id < this.raws.length; id++) {
      const root = this.find(`r:${id}`);
      const g = groups.get(root);
      if (g) g.push(id);
      else groups.set(root, [id]);
    }
    const personOfRoot = new Map<string, number>();
    for (const id of this.people.keys()) {
      const token = `p:${id}`;
      if (this.parent.has(token)) personOfRoot.set(this.find(token), id);
    }
    const out: Identity[] = new Array<Identity>(this.raws.length);
    for (const [root, ids] of groups) {
      const personId = personOfRoot.get(root) ?? null;
      const person = personId === null ? undefined : this.people.get(personId);
      const first = this.raws[ids[0]!]!;
      const emails = ids.map((i) => this.raws[i]!.email.trim().toLowerCase()).sort();
      const email = emails[0] ?? '';
      const identity: Identity = {
        key: person ? `person:${person.id}` : `git:${email || first.name.trim().toLowerCase()}`,
        personId: person?.id ?? null,
        login: person?.login ?? null,
        name: first.name,
        email: first.email,
        isBot: person ? person.isBot : ids.some((i) => looksLikeBot(this.raws[i]!.name, this.raws[i]!.email)),
      };
      for (const i of ids) out[i] = identity;
    }
    return out;
  }

  private find(x: string): string {
    let root = x;
    let next = this.parent.get(root);
    while (next !== undefined && next !== root) {
      root = next;
      next = this.parent.get(root);
    }
    // Path compression keeps later finds near O(1).
    let cur = x;
    while (cur !== root) {
      const up = this.parent.get(cur)!;
      this.parent.set(cur, root);
      cur = up;
    }
    return root;
  }

  private union(a: string, b: string): void {
    if (!this.parent.has(a)) this.parent.set(a, a);
    if (!this.parent.has(b)) this.parent.set(b, b);
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra !== rb) this.parent.set(ra, rb);
  }
}
