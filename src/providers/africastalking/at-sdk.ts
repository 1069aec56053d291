/**
 * Creates the official SDK client with a guard against its sandbox leak.
 *
 * The SDK keeps its endpoint URLs in module-level variables and `username: 'sandbox'` rewrites them
 * for the whole process, with no way back: a live client created after a sandbox one (or before
 * it) silently talks to the sandbox. Loading a private copy of the SDK per client would avoid the
 * leak but means fighting the module cache (Jest replaces it) and loading the SDK's dependencies
 * twice. One process never needs both modes, so we refuse to mix them instead, loudly, and check
 * the SDK's URL again before every send in case something created a sandbox client behind our back.
 */
import africastalking = require('africastalking');
import sdkEndpoints = require('africastalking/lib/common');
import { errorWithCode } from '../../kernel/errors';

export type AtMode = 'live' | 'sandbox';

export class AtConfigurationError extends errorWithCode('SMS.PROVIDER_MISCONFIGURED') {}

let modeInThisProcess: AtMode | undefined;

export function modeOf(username: string): AtMode {
  return username.toLowerCase() === 'sandbox' ? 'sandbox' : 'live';
}

/** Whether the SDK's shared endpoint state still points where `mode` expects. */
export function sdkPointsAt(mode: AtMode): boolean {
  return sdkEndpoints.SMS_URL.includes('.sandbox.') === (mode === 'sandbox');
}

/** The SDK's bulk SMS endpoint now (live or sandbox). */
export function sdkSmsUrl(): string {
  return sdkEndpoints.SMS_URL;
}

/**
 * Returns an SDK client for `username`. Throws `AtConfigurationError` when this process already
 * has a client of the other mode (or the SDK was switched to the sandbox elsewhere); never returns
 * a client that would reach the wrong host.
 */
export function createSdkClient(options: { username: string; apiKey: string }): africastalking.Client {
  const mode = modeOf(options.username);
  if ((modeInThisProcess !== undefined && modeInThisProcess !== mode) || (mode === 'live' && !sdkPointsAt('live'))) {
    throw new AtConfigurationError(
      `Africa's Talking ${mode} client refused: this process already uses the ${mode === 'live' ? 'sandbox' : 'live'} ` +
        "endpoints, and the SDK cannot switch back. Run sandbox and live in separate processes.",
    );
  }
  const client = africastalking({ username: options.username, apiKey: options.apiKey, format: 'json' });
  modeInThisProcess = mode;
  return client;
}
