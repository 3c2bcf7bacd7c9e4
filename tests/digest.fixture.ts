import { createServer as createHttpServer, type IncomingHttpHeaders } from 'node:http';
import { createServer as createTcpServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { deriveAll } from '../jobs/derive/signals.derive.ts';
import type { ConfigInput } from '../server/config.ts';
import { createTestDb, type TestDb } from './harness.ts';
import { at, NOW, OrgBuilder } from './signals.fixture.ts';

// What the digest tests share: a planted org whose people have logins and names found nowhere
// else, a real SMTP receiver (smtp-server) and a real HTTP receiver, both on 127.0.0.1.

/** Logins and display names of everyone planted: none may appear in a digest with names off. */
export const PLANTED_LOGINS = ['vorthraxel', 'quendolyn', 'brastimova', 'ozzlewick'];
export const PLANTED_NAMES = ['Vorthrax Elbemund', 'Quendolyn Starfeather', 'Brastimova Quill', 'Ozzlewick Trumpet'];
/** The newcomer no experienced person guides: the brief names her when names are on. */
export const LONELY_NEWCOMER = 'quendolyn';

export const SMTP_USER = 'digest-sender';
export const SMTP_PASSWORD = 'pw-Zq9-s3cret-xK7';

/**
 * A test database holding an old hand (vorthraxel, reviewing since day 400) and three people
 * who joined within the last 90 days; quendolyn's changes get silent approvals only, so she has
 * no mentor and the brief says so (naming her only with briefNames on).
 */
export async function plantedDigestDb(env: ConfigInput = {}): Promise<TestDb> {
  const t = await createTestDb(env);
  const org = new OrgBuilder(t.db);
  await org.repo('api');
  for (const [i, login] of PLANTED_LOGINS.entries()) {
    await org.person(login);
    await t.db.updateTable('people').set({ name: PLANTED_NAMES[i]! }).where('login', '=', login).execute();
  }
  await org.pr({ author: 'vorthraxel', created: at(400), merged: at(399) });
  for (let i = 0; i < 3; i++) {
    const p = await org.pr({ author: 'quendolyn', created: at(40 - i * 10), merged: at(39 - i * 10), size: 30 });
    await org.review(p, 'ozzlewick', 'APPROVED', at(40 - i * 10, 3));
  }
  for (let i = 0; i < 3; i++) {
    const p = await org.pr({ author: 'brastimova', created: at(35 - i * 10), merged: at(34 - i * 10), size: 50 });
    await org.review(p, 'vorthraxel', 'CHANGES_REQUESTED', at(35 - i * 10, 5), { body: 80, inline: 2 });
    await org.review(p, 'vorthraxel', 'APPROVED', at(35 - i * 10, 9));
  }
  const o = await org.pr({ author: 'ozzlewick', created: at(20), merged: at(19), size: 20 });
  await org.review(o, 'brastimova', 'APPROVED', at(20, 30));
  await deriveAll(t.db, { now: NOW });
  return t;
}

/** Text a message's MIME parts hold, quoted-printable and base64 decoded, headers kept. */
export function decodeMime(raw: string): string {
  const lines = raw.replace(/\r\n/g, '\n');
  return lines
    .split(/\n--[^\n]*\n/)
    .map((chunk) => {
      const split = chunk.indexOf('\n\n');
      if (split < 0) return chunk;
      const head = chunk.slice(0, split);
      const body = chunk.slice(split + 2);
      const enc = /content-transfer-encoding:\s*(\S+)/i.exec(head)?.[1]?.toLowerCase();
      if (enc === 'quoted-printable') {
        const bytes = Buffer.from(body.replace(/=\n/g, '').replace(/=([0-9A-F]{2})/gi, (_, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1');
        return `${head}\n\n${bytes.toString('utf8')}`;
      }
      if (enc === 'base64') return `${head}\n\n${Buffer.from(body.replace(/\s/g, ''), 'base64').toString('utf8')}`;
      return chunk;
    })
    .join('\n');
}

export interface ReceivedMail {
  from: string;
  to: string[];
  raw: string;
  /** The raw message with its parts decoded. */
  text: string;
}

export interface SmtpReceiver {
  url: string;
  port: number;
  mails: ReceivedMail[];
  close(): Promise<void>;
}

/** An SMTP server on 127.0.0.1 that asks for SMTP_USER / SMTP_PASSWORD and refuses recipients at `refuse.example`. */
export async function startSmtpReceiver(): Promise<SmtpReceiver> {
  const mails: ReceivedMail[] = [];
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    logger: false,
    onAuth(auth, _session, cb) {
      if (auth.username === SMTP_USER && auth.password === SMTP_PASSWORD) cb(null, { user: auth.username });
      else cb(Object.assign(new Error('Authentication credentials invalid'), { responseCode: 535 }));
    },
    onRcptTo(address, _session, cb) {
      if (address.address.endsWith('@refuse.example')) cb(Object.assign(new Error(`No mailbox here by that name: ${address.address}`), { responseCode: 550 }));
      else cb();
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
        mails.push({ from, to: session.envelope.rcptTo.map((r) => r.address), raw, text: decodeMime(raw) });
        cb();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://${SMTP_USER}:${encodeURIComponent(SMTP_PASSWORD)}@127.0.0.1:${port}`,
    port,
    mails,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A TCP server on 127.0.0.1 that takes connections and never says a word (an SMTP server that hangs). */
export async function startSilentServer(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createTcpServer((s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    port: (server.address() as AddressInfo).port,
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export interface ReceivedPost {
  path: string;
  headers: IncomingHttpHeaders;
  body: any;
}

export interface HttpReceiver {
  url: string;
  posts: ReceivedPost[];
  /** Status answered per path (default 200). */
  status: Map<string, number>;
  close(): Promise<void>;
}

/** An HTTP server on 127.0.0.1 recording every POST's JSON body, answering `status` for its path. */
export async function startHttpReceiver(): Promise<HttpReceiver> {
  const posts: ReceivedPost[] = [];
  const status = new Map<string, number>();
  const server = createHttpServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      posts.push({ path: req.url ?? '', headers: req.headers, body: text ? JSON.parse(text) : null });
      const code = status.get(req.url ?? '') ?? 200;
      res.writeHead(code, { 'content-type': 'text/plain' }).end(code < 300 ? 'ok' : 'internal_error');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    posts,
    status,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Every planted login and name found in `text` (case-insensitive). */
export function plantedPeopleIn(text: string): string[] {
  const lower = text.toLowerCase();
  return [...PLANTED_LOGINS, ...PLANTED_NAMES].filter((n) => lower.includes(n.toLowerCase()));
}
