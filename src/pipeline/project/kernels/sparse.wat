;; Products of a sparse matrix X (compressed sparse rows: row starts and column indices as i32, values
;; as f32) with dense row-major matrices of $width doubles per row, and the Gram matrix of such a dense
;; matrix's columns, in WebAssembly SIMD (f64x2): the lexical embedder's randomized SVD. Each lane multiplies and adds in double precision, one rounding
;; each, in the same order as the scalar loops they replace, so the results are bit for bit theirs.
;; Addresses are in bytes; the dense rows need only double alignment.
;;
;; scripts/build-kernels.ts assembles this file twice: as written, and with the memory import declared
;; shared, for threads.
(module
  (import "env" "memory" (memory 1))

  ;; target[i] += scale * source[i] for i < $widthBytes / 8.
  (func $addScaled (param $target i32) (param $source i32) (param $scale f64) (param $widthBytes i32)
    (local $offset i32) (local $pairsEnd i32) (local $scales v128)
    (local.set $scales (f64x2.splat (local.get $scale)))
    (local.set $pairsEnd (i32.and (local.get $widthBytes) (i32.const -16)))
    (local.set $offset (i32.const 0))
    (block $pairsDone
      (br_if $pairsDone (i32.eqz (local.get $pairsEnd)))
      (loop $pairs
        (v128.store align=8
          (i32.add (local.get $target) (local.get $offset))
          (f64x2.add
            (v128.load align=8 (i32.add (local.get $target) (local.get $offset)))
            (f64x2.mul
              (local.get $scales)
              (v128.load align=8 (i32.add (local.get $source) (local.get $offset))))))
        (br_if $pairs
          (i32.lt_u
            (local.tee $offset (i32.add (local.get $offset) (i32.const 16)))
            (local.get $pairsEnd)))))
    ;; An odd width leaves one double.
    (if (i32.lt_u (local.get $offset) (local.get $widthBytes))
      (then
        (f64.store align=8
          (i32.add (local.get $target) (local.get $offset))
          (f64.add
            (f64.load align=8 (i32.add (local.get $target) (local.get $offset)))
            (f64.mul
              (local.get $scale)
              (f64.load align=8 (i32.add (local.get $source) (local.get $offset)))))))))

  ;; out[r] += X[r, c] * dense[c] over the stored entries of rows r in [$from, $to): rows of X · D.
  (func (export "gather")
    (param $rowStarts i32) (param $columns i32) (param $values i32) (param $dense i32)
    (param $out i32) (param $from i32) (param $to i32) (param $width i32)
    (local $row i32) (local $entry i32) (local $end i32) (local $widthBytes i32) (local $target i32)
    (local.set $widthBytes (i32.shl (local.get $width) (i32.const 3)))
    (local.set $row (local.get $from))
    (block $rowsDone
      (br_if $rowsDone (i32.ge_u (local.get $row) (local.get $to)))
      (loop $rows
        (local.set $target
          (i32.add (local.get $out) (i32.mul (local.get $row) (local.get $widthBytes))))
        (local.set $entry
          (i32.load (i32.add (local.get $rowStarts) (i32.shl (local.get $row) (i32.const 2)))))
        (local.set $end
          (i32.load
            (i32.add (local.get $rowStarts)
              (i32.shl (i32.add (local.get $row) (i32.const 1)) (i32.const 2)))))
        (block $entriesDone
          (br_if $entriesDone (i32.ge_u (local.get $entry) (local.get $end)))
          (loop $entries
            (call $addScaled
              (local.get $target)
              (i32.add (local.get $dense)
                (i32.mul
                  (i32.load (i32.add (local.get $columns) (i32.shl (local.get $entry) (i32.const 2))))
                  (local.get $widthBytes)))
              (f64.promote_f32
                (f32.load (i32.add (local.get $values) (i32.shl (local.get $entry) (i32.const 2)))))
              (local.get $widthBytes))
            (br_if $entries
              (i32.lt_u
                (local.tee $entry (i32.add (local.get $entry) (i32.const 1)))
                (local.get $end)))))
        (br_if $rows
          (i32.lt_u (local.tee $row (i32.add (local.get $row) (i32.const 1))) (local.get $to))))))

  ;; out[c] += X[r, c] * dense[r] over the stored entries of rows r in [$from, $to) whose column c
  ;; lies in [$columnFrom, $columnTo): Xᵀ · D, or the rows of it for those columns. Threads share a
  ;; product by columns (each writes only its own rows of the result, each sum in row order, so the
  ;; result is bit for bit one thread's); each reads every entry, which costs little beside the sums.
  (func (export "scatter")
    (param $rowStarts i32) (param $columns i32) (param $values i32) (param $dense i32)
    (param $out i32) (param $from i32) (param $to i32) (param $width i32)
    (param $columnFrom i32) (param $columnTo i32)
    (local $row i32) (local $entry i32) (local $end i32) (local $widthBytes i32) (local $source i32)
    (local $column i32)
    (local.set $widthBytes (i32.shl (local.get $width) (i32.const 3)))
    (local.set $row (local.get $from))
    (block $rowsDone
      (br_if $rowsDone (i32.ge_u (local.get $row) (local.get $to)))
      (loop $rows
        (local.set $source
          (i32.add (local.get $dense) (i32.mul (local.get $row) (local.get $widthBytes))))
        (local.set $entry
          (i32.load (i32.add (local.get $rowStarts) (i32.shl (local.get $row) (i32.const 2)))))
        (local.set $end
          (i32.load
            (i32.add (local.get $rowStarts)
              (i32.shl (i32.add (local.get $row) (i32.const 1)) (i32.const 2)))))
        (block $entriesDone
          (br_if $entriesDone (i32.ge_u (local.get $entry) (local.get $end)))
          (loop $entries
            (local.set $column
              (i32.load (i32.add (local.get $columns) (i32.shl (local.get $entry) (i32.const 2)))))
            (if (i32.and
                  (i32.ge_u (local.get $column) (local.get $columnFrom))
                  (i32.lt_u (local.get $column) (local.get $columnTo)))
              (then
                (call $addScaled
                  (i32.add (local.get $out) (i32.mul (local.get $column) (local.get $widthBytes)))
                  (local.get $source)
                  (f64.promote_f32
                    (f32.load
                      (i32.add (local.get $values) (i32.shl (local.get $entry) (i32.const 2)))))
                  (local.get $widthBytes))))
            (br_if $entries
              (i32.lt_u
                (local.tee $entry (i32.add (local.get $entry) (i32.const 1)))
                (local.get $end)))))
        (br_if $rows
          (i32.lt_u (local.tee $row (i32.add (local.get $row) (i32.const 1))) (local.get $to))))))
  ;; out[i, j] += M[r, i] * M[r, j] for j >= i and i in [$columnFrom, $columnTo), over rows r in
  ;; [$from, $to) of the dense row-major M: the upper triangle (diagonal included) of the Gram matrix
  ;; Mᵀ M, or its rows i in that range (a thread's share), row by row of M.
  (func (export "gram")
    (param $dense i32) (param $out i32) (param $from i32) (param $to i32) (param $width i32)
    (param $columnFrom i32) (param $columnTo i32)
    (local $row i32) (local $column i32) (local $widthBytes i32) (local $source i32)
    (local $value f64)
    (local.set $widthBytes (i32.shl (local.get $width) (i32.const 3)))
    (local.set $row (local.get $from))
    (block $rowsDone
      (br_if $rowsDone (i32.ge_u (local.get $row) (local.get $to)))
      (br_if $rowsDone (i32.ge_u (local.get $columnFrom) (local.get $columnTo)))
      (loop $rows
        (local.set $source
          (i32.add (local.get $dense) (i32.mul (local.get $row) (local.get $widthBytes))))
        (local.set $column (local.get $columnFrom))
        (loop $columns
          (local.set $value
            (f64.load (i32.add (local.get $source) (i32.shl (local.get $column) (i32.const 3)))))
          ;; Zeros add nothing: skipping them keeps the sums and saves the work on sparse rows.
          (if (f64.ne (local.get $value) (f64.const 0))
            (then
              (call $addScaled
                ;; &out[column, column], from M[row, column] on
                (i32.add (local.get $out)
                  (i32.shl
                    (i32.mul (local.get $column) (i32.add (local.get $width) (i32.const 1)))
                    (i32.const 3)))
                (i32.add (local.get $source) (i32.shl (local.get $column) (i32.const 3)))
                (local.get $value)
                (i32.shl (i32.sub (local.get $width) (local.get $column)) (i32.const 3)))))
          (br_if $columns
            (i32.lt_u
              (local.tee $column (i32.add (local.get $column) (i32.const 1)))
              (local.get $columnTo))))
        (br_if $rows
          (i32.lt_u (local.tee $row (i32.add (local.get $row) (i32.const 1))) (local.get $to))))))
)
