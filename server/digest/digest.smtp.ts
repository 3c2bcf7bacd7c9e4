import nodemailer from 'nodemailer';
import type { SmtpConfig } from './digest.config.ts';

// The digest as e-mail over SMTP. Every wait (connecting, the server's greeting, each answer)
// is bounded by the same timeout, so a server that refuses or hangs ends in one error, soon.

export interface Mail {
  from: string;
  to: string[];
  subject: string;
  text: string;
  html: string;
}

interface SmtpFailure {
  code?: string;
  responseCode?: number;
  response?: string;
  rejected?: string[];
  message?: string;
}

export async function sendMail(smtp: SmtpConfig, timeoutMs: number, mail: Mail): Promise<void> {
  const transport = nodemailer.createTransport({
    host: smtp.host,
    port: smtp.port,
    secure: smtp.secure,
    auth: smtp.user ? { user: smtp.user, pass: smtp.password ?? '' } : undefined,
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
    // One connection per digest: nothing is kept open between weeks.
    pool: false,
  });
  try {
    await transport.sendMail({ ...mail, to: mail.to.join(', ') });
  } catch (err) {
    throw new Error(smtpWords(err as SmtpFailure, smtp, timeoutMs), { cause: err });
  } finally {
    transport.close();
  }
}

/** What went wrong, in words that say what to check; never the password. */
function smtpWords(e: SmtpFailure, smtp: SmtpConfig, timeoutMs: number): string {
  const where = `the SMTP server ${smtp.host}:${smtp.port}`;
  const answer = e.response ? ` It answered: ${e.response.trim().slice(0, 200)}` : '';
  switch (e.code) {
    case 'EAUTH':
      return `${where} refused the login.${answer} Check the user and password in GUIDEPOST_SMTP_URL.`;
    case 'ENOAUTH':
      return `${where} asks for a login, and GUIDEPOST_SMTP_URL holds no user and password.`;
    case 'EENVELOPE':
      return `${where} refused ${e.rejected?.length ? `the recipient${e.rejected.length === 1 ? '' : 's'} ${e.rejected.join(', ')}` : 'the sender or the recipients'}.${answer} Check the recipients in Settings and GUIDEPOST_DIGEST_FROM.`;
    case 'ETIMEDOUT':
      return `${where} did not answer within ${timeoutMs / 1000} s. Check the host and port in GUIDEPOST_SMTP_URL (587 or 25 for smtp://, 465 for smtps://).`;
    case 'ETLS':
      return `${where} could not agree on TLS (${e.message ?? 'no reason given'}). Use smtps:// for port 465 and smtp:// (STARTTLS) for 587.`;
    case 'ECONNECTION':
    case 'ESOCKET':
    case 'EDNS':
      return `Could not talk to ${where} (${e.message ?? e.code}). Check the host and port in GUIDEPOST_SMTP_URL and that the server is reachable.`;
    default:
      return `Sending the e-mail through ${where} failed (${e.message ?? 'no reason given'}).${answer}`;
  }
}
