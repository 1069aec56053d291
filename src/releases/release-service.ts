/**
 * Releasing a flow, as a story: a new version is checked (flows:check, clashes with the other
 * packs included) and stored; it may be staged to a few phones; one action makes it live, one
 * action rolls back to any earlier version. Each move re-checks the version against the packs
 * live at that moment, is written by compare-and-set, announced to every process and applied
 * here before the answer. Sessions already running keep their version (see ussd/).
 */
import { AppError } from '../kernel/errors';
import type { Clock } from '../kernel/clock';
import type { Logger } from '../kernel/logger';
import { normalisePhone } from '../kernel/phone';
import { checkRelease } from '../packs/check-release';
import type { LoadedPack } from '../packs/load';
import { formatProblem } from '../packs/problem';
import type { LivePacks } from './live-packs';
import type { ReleaseStore } from './releases.redis';
import type { ReleaseAdmin, ReleasedBy, ReleaseEvent, ReleaseListing, ReleaseRecord, ReleaseState } from './release-types';

const HISTORY = 50;
const MAX_STAGED_PHONES = 1000;
/** Who stands for the files of FLOWS_DIR read at start. */
export const FLOWS_DIR_RELEASER: ReleasedBy = { role: 'operator', label: 'FLOWS_DIR' };

export interface ReleaseService extends ReleaseAdmin {
  /** At start: stores the FLOWS_DIR versions; new files there go live (the pointer is created on first start). */
  registerBoot(boot: readonly LoadedPack[]): Promise<void>;
}

function recordOf(loaded: LoadedPack, at: string, by: ReleasedBy, source: ReleaseRecord['source']): ReleaseRecord {
  return { packId: loaded.pack.id, version: loaded.pack.version, createdAt: at, by, source, files: Object.keys(loaded.files).sort(), nodes: Object.keys(loaded.pack.nodes).length };
}

function stagedPhones(phones: readonly string[]): string[] {
  const bad: Array<{ path: string; message: string }> = [];
  const good = new Set<string>();
  phones.forEach((phone, i) => {
    const n = normalisePhone(phone);
    if (n.ok) good.add(n.e164);
    else bad.push({ path: `phones.${i}`, message: `'${phone.slice(0, 40)}' is not a mobile number (${n.reason})` });
  });
  if (bad.length > 0) throw new AppError('VALIDATION.PHONE', `${bad.length} of the staging phones are not mobile numbers; see details.`, bad);
  if (good.size === 0) throw new AppError('VALIDATION.FAILED', 'Name at least one phone to stage the version to.', [{ path: 'phones', message: 'empty' }]);
  if (good.size > MAX_STAGED_PHONES) throw new AppError('VALIDATION.FAILED', `Stage to at most ${MAX_STAGED_PHONES} phones; promote the version to reach everyone.`, [{ path: 'phones', message: 'too many' }]);
  return [...good];
}

