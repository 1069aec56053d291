/** Catalogue keys the engine itself uses, whatever the flow (flows:check requires them). */
import { INPUT_REASONS } from './nodes/input';
import { LIST_PROVIDERS } from '../event/providers/registry';

export const ENGINE_MESSAGES: readonly string[] = [
  'failure.generic',
  'resume.title',
  'resume.continue',
  'resume.restart',
  'common.yes',
  'common.no',
  ...INPUT_REASONS,
  ...new Set(Object.values(LIST_PROVIDERS).flatMap((p) => p.messages)),
];
