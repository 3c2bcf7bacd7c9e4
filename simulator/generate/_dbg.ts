import { generateWithIntent } from './index.ts';
const { org, intended } = generateWithIntent({ seed: Number(process.argv[3] ?? 1), scale: (process.argv[2] ?? 'tiny') as 'tiny' });
const now = Date.parse(org.now); const ws = now - 90 * 86400000;
const given = new Map<string, number>();
for (const p of org.pulls) for (const r of p.reviews) if (Date.parse(r.submittedAt) >= ws && !r.author.includes('[bot]') && r.author !== 'ghost') given.set(r.author, (given.get(r.author) ?? 0) + 1);
const sum = [...given.values()].reduce((a, b) => a + b, 0);
console.log('mean', sum / given.size, 'n', given.size, [...given].sort((a, b) => b[1] - a[1]), intended.loadCarriers);
const inWin = org.pulls.filter(p => Date.parse(p.createdAt) >= ws);
console.log('pulls in window', inWin.length);
