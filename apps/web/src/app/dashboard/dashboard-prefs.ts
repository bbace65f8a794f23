/** Dashboard preferences remembered in localStorage (per browser). */
export type GridSize = 2 | 3 | 4;
export const GRID_SIZES: readonly GridSize[] = [2, 3, 4];

const KEY_GRID = 'cs.dashboard.grid';
const KEY_ORDER = 'cs.dashboard.order';
const KEY_SELECTED = 'cs.dashboard.selected';
/** Bound on the remembered order (ids of cameras that no longer exist are dropped on save). */
const MAX_ORDER = 500;

export function loadGridSize(): GridSize {
  const v = Number(read(KEY_GRID));
  return v === 2 || v === 3 || v === 4 ? v : 2;
}

export function saveGridSize(n: GridSize): void {
  write(KEY_GRID, String(n));
}

export function loadOrder(): string[] {
  try {
    const v: unknown = JSON.parse(read(KEY_ORDER) ?? '[]');
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string').slice(0, MAX_ORDER) : [];
  } catch {
    return [];
  }
}

export function saveOrder(ids: readonly string[]): void {
  write(KEY_ORDER, JSON.stringify(ids.slice(0, MAX_ORDER)));
}

export function loadSelected(): string | null {
  return read(KEY_SELECTED);
}

export function saveSelected(id: string): void {
  write(KEY_SELECTED, id);
}

/** Cameras in the remembered order; unknown ones (new cameras) go last in their list order. */
export function applyOrder<T extends { id: string }>(items: readonly T[], order: readonly string[]): T[] {
  const rank = new Map(order.map((id, i) => [id, i] as const));
  return items
    .map((item, i) => ({ item, key: rank.get(item.id) ?? order.length + i }))
    .sort((a, b) => a.key - b.key)
    .map((x) => x.item);
}

function read(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

function write(key: string, value: string): void {
  try {
    localStorage.setItem(key, value);
  } catch {
    /* storage disabled */
  }
}
