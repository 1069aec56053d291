/**
 * What the caller typed since the last hop. AT's `text` is cumulative (`1*2*Asha`), so the new
 * input is what the session has not consumed yet: a `*` inside a typed name stays in the name.
 */
export type NewInput =
  /** The same text as already consumed: a retry or a re-render, no new input. */
  | { kind: 'none' }
  | { kind: 'one'; input: string }
  /** First hop of a session dialled with extra digits (`*384*2015*2#`): inputs in order. */
  | { kind: 'deep_link'; inputs: string[] };

/** `consumed` is null for a session we have not seen before. */
export function newInput(consumed: string | null, text: string): NewInput {
  if (consumed === null) {
    if (text === '') return { kind: 'none' };
    return { kind: 'deep_link', inputs: text.split('*') };
  }
  if (text === consumed) return { kind: 'none' };
  if (consumed === '') return { kind: 'one', input: text };
  if (text.startsWith(`${consumed}*`)) return { kind: 'one', input: text.slice(consumed.length + 1) };
  // AT's text no longer extends what we saw (a lost hop, a gateway quirk): take the last entry.
  const last = text.split('*').pop() ?? '';
  return { kind: 'one', input: last };
}
