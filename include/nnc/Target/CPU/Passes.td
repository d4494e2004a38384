//===- Passes.td - CPU target passes --------------------------*- tablegen -*-===//

#ifndef NNC_TARGET_CPU_PASSES_TD
#define NNC_TARGET_CPU_PASSES_TD

include "mlir/Pass/PassBase.td"

def NNCCPUDestinationPassingPass : Pass<"nnc-cpu-destination-passing", "mlir::ModuleOp"> {
  let summary = "Makes @main write its results into caller-provided buffers";
  let description = [{
    Every result of the model function becomes a trailing memref argument
    (keeping its `nn.name`), and the returned tensor is materialized into it:

    ```mlir
    func.func @main(%x: tensor<4xf32>) -> tensor<4xf32> { ... return %y }
    // becomes
    func.func @main(%x: tensor<4xf32>, %out: memref<4xf32>) {
      ...
      bufferization.materialize_in_destination %y in restrict writable %out
      return
    }
    ```

    With this form one-shot bufferization writes results in place and the
    generated code never allocates its outputs (see runtime/include/nnc_rt/
    kernel_abi.h).
  }];
  let dependentDialects = ["mlir::bufferization::BufferizationDialect",
                           "mlir::memref::MemRefDialect"];
}

def NNCCPUPlanMemoryPass : Pass<"nnc-cpu-plan-memory", "mlir::ModuleOp"> {
  let summary = "Places @main's intermediate buffers in one workspace arena";
  let description = [{
    Runs after bufferization. Every statically shaped `memref.alloc` in the
    entry block of `@main` whose uses the pass can follow (views of it, ops
    that read or write it; not returned, yielded or passed to a call) becomes
    a `memref.view` at a fixed offset of a workspace passed in as a new
    trailing `memref<Sxi8>` argument. Offsets are 64-byte aligned; buffers
    whose live ranges (alloc to last use, in entry-block order) do not overlap
    share bytes. The module gets `nnc.workspace_size = S : i64`, which the
    kernel ABI publishes so that the runtime can lend the workspace once and
    keep it across runs: the hot path does not call malloc for these buffers.

    ```mlir
    %a = memref.alloc() : memref<64xf32>
    // becomes
    %c0 = arith.constant 0 : index
    %a = memref.view %workspace[%c0][] : memref<256xi8> to memref<64xf32>
    ```

    Buffers allocated in the body of a loop at the top of `@main` (the
    per-image loop of nnc-cpu-split-batch; not a chunk loop marked
    `nnc.parallel`, whose chunks run at the same time) are planned too: the
    body's ops come before the loop on the timeline, so such a buffer lives
    within one iteration and one used by the loop from outside spans the
    whole body.
    A buffer that is copied whole into a contiguous, 64-byte aligned slice of
    another planned buffer and is dead after the copy (a part of a tensor
    assembled from parts, such as the transformed tiles of a Winograd
    convolution, which bufferization could not write in place) gets the
    bytes of that slice, and the copy is dropped, provided nothing else
    touches the slice between the part's alloc and the copy (other accesses
    to the target in that span go through static subviews disjoint from it).
    Buffers with dynamic shapes and those allocated in deeper loops stay
    allocations.
  }];
  let dependentDialects = ["mlir::arith::ArithDialect", "mlir::memref::MemRefDialect"];
}

def NNCCPUFuseFillsPass : Pass<"nnc-cpu-fuse-fills", "mlir::func::FuncOp"> {
  let summary = "Fills a buffer's border slab by slab in the parallel loop that next touches it";
  let description = [{
    Runs on buffers, before memory planning. A `linalg.fill` of a static
    view of an allocation (the border of a padded convolution input) moves
    into the first `nnc.parallel` loop after it that touches the allocation,
    when each chunk of that loop reads and writes only its own slab of it
    (a range of the channel planes, say): every chunk then fills its part of
    the border before its body runs.

    ```mlir
    linalg.fill ins(%zero) outs(%border : memref<1x8x57x2xf32, strided<[...]>>)
    scf.for %c = %c0 to %c8 step %c2 {
      %in = memref.subview %padded[0, %c, 0, 0] [1, 2, 58, 58] [1, 1, 1, 1]
      ...
    } {nnc.parallel}
    // becomes
    scf.for %c = %c0 to %c8 step %c2 {
      %slab = memref.subview %border[0, %c, 0, 0] [1, 2, 57, 2] [1, 1, 1, 1]
      linalg.fill ins(%zero) outs(%slab)
      %in = memref.subview %padded[0, %c, 0, 0] [1, 2, 58, 58] [1, 1, 1, 1]
      ...
    } {nnc.parallel}
    ```

    The ops in between may touch the allocation only where the fill does
    not write (the interior of the padding): disjointness is proven from
    the views' static strides and offsets. Filled in @main, a border was
    written on one thread and to cache lines the producer or consumer of
    the padded buffer brings in again; in the loop, the threads share it
    and the lines are the ones the chunk works on.
  }];
  let dependentDialects = ["mlir::memref::MemRefDialect"];
}

