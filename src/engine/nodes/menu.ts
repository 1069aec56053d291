/**
 * A menu: numbered options, each shown only when its `when` holds; optional body text above. The
 * text may be a list of `{ when, text }`: the first whose `when` holds (or that has none) is shown.
 */
import { z } from 'zod';
import type { Runtime } from '../runtime';
import { NextSchema, ValueSchema, nextConditions, nextLinks, optionNumber, type NodeKind } from './kind';

export const MenuNodeSchema = z
  .object({
    type: z.literal('menu'),
    text: z.union([z.string(), z.array(z.object({ when: z.string().optional(), text: z.string() }).strict()).min(1)]).optional(),
    /** false: a caller who hangs up here is not offered to continue (a finished task's next steps). */
    resume: z.boolean().optional(),
    options: z.array(
      z.object({ label: z.string(), next: NextSchema, when: z.string().optional(), set: z.record(z.string(), ValueSchema).optional() }).strict(),
    ),
  })
  .strict();
export type MenuNode = z.infer<typeof MenuNodeSchema>;

/** The menu's texts with their conditions and paths (one for a plain `text`). */
function texts(node: MenuNode): Array<{ when?: string | undefined; text: string; path: string }> {
  if (node.text === undefined) return [];
  if (typeof node.text === 'string') return [{ text: node.text, path: 'text' }];
  return node.text.map((t, i) => ({ when: t.when, text: t.text, path: `text[${i}].text` }));
}

function textOf(node: MenuNode, rt: Runtime): string[] {
  const chosen = texts(node).find((t) => rt.when(t.when));
  return chosen ? [rt.text(chosen.text)] : [];
}

export const menu: NodeKind<MenuNode> = {
  type: 'menu',
  schema: MenuNodeSchema,
  render: (node, rt) => ({
    type: 'CON',
    body: textOf(node, rt),
    options: node.options.filter((o) => rt.when(o.when)).map((o, i) => `${i + 1}. ${rt.text(o.label)}`),
    paginate: true,
    nav: true,
    optionsFirst: true,
  }),
  handle: (node, input, rt) => {
    const option = node.options.filter((o) => rt.when(o.when))[optionNumber(input) - 1];
    if (!option) return { kind: 'reprompt', reason: 'error.invalid_choice' };
    return { kind: 'goto', next: option.next, set: option.set };
  },
  links: (node) => node.options.flatMap((o, i) => nextLinks(o.next, `options[${i}].next`)),
  messageKeys: (node) => [
    ...texts(node).map(({ text, path }) => ({ path, key: text })),
    ...node.options.map((o, i) => ({ path: `options[${i}].label`, key: o.label })),
  ],
  conditions: (node) => [
    ...texts(node).flatMap(({ when, path }) => (when === undefined ? [] : [{ path: path.replace(/\.text$/, '.when'), expr: when }])),
    ...node.options.flatMap((o, i) => [
      ...(o.when === undefined ? [] : [{ path: `options[${i}].when`, expr: o.when }]),
      ...nextConditions(o.next, `options[${i}].next`),
    ]),
  ],
  templates: () => [],
  assigns: (node) =>
    node.options.flatMap((o, i) =>
      Object.entries(o.set ?? {}).map(([name, v]) => ({ name, path: `options[${i}].set.${name}`, maxLength: String(v ?? '').length })),
    ),
};
