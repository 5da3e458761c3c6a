#include "gemm.h"

#include <algorithm>
#include <vector>

#include "simd.h"

namespace ll {

namespace {

using simd::V4f;

// One blocked product C[m,n] = A[m,k] · B[k,n] for all three Linear products:
// A and B are read through strides, so a transposed operand is just another
// stride pair, and the packing copies absorb the layout.
//
// GotoBLAS loop order: B is packed in KC×NC blocks (panels of kNr columns,
// k-major), A in MC×KC blocks (panels of kMr rows, k-major), and a kMr×kNr
// register tile of accumulators walks over them. Each C element is still a
// plain sum over k in increasing order: a K block continues from the partial
// sums stored in C by the previous one.
// 4×8 keeps the 8 accumulators, 2 B vectors and the A broadcast in registers
// under V8's allocator (x64): 4×12, 6×8 and 8×8 tiles spill there and run at
// about 60% of the speed (measured in node 20).
constexpr int64_t kMr = 4;    // rows of the register tile
constexpr int64_t kNr = 8;    // columns of the register tile (2 vectors)
constexpr int64_t kKc = 256;  // K block: a kMr×kKc and a kKc×kNr panel stay in L1
constexpr int64_t kMc = 128;  // M block: the packed A block stays in L2
constexpr int64_t kNc = 768;  // N block: the packed B block stays in L2/L3

struct Matrix {
  const float* data;
  int64_t row_stride, col_stride;
  float at(int64_t r, int64_t c) const { return data[r * row_stride + c * col_stride]; }
};

// Scratch for the packed blocks, reused across calls (no allocation per call
// once it has grown).
std::vector<float>& scratch(int which) {
  thread_local std::vector<float> buffers[2];
  return buffers[which];
}

// out[4 * p + r] = src[r * stride + p] for p, r in 0..3: four rows' next four
// values as four k-steps of a panel.
void transpose4_store(const float* src, int64_t stride, float* out) {
  const V4f r0 = simd::load4(src), r1 = simd::load4(src + stride), r2 = simd::load4(src + 2 * stride),
            r3 = simd::load4(src + 3 * stride);
  const V4f t0 = simd::zip_lo4(r0, r1), t1 = simd::zip_lo4(r2, r3);  // k-steps 0, 1
  const V4f t2 = simd::zip_hi4(r0, r1), t3 = simd::zip_hi4(r2, r3);  // k-steps 2, 3
  simd::store4(out, simd::low_halves4(t0, t1));
  simd::store4(out + 4, simd::high_halves4(t0, t1));
  simd::store4(out + 8, simd::low_halves4(t2, t3));
  simd::store4(out + 12, simd::high_halves4(t2, t3));
}

// A[i0:i0+mc, p0:p0+kc] as ceil(mc/kMr) panels; panel r holds a[p][r] at p*kMr + r, zero-padded rows.
void pack_a(const Matrix& a, int64_t i0, int64_t mc, int64_t p0, int64_t kc, float* out) {
  for (int64_t ir = 0; ir < mc; ir += kMr) {
    const int64_t rows = std::min(kMr, mc - ir);
    if (rows == kMr && a.row_stride == 1) {  // Aᵀ stored: a panel row is contiguous
      for (int64_t p = 0; p < kc; ++p) {
        const float* src = a.data + (p0 + p) * a.col_stride + i0 + ir;
        for (int64_t r = 0; r < kMr; ++r) out[p * kMr + r] = src[r];
      }
    } else if (rows == kMr && a.col_stride == 1) {  // A row-major (the forward's x): 4x4 transposes
      const float* src = a.data + (i0 + ir) * a.row_stride + p0;
      int64_t p = 0;
      for (; p + 4 <= kc; p += 4) transpose4_store(src + p, a.row_stride, out + p * kMr);
      for (; p < kc; ++p) {
        for (int64_t r = 0; r < kMr; ++r) out[p * kMr + r] = src[r * a.row_stride + p];
      }
    } else {
      for (int64_t r = 0; r < kMr; ++r) {
        if (r < rows) {
          const float* src = a.data + (i0 + ir + r) * a.row_stride + p0 * a.col_stride;
          for (int64_t p = 0; p < kc; ++p) out[p * kMr + r] = src[p * a.col_stride];
        } else {
          for (int64_t p = 0; p < kc; ++p) out[p * kMr + r] = 0.0f;
        }
      }
    }
    out += kMr * kc;
  }
}

// B[p0:p0+kc, j0:j0+nc] as ceil(nc/kNr) panels; panel c holds b[p][c] at p*kNr + c, zero-padded columns.
void pack_b(const Matrix& b, int64_t p0, int64_t kc, int64_t j0, int64_t nc, float* out) {
  for (int64_t jr = 0; jr < nc; jr += kNr) {
    const int64_t cols = std::min(kNr, nc - jr);
    if (cols == kNr && b.col_stride == 1) {  // rows of B contiguous
      for (int64_t p = 0; p < kc; ++p) {
        const float* src = b.data + (p0 + p) * b.row_stride + j0 + jr;
        for (int64_t c = 0; c < kNr; ++c) out[p * kNr + c] = src[c];
      }
    } else {
      for (int64_t c = 0; c < kNr; ++c) {
        if (c < cols) {
          const float* src = b.data + p0 * b.row_stride + (j0 + jr + c) * b.col_stride;
          for (int64_t p = 0; p < kc; ++p) out[p * kNr + c] = src[p * b.row_stride];
        } else {
          for (int64_t p = 0; p < kc; ++p) out[p * kNr + c] = 0.0f;
        }
      }
    }
    out += kNr * kc;
  }
}

// c[kMr×kNr tile] (= or +=) Σ_p a[p][r] * b[p][c] over kc, for packed panels.
// `accumulate` false starts the sums from zero (the first K block); `bias`
// (kNr values, or null) is added to the finished sums of the last K block, the
// same float additions as a pass over C after the product. The arrays are
// fully unrolled into kMr * kNr / 4 vector registers.
void micro_kernel(int kc, const float* a, const float* b, float* c, int64_t ldc, bool accumulate, const float* bias) {
  constexpr int kNv = static_cast<int>(kNr / 4);
  V4f acc[kMr][kNv];
  for (int r = 0; r < kMr; ++r) {
    for (int v = 0; v < kNv; ++v) acc[r][v] = accumulate ? simd::load4(c + r * ldc + 4 * v) : simd::splat4f(0.0f);
  }
  for (int p = 0; p < kc; ++p) {
    V4f bv[kNv];
    for (int v = 0; v < kNv; ++v) bv[v] = simd::load4(b + 4 * v);
    for (int r = 0; r < kMr; ++r) {
      const V4f av = simd::splat4f(a[r]);
      for (int v = 0; v < kNv; ++v) acc[r][v] += av * bv[v];
    }
    a += kMr;
    b += kNr;
  }
  if (bias != nullptr) {
    for (int v = 0; v < kNv; ++v) {
      const V4f bv = simd::load4(bias + 4 * v);
      for (int r = 0; r < kMr; ++r) acc[r][v] += bv;
    }
  }
  for (int r = 0; r < kMr; ++r) {
    for (int v = 0; v < kNv; ++v) simd::store4(c + r * ldc + 4 * v, acc[r][v]);
  }
}

int64_t round_up(int64_t v, int64_t to) { return (v + to - 1) / to * to; }

// B's packed blocks in the order gemm visits them: N blocks, and within each the K blocks.
void pack_b_blocks(const Matrix& b, int64_t n, int64_t k, float* out) {
  for (int64_t j0 = 0; j0 < n; j0 += kNc) {
    const int64_t nc = std::min(kNc, n - j0);
    for (int64_t p0 = 0; p0 < k; p0 += kKc) {
      const int64_t kc = std::min(kKc, k - p0);
      pack_b(b, p0, kc, j0, nc, out);
      out += round_up(nc, kNr) * kc;
    }
  }
}

// One A block times one packed B block, into C's rows i0.. and columns j0..
// `bias` (C's row of biases from column j0, or null) is added after the last K block.
void block_product(const float* ap_block, const float* bp_block, float* c, int64_t n, int64_t i0, int64_t mc,
                   int64_t j0, int64_t nc, int64_t kc, bool accumulate, const float* bias) {
  float edge[kMr * kNr];
  float edge_bias[kNr];
  for (int64_t jr = 0; jr < nc; jr += kNr) {
    const int64_t cols = std::min(kNr, nc - jr);
    const float* bp = bp_block + jr * kc;
    const float* tile_bias = bias == nullptr ? nullptr : bias + jr;
    if (tile_bias != nullptr && cols < kNr) {  // the bias of a partial tile, zero-padded
      std::fill(edge_bias, edge_bias + kNr, 0.0f);
      std::copy(tile_bias, tile_bias + cols, edge_bias);
      tile_bias = edge_bias;
    }
    for (int64_t ir = 0; ir < mc; ir += kMr) {
      const int64_t rows = std::min(kMr, mc - ir);
      const float* ap = ap_block + ir * kc;
      float* ct = c + (i0 + ir) * n + j0 + jr;
      if (rows == kMr && cols == kNr) {
        micro_kernel(static_cast<int>(kc), ap, bp, ct, n, accumulate, tile_bias);
        continue;
      }
      // Partial tile: run the full tile on a copy, write back the part inside C.
      for (int64_t r = 0; r < rows; ++r) {
        for (int64_t q = 0; q < cols; ++q) edge[r * kNr + q] = accumulate ? ct[r * n + q] : 0.0f;
      }
      micro_kernel(static_cast<int>(kc), ap, bp, edge, kNr, true, tile_bias);
      for (int64_t r = 0; r < rows; ++r) {
        for (int64_t q = 0; q < cols; ++q) ct[r * n + q] = edge[r * kNr + q];
      }
    }
  }
}

// C[m,n] (row-major, leading dimension n) = A · B (+ bias[n] on each row).
// `packed_b` is B already packed by pack_b_blocks, or null to pack it here.
void gemm(const Matrix& a, const Matrix& b, float* c, int64_t m, int64_t n, int64_t k, const float* packed_b,
          const float* bias) {
  if (m == 0 || n == 0) return;
  if (k == 0) {
    for (int64_t i = 0; i < m; ++i) {
      for (int64_t j = 0; j < n; ++j) c[i * n + j] = 0.0f + (bias != nullptr ? bias[j] : 0.0f);
    }
    return;
  }
  // Packed blocks are padded to whole panels.
  const int64_t nc_max = round_up(std::min(kNc, n), kNr);
  const int64_t mc_max = round_up(std::min(kMc, m), kMr);
  const int64_t kc_max = std::min(kKc, k);
  std::vector<float>& bbuf = scratch(0);
  std::vector<float>& abuf = scratch(1);
  if (packed_b == nullptr && bbuf.size() < static_cast<size_t>(nc_max * kc_max))
    bbuf.resize(static_cast<size_t>(nc_max * kc_max));
  if (abuf.size() < static_cast<size_t>(mc_max * kc_max)) abuf.resize(static_cast<size_t>(mc_max * kc_max));
  const float* next_packed = packed_b;
  for (int64_t j0 = 0; j0 < n; j0 += kNc) {
    const int64_t nc = std::min(kNc, n - j0);
    for (int64_t p0 = 0; p0 < k; p0 += kKc) {
      const int64_t kc = std::min(kKc, k - p0);
      const float* bp = next_packed;
      if (packed_b != nullptr) {
        next_packed += round_up(nc, kNr) * kc;
      } else {
        pack_b(b, p0, kc, j0, nc, bbuf.data());
        bp = bbuf.data();
      }
      const float* block_bias = bias != nullptr && p0 + kc == k ? bias + j0 : nullptr;
      for (int64_t i0 = 0; i0 < m; i0 += kMc) {
        const int64_t mc = std::min(kMc, m - i0);
        pack_a(a, i0, mc, p0, kc, abuf.data());
        block_product(abuf.data(), bp, c, n, i0, mc, j0, nc, kc, p0 > 0, block_bias);
      }
    }
  }
}

}  // namespace

LinearWeight pack_linear_weight(const float* weight, int64_t n, int64_t k) {
  LinearWeight packed{std::vector<float>(static_cast<size_t>(round_up(n, kNr) * k)), n, k};
  pack_b_blocks({weight, 1, k}, n, k, packed.panels.data());  // y = x · Wᵀ: B(p, j) = W[j, p]
  return packed;
}

void linear_forward(const float* x, const LinearWeight& weight, const float* bias, float* y, int64_t m) {
  const int64_t n = weight.n, k = weight.k;
  gemm({x, k, 1}, {nullptr, 1, k}, y, m, n, k, weight.panels.data(), bias);  // B is read from the panels only
}

void linear_backward_input(const float* g, const float* weight, float* dx, int64_t m, int64_t n, int64_t k) {
  gemm({g, n, 1}, {weight, k, 1}, dx, m, k, n, nullptr, nullptr);  // dx = g · W
}

void linear_backward_weight(const float* g, const float* x, float* dw, float* db, int64_t m, int64_t n, int64_t k) {
  gemm({g, 1, n}, {x, k, 1}, dw, n, k, m, nullptr, nullptr);  // dW = gᵀ · x: A(j, i) = g[i, j]
  if (db) {
    // Σ_i g[i, j] in double, row by row (the rows of g are contiguous).
    thread_local std::vector<double> sum;
    sum.assign(static_cast<size_t>(n), 0.0);
    for (int64_t i = 0; i < m; ++i) {
      for (int64_t j = 0; j < n; ++j) sum[static_cast<size_t>(j)] += g[i * n + j];
    }
    for (int64_t j = 0; j < n; ++j) db[j] = static_cast<float>(sum[static_cast<size_t>(j)]);
  }
}

}  // namespace ll