def NNCCPUOutlineParallelPass : Pass<"nnc-cpu-outline-parallel", "mlir::ModuleOp"> {
  let summary = "Turns @main's `nnc.parallel` chunk loops into runtime tasks";
  let description = [{
    Runs on buffers. Each outermost `scf.for` in `@main` marked `nnc.parallel`
    (the chunk loop of a strategy's thread tiles) without results becomes a
    private task function

    ```mlir
    func.func private @__nnc_parallel_0(%begin: index, %end: index,
                                        %lb: index, %step: index, %captured...)
    ```

    running chunks `[begin, end)` of the loop, and the loop becomes one call
    of it over all its chunks. Constants are cloned into the task; other
    values the body uses are passed. @main gets a trailing `!llvm.ptr`
    argument, the runtime's `nnc_kernel_env_v0_t`, and the module
    `nnc.parallel_tasks = <count> : i64`. The emitter replaces each call with
    `env->parallel_for(env->pool, chunks, task, context)` (kernel_abi.h), so
    the runtime decides how many threads share the chunks; with one thread
    the chunks run in order on the caller.
  }];
  let dependentDialects = ["mlir::arith::ArithDialect", "mlir::func::FuncDialect",
                           "mlir::LLVM::LLVMDialect", "mlir::scf::SCFDialect"];
}

def NNCCPUApproximateMathPass : Pass<"nnc-cpu-approximate-math", "mlir::func::FuncOp"> {
  let summary = "Expands exp, erf, tanh and log into inline f32 polynomials; relaxes max/min";
  let description = [{
    Applies MLIR's polynomial approximations (`math.exp`, `math.expm1`,
    `math.erf`, `math.tanh`, `math.log`, `math.log1p`, `math.log2` on f32
    scalars and vectors) so that these functions become inline arithmetic
    instead of one libm call per element, and vectorize with their loop.
    Float `arith.maximumf` and `arith.minimumf` get `fastmath<nsz>`: a zero
    result may have either sign, so that a clamp against a constant (ReLU,
    Clip) is one x86 max or min; NaN still propagates.
    Used at -O1 and up; -O0 keeps libm and exact max/min.
  }];
  let dependentDialects = ["mlir::arith::ArithDialect", "mlir::math::MathDialect",
                           "mlir::vector::VectorDialect"];
}

def NNCCPUVectorizeElementwisePass
    : Pass<"nnc-cpu-vectorize-elementwise", "mlir::func::FuncOp"> {
  let summary = "Rewrites generics into 1-D vector loops along a parallel loop";
  let description = [{
    A `linalg.generic` on static tensors whose body is elementwise
    arithmetic (no `linalg.index`, no integer division) is vectorized along
    its innermost parallel loop `d` when every operand is either contiguous
    along it (`d` or `d + e` as its last index, nowhere else) or, for inputs,
    broadcast or strided along it (`s * d + e`, s from 2 to 4: read as s
    vectors' worth, every s-th lane kept by `vector.shuffle`, for s = 2 and
    8 lanes in the order one x86 shuffle leaves them, the results swapped
    back once before they are written; bounds-checked
    only when the last read may pass the end of the row, which for a tile is
    the row of the tensor it was cut from). The other parallel loops step by one; the vector loop
    steps by whole vectors, with a masked tail; reduction loops run inside
    it, carrying the result vectors: up to 8 at a time (independent
    chains), from several rows of the innermost other parallel loop when
    rows are at most 4 vectors wide. Operands are read with 1-D
    `vector.transfer_read`, the body runs on vectors, results are written
    with `vector.transfer_write`; a result that a constant `linalg.fill`
    used by this op alone initializes starts at that constant in registers
    instead (the fill is dropped), and an `nnc.cpu_epilogue` op that alone
    consumes such a result is applied to the result vectors before they are
    written into its own result. An f32 op whose inputs are instead
    contiguous along another loop (a transposing copy or epilogue: a GEMM
    result in [pixels, channels] written back as [channels, pixels]) runs in
    8 x 8 blocks on 256-bit targets: 8 vectors read along that loop,
    transposed by shuffles. This covers im2col and packing copies,
    epilogues, casts, depthwise convolutions and pooling windows. A row reduction (one reduction loop, innermost, every input
    contiguous along it, body ending in `out = addf/max/min(out, x)` on f32)
    is vectorized along the row: partial results in one vector, then
    `vector.reduction` into the result element (this reassociates the sum).
    Other ops keep their loops; contractions are left to nnc-cpu-vectorize.
  }];
  let options = [
    Option<"vectorBits", "vector-bits", "int64_t", /*default=*/"256",
           "Bits of a vector register; f32 vectors get vector-bits / 32 lanes">,
  ];
  let dependentDialects = ["mlir::affine::AffineDialect", "mlir::arith::ArithDialect",
                           "mlir::scf::SCFDialect", "mlir::tensor::TensorDialect",
                           "mlir::vector::VectorDialect"];
}

