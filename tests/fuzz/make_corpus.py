#!/usr/bin/python3
"""Writes the fuzzers' seed corpus from the goldens: tests/fuzz/corpus/spec/<name>.json
(one small spec per file) and a JSON batch. Run after regenerating the goldens."""
import glob
import json
import os

here = os.path.dirname(os.path.abspath(__file__))
out = os.path.join(here, "corpus", "spec")
os.makedirs(out, exist_ok=True)
for old in glob.glob(os.path.join(out, "*.json")):
    os.remove(old)
count = 0
for path in sorted(glob.glob(os.path.join(here, "..", "golden", "cases", "*.json"))):
    for i, case in enumerate(json.load(open(path))):
        text = json.dumps(case["spec"], separators=(",", ":"))
        if len(text) > 1500 or i % 4:
            continue
        name = os.path.basename(path)[:-5] + "_" + "".join(c if c.isalnum() else "_" for c in case["name"])[:60]
        with open(os.path.join(out, name + ".json"), "w") as f:
            f.write(text)
        count += 1
print(f"{count} seeds in {out}")
