/**
 * Reads flow packs from disk (the only fs I/O of the flow machinery): one folder per service with
 * pack.yaml, ussd.yaml, messages.<lang>.yaml, keywords.yaml and event.yaml. Returns what it could
 * build and every problem it found; never throws for bad content.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import type { z } from 'zod';
import type { EventContext } from '../event/context';
import type { EventPack } from '../event/event-pack';
import { EventSchema } from '../event/event-schema';
import { FlowNodeSchema, type FlowNode } from '../engine/nodes/schemas';
import { LANGUAGES, type Language } from '../kernel/language';
import { checkPack, checkPackSet } from './check';
import { EVENT_PACK_VOCABULARY, type PackVocabulary } from './pack-vocabulary';
import {
  flattenMessages, KeywordsFileSchema, MessageTreeSchema, PackFileSchema, UssdFileSchema, type KeywordTable, type PackSms,
} from './pack-schema';
import { suggest, type Problem } from './problem';
import { NODE_TYPES } from '../engine/nodes/registry';
import { inferValues, zodProblems } from './load-helpers';

export interface LoadedPack<C = EventContext> {
  pack: EventPack;
  dir: string;
  keywords: KeywordTable;
  /** pack.yaml's `sms:` section (short codes, pack keyword, default); absent when it has none. */
  sms?: PackSms;
  /** Node ids present in ussd.yaml whose definition is invalid (already reported). */
  invalidNodes: string[];
  /** What the pack was loaded with and is checked against. */
  vocabulary: PackVocabulary<C>;
  /** The vocabulary's context on the pack's sample data (flows:check measures screens on it). */
  sample: C;
  /** The YAML files the pack was built from, by name (what a release stores). */
  files: Record<string, string>;
}

// The conference's vocabulary stands in for any `C` when a caller passes none (C defaults to EventContext).
const defaultVocabulary = <C>(): PackVocabulary<C> => EVENT_PACK_VOCABULARY as unknown as PackVocabulary<C>;

const REQUIRED = ['pack.yaml', 'ussd.yaml', 'keywords.yaml', 'event.yaml'];

/** Content hash of the pack's YAML files: stable across machines and file order. */
export function packVersion(files: Record<string, string>): string {
  const hash = createHash('sha256');
  for (const name of Object.keys(files).sort()) hash.update(`${name}\0${files[name] ?? ''}\0`);
  return hash.digest('hex').slice(0, 12);
}

const YAML_FAILED = Symbol('yaml failed');

function readYaml(packId: string, file: string, text: string, problems: Problem[]): unknown {
  const doc = parseDocument(text);
  for (const error of doc.errors.slice(0, 1)) {
    const line = error.linePos?.[0];
    const message = (error.message.split('\n')[0] ?? 'YAML error').replace(/ at line \d+, column \d+:?$/, '');
    problems.push({ code: 'FLOW.YAML', pack: packId, file, path: line ? `line ${line.line}, column ${line.col}` : '', message, fix: 'fix the YAML syntax (indentation, quotes, colons) there or just above' });
  }
  return doc.errors.length > 0 ? YAML_FAILED : doc.toJS();
}

function parse<T>(schema: z.ZodType<T>, data: unknown, where: { pack: string; file: string; prefix?: string }, problems: Problem[]): T | undefined {
  if (data === YAML_FAILED) return undefined;
  const result = schema.safeParse(data);
  if (result.success) return result.data;
  problems.push(...zodProblems(result.error, where));
  return undefined;
}

/** The YAML files of one pack folder, by name. */
export function readPackFiles(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const name of readdirSync(dir).filter((n) => /\.ya?ml$/.test(n)).sort()) files[name] = readFileSync(join(dir, name), 'utf8');
  return files;
}

/** Loads one pack folder. `pack` is null when a file is missing or invalid at the schema level. */
export function loadPackFolder<C = EventContext>(dir: string, folderName: string, vocabulary: PackVocabulary<C> = defaultVocabulary<C>()): { loaded: LoadedPack<C> | null; problems: Problem[] } {
  return loadPackFiles(readPackFiles(dir), folderName, vocabulary, dir);
}

/**
 * Builds one pack from its files (a folder read from disk, or a release uploaded through the admin
 * API). `loaded` is null when a file is missing or invalid at the schema level; never throws.
 */
