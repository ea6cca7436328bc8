#!/usr/bin/env python3
"""Summarizes the samples of a JFR recording: by thread, by top frame, and by method anywhere on the stack.

    jfr print --events jdk.ExecutionSample --stack-depth 64 rec.jfr > java.txt
    jfr print --events jdk.NativeMethodSample --stack-depth 64 rec.jfr > native.txt
    benchmarks/jfr-summary.py java.txt native.txt

Java samples (jdk.ExecutionSample) leave out threads inside native code, such as a socket write; the
native samples count those. Thread names lose a trailing -<number>, so a pool's threads count together.
"""
import collections
import re
import sys

INCLUSIVE_FILTER = ("sseline", "jetty", "nio", "Socket")


def samples(path):
    with open(path) as f:
        text = f.read()
    for block in text.split("\n}\n"):
        thread = re.search(r'sampledThread = "([^"]+)"', block)
        if thread:
            name = re.sub(r"-\d+$", "-N", thread.group(1))
            frames = [f.split("(")[0] for f in re.findall(r"^\s{4}(\S.*?) line:", block, re.M)]
            yield name, frames


def summarize(path, top=25, inclusive=60):
    threads, tops, anywhere = collections.Counter(), collections.Counter(), collections.Counter()
    count = 0
    for thread, frames in samples(path):
        count += 1
        threads[thread] += 1
        if frames:
            tops[frames[0]] += 1
        for method in set(frames):
            anywhere[method] += 1
    print(f"== {path}: {count} samples")
    for name, n in threads.most_common(10):
        print(f"  thread    {n:5d} {name}")
    for name, n in tops.most_common(top):
        print(f"  top       {n:5d} {name}")
    for name, n in anywhere.most_common():
        if inclusive <= 0:
            break
        if any(s in name for s in INCLUSIVE_FILTER):
            print(f"  on stack  {n:5d} {name}")
            inclusive -= 1


if __name__ == "__main__":
    for p in sys.argv[1:]:
        summarize(p)
