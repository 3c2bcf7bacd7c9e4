// Union-find over commit identities and the anchors they may join (GitHub people, alias
// settings), refusing the merges that would make one person of two GitHub accounts or of
// identities a setting keeps apart, and keeping every merge it made with its rule.
import type { MergeRule } from './identity.types.ts';

export interface Link {
  node: number;
  a: string;
  b: string;
  rule: MergeRule;
  via: string;
}

export class UnionFind {
  readonly links: Link[] = [];
  private readonly parent: Int32Array;
  private readonly person = new Map<number, number>();
  // Per root: distinct-entry index → which of the entry's members the group holds.
  private readonly apart = new Map<number, Map<number, number>>();

  constructor(
    size: number,
    private readonly label: (node: number) => string,
  ) {
    this.parent = Int32Array.from({ length: size }, (_, i) => i);
  }

  find(x: number): number {
    let root = x;
    while (this.parent[root] !== root) root = this.parent[root]!;
    // Path compression keeps later finds near O(1).
    while (this.parent[x] !== root) {
      const up = this.parent[x]!;
      this.parent[x] = root;
      x = up;
    }
    return root;
  }

  setPerson(node: number, personIndex: number): void {
    this.person.set(this.find(node), personIndex);
  }

  personOf(root: number): number | null {
    return this.person.get(root) ?? null;
  }

  /** `node` is member `member` of distinct-entry `entry`: it never joins another member's group. */
  keepApart(node: number, entry: number, member: number): void {
    const root = this.find(node);
    const m = this.apart.get(root) ?? new Map<number, number>();
    m.set(entry, member);
    this.apart.set(root, m);
  }

  /** Merges the groups of a and b unless a guard forbids it; true when they are one now. */
  union(a: number, b: number, rule: MergeRule, via: string): boolean {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra === rb) return true;
    const pa = this.person.get(ra);
    const pb = this.person.get(rb);
    if (pa !== undefined && pb !== undefined && pa !== pb) return false; // two GitHub accounts
    const xa = this.apart.get(ra);
    const xb = this.apart.get(rb);
    if (xa && xb) for (const [entry, member] of xa) if (xb.has(entry) && xb.get(entry) !== member) return false;
    this.parent[ra] = rb;
    if (pa !== undefined) this.person.set(rb, pa);
    if (xa) this.apart.set(rb, new Map([...xa, ...(xb ?? [])]));
    this.links.push({ node: b, a: this.label(a), b: this.label(b), rule, via });
    return true;
  }

  /** An index of keys (e-mails, handles) whose holders merge with every later node of the key. */
  keys(): Keys {
    return new Keys(this);
  }
}

export class Keys {
  private readonly holders = new Map<string, { node: number; rule: MergeRule }>();

  constructor(private readonly uf: UnionFind) {}

  /** Holds `key` for `node`, or merges `node` with the key's holder. */
  join(node: number, key: string, rule: MergeRule, via: string): void {
    const h = this.holders.get(key);
    if (!h) this.holders.set(key, { node, rule });
    else this.uf.union(node, h.node, h.rule === rule ? rule : h.rule === 'login' || rule === 'login' ? 'login' : rule, via);
  }

  /** Merges `node` with the key's holder without holding the key itself. */
  meet(node: number, key: string, rule: MergeRule): void {
    const h = this.holders.get(key);
    if (h) this.uf.union(node, h.node, rule, key);
  }
}