export function createReleaseService(deps: { store: ReleaseStore; live: LivePacks; clock: Clock; logger: Logger }): ReleaseService {
  const { store, live, clock, logger } = deps;
  const now = (): string => clock.now().toISOString();

  async function listing(packId: string): Promise<ReleaseListing> {
    const [state, versions] = await Promise.all([store.state(packId), store.versions(packId)]);
    const liveVersion = state?.live ?? '';
    const staged = state?.staged ?? null;
    const wentLive = new Set((state?.history ?? []).filter((e) => e.action !== 'staged' && e.action !== 'unstaged').map((e) => e.version));
    return {
      packId, live: liveVersion, staged,
      versions: versions.map((r) => ({ ...r, status: r.version === liveVersion ? 'live' : r.version === staged?.version ? 'staged' : wentLive.has(r.version) ? 'previous' : 'stored' })),
      history: state?.history ?? [],
    };
  }

  /** The stored version, checked against the packs live now; throws when it is unknown or fails. */
  async function checked(packId: string, version: string): Promise<void> {
    const files = await store.files(packId, version);
    if (!files) throw new AppError('RELEASE.NOT_FOUND', `No version '${version}' of pack '${packId}' is stored; GET /releases lists them.`);
    await live.refresh();
    const result = checkRelease(packId, files, live.liveLoaded());
    if (result.problems.length > 0)
      throw new AppError('RELEASE.UNPROCESSABLE', `Version ${version} of '${packId}' does not pass flows:check now (${result.problems.length} problem(s)); see details.`, result.problems.map((p) => ({ ...p, text: formatProblem(p) })));
  }

  /** Applies `change` to the pointer by compare-and-set (retried when another process moved it), then tells every process. */
  async function move(packId: string, change: (state: ReleaseState) => (Omit<ReleaseState, 'revision' | 'history'> & { event: ReleaseEvent }) | null): Promise<ReleaseListing> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const state = await store.state(packId);
      if (!state) throw new AppError('RELEASE.UNAVAILABLE', `Pack '${packId}' has no release pointer yet; it is written when the gateway starts with Redis up.`);
      const changed = change(state);
      // Nothing to change (another process did it first): the pointer stays as it is.
      if (!changed) return listing(packId);
      const { event, ...next } = changed;
      const written = await store.setState(packId, state.revision, { ...next, revision: state.revision + 1, history: [event, ...state.history].slice(0, HISTORY) });
      if (!written) continue;
      await store.announce(packId);
      await live.refresh(packId);
      logger.info({ pack: packId, action: event.action, version: event.version, by: event.by }, 'flow release');
      return listing(packId);
    }
    throw new AppError('RELEASE.CONFLICT', 'The release state kept changing under this request; read GET /releases and try again.');
  }

  const service: ReleaseService = {
    list: listing,

    async upload(packId, files, by, stage) {
      await live.refresh();
      const result = checkRelease(packId, files, live.liveLoaded());
      if (!result.loaded)
        throw new AppError('RELEASE.UNPROCESSABLE', `The files do not pass flows:check (${result.problems.length} problem(s)); nothing was stored. See details.`, result.problems.map((p) => ({ ...p, text: formatProblem(p) })));
      const phones = stage ? stagedPhones(stage.phones) : undefined;
      const candidate = recordOf(result.loaded, now(), by, 'upload');
      const created = await store.saveVersion(candidate, files);
      const release = created ? candidate : ((await store.version(packId, candidate.version)) ?? candidate);
      const after = phones ? await service.stage(packId, release.version, phones, by) : await listing(packId);
      return { release, created, listing: after };
    },

    async stage(packId, version, phones, by) {
      const allowList = stagedPhones(phones);
      await checked(packId, version);
      return move(packId, (state) => {
        if (state.live === version) throw new AppError('RELEASE.CONFLICT', `Version ${version} is already live for everyone.`);
        return { live: state.live, disk: state.disk, staged: { version, phones: allowList }, event: { action: 'staged', version, at: now(), by, phones: allowList.length } };
      });
    },

    async unstage(packId, by) {
      return move(packId, (state) => {
        if (!state.staged) throw new AppError('RELEASE.CONFLICT', 'Nothing is staged.');
        return { live: state.live, disk: state.disk, staged: null, event: { action: 'unstaged', version: state.staged.version, at: now(), by } };
      });
    },

    async promote(packId, by, version) {
      const current = await store.state(packId);
      const target = version ?? current?.staged?.version;
      if (!target) throw new AppError('RELEASE.CONFLICT', 'Nothing is staged; stage a version first or name the version to promote.');
      await checked(packId, target);
      return move(packId, (state) => {
        if (state.live === target) throw new AppError('RELEASE.CONFLICT', `Version ${target} is already live.`);
        const staged = state.staged?.version === target ? null : state.staged;
        return { live: target, disk: state.disk, staged, event: { action: 'promoted', version: target, at: now(), by } };
      });
    },

    async rollback(packId, by, version) {
      const current = await store.state(packId);
      const earlier = current?.history.find((e) => e.action !== 'staged' && e.action !== 'unstaged' && e.version !== current.live)?.version;
      const target = version ?? earlier;
      if (!target) throw new AppError('RELEASE.CONFLICT', 'No earlier version has been live; name the version to roll back to.');
      await checked(packId, target);
      return move(packId, (state) => {
        if (state.live === target) throw new AppError('RELEASE.CONFLICT', `Version ${target} is already live.`);
        const staged = state.staged?.version === target ? null : state.staged;
        return { live: target, disk: state.disk, staged, event: { action: 'rolled_back', version: target, at: now(), by } };
      });
    },

    async registerBoot(boot) {
      for (const loaded of boot) {
        const { id, version } = loaded.pack;
        await store.saveVersion(recordOf(loaded, now(), FLOWS_DIR_RELEASER, 'flows_dir'), loaded.files);
        const event: ReleaseEvent = { action: 'live', version, at: now(), by: FLOWS_DIR_RELEASER };
        const first: ReleaseState = { revision: 1, live: version, staged: null, disk: version, history: [event] };
        if (await store.setState(id, 0, first)) continue;
        // New files in FLOWS_DIR go live; the same files again leave promotions and rollbacks as they are.
        const state = await store.state(id);
        if (state && state.disk !== version) await move(id, (s) => (s.disk === version ? null : { live: version, disk: version, staged: s.staged?.version === version ? null : s.staged, event }));
      }
      await live.refresh();
    },
  };
  return service;
}
