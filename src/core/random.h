// random.h — a small seeded generator (SplitMix64) for parameter init,
// RReLU noise and the app's input generators. Same sequence on every platform.
#pragma once

#include <cstdint>

namespace ll {

class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed) {}

  uint64_t next_u64() {
    uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  double uniform() { return static_cast<double>(next_u64() >> 11) * 0x1.0p-53; }  // [0, 1)
  double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }      // [lo, hi)
  double normal();                                                                 // N(0, 1)

 private:
  uint64_t state_;
};

inline double Rng::normal() {
  // Box-Muller; the 1 - u keeps log() away from 0.
  const double u1 = 1.0 - uniform();
  const double u2 = uniform();
  return __builtin_sqrt(-2.0 * __builtin_log(u1)) * __builtin_cos(6.283185307179586 * u2);
}

// The seeds the app derives from its one `seed` key, named because the PyTorch code
// it writes derives them the same way (panel_code.cpp prints these constants).
inline constexpr uint64_t kLayerSeedStride = 1000003;    // the i-th Linear of a stack: seed * stride + i
inline constexpr uint64_t kDatasetSeedStride = 2654435761u;  // the train lab's points: seed * stride + offset
inline constexpr uint64_t kDatasetSeedOffset = 99;
inline constexpr uint64_t layer_seed(uint64_t seed, uint64_t i) { return seed * kLayerSeedStride + i; }
inline constexpr uint64_t dataset_seed(uint64_t seed) { return seed * kDatasetSeedStride + kDatasetSeedOffset; }

}  // namespace ll
