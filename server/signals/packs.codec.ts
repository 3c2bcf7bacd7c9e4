// Columnar encoding of fact rows into one buffer: a small JSON header, then one typed array per
// column. Reading a week of facts this way costs a copy, not a row-by-row decode, which is what
// lets a window of any length be analysed within an API request.
//
// Layout: [u32 header length][u32 0][header JSON][pad to 8] then each column, padded to 8.

import { canonicalMs, isoOf } from './weeks.ts';

/**
 * f64: any number. ref: a number from a small set (people, repos), stored as an index into the
 * header's list. u8: 0–255. tri: 0, 1 or null. time: ISO text or null, stored as epoch ms
 * (NaN = null). text: a string from a small set.
 */
export type ColumnKind = 'f64' | 'ref' | 'i32' | 'u8' | 'tri' | 'time' | 'text';

const ARRAYS = { f64: Float64Array, ref: Uint32Array, i32: Int32Array, u8: Uint8Array, tri: Int8Array, time: Float64Array, text: Uint32Array } as const;

export type Schema = Record<string, ColumnKind>;

export type Columns<S extends Schema> = { readonly [K in keyof S]: InstanceType<(typeof ARRAYS)[S[K]]> };

interface Header {
  n: number;
  /** The values of each ref column, by index. */
  refs: Record<string, number[]>;
  /** The strings of each text column, by index. */
  texts: Record<string, string[]>;
  /** Times not in GitHub's `YYYY-MM-DDTHH:MM:SSZ` form, kept verbatim by row index. */
  exact: Record<string, Record<number, string>>;
}

export interface Decoded<S extends Schema> {
  n: number;
  cols: Columns<S>;
  header: Header;
}

/** Reads column values of row i: one function per column, so each reads one property. */
export type Getters<S extends Schema> = { [K in keyof S]: (i: number) => unknown };

/** Encodes n rows, column by column. */
export function encode<S extends Schema>(schema: S, n: number, get: Getters<S>): Buffer {
  const header: Header = { n, refs: {}, texts: {}, exact: {} };
  const arrays: ArrayBufferView[] = [];
  for (const [name, kind] of Object.entries(schema) as [keyof S & string, ColumnKind][]) {
    const arr = new ARRAYS[kind](n);
    const at = get[name];
    if (kind === 'ref' || kind === 'text') {
      const dict = new Map<unknown, number>();
      for (let i = 0; i < n; i++) {
        const v = at(i);
        let k = dict.get(v);
        if (k === undefined) dict.set(v, (k = dict.size));
        arr[i] = k;
      }
      if (kind === 'ref') header.refs[name] = [...dict.keys()] as number[];
      else header.texts[name] = [...dict.keys()] as string[];
    } else if (kind === 'time') {
      for (let i = 0; i < n; i++) {
        const v = at(i) as string | number | null;
        if (v === null) {
          arr[i] = NaN;
          continue;
        }
        if (typeof v === 'number') {
          arr[i] = v; // already an instant in GitHub's form (read from another pack)
          continue;
        }
        let ms = canonicalMs(v);
        if (Number.isNaN(ms)) {
          ms = Date.parse(v);
          (header.exact[name] ??= {})[i] = v;
        }
        arr[i] = ms;
      }
    } else if (kind === 'tri') {
      for (let i = 0; i < n; i++) {
        const v = at(i) as number | null;
        arr[i] = v === null ? -1 : v;
      }
    } else {
      for (let i = 0; i < n; i++) arr[i] = at(i) as number;
    }
    arrays.push(arr);
  }
  const head = Buffer.from(JSON.stringify(header));
  let size = align(8 + head.length);
  for (const a of arrays) size = align(size + a.byteLength);
  const out = Buffer.alloc(size);
  out.writeUInt32LE(head.length, 0);
  head.copy(out, 8);
  let off = align(8 + head.length);
  for (const a of arrays) {
    out.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), off);
    off = align(off + a.byteLength);
  }
  return out;
}

export function decode<S extends Schema>(schema: S, blob: Uint8Array): Decoded<S> {
  // Typed arrays need their offset aligned to their element size; copy when the blob is not.
  const buf = blob.byteOffset % 8 === 0 ? blob : new Uint8Array(blob);
  const bytes = buf.buffer as ArrayBuffer; // SQLite blobs are plain Buffers, never shared memory
  const headLength = new DataView(bytes, buf.byteOffset, 4).getUint32(0, true);
  const header = JSON.parse(utf8.decode(buf.subarray(8, 8 + headLength))) as Header;
  const cols: Record<string, ArrayBufferView> = {};
  let off = align(8 + headLength);
  for (const [name, kind] of Object.entries(schema)) {
    const Arr = ARRAYS[kind];
    cols[name] = new Arr(bytes, buf.byteOffset + off, header.n);
    off = align(off + header.n * Arr.BYTES_PER_ELEMENT);
  }
  return { n: header.n, cols: cols as Columns<S>, header };
}

/**
 * Reads column `name` of a decoded pack in the form encode takes, so rows can move from one
 * pack to another without becoming objects (times stay instants unless kept as written).
 */
export function reader<S extends Schema>(schema: S, d: Decoded<S>, name: keyof S & string): (i: number) => unknown {
  const col = d.cols[name] as unknown as ArrayLike<number>;
  switch (schema[name]) {
    case 'ref': {
      const values = refs(d, name);
      return (i) => values[col[i]!];
    }
    case 'text': {
      const values = texts(d, name);
      return (i) => values[col[i]!];
    }
    case 'tri':
      return (i) => (col[i]! < 0 ? null : col[i]);
    case 'time': {
      const exact = d.header.exact[name];
      return (i) => exact?.[i] ?? (Number.isNaN(col[i]!) ? null : col[i]);
    }
    default:
      return (i) => col[i];
  }
}

/** The values a ref column's indices point to. */
export function refs<S extends Schema>(d: Decoded<S>, name: keyof S & string): readonly number[] {
  return d.header.refs[name] ?? [];
}

/** The strings a text column's indices point to. */
export function texts<S extends Schema>(d: Decoded<S>, name: keyof S & string): readonly string[] {
  return d.header.texts[name] ?? [];
}

/** The time of column `name` in row i as text, exactly as it was encoded. */
export function timeText<S extends Schema>(d: Decoded<S>, name: keyof S & string, i: number): string | null {
  const ms = (d.cols[name] as unknown as Float64Array)[i]!;
  return d.header.exact[name]?.[i] ?? (Number.isNaN(ms) ? null : isoOf(ms));
}

/** Whether any time of these columns is kept verbatim (not in GitHub's form) in row i. */
export function hasExactTime<S extends Schema>(d: Decoded<S>, names: readonly (keyof S & string)[], i: number): boolean {
  for (const name of names) if (d.header.exact[name]?.[i] !== undefined) return true;
  return false;
}

const align = (x: number) => (x + 7) & ~7;
const utf8 = new TextDecoder();
