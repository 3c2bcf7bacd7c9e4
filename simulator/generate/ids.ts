// GitHub-like database ids (unique per kind, increasing with time like GitHub's) and node ids
// in GitHub's "next" global id format: a type prefix, `_`, then base64 of a small msgpack-ish body.

export type IdKind = 'user' | 'bot' | 'org' | 'team' | 'repo' | 'pull' | 'review' | 'reviewComment' | 'issueComment';

const BASES: Record<IdKind, number> = {
  user: 3_100_000,
  bot: 49_699_333,
  org: 91_000_000,
  team: 8_200_000,
  repo: 612_000_000,
  pull: 1_900_000_000,
  review: 2_400_000_000,
  reviewComment: 1_600_000_000,
  issueComment: 2_100_000_000,
};

const PREFIX: Record<IdKind, string> = {
  user: 'U_kgDO',
  bot: 'BOT_kgDO',
  org: 'O_kgDO',
  team: 'T_kwDO',
  repo: 'R_kgDO',
  pull: 'PR_kwDO',
  review: 'PRR_kwDO',
  reviewComment: 'PRRC_kwDO',
  issueComment: 'IC_kwDO',
};

export interface IdAllocator {
  /** Next id of this kind; `gap` leaves room like other orgs' objects do on GitHub. */
  next(kind: IdKind, gap?: number): number;
}

export function createIds(): IdAllocator {
  const cur = { ...BASES };
  return {
    next(kind, gap = 1) {
      cur[kind] += Math.max(1, gap);
      return cur[kind];
    },
  };
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** Deterministic, unique per (kind, id): the id's big-endian bytes, base64url, after the prefix. */
export function nodeId(kind: IdKind, id: number): string {
  const bytes: number[] = [];
  for (let v = id; v > 0; v = Math.floor(v / 256)) bytes.unshift(v % 256);
  if (bytes.length === 0) bytes.push(0);
  let out = PREFIX[kind];
  for (let i = 0; i < bytes.length; i += 3) {
    const a = bytes[i] as number;
    const b = bytes[i + 1];
    const c = bytes[i + 2];
    out += B64[a >> 2];
    out += B64[((a & 3) << 4) | ((b ?? 0) >> 4)];
    if (b !== undefined) out += B64[((b & 15) << 2) | ((c ?? 0) >> 6)];
    if (c !== undefined) out += B64[c & 63];
  }
  return out;
}
