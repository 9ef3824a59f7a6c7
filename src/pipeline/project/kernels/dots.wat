;; Dot-product kernels in WebAssembly SIMD (f32x4) over rows of $stride floats (a multiple of 4) in
;; the imported memory. Addresses are in bytes; rows need only float alignment.
;;
;; scripts/build-kernels.ts assembles this file twice: as written, and with the memory import declared
;; shared, for threads.
(module
  (import "env" "memory" (memory 1))

  ;; The sum of the four lanes, (l0 + l1) + (l2 + l3).
  (func $horizontalSum (param $v v128) (result f32)
    (f32.add
      (f32.add (f32x4.extract_lane 0 (local.get $v)) (f32x4.extract_lane 1 (local.get $v)))
      (f32.add (f32x4.extract_lane 2 (local.get $v)) (f32x4.extract_lane 3 (local.get $v)))))

  ;; Dot products of $rows rows (from $rowsAt) with $columns rows (from $columnsAt), into
  ;; out[r * columns + c] (f32, from $outAt). $rows must be a multiple of 4, $columns of 2. A 4 x 2
  ;; register block: per 4 floats of depth it loads 6 vectors and does 8 vector multiply-adds.
  (func (export "blockDots")
    (param $rowsAt i32) (param $columnsAt i32) (param $stride i32) (param $rows i32)
    (param $columns i32) (param $outAt i32)
    (local $r i32) (local $c i32) (local $d i32) (local $strideBytes i32) (local $a0 i32) (local $b0 i32)
    (local $s00 v128) (local $s01 v128) (local $s10 v128) (local $s11 v128)
    (local $s20 v128) (local $s21 v128) (local $s30 v128) (local $s31 v128)
    (local $va v128) (local $vb0 v128) (local $vb1 v128) (local $outRow i32)
    (local.set $strideBytes (i32.shl (local.get $stride) (i32.const 2)))
    (local.set $r (i32.const 0))
    (loop $rowBlocks
      (local.set $c (i32.const 0))
      (loop $columnPairs
        (local.set $s00 (v128.const i64x2 0 0))
        (local.set $s01 (v128.const i64x2 0 0))
        (local.set $s10 (v128.const i64x2 0 0))
        (local.set $s11 (v128.const i64x2 0 0))
        (local.set $s20 (v128.const i64x2 0 0))
        (local.set $s21 (v128.const i64x2 0 0))
        (local.set $s30 (v128.const i64x2 0 0))
        (local.set $s31 (v128.const i64x2 0 0))
        (local.set $a0
          (i32.add (local.get $rowsAt) (i32.mul (local.get $r) (local.get $strideBytes))))
        (local.set $b0
          (i32.add (local.get $columnsAt) (i32.mul (local.get $c) (local.get $strideBytes))))
        (local.set $d (i32.const 0))
        (loop $depth
          (local.set $vb0 (v128.load align=4 (i32.add (local.get $b0) (local.get $d))))
          (local.set $vb1
            (v128.load align=4
              (i32.add (i32.add (local.get $b0) (local.get $strideBytes)) (local.get $d))))
          (local.set $va (v128.load align=4 (i32.add (local.get $a0) (local.get $d))))
          (local.set $s00 (f32x4.add (local.get $s00) (f32x4.mul (local.get $va) (local.get $vb0))))
          (local.set $s01 (f32x4.add (local.get $s01) (f32x4.mul (local.get $va) (local.get $vb1))))
          (local.set $va
            (v128.load align=4
              (i32.add (i32.add (local.get $a0) (local.get $strideBytes)) (local.get $d))))
          (local.set $s10 (f32x4.add (local.get $s10) (f32x4.mul (local.get $va) (local.get $vb0))))
          (local.set $s11 (f32x4.add (local.get $s11) (f32x4.mul (local.get $va) (local.get $vb1))))
          (local.set $va
            (v128.load align=4
              (i32.add
                (i32.add (local.get $a0) (i32.shl (local.get $strideBytes) (i32.const 1)))
                (local.get $d))))
          (local.set $s20 (f32x4.add (local.get $s20) (f32x4.mul (local.get $va) (local.get $vb0))))
          (local.set $s21 (f32x4.add (local.get $s21) (f32x4.mul (local.get $va) (local.get $vb1))))
          (local.set $va
            (v128.load align=4
              (i32.add
                (i32.add (local.get $a0) (i32.mul (local.get $strideBytes) (i32.const 3)))
                (local.get $d))))
          (local.set $s30 (f32x4.add (local.get $s30) (f32x4.mul (local.get $va) (local.get $vb0))))
          (local.set $s31 (f32x4.add (local.get $s31) (f32x4.mul (local.get $va) (local.get $vb1))))
          (br_if $depth
            (i32.lt_u
              (local.tee $d (i32.add (local.get $d) (i32.const 16)))
              (local.get $strideBytes))))
        ;; out + ((r + i) * columns + c) * 4, for the four rows i of the block
        (local.set $outRow
          (i32.add
            (local.get $outAt)
            (i32.shl
              (i32.add (i32.mul (local.get $r) (local.get $columns)) (local.get $c))
              (i32.const 2))))
        (f32.store (local.get $outRow) (call $horizontalSum (local.get $s00)))
        (f32.store offset=4 (local.get $outRow) (call $horizontalSum (local.get $s01)))
        (local.set $outRow
          (i32.add (local.get $outRow) (i32.shl (local.get $columns) (i32.const 2))))
        (f32.store (local.get $outRow) (call $horizontalSum (local.get $s10)))
        (f32.store offset=4 (local.get $outRow) (call $horizontalSum (local.get $s11)))
        (local.set $outRow
          (i32.add (local.get $outRow) (i32.shl (local.get $columns) (i32.const 2))))
        (f32.store (local.get $outRow) (call $horizontalSum (local.get $s20)))
        (f32.store offset=4 (local.get $outRow) (call $horizontalSum (local.get $s21)))
        (local.set $outRow
          (i32.add (local.get $outRow) (i32.shl (local.get $columns) (i32.const 2))))
        (f32.store (local.get $outRow) (call $horizontalSum (local.get $s30)))
        (f32.store offset=4 (local.get $outRow) (call $horizontalSum (local.get $s31)))
        (br_if $columnPairs
          (i32.lt_u
            (local.tee $c (i32.add (local.get $c) (i32.const 2)))
            (local.get $columns))))
      (br_if $rowBlocks
        (i32.lt_u (local.tee $r (i32.add (local.get $r) (i32.const 4))) (local.get $rows)))))

  ;; The dot product of the rows at $a and $b: two accumulators over 8 floats a step, then one more
  ;; vector where the stride is 4 mod 8 floats.
  (func (export "dot") (param $a i32) (param $b i32) (param $stride i32) (result f32)
    (local $d i32) (local $end i32) (local $sum0 v128) (local $sum1 v128)
    ;; end = the stride in bytes, rounded down to 32
    (local.set $end (i32.and (i32.shl (local.get $stride) (i32.const 2)) (i32.const -32)))
    (if (i32.lt_u (local.get $d) (local.get $end))
      (then
        (loop $pairs
          (local.set $sum0
            (f32x4.add
              (local.get $sum0)
              (f32x4.mul
                (v128.load align=4 (i32.add (local.get $a) (local.get $d)))
                (v128.load align=4 (i32.add (local.get $b) (local.get $d))))))
          (local.set $sum1
            (f32x4.add
              (local.get $sum1)
              (f32x4.mul
                (v128.load offset=16 align=4 (i32.add (local.get $a) (local.get $d)))
                (v128.load offset=16 align=4 (i32.add (local.get $b) (local.get $d))))))
          (br_if $pairs
            (i32.lt_u
              (local.tee $d (i32.add (local.get $d) (i32.const 32)))
              (local.get $end))))))
    (if (i32.lt_u (local.get $d) (i32.shl (local.get $stride) (i32.const 2)))
      (then
        (local.set $sum0
          (f32x4.add
            (local.get $sum0)
            (f32x4.mul
              (v128.load align=4 (i32.add (local.get $a) (local.get $d)))
              (v128.load align=4 (i32.add (local.get $b) (local.get $d))))))))
    (call $horizontalSum (f32x4.add (local.get $sum0) (local.get $sum1))))
)
