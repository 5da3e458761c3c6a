// Native benchmarks of every layer at the workloads of the Core issue.
// Bytes moved (GB/s) or FLOPs (GFLOP/s) are reported as counters.
#include <benchmark/benchmark.h>

#include "core/layers/activations.h"
#include "core/layers/avg_pool2d.h"
#include "core/layers/linear.h"
#include "core/layers/max_pool2d.h"
#include "core/layers/max_unpool2d.h"
#include "core/layers/prelu.h"
#include "core/random.h"

using namespace ll;

namespace {

Tensor random_tensor(const Shape& shape, uint64_t seed) {
  Tensor t(shape);
  Rng rng(seed);
  for (float& v : t.data) v = static_cast<float>(rng.uniform(-1.0, 1.0));
  return t;
}

void set_bytes(benchmark::State& state, double bytes) {
  state.counters["GB/s"] = benchmark::Counter(bytes, benchmark::Counter::kIsIterationInvariantRate,
                                              benchmark::Counter::kIs1000);
}

const Shape kImage = {1, 64, 112, 112};

void BM_MaxPool2d_Forward(benchmark::State& state) {
  MaxPool2d pool({{3}, std::vector<int64_t>{2}, {1}, {1}, true, false});
  const Tensor x = random_tensor(kImage, 1);
  for (auto _ : state) benchmark::DoNotOptimize(pool.forward(x));
  set_bytes(state, 4.0 * x.numel() + 12.0 * 64 * 56 * 56);
}

// forward(shared_ptr) with nobody asking for the argmax: the values-only scan.
void BM_MaxPool2d_ForwardValues(benchmark::State& state) {
  MaxPool2d pool({{3}, std::vector<int64_t>{2}, {1}, {1}, false, false});
  const auto x = std::make_shared<const Tensor>(random_tensor(kImage, 1));
  for (auto _ : state) benchmark::DoNotOptimize(pool.forward(x));
  set_bytes(state, 4.0 * x->numel() + 4.0 * 64 * 56 * 56);
}

void BM_MaxPool2d_Backward(benchmark::State& state) {
  MaxPool2d pool({{3}, std::vector<int64_t>{2}, {1}, {1}, true, false});
  const Tensor y = pool.forward(random_tensor(kImage, 1));
  const Tensor g = random_tensor(y.shape, 2);
  for (auto _ : state) benchmark::DoNotOptimize(pool.backward(g));
  set_bytes(state, 4.0 * shape_numel(kImage) + 12.0 * g.numel());
}

void BM_AvgPool2d_Forward(benchmark::State& state) {
  AvgPool2d pool({{2}, std::vector<int64_t>{2}, {0}, false, true, std::nullopt});
  const Tensor x = random_tensor({1, 64, 56, 56}, 3);
  for (auto _ : state) benchmark::DoNotOptimize(pool.forward(x));
  set_bytes(state, 4.0 * x.numel() * 1.25);
}

void BM_AvgPool2d_Backward(benchmark::State& state) {
  AvgPool2d pool({{2}, std::vector<int64_t>{2}, {0}, false, true, std::nullopt});
  const Tensor y = pool.forward(random_tensor({1, 64, 56, 56}, 3));
  const Tensor g = random_tensor(y.shape, 4);
  for (auto _ : state) benchmark::DoNotOptimize(pool.backward(g));
  set_bytes(state, 4.0 * 64 * 56 * 56 + 4.0 * g.numel());
}

void BM_Linear_Forward(benchmark::State& state) {
  Linear lin({1024, 1024, true}, 4);
  const Tensor x = random_tensor({256, 1024}, 5);
  for (auto _ : state) benchmark::DoNotOptimize(lin.forward(x));
  state.counters["GFLOP/s"] = benchmark::Counter(2.0 * 256 * 1024 * 1024, benchmark::Counter::kIsIterationInvariantRate,
                                                 benchmark::Counter::kIs1000);
}

void BM_Linear_Backward(benchmark::State& state) {
  Linear lin({1024, 1024, true}, 4);
  const Tensor y = lin.forward(random_tensor({256, 1024}, 5));
  const Tensor g = random_tensor(y.shape, 6);
  for (auto _ : state) benchmark::DoNotOptimize(lin.backward(g));
  state.counters["GFLOP/s"] = benchmark::Counter(4.0 * 256 * 1024 * 1024, benchmark::Counter::kIsIterationInvariantRate,
                                                 benchmark::Counter::kIs1000);
}

template <typename Layer>
void BM_Activation(benchmark::State& state, Layer layer) {
  const Tensor x = random_tensor(kImage, 7);
  for (auto _ : state) benchmark::DoNotOptimize(layer.forward(x));
  set_bytes(state, 8.0 * x.numel());
}

template <typename Layer>
void BM_ActivationBackward(benchmark::State& state, Layer layer) {
  const Tensor g = random_tensor(kImage, 8);
  layer.forward(random_tensor(kImage, 7));
  for (auto _ : state) benchmark::DoNotOptimize(layer.backward(g));
  set_bytes(state, 8.0 * g.numel());
}

void BM_MaxUnpool2d_Forward(benchmark::State& state) {
  MaxPool2d pool({{3}, std::vector<int64_t>{2}, {1}, {1}, true, false});
  const Tensor y = pool.forward(random_tensor(kImage, 8));
  MaxUnpool2d unpool({{3}, std::vector<int64_t>{2}, {1}});
  const IndexTensor idx = pool.indices();
  const IntList size{112, 112};
  for (auto _ : state) benchmark::DoNotOptimize(unpool.forward(y, idx, size));
  set_bytes(state, 12.0 * y.numel() + 4.0 * shape_numel(kImage));
}

}  // namespace

BENCHMARK(BM_MaxPool2d_Forward)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_MaxPool2d_ForwardValues)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_MaxPool2d_Backward)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_AvgPool2d_Forward)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_AvgPool2d_Backward)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Linear_Forward)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Linear_Backward)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_Activation, ReLU, ReLU())->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_Activation, Sigmoid, Sigmoid())->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_Activation, Tanh, Tanh())->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_Activation, LeakyReLU, LeakyReLU(0.01))->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_Activation, PReLU64, PReLU({64, 0.25}))->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_ActivationBackward, ReLU, ReLU())->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_ActivationBackward, Sigmoid, Sigmoid())->Unit(benchmark::kMillisecond);
BENCHMARK(BM_MaxUnpool2d_Forward)->Unit(benchmark::kMillisecond);

BENCHMARK_MAIN();
