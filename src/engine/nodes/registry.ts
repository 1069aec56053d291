/** Node kinds by their `type` name. A new kind is a new file plus one line here and in schemas.ts. */
import { action } from './action';
import { end } from './end';
import { input } from './input';
import type { NodeKind } from './kind';
import { list } from './list';
import { menu } from './menu';
import { route } from './route';
import type { FlowNode } from './schemas';

const KINDS = { menu, input, list, action, end, route } as const;

/** The kind implementing `node` (typed loosely: each kind only ever sees its own nodes). */
export function kindOf(node: FlowNode): NodeKind<FlowNode> {
  return KINDS[node.type] as unknown as NodeKind<FlowNode>;
}

export const NODE_TYPES = Object.keys(KINDS);
