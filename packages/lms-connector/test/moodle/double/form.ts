/**
 * Parses an `application/x-www-form-urlencoded` body the way PHP fills `$_POST`: bracket keys build
 * nested arrays (`a[b][0]=x` -> { a: { b: { '0': 'x' } } }), a later duplicate key wins, `a[]=x`
 * appends. Values stay strings, as in PHP.
 */
export type PhpValue = string | PhpArray;
export interface PhpArray {
  [key: string]: PhpValue;
}

export function parsePhpForm(text: string): PhpArray {
  const root: PhpArray = {};
  for (const [rawKey, value] of new URLSearchParams(text)) {
    const path = splitKey(rawKey);
    if (path.length > 0) assign(root, path, value);
  }
  return root;
}

function splitKey(key: string): string[] {
  const open = key.indexOf('[');
  if (open <= 0) return key === '' ? [] : [key];

  const path = [key.slice(0, open)];
  const rest = key.slice(open);
  const pattern = /\[([^\]]*)\]/g;
  let match: RegExpExecArray | null;
  let consumed = 0;
  while ((match = pattern.exec(rest)) !== null && match.index === consumed) {
    path.push(match[1] ?? '');
    consumed = pattern.lastIndex;
  }
  return path;
}

function assign(target: PhpArray, path: string[], value: string): void {
  let node = target;
  for (let index = 0; index < path.length; index += 1) {
    let key = path[index] as string;
    if (key === '') key = String(nextIndex(node));
    if (index === path.length - 1) {
      node[key] = value;
      return;
    }
    const child = node[key];
    if (typeof child !== 'object') node[key] = {};
    node = node[key] as PhpArray;
  }
}

function nextIndex(node: PhpArray): number {
  const numeric = Object.keys(node).map(Number).filter(Number.isInteger);
  return numeric.length === 0 ? 0 : Math.max(...numeric) + 1;
}
