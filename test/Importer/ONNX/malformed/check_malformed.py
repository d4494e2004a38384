#!/usr/bin/env python3
"""Checks that nnc-compile rejects every malformed ONNX input of make_corpus.py cleanly.

Why: a compiler that reads untrusted model files must fail on a bad one in the one documented
way (exit status 1 and a diagnostic on stderr that names the file and says what is wrong), not
crash, hang, accept it, or read files outside the model's folder. This script writes the corpus
into the work directory, compiles each case with `--emit=nn -o /dev/null`, and requires of each:
  - it finishes within the time limit (30 s by default),
  - it exits with status exactly 1 (not 0, not a signal, not another status),
  - stderr names the model file (its base name occurs in it),
  - stderr contains every pattern of the case (make_corpus.py explains the patterns). Before
    the patterns are matched, each occurrence of the case's name (which the file and folder
    names contain) is blanked out of stderr, so that a path alone cannot satisfy a pattern.
It prints one line per failing case, then `malformed onnx inputs: PASS <p> / <n>`.
Exit status: 0 if every case passes, 1 if one fails, 2 on a usage error.
"""

import argparse
import concurrent.futures
import os
import re
import signal
import subprocess
import sys

import make_corpus


def parse_args():
    parser = argparse.ArgumentParser(
        description="Write the malformed-ONNX corpus into --work and check that nnc-compile "
                    "rejects every case with exit status 1 and the expected diagnostic.",
        epilog="Exit status: 0 if every case passes, 1 if one fails, 2 on a usage error.")
    parser.add_argument("--nnc-compile", required=True, metavar="PATH",
                        help="the nnc-compile binary to test")
    parser.add_argument("--work", required=True, metavar="DIR",
                        help="directory to write the corpus into (one subdirectory per case, "
                             "replaced if present)")
    parser.add_argument("--jobs", "-j", type=int, default=2, metavar="N",
                        help="cases to compile in parallel (default: %(default)s)")
    parser.add_argument("--timeout", type=float, default=30, metavar="SECONDS",
                        help="time limit for one compile (default: %(default)s)")
    parser.add_argument("-v", "--verbose", action="store_true",
                        help="also print passing cases, and the command line and the whole "
                             "stderr of failing ones")
    args = parser.parse_args()
    if args.jobs < 1:
        parser.error("--jobs must be at least 1")
    if not (os.path.isfile(args.nnc_compile) and os.access(args.nnc_compile, os.X_OK)):
        parser.error(f"--nnc-compile {args.nnc_compile}: not an executable file")
    return args


def problems(case, returncode, stderr):
    """What is wrong with how nnc-compile handled `case` (an empty list if nothing is)."""
    if returncode is None:
        return ["timed out"]
    if returncode < 0:
        return [f"killed by {signal.Signals(-returncode).name}"]
    if returncode != 1:
        return [f"exit status {returncode}, expected 1"]
    found = []
    if os.path.basename(case.model) not in stderr:
        found.append(f"stderr does not name the model file {os.path.basename(case.model)}")
    text = re.sub(re.escape(case.name), "<case>", stderr, flags=re.IGNORECASE).lower()
    for pattern in case.expect:
        if not any(alternative.lower() in text for alternative in pattern.split("|")):
            found.append(f"stderr lacks {pattern!r}")
    return found


def run_case(nnc_compile, case, timeout):
    """Compiles one case: (command, returncode or None on a timeout, stderr)."""
    command = [nnc_compile, case.model, "-o", os.devnull, "--emit=nn"]
    try:
        result = subprocess.run(command, capture_output=True, text=True, errors="replace",
                                timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        return command, None, ""
    return command, result.returncode, result.stderr


def main():
    args = parse_args()
    cases = make_corpus.generate(args.work)
    with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
        results = list(pool.map(lambda c: run_case(args.nnc_compile, c, args.timeout), cases))

    passed = 0
    for case, (command, returncode, stderr) in zip(cases, results):
        found = problems(case, returncode, stderr)
        if not found:
            passed += 1
            if args.verbose:
                print(f"PASS {case.name}")
            continue
        first_line = next((line.strip() for line in stderr.splitlines() if line.strip()),
                          "(no stderr)")
        print(f"FAIL {case.name}: {'; '.join(found)} -- stderr: {first_line}")
        if args.verbose:
            print(f"  checks: {case.checks}")
            print("  command: " + subprocess.list2cmdline(command))
            print("".join(f"  | {line}\n" for line in stderr.splitlines()), end="")

    print(f"malformed onnx inputs: PASS {passed} / {len(cases)}")
    return 0 if passed == len(cases) else 1


if __name__ == "__main__":
    sys.exit(main())
