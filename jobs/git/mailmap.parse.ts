// `.mailmap` (gitmailmap(5)) at the analysed revision: the project's own word on who is who.
// Read from the revision's tree, not from a working copy, and applied the way git applies it:
// an entry with a commit name matches only that name and e-mail; one without, every name.

export interface MailmapEntry {
  properName: string | null;
  properEmail: string | null;
  commitName: string | null;
  commitEmail: string;
}

export interface Mailmap {
  /** The proper (name, e-mail) of a commit identity, or null when no entry maps it. */
  map(name: string, email: string): { name: string | null; email: string | null } | null;
  size: number;
}

// `Proper Name <proper@e> Commit Name <commit@e>`, every part but the last address optional.
const LINE = /^([^<]*)<([^>]*)>(?:([^<]*)<([^>]*)>)?/;

export function parseMailmap(text: string | null): Mailmap {
  const entries: MailmapEntry[] = [];
  for (const raw of (text ?? '').split('\n')) {
    const line = raw.replace(/#.*$/, '').trim();
    const m = LINE.exec(line);
    if (!m) continue;
    const name1 = m[1]!.trim() || null;
    if (m[4] === undefined) {
      // `Proper Name <commit@e>`: only the name is mapped.
      entries.push({ properName: name1, properEmail: null, commitName: null, commitEmail: m[2]!.trim().toLowerCase() });
    } else {
      entries.push({ properName: name1, properEmail: m[2]!.trim() || null, commitName: m[3]!.trim() || null, commitEmail: m[4].trim().toLowerCase() });
    }
  }
  const byEmail = new Map<string, MailmapEntry[]>();
  for (const e of entries) byEmail.set(e.commitEmail, [...(byEmail.get(e.commitEmail) ?? []), e]);
  return {
    size: entries.length,
    map(name, email) {
      const list = byEmail.get(email.trim().toLowerCase());
      if (!list) return null;
      const n = name.trim().toLowerCase();
      // git prefers the entry naming the commit name; later lines win over earlier ones.
      const hit = list.findLast((e) => e.commitName !== null && e.commitName.toLowerCase() === n) ?? list.findLast((e) => e.commitName === null);
      return hit ? { name: hit.properName, email: hit.properEmail } : null;
    },
  };
}