export function loadPackFiles<C = EventContext>(files: Record<string, string>, folderName: string, vocabulary: PackVocabulary<C> = defaultVocabulary<C>(), dir = folderName): { loaded: LoadedPack<C> | null; problems: Problem[] } {
  const problems: Problem[] = [];
  for (const name of REQUIRED)
    if (files[name] === undefined) problems.push({ code: 'FLOW.MISSING_FILE', pack: folderName, file: name, path: '', message: `${name} is missing`, fix: `add ${name} (see flows/egov2015/${name})` });
  const packFile = files['pack.yaml'] === undefined ? undefined : parse(PackFileSchema, readYaml(folderName, 'pack.yaml', files['pack.yaml'], problems), { pack: folderName, file: 'pack.yaml' }, problems);
  const id = packFile?.id ?? folderName;
  const read = <T>(file: string, schema: z.ZodType<T>): T | undefined =>
    files[file] === undefined ? undefined : parse(schema, readYaml(id, file, files[file], problems), { pack: id, file }, problems);
  const ussd = read('ussd.yaml', UssdFileSchema);
  const keywords = read('keywords.yaml', KeywordsFileSchema);
  const event = read('event.yaml', EventSchema);
  const messages: Partial<Record<Language, Record<string, string>>> = {};
  for (const lang of packFile?.languages ?? []) {
    const file = `messages.${lang}.yaml`;
    if (files[file] === undefined) problems.push({ code: 'FLOW.MISSING_FILE', pack: id, file, path: '', message: `${file} is missing for language '${lang}'`, fix: `add ${file} with the same keys as the other languages` });
    const tree = read(file, MessageTreeSchema);
    if (tree) messages[lang] = flattenMessages(tree);
  }
  const nodes: Record<string, FlowNode> = {};
  const invalidNodes: string[] = [];
  const assignedByInvalid: Record<string, { maxLength: number }> = {};
  for (const [nodeId, raw] of Object.entries(ussd?.nodes ?? {})) {
    const type = (raw as { type?: unknown } | null)?.type;
    const node = NODE_TYPES.includes(String(type))
      ? parse(FlowNodeSchema, raw, { pack: id, file: 'ussd.yaml', prefix: `nodes.${nodeId}` }, problems)
      : void problems.push({ code: 'FLOW.SCHEMA', pack: id, file: 'ussd.yaml', path: `nodes.${nodeId}.type`, message: `unknown node type '${String(type ?? '')}'`, fix: suggest(String(type ?? ''), NODE_TYPES, 'a node type') });
    if (node) nodes[nodeId] = node;
    else {
      invalidNodes.push(nodeId);
      // Keep the value an invalid node would store, so its absence does not cascade into more problems.
      const assign = (raw as { assign?: unknown } | null)?.assign;
      if (typeof assign === 'string') assignedByInvalid[assign] = { maxLength: 40 };
    }
  }
  if (!packFile || !ussd || !keywords || !event || packFile.languages.some((l) => messages[l] === undefined)) return { loaded: null, problems };
  const pack: EventPack = {
    id, name: packFile.name, version: packVersion(files), serviceCodes: packFile.serviceCodes, languages: packFile.languages,
    defaultLanguage: packFile.defaultLanguage, screen: packFile.screen, nav: packFile.nav, start: ussd.start, nodes,
    values: {}, messages: Object.fromEntries(LANGUAGES.map((l) => [l, messages[l] ?? {}])) as Record<Language, Record<string, string>>, keywords: keywords.commands, event,
    ...(packFile.sms?.shortCodes[0] ? { shortCode: packFile.sms.shortCodes[0] } : {}),
  };
  const sample = vocabulary.sampleContext(event);
  pack.values = inferValues(pack, vocabulary, sample, { ...assignedByInvalid, ...ussd.values });
  return { loaded: { pack, dir, keywords, ...(packFile.sms ? { sms: packFile.sms } : {}), invalidNodes, vocabulary, sample, files }, problems };
}

/**
 * Loads every pack under `root` (each subfolder with a pack.yaml) and checks it. `packs` holds only
 * packs with no problem; `problems` lists all of them, each with file and path.
 */
export function loadPacks<C = EventContext>(root: string, vocabulary: PackVocabulary<C> = defaultVocabulary<C>()): { packs: EventPack[]; loaded: Array<LoadedPack<C>>; problems: Problem[] } {
  const problems: Problem[] = [];
  const loaded: Array<LoadedPack<C>> = [];
  if (!existsSync(root)) return { packs: [], loaded, problems: [{ code: 'FLOW.NO_DIR', pack: '', file: root, path: '', message: 'flows folder not found', fix: 'set FLOWS_DIR to a folder of packs' }] };
  const folders = readdirSync(root).filter((n) => statSync(join(root, n)).isDirectory() && existsSync(join(root, n, 'pack.yaml'))).sort();
  const bad = new Set<string>();
  for (const folder of folders) {
    const result = loadPackFolder(join(root, folder), folder, vocabulary);
    const own = result.loaded ? [...result.problems, ...checkPack(result.loaded)] : result.problems;
    problems.push(...own);
    if (result.loaded) loaded.push(result.loaded);
    if (own.length > 0) bad.add(folder);
  }
  problems.push(...checkPackSet(loaded));
  const packs = loaded.filter((l) => !bad.has(l.dir.split(/[\\/]/).pop() ?? '')).map((l) => l.pack);
  return { packs, loaded, problems };
}
