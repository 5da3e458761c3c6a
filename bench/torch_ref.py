#!/usr/bin/python3
"""PyTorch 1.13 timings of the native benchmark's workloads (single thread,
float32, CPU), median of 20 runs after warm-up, in ms. Run with Debian's
python3-torch: /usr/bin/python3 bench/torch_ref.py"""
import statistics
import time

import torch
import torch.nn as nn

torch.set_num_threads(1)
torch.manual_seed(0)


def median_ms(fn, iters=20, warmup=3):
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(iters):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1e3)
    return statistics.median(times)


def main():
    img = torch.rand(1, 64, 112, 112) * 2 - 1
    rows = []
    with torch.no_grad():
        pool = nn.MaxPool2d(3, 2, 1, return_indices=True)
        rows.append(("MaxPool2d_Forward", median_ms(lambda: pool(img))))
    x = img.clone().requires_grad_(True)
    y, _ = nn.MaxPool2d(3, 2, 1, return_indices=True)(x)
    g = torch.rand_like(y)
    rows.append(("MaxPool2d_Backward",
                 median_ms(lambda: torch.autograd.grad(y, x, g, retain_graph=True))))
    with torch.no_grad():
        a = torch.rand(1, 64, 56, 56)
        rows.append(("AvgPool2d_Forward", median_ms(lambda: nn.AvgPool2d(2, 2)(a))))
        lin = nn.Linear(1024, 1024)
        xl = torch.rand(256, 1024)
        rows.append(("Linear_Forward", median_ms(lambda: lin(xl))))
    xl = torch.rand(256, 1024, requires_grad=True)
    lin = nn.Linear(1024, 1024)
    yl = lin(xl)
    gl = torch.rand_like(yl)
    rows.append(("Linear_Backward",
                 median_ms(lambda: torch.autograd.grad(yl, [xl, lin.weight, lin.bias], gl, retain_graph=True))))
    with torch.no_grad():
        for name, m in [("ReLU", nn.ReLU()), ("Sigmoid", nn.Sigmoid()), ("Tanh", nn.Tanh()),
                        ("LeakyReLU", nn.LeakyReLU(0.01)), ("PReLU64", nn.PReLU(64))]:
            rows.append((f"Activation/{name}", median_ms(lambda m=m: m(img))))
        yp, idx = nn.MaxPool2d(3, 2, 1, return_indices=True)(img)
        un = nn.MaxUnpool2d(3, 2, 1)
        rows.append(("MaxUnpool2d_Forward", median_ms(lambda: un(yp, idx, output_size=[112, 112]))))
    print(f"torch {torch.__version__}, 1 thread")
    for name, ms in rows:
        print(f"{name:24s} {ms:9.3f} ms")


if __name__ == "__main__":
    main()
