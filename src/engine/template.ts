/**
 * Message templates: `{values.name}`, `{delegate.code}`, `{session.title}`. One pass, so a value
 * that itself contains braces is shown as typed and never expanded again. A variable with no value
 * renders as '' (never "undefined").
 */
export const TEMPLATE_VARIABLE = /\{([A-Za-z_][\w]*(?:\.[\w]+)*)\}/g;

/** Names of the variables a template uses, in order of appearance (with repeats). */
export function templateVariables(template: string): string[] {
  return Array.from(template.matchAll(TEMPLATE_VARIABLE), (m) => m[1] ?? '');
}

/** Fills `template` from `vars`; unknown variables become ''. Never throws. */
export function renderTemplate(template: string, vars: Readonly<Record<string, string | undefined>>): string {
  return fillTemplate(template, (name) => vars[name]);
}

const VARIABLE = String.raw`\{[A-Za-z_]\w*(?:\.\w+)*\}`;
/** A bracket holding only variables (`(…{event.note})`), or a whole sentence of variables (`2015. {event.note}.`). */
const WRAPPED = new RegExp(String.raw`[ \t]*\((?:[ \t]*${VARIABLE})+[ \t]*\)|(?<=^|[.!?])[ \t]*(?:${VARIABLE}[ \t]*)+\.`, 'g');

/** A template's lines and whether each uses a variable, worked out once per template (the catalogue's are few and used on every hop). */
const splitTemplates = new Map<string, ReadonlyArray<{ text: string; variables: boolean }>>();
/** At most this many templates are kept; past it the cache starts again (releases bring new ones over time). */
const MAX_CACHED = 5000;

function linesOf(template: string): ReadonlyArray<{ text: string; variables: boolean }> {
  let split = splitTemplates.get(template);
  if (!split) {
    if (splitTemplates.size >= MAX_CACHED) splitTemplates.clear();
    split = template.split('\n').map((text) => ({ text, variables: templateVariables(text).length > 0 }));
    splitTemplates.set(template, split);
  }
  return split;
}

/**
 * Fills `template` asking `lookup` for each variable it uses (and only those); unknown ones become ''.
 * What an empty value would leave behind goes with it: a bracket or a sentence made only of empty
 * variables, and a line with variables that renders blank (a template's own blank lines stay).
 */
export function fillTemplate(template: string, lookup: (name: string) => string | undefined): string {
  const split = linesOf(template);
  if (split.every((line) => !line.variables)) return template;
  const known = new Map<string, string>();
  const value = (name: string): string => {
    if (!known.has(name)) known.set(name, lookup(name) ?? '');
    return known.get(name) ?? '';
  };
  const allEmpty = (text: string): boolean => templateVariables(text).every((name) => value(name) === '');
  const lines: string[] = [];
  for (const { text: line, variables } of split) {
    if (!variables) {
      lines.push(line);
      continue;
    }
    const filled = line
      .replace(WRAPPED, (group) => (allEmpty(group) ? '' : group))
      .replace(TEMPLATE_VARIABLE, (_all, name: string) => value(name));
    if (filled.trim() !== '') lines.push(filled);
  }
  return lines.join('\n');
}
