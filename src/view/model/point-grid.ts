import { boundsOf, type WorldRect } from './geometry.ts';

const MAX_CELLS_PER_SIDE = 4096;

/**
 * A uniform grid over the map's points (a counting sort by cell): which points lie in a rectangle and
 * which point is nearest a position, without the GPU. The explorer uses it to draw only the points in
 * view and to hover and click papers on the density overview, where no point layer is drawn to pick.
 */
export class PointGrid {
  private constructor(
    private readonly positions: Float32Array,
    private readonly minX: number,
    private readonly minY: number,
    private readonly cellSize: number,
    private readonly columns: number,
    private readonly rows: number,
    /** Points of cell c are `order[cellStart[c]] … order[cellStart[c + 1] - 1]`. */
    private readonly cellStart: Uint32Array,
    private readonly order: Uint32Array,
  ) {}

  /** Builds the grid with about `perCell` points in an average occupied cell. */
  static build(positions: Float32Array, perCell = 8): PointGrid {
    const n = positions.length / 2;
    const [minX, minY, maxX, maxY] = boundsOf(positions) ?? [0, 0, 0, 0];
    const spanX = Math.max(maxX - minX, 1e-9);
    const spanY = Math.max(maxY - minY, 1e-9);
    const cellSize = Math.max(
      Math.sqrt((spanX * spanY * perCell) / Math.max(n, 1)),
      spanX / MAX_CELLS_PER_SIDE,
      spanY / MAX_CELLS_PER_SIDE,
    );
    const columns = Math.floor(spanX / cellSize) + 1;
    const rows = Math.floor(spanY / cellSize) + 1;
    const cellOf = new Uint32Array(n);
    const cellStart = new Uint32Array(columns * rows + 1);
    for (let i = 0; i < n; i++) {
      const column = Math.floor((positions[2 * i]! - minX) / cellSize);
      const row = Math.floor((positions[2 * i + 1]! - minY) / cellSize);
      const cell = row * columns + column;
      cellOf[i] = cell;
      cellStart[cell + 1]!++;
    }
    for (let c = 0; c < columns * rows; c++) cellStart[c + 1]! += cellStart[c]!;
    const fill = cellStart.slice(0, columns * rows);
    const order = new Uint32Array(n);
    for (let i = 0; i < n; i++) order[fill[cellOf[i]!]!++] = i;
    return new PointGrid(positions, minX, minY, cellSize, columns, rows, cellStart, order);
  }

  /** Calls `visit` for each point inside `rect` until it returns false. */
  private forEachIn(rect: WorldRect, visit: (index: number) => boolean): void {
    const [minX, minY, maxX, maxY] = rect;
    const firstColumn = Math.max(0, Math.floor((minX - this.minX) / this.cellSize));
    const lastColumn = Math.min(this.columns - 1, Math.floor((maxX - this.minX) / this.cellSize));
    const firstRow = Math.max(0, Math.floor((minY - this.minY) / this.cellSize));
    const lastRow = Math.min(this.rows - 1, Math.floor((maxY - this.minY) / this.cellSize));
    for (let row = firstRow; row <= lastRow; row++) {
      for (let column = firstColumn; column <= lastColumn; column++) {
        const cell = row * this.columns + column;
        for (let k = this.cellStart[cell]!; k < this.cellStart[cell + 1]!; k++) {
          const i = this.order[k]!;
          const x = this.positions[2 * i]!;
          const y = this.positions[2 * i + 1]!;
          if (x >= minX && x <= maxX && y >= minY && y <= maxY && !visit(i)) return;
        }
      }
    }
  }

  /** How many points lie in `rect`, counting no further than `limit + 1`. */
  countIn(rect: WorldRect, limit = Infinity): number {
    let count = 0;
    this.forEachIn(rect, () => ++count <= limit);
    return count;
  }

  /** The indices of the points in `rect`, ascending. */
  indicesIn(rect: WorldRect): Uint32Array {
    const found: number[] = [];
    this.forEachIn(rect, (i) => found.push(i) > 0);
    return Uint32Array.from(found).sort();
  }

  /** The point nearest (x, y) within `radius`, or -1. */
  nearest(x: number, y: number, radius: number): number {
    let best = -1;
    let bestDistance = radius * radius;
    this.forEachIn([x - radius, y - radius, x + radius, y + radius], (i) => {
      const dx = this.positions[2 * i]! - x;
      const dy = this.positions[2 * i + 1]! - y;
      const distance = dx * dx + dy * dy;
      if (distance < bestDistance || (distance === bestDistance && (best < 0 || i < best))) {
        bestDistance = distance;
        best = i;
      }
      return true;
    });
    return best;
  }
}
