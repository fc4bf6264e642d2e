import { DocketError } from '../../errors/index.js';
import {
  type AliasAssignment,
  type CallOptions,
  type FetchedArtefacts,
  type FetchOptions,
  type LegacyStage,
  type LegacyStages,
  type ModelRegistry,
  RegistryErrorCode,
  type RegistryModelVersion,
  type StageAssignment,
} from '../../registries/index.js';

/** The registry operations a fault can be injected into. */
export type RegistryOperation =
  | 'getVersion'
  | 'resolveAlias'
  | 'setAlias'
  | 'deleteAlias'
  | 'listAliases'
  | 'fetchArtefacts'
  | 'setVersionTag'
  | 'stageVersion'
  | 'transitionStage'
  | 'listStages';

/** One injected failure. */
export interface Fault {
  readonly operation: RegistryOperation;
  /** Which call fails, counted from when the fault was injected (1: the next one). */
  readonly call?: number;
  /**
   * `before`: the call fails without reaching the registry (a refused connection); `after`: the real registry
   * performs it and the answer is lost (a reset connection after the server applied the change).
   */
  readonly when?: 'before' | 'after';
  /** Every call from `call` on fails, not just that one (a registry that stays down). */
  readonly persistent?: boolean;
  /** The error thrown (default: ERR_REGISTRY_UNREACHABLE, as a refused connection gives). */
  readonly error?: () => unknown;
}

/**
 * A fault injector, not a mock: a {@link ModelRegistry} that forwards every call to a real registry (local or
 * MLflow) and fails chosen calls, before or after the real one ran. It counts calls per operation, so a test can
 * assert that a registry was moved exactly once.
 *
 * @example
 * const registry = new RegistryFaultInjector(local);
 * registry.inject({ operation: 'setAlias', when: 'after' }); // the move happens, its answer is lost
 */
export class RegistryFaultInjector implements ModelRegistry {
  /** Calls per operation that reached the real registry. */
  readonly reached: Record<RegistryOperation, number> = {
    getVersion: 0,
    resolveAlias: 0,
    setAlias: 0,
    deleteAlias: 0,
    listAliases: 0,
    fetchArtefacts: 0,
    setVersionTag: 0,
    stageVersion: 0,
    transitionStage: 0,
    listStages: 0,
  };
  readonly stages?: LegacyStages;
  private faults: { fault: Fault; seen: number }[] = [];

  constructor(readonly inner: ModelRegistry) {
    const stages = inner.stages;
    if (stages !== undefined) {
      this.stages = {
        stageVersion: (model: string, stage: LegacyStage, options?: CallOptions) =>
          this.run('stageVersion', () => stages.stageVersion(model, stage, options)),
        transitionStage: (model, version, stage, options) =>
          this.run('transitionStage', () => stages.transitionStage(model, version, stage, options)),
        listStages: (options?: CallOptions): Promise<StageAssignment[]> =>
          this.run('listStages', () => stages.listStages(options)),
      };
    }
  }

  get id(): string {
    return this.inner.id;
  }

  /** Arms a fault; faults on one operation apply in the order injected. */
  inject(fault: Fault): void {
    this.faults.push({ fault, seen: 0 });
  }

  /** Removes every fault: the registry works again. */
  heal(): void {
    this.faults = [];
  }

  getVersion(model: string, version: string, options?: CallOptions): Promise<RegistryModelVersion> {
    return this.run('getVersion', () => this.inner.getVersion(model, version, options));
  }

  resolveAlias(model: string, alias: string, options?: CallOptions): Promise<string | undefined> {
    return this.run('resolveAlias', () => this.inner.resolveAlias(model, alias, options));
  }

  setAlias(model: string, alias: string, version: string, options?: CallOptions): Promise<void> {
    return this.run('setAlias', () => this.inner.setAlias(model, alias, version, options));
  }

  deleteAlias(model: string, alias: string, options?: CallOptions): Promise<void> {
    return this.run('deleteAlias', () => this.inner.deleteAlias(model, alias, options));
  }

  listAliases(options?: CallOptions): Promise<AliasAssignment[]> {
    return this.run('listAliases', () => this.inner.listAliases(options));
  }

  fetchArtefacts(model: string, version: string, options?: FetchOptions): Promise<FetchedArtefacts> {
    return this.run('fetchArtefacts', () => this.inner.fetchArtefacts(model, version, options));
  }

  setVersionTag(
    model: string,
    version: string,
    key: string,
    value: string,
    options?: CallOptions,
  ): Promise<void> {
    return this.run('setVersionTag', () => this.inner.setVersionTag(model, version, key, value, options));
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  private async run<T>(operation: RegistryOperation, call: () => Promise<T>): Promise<T> {
    const fault = this.due(operation);
    if (fault?.when !== 'after' && fault !== undefined) throw failure(fault, operation);
    this.reached[operation] += 1;
    const result = await call();
    if (fault !== undefined) throw failure(fault, operation);
    return result;
  }

  private due(operation: RegistryOperation): Fault | undefined {
    let due: Fault | undefined;
    for (const armed of this.faults) {
      if (armed.fault.operation !== operation) continue;
      armed.seen += 1;
      const at = armed.fault.call ?? 1;
      if (armed.seen === at || (armed.fault.persistent === true && armed.seen > at)) due ??= armed.fault;
    }
    return due;
  }
}

function failure(fault: Fault, operation: RegistryOperation): unknown {
  return (
    fault.error?.() ??
    new DocketError(
      RegistryErrorCode.Unreachable,
      `fault injected: ${operation} could not reach the registry`,
      {
        details: { operation, injected: true },
      },
    )
  );
}
