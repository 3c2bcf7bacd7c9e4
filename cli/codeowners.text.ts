// The CODEOWNERS part of `guidepost knowledge PATH`'s text report (jobs/git/ownership-drift.ts);
// `field` escapes what the repository wrote (patterns, names, the file's own words).
import { plural } from '../server/signals/format.ts';
import type { DriftReport } from '../jobs/git/ownership-drift.ts';

export function codeownersLines(co: DriftReport, top: number, field: (text: string) => string): string[] {
  if (co.path === null) return [`CODEOWNERS: none at this revision (${plural(co.uncoveredFiles.length, 'code file')} without a declared owner)`];
  const never = co.rules.filter((r) => r.ownersNeverTouched);
  const undeclared = co.rules.filter((r) => r.mainAuthorDeclared === false);
  const lines = [
    `CODEOWNERS (${field(co.path)}): ${plural(co.rules.length, 'rule')}; owners who never touched their area: ${never.length}; main author not declared: ${undeclared.length}; uncovered code files: ${co.uncoveredFiles.length}`,
  ];
  const knownBy = (r: DriftReport['rules'][number]) => r.knowers.slice(0, 3).map((k) => field(k.name)).join(', ') || 'nobody';
  for (const r of never.slice(0, top)) lines.push(`  ${field(r.pattern)} (line ${r.line}): ${r.untouchedOwners.map(field).join(', ')} never touched it; known by ${knownBy(r)}`);
  for (const r of undeclared.slice(0, top)) lines.push(`  ${field(r.pattern)} (line ${r.line}): its main author ${field(r.mainAuthor ?? '')} is not declared`);
  for (const p of co.problems.slice(0, top)) lines.push(`  line ${p.line} skipped: ${field(p.problem)}`);
  for (const u of co.unknownOwners.slice(0, top)) lines.push(`  unknown owner ${field(u.owner)} (line ${u.lines.join(', ')}): ${u.why}`);
  return lines;
}
