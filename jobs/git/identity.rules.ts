// The merge rules of IdentityResolver, strongest first: alias settings, the .mailmap, GitHub
// accounts, the same e-mail, then names, logins and e-mail bases (identity.keys.ts). A merge a
// guard refuses (two GitHub accounts, identityDistinct) is skipped and the passes go on, so a
// stronger rule's merges are in place before a weaker one is asked. Each pass is one walk.
import { emailBase, isGenericEmail, loginFromEmail, normalizeName, usableHandle } from './identity.keys.ts';
import { UnionFind } from './identity.union.ts';
import type { AliasRule, KnownPerson, Raw, ResolverOptions } from './identity.types.ts';

/** Nodes 0..raws-1 are the commit identities, then one per person, then one per alias setting. */
export function mergeIdentities(raws: Raw[], people: KnownPerson[], aliasRows: AliasRule[], opts: ResolverOptions): UnionFind {
  const label = (node: number) => {
    if (node < raws.length) return `${raws[node]!.name} <${raws[node]!.email}>`;
    const p = node - raws.length;
    return p < people.length ? `@${people[p]!.login} (GitHub)` : `settings alias ${p - people.length + 1}`;
  };
  const settingsGroups = opts.aliases ?? [];
  const uf = new UnionFind(raws.length + people.length + settingsGroups.length, label);
  const personNode = new Map<number, number>();
  people.forEach((p, i) => {
    personNode.set(p.id, raws.length + i);
    uf.setPerson(raws.length + i, i);
  });
  const loginNode = new Map(people.map((p, i) => [p.login.toLowerCase(), raws.length + i]));
  const matches = matcher(raws, loginNode);

  (opts.distinct ?? []).forEach((entry, i) => entry.forEach((value, j) => matches(value).forEach((n) => uf.keepApart(n, i, j))));
  settingsGroups.forEach((entry, g) => {
    const anchor = raws.length + people.length + g;
    for (const value of entry) for (const n of matches(value)) uf.union(n, anchor, 'settings', value);
  });

  const mailmap = opts.mailmap;
  if (mailmap && mailmap.size > 0) {
    const keys = uf.keys();
    const unmapped: number[] = [];
    raws.forEach((r, n) => {
      const m = mailmap.map(r.name, r.email);
      if (!m) {
        unmapped.push(n);
        return;
      }
      const email = (m.email ?? r.email).trim().toLowerCase();
      if (!isGenericEmail(email)) keys.join(n, `m:${email}`, 'mailmap', email);
      const name = m.name ? normalizeName(m.name) : '';
      if (usableHandle(name)) keys.join(n, `n:${name}`, 'mailmap', m.name!);
    });
    // An identity already proper (its e-mail is an entry's proper e-mail) is the same person.
    for (const n of unmapped) keys.meet(n, `m:${raws[n]!.email.trim().toLowerCase()}`, 'mailmap');
  }

  github(uf, raws, people, aliasRows, personNode, loginNode);

  const emails = uf.keys();
  raws.forEach((r, n) => {
    const e = r.email.trim().toLowerCase();
    if (!isGenericEmail(e)) emails.join(n, e, 'email', e);
  });

  // Names, logins and the users SVN imports and no-reply addresses name share one space of
  // handles; a mailbox's local part meets them there but not other mailboxes (john@a, john@b).
  const handles = uf.keys();
  const plain: [number, string][] = [];
  raws.forEach((r, n) => {
    const name = normalizeName(r.name);
    if (usableHandle(name)) handles.join(n, name, 'name', name);
    const base = emailBase(r.email);
    if (base?.kind === 'local') plain.push([n, base.handle]);
    else if (base) handles.join(n, base.handle, 'login', base.handle);
  });
  for (const [login, node] of loginNode) if (usableHandle(normalizeName(login))) handles.join(node, normalizeName(login), 'login', login);
  for (const [n, handle] of plain) handles.meet(n, handle, 'email-base');
  return uf;
}

/** Commits of GitHub people: linked rows, no-reply logins, person_aliases, profile names. */
function github(uf: UnionFind, raws: Raw[], people: KnownPerson[], aliasRows: AliasRule[], personNode: Map<number, number>, loginNode: Map<string, number>): void {
  raws.forEach((r, n) => {
    const linked = r.person === null ? undefined : personNode.get(r.person);
    if (linked !== undefined) uf.union(n, linked, 'github', 'the commit maps to the account');
    const login = loginFromEmail(r.email);
    const byLogin = login ? loginNode.get(login) : undefined;
    if (byLogin !== undefined) uf.union(n, byLogin, 'github', `no-reply address of @${login}`);
  });
  const matches = matcher(raws, new Map());
  for (const a of aliasRows) {
    const node = personNode.get(a.personId);
    const value = a.value.trim().toLowerCase();
    if (node === undefined || !value) continue;
    // A login alias names the account whose no-reply addresses the commits use.
    const hits = a.kind === 'login' ? matches(`@${value}`) : matches(value);
    for (const n of hits) uf.union(n, node, 'github', `alias ${a.kind} ${a.value}`);
  }
  const names = uf.keys();
  people.forEach((p) => {
    const name = normalizeName(p.name ?? '');
    if (usableHandle(name)) names.join(personNode.get(p.id)!, name, 'github', `profile name ${p.name}`);
  });
  raws.forEach((r, n) => names.meet(n, normalizeName(r.name), 'github'));
}

/** The nodes a settings value names: an e-mail, a name (any case), or a login. */
function matcher(raws: Raw[], loginNode: Map<string, number>): (value: string) => number[] {
  const byEmail = new Map<string, number[]>();
  const byName = new Map<string, number[]>();
  const byLogin = new Map<string, number[]>();
  const add = (m: Map<string, number[]>, k: string, n: number) => {
    const list = m.get(k);
    if (list) list.push(n);
    else m.set(k, [n]);
  };
  raws.forEach((r, n) => {
    add(byEmail, r.email.trim().toLowerCase(), n);
    add(byName, r.name.trim().toLowerCase(), n);
    const login = loginFromEmail(r.email);
    if (login) add(byLogin, login, n);
  });
  return (value) => {
    const v = value.trim().toLowerCase();
    const angle = /<([^>]+)>$/.exec(v); // `Jane Doe <jane@corp.com>`, as git prints it: its e-mail
    if (angle) return byEmail.get(angle[1]!.trim()) ?? [];
    // `@login` names only the account (its no-reply addresses, its person); a bare word may be a name too.
    const login = v.startsWith('@') ? v.slice(1) : v;
    if (!v.startsWith('@') && v.includes('@')) return byEmail.get(v) ?? [];
    const person = loginNode.get(login);
    return [...(v.startsWith('@') ? [] : (byName.get(v) ?? [])), ...(byLogin.get(login) ?? []), ...(person === undefined ? [] : [person])];
  };
}
