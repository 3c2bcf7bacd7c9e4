import { generateOrg } from '../simulator/generate/index.ts';
const t0 = Date.now();
const org = generateOrg({ seed: 1, scale: 'large' });
const reviews = org.pulls.reduce((s, p) => s + p.reviews.length, 0);
const since = new Date(Date.parse(org.truth.now) - 90 * 86400000).toISOString();
const recent = org.pulls.filter((p) => p.createdAt >= since).length;
console.log('large', Date.now() - t0, 'ms', 'people', org.people.length, 'pulls', org.pulls.length, 'reviews', reviews, 'recent pulls', recent, 'first', org.pulls.map(p=>p.createdAt).sort()[0]);
