/** A decision with no screen: goes to the first `next` branch whose condition holds. */
import { z } from 'zod';
import { NextSchema, nextConditions, nextLinks, type NodeKind } from './kind';

export const RouteNodeSchema = z.object({ type: z.literal('route'), next: NextSchema }).strict();
export type RouteNode = z.infer<typeof RouteNodeSchema>;

export const route: NodeKind<RouteNode> = {
  type: 'route',
  schema: RouteNodeSchema,
  enter: (node, rt) => ({ kind: 'goto', to: rt.next(node.next) }),
  links: (node) => nextLinks(node.next, 'next'),
  messageKeys: () => [],
  conditions: (node) => nextConditions(node.next, 'next'),
  templates: () => [],
  assigns: () => [],
};
