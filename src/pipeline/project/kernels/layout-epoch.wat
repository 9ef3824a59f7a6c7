;; One UMAP optimisation epoch over a range of edges: umap-js's `optimizeLayoutStep` for 2-D layouts
;; (the JavaScript reference is test/pipeline/project/reference-epoch.ts), about 4x faster than it,
;; mostly because x^b costs a few multiplications here instead of Math.exp(b * Math.log(x)).
;;
;; The caller lays out in memory: the n x 2 positions (f32), the edges' heads and tails (i32), their
;; sampling schedules (f64) and one mulberry32 state (i32) per lane. One thread runs every edge in
;; order (`epoch`: the deterministic mode); several threads each run their own range of edges at once
;; over shared positions, without locks, as umap-learn's parallel mode does (Hogwild-style updates).
;; In that mode each thread runs two lanes (`epochPair`): two halves of its range, a sample of one
;; beside a sample of the other. One lane's samples form one long dependency chain (each moves the
;; point the next starts from), so a core spends most of its time waiting on it; two independent
;; chains side by side keep it busy: 1.5-1.7x the samples per second alone, and the layout of 100,000
;; points on 2 threads about 1.2x faster (25 s to 20.9 s in bench:project).
;;
;; Negative samples draw from mulberry32, the generator of src/lib/random.ts, bit for bit. Powers use
;; log and exp from the float's bits plus series (relative error about 1e-9, far below the float32
;; rounding of the positions), so this and the reference agree to rounding.
;;
;; scripts/build-kernels.ts assembles this file twice: as written, and with the memory import declared
;; shared, for threads.
(module
  (import "env" "memory" (memory 1))

  ;; ln(x) for a positive normal x.
  (func $ln (param $x f64) (result f64)
    (local $bits i64) (local $exponent i32) (local $m f64) (local $above i32)
    (local $s f64) (local $s2 f64) (local $s4 f64)
    (local.set $bits (i64.reinterpret_f64 (local.get $x)))
    ;; exponent = (bits >> 52) - 1023 (x > 0, so the sign bit is clear)
    (local.set $exponent
      (i32.sub (i32.wrap_i64 (i64.shr_u (local.get $bits) (i64.const 52))) (i32.const 1023)))
    ;; m = the mantissa with a zero exponent, in [1, 2)
    (local.set $m
      (f64.reinterpret_i64
        (i64.or
          (i64.and (local.get $bits) (i64.const 0x000fffffffffffff))
          (i64.const 0x3ff0000000000000))))
    ;; Above sqrt(2), halve m and bump the exponent, so m lies in [sqrt(1/2), sqrt(2)] and the series
    ;; below converges fast.
    (local.set $above (f64.gt (local.get $m) (f64.const 1.4142135623730951)))
    (local.set $m
      (select (f64.mul (local.get $m) (f64.const 0.5)) (local.get $m) (local.get $above)))
    (local.set $exponent (i32.add (local.get $exponent) (local.get $above)))
    ;; ln m = 2 atanh(s) = 2 s (1 + s^2/3 + s^4/5 + s^6/7 + s^8/9 + ...), s = (m - 1)/(m + 1),
    ;; |s| <= 0.172, so the first omitted term is below 1e-9.
    (local.set $s
      (f64.div
        (f64.sub (local.get $m) (f64.const 1))
        (f64.add (local.get $m) (f64.const 1))))
    (local.set $s2 (f64.mul (local.get $s) (local.get $s)))
    (local.set $s4 (f64.mul (local.get $s2) (local.get $s2)))
    (f64.add
      (f64.mul (f64.convert_i32_s (local.get $exponent)) (f64.const 0.6931471805599453))
      (f64.mul
        (f64.mul (f64.const 2) (local.get $s))
        ;; (1 + s^2/3) + s^4 ((1/5 + s^2/7) + s^4/9)
        (f64.add
          (f64.add (f64.mul (local.get $s2) (f64.const 0.3333333333333333)) (f64.const 1))
          (f64.mul
            (local.get $s4)
            (f64.add
              (f64.add (f64.mul (local.get $s2) (f64.const 0.14285714285714285)) (f64.const 0.2))
              (f64.mul (local.get $s4) (f64.const 0.1111111111111111))))))))

  ;; e^y for |y| well under 700: y = k ln 2 + r with |r| <= ln 2 / 2, e^y = 2^k e^r, and e^r by its
  ;; Taylor series to r^8/8! (the first omitted term is below 3e-10). The series is evaluated by
  ;; Estrin's scheme, p(r) = (c0 + c1 r) + r^2 (c2 + c3 r) + r^4 (...), whose terms evaluate side by
  ;; side: the optimiser's steps form one long dependency chain (each sample moves the point the next
  ;; starts from), so latency, not throughput, sets its pace.
  (func $exp (param $y f64) (result f64)
    (local $k f64) (local $r f64) (local $r2 f64) (local $r4 f64)
    (local.set $k (f64.nearest (f64.mul (local.get $y) (f64.const 1.4426950408889634))))
    (local.set $r
      (f64.sub (local.get $y) (f64.mul (local.get $k) (f64.const 0.6931471805599453))))
    (local.set $r2 (f64.mul (local.get $r) (local.get $r)))
    (local.set $r4 (f64.mul (local.get $r2) (local.get $r2)))
    (f64.mul
      (f64.add
        ;; 1 + r + r^2/2 + r^3/6
        (f64.add
          (f64.add (f64.mul (local.get $r) (f64.const 1)) (f64.const 1))
          (f64.mul
            (local.get $r2)
            (f64.add (f64.mul (local.get $r) (f64.const 0.16666666666666666)) (f64.const 0.5))))
        ;; r^4 (1/24 + r/120 + r^2 (1/720 + r/5040) + r^4/40320)
        (f64.mul
          (local.get $r4)
          (f64.add
            (f64.add
              (f64.add
                (f64.mul (local.get $r) (f64.const 0.008333333333333333))
                (f64.const 0.041666666666666664))
              (f64.mul
                (local.get $r2)
                (f64.add
                  (f64.mul (local.get $r) (f64.const 0.0001984126984126984))
                  (f64.const 0.001388888888888889))))
            (f64.mul (local.get $r4) (f64.const 0.0000248015873015873)))))
      ;; 2^k from its bits
      (f64.reinterpret_i64
        (i64.shl
          (i64.extend_i32_s (i32.add (i32.trunc_f64_s (local.get $k)) (i32.const 1023)))
          (i64.const 52)))))

  ;; x^e for x > 0.
  (func $pow (param $x f64) (param $e f64) (result f64)
    (call $exp (f64.mul (local.get $e) (call $ln (local.get $x)))))

  ;; clip(value, -4, 4) * alpha: umap-js clips every gradient component to +-4.
  (func $clippedStep (param $value f64) (param $alpha f64) (result f64)
    (f64.mul (f64.min (f64.max (local.get $value) (f64.const -4)) (f64.const 4)) (local.get $alpha)))

  ;; floor(random * n) for mulberry32's (as createRandom) next state $state.
  (func $randomVertex (param $state i32) (param $n i32) (result i32)
    (local $t i32)
    ;; t = imul(t ^ (t >>> 15), t | 1)
    (local.set $t
      (i32.mul
        (i32.xor (local.get $state) (i32.shr_u (local.get $state) (i32.const 15)))
        (i32.or (local.get $state) (i32.const 1))))
    ;; t ^= t + imul(t ^ (t >>> 7), t | 61)
    (local.set $t
      (i32.xor
        (local.get $t)
        (i32.add
          (local.get $t)
          (i32.mul
            (i32.xor (local.get $t) (i32.shr_u (local.get $t) (i32.const 7)))
            (i32.or (local.get $t) (i32.const 61))))))
    ;; ((t ^ (t >>> 14)) >>> 0) / 2^32 * n, floored
    (i32.trunc_f64_u
      (f64.mul
        (f64.mul
          (f64.convert_i32_u (i32.xor (local.get $t) (i32.shr_u (local.get $t) (i32.const 14))))
          (f64.const 2.3283064365386963e-10))
        (f64.convert_i32_s (local.get $n)))))

  ;; The first edge in [$edge, $end) due for sampling at $epoch, or $end: edges are sampled in
  ;; proportion to their membership, so most epochs skip most weak edges.
  (func $nextDue (param $edge i32) (param $end i32) (param $epoch f64) (param $nextSampleAt i32)
    (result i32)
    (block $found
      (loop $scan
        (br_if $found (i32.ge_u (local.get $edge) (local.get $end)))
        (br_if $found
          (i32.eqz
            (f64.gt
              (f64.load
                (i32.add (local.get $nextSampleAt) (i32.shl (local.get $edge) (i32.const 3))))
              (local.get $epoch))))
        (local.set $edge (i32.add (local.get $edge) (i32.const 1)))
        (br $scan)))
    (local.get $edge))

  ;; Samples edge $edge, due at $epoch: the attraction between its head and tail (the tail is moved
  ;; and stored here), and its next sample scheduled. Returns the head's moved position (x, y), the
  ;; head's index and address, and how many negative samples are due.
  (func $attract
    (param $edge i32) (param $epoch f64) (param $alpha f64) (param $a f64) (param $b f64)
    (param $attractionScale f64) (param $positionsAt i32) (param $headsAt i32) (param $tailsAt i32)
    (param $epochsPerSampleAt i32) (param $nextSampleAt i32)
    (param $epochsPerNegativeAt i32) (param $nextNegativeAt i32)
    (result f64 f64 i32 i32 i32)
    (local $j i32) (local $jAt i32) (local $kAt i32) (local $cx f64) (local $cy f64) (local $kx f64)
    (local $ky f64) (local $dx f64) (local $dy f64) (local $d2 f64) (local $power f64)
    (local $coefficient f64) (local $gx f64) (local $gy f64) (local $next f64)
    (local.set $next
      (f64.load (i32.add (local.get $nextSampleAt) (i32.shl (local.get $edge) (i32.const 3)))))
    (local.set $j
      (i32.load (i32.add (local.get $headsAt) (i32.shl (local.get $edge) (i32.const 2)))))
    (local.set $jAt (i32.add (local.get $positionsAt) (i32.shl (local.get $j) (i32.const 3))))
    (local.set $kAt
      (i32.add
        (local.get $positionsAt)
        (i32.shl
          (i32.load (i32.add (local.get $tailsAt) (i32.shl (local.get $edge) (i32.const 2))))
          (i32.const 3))))
    (local.set $cx (f64.promote_f32 (f32.load (local.get $jAt))))
    (local.set $cy (f64.promote_f32 (f32.load offset=4 (local.get $jAt))))
    (local.set $kx (f64.promote_f32 (f32.load (local.get $kAt))))
    (local.set $ky (f64.promote_f32 (f32.load offset=4 (local.get $kAt))))
    (local.set $dx (f64.sub (local.get $cx) (local.get $kx)))
    (local.set $dy (f64.sub (local.get $cy) (local.get $ky)))
    (local.set $d2
      (f64.add
        (f64.mul (local.get $dx) (local.get $dx))
        (f64.mul (local.get $dy) (local.get $dy))))
    ;; Attraction: coefficient = -2ab d2^(b - 1) / (a d2^b + 1), applied to both ends.
    (if (f64.gt (local.get $d2) (f64.const 0))
      (then
        (local.set $power
          (call $pow (local.get $d2) (f64.sub (local.get $b) (f64.const 1))))
        (local.set $coefficient
          (f64.div
            (f64.mul (local.get $attractionScale) (local.get $power))
            (f64.add
              (f64.mul (f64.mul (local.get $a) (local.get $power)) (local.get $d2))
              (f64.const 1))))
        (local.set $gx
          (call $clippedStep
            (f64.mul (local.get $coefficient) (local.get $dx)) (local.get $alpha)))
        (local.set $gy
          (call $clippedStep
            (f64.mul (local.get $coefficient) (local.get $dy)) (local.get $alpha)))
        (local.set $cx (f64.add (local.get $cx) (local.get $gx)))
        (local.set $cy (f64.add (local.get $cy) (local.get $gy)))
        (f32.store (local.get $kAt) (f32.demote_f64 (f64.sub (local.get $kx) (local.get $gx))))
        (f32.store offset=4
          (local.get $kAt) (f32.demote_f64 (f64.sub (local.get $ky) (local.get $gy))))))
    ;; nextSample[edge] = next + epochsPerSample[edge]
    (f64.store
      (i32.add (local.get $nextSampleAt) (i32.shl (local.get $edge) (i32.const 3)))
      (f64.add
        (local.get $next)
        (f64.load
          (i32.add (local.get $epochsPerSampleAt) (i32.shl (local.get $edge) (i32.const 3))))))
    (local.get $cx)
    (local.get $cy)
    (local.get $j)
    (local.get $jAt)
    ;; negatives = floor((epoch - nextNegative[edge]) / epochsPerNegative[edge])
    (i32.trunc_f64_s
      (f64.floor
        (f64.div
          (f64.sub
            (local.get $epoch)
            (f64.load
              (i32.add (local.get $nextNegativeAt) (i32.shl (local.get $edge) (i32.const 3)))))
          (f64.load
            (i32.add
              (local.get $epochsPerNegativeAt) (i32.shl (local.get $edge) (i32.const 3))))))))

  ;; One negative sample for the head $j at ($cx, $cy): a point drawn at random pushes it away.
  ;; Returns the head's moved position and the generator's next state.
  (func $repel
    (param $cx f64) (param $cy f64) (param $state i32) (param $j i32) (param $n i32)
    (param $positionsAt i32) (param $a f64) (param $b f64) (param $repulsionScale f64)
    (param $alpha f64)
    (result f64 f64 i32)
    (local $other i32) (local $kAt i32) (local $dx f64) (local $dy f64) (local $d2 f64)
    (local $coefficient f64)
    (local.set $state (i32.add (local.get $state) (i32.const 0x6d2b79f5)))
    (local.set $other (call $randomVertex (local.get $state) (local.get $n)))
    ;; The point itself: umap-js finds distance 0 and skips it.
    (block $self
      (br_if $self (i32.eq (local.get $other) (local.get $j)))
      (local.set $kAt
        (i32.add (local.get $positionsAt) (i32.shl (local.get $other) (i32.const 3))))
      (local.set $dx
        (f64.sub (local.get $cx) (f64.promote_f32 (f32.load (local.get $kAt)))))
      (local.set $dy
        (f64.sub (local.get $cy) (f64.promote_f32 (f32.load offset=4 (local.get $kAt)))))
      (local.set $d2
        (f64.add
          (f64.mul (local.get $dx) (local.get $dx))
          (f64.mul (local.get $dy) (local.get $dy))))
      (if (f64.gt (local.get $d2) (f64.const 0))
        (then
          ;; Repulsion: coefficient = 2 gamma b / ((0.001 + d2)(a d2^b + 1))
          (local.set $coefficient
            (f64.div
              (local.get $repulsionScale)
              (f64.mul
                (f64.add (f64.const 0.001) (local.get $d2))
                (f64.add
                  (f64.mul (local.get $a) (call $pow (local.get $d2) (local.get $b)))
                  (f64.const 1)))))
          (local.set $cx
            (f64.add
              (local.get $cx)
              (call $clippedStep
                (f64.mul (local.get $coefficient) (local.get $dx)) (local.get $alpha))))
          (local.set $cy
            (f64.add
              (local.get $cy)
              (call $clippedStep
                (f64.mul (local.get $coefficient) (local.get $dy)) (local.get $alpha)))))
        (else
          ;; Coincident points: umap-js pushes by the full clip value.
          (local.set $cx
            (f64.add (local.get $cx) (f64.mul (f64.const 4) (local.get $alpha))))
          (local.set $cy
            (f64.add (local.get $cy) (f64.mul (f64.const 4) (local.get $alpha)))))))
    (local.get $cx)
    (local.get $cy)
    (local.get $state))

  ;; Ends edge $edge's sample: stores its head's position and moves its next negative sample on past
  ;; the $negatives drawn.
  (func $settle
    (param $edge i32) (param $jAt i32) (param $cx f64) (param $cy f64) (param $negatives i32)
    (param $epochsPerNegativeAt i32) (param $nextNegativeAt i32)
    (f32.store (local.get $jAt) (f32.demote_f64 (local.get $cx)))
    (f32.store offset=4 (local.get $jAt) (f32.demote_f64 (local.get $cy)))
    ;; nextNegative[edge] += negatives * epochsPerNegative[edge]
    (f64.store
      (i32.add (local.get $nextNegativeAt) (i32.shl (local.get $edge) (i32.const 3)))
      (f64.add
        (f64.load
          (i32.add (local.get $nextNegativeAt) (i32.shl (local.get $edge) (i32.const 3))))
        (f64.mul
          (f64.convert_i32_s (local.get $negatives))
          (f64.load
            (i32.add
              (local.get $epochsPerNegativeAt) (i32.shl (local.get $edge) (i32.const 3))))))))

  ;; Epoch $epoch at learning rate $alpha over edges [$edgeStart, $edgeEnd), in order, drawing
  ;; negative samples from the generator state at $stateAt. Addresses are in bytes; the edge arrays
  ;; are indexed by edge.
  (func $epoch (export "epoch")
    (param $epoch f64) (param $alpha f64) (param $n i32) (param $edgeStart i32) (param $edgeEnd i32)
    (param $a f64) (param $b f64) (param $attractionScale f64) (param $repulsionScale f64)
    (param $positionsAt i32) (param $headsAt i32) (param $tailsAt i32)
    (param $epochsPerSampleAt i32) (param $nextSampleAt i32)
    (param $epochsPerNegativeAt i32) (param $nextNegativeAt i32) (param $stateAt i32)
    (local $edge i32) (local $cx f64) (local $cy f64) (local $j i32) (local $jAt i32)
    (local $negatives i32) (local $p i32) (local $state i32)
    (local.set $state (i32.load (local.get $stateAt)))
    (local.set $edge (local.get $edgeStart))
    (block $edgesDone
      (loop $edges
        (local.set $edge
          (call $nextDue
            (local.get $edge) (local.get $edgeEnd) (local.get $epoch) (local.get $nextSampleAt)))
        (br_if $edgesDone (i32.ge_u (local.get $edge) (local.get $edgeEnd)))
        (call $attract
          (local.get $edge) (local.get $epoch) (local.get $alpha) (local.get $a) (local.get $b)
          (local.get $attractionScale) (local.get $positionsAt) (local.get $headsAt)
          (local.get $tailsAt) (local.get $epochsPerSampleAt) (local.get $nextSampleAt)
          (local.get $epochsPerNegativeAt) (local.get $nextNegativeAt))
        (local.set $negatives)
        (local.set $jAt)
        (local.set $j)
        (local.set $cy)
        (local.set $cx)
        (local.set $p (i32.const 0))
        (block $samplesDone
          (loop $samples
            (br_if $samplesDone (i32.ge_s (local.get $p) (local.get $negatives)))
            (call $repel
              (local.get $cx) (local.get $cy) (local.get $state) (local.get $j) (local.get $n)
              (local.get $positionsAt) (local.get $a) (local.get $b) (local.get $repulsionScale)
              (local.get $alpha))
            (local.set $state)
            (local.set $cy)
            (local.set $cx)
            (local.set $p (i32.add (local.get $p) (i32.const 1)))
            (br $samples)))
        (call $settle
          (local.get $edge) (local.get $jAt) (local.get $cx) (local.get $cy) (local.get $negatives)
          (local.get $epochsPerNegativeAt) (local.get $nextNegativeAt))
        (local.set $edge (i32.add (local.get $edge) (i32.const 1)))
        (br $edges)))
    (i32.store (local.get $stateAt) (local.get $state)))

  ;; Epoch $epoch over two lanes at once: edges [$edgeStart, $edgeEnd) with the generator at
  ;; $stateAt, and [$edgeStartB, $edgeEndB) with the one at $stateAtB, each lane's edges in order,
  ;; the two lanes' samples side by side (the parallel mode: lanes, like threads, write the shared
  ;; positions without locks). When one lane runs out, the other finishes alone.
  (func (export "epochPair")
    (param $epoch f64) (param $alpha f64) (param $n i32) (param $edgeStart i32) (param $edgeEnd i32)
    (param $a f64) (param $b f64) (param $attractionScale f64) (param $repulsionScale f64)
    (param $positionsAt i32) (param $headsAt i32) (param $tailsAt i32)
    (param $epochsPerSampleAt i32) (param $nextSampleAt i32)
    (param $epochsPerNegativeAt i32) (param $nextNegativeAt i32) (param $stateAt i32)
    (param $edgeStartB i32) (param $edgeEndB i32) (param $stateAtB i32)
    (local $edge i32) (local $cx f64) (local $cy f64) (local $j i32) (local $jAt i32)
    (local $negatives i32) (local $state i32)
    (local $edgeB i32) (local $cxB f64) (local $cyB f64) (local $jB i32) (local $jAtB i32)
    (local $negativesB i32) (local $stateB i32)
    (local $p i32) (local $both i32)
    (local.set $state (i32.load (local.get $stateAt)))
    (local.set $stateB (i32.load (local.get $stateAtB)))
    (local.set $edge (local.get $edgeStart))
    (local.set $edgeB (local.get $edgeStartB))
    (block $oneLaneLeft
      (loop $edges
        (local.set $edge
          (call $nextDue
            (local.get $edge) (local.get $edgeEnd) (local.get $epoch) (local.get $nextSampleAt)))
        (br_if $oneLaneLeft (i32.ge_u (local.get $edge) (local.get $edgeEnd)))
        (local.set $edgeB
          (call $nextDue
            (local.get $edgeB) (local.get $edgeEndB) (local.get $epoch) (local.get $nextSampleAt)))
        (br_if $oneLaneLeft (i32.ge_u (local.get $edgeB) (local.get $edgeEndB)))
        (call $attract
          (local.get $edge) (local.get $epoch) (local.get $alpha) (local.get $a) (local.get $b)
          (local.get $attractionScale) (local.get $positionsAt) (local.get $headsAt)
          (local.get $tailsAt) (local.get $epochsPerSampleAt) (local.get $nextSampleAt)
          (local.get $epochsPerNegativeAt) (local.get $nextNegativeAt))
        (local.set $negatives)
        (local.set $jAt)
        (local.set $j)
        (local.set $cy)
        (local.set $cx)
        (call $attract
          (local.get $edgeB) (local.get $epoch) (local.get $alpha) (local.get $a) (local.get $b)
          (local.get $attractionScale) (local.get $positionsAt) (local.get $headsAt)
          (local.get $tailsAt) (local.get $epochsPerSampleAt) (local.get $nextSampleAt)
          (local.get $epochsPerNegativeAt) (local.get $nextNegativeAt))
        (local.set $negativesB)
        (local.set $jAtB)
        (local.set $jB)
        (local.set $cyB)
        (local.set $cxB)
        ;; The samples both lanes have, side by side; then the rest of the lane with more.
        (local.set $both
          (select
            (local.get $negatives)
            (local.get $negativesB)
            (i32.lt_s (local.get $negatives) (local.get $negativesB))))
        (local.set $p (i32.const 0))
        (block $bothDone
          (loop $bothSamples
            (br_if $bothDone (i32.ge_s (local.get $p) (local.get $both)))
            (call $repel
              (local.get $cx) (local.get $cy) (local.get $state) (local.get $j) (local.get $n)
              (local.get $positionsAt) (local.get $a) (local.get $b) (local.get $repulsionScale)
              (local.get $alpha))
            (local.set $state)
            (local.set $cy)
            (local.set $cx)
            (call $repel
              (local.get $cxB) (local.get $cyB) (local.get $stateB) (local.get $jB) (local.get $n)
              (local.get $positionsAt) (local.get $a) (local.get $b) (local.get $repulsionScale)
              (local.get $alpha))
            (local.set $stateB)
            (local.set $cyB)
            (local.set $cxB)
            (local.set $p (i32.add (local.get $p) (i32.const 1)))
            (br $bothSamples)))
        (block $aDone
          (loop $aSamples
            (br_if $aDone (i32.ge_s (local.get $p) (local.get $negatives)))
            (call $repel
              (local.get $cx) (local.get $cy) (local.get $state) (local.get $j) (local.get $n)
              (local.get $positionsAt) (local.get $a) (local.get $b) (local.get $repulsionScale)
              (local.get $alpha))
            (local.set $state)
            (local.set $cy)
            (local.set $cx)
            (local.set $p (i32.add (local.get $p) (i32.const 1)))
            (br $aSamples)))
        (local.set $p (local.get $both))
        (block $bDone
          (loop $bSamples
            (br_if $bDone (i32.ge_s (local.get $p) (local.get $negativesB)))
            (call $repel
              (local.get $cxB) (local.get $cyB) (local.get $stateB) (local.get $jB) (local.get $n)
              (local.get $positionsAt) (local.get $a) (local.get $b) (local.get $repulsionScale)
              (local.get $alpha))
            (local.set $stateB)
            (local.set $cyB)
            (local.set $cxB)
            (local.set $p (i32.add (local.get $p) (i32.const 1)))
            (br $bSamples)))
        (call $settle
          (local.get $edge) (local.get $jAt) (local.get $cx) (local.get $cy) (local.get $negatives)
          (local.get $epochsPerNegativeAt) (local.get $nextNegativeAt))
        (call $settle
          (local.get $edgeB) (local.get $jAtB) (local.get $cxB) (local.get $cyB)
          (local.get $negativesB) (local.get $epochsPerNegativeAt) (local.get $nextNegativeAt))
        (local.set $edge (i32.add (local.get $edge) (i32.const 1)))
        (local.set $edgeB (i32.add (local.get $edgeB) (i32.const 1)))
        (br $edges)))
    (i32.store (local.get $stateAt) (local.get $state))
    (i32.store (local.get $stateAtB) (local.get $stateB))
    ;; Whichever lane has edges left runs them alone (the other's range is then empty).
    (call $epoch
      (local.get $epoch) (local.get $alpha) (local.get $n) (local.get $edge) (local.get $edgeEnd)
      (local.get $a) (local.get $b) (local.get $attractionScale) (local.get $repulsionScale)
      (local.get $positionsAt) (local.get $headsAt) (local.get $tailsAt)
      (local.get $epochsPerSampleAt) (local.get $nextSampleAt)
      (local.get $epochsPerNegativeAt) (local.get $nextNegativeAt) (local.get $stateAt))
    (call $epoch
      (local.get $epoch) (local.get $alpha) (local.get $n) (local.get $edgeB) (local.get $edgeEndB)
      (local.get $a) (local.get $b) (local.get $attractionScale) (local.get $repulsionScale)
      (local.get $positionsAt) (local.get $headsAt) (local.get $tailsAt)
      (local.get $epochsPerSampleAt) (local.get $nextSampleAt)
      (local.get $epochsPerNegativeAt) (local.get $nextNegativeAt) (local.get $stateAtB)))
)
