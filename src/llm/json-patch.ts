/**
 * RFC 6902 JSON Patch, applied without mutating its input (AG-UI's `STATE_DELTA`). Own code rather
 * than `fast-json-patch` (unreleased since 2022): the six operations fit in a page, and an operation
 * that cannot apply (a missing path, a failed `test`) stops the patch and is reported, as the spec says.
 */
import { isObject } from './json';

/** The patched document, or why the patch could not be applied (the document is then unchanged). */
export type PatchOutcome = { ok: true; value: unknown } | { ok: false; error: string };

type Container = Record<string, unknown> | unknown[];

/** RFC 6901: `/a/b~1c` → `['a', 'b/c']`. */
function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw new Error(`invalid JSON pointer ${JSON.stringify(pointer)}`);
  return pointer
    .slice(1)
    .split('/')
    .map((token) => token.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function shallowCopy(value: Container): Container {
  return Array.isArray(value) ? value.slice() : { ...value };
}

function child(container: Container, key: string): unknown {
  if (Array.isArray(container)) return container[Number(key)];
  return Object.hasOwn(container, key) ? container[key] : undefined;
}

function arrayIndex(array: unknown[], key: string, forInsert: boolean): number {
  if (forInsert && key === '-') return array.length;
  if (!/^(0|[1-9][0-9]*)$/.test(key)) throw new Error(`invalid array index ${JSON.stringify(key)}`);
  const index = Number(key);
  if (index > array.length || (!forInsert && index === array.length)) {
    throw new Error(`array index ${index} out of range`);
  }
  return index;
}

/** A copy of `doc` with `edit` applied to the container at `path`'s parent; copies only the spine. */
function editAt(doc: unknown, path: string[], edit: (parent: Container, key: string) => void): unknown {
  if (path.length === 0) throw new Error('cannot edit the root in place');
  const rootCopy = isObject(doc) || Array.isArray(doc) ? shallowCopy(doc) : null;
  if (!rootCopy) throw new Error('path through a value that is not an object or array');
  let parent: Container = rootCopy;
  for (const key of path.slice(0, -1)) {
    const next = child(parent, key);
    if (!isObject(next) && !Array.isArray(next)) throw new Error(`path not found at ${JSON.stringify(key)}`);
    const copy = shallowCopy(next);
    if (Array.isArray(parent)) parent[Number(key)] = copy;
    else parent[key] = copy;
    parent = copy;
  }
  edit(parent, path[path.length - 1] as string);
  return rootCopy;
}

function get(doc: unknown, path: string[]): unknown {
  let value = doc;
  for (const key of path) {
    if (!isObject(value) && !Array.isArray(value))
      throw new Error(`path not found at ${JSON.stringify(key)}`);
    if (Array.isArray(value)) arrayIndex(value, key, false);
    else if (!Object.hasOwn(value, key)) throw new Error(`path not found at ${JSON.stringify(key)}`);
    value = child(value, key);
  }
  return value;
}

function add(doc: unknown, path: string[], value: unknown): unknown {
  if (path.length === 0) return value;
  return editAt(doc, path, (parent, key) => {
    if (Array.isArray(parent)) parent.splice(arrayIndex(parent, key, true), 0, value);
    else parent[key] = value;
  });
}

function remove(doc: unknown, path: string[]): unknown {
  get(doc, path);
  return editAt(doc, path, (parent, key) => {
    if (Array.isArray(parent)) parent.splice(arrayIndex(parent, key, false), 1);
    else delete parent[key];
  });
}

function replace(doc: unknown, path: string[], value: unknown): unknown {
  if (path.length === 0) return value;
  get(doc, path);
  return editAt(doc, path, (parent, key) => {
    if (Array.isArray(parent)) parent[arrayIndex(parent, key, false)] = value;
    else parent[key] = value;
  });
}

function deepEqual(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** `doc` with the operations of `patch` applied in order. */
export function applyJsonPatch(doc: unknown, patch: unknown): PatchOutcome {
  if (!Array.isArray(patch)) return { ok: false, error: 'a JSON Patch is an array of operations' };
  let value = doc;
  try {
    for (const operation of patch) {
      if (!isObject(operation) || typeof operation.path !== 'string')
        throw new Error('operation without a path');
      const path = parsePointer(operation.path);
      switch (operation.op) {
        case 'add':
          value = add(value, path, operation.value);
          break;
        case 'remove':
          value = remove(value, path);
          break;
        case 'replace':
          value = replace(value, path, operation.value);
          break;
        case 'move':
        case 'copy': {
          if (typeof operation.from !== 'string') throw new Error(`${operation.op} without from`);
          const from = parsePointer(operation.from);
          const moved = get(value, from);
          if (operation.op === 'move') value = remove(value, from);
          value = add(value, path, moved);
          break;
        }
        case 'test':
          if (!deepEqual(get(value, path), operation.value))
            throw new Error(`test failed at ${operation.path}`);
          break;
        default:
          throw new Error(`unknown operation ${JSON.stringify(operation.op)}`);
      }
    }
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
  return { ok: true, value };
}
