//===- SelectStrategy.cpp - attach nnc.cpu_strategy -----------------------===//

#include "nnc/Target/CPU/Passes.h"
#include "nnc/Target/CPU/Strategy.h"

namespace mlir::nnc {
#define GEN_PASS_DEF_NNCCPUSELECTSTRATEGYPASS
#include "nnc/Target/CPU/Passes.h.inc"
} // namespace mlir::nnc

using namespace mlir;
using namespace mlir::nnc;

namespace {
struct NNCCPUSelectStrategyPass final
    : nnc::impl::NNCCPUSelectStrategyPassBase<NNCCPUSelectStrategyPass> {
  using Base::Base;
  void runOnOperation() override {
    cpu::TargetDescription target{vectorBits, vectorRegisters, l1Bytes, l2Bytes};
    getOperation().walk([&](linalg::LinalgOp op) {
      if (op->hasAttr(cpu::kStrategyAttrName))
        return;
      if (auto shape = cpu::matchVectorizableContraction(op))
        op->setAttr(cpu::kStrategyAttrName,
                    cpu::toAttr(&getContext(), cpu::selectContractionStrategy(op, *shape, target)));
      else if (auto threadTiles = cpu::selectThreadTiles(op, target))
        op->setAttr(cpu::kStrategyAttrName, cpu::parallelAttr(&getContext(), *threadTiles));
    });
  }
};
} // namespace
