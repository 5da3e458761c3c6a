// npy.h — NumPy .npy files in and out (format versions 1.0, 2.0, 3.0).
//
//   NpyArray      shape + float32 values read from a file
//   NpyLimits     the caller's caps on what a file may hold
//   npy_read      bytes -> NpyArray, any numeric dtype as float32; throws ll::Error
//   npy_write     Tensor -> bytes, '<f4', version 1.0, as numpy.save writes it
//   npy_write_i64 IndexTensor -> bytes, '<i8' (argmax indices)
//
// Bytes in, bytes out: the platform layer reads and writes the files. Every
// error names the file and the rule ("x.npy: fortran_order=True is not
// supported (save with np.ascontiguousarray)"). Only C order, little-endian
// (or byte-sized) dtypes and 1-4 dimensions are read.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "tensor.h"

namespace ll {

struct NpyArray {
  Shape shape;                // 1 to 4 dimensions
  std::vector<float> data;    // row-major, converted to float32 as torch.from_numpy(a).float() does
  std::string dtype;          // the file's descr, e.g. "<f8"
};

struct NpyLimits {
  int64_t max_elements = int64_t{1} << 24;  // total element count
  int64_t max_dim = int64_t{1} << 16;       // each dimension
};

NpyArray npy_read(std::string_view bytes, std::string_view file_name, const NpyLimits& limits = {});
std::string npy_write(const Tensor& t);         // '<f4', C order
std::string npy_write_i64(const IndexTensor& t);  // '<i8', C order

}  // namespace ll
