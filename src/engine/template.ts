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

/** Fills `template` asking `lookup` for each variable it uses (and only those); unknown ones become ''. */
export function fillTemplate(template: string, lookup: (name: string) => string | undefined): string {
  return template.replace(TEMPLATE_VARIABLE, (_all, name: string) => lookup(name) ?? '');
}
