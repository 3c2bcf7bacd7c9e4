// Each finding links to the view holding its evidence. The server sends findings as sentences;
// what a sentence is about decides where its evidence lives.

export interface Evidence {
  path: string;
  hash?: string;
  label: string;
}

const rules: [RegExp, Evidence][] = [
  [/newcomer|mentor/i, { path: '/mentoring', hash: 'gaps', label: 'Mentoring gaps' }],
  [/piles up|concentrated|Gini/i, { path: '/reviews', hash: 'load', label: 'Review load' }],
  [/without a single comment|rubber/i, { path: '/reviews', hash: 'quality', label: 'Review depth' }],
  [/merged without a review|first review|waiting/i, { path: '/reviews', hash: 'trends', label: 'Review trends' }],
  [/truck factor|island|knowledge|departed/i, { path: '/knowledge', label: 'Knowledge' }],
];

export function evidenceFor(sentence: string): Evidence | undefined {
  if (findingTone(sentence) === 'good') return undefined;
  return rules.find(([re]) => re.test(sentence))?.[1];
}

/** Tone for the marker beside a finding: "Nothing needs your attention" is good news. */
export function findingTone(sentence: string): 'good' | 'attention' {
  return /^Nothing needs your attention/i.test(sentence) ? 'good' : 'attention';
}
