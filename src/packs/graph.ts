/** Mermaid (`flowchart TD`) drawing of a pack's USSD graph, for reviews and docs. */
import { kindOf } from '../engine/nodes/registry';
import { message } from '../engine/runtime';
import type { FlowPack } from '../engine/types';

const safe = (text: string): string => text.replace(/["\n]/g, ' ').replace(/[[\]{}()<>|]/g, ' ').slice(0, 40).trim();

export function toMermaid(pack: FlowPack): string {
  const lines = ['flowchart TD', `  %% ${pack.id} (${pack.version})`];
  // Node ids get a prefix: Mermaid reserves words such as `end`.
  const ref = (id: string): string => `n_${id.replace(/\W/g, '_')}`;
  const shape = (id: string, type: string): string =>
    type === 'end' ? `${ref(id)}(["${id}"])` : type === 'action' ? `${ref(id)}{{"${id}: ${type}"}}` : type === 'route' ? `${ref(id)}{"${id}"}` : `${ref(id)}["${id}: ${type}"]`;
  for (const [id, node] of Object.entries(pack.nodes)) lines.push(`  ${shape(id, node.type)}`);
  for (const [id, node] of Object.entries(pack.nodes)) {
    const labels = new Map<string, string>();
    if (node.type === 'menu') node.options.forEach((o, i) => labels.set(`options[${i}].next`, `${i + 1} ${safe(message(pack, pack.defaultLanguage, o.label))}`));
    for (const link of kindOf(node).links(node)) {
      const label = labels.get(link.path) ?? (link.path.startsWith('outcomes.') ? link.path.slice(9) : '');
      lines.push(label === '' ? `  ${ref(id)} --> ${ref(link.to)}` : `  ${ref(id)} -->|"${safe(label)}"| ${ref(link.to)}`);
    }
  }
  lines.push(`  style ${ref(pack.start)} stroke-width:3px`);
  return lines.join('\n');
}