def NNCCPUExpandCopiesPass : Pass<"nnc-cpu-expand-copies", "mlir::func::FuncOp"> {
  let summary = "Turns memref.copy of strided buffers into linalg.copy";
  let description = [{
    The memref-to-LLVM conversion lowers a copy whose operands are not both
    contiguous into a call to MLIR's `memrefCopy` runtime function, which a
    compiled model must not depend on. As `linalg.copy` such a copy becomes
    loops (and, later, vector code) in the model itself. Copies between
    identity-layout buffers stay `memref.copy` and become `memcpy`.
  }];
  let dependentDialects = ["mlir::linalg::LinalgDialect"];
}

def NNCCPUReadInsertedSlicesPass : Pass<"nnc-cpu-read-inserted-slices", "mlir::func::FuncOp"> {
  let summary = "Reads a tensor back from where it was inserted";
  let description = [{
    A tensor inserted into a larger one (a convolution input into its
    padding, a concatenation's operand) and read again later (the identity
    shortcut of a residual block) is read through a slice of the larger
    tensor instead, by every user that the insertion dominates:

    ```mlir
    %p = tensor.insert_slice %x into %e[0, 1] [2, 4] [1, 1]
    %y = linalg.generic ins(%x ...)
    // becomes
    %p = tensor.insert_slice %x into %e[0, 1] [2, 4] [1, 1]
    %s = tensor.extract_slice %p[0, 1] [2, 4] [1, 1]
    %y = linalg.generic ins(%s ...)
    ```

    The values are the same, but one-shot bufferization then lets the
    producer of `%x` write into the larger buffer: with a later reader of
    `%x` itself, the insertion counts as a write that conflicts with that
    read, so `%x` was produced in a buffer of its own and copied.
  }];
  let dependentDialects = ["mlir::tensor::TensorDialect"];
}

