export type { TreeNode } from '../merkle/index.js';
export type {
  AppendTransaction,
  EntryKey,
  LogStore,
  NewEntry,
  StoredCheckpoint,
  StoredEntry,
} from './log-store.js';
export { nodeKey } from './log-store.js';
