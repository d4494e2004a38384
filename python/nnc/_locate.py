"""Where the nnc tools and the runtime library are.

NNC_BIN_DIR (folder of nnc-compile) and NNC_RUNTIME_LIB (path of libnnc_rt.so) override the
defaults: the tools on PATH, else the repository's build/release tree next to this package.
"""

import os
import shutil

_REPO_BUILD = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))), "build", "release")


def bin_dir():
    if os.environ.get("NNC_BIN_DIR"):
        return os.environ["NNC_BIN_DIR"]
    on_path = shutil.which("nnc-compile")
    if on_path:
        return os.path.dirname(on_path)
    return os.path.join(_REPO_BUILD, "bin")


def runtime_library():
    if os.environ.get("NNC_RUNTIME_LIB"):
        return os.environ["NNC_RUNTIME_LIB"]
    return os.path.join(os.path.dirname(bin_dir()), "lib", "libnnc_rt.so")