def NNCCPUSplitEmptyTensorsPass : Pass<"nnc-cpu-split-empty-tensors", "mlir::func::FuncOp"> {
  let summary = "Gives every use of a tensor.empty its own op";
  let description = [{
    CSE merges identical `tensor.empty` ops, so that one op can stand for the
    destinations of unrelated producers (the parts of a multi-result op, two
    layers' scratch tensors of one shape). One-shot bufferization then gives
    that op one buffer, shared by producers whose results have different
    lifetimes and destinations. Run before empty-tensor elimination and
    bufferization, this pass clones the op for each use but the first:

    ```mlir
    %e = tensor.empty() : tensor<4xf32>
    %a = linalg.generic ... outs(%e : tensor<4xf32>)
    %b = linalg.generic ... outs(%e : tensor<4xf32>)
    // becomes
    %e1 = tensor.empty() : tensor<4xf32>
    %e = tensor.empty() : tensor<4xf32>
    %a = linalg.generic ... outs(%e : tensor<4xf32>)
    %b = linalg.generic ... outs(%e1 : tensor<4xf32>)
    ```
  }];
  let dependentDialects = ["mlir::tensor::TensorDialect"];
}

def NNCCPUDecomposePadPass : Pass<"nnc-cpu-decompose-pad", "mlir::func::FuncOp"> {
  let summary = "Writes a constant padding only where it goes";
  let description = [{
    A static `tensor.pad` with a constant value becomes an empty tensor whose
    border slabs (one per padded side of each dim) are filled, and into whose
    interior the source is inserted:

    ```mlir
    %p = tensor.pad %x low[0, 1] high[0, 1] { tensor.yield %zero }
        : tensor<2x4xf32> to tensor<2x6xf32>
    // becomes
    %e = tensor.empty() : tensor<2x6xf32>
    %l = linalg.fill ins(%zero) outs(extract_slice %e[0, 0] [2, 1])
    %1 = tensor.insert_slice %l into %e[0, 0] [2, 1]
    %h = linalg.fill ins(%zero) outs(extract_slice %1[0, 5] [2, 1])
    %2 = tensor.insert_slice %h into %1[0, 5] [2, 1]
    %p = tensor.insert_slice %x into %2[0, 1] [2, 4]
    ```

    Bufferized, the pad writes the border and copies the source once instead
    of filling the whole buffer first; after empty-tensor elimination the
    source's producer writes straight into the interior. Convolution and
    pooling inputs are padded this way. When the last dim is padded by p on
    both sides and the one before on both, the column borders are filled as
    seams instead: the last p elements of each row with the first p of the
    next, 2p consecutive elements, through a flat view of the rows.
  }];
  let dependentDialects = ["mlir::linalg::LinalgDialect"];
}

def NNCCPUSplitMaskedStoresPass : Pass<"nnc-cpu-split-masked-stores", "mlir::func::FuncOp"> {
  let summary = "Writes the masked tail of a vector as whole smaller vectors";
  let description = [{
    A 1-D `vector.transfer_write` whose mask is a constant prefix of k lanes
    (the tail of a row that is not a whole number of vectors) becomes
    unmasked writes of power-of-two pieces covering those k lanes:

    ```mlir
    %m = vector.constant_mask [7] : vector<8xi1>
    vector.transfer_write %v, %t[%i], %m : vector<8xf32>, tensor<15xf32>
    // becomes writes of %v[0:4] at %i, %v[4:6] at %i + 4, %v[6:7] at %i + 6
    ```

    A masked vector store (AVX2 `vmaskmovps` to memory) costs 25 to 40
    cycles on AMD cores, where three plain stores cost three; rows of 7, 14
    or 49 elements and im2col copies with 3-wide innermost dims store every
    row through one.
  }];
  let dependentDialects = ["mlir::arith::ArithDialect", "mlir::vector::VectorDialect"];
}

def NNCCPUSplitBatchPass : Pass<"nnc-cpu-split-batch", "mlir::func::FuncOp"> {
  let summary = "Runs the early layers of a batched model one image at a time";
  let description = [{
    Runs on the nn dialect, before lowering. When a function's inputs lead
    with a batch dimension N > 1 and its leading ops compute each image from
    that image alone (convolutions, pooling, elementwise ops, matmuls whose
    rows are images, reductions and normalizations that keep dim 0, ...),
    those ops move into an `scf.for` over the images on batch-1 slices, and
    the values that leave the loop are inserted back into full-batch tensors:

    ```mlir
    %y = nn.conv %x, %w, %b {...} : tensor<8x3x224x224xf32>, ... -> tensor<8x64x112x112xf32>
    // becomes
    %y = scf.for %i = %c0 to %c8 step %c1 iter_args(%all = %empty) -> (tensor<8x64x112x112xf32>) {
      %xi = tensor.extract_slice %x[%i, 0, 0, 0] [1, 3, 224, 224] [1, 1, 1, 1]
      %yi = nn.conv %xi, %w, %b {...} : tensor<1x3x224x224xf32>, ... -> tensor<1x64x112x112xf32>
      %ins = tensor.insert_slice %yi into %all[%i, 0, 0, 0] [1, 64, 112, 112] [1, 1, 1, 1]
      scf.yield %ins
    }
    ```

    One image's activations stay in cache from layer to layer, where the
    whole batch's would not; the price is reading each op's weights once per
    image. So the loop ends after the op where the running sum of
    N * (activation bytes per image) - (N - 1) * (weight bytes) is largest:
    early convolutions (large images, small filters) run per image, late
    ones (small images, large filters) and fully connected layers run on the
    whole batch. Nothing changes when the batch's activations fit in
    `l2-bytes`, or when that sum never becomes positive.
  }];
  let options = [
    Option<"l2Bytes", "l2-bytes", "int64_t", "1048576", "L2 cache size per core">,
  ];
  let dependentDialects = ["mlir::arith::ArithDialect", "mlir::scf::SCFDialect",
                           "mlir::tensor::TensorDialect"];
}

def NNCCPUWinogradPass : Pass<"nnc-cpu-winograd", "mlir::func::FuncOp"> {
  let summary = "Lowers stride-1 3x3 convolutions by Winograd's F(2x2, 3x3)";
  let description = [{
    Runs on the nn dialect, before lowering. An ungrouped 2-D `nn.conv` with
    a 3x3 kernel, stride and dilation 1, constant f32 weights and at least 16
    input channels and 16 filters becomes linalg on tensors that does 16
    multiplications per 2x2 output tile and channel pair instead of 36: the
    filters transformed at compile time into a constant [16, F, C]; an
    elementwise generic that transforms every 4x4 input tile (16 strided
    reads, 16 results [C, N, TY, TX]); one batched contraction [16, F, C] x
    [16, C, tiles]; an elementwise generic that transforms the products back
    and adds the bias (4 results [N, F, TY, TX]); and a copy that interleaves
    those into the image. Other convolutions are left to
    nnc-convert-nn-to-linalg.
  }];
  let dependentDialects = ["mlir::arith::ArithDialect", "mlir::linalg::LinalgDialect",
                           "mlir::tensor::TensorDialect"];
}

def NNCCPUChannelsLastPass : Pass<"nnc-cpu-channels-last", "mlir::func::FuncOp"> {
  let summary = "Runs pointwise/depthwise CNN layers on channels-last images";
  let description = [{
    Runs on the nn dialect, before lowering. A pointwise (1x1, stride-1,
    unpadded, ungrouped) convolution becomes channels-last when its GEMM runs
    transposed anyway (positions x filters: at least twice as many filters
    as positions, see nnc-convert-nn-to-linalg) or when it reads or feeds a
    depthwise convolution (MobileNet's inverted residual blocks):

    ```mlir
    %t = nn.transpose %x {perm = array<i64: 0, 2, 3, 1>}
    %wt = nn.transpose %w {perm = array<i64: 2, 3, 1, 0>}  // [kH, kW, C, F]
    %c = nn.conv %t, %wt, %b {channels_last, ...}
    %y = nn.transpose %c {perm = array<i64: 0, 3, 1, 2>}
    ```

    The transpose back sinks through what consumes it: elementwise ops
    (operands of the same rank, broadcasting or not, or scalars; an operand
    that is not channels-last is transposed instead), ungrouped and depthwise
    convolutions, and means, sums and maxima over the spatial dims (global
    pooling). The transpose in moves up through the op it reads when it is
    that op's only use (a stem convolution, its activation). Transposes that
    meet cancel, so MobileNetV2 runs channels-last from its input's transpose
    to its global pooling. Depthwise convolutions then vectorize along the
    channels, the GEMMs read their activations in place instead of packing
    them, and the copies between the two layouts are gone. Constant weights'
    transposes fold at compile time (nnc-nn-fold-constant-transposes).
  }];
}

def NNCCPUFuseElementwisePass : Pass<"nnc-cpu-fuse-elementwise", "mlir::func::FuncOp"> {
  let summary = "Fuses chains of elementwise linalg ops into one loop nest";
  let description = [{
    An elementwise producer with a single use is fused into an elementwise
    consumer (all loops parallel), so that bias + activation, GELU or the
    steps of a normalization run as one loop nest without intermediate
    buffers. Producers are not fused into contractions or reductions, where
    they would be recomputed once per reduction step. Reshapes move across
    elementwise ops so that they do not keep two of them apart. Then an
    elementwise consumer of a reshaped contraction result is collapsed to
    the contraction's shape (unless its result is padded, which it writes
    in place), so that nnc-cpu-tile can make it the contraction's epilogue.
  }];
  let dependentDialects = ["mlir::linalg::LinalgDialect"];
}

def NNCCPUSelectStrategyPass : Pass<"nnc-cpu-select-strategy", "mlir::func::FuncOp"> {
  let summary = "Chooses tiling and vectorization for each linalg op";
  let description = [{
    Writes the code generation choices for every op the CPU backend knows how
    to specialize as an `nnc.cpu_strategy` attribute (see
    include/nnc/Target/CPU/Strategy.h). Contractions (matmul, and convolutions
    lowered to a GEMM or a sliding-window GEMM) get a register tile sized to
    the vector registers and cache tiles sized to L1 and L2; other ops with
    enough work only a thread split, `{kind = "parallel", thread_tiles = ...}`:

    ```mlir
    linalg.generic {..., nnc.cpu_strategy = {kind = "contraction",
        cache_tiles = array<i64: 256, 384, 128>, cache_order = array<i64: 1, 2, 0>,
        register_tiles = array<i64: 8, 48, 0>, register_order = array<i64: 1, 0, 2>}}
    ```

    The options describe the target; nnc-compile derives them from the
    target machine's features.
  }];
  let options = [
    Option<"vectorBits", "vector-bits", "int64_t", "512", "Width of a vector register">,
    Option<"vectorRegisters", "vector-registers", "int64_t", "32", "Number of vector registers">,
    Option<"l1Bytes", "l1-bytes", "int64_t", "32768", "L1 data cache size per core">,
    Option<"l2Bytes", "l2-bytes", "int64_t", "1048576", "L2 cache size per core">,
  ];
}

def NNCCPUTilePass : Pass<"nnc-cpu-tile", "mlir::func::FuncOp"> {
  let summary = "Tiles ops by their nnc.cpu_strategy through TilingInterface";
  let description = [{
    Tiles every op that carries an `nnc.cpu_strategy` twice with
    `scf::tileUsingSCF`: by the cache tiles in the cache order, then the
    resulting tile by the register tiles in the register order. The innermost
    tile loses the strategy and is marked
    `nnc.cpu_kernel = {register_tiles = array<i64: ...>}` for vectorization.
    Tile sizes that cover a whole loop leave it untiled. The register loops
    over rows and columns are peeled: what is left over after the whole
    register tiles becomes one more tile of static size.
    A `{kind = "parallel"}` strategy only splits the op into its chunk loop
    (marked `nnc.parallel`), taking a `linalg.fill` of its result into the
    loop onto each chunk; so do the large copies that rhs packing makes. A
    window or reduction whose result starts as a fill and feeds an
    elementwise op alone (bias + activation after a depthwise convolution)
    is tiled into that op's chunk loop instead, which is marked
    `nnc.cpu_epilogue` for nnc-cpu-vectorize-elementwise.
    An elementwise op that alone consumes a contraction whose register tiles
    run over all of k from a constant (bias, activation, residual add) is
    tiled with it at every level (the contraction fused into its loops) and
    marked `nnc.cpu_epilogue`: each register tile of the result is then
    finished and consumed in registers, never stored and read back.
    A contraction that starts as a constant fill but whose k loop is split
    into cache blocks drops the fill too: the loop over k blocks is marked
    `nnc.k_blocks`, and its register tiles `first_block_init = <constant>`
    (they start at the constant in the loop's first iteration).
  }];
  let dependentDialects = ["mlir::scf::SCFDialect", "mlir::affine::AffineDialect",
                           "mlir::tensor::TensorDialect"];
}

def NNCCPUVectorizePass : Pass<"nnc-cpu-vectorize", "mlir::func::FuncOp"> {
  let summary = "Rewrites register tiles into vector code";
  let description = [{
    A contraction marked `nnc.cpu_kernel` (at most mr x nr of the result)
    becomes a register-blocked kernel: the mr result rows are held in
    vector registers of nr lanes while a loop over k loads one rhs row and
    adds, for each result row, the broadcast lhs element times that row with
    `vector.fma`. A partial column tile uses masked transfers; a row count
    known only at run time runs in whole tiles, then the rows left over as
    one shorter tile picked by `scf.index_switch`. A tile marked
    `first_block_init` starts at that constant when the enclosing
    `nnc.k_blocks` loop is at its first iteration (`scf.if`), else at the
    stored result. For a sliding-window
    contraction the loop runs over the channels and each step goes through
    the kernel offsets, each a rhs row shifted along n. When the tile's only
    user is an `nnc.cpu_epilogue` op, its body runs on the accumulators (its
    other inputs read as a vector along n, or as one broadcast element) and
    the kernel stores the epilogue's result instead.
  }];
  let dependentDialects = ["mlir::scf::SCFDialect", "mlir::vector::VectorDialect",
                           "mlir::tensor::TensorDialect", "mlir::arith::ArithDialect",
                           "mlir::LLVM::LLVMDialect"];
}

#endif // NNC_TARGET_CPU_PASSES_TD
