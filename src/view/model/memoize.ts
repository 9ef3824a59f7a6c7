/**
 * Remembers the last call: the same arguments (compared by identity) give the same result without
 * computing it again. Derived view data (a colouring, a highlight) keeps its identity this way, so the
 * map's layers see unchanged data as unchanged.
 */
export function memoize<A extends unknown[], R>(compute: (...args: A) => R): (...args: A) => R {
  let last: { args: A; result: R } | null = null;
  return (...args: A) => {
    if (last && last.args.length === args.length && last.args.every((a, i) => a === args[i])) {
      return last.result;
    }
    const result = compute(...args);
    last = { args, result };
    return result;
  };
}
