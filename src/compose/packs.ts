/**
 * Boot validation of the flow packs: every problem flows:check finds (each pack, and the clashes
 * between them), then the operator's choices that name packs (DEFAULT_PACK, packs in
 * ADMIN_TOKENS). Nothing here assumes one pack.
 */
import type { Config } from '../config/load';
import type { EventPack } from '../event/event-pack';
import type { PackSummary } from '../http/admin/packs';
import { smsOf } from '../packs/check-clashes';
import { loadPacks, type LoadedPack } from '../packs/load';
import { formatProblem } from '../packs/problem';
import { errorWithCode } from '../kernel/errors';
import type { Clock } from '../kernel/clock';
import { localDate } from '../kernel/local-time';
import { shiftEventTo } from '../event/demo-dates';

/** Thrown when the flow packs cannot be used; the message lists every problem. */
export class FlowPackError extends errorWithCode('FLOW.INVALID') {}

export interface GatewayPacks {
  /** The packs served, sorted by id, with the operator's screen budget applied. */
  packs: EventPack[];
  /** The same packs as loaded (keywords, SMS side). */
  loaded: LoadedPack[];
  summaries: PackSummary[];
  /** DEFAULT_PACK, or the first pack id in sorted order. */
  defaultPack: string;
}

/** One pack as the admin API lists it. */
export function packSummary(loaded: LoadedPack): PackSummary {
  const { pack } = loaded;
  const sms = smsOf(loaded);
  return { id: pack.id, name: pack.name, serviceCodes: [...pack.serviceCodes], shortCodes: [...sms.shortCodes], keyword: sms.keyword ?? null, sample: pack.event.sample };
}

/** Problems with settings that name packs; never shows a token. */
export function packSettingProblems(config: Config, ids: readonly string[]): string[] {
  const known = `packs: ${ids.join(', ')}`;
  const problems: string[] = [];
  const wanted = config.flows.defaultPack;
  if (wanted !== undefined && !ids.includes(wanted)) problems.push(`DEFAULT_PACK: no pack '${wanted}' in ${config.flows.dir} (${known})`);
  config.security.adminTokens.forEach((token, i) => {
    for (const id of token.packs ?? [])
      if (!ids.includes(id)) problems.push(`ADMIN_TOKENS: entry ${i + 1} (${token.role}) names pack '${id}', which is not loaded (${known})`);
  });
  return problems;
}

/** With `on`, each sample pack's event starts today on its own wall clock (DEMO_DATES=today); otherwise the packs as loaded. */
export function withDemoDates(packs: GatewayPacks, on: boolean, clock: Clock): GatewayPacks {
  if (!on) return packs;
  const shift = <P extends EventPack>(pack: P): P => ({ ...pack, event: shiftEventTo(pack.event, localDate(clock.now(), pack.event.utcOffset)) });
  const loaded = packs.loaded.map((l) => ({ ...l, pack: shift(l.pack) }));
  return { ...packs, loaded, packs: loaded.map((l) => l.pack) };
}

/** Loads and checks every pack under FLOWS_DIR and the settings naming packs; throws FlowPackError listing every problem. */
export function loadGatewayPacks(config: Config): GatewayPacks {
  const found = loadPacks(config.flows.dir);
  const { problems } = found;
  if (problems.length > 0 || found.packs.length === 0)
    throw new FlowPackError(`Flow packs in ${config.flows.dir} cannot be used:\n${problems.length ? problems.map((p) => `  - ${formatProblem(p)}`).join('\n') : '  - no pack found'}\nRun npm run flows:check for details.`);
  // The operator's screen budget (USSD_MAX_SCREEN_CHARS) applies to every pack at run time.
  const loaded = found.loaded
    .map((l) => ({ ...l, pack: { ...l.pack, screen: { ...l.pack.screen, maxChars: config.ussd.maxScreenChars } } }))
    .sort((a, b) => a.pack.id.localeCompare(b.pack.id));
  const ids = loaded.map((l) => l.pack.id);
  const settings = packSettingProblems(config, ids);
  if (settings.length > 0) throw new FlowPackError(`Settings that name flow packs cannot be used:\n${settings.map((p) => `  - ${p}`).join('\n')}`);
  return { packs: loaded.map((l) => l.pack), loaded, summaries: loaded.map(packSummary), defaultPack: config.flows.defaultPack ?? ids[0] ?? '' };
}
