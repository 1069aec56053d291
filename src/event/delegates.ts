/** Delegates of one flow pack (event), keyed by E.164 phone number. */
import type { Language } from '../kernel/language';

export type RegistrationChannel = 'ussd' | 'sms' | 'import' | 'api';

export interface Delegate {
  phone: string;
  name: string;
  institution: string;
  institutionType: string;
  cohort: string;
  /** Short registration code, unique within the pack. */
  code: string;
  language: Language;
  channel: RegistrationChannel;
  /** ISO time of registration. */
  registeredAt: string;
}

export type NewDelegate = Omit<Delegate, 'code' | 'registeredAt'>;

/** What a broadcast's audience needs of a delegate: where and in which language, and what its selectors filter on. */
export type AudienceDelegate = Pick<Delegate, 'phone' | 'language' | 'cohort' | 'institutionType'>;

export type RegisterResult = { status: 'created' | 'exists'; delegate: Delegate };

export interface DelegateQuery {
  search?: string;
  cohort?: string;
  institutionType?: string;
  registeredSince?: string;
  offset?: number;
  limit?: number;
}

export interface DelegateRepository {
  get(packId: string, phone: string): Promise<Delegate | null>;
  findByCode(packId: string, code: string): Promise<Delegate | null>;
  /** Creates the delegate with a fresh code, or returns the existing one (`exists`). Atomic. */
  register(packId: string, delegate: NewDelegate, at: Date): Promise<RegisterResult>;
  /** Changes fields of an existing delegate; resolves null when there is none. */
  update(packId: string, phone: string, changes: Partial<Pick<Delegate, 'name' | 'institution' | 'institutionType' | 'cohort' | 'language'>>): Promise<Delegate | null>;
  /** Removes the delegate and their personal data (record, code, reminders). True when one existed. */
  erase(packId: string, phone: string): Promise<boolean>;
  list(packId: string, query?: DelegateQuery): Promise<{ total: number; items: Delegate[] }>;
  /**
   * Every delegate of the pack in registration order, as `list` without a query finds them, but
   * only what an audience needs: a lighter read for creating a broadcast. Absent: `list` serves.
   */
  audienceOf?(packId: string): Promise<AudienceDelegate[]>;
  /**
   * The language a phone chose: its registration's, else the one it chose before registering
   * (USSD language menu, LUGHA/LANG); null when it chose none.
   */
  languageOf(packId: string, phone: string): Promise<Language | null>;
  /** Keeps the language a phone chose: on its registration, or per phone while it has none. */
  setLanguage(packId: string, phone: string, language: Language): Promise<void>;
  count(packId: string): Promise<number>;
}

/** Whether `delegate` is one `query` asks for (filters and search; paging aside). */
export function delegateMatches(delegate: Delegate, query: DelegateQuery): boolean {
  if (query.cohort && delegate.cohort !== query.cohort) return false;
  if (query.institutionType && delegate.institutionType !== query.institutionType) return false;
  if (query.registeredSince && Date.parse(delegate.registeredAt) < Date.parse(query.registeredSince)) return false;
  if (query.search) {
    const needle = query.search.toLowerCase();
    const haystack = `${delegate.name} ${delegate.institution} ${delegate.code} ${delegate.phone}`.toLowerCase();
    if (!haystack.includes(needle)) return false;
  }
  return true;
}

/** One page of the delegates `query` asks for, out of `all` (in registration order), with their total. */
export function applyDelegateQuery(all: readonly Delegate[], query: DelegateQuery = {}): { total: number; items: Delegate[] } {
  const found = all.filter((d) => delegateMatches(d, query));
  const offset = query.offset ?? 0;
  const limit = query.limit ?? found.length;
  return { total: found.length, items: found.slice(offset, offset + limit) };
}
