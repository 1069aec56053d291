/** A golden transcript file (test/golden/*.yaml), one hop in it, and how to play one. */
import type { Language } from '../../src/engine';
import { UssdPlayer, type PlayedHop, type QueuedSms } from '../support/ussd-player';

export interface GoldenSetup {
  registered?: boolean;
  /** Registered by SMS with name and institution only (no institution type, no cohort). */
  registeredBySms?: boolean;
  /** An organiser has edited the agenda, so the event is no longer marked as a sample. */
  agendaEdited?: boolean;
  reminders?: string[];
  /** Organisers invited the caller (name with title, institution, type id, cohort id). */
  invited?: { name: string; institution: string; institutionType: string; cohort: string };
  now?: string;
  /** The caller registers by SMS with this code just before the last input (register answers `exists`). */
  existingCode?: string;
  /** `error`: the stores fail every write, so each action answers `error`. */
  forceOutcome?: 'error';
  /** This action (e.g. `register`) passes its deadline: the caller gets the late END and the result by SMS. */
  slowAction?: string;
}

/** One hop as written in a transcript: `sms` only when the hop queued any. */
export interface GoldenHop {
  input: string | null;
  screen: string;
  effects: string[];
  sms?: QueuedSms[];
}

export interface GoldenFile {
  description: string;
  setup?: GoldenSetup;
  /** Inputs carried by the dialled code itself, e.g. `2*1*1` for `*384*2015*2*1*1#`. */
  dial?: string;
  inputs: string[] | Record<Language, string[]>;
  transcripts?: Partial<Record<Language, GoldenHop[]>>;
}

export function goldenInputs(golden: GoldenFile, lang: Language): string[] {
  return Array.isArray(golden.inputs) ? golden.inputs : golden.inputs[lang];
}

/** A played hop as the transcript states it (empty SMS lists left out, to keep files short). */
export function goldenHop(hop: PlayedHop): GoldenHop {
  return { input: hop.input, screen: hop.screen, effects: hop.effects, ...(hop.sms.length > 0 ? { sms: hop.sms } : {}) };
}

/**
 * Plays the transcript's conversation in `lang` through the real USSD service (directly, or over
 * the webhook with `transport: 'http'`) and returns its hops as a transcript states them.
 */
export async function playGolden(golden: GoldenFile, lang: Language, transport: 'service' | 'http' = 'service'): Promise<GoldenHop[]> {
  const setup = golden.setup ?? {};
  const player = await UssdPlayer.start({
    lang, transport,
    ...(setup.now ? { now: setup.now } : {}),
    ...(setup.registered ? { registered: true } : {}),
    ...(setup.registeredBySms ? { registeredBySms: true } : {}),
    ...(setup.agendaEdited ? { agendaEdited: true } : {}),
    ...(setup.reminders ? { reminders: setup.reminders } : {}),
    ...(setup.invited ? { invited: setup.invited } : {}),
    ...(setup.forceOutcome ? { forceOutcome: setup.forceOutcome } : {}),
    ...(setup.slowAction ? { slowAction: setup.slowAction } : {}),
  });
  try {
    const hops: PlayedHop[] = [await player.dial()];
    // A dialled deep link (`*384*2015*2*1*1#`) is one hop on the wire: each of its prefixes is
    // dialled as a session of its own, so every golden screen is what that shorter link answers.
    const link = golden.dial ? golden.dial.split('*') : [];
    for (const [index, input] of link.entries()) hops.push({ ...(await player.dial(link.slice(0, index + 1).join('*'))), input });
    const inputs = goldenInputs(golden, lang);
    for (const [index, input] of inputs.entries()) {
      // `existingCode`: the caller registered by SMS while confirming on USSD, so register finds them.
      if (setup.existingCode && index === inputs.length - 1) await player.registerBySms(setup.existingCode);
      hops.push(await player.send(input));
    }
    return hops.map(goldenHop);
  } finally {
    await player.close();
  }
}
