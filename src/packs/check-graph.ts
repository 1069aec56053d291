/** Graph checks: the start node, unknown targets, unreachable nodes and dead ends. */
import { kindOf } from '../engine/nodes/registry';
import type { LoadedPack } from './load';
import { suggest, type Problem } from './problem';

export function checkGraph({ pack, invalidNodes }: Pick<LoadedPack<unknown>, 'pack' | 'invalidNodes'>): Problem[] {
  const problems: Problem[] = [];
  const ids = new Set([...Object.keys(pack.nodes), ...invalidNodes]);
  const at = (path: string, code: string, message: string, fix?: string): void => {
    problems.push({ code, pack: pack.id, file: 'ussd.yaml', path, message, ...(fix === undefined ? {} : { fix }) });
  };
  if (!ids.has(pack.start)) at('start', 'FLOW.UNKNOWN_TARGET', `start node '${pack.start}' not found in ussd.yaml`, suggest(pack.start, ids, 'a node'));
  const edges = new Map<string, string[]>();
  for (const [id, node] of Object.entries(pack.nodes)) {
    const links = kindOf(node).links(node);
    edges.set(id, links.map((l) => l.to));
    for (const link of links)
      if (!ids.has(link.to)) at(`nodes.${id}.${link.path}`, 'FLOW.UNKNOWN_TARGET', `node '${link.to}' not found in ussd.yaml`, suggest(link.to, ids, 'a node'));
    if (node.type !== 'end' && links.length === 0)
      at(`nodes.${id}`, 'FLOW.DEAD_END', `'${id}' is a ${node.type} with no way on`, node.type === 'menu' ? 'add options, or make it an end node' : 'add a target');
  }
  const reached = new Set<string>();
  const queue = [pack.start];
  while (queue.length > 0) {
    const id = queue.shift() as string;
    if (reached.has(id)) continue;
    reached.add(id);
    queue.push(...(edges.get(id) ?? []));
  }
  // With invalid nodes the graph is incomplete: reachability is reported once they are fixed.
  if (invalidNodes.length > 0) return problems;
  for (const id of Object.keys(pack.nodes))
    if (!reached.has(id)) at(`nodes.${id}`, 'FLOW.UNREACHABLE', `node '${id}' cannot be reached from '${pack.start}'`, 'link to it from a menu or remove it');
  return problems;
}
