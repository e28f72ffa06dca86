;; The hot loops of building a CSR from an integer edge table (graph/io/csr-wasm.ts loads them; see there for
;; why they are WebAssembly). Addresses are byte offsets into the imported memory; node indices are 0-based
;; except in `table`, where 0 means "not seen yet" and v + 1 stands for node v. Compiled by
;; scripts/build-wasm.mjs (wabt) into csr-kernels.wasm.ts; tests/graph/csr-wasm.test.ts checks the two agree.
(module
  (memory (import "env" "memory") 1 65536 shared)

  ;; The largest id in a slice of the two int32 columns a and b (rows values each), starting from max;
  ;; -1 when an id is outside [0, limit) (a negative int32 is a huge unsigned one).
  (func (export "maxId") (param $a i32) (param $b i32) (param $rows i32) (param $max i32) (param $limit i32) (result i32)
    (local $end i32) (local $x i32)
    (local.set $end (i32.add (local.get $a) (i32.shl (local.get $rows) (i32.const 2))))
    (block $done
      (br_if $done (i32.eqz (local.get $rows)))
      (loop $row
        (local.set $x (i32.load (local.get $a)))
        (if (i32.ge_u (local.get $x) (local.get $limit)) (then (return (i32.const -1))))
        (if (i32.gt_s (local.get $x) (local.get $max)) (then (local.set $max (local.get $x))))
        (local.set $x (i32.load (local.get $b)))
        (if (i32.ge_u (local.get $x) (local.get $limit)) (then (return (i32.const -1))))
        (if (i32.gt_s (local.get $x) (local.get $max)) (then (local.set $max (local.get $x))))
        (local.set $a (i32.add (local.get $a) (i32.const 4)))
        (local.set $b (i32.add (local.get $b) (i32.const 4)))
        (br_if $row (i32.lt_u (local.get $a) (local.get $end)))))
    (local.get $max))

  ;; Node indices in order of first appearance, row by row, source before target: table[id] = index + 1,
  ;; ids[index] = id; deg[index + 1] counts arcs (both ends unless directed). state = [nodes, self-loops].
  (func $first (param $table i32) (param $ids i32) (param $x i32) (param $n i32) (result i32)
    ;; index + 1 of id x, interning it as node n when unseen (the caller tells by comparing with n + 1)
    (local $p i32) (local $u i32)
    (local.set $p (i32.add (local.get $table) (i32.shl (local.get $x) (i32.const 2))))
    (local.set $u (i32.load (local.get $p)))
    (if (i32.eqz (local.get $u)) (then
      (local.set $u (i32.add (local.get $n) (i32.const 1)))
      (i32.store (local.get $p) (local.get $u))
      (i32.store (i32.add (local.get $ids) (i32.shl (local.get $n) (i32.const 2))) (local.get $x))))
    (local.get $u))
  (func (export "intern") (param $a i32) (param $b i32) (param $rows i32) (param $table i32) (param $ids i32) (param $deg i32) (param $state i32) (param $directed i32)
    (local $end i32) (local $n i32) (local $loops i32) (local $u i32) (local $v i32) (local $p i32)
    (local.set $n (i32.load (local.get $state)))
    (local.set $loops (i32.load offset=4 (local.get $state)))
    (local.set $end (i32.add (local.get $a) (i32.shl (local.get $rows) (i32.const 2))))
    (block $done
      (br_if $done (i32.eqz (local.get $rows)))
      (loop $row
        (local.set $u (call $first (local.get $table) (local.get $ids) (i32.load (local.get $a)) (local.get $n)))
        (if (i32.gt_u (local.get $u) (local.get $n)) (then (local.set $n (local.get $u))))
        (local.set $v (call $first (local.get $table) (local.get $ids) (i32.load (local.get $b)) (local.get $n)))
        (if (i32.gt_u (local.get $v) (local.get $n)) (then (local.set $n (local.get $v))))
        (if (i32.eq (local.get $u) (local.get $v))
          (then (local.set $loops (i32.add (local.get $loops) (i32.const 1))))
          (else
            (local.set $p (i32.add (local.get $deg) (i32.shl (local.get $u) (i32.const 2))))
            (i32.store (local.get $p) (i32.add (i32.load (local.get $p)) (i32.const 1)))
            (if (i32.eqz (local.get $directed)) (then
              (local.set $p (i32.add (local.get $deg) (i32.shl (local.get $v) (i32.const 2))))
              (i32.store (local.get $p) (i32.add (i32.load (local.get $p)) (i32.const 1)))))))
        (local.set $a (i32.add (local.get $a) (i32.const 4)))
        (local.set $b (i32.add (local.get $b) (i32.const 4)))
        (br_if $row (i32.lt_u (local.get $a) (local.get $end)))))
    (i32.store (local.get $state) (local.get $n))
    (i32.store offset=4 (local.get $state) (local.get $loops)))

  ;; First half of placing the arcs, for cache locality: each arc goes, in row order, to the next free slot of
  ;; its owner's block (nodes [k << shift, (k + 1) << shift)); the neighbour into targets, the owner's place in
  ;; its block either packed above the neighbour's `bits` bits (bits > 0: node indices fit in `bits` bits and
  ;; bits + shift <= 32) or into low (u16; bits = 0). cursor[k] is block k's next free slot (an arc index).
  (func $put (param $cursor i32) (param $targets i32) (param $low i32) (param $shift i32) (param $bits i32) (param $owner i32) (param $other i32)
    (local $c i32) (local $slot i32) (local $l i32)
    (local.set $c (i32.add (local.get $cursor) (i32.shl (i32.shr_u (local.get $owner) (local.get $shift)) (i32.const 2))))
    (local.set $slot (i32.load (local.get $c)))
    (i32.store (local.get $c) (i32.add (local.get $slot) (i32.const 1)))
    (local.set $l (i32.and (local.get $owner) (i32.sub (i32.shl (i32.const 1) (local.get $shift)) (i32.const 1))))
    (if (local.get $bits)
      (then
        (i32.store (i32.add (local.get $targets) (i32.shl (local.get $slot) (i32.const 2)))
          (i32.or (i32.shl (local.get $l) (local.get $bits)) (local.get $other))))
      (else
        (i32.store (i32.add (local.get $targets) (i32.shl (local.get $slot) (i32.const 2))) (local.get $other))
        (i32.store16 (i32.add (local.get $low) (i32.shl (local.get $slot) (i32.const 1))) (local.get $l)))))
  (func (export "scatter") (param $a i32) (param $b i32) (param $rows i32) (param $table i32) (param $cursor i32) (param $targets i32) (param $low i32) (param $shift i32) (param $bits i32) (param $directed i32)
    (local $end i32) (local $u i32) (local $v i32)
    (local.set $end (i32.add (local.get $a) (i32.shl (local.get $rows) (i32.const 2))))
    (block $done
      (br_if $done (i32.eqz (local.get $rows)))
      (loop $row
        (local.set $u (i32.sub (i32.load (i32.add (local.get $table) (i32.shl (i32.load (local.get $a)) (i32.const 2)))) (i32.const 1)))
        (local.set $v (i32.sub (i32.load (i32.add (local.get $table) (i32.shl (i32.load (local.get $b)) (i32.const 2)))) (i32.const 1)))
        (call $put (local.get $cursor) (local.get $targets) (local.get $low) (local.get $shift) (local.get $bits) (local.get $u) (local.get $v))
        (if (i32.eqz (local.get $directed)) (then
          (call $put (local.get $cursor) (local.get $targets) (local.get $low) (local.get $shift) (local.get $bits) (local.get $v) (local.get $u))))
        (local.set $a (i32.add (local.get $a) (i32.const 4)))
        (local.set $b (i32.add (local.get $b) (i32.const 4)))
        (br_if $row (i32.lt_u (local.get $a) (local.get $end))))))

  ;; Second half, one block at a time (its arcs fit in cache): nodes [first, last) with CSR offsets (arc
  ;; indices, n + 1 of them); the block's arcs, in row order, move from their scatter slots to their owners'
  ;; lists (unpacked on the way when bits > 0). scratch holds a copy of the block's slots, fill one cursor per
  ;; node of the block.
  (func (export "gather") (param $first i32) (param $last i32) (param $offsets i32) (param $targets i32) (param $low i32) (param $scratch i32) (param $fill i32) (param $bits i32)
    (local $v i32) (local $s i32) (local $e i32) (local $p i32) (local $f i32) (local $slot i32) (local $x i32) (local $l i32) (local $mask i32)
    (local.set $mask (i32.sub (i32.shl (i32.const 1) (local.get $bits)) (i32.const 1)))
    (local.set $v (local.get $first))
    (block $set
      (loop $node
        (br_if $set (i32.ge_u (local.get $v) (local.get $last)))
        (i32.store (i32.add (local.get $fill) (i32.shl (i32.sub (local.get $v) (local.get $first)) (i32.const 2)))
          (i32.load (i32.add (local.get $offsets) (i32.shl (local.get $v) (i32.const 2)))))
        (local.set $v (i32.add (local.get $v) (i32.const 1)))
        (br $node)))
    (local.set $s (i32.load (i32.add (local.get $offsets) (i32.shl (local.get $first) (i32.const 2)))))
    (local.set $e (i32.load (i32.add (local.get $offsets) (i32.shl (local.get $last) (i32.const 2)))))
    (memory.copy (local.get $scratch) (i32.add (local.get $targets) (i32.shl (local.get $s) (i32.const 2))) (i32.shl (i32.sub (local.get $e) (local.get $s)) (i32.const 2)))
    (local.set $p (local.get $s))
    (block $done
      (loop $arc
        (br_if $done (i32.ge_u (local.get $p) (local.get $e)))
        (local.set $x (i32.load (i32.add (local.get $scratch) (i32.shl (i32.sub (local.get $p) (local.get $s)) (i32.const 2)))))
        (if (local.get $bits)
          (then
            (local.set $l (i32.shr_u (local.get $x) (local.get $bits)))
            (local.set $x (i32.and (local.get $x) (local.get $mask))))
          (else
            (local.set $l (i32.load16_u (i32.add (local.get $low) (i32.shl (local.get $p) (i32.const 1)))))))
        (local.set $f (i32.add (local.get $fill) (i32.shl (local.get $l) (i32.const 2))))
        (local.set $slot (i32.load (local.get $f)))
        (i32.store (local.get $f) (i32.add (local.get $slot) (i32.const 1)))
        (i32.store (i32.add (local.get $targets) (i32.shl (local.get $slot) (i32.const 2))) (local.get $x))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br $arc))))

  ;; 1 when some node of [first, last) lists the same neighbour twice, else 0. stamp: n i32s, zeroed before the
  ;; first call and overwritten (node v marks with v + 1). Called per block right after its gather, while the
  ;; block's arcs are still in cache.
  (func (export "hasRepeat") (param $first i32) (param $last i32) (param $offsets i32) (param $targets i32) (param $stamp i32) (result i32)
    (local $v i32) (local $p i32) (local $e i32) (local $s i32)
    (local.set $v (local.get $first))
    (block $done
      (loop $node
        (br_if $done (i32.ge_u (local.get $v) (local.get $last)))
        (local.set $p (i32.load (i32.add (local.get $offsets) (i32.shl (local.get $v) (i32.const 2)))))
        (local.set $e (i32.load (i32.add (local.get $offsets) (i32.shl (i32.add (local.get $v) (i32.const 1)) (i32.const 2)))))
        (local.set $v (i32.add (local.get $v) (i32.const 1)))
        (block $next
          (loop $arc
            (br_if $next (i32.ge_u (local.get $p) (local.get $e)))
            (local.set $s (i32.add (local.get $stamp) (i32.shl (i32.load (i32.add (local.get $targets) (i32.shl (local.get $p) (i32.const 2)))) (i32.const 2))))
            (if (i32.eq (i32.load (local.get $s)) (local.get $v)) (then (return (i32.const 1))))
            (i32.store (local.get $s) (local.get $v))
            (local.set $p (i32.add (local.get $p) (i32.const 1)))
            (br $arc)))
        (br $node)))
    (i32.const 0))
)
