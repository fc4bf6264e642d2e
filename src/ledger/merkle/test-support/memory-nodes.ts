// An in-memory node store that, like the real ones, holds every complete aligned subtree, and hands out lookups
// that refuse any node not complete in the tree size being proven (a plan must never need one).
import { DocketError } from '../../../errors/index.js';
import type { NodeId, NodeLookup, TreeNode } from '../node-id.js';

export const key = (id: NodeId): string => `${id.level}/${id.index}`;

export class MemoryNodes {
  readonly nodes = new Map<string, Uint8Array>();
  readonly requested: NodeId[] = [];

  store(created: readonly TreeNode[]): void {
    for (const { id, hash } of created) {
      if (this.nodes.has(key(id))) throw new Error(`node ${key(id)} stored twice`);
      this.nodes.set(key(id), hash);
    }
  }

  /** A lookup valid for a tree of `size` leaves. */
  lookupAt(size: number): NodeLookup {
    return (id) => {
      this.requested.push(id);
      if ((id.index + 1) * 2 ** id.level > size) {
        throw new DocketError('ERR_TEST_NODE_INCOMPLETE', `node ${key(id)} is not complete at size ${size}`);
      }
      const hash = this.nodes.get(key(id));
      if (hash === undefined) throw new DocketError('ERR_TEST_NODE_MISSING', `node ${key(id)} is missing`);
      return hash;
    };
  }
}
