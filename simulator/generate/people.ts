// People: founders, later joiners, leavers, newcomers, bots and one deleted ("ghost") account.
// Names come from seeded faker instances in several locales, plus a few planted non-ASCII names.
import { faker as fakerEN } from '@faker-js/faker/locale/en';
import { faker as fakerDE } from '@faker-js/faker/locale/de';
import { faker as fakerES } from '@faker-js/faker/locale/es';
import { faker as fakerFR } from '@faker-js/faker/locale/fr';
import { faker as fakerSV } from '@faker-js/faker/locale/sv';
import { faker as fakerPL } from '@faker-js/faker/locale/pl';
import { faker as fakerPT } from '@faker-js/faker/locale/pt_BR';
import { faker as fakerZH } from '@faker-js/faker/locale/zh_CN';
import { faker as fakerJA } from '@faker-js/faker/locale/ja';
import { faker as fakerVI } from '@faker-js/faker/locale/vi';
import type { SimPerson } from '../model.ts';
import type { Actor, CommitIdentity, Role } from './actors.ts';
import type { IdAllocator } from './ids.ts';
import { nodeId } from './ids.ts';
import type { Rng } from './random.ts';
import type { ScaleConfig } from './scales.ts';
import { DAY, HISTORY_DAYS, iso } from './time.ts';

const FAKERS = [fakerEN, fakerEN, fakerEN, fakerDE, fakerES, fakerFR, fakerSV, fakerPL, fakerPT, fakerZH, fakerJA, fakerVI];
const PLANTED_NAMES = ['Zoë Ærøskøbing', '李雷', 'José Núñez', 'Łukasz Żółć', 'Ngô Bảo Châu'];

export const BOTS = [
  { login: 'dependabot[bot]', id: 49_699_333, name: 'dependabot[bot]' },
  { login: 'renovate[bot]', id: 29_139_614, name: 'renovate[bot]' },
];
export const GHOST_LOGIN = 'ghost';

interface RolePlan {
  role: Role;
  first: [number, number];
  /** Days before now when the person leaves, or null. */
  leave: [number, number] | null;
  weight: number;
}

/** Days are counted back from `now`; the margins keep every threshold (90 d, 180 d) far away. */
function rolePlans(c: ScaleConfig): RolePlan[] {
  const h = HISTORY_DAYS;
  const p = c.people;
  const plans: RolePlan[] = [];
  const add = (n: number, plan: RolePlan) => { for (let i = 0; i < n; i++) plans.push(plan); };
  add(p.seniors, { role: 'senior', first: [h, h - 12], leave: null, weight: 1.3 });
  add(p.departedOwners, { role: 'departedOwner', first: [h, h - 10], leave: [220, 130], weight: 1.2 });
  add(p.departedOthers, { role: 'departedOther', first: [h - 40, h - 150], leave: [200, 110], weight: 0.4 });
  add(p.recentLeavers, { role: 'recentLeaver', first: [h - 20, h - 120], leave: [60, 20], weight: 0.9 });
  add(p.mids, { role: 'mid', first: [300, 200], leave: null, weight: 1 });
  add(p.juniors, { role: 'junior', first: [150, 105], leave: null, weight: 0.8 });
  add(p.mentoredNewcomers, { role: 'mentoredNewcomer', first: [80, 40], leave: null, weight: 0.6 });
  add(p.unmentoredNewcomers, { role: 'unmentoredNewcomer', first: [80, 30], leave: null, weight: 0.5 });
  return plans;
}

