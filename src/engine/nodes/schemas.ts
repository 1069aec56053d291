/** The union of all node schemas, discriminated by `type`. */
import { z } from 'zod';
import { ActionNodeSchema } from './action';
import { EndNodeSchema } from './end';
import { InputNodeSchema } from './input';
import { ListNodeSchema } from './list';
import { MenuNodeSchema } from './menu';
import { RouteNodeSchema } from './route';

export const FlowNodeSchema = z.discriminatedUnion('type', [
  MenuNodeSchema, InputNodeSchema, ListNodeSchema, ActionNodeSchema, EndNodeSchema, RouteNodeSchema,
]);
export type FlowNode = z.infer<typeof FlowNodeSchema>;
