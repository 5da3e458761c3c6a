#!/usr/bin/python3
"""Step 2 of the code goldens: run each state().code script under real PyTorch.

usage: run_code.py DUMP.json OUT.json   (DUMP from dump_code.mjs)

Each script gets `print(out.flatten().tolist())` appended, as CONTRACT 4b says a
student may do; its last printed line is the expected output. The gradient lab's
`grad_norms`, the train lab's `loss` and the Linear lab's `fused_rank` are kept as well. Values are written
as JSON numbers, or "NaN" / "Infinity" / "-Infinity".
"""
import contextlib
import io
import json
import math
import sys

import torch


def py_value(v):
    if math.isnan(v):
        return "NaN"
    if math.isinf(v):
        return "Infinity" if v > 0 else "-Infinity"
    return v


def main():
    dump, out = sys.argv[1], sys.argv[2]
    cases = json.load(open(dump))
    for case in cases:
        script = case["code"] + "\nprint(out.flatten().tolist())\n"
        printed = io.StringIO()
        scope = {"__name__": "__main__"}
        with contextlib.redirect_stdout(printed):
            exec(compile(script, case["hash"], "exec"), scope)
        # The gradient and train labs' own numbers, as their scripts name them.
        metrics = {k: scope[k] for k in ("grad_norms", "loss", "fused_rank") if k in scope}
        if metrics:
            case["metrics"] = metrics
        last = printed.getvalue().strip().splitlines()[-1]
        values = eval(last, {"__builtins__": {}}, {"nan": math.nan, "inf": math.inf})  # a list of floats
        case["output"] = [py_value(float(v)) for v in values]
        case["torch"] = torch.__version__
    json.dump(cases, open(out, "w"), indent=1)
    print(f"{len(cases)} scripts ran under torch {torch.__version__}")


if __name__ == "__main__":
    main()
