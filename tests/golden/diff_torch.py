#!/usr/bin/python3
"""Differential check against real PyTorch 1.13 on fresh random specs (not committed
fixtures): every layer, parameters drawn broadly (valid and invalid), through
build/native/layerlab-cli in one batch. Needs Debian's python3-torch; not part of
scripts/test (tests never need torch).

    /usr/bin/python3 tests/golden/diff_torch.py [COUNT_PER_LAYER] [SEED] [LAYER,LAYER,...]
"""
import inspect
import json
import math
import os
import random
import subprocess
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import generate as g  # noqa: E402  (run_spec: the reference interpreter of a spec)

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
CLI = os.path.join(ROOT, "build", "native", "layerlab-cli")


def rand_tensor(rng, shape, special=0.1):
    data = []
    for _ in range(math.prod(shape)):
        u = rng.random()
        if u < special / 4:
            data.append(rng.choice(["NaN", "Infinity", "-Infinity", 0.0, -0.0]))
        elif u < special:
            data.append(float(rng.randint(-2, 2)))  # ties
        else:
            data.append(g.enc_float(torch.tensor(rng.gauss(0, 2)).float().item()))
    return {"shape": list(shape), "data": data}


def int_or_pair(rng, lo, hi):
    if rng.random() < 0.35:
        return [rng.randint(lo, hi), rng.randint(lo, hi)]
    return rng.randint(lo, hi)


def pool_params(rng, layer):
    p = {"kernel_size": int_or_pair(rng, 0 if rng.random() < 0.05 else 1, 5)}
    if rng.random() < 0.7:
        p["stride"] = None if rng.random() < 0.1 else int_or_pair(rng, 0 if rng.random() < 0.05 else 1, 4)
    if rng.random() < 0.7:
        p["padding"] = int_or_pair(rng, -1 if rng.random() < 0.05 else 0, 3)
    if layer == "MaxPool2d":
        if rng.random() < 0.5:
            p["dilation"] = int_or_pair(rng, 1, 3)
        p["ceil_mode"] = rng.random() < 0.5
        p["return_indices"] = rng.random() < 0.6
    if layer == "AvgPool2d":
        p["ceil_mode"] = rng.random() < 0.5
        p["count_include_pad"] = rng.random() < 0.5
        if rng.random() < 0.3:
            p["divisor_override"] = rng.choice([None, 1, 2, 3, 7, -2, 0])
    return p


def pool_shape(rng):
    hw = [rng.randint(1, 11), rng.randint(1, 11)]
    return [rng.randint(1, 3)] + hw if rng.random() < 0.3 else [rng.randint(0 if rng.random() < 0.05 else 1, 2), rng.randint(1, 3)] + hw


def with_grad(rng, spec):
    res = g.run_spec(spec)
    if "error" not in res and rng.random() < 0.7:
        shape = res["output"]["shape"]
        if rng.random() < 0.05:
            shape = shape + [1]
        spec = dict(spec, grad_output=rand_tensor(rng, shape, 0.0))
    return spec


