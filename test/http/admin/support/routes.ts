/** The routes an express router really serves, read from its layer stack. */
import type express from 'express';

export interface ServedRoute { method: string; path: string }

export function servedRoutes(router: express.Router): ServedRoute[] {
  const out: ServedRoute[] = [];
  for (const layer of router.stack as Array<{ route?: { path: string; methods: Record<string, boolean> } }>) {
    if (!layer.route) continue;
    for (const [method, on] of Object.entries(layer.route.methods)) if (on && method !== '_all') out.push({ method, path: layer.route.path });
  }
  return out;
}

/** A concrete URL for a route template (`:phone` -> a number, `:id`/`:code` -> a value). */
export function concretePath(path: string): string {
  return path.replace(':phone', '0712345678').replace(':code', 'S101').replace(':id', 'b1');
}
