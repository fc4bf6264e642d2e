import {
  type Document,
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  type Node,
  parseDocument,
  type YAMLError,
} from 'yaml';
import { POLICY_ERRORS, type PolicyErrorCode, type PolicyIssue } from './errors.js';
import { pointerTokens } from './json-data.js';
import { policyError, policyIssue, type SourcePosition } from './policy-error.js';

/** Alias nodes a policy may contain; a policy needs few, a bomb needs many. */
export const MAX_YAML_ALIASES = 64;
/** Nesting a policy may use; its schema is 6 levels deep. */
const MAX_YAML_DEPTH = 64;
/** Expansion budget handed to the yaml package (its `maxAliasCount`, weighted by aliased node count). */
const MAX_ALIAS_EXPANSION = 100;

/** Parsed YAML as plain data, and a way back from a JSON pointer to the source position. */
export interface YamlSource {
  readonly data: unknown;
  readonly locate: (pointer: string) => SourcePosition | undefined;
}

type Doc = Document.Parsed;

/**
 * Parses one YAML 1.2 document (core schema) with positions, refusing what a policy file has no use for and an
 * attacker does: tags, non-scalar or duplicate keys, YAML 1.1 semantics, alias bombs and self-referencing aliases.
 */
export function readYaml(text: string, sourceName: string): YamlSource {
  const lineCounter = new LineCounter();
  const at = (offset: number | undefined): SourcePosition | undefined => {
    if (offset === undefined) return undefined;
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  let doc: Doc;
  try {
    doc = parseDocument(text, {
      lineCounter,
      prettyErrors: true,
      uniqueKeys: false, // checked below, where `1` and "1" count as the same key
      logLevel: 'error', // never print; 'silent' would also drop the MULTIPLE_DOCS error
      version: '1.2',
      schema: 'core',
      merge: false,
      strict: true,
    });
  } catch (cause) {
    throw policyError(
      POLICY_ERRORS.YAML_SYNTAX,
      sourceName,
      `policy ${sourceName} could not be parsed as YAML`,
      [policyIssue(sourceName, '', 'the YAML parser gave up (input too deeply nested?)', undefined)],
      cause,
    );
  }

  const fromYamlErrors = (errors: readonly YAMLError[]): PolicyIssue[] =>
    errors.map((error) => {
      const position = error.linePos?.[0];
      return policyIssue(
        sourceName,
        '',
        firstLine(error.message),
        position && { line: position.line, column: position.col },
      );
    });
  if (doc.errors.length > 0) {
    throw policyError(
      POLICY_ERRORS.YAML_SYNTAX,
      sourceName,
      `policy ${sourceName} is not well-formed YAML`,
      fromYamlErrors(doc.errors),
    );
  }
  if (doc.warnings.length > 0) {
    throw policyError(
      POLICY_ERRORS.YAML_UNSUPPORTED,
      sourceName,
      `policy ${sourceName} uses YAML a policy may not use`,
      fromYamlErrors(doc.warnings),
    );
  }
  if (doc.directives?.yaml.explicit === true && doc.directives.yaml.version !== '1.2') {
    throw policyError(
      POLICY_ERRORS.YAML_UNSUPPORTED,
      sourceName,
      `policy ${sourceName} uses YAML a policy may not use`,
      [
        policyIssue(
          sourceName,
          '',
          `%YAML ${doc.directives.yaml.version} is not supported; policies are YAML 1.2`,
          { line: 1, column: 1 },
        ),
      ],
    );
  }

  const root = doc.contents;
  if (!isMap(root)) {
    const what = root === null ? 'empty' : isSeq(root) ? 'a list' : 'a single value';
    throw policyError(
      POLICY_ERRORS.NOT_A_MAPPING,
      sourceName,
      `policy ${sourceName} must be a mapping of fields`,
      [
        policyIssue(
          sourceName,
          '',
          `the document is ${what}, not a mapping`,
          at(root?.range?.[0]) ?? { line: 1, column: 1 },
        ),
      ],
    );
  }

  inspectNodes(doc, root, sourceName, at);

  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIAS_EXPANSION });
  } catch (cause) {
    const code = cause instanceof ReferenceError ? POLICY_ERRORS.YAML_ALIAS_LIMIT : POLICY_ERRORS.YAML_SYNTAX;
    throw policyError(
      code,
      sourceName,
      `policy ${sourceName} could not be read`,
      [
        policyIssue(
          sourceName,
          '',
          cause instanceof Error ? cause.message : 'the YAML could not be converted',
          undefined,
        ),
      ],
      cause,
    );
  }
  return { data, locate: (pointer) => locate(doc, root, pointer, at) };
}

function firstLine(message: string): string {
  return (message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '');
}

