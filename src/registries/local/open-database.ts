import Database from 'better-sqlite3';
import { DocketError } from '../../errors/index.js';
import { RegistryErrorCode } from '../errors.js';
import { migrations } from './schema.js';

/**
 * Opens (creating if asked) the local registry database and brings its schema up to date: WAL with
 * `synchronous = FULL` so a returned write is on disk, foreign keys on (an alias must name an existing version).
 *
 * @throws DocketError `ERR_REGISTRY_STORE_FAILED`.
 */
export function openRegistryDatabase(path: string, options: { create?: boolean }): Database.Database {
  let db: Database.Database;
  try {
    db = new Database(path, { fileMustExist: options.create !== true });
  } catch (cause) {
    throw storeFailed(`cannot open the local registry database ${path}`, cause, path);
  }
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    migrate(db, path);
  } catch (cause) {
    db.close();
    if (cause instanceof DocketError) throw cause;
    throw storeFailed(`cannot prepare the local registry database ${path}`, cause, path);
  }
  return db;
}

function migrate(db: Database.Database, path: string): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > migrations.length) {
    throw storeFailed(
      `local registry schema version ${version} is newer than this docket (knows ${migrations.length})`,
      undefined,
      path,
    );
  }
  for (let v = version; v < migrations.length; v++) {
    db.transaction(() => {
      db.exec(migrations[v] as string);
      db.pragma(`user_version = ${v + 1}`);
    }).immediate();
  }
}

/** Wraps a SQLite failure as `ERR_REGISTRY_STORE_FAILED`. */
export function storeFailed(message: string, cause: unknown, path?: string): DocketError {
  return new DocketError(RegistryErrorCode.StoreFailed, message, {
    cause,
    details: path === undefined ? {} : { path },
  });
}
