/** A final screen (END): the session closes after it. */
import { z } from 'zod';
import type { NodeKind } from './kind';

export const EndNodeSchema = z.object({ type: z.literal('end'), text: z.string() }).strict();
export type EndNode = z.infer<typeof EndNodeSchema>;

export const end: NodeKind<EndNode> = {
  type: 'end',
  schema: EndNodeSchema,
  render: (node, rt) => ({ type: 'END', body: [rt.text(node.text)], options: [], paginate: false, nav: false }),
  links: () => [],
  messageKeys: (node) => [{ path: 'text', key: node.text }],
  conditions: () => [],
  templates: () => [],
  assigns: () => [],
};
