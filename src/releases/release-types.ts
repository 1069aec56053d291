/**
 * Flow releases: the stored versions of a pack and the pointer saying which one is live and which
 * one is staged to a few phones. A version is named by the content hash of its files.
 */
import type { Problem } from '../packs/problem';

/** Who made a release or moved the pointer: a token's role and label (never the token), or the operator's FLOWS_DIR. */
export interface ReleasedBy {
  role: string;
  label: string;
}

/** One stored version of a pack. */
export interface ReleaseRecord {
  packId: string;
  /** Content hash of the files (as flows:check prints it). */
  version: string;
  /** ISO time it was stored. */
  createdAt: string;
  by: ReleasedBy;
  /** `flows_dir`: read from FLOWS_DIR at start; `upload`: sent through the admin API or CLI. */
  source: 'flows_dir' | 'upload';
  /** Names of its files. */
  files: string[];
  /** Number of USSD nodes (a quick sense of the change). */
  nodes: number;
}

export type ReleaseAction = 'live' | 'staged' | 'unstaged' | 'promoted' | 'rolled_back';

/** One move of the pointer. */
export interface ReleaseEvent {
  action: ReleaseAction;
  version: string;
  at: string;
  by: ReleasedBy;
  /** Phones on the allow-list, for `staged`. */
  phones?: number;
}

/** The pointer of one pack, read by every process. */
export interface ReleaseState {
  /** Raised by one on every change (compare-and-set). */
  revision: number;
  live: string;
  staged: { version: string; phones: string[] } | null;
  /** The version last read from FLOWS_DIR at start: new files there go live at the next start. */
  disk: string;
  /** Newest first, capped. */
  history: ReleaseEvent[];
}

/** What `GET /releases` answers. */
export interface ReleaseListing {
  packId: string;
  live: string;
  staged: { version: string; phones: string[] } | null;
  /** Newest first, each with its status. */
  versions: Array<ReleaseRecord & { status: 'live' | 'staged' | 'previous' | 'stored' }>;
  history: ReleaseEvent[];
}

/** The organisers' side of releases (admin API and CLI). */
export interface ReleaseAdmin {
  list(packId: string): Promise<ReleaseListing>;
  /**
   * Stores `files` as a version of `packId` after flows:check; throws RELEASE.UNPROCESSABLE
   * with every problem otherwise. `stage` also stages it to those phones.
   */
  upload(packId: string, files: Record<string, string>, by: ReleasedBy, stage?: { phones: string[] }): Promise<{ release: ReleaseRecord; created: boolean; listing: ReleaseListing }>;
  stage(packId: string, version: string, phones: string[], by: ReleasedBy): Promise<ReleaseListing>;
  unstage(packId: string, by: ReleasedBy): Promise<ReleaseListing>;
  /** The staged version (or `version`) goes live for everyone. */
  promote(packId: string, by: ReleasedBy, version?: string): Promise<ReleaseListing>;
  /** `version` (default: the one live before the current one) goes live again. */
  rollback(packId: string, by: ReleasedBy, version?: string): Promise<ReleaseListing>;
}

/** flows:check problems of a refused release, as the API's `details`. */
export type ReleaseProblems = Problem[];