/** Walks the node tree once: tags, keys, duplicate keys, alias count and alias cycles, depth. */
function inspectNodes(
  doc: Doc,
  root: Node,
  sourceName: string,
  at: (offset: number | undefined) => SourcePosition | undefined,
): void {
  const found: Record<'unsupported' | 'duplicate' | 'alias', PolicyIssue[]> = {
    unsupported: [],
    duplicate: [],
    alias: [],
  };
  const aliases: { alias: Node; ancestors: readonly Node[] }[] = [];
  const issue = (kind: keyof typeof found, node: Node | null | undefined, message: string): void => {
    found[kind].push(policyIssue(sourceName, '', message, at(node?.range?.[0])));
  };

  const walk = (node: unknown, ancestors: Node[]): void => {
    if (isAlias(node)) {
      aliases.push({ alias: node, ancestors: [...ancestors] });
      return;
    }
    if (!isScalar(node) && !isMap(node) && !isSeq(node)) return;
    if (node.tag !== undefined) issue('unsupported', node, `tag ${node.tag} is not allowed in a policy`);
    if (ancestors.length >= MAX_YAML_DEPTH) {
      issue('unsupported', node, `nesting deeper than ${MAX_YAML_DEPTH} levels is not allowed`);
      return;
    }
    if (isScalar(node)) return;
    const inner = [...ancestors, node];
    if (isSeq(node)) {
      for (const item of node.items) walk(item, inner);
      return;
    }
    const seen = new Map<string, Node>();
    for (const pair of node.items) {
      if (!isPair(pair)) continue;
      const key = pair.key;
      const name = keyName(key);
      if (name === undefined) {
        issue(
          'unsupported',
          isScalar(key) || isAlias(key) || isMap(key) || isSeq(key) ? key : node,
          'keys must be plain strings or numbers',
        );
      } else {
        if (isScalar(key) && key.tag !== undefined)
          issue('unsupported', key, `tag ${key.tag} is not allowed in a policy`);
        const first = seen.get(name);
        if (first !== undefined && isScalar(key)) {
          const firstLine = at(first.range?.[0])?.line;
          issue(
            'duplicate',
            key,
            `duplicate key ${JSON.stringify(name)}${firstLine === undefined ? '' : ` (first at line ${firstLine})`}`,
          );
        } else if (isScalar(key)) {
          seen.set(name, key);
        }
      }
      walk(pair.value, inner);
    }
  };
  walk(root, []);

  if (aliases.length > MAX_YAML_ALIASES) {
    issue('alias', aliases[MAX_YAML_ALIASES]?.alias, `more than ${MAX_YAML_ALIASES} aliases`);
  } else {
    for (const { alias, ancestors } of aliases) {
      if (!isAlias(alias)) continue;
      const target = alias.resolve(doc);
      if (target !== undefined && ancestors.includes(target)) {
        issue('alias', alias, `alias *${alias.source} refers to a node that contains it`);
      }
    }
  }

  const order: [keyof typeof found, PolicyErrorCode, string][] = [
    ['unsupported', POLICY_ERRORS.YAML_UNSUPPORTED, 'uses YAML a policy may not use'],
    ['duplicate', POLICY_ERRORS.YAML_DUPLICATE_KEY, 'repeats a key'],
    ['alias', POLICY_ERRORS.YAML_ALIAS_LIMIT, 'uses aliases beyond the limit'],
  ];
  for (const [kind, code, summary] of order) {
    if (found[kind].length > 0)
      throw policyError(code, sourceName, `policy ${sourceName} ${summary}`, found[kind]);
  }
}

/** The JSON key a YAML key becomes, or undefined when it is not a plain string or number. */
function keyName(key: unknown): string | undefined {
  if (!isScalar(key)) return undefined;
  if (typeof key.value === 'string') return key.value;
  if (typeof key.value === 'number' && Number.isFinite(key.value)) return String(key.value);
  return undefined;
}

/**
 * Source position of the value at `pointer`, or of its deepest existing ancestor. A mapping or list reached
 * through a key is placed at its key (`classes:`), where a reader looks for it.
 */
function locate(
  doc: Doc,
  root: Node,
  pointer: string,
  at: (offset: number | undefined) => SourcePosition | undefined,
): SourcePosition | undefined {
  let node: unknown = root;
  let position = at(root.range?.[0]);
  for (const token of pointerTokens(pointer)) {
    if (isAlias(node)) node = node.resolve(doc);
    if (isMap(node)) {
      const pair = node.items.find((item) => isPair(item) && keyName(item.key) === token);
      if (pair === undefined || !isScalar(pair.key)) break;
      const keyPosition = at(pair.key.range?.[0]);
      node = pair.value;
      const value = node as Node | null;
      position =
        isMap(value) || isSeq(value) || value === null ? keyPosition : (at(value.range?.[0]) ?? keyPosition);
    } else if (isSeq(node)) {
      const index = /^(0|[1-9][0-9]*)$/.test(token) ? Number(token) : -1;
      const item: unknown = node.items[index];
      if (!isScalar(item) && !isMap(item) && !isSeq(item) && !isAlias(item)) break;
      node = item;
      position = at(item.range?.[0]) ?? position;
    } else {
      break;
    }
  }
  return position;
}
