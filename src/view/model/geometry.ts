/** Plane geometry over interleaved positions: bounds, box and lasso hit tests, convex hulls. DOM-free. */

/** World rectangle: minX, minY, maxX, maxY. */
export type WorldRect = [number, number, number, number];

/** The smallest rectangle holding every point, or null when there are none. */
export function boundsOf(positions: Float32Array): WorldRect | null {
  if (positions.length < 2) return null;
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (let i = 0; i < positions.length; i += 2) {
    const x = positions[i]!;
    const y = positions[i + 1]!;
    if (x < minX) minX = x;
    if (x > maxX) maxX = x;
    if (y < minY) minY = y;
    if (y > maxY) maxY = y;
  }
  return [minX, minY, maxX, maxY];
}

/** Whether `outer` holds all of `inner`. */
export function rectContains(outer: WorldRect, inner: WorldRect): boolean {
  return (
    inner[0] >= outer[0] && inner[1] >= outer[1] && inner[2] <= outer[2] && inner[3] <= outer[3]
  );
}

/** Indices of the points inside the axis-aligned box spanned by two corners. */
export function pointsInBox(
  positions: Float32Array,
  [x0, y0]: readonly [number, number],
  [x1, y1]: readonly [number, number],
): Int32Array {
  const minX = Math.min(x0, x1);
  const maxX = Math.max(x0, x1);
  const minY = Math.min(y0, y1);
  const maxY = Math.max(y0, y1);
  const hits: number[] = [];
  for (let i = 0; i < positions.length / 2; i++) {
    const x = positions[2 * i]!;
    const y = positions[2 * i + 1]!;
    if (x >= minX && x <= maxX && y >= minY && y <= maxY) hits.push(i);
  }
  return Int32Array.from(hits);
}

/**
 * Indices of the points inside a closed polygon (even-odd rule), given as `[x, y]` vertices; the
 * polygon's bounding box filters first, so a small lasso over a large map stays cheap.
 */
export function pointsInPolygon(
  positions: Float32Array,
  polygon: readonly (readonly [number, number])[],
): Int32Array {
  if (polygon.length < 3) return new Int32Array(0);
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const [x, y] of polygon) {
    minX = Math.min(minX, x);
    maxX = Math.max(maxX, x);
    minY = Math.min(minY, y);
    maxY = Math.max(maxY, y);
  }
  const hits: number[] = [];
  for (let i = 0; i < positions.length / 2; i++) {
    const x = positions[2 * i]!;
    const y = positions[2 * i + 1]!;
    if (x < minX || x > maxX || y < minY || y > maxY) continue;
    if (insidePolygon(x, y, polygon)) hits.push(i);
  }
  return Int32Array.from(hits);
}

function insidePolygon(
  x: number,
  y: number,
  polygon: readonly (readonly [number, number])[],
): boolean {
  let inside = false;
  for (let a = 0, b = polygon.length - 1; a < polygon.length; b = a++) {
    const [xa, ya] = polygon[a]!;
    const [xb, yb] = polygon[b]!;
    if (ya > y !== yb > y && x < ((xb - xa) * (y - ya)) / (yb - ya) + xa) inside = !inside;
  }
  return inside;
}

/**
 * Convex hulls of every group at once (Andrew's monotone chain). `groupOf[i]` is point i's group, -1 for
 * none. Returns hull vertices per group id, counter-clockwise; groups of fewer than 3 distinct points
 * are left out.
 */
export function convexHulls(
  positions: Float32Array,
  groupOf: Int32Array,
): Map<number, [number, number][]> {
  const order = new Uint32Array(groupOf.length);
  let count = 0;
  for (let i = 0; i < groupOf.length; i++) if (groupOf[i]! >= 0) order[count++] = i;
  const members = order.subarray(0, count);
  // One sort by (group, x, y) serves every group's chain.
  members.sort((a, b) => {
    const byGroup = groupOf[a]! - groupOf[b]!;
    if (byGroup !== 0) return byGroup;
    const byX = positions[2 * a]! - positions[2 * b]!;
    return byX !== 0 ? byX : positions[2 * a + 1]! - positions[2 * b + 1]!;
  });
  const hulls = new Map<number, [number, number][]>();
  let start = 0;
  while (start < members.length) {
    const group = groupOf[members[start]!]!;
    let end = start;
    while (end < members.length && groupOf[members[end]!] === group) end++;
    const hull = monotoneChain(positions, members.subarray(start, end));
    if (hull.length >= 3) hulls.set(group, hull);
    start = end;
  }
  return hulls;
}

/** Hull of points already sorted by x then y. */
function monotoneChain(positions: Float32Array, sorted: Uint32Array): [number, number][] {
  const px = (k: number) => positions[2 * sorted[k]!]!;
  const py = (k: number) => positions[2 * sorted[k]! + 1]!;
  const cross = (o: number, a: number, b: number) =>
    (px(a) - px(o)) * (py(b) - py(o)) - (py(a) - py(o)) * (px(b) - px(o));
  const n = sorted.length;
  if (n < 3) return [];
  const hull = new Int32Array(2 * n);
  let k = 0;
  for (let i = 0; i < n; i++) {
    while (k >= 2 && cross(hull[k - 2]!, hull[k - 1]!, i) <= 0) k--;
    hull[k++] = i;
  }
  for (let i = n - 2, lower = k + 1; i >= 0; i--) {
    while (k >= lower && cross(hull[k - 2]!, hull[k - 1]!, i) <= 0) k--;
    hull[k++] = i;
  }
  const vertices: [number, number][] = [];
  for (let v = 0; v < k - 1; v++) vertices.push([px(hull[v]!), py(hull[v]!)]);
  return vertices;
}
