// libFuzzer target: every layer with parameters and shapes drawn from the
// input (small, huge, negative, NaN), forward then backward with a
// grad_output of the right or a wrong shape. Only ll::Error may come out.
#include <fuzzer/FuzzedDataProvider.h>

#include <cmath>
#include <limits>

#include "core/check.h"
#include "core/layers/activations.h"
#include "core/layers/avg_pool2d.h"
#include "core/layers/linear.h"
#include "core/layers/max_pool2d.h"
#include "core/layers/max_unpool2d.h"
#include "core/layers/prelu.h"
#include "core/layers/rrelu.h"

namespace {

// Mostly small values, sometimes extreme ones.
int64_t pick_int(FuzzedDataProvider& fdp) {
  switch (fdp.ConsumeIntegralInRange<int>(0, 9)) {
    case 0: return fdp.ConsumeIntegral<int64_t>();
    case 1: return -fdp.ConsumeIntegralInRange<int64_t>(0, 4);
    case 2: return fdp.ConsumeIntegralInRange<int64_t>(0, int64_t{1} << 40);
    default: return fdp.ConsumeIntegralInRange<int64_t>(0, 6);
  }
}

ll::IntList pick_list(FuzzedDataProvider& fdp) {
  ll::IntList v(fdp.ConsumeIntegralInRange<size_t>(1, fdp.ConsumeBool() ? 2 : 3));
  for (auto& x : v) x = pick_int(fdp);
  return v;
}

float pick_float(FuzzedDataProvider& fdp) {
  switch (fdp.ConsumeIntegralInRange<int>(0, 12)) {
    case 0: return std::numeric_limits<float>::quiet_NaN();
    case 1: return std::numeric_limits<float>::infinity();
    case 2: return -std::numeric_limits<float>::infinity();
    case 3: return 0.0f;
    case 4: return fdp.ConsumeFloatingPoint<float>();
    default: return fdp.ConsumeFloatingPointInRange<float>(-4.0f, 4.0f);
  }
}

ll::Tensor pick_tensor(FuzzedDataProvider& fdp, int min_dims, int max_dims) {
  ll::Shape shape(fdp.ConsumeIntegralInRange<size_t>(min_dims, max_dims));
  int64_t n = 1;
  for (auto& d : shape) {
    d = fdp.ConsumeIntegralInRange<int64_t>(0, 9) == 0 ? pick_int(fdp) : fdp.ConsumeIntegralInRange<int64_t>(1, 12);
    if (d < 0 || d > 64 || n * (d + 1) > 20000) d = fdp.ConsumeIntegralInRange<int64_t>(0, 3);  // keep data small
    n *= d;
  }
  ll::Tensor t(shape);
  for (float& v : t.data) v = pick_float(fdp);
  return t;
}

ll::Tensor like(FuzzedDataProvider& fdp, const ll::Tensor& y) {
  if (fdp.ConsumeIntegralInRange<int>(0, 15) == 0) return pick_tensor(fdp, 0, 4);  // usually the right shape
  ll::Tensor g(y.shape);
  for (float& v : g.data) v = pick_float(fdp);
  return g;
}

template <typename Layer>
void run(FuzzedDataProvider& fdp, Layer& layer, const ll::Tensor& x) {
  const ll::Tensor y = layer.forward(x);
  layer.backward(like(fdp, y));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  FuzzedDataProvider fdp(data, size);
  try {
    switch (fdp.ConsumeIntegralInRange<int>(0, 9)) {
      case 0: {
        ll::MaxPool2d m({pick_list(fdp), fdp.ConsumeBool() ? std::optional<ll::IntList>(pick_list(fdp)) : std::nullopt,
                         pick_list(fdp), pick_list(fdp), fdp.ConsumeBool(), fdp.ConsumeBool()});
        run(fdp, m, pick_tensor(fdp, 2, 5));
        break;
      }
      case 1: {
        std::optional<int64_t> div;
        if (fdp.ConsumeBool()) div = fdp.ConsumeBool() ? pick_int(fdp) : fdp.ConsumeIntegralInRange<int64_t>(-3, 9);
        ll::AvgPool2d m({pick_list(fdp), fdp.ConsumeBool() ? std::optional<ll::IntList>(pick_list(fdp)) : std::nullopt,
                         pick_list(fdp), fdp.ConsumeBool(), fdp.ConsumeBool(), div});
        run(fdp, m, pick_tensor(fdp, 2, 5));
        break;
      }
      case 2: {
        ll::MaxUnpool2d m({pick_list(fdp), fdp.ConsumeBool() ? std::optional<ll::IntList>(pick_list(fdp)) : std::nullopt,
                           pick_list(fdp)});
        const ll::Tensor x = pick_tensor(fdp, 2, 5);
        ll::IndexTensor idx(x.shape);
        for (auto& v : idx.data) v = fdp.ConsumeBool() ? fdp.ConsumeIntegralInRange<int64_t>(0, 30) : pick_int(fdp);
        std::optional<ll::IntList> out;
        if (fdp.ConsumeBool()) {
          out = ll::IntList(fdp.ConsumeBool() ? 2 : 4);
          for (auto& v : *out) v = fdp.ConsumeBool() ? pick_int(fdp) : fdp.ConsumeIntegralInRange<int64_t>(0, 30);
        }
        const ll::Tensor y = m.forward(x, idx, out);
        m.backward(like(fdp, y));
        break;
      }
      case 3: {
        ll::Linear m({pick_int(fdp), pick_int(fdp), fdp.ConsumeBool()}, fdp.ConsumeIntegral<uint64_t>());
        run(fdp, m, pick_tensor(fdp, 0, 4));
        break;
      }
      case 4: { ll::Sigmoid m; run(fdp, m, pick_tensor(fdp, 0, 4)); break; }
      case 5: { ll::Tanh m; run(fdp, m, pick_tensor(fdp, 0, 4)); break; }
      case 6: { ll::ReLU m; run(fdp, m, pick_tensor(fdp, 0, 4)); break; }
      case 7: { ll::LeakyReLU m(pick_float(fdp)); run(fdp, m, pick_tensor(fdp, 0, 4)); break; }
      case 8: {
        ll::PReLU m({pick_int(fdp), pick_float(fdp)});
        run(fdp, m, pick_tensor(fdp, 0, 4));
        break;
      }
      default: {
        ll::RReLU m({pick_float(fdp), pick_float(fdp)}, fdp.ConsumeIntegral<uint64_t>());
        m.train(fdp.ConsumeBool());
        run(fdp, m, pick_tensor(fdp, 0, 4));
      }
    }
  } catch (const ll::Error&) {
    // A clear rejection is the expected outcome for most inputs.
  }
  return 0;
}
