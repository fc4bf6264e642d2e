export { SqliteLogStore } from './sqlite-log-store.js';
