// What an author identity is matched on, after gambit (Gote & Zingg, "gambit – An Open Source
// Name Disambiguation Tool for Version Control Systems", MSR 2021): names normalised (NFKD,
// accents, case, punctuation and whitespace dropped, "Last, First" turned round), and e-mail
// bases (the user an address names: an SVN import's `user@<repository uuid>`, GitHub's
// `123+login@users.noreply.github.com`, a mailbox's local part). Generic names and addresses
// (`root`, `admin`, `noreply@github.com`, `user@localhost`) are shared by many people, so
// nothing is ever merged on them.

// GitHub's no-reply addresses carry the login: `123+login@users.noreply.github.com` or `login@…`.
const NOREPLY = /^(?:\d+\+)?([^@+]+)@users\.noreply\.github\.com$/i;
// git-svn writes `user@<uuid of the SVN repository>` when no authors file maps the user.
const SVN_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// Shorter handles are too likely to be two people's (`js`, `li`).
const MIN_HANDLE = 3;

const GENERIC_HANDLES = new Set(
  [
    'root', 'admin', 'administrator', 'unknown', 'user', 'username', 'nobody', 'none', 'noreply', 'noauthor',
    'anonymous', 'anon', 'guest', 'git', 'github', 'gitlab', 'bitbucket', 'svn', 'cvs', 'test', 'tester',
    'testuser', 'example', 'localhost', 'ubuntu', 'debian', 'vagrant', 'build', 'builder', 'buildbot',
    'jenkins', 'travis', 'ci', 'bot', 'system', 'support', 'info', 'contact', 'mail', 'email', 'team', 'dev',
    'developer', 'developers', 'devnull', 'webmaster', 'postmaster', 'hostmaster', 'yourname', 'yourusername',
    'youremail', 'name', 'me', 'default', 'local', 'owner', 'maintainer', 'maintainers', 'committer', 'author',
    'webflow', 'dependabot', 'renovate', 'actions', 'githubactions',
  ],
);
const GENERIC_DOMAINS = /^(?:localhost|localhost\.localdomain|localdomain|\(none\)|none)$/i;
const GENERIC_EMAILS = new Set(['noreply@github.com', 'no-reply@github.com', 'action@github.com', 'actions@github.com', 'web-flow@github.com', 'noreply@gitlab.com']);

export type BaseKind = 'noreply' | 'svn' | 'local';

export interface EmailBase {
  kind: BaseKind;
  /** Normalised like a name, so `jane.doe` meets `Jane Doe`. */
  handle: string;
}

/** Letters and digits only, lower case, accents dropped; "Doe, Jane" becomes "janedoe". */
export function normalizeName(name: string): string {
  let n = name.normalize('NFKD').replace(/\p{M}+/gu, '');
  const comma = n.indexOf(',');
  // "Last, First" (one comma, a word each side) is the same person as "First Last"; "Jr." suffixes are not.
  if (comma > 0 && comma === n.lastIndexOf(',') && !/^\s*(?:jr|sr|ii|iii|iv)\.?\s*$/i.test(n.slice(comma + 1))) {
    n = `${n.slice(comma + 1)} ${n.slice(0, comma)}`;
  }
  return n.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');
}

/** A handle worth matching on: long enough and not shared by many people. */
export function usableHandle(handle: string): boolean {
  return handle.length >= MIN_HANDLE && !GENERIC_HANDLES.has(handle);
}

export function loginFromEmail(email: string): string | null {
  const m = NOREPLY.exec(email.trim());
  return m ? m[1]!.toLowerCase() : null;
}

/** An address many people commit with: merging on it would join strangers. */
export function isGenericEmail(email: string): boolean {
  const e = email.trim().toLowerCase();
  const at = e.lastIndexOf('@');
  if (at < 1 || at === e.length - 1) return true; // `root`, `jane@`: not an address
  if (GENERIC_EMAILS.has(e)) return true;
  const local = e.slice(0, at);
  const domain = e.slice(at + 1);
  // A short mailbox (`jd@corp.com`) is still one person's; only the shared ones are generic.
  const login = loginFromEmail(e);
  if (login) return GENERIC_HANDLES.has(normalizeName(login));
  return GENERIC_DOMAINS.test(domain) || GENERIC_HANDLES.has(normalizeName(local.split('+')[0]!));
}

/** The user an address names, or null when it names nobody in particular. */
export function emailBase(email: string): EmailBase | null {
  const e = email.trim().toLowerCase();
  const login = loginFromEmail(e);
  if (login) return usableHandle(normalizeName(login)) ? { kind: 'noreply', handle: normalizeName(login) } : null;
  if (isGenericEmail(e)) return null;
  const at = e.lastIndexOf('@');
  const handle = normalizeName(e.slice(0, at).split('+')[0]!);
  if (!usableHandle(handle)) return null;
  return { kind: SVN_UUID.test(e.slice(at + 1)) ? 'svn' : 'local', handle };
}

export function looksLikeBot(name: string, email: string): boolean {
  return /\[bot\]$/i.test(name.trim()) || /\[bot\]@/i.test(email);
}
