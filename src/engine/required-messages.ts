/** Catalogue keys the engine itself uses, whatever the flow (flows:check requires them). */
import { INPUT_REASONS } from './nodes/input';
import type { Vocabulary } from './vocabulary';

const ENGINE_MESSAGES: readonly string[] = [
  'failure.generic',
  'resume.title',
  'resume.continue',
  'resume.restart',
  'common.yes',
  'common.no',
  ...INPUT_REASONS,
];

/** The engine's keys plus those the vocabulary's list providers read. */
export function requiredMessages<C>(vocabulary: Vocabulary<C>): string[] {
  return [...new Set([...ENGINE_MESSAGES, ...Object.values(vocabulary.lists).flatMap((p) => p.messages)])];
}
