/**
 * Text cleaned once at the edge: control characters (C0 and C1) and the invisible direction marks
 * that can make a name read differently than it is stored (bidi overrides, isolates, marks) never
 * reach the store, an export or an SMS. Line breaks survive where a text may have lines.
 */

// C0 except TAB, LF, CR; DEL; C1. TAB and CR are handled on their own below.
// eslint-disable-next-line no-control-regex -- control characters are what this removes
const CONTROLS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g;
// Arabic letter mark, LRM/RLM, embeddings and overrides, isolates.
const BIDI = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;

/** One line of text (a CSV cell, a name): every control becomes a space, direction marks go. Never throws. */
export function cleanLine(text: string): string {
  return text.replace(BIDI, '').replace(CONTROLS, ' ').replace(/[\t\r\n]/g, ' ');
}

/** Text that may have lines (an SMS): CRLF and CR become LF, a tab a space, other controls and direction marks go. */
export function cleanMultiline(text: string): string {
  return text.replace(BIDI, '').replace(/\r\n?/g, '\n').replace(/\t/g, ' ').replace(CONTROLS, '');
}
