/**
 * A USSD transcript to play: YAML `{ phone?, code?, inputs: [...] }` or plain text with one input
 * per line (blank lines and lines starting with `#` are skipped). `:new` dials a new session.
 */
import { parse } from 'yaml';

export interface Transcript {
  phone?: string;
  code?: string;
  inputs: string[];
}

function fromYaml(source: string, name: string): Transcript {
  // The failsafe schema keeps every scalar a string: `00` stays "00", not the number 0.
  const data: unknown = parse(source, { schema: 'failsafe' });
  if (data === null || typeof data !== 'object' || Array.isArray(data)) throw new Error(`${name}: expected a mapping with "inputs"`);
  const { phone, code, inputs } = data as Record<string, unknown>;
  if (!Array.isArray(inputs) || !inputs.every((input) => typeof input === 'string')) {
    throw new Error(`${name}: "inputs" must be a list of answers, e.g. inputs: ["1", "2", "00"]`);
  }
  if (phone !== undefined && typeof phone !== 'string') throw new Error(`${name}: "phone" must be a string`);
  if (code !== undefined && typeof code !== 'string') throw new Error(`${name}: "code" must be a string`);
  return { phone, code, inputs };
}

/** Parses a transcript file's text; YAML when the name ends in .yaml/.yml. Throws with the file name on bad YAML. */
export function parseTranscript(source: string, name: string): Transcript {
  if (/\.ya?ml$/i.test(name)) return fromYaml(source, name);
  const inputs = source
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  return { inputs };
}