def make(rng, layer):
    if layer in g.MODULES:  # the pooling and linear modules: generate.py's module_spec draws them
        return g.module_spec(rng, layer)
    if layer in ("MaxPool2d", "AvgPool2d"):
        return with_grad(rng, {"layer": layer, "params": pool_params(rng, layer), "input": rand_tensor(rng, pool_shape(rng))})
    if layer == "MaxUnpool2d":
        k = rng.randint(1, 4)
        s = rng.randint(1, 3)
        p = rng.randint(0, k // 2)
        shape = pool_shape(rng)
        pool = {"layer": "MaxPool2d", "params": {"kernel_size": k, "stride": s, "padding": p, "return_indices": True},
                "input": rand_tensor(rng, shape, 0.0)}
        res = g.run_spec(pool)
        if "error" in res:
            return pool
        params = {"kernel_size": k, "stride": s, "padding": p}
        spec = {"layer": layer, "params": params, "input": rand_tensor(rng, res["output"]["shape"]),
                "indices": res["indices"]}
        if rng.random() < 0.4:
            spec["output_size"] = shape[-2:] if rng.random() < 0.7 else [rng.randint(1, 14), rng.randint(1, 14)]
        if rng.random() < 0.05 and spec["indices"]["data"]:
            spec["indices"]["data"][0] = rng.choice([-1, 10 ** 6])
        return with_grad(rng, spec)
    if layer == "Linear":
        i, o = rng.randint(1, 9), rng.randint(1, 9)
        bias = rng.random() < 0.7
        lead = [rng.randint(1, 4) for _ in range(rng.randint(0, 3))]
        spec = {"layer": layer, "params": {"in_features": i, "out_features": o, "bias": bias},
                "weight": rand_tensor(rng, [o, i], 0.0), "input": rand_tensor(rng, lead + [i if rng.random() > 0.05 else i + 1], 0.05)}
        if bias:
            spec["bias"] = rand_tensor(rng, [o], 0.0)
        return with_grad(rng, spec)
    if layer in g.DIMWISE:
        return with_grad(rng, dimwise_spec(rng, layer))
    shape = [rng.randint(0 if rng.random() < 0.05 else 1, 4) for _ in range(rng.randint(0, 4))]
    if layer in g.ELEMENTWISE and rng.random() < 0.2:
        shape = [rng.randint(1, 5), rng.randint(8, 40)]  # long enough for ATen's vectorized loop
    spec = {"layer": layer, "input": rand_tensor(rng, shape, 0.3)}
    if layer in g.ELEMENTWISE:
        params = ACTIVATION_PARAMS.get(layer, lambda rng: {})(rng)
        if "inplace" in inspect.signature(getattr(torch.nn, layer)).parameters and rng.random() < 0.3:
            params["inplace"] = rng.random() < 0.5
        spec["params"] = params
        kinks = activation_kinks(params)
        for i in range(len(spec["input"]["data"])):
            if rng.random() < 0.25:  # the kinks and their float32 neighbours
                spec["input"]["data"][i] = g.enc_float(rng.choice(g.f32_beside(rng.choice(kinks))))
    if layer == "LeakyReLU":
        spec["params"] = {"negative_slope": rng.choice([0.01, 0.2, -0.5, 0.0, 1.5, rng.uniform(-2, 2)])}
    if layer == "PReLU":
        c = shape[1] if len(shape) >= 2 else 1
        n = c if rng.random() < 0.6 else rng.choice([1, 1, 2, 3])
        spec["params"] = {"num_parameters": n, "init": rng.choice([0.25, -0.1, 0.5])}
        if rng.random() < 0.5:
            spec["weight"] = rand_tensor(rng, [n], 0.0)
    if layer == "RReLU":
        lo, hi = sorted([rng.uniform(0, 0.5), rng.uniform(0, 0.5)])
        if rng.random() < 0.1:
            lo, hi = hi + 0.1, lo
        spec["params"] = {"lower": lo, "upper": hi}
        if rng.random() < 0.5:
            spec["training"] = True
            spec["seed"] = rng.randint(0, 99)
            spec = g.rrelu_train_spec(spec["params"], spec["input"], spec["seed"]) if lo <= hi else spec
    return with_grad(rng, spec)


def pick(rng, *choices):
    return rng.choice(choices)


# Keyword values for the element-wise activations beyond the seed that take any:
# defaults, edge values, random ones, and some PyTorch rejects (an activation
# without keywords needs no entry).
ACTIVATION_PARAMS = {
    "ELU": lambda rng: {"alpha": pick(rng, 1.0, 0.5, 2.0, 0.0, -1.0, rng.uniform(-3, 3))},
    "CELU": lambda rng: {"alpha": pick(rng, 1.0, 0.5, 2.0, 0.0, -1.0, 1e-3, rng.uniform(-3, 3))},
    "GELU": lambda rng: {"approximate": pick(rng, "none", "tanh", "tanh", "none", "bogus")},
    "Softplus": lambda rng: {"beta": pick(rng, 1, 2, 0.5, -1.0, 0, rng.uniform(-3, 3)),
                             "threshold": pick(rng, 20, 1, 0, 5.0, -1.0, rng.uniform(-5, 40))},
    "Softshrink": lambda rng: {"lambd": pick(rng, 0.5, 0, 1.5, -0.5, rng.uniform(-0.5, 3))},
    "Hardshrink": lambda rng: {"lambd": pick(rng, 0.5, 0, 2.0, -1.0, rng.uniform(-1, 3))},
    "Hardtanh": lambda rng: pick(rng, {}, {"min_val": -2.0, "max_val": 2.0}, {"min_val": 1.0, "max_val": 1.0},
                                 {"min_val": rng.uniform(-3, 1), "max_val": rng.uniform(-1, 3)},
                                 {"min_value": rng.uniform(-3, 1), "max_value": rng.uniform(-1, 3)},
                                 {"min_val": 0.5, "min_value": -0.5}),
    "Threshold": lambda rng: pick(rng, {"threshold": rng.uniform(-3, 3), "value": rng.uniform(-5, 5)},
                                  {"threshold": 0.0, "value": 0.0}, {"threshold": 1.0, "value": 20.0},
                                  {"threshold": 0.5}),
}


def activation_kinks(params):
    points = [0.0, 3.0, -3.0, 1.0, -1.0, 6.0, 20.0, -20.0, 0.5, -0.5]
    for k in ("lambd", "min_val", "max_val", "min_value", "max_value", "threshold"):
        if isinstance(params.get(k), (int, float)):
            points += [params[k], -params[k]]
    if isinstance(params.get("beta"), (int, float)) and params["beta"] and isinstance(params.get("threshold"), (int, float)):
        points.append(params["threshold"] / params["beta"])
    return points


def dimwise_spec(rng, layer):
    """Softmax, Softmin, LogSoftmax (dim, None, out of range), Softmax2d (3-D/4-D
    and others), GLU (even and odd sizes): inputs with the non-finite values and
    ties, and now and then +-1e4 or a long slice for ATen's vectorized loops."""
    nd = rng.choice([0, 1, 2, 3, 3, 4, 4]) if layer != "Softmax2d" else rng.choice([2, 3, 3, 4, 4, 5])
    even = layer == "GLU" and rng.random() < 0.8
    shape = [rng.randint(0 if rng.random() < 0.04 else 1, 4) * (2 if even else 1) for _ in range(nd)]
    if nd and rng.random() < 0.15:
        shape[rng.randrange(nd)] = rng.randint(8, 40) * (2 if even else 1)
    spec = {"layer": layer, "input": rand_tensor(rng, shape, 0.15)}
    for i in range(len(spec["input"]["data"])):
        if rng.random() < 0.03:
            spec["input"]["data"][i] = rng.choice([1e4, -1e4, 1e30])
    span = max(nd, 1)
    if layer == "GLU":
        spec["params"] = {} if rng.random() < 0.2 else {"dim": rng.randint(-span - 1, span)}
    elif layer != "Softmax2d":
        r = rng.random()
        spec["params"] = {} if r < 0.15 else {"dim": None} if r < 0.25 else {"dim": rng.randint(-span - 1, span)}
    return spec


def value(v):
    return {"NaN": math.nan, "Infinity": math.inf, "-Infinity": -math.inf}.get(v, v) if isinstance(v, str) else float(v)


def compare(expected, actual):
    if "error" in expected or "error" in actual:
        return None if ("error" in expected) == ("error" in actual) else f"error mismatch: torch {expected.get('error')!r} vs ours {actual.get('error')!r}"
    if sorted(expected) != sorted(actual):
        return f"fields {sorted(actual)} != {sorted(expected)}"
    for k in expected:
        e, a = expected[k], actual[k]
        if e["shape"] != a["shape"]:
            return f"{k} shape {a['shape']} != {e['shape']}"
        for i, (ev, av) in enumerate(zip(e["data"], a["data"])):
            if k == "indices":
                if ev != av:
                    return f"indices[{i}] {av} != {ev}"
                continue
            b, x = value(ev), value(av)
            ok = math.isnan(x) if math.isnan(b) else (x == b if math.isinf(b) else abs(x - b) <= 1e-5 + 1e-5 * abs(b))
            if not ok:
                return f"{k}[{i}] {av} != {ev}"
    return None


def main():
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    rng = random.Random(int(sys.argv[2]) if len(sys.argv) > 2 else 1)
    specs, expected = [], []
    only = set(sys.argv[3].split(",")) if len(sys.argv) > 3 else None
    for layer in g.LAYERS:
        if layer == "BCEWithLogitsLoss" or (only and layer not in only):
            continue
        made = 0
        while made < count:
            try:
                spec = make(rng, layer)
                exp = g.run_spec(spec)
            except AssertionError:
                continue  # outside what PyTorch 1.13 defines (e.g. an all-padding max window)
            specs.append(spec)
            expected.append(exp)
            made += 1
    out = subprocess.run([CLI, "eval", "-"], input=json.dumps(specs), capture_output=True, text=True, check=True)
    results = json.loads(out.stdout)
    bad = 0
    per_layer = {}
    for spec, exp, act in zip(specs, expected, results):
        diff = compare(exp, act)
        counts = per_layer.setdefault(spec["layer"], [0, 0, 0])
        counts[0] += 1
        counts[1] += "error" in exp
        if diff:
            bad += 1
            counts[2] += 1
            if bad <= 15:
                print(f"MISMATCH {spec['layer']}: {diff}\n  spec {json.dumps(spec)[:400]}")
    for layer, (n, rejected, mismatches) in per_layer.items():
        print(f"  {layer:18s} {n:5d} specs {rejected:5d} rejected {mismatches:3d} mismatches")
    errors = sum("error" in e for e in expected)
    print(f"{len(specs)} random specs ({errors} rejected by PyTorch): {bad} mismatches")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
