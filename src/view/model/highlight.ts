/**
 * Highlighting as a set of clauses, after Mosaic's `Selection`: each source (search, area selection, a
 * legend entry, later facets) contributes at most one clause, replacing its previous one, and a named
 * rule combines them. DOM-free; the map draws the resolved papers, components read the clauses.
 *
 *   const highlight = Highlight.intersect()
 *     .with({ source: 'search', indices: hits })
 *     .with({ source: 'legend', accepts: (i) => entryOf[i] === 2 });
 *   highlight.resolve(paperCount); // papers in both, in the order of the search hits
 */

/** Who contributed a clause; one clause per source. */
export type ClauseSource = 'search' | 'area' | 'legend' | `facet:${string}`;

/** A clause either lists its papers (in an order worth keeping, such as a ranking) or tests each one. */
export type HighlightClause =
  | { readonly source: ClauseSource; readonly indices: ArrayLike<number> }
  | { readonly source: ClauseSource; readonly accepts: (paper: number) => boolean };

/**
 * How clauses combine: `intersect`, papers every clause admits; `union`, papers any clause admits;
 * `crossfilter`, as intersect, except that a source resolving for itself leaves its own clause out (a
 * facet still shows the papers it could add).
 */
export type CombineRule = 'intersect' | 'union' | 'crossfilter';

export class Highlight {
  private constructor(
    readonly rule: CombineRule,
    readonly clauses: readonly HighlightClause[],
  ) {}

  static intersect(): Highlight {
    return new Highlight('intersect', []);
  }

  static union(): Highlight {
    return new Highlight('union', []);
  }

  static crossfilter(): Highlight {
    return new Highlight('crossfilter', []);
  }

  /** This highlight with `clause` in place of its source's previous clause. */
  with(clause: HighlightClause): Highlight {
    const others = this.clauses.filter((c) => c.source !== clause.source);
    return new Highlight(this.rule, [...others, clause]);
  }

  /** This highlight without `source`'s clause. */
  without(source: ClauseSource): Highlight {
    if (!this.clause(source)) return this;
    return new Highlight(
      this.rule,
      this.clauses.filter((c) => c.source !== source),
    );
  }

  clause(source: ClauseSource): HighlightClause | undefined {
    return this.clauses.find((c) => c.source === source);
  }

  get active(): boolean {
    return this.clauses.length > 0;
  }

  /**
   * The highlighted papers among `paperCount`, or null when no clause applies (nothing is highlighted,
   * which differs from an empty result). Listed clauses keep the order of the first listed clause;
   * otherwise papers come in index order. `forSource` matters only under `crossfilter`.
   */
  resolve(paperCount: number, forSource?: ClauseSource): Int32Array | null {
    const clauses =
      this.rule === 'crossfilter' && forSource
        ? this.clauses.filter((c) => c.source !== forSource)
        : this.clauses;
    if (clauses.length === 0) return null;
    const tests = clauses.map((clause) => clauseTest(clause, paperCount));
    if (this.rule === 'union') {
      const out: number[] = [];
      for (let i = 0; i < paperCount; i++) if (tests.some((admits) => admits(i))) out.push(i);
      return Int32Array.from(out);
    }
    const listed = clauses.find(
      (c): c is Extract<HighlightClause, { indices: unknown }> => 'indices' in c,
    );
    const out: number[] = [];
    const total = listed ? listed.indices.length : paperCount;
    for (let k = 0; k < total; k++) {
      const i = listed ? listed.indices[k]! : k;
      if (tests.every((admits) => admits(i))) out.push(i);
    }
    return Int32Array.from(out);
  }
}

function clauseTest(clause: HighlightClause, paperCount: number): (paper: number) => boolean {
  if ('accepts' in clause) return clause.accepts;
  const member = new Uint8Array(paperCount);
  for (let k = 0; k < clause.indices.length; k++) member[clause.indices[k]!] = 1;
  return (i) => member[i] === 1;
}
