// kernels/simd.h — four-lane float/int32 vectors for the kernels, one source for
// x86-64 (g++, SSE2 baseline) and wasm32 (clang, -msimd128).
//
// Built on GCC/Clang vector extensions, which both compilers lower to SSE2 or
// SIMD128 instructions. Every operation here is exact IEEE arithmetic lane by
// lane (no reassociation, no fused multiply-add), so a vector loop gives the
// same bits as the scalar loop it replaces.
//
//   V4f, V4i             four floats, four int32 (comparisons of V4f give V4i masks)
//   load4 / store4       unaligned, alias-safe memory access
//   splat4f / splat4i    the same value in every lane
//   select4              mask ? a : b, lane by lane
//   even4 / odd4         lanes 0,2,4,6 / 1,3,5,7 of the pair (a, b): stride-2 deinterleave
//   shift4_1             lanes 1,2,3 of a then lane 0 of b
//   min4 / max4          b < a ? b : a / a < b ? b : a: one instruction, a NaN in a is kept
//   max4i                the larger int32, lane by lane
//   bits4                lane i's mask bit as bit i of an int
//   bits16               the same for four masks, lane i of m[j] as bit 4j + i
//   keep4                a constant held in a register across a loop (see below)
#pragma once

#include <cstdint>
#include <cstring>

namespace ll {
namespace simd {

typedef float V4f __attribute__((vector_size(16)));
typedef int32_t V4i __attribute__((vector_size(16)));

#if defined(__clang__)
#define LL_SHUFFLE4(a, b, i0, i1, i2, i3) __builtin_shufflevector((a), (b), i0, i1, i2, i3)
#else
#define LL_SHUFFLE4(a, b, i0, i1, i2, i3) __builtin_shuffle((a), (b), V4i{i0, i1, i2, i3})
#endif

inline V4f load4(const float* p) {
  V4f v;
  std::memcpy(&v, p, sizeof v);
  return v;
}
inline void store4(float* p, V4f v) { std::memcpy(p, &v, sizeof v); }
inline V4i load4(const int32_t* p) {
  V4i v;
  std::memcpy(&v, p, sizeof v);
  return v;
}
inline void store4(int32_t* p, V4i v) { std::memcpy(p, &v, sizeof v); }

inline V4f splat4f(float x) { return V4f{x, x, x, x}; }
inline V4i splat4i(int32_t x) { return V4i{x, x, x, x}; }

inline V4f select4(V4i mask, V4f a, V4f b) {
  return reinterpret_cast<V4f>((mask & reinterpret_cast<V4i>(a)) | (~mask & reinterpret_cast<V4i>(b)));
}
inline V4i select4(V4i mask, V4i a, V4i b) { return (mask & a) | (~mask & b); }

inline V4f even4(V4f a, V4f b) { return LL_SHUFFLE4(a, b, 0, 2, 4, 6); }
inline V4f odd4(V4f a, V4f b) { return LL_SHUFFLE4(a, b, 1, 3, 5, 7); }
inline V4f shift4_1(V4f a, V4f b) { return LL_SHUFFLE4(a, b, 1, 2, 3, 4); }
inline V4f zip_lo4(V4f a, V4f b) { return LL_SHUFFLE4(a, b, 0, 4, 1, 5); }     // a0 b0 a1 b1
inline V4f zip_hi4(V4f a, V4f b) { return LL_SHUFFLE4(a, b, 2, 6, 3, 7); }     // a2 b2 a3 b3
inline V4f low_halves4(V4f a, V4f b) { return LL_SHUFFLE4(a, b, 0, 1, 4, 5); }  // a0 a1 b0 b1
inline V4f high_halves4(V4f a, V4f b) { return LL_SHUFFLE4(a, b, 2, 3, 6, 7); } // a2 a3 b2 b3

// f32x4.pmin/pmax in WebAssembly; minps/maxps (which return their second
// operand on NaN) with the operands swapped on x86.
inline V4f min4(V4f a, V4f b) {
#if defined(__wasm_simd128__)
  return __builtin_wasm_pmin_f32x4(a, b);
#elif defined(__SSE__)
  return __builtin_ia32_minps(b, a);
#else
  return select4(b < a, b, a);
#endif
}
inline V4f max4(V4f a, V4f b) {
#if defined(__wasm_simd128__)
  return __builtin_wasm_pmax_f32x4(a, b);
#elif defined(__SSE__)
  return __builtin_ia32_maxps(b, a);
#else
  return select4(a < b, b, a);
#endif
}

inline V4i max4i(V4i a, V4i b) {
#if defined(__wasm_simd128__)
  return __builtin_wasm_max_s_i32x4(a, b);
#else
  return select4(a > b, a, b);
#endif
}

inline int bits4(V4i mask) {
#if defined(__wasm_simd128__)
  return __builtin_wasm_bitmask_i32x4(mask);
#elif defined(__SSE__)
  return __builtin_ia32_movmskps(reinterpret_cast<V4f>(mask));
#else
  return (mask[0] & 1) | (mask[1] & 2) | (mask[2] & 4) | (mask[3] & 8);
#endif
}

// Packing the masks to bytes first takes one bitmask instruction for 16
// lanes, where four bits4 would take four and the shifts to join them.
inline int bits16(V4i m0, V4i m1, V4i m2, V4i m3) {
#if defined(__wasm_simd128__)
  typedef int16_t V8s __attribute__((vector_size(16)));
  typedef int8_t V16c __attribute__((vector_size(16)));
  const V8s lo = __builtin_wasm_narrow_s_i16x8_i32x4(m0, m1), hi = __builtin_wasm_narrow_s_i16x8_i32x4(m2, m3);
  const V16c bytes = __builtin_wasm_narrow_s_i8x16_i16x8(lo, hi);
  return __builtin_wasm_bitmask_i8x16(bytes);
#elif defined(__SSE2__)
  typedef short V8s __attribute__((vector_size(16)));
  const V8s lo = __builtin_ia32_packssdw128(m0, m1), hi = __builtin_ia32_packssdw128(m2, m3);
  return __builtin_ia32_pmovmskb128(__builtin_ia32_packsswb128(lo, hi));
#else
  return bits4(m0) | bits4(m1) << 4 | bits4(m2) << 8 | bits4(m3) << 12;
#endif
}

// V8 rebuilds a v128.const at every use, inside loops too (about 4
// instructions each); an empty asm makes the constant an opaque local that
// is built once where keep4 is called, so call it before the loop.
inline V4f keep4(V4f v) {
#if defined(__wasm_simd128__)
  __asm__("" : "+r"(v));
#endif
  return v;
}
inline V4f keep4(float x) { return keep4(splat4f(x)); }
inline V4i keep4(V4i v) {
#if defined(__wasm_simd128__)
  __asm__("" : "+r"(v));
#endif
  return v;
}

}  // namespace simd
}  // namespace ll
