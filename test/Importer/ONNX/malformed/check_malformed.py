#!/usr/bin/env python3
"""Checks that nnc rejects every malformed input of make_corpus.py cleanly.

Why: a compiler and runtime that read files they did not write must fail on a bad one in the one
documented way (a fixed exit status and a diagnostic on stderr that says what is wrong), not
crash, hang, accept it, or read files outside the model's folder. This script writes the corpus
into the work directory and runs each case through its stage: importer cases with
`nnc-compile --emit=nn -o /dev/null`, compiler cases with nnc-compile and the case's options,
runtime cases with nnc-run and the case's options. It requires of each:
  - it finishes within the time limit (30 s by default),
  - it exits with exactly the tool's status for bad input (1 for nnc-compile, 2 for nnc-run;
    not 0, not a signal, not another status),
  - stderr names the model file (its base name occurs in it), unless the case says the message
    is about something else (an option, an input tensor),
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
        description="Write the malformed-input corpus into --work and check that nnc-compile "
                    "and nnc-run reject every case with their bad-input exit status and the "
                    "expected diagnostic.",
        epilog="Exit status: 0 if every case passes, 1 if one fails, 2 on a usage error.")
    parser.add_argument("--nnc-compile", required=True, metavar="PATH",
                        help="the nnc-compile binary to test")
    parser.add_argument("--nnc-run", required=True, metavar="PATH",
                        help="the nnc-run binary to test (it compiles with the nnc-compile "
                             "next to it)")
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
    for option, path in (("--nnc-compile", args.nnc_compile), ("--nnc-run", args.nnc_run)):
        if not (os.path.isfile(path) and os.access(path, os.X_OK)):
            parser.error(f"{option} {path}: not an executable file")
    return args


# The exit status each tool reserves for bad input.
EXPECTED_STATUS = {"import": 1, "compile": 1, "run": 2}


def problems(case, returncode, stderr):
    """What is wrong with how the tool handled `case` (an empty list if nothing is)."""
    if returncode is None:
        return ["timed out"]
    if returncode < 0:
        return [f"killed by {signal.Signals(-returncode).name}"]
    expected = EXPECTED_STATUS[case.stage]
    if returncode != expected:
        return [f"exit status {returncode}, expected {expected}"]
    found = []
    if case.names_model and os.path.basename(case.model) not in stderr:
        found.append(f"stderr does not name the model file {os.path.basename(case.model)}")
    text = re.sub(re.escape(case.name), "<case>", stderr, flags=re.IGNORECASE).lower()
    for pattern in case.expect:
        if not any(alternative.lower() in text for alternative in pattern.split("|")):
            found.append(f"stderr lacks {pattern!r}")
    return found


def run_case(tools, case, timeout):
    """Runs one case: (command, returncode or None on a timeout, stderr)."""
    if case.stage == "import":
        command = [tools.nnc_compile, case.model, "-o", os.devnull, "--emit=nn"]
    elif case.stage == "compile":
        command = [tools.nnc_compile, case.model, *case.args]
    else:
        command = [tools.nnc_run, case.model, *case.args]
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
        results = list(pool.map(lambda c: run_case(args, c, args.timeout), cases))

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