export function generatePeople(rng: Rng, ids: IdAllocator, c: ScaleConfig, now: number, orgDomain: string): Actor[] {
  FAKERS.forEach((f, i) => f.seed(rng.int(1, 2 ** 31) + i));
  const usedLogins = new Set<string>([GHOST_LOGIN, ...BOTS.map((b) => b.login)]);
  const usedNames = new Set<string>(['henrik voss']);
  const actors: Actor[] = [];
  // Shuffled so neither ids nor the planted names line up with roles the same way every seed.
  const plans = rng.shuffle(rolePlans(c));
  let planted = 0;
  let unmentored = 0;
  for (const [i, plan] of plans.entries()) {
    let name = '';
    if (planted < PLANTED_NAMES.length && i % 3 === 1) name = PLANTED_NAMES[planted++] as string;
    while (!name || usedNames.has(name.toLowerCase())) name = personName(rng.pick(FAKERS));
    usedNames.add(name.toLowerCase());
    const login = uniqueLogin(name, rng, usedLogins);
    const id = ids.next('user', rng.int(1, 90_000));
    const first = now - rng.int(plan.first[1] * 24, plan.first[0] * 24) * (DAY / 24);
    const left = plan.leave ? now - rng.int(plan.leave[1], plan.leave[0]) * DAY : null;
    const workEmail = `${asciiSlug(name, '.') || login}@${orgDomain}`;
    const noreply = `${id}+${login}@users.noreply.github.com`;
    const person: SimPerson = {
      id, nodeId: nodeId('user', id), login,
      name: rng.chance(0.92) ? name : null,
      email: workEmail, type: 'User',
      joinedAt: iso(first - rng.int(1, 20) * DAY),
      leftAt: left === null ? null : iso(left),
      isMember: left === null, deleted: false,
    };
    const primary: CommitIdentity = { name, email: rng.chance(0.65) ? noreply : workEmail, login };
    const idents: CommitIdentity[] = [primary];
    // Planted alias variants: same person, second e-mail (same name) or same e-mail in other case.
    const v = rng.next();
    if (v < 0.1) idents.push({ name, email: primary.email === noreply ? workEmail : noreply, login });
    else if (v < 0.16) idents.push({ name: name.toLowerCase() === name ? name.toUpperCase() : name.toLowerCase(), email: primary.email, login });
    const actor: Actor = {
      person, login, role: plan.role, first, last: left ?? now, weight: plan.weight * (0.6 + rng.next() * 0.8),
      homeRepos: [], idents,
      mayAddFiles: plan.role !== 'departedOther',
      isBot: false,
    };
    if (plan.role === 'unmentoredNewcomer') {
      actor.newcomerKind = (['peers', 'approvals', 'unreviewed'] as const)[unmentored++ % 3];
    }
    actors.push(actor);
  }
  actors.push(ghostActor(rng, now, orgDomain));
  for (const b of BOTS) actors.push(botActor(b, now));
  return actors;
}

function ghostActor(rng: Rng, now: number, orgDomain: string): Actor {
  const first = now - (HISTORY_DAYS - rng.int(5, 30)) * DAY;
  const last = now - rng.int(170, 200) * DAY;
  return {
    person: {
      id: 10137, nodeId: 'MDQ6VXNlcjEwMTM3', login: GHOST_LOGIN, name: null, email: '',
      type: 'User', joinedAt: iso(first - 3 * DAY), leftAt: iso(last), isMember: false, deleted: true,
    },
    login: GHOST_LOGIN, role: 'ghost', first, last, weight: 0.5, homeRepos: [],
    // The deleted account's commits keep the name and e-mail they were made with; no login maps.
    idents: [{ name: 'Henrik Voss', email: `henrik.voss@${orgDomain}`, login: null }],
    mayAddFiles: false, isBot: false,
  };
}

function botActor(b: { login: string; id: number; name: string }, now: number): Actor {
  const first = now - HISTORY_DAYS * DAY + 2 * DAY;
  return {
    person: {
      id: b.id, nodeId: nodeId('bot', b.id), login: b.login, name: null,
      email: `${b.id}+${b.login}@users.noreply.github.com`, type: 'Bot',
      joinedAt: iso(first), leftAt: null, isMember: false, deleted: false,
    },
    login: b.login, role: 'bot', first, last: now, weight: 1, homeRepos: [],
    idents: [{ name: b.name, email: `${b.id}+${b.login}@users.noreply.github.com`, login: b.login }],
    mayAddFiles: false, isBot: true,
  };
}

/** Lower-case ASCII with diacritics folded; empty for scripts without a Latin form. */
export function asciiSlug(s: string, sep: string): string {
  return s
    .replace(/[ßæøœłđþÆØŒŁĐÞ]/g, (ch) => ({ ß: 'ss', æ: 'ae', ø: 'o', œ: 'oe', ł: 'l', đ: 'd', þ: 'th', Æ: 'ae', Ø: 'o', Œ: 'oe', Ł: 'l', Đ: 'd', Þ: 'th' })[ch] ?? '')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, sep)
    .replace(new RegExp(`^\\${sep}+|\\${sep}+$`, 'g'), '');
}

/** First and last name without prefixes ("Dr.", "Frau"); family name first, unspaced, in CJK. */
function personName(f: typeof fakerEN): string {
  const first = f.person.firstName();
  const last = f.person.lastName();
  return /[\u3040-\u30ff\u4e00-\u9fff]/.test(first + last) ? `${last}${first}` : `${first} ${last}`;
}

const ROMANIZED: Record<string, string> = { '李雷': 'lilei' };

function uniqueLogin(name: string, rng: Rng, used: Set<string>): string {
  let base = ROMANIZED[name] ?? asciiSlug(name, '-');
  if (base.length < 3) base = fakerEN.internet.username().toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
  if (base.length > 30) base = base.slice(0, 30).replace(/-+$/, '');
  let login = rng.chance(0.3) ? base.replace(/-/g, '') : base;
  while (used.has(login)) login = `${base}-${rng.int(2, 99)}`;
  used.add(login);
  return login;
}
