import { editDistance as wordDistance } from '../kernel/text/edit-distance';

/** A problem found in a flow pack: where it is and what to do about it. */
export interface Problem {
  /** Stable class, e.g. FLOW.UNKNOWN_TARGET. */
  code: string;
  pack: string;
  /** File inside the pack folder, e.g. ussd.yaml. */
  file: string;
  /** Path inside the file, e.g. nodes.confirm.options[2].next. */
  path: string;
  message: string;
  fix?: string;
}

/** "ussd.yaml: nodes.confirm.options[2].next: unknown node 'confirm' (fix: did you mean 'confirm_name'?)" */
export function formatProblem(problem: Problem): string {
  const where = [problem.pack === '' ? problem.file : `${problem.pack}/${problem.file}`, problem.path].filter((s) => s !== '').join(': ');
  return `${where}: ${problem.message}${problem.fix ? ` (fix: ${problem.fix})` : ''}`;
}

/** Edit distance, case-insensitive (names in packs differ by case only by mistake). */
export const editDistance = (a: string, b: string): number => wordDistance(a.toLowerCase(), b.toLowerCase());

/** "did you mean 'x'?" for the closest candidate within a third of the length, else a list hint. */
export function suggest(wrong: string, candidates: Iterable<string>, what = 'one of'): string {
  const all = [...candidates];
  const ranked = all.map((c) => ({ c, d: editDistance(wrong, c) })).sort((p, q) => p.d - q.d || p.c.localeCompare(q.c));
  const best = ranked[0];
  if (best && best.d <= Math.max(2, Math.floor(wrong.length / 3))) return `did you mean '${best.c}'?`;
  return all.length > 0 ? `use ${what}: ${all.slice(0, 12).join(', ')}${all.length > 12 ? ', ...' : ''}` : 'define it first';
}
