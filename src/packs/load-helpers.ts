/** Helpers for the loader: zod issues as problems, and value length inference. */
import type { z } from 'zod';
import type { FlowPack, Vocabulary } from '../engine';
import { kindOf } from '../engine/nodes/registry';
import type { Problem } from './problem';

function pathText(path: ReadonlyArray<PropertyKey>): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i === 0 ? '' : '.'}${String(p)}`)).join('');
}

/** Turns zod issues into problems, with the path inside the file. */
export function zodProblems(error: z.ZodError, where: { pack: string; file: string; prefix?: string }): Problem[] {
  return error.issues.map((issue) => {
    const inner = pathText(issue.path);
    const path = [where.prefix, inner].filter((s) => s !== undefined && s !== '').join(inner.startsWith('[') ? '' : '.');
    const base = { code: 'FLOW.SCHEMA', pack: where.pack, file: where.file, path };
    if (issue.code === 'unrecognized_keys') return { ...base, message: `unknown field(s): ${issue.keys.join(', ')}`, fix: 'remove them or check the spelling' };
    return { ...base, message: issue.message };
  });
}

/**
 * Longest length of every value: declared in ussd.yaml `values`, or inferred from the node that
 * stores it (input max length, list values, menu `set`). The longest wins.
 */
export function inferValues<C>(
  pack: FlowPack,
  vocabulary: Vocabulary<C>,
  sample: C,
  declared: Record<string, { maxLength: number }>,
): Record<string, { maxLength: number }> {
  const values: Record<string, { maxLength: number }> = { ...declared };
  const universe = (provider: string): string[] =>
    vocabulary.lists[provider]?.universe({ ctx: sample, lang: pack.defaultLanguage, t: () => '' }).map((i) => i.value) ?? [];
  for (const node of Object.values(pack.nodes))
    for (const assign of kindOf(node).assigns(node, universe)) {
      const known = values[assign.name]?.maxLength ?? 0;
      values[assign.name] = { maxLength: Math.max(known, assign.maxLength) };
    }
  return values;
}
