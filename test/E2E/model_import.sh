#!/usr/bin/env bash
# Exports the test models (MLP, LeNet, ResNet-18, MobileNetV2, BERT-like encoder,
# LSTM classifier; opsets 13 and 17) with Debian's torch, plus the bundled digits
# example, and checks that every one imports into verified nn IR.
# Usage: model_import.sh NNC_COMPILE TORCH_PYTHON WORK_DIR
set -euo pipefail
nnc_compile=$1 torch_python=$2 work=$3
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)

mkdir -p "$work"
"$torch_python" "$repo/scripts/export_test_models.py" --out-dir "$work" --opsets 13 17 >/dev/null
"$torch_python" "$repo/scripts/export_test_models.py" --out-dir "$work" --opsets 17 \
  --models resnet18 mobilenetv2 --batch 8 >/dev/null

status=0 count=0
for model in "$work"/*.onnx "$repo/examples/digits/digits.onnx"; do
  count=$((count + 1))
  if "$nnc_compile" "$model" --emit=nn -o /dev/null; then
    echo "PASS $(basename "$model")"
  else
    echo "FAIL $(basename "$model")"
    status=1
  fi
done
# The same model with its weights as external data (memory-mapped by the importer)
# must give the same IR, weights included; only the blobs' alignment headers (the
# first 8 hex digits of each) may differ, since a mapping is aligned differently.
"$torch_python" - "$work/resnet18_opset17.onnx" "$work/external" <<'PY'
import os, sys
import onnx
model = onnx.load(sys.argv[1])
os.makedirs(sys.argv[2], exist_ok=True)
onnx.save_model(model, os.path.join(sys.argv[2], "resnet18.onnx"), save_as_external_data=True,
                all_tensors_to_one_file=True, location="weights.bin", size_threshold=1024)
PY
count=$((count + 1))
"$nnc_compile" "$work/resnet18_opset17.onnx" -o "$work/embedded.mlir"
if "$nnc_compile" "$work/external/resnet18.onnx" -o "$work/external.mlir" &&
   cmp -s <(sed -E 's/"0x[0-9A-F]{8}/"0x/' "$work/embedded.mlir") \
          <(sed -E 's/"0x[0-9A-F]{8}/"0x/' "$work/external.mlir"); then
  echo "PASS resnet18 with external data (same IR as embedded)"
else
  echo "FAIL resnet18 with external data"
  status=1
fi
echo "model import: $count models, $([ $status -eq 0 ] && echo all passed || echo FAILURES)"
exit $status
