import type { Direction } from '../signals/brief.ts';
import type { DigestContent } from './digest.content.ts';

// One digest, written for each channel: plain text and simple HTML for e-mail, Block Kit with
// mrkdwn for a Slack incoming webhook, an Adaptive Card in a message for Teams. Each reads the
// same sections (digestSections), so no channel says more or less than another.

export interface Section {
  title: string;
  lines: string[];
}

const DIRECTION: Record<Direction, string> = { better: 'better', worse: 'worse', unchanged: 'about the same' };
const day = (iso: string) => iso.slice(0, 10);

export function digestSubject(c: DigestContent): string {
  return `Guidepost weekly digest: ${c.brief.org || 'your team'}, ${day(c.brief.from)} to ${day(c.brief.to)}`;
}

/** The period it covers and what it is compared with. */
function period(c: DigestContent): string {
  const b = c.brief;
  return `Covers ${b.group || 'the org'} from ${day(b.from)} to ${day(b.to)}, compared with ${day(b.previousFrom)} to ${day(b.previousTo)}.`;
}

/** The brief's sections in order, empty ones left out; a suppressed brief says only why. */
export function digestSections(c: DigestContent): Section[] {
  const b = c.brief;
  if (b.suppressed) return [{ title: 'Not shown', lines: [b.suppressed] }];
  const sections: Section[] = [
    { title: 'Going well', lines: b.goingWell },
    { title: 'Needs guidance', lines: b.needsGuidance },
    { title: 'What changed', lines: b.changes.map((ch) => `${ch.what}: ${ch.now} ${ch.before === '—' ? '(no figure for the period before)' : `(before: ${ch.before}, ${DIRECTION[ch.direction]})`}`) },
    { title: 'Working agreements', lines: c.agreements.map((a) => `${a.label} (${a.target}): ${a.status}, now ${a.actual}${a.drift ? `; ${a.drift}` : ''}`) },
  ];
  return sections.filter((s) => s.lines.length > 0);
}

export function digestText(c: DigestContent): string {
  const out = [digestSubject(c), period(c), ''];
  for (const s of digestSections(c)) out.push(s.title, ...s.lines.map((l) => `- ${l}`), '');
  if (c.link) out.push(`Open the brief: ${c.link}`, '');
  out.push(c.brief.footer);
  return `${out.join('\n')}\n`;
}

const html = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

export function digestHtml(c: DigestContent): string {
  const parts = [`<h1 style="font-size:18px">${html(digestSubject(c))}</h1>`, `<p>${html(period(c))}</p>`];
  for (const s of digestSections(c)) parts.push(`<h2 style="font-size:15px">${html(s.title)}</h2>`, `<ul>${s.lines.map((l) => `<li>${html(l)}</li>`).join('')}</ul>`);
  if (c.link) parts.push(`<p><a href="${html(c.link)}">Open the brief</a></p>`);
  parts.push(`<p style="color:#666;font-size:12px">${html(c.brief.footer)}</p>`);
  return `<!doctype html><html><body style="font-family:sans-serif">${parts.join('\n')}</body></html>`;
}

// Slack reads &, < and > as markup (links, mentions): escaped as its docs ask.
const mrkdwn = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The body of a POST to a Slack incoming webhook: `text` is the notification's fallback. */
export function digestSlack(c: DigestContent): { text: string; blocks: unknown[] } {
  const blocks: unknown[] = [
    { type: 'header', text: { type: 'plain_text', text: digestSubject(c).slice(0, 150) } },
    { type: 'context', elements: [{ type: 'mrkdwn', text: mrkdwn(period(c)) }] },
  ];
  for (const s of digestSections(c)) {
    // A section's text holds at most 3000 characters.
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: `*${mrkdwn(s.title)}*\n${s.lines.map((l) => `• ${mrkdwn(l)}`).join('\n')}`.slice(0, 3000) } });
  }
  if (c.link) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: `<${c.link}|Open the brief>` } });
  blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: mrkdwn(c.brief.footer) }] });
  return { text: mrkdwn(digestSubject(c)), blocks };
}

/** The body of a POST to a Teams incoming webhook (or a Workflows "post to a channel" webhook): a message carrying one Adaptive Card. */
export function digestTeams(c: DigestContent): { type: 'message'; attachments: unknown[] } {
  const body: unknown[] = [
    { type: 'TextBlock', text: digestSubject(c), weight: 'Bolder', size: 'Medium', wrap: true },
    { type: 'TextBlock', text: period(c), isSubtle: true, wrap: true },
  ];
  for (const s of digestSections(c)) {
    body.push({ type: 'TextBlock', text: s.title, weight: 'Bolder', spacing: 'Medium', wrap: true });
    for (const l of s.lines) body.push({ type: 'TextBlock', text: `- ${l}`, wrap: true, spacing: 'Small' });
  }
  body.push({ type: 'TextBlock', text: c.brief.footer, isSubtle: true, size: 'Small', wrap: true });
  const card = {
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    type: 'AdaptiveCard',
    version: '1.4',
    body,
    ...(c.link ? { actions: [{ type: 'Action.OpenUrl', title: 'Open the brief', url: c.link }] } : {}),
  };
  return { type: 'message', attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', contentUrl: null, content: card }] };
}
