/**
 * Asks for a value: text (length, pattern), number (range), TZ mobile phone, yes/no or a choice.
 * Bad input re-prompts with the reason. Navigation keys win over typed text ("0" goes back) unless
 * the node sets `navigation: false` (e.g. a number input where 0 is a real answer).
 */
import { z } from 'zod';
import { validateNumber, validatePhone, validateText, validateYesNo, type Validation } from '../validators';
import { NextSchema, nextConditions, nextLinks, optionNumber, type NodeKind } from './kind';

const InputSpecSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('text'), minLength: z.number().int().min(0).default(1), maxLength: z.number().int().min(1).max(120).default(40), pattern: z.string().optional() }).strict(),
  z.object({ kind: z.literal('number'), min: z.number().optional(), max: z.number().optional() }).strict(),
  z.object({ kind: z.literal('phone') }).strict(),
  z.object({ kind: z.literal('yesno') }).strict(),
  z.object({ kind: z.literal('choice'), choices: z.array(z.object({ value: z.string(), label: z.string(), next: NextSchema.optional() }).strict()).min(1) }).strict(),
]);

export const InputNodeSchema = z
  .object({
    type: z.literal('input'),
    text: z.string(),
    input: InputSpecSchema,
    assign: z.string().regex(/^[A-Za-z_]\w*$/, 'use letters, digits and _'),
    next: NextSchema,
    navigation: z.boolean().default(true),
  })
  .strict();
export type InputNode = z.infer<typeof InputNodeSchema>;

function validate(node: InputNode, input: string): Validation {
  const spec = node.input;
  switch (spec.kind) {
    case 'text': return validateText(input, spec);
    case 'number': return validateNumber(input, spec);
    case 'phone': return validatePhone(input);
    case 'yesno': return validateYesNo(input);
    case 'choice': {
      const choice = spec.choices[optionNumber(input) - 1];
      return choice ? { ok: true, value: choice.value } : { ok: false, reason: 'error.invalid_choice' };
    }
  }
}

export const input: NodeKind<InputNode> = {
  type: 'input',
  schema: InputNodeSchema,
  render: (node, rt) => {
    const spec = node.input;
    const options =
      spec.kind === 'yesno' ? [`1. ${rt.text('common.yes')}`, `2. ${rt.text('common.no')}`]
      : spec.kind === 'choice' ? spec.choices.map((c, i) => `${i + 1}. ${rt.text(c.label)}`)
      : [];
    return { type: 'CON', body: [rt.text(node.text)], options, paginate: false, nav: false };
  },
  handle: (node, raw) => {
    const result = validate(node, raw);
    if (!result.ok) return { kind: 'reprompt', reason: result.reason, vars: result.vars };
    const choice = node.input.kind === 'choice' ? node.input.choices.find((c) => c.value === result.value) : undefined;
    return { kind: 'goto', next: choice?.next ?? node.next, set: { [node.assign]: result.value } };
  },
  navigation: (node) => node.navigation,
  links: (node) => [
    ...nextLinks(node.next, 'next'),
    ...(node.input.kind === 'choice' ? node.input.choices.flatMap((c, i) => (c.next === undefined ? [] : nextLinks(c.next, `input.choices[${i}].next`))) : []),
  ],
  messageKeys: (node) => [
    { path: 'text', key: node.text },
    ...(node.input.kind === 'yesno' ? [{ path: 'input', key: 'common.yes' }, { path: 'input', key: 'common.no' }] : []),
    ...(node.input.kind === 'choice' ? node.input.choices.map((c, i) => ({ path: `input.choices[${i}].label`, key: c.label })) : []),
  ],
  conditions: (node) => nextConditions(node.next, 'next'),
  templates: () => [],
  assigns: (node) => {
    const spec = node.input;
    const maxLength =
      spec.kind === 'text' ? spec.maxLength
      : spec.kind === 'number' ? Math.max(String(spec.min ?? 0).length, String(spec.max ?? 999999999).length)
      : spec.kind === 'phone' ? 13
      : spec.kind === 'yesno' ? 5
      : Math.max(...spec.choices.map((c) => c.value.length));
    return [{ name: node.assign, path: 'assign', maxLength }];
  },
};

/** Reasons an input node can re-prompt with (flows:check requires them in the catalogue). */
export const INPUT_REASONS = ['error.too_short', 'error.too_long', 'error.bad_format', 'error.not_number', 'error.out_of_range', 'error.bad_phone', 'error.invalid_choice'];
