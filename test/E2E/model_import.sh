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
echo "model import: $count models, $([ $status -eq 0 ] && echo all passed || echo FAILURES)"
exit $status
