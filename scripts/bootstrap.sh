#!/usr/bin/env bash
# Installs every dependency nnc needs on Debian 12: the toolchain and libraries from apt, and the
# Python reference stack (onnx, onnxruntime, numpy) into a project venv at .venv/.
# Idempotent and quiet when everything is present.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

apt_packages=(
  llvm-22-dev libmlir-22-dev mlir-22-tools llvm-22-tools clang-22 lld-22 libclang-rt-22-dev
  liblld-22-dev libonnx-dev libonnx-testdata libprotobuf-dev protobuf-compiler
  googletest libgtest-dev ninja-build ccache cmake
  python3-torch python3-torchvision python3-sklearn python3-onnx python3-venv
)

missing=()
for p in "${apt_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "bootstrap: installing ${missing[*]}"
  sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" >/dev/null
fi

# Python reference stack, pinned. python3 here may be a pyenv interpreter; the venv isolates it.
venv="$repo/.venv"
pins=(onnx==1.23.2 onnxruntime==1.30.0 numpy==2.2.6 lit==18.1.8)
python=${NNC_PYTHON:-python3}
if [ ! -x "$venv/bin/python" ]; then
  "$python" -m venv "$venv"
fi
if ! "$venv/bin/python" -m pip freeze 2>/dev/null | grep -qx "onnx==1.23.2"; then
  echo "bootstrap: installing Python packages into $venv"
  "$venv/bin/python" -m pip install -q --disable-pip-version-check "${pins[@]}"
fi
