// npy.h: fixtures written by Debian's numpy (tests/unit/fixtures/make_npy.py),
// every dtype, special bit patterns, 2.0/3.0 headers, the error rules, and the
// writer compared byte for byte with numpy.save of the same values.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

#include "core/check.h"
#include "core/npy.h"

namespace {

std::string fixture(const std::string& name) {
  std::ifstream f(std::string(LL_FIXTURE_DIR) + "/npy/" + name, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  EXPECT_FALSE(ss.str().empty()) << name;
  return ss.str();
}

uint32_t bits(float f) {
  uint32_t u;
  std::memcpy(&u, &f, 4);
  return u;
}

std::string error_of(std::string_view bytes, const ll::NpyLimits& limits = {}) {
  try {
    ll::npy_read(bytes, "x.npy", limits);
  } catch (const ll::Error& e) {
    return e.what();
  }
  return "";
}

// A version 1.0 file with a hand-written header dict and raw data.
std::string handmade(const std::string& dict, const std::string& data) {
  std::string out = "\x93NUMPY\x01";
  out += '\0';
  out += static_cast<char>(dict.size() & 0xff);
  out += static_cast<char>(dict.size() >> 8);
  return out + dict + data;
}

}  // namespace

TEST(Npy, ReadsFloat32WithShape) {
  const ll::NpyArray a = ll::npy_read(fixture("f4_2x3.npy"), "f4_2x3.npy");
  EXPECT_EQ(a.shape, (ll::Shape{2, 3}));
  ASSERT_EQ(a.data.size(), 6u);
  for (int i = 0; i < 6; ++i) EXPECT_EQ(a.data[i], static_cast<float>(i) / 3.0f);
  EXPECT_EQ(a.dtype, "<f4");
}

TEST(Npy, KeepsSpecialBitPatterns) {
  const ll::NpyArray a = ll::npy_read(fixture("f4_special.npy"), "s.npy");
  ASSERT_EQ(a.data.size(), 8u);
  EXPECT_EQ(bits(a.data[0]), 0x7fc00000u);  // numpy's NaN
  EXPECT_EQ(bits(a.data[1]), 0x7f800000u);
  EXPECT_EQ(bits(a.data[2]), 0xff800000u);
  EXPECT_EQ(bits(a.data[3]), 0x80000000u);  // -0.0
  EXPECT_EQ(bits(a.data[4]), 0u);
  EXPECT_EQ(bits(a.data[5]), 1u);           // smallest subnormal
  EXPECT_EQ(bits(a.data[6]), 0x7f7fffffu);  // FLT_MAX
  EXPECT_EQ(a.data[7], -1.5f);
}

TEST(Npy, EveryDtype) {
  const ll::NpyArray f8 = ll::npy_read(fixture("f8_2x2.npy"), "f8");
  EXPECT_EQ(f8.data[0], 0.1f);
  EXPECT_EQ(f8.data[1], -2.5f);
  EXPECT_TRUE(std::isinf(f8.data[2]));  // 1e300 overflows float32, as .float() does
  EXPECT_TRUE(std::isnan(f8.data[3]));
  EXPECT_EQ(ll::npy_read(fixture("i1_4.npy"), "i1").data, (std::vector<float>{-128, -1, 0, 127}));
  EXPECT_EQ(ll::npy_read(fixture("i2_4.npy"), "i2").data, (std::vector<float>{-32768, -1, 0, 32767}));
  // 16777217 is not a float32: rounds to nearest even, 16777216.
  EXPECT_EQ(ll::npy_read(fixture("i4_4.npy"), "i4").data, (std::vector<float>{-2147483648.0f, -1, 0, 16777216}));
  EXPECT_EQ(ll::npy_read(fixture("i8_4.npy"), "i8").data,
            (std::vector<float>{-9223372036854775808.0f, -1, 0, 9007199254740992.0f}));
  EXPECT_EQ(ll::npy_read(fixture("u1_4.npy"), "u1").data, (std::vector<float>{0, 1, 128, 255}));
  EXPECT_EQ(ll::npy_read(fixture("b1_4.npy"), "b1").data, (std::vector<float>{1, 0, 0, 1}));
  EXPECT_EQ(ll::npy_read(fixture("f4_1x1x2x3.npy"), "4d").shape, (ll::Shape{1, 1, 2, 3}));
}

TEST(Npy, Versions2And3) {
  const ll::NpyArray v2 = ll::npy_read(fixture("f4_v2.npy"), "v2");
  EXPECT_EQ(v2.shape, (ll::Shape{2, 2}));
  EXPECT_EQ(bits(v2.data[1]), 0x80000000u);
  EXPECT_TRUE(std::isinf(v2.data[2]));
  EXPECT_EQ(ll::npy_read(fixture("f4_v3.npy"), "v3").data, (std::vector<float>{7, 8}));
}

TEST(Npy, HeaderDictIsParsedNotMatched) {
  const std::string data(8, '\0');
  // Any key order, odd spacing, double quotes, no trailing comma, a list for shape.
  EXPECT_EQ(ll::npy_read(handmade("{ \"shape\" : ( 2 , ) ,'fortran_order':False,'descr':'<f4'}\n", data), "a").shape,
            (ll::Shape{2}));
  EXPECT_EQ(ll::npy_read(handmade("{'descr': '|u1', 'fortran_order': False, 'shape': (2, 4), }", data), "b").shape,
            (ll::Shape{2, 4}));
  EXPECT_EQ(ll::npy_read(handmade("{'descr': '<b1', 'fortran_order': False, 'shape': (8,)}", data), "c").data.size(), 8u);
}

TEST(Npy, Errors) {
  EXPECT_EQ(error_of(fixture("f4_fortran.npy")),
            "x.npy: fortran_order=True is not supported (save with np.ascontiguousarray)");
  EXPECT_EQ(error_of(fixture("f4_big_endian.npy")),
            "x.npy: big-endian data (dtype '>f4') is not supported (save with a.astype('<f4'))");
  EXPECT_NE(error_of(fixture("object.npy")).find("object arrays (dtype '|O')"), std::string::npos);
  EXPECT_NE(error_of(fixture("c8_2.npy")).find("unknown dtype '<c8'"), std::string::npos);
  EXPECT_EQ(error_of(fixture("f4_0d.npy")), "x.npy: LayerLab reads arrays of 1 to 4 dimensions, got 0");
  EXPECT_EQ(error_of(fixture("f4_5d.npy")), "x.npy: LayerLab reads arrays of 1 to 4 dimensions, got 5");
  std::string truncated = fixture("f4_2x3.npy");
  truncated.resize(truncated.size() - 4);
  EXPECT_EQ(error_of(truncated), "x.npy: header says 2x3 float32 = 24 bytes of data, file has 20");
  EXPECT_EQ(error_of("GIF89a...."), "x.npy: not a .npy file (it must start with \\x93NUMPY)");
  EXPECT_EQ(error_of(""), "x.npy: not a .npy file (it must start with \\x93NUMPY)");
  EXPECT_EQ(error_of(handmade("[1, 2]", "")), "x.npy: the header is not a dict (it must start with '{')");
  EXPECT_NE(error_of(handmade("{'descr': '<f4', 'fortran_order': False}", "")).find("no 'shape'"), std::string::npos);
  EXPECT_NE(error_of(handmade("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), 'x': 1}", "")).find("'x'"),
            std::string::npos);
  EXPECT_NE(error_of(handmade("{'descr': '<f4', 'fortran_order': Nope, 'shape': (2,)}", "")).find("True or False"),
            std::string::npos);
  EXPECT_NE(error_of(handmade("{'descr': '<f4', 'fortran_order': False, 'shape': (-2,)}", "")).find("non-negative"),
            std::string::npos);
  std::string long_header = handmade("{'descr': '<f4'}", "");
  long_header[8] = '\x7f';  // header length past the end of the file
  EXPECT_NE(error_of(long_header).find("header says it is"), std::string::npos);
  ll::NpyLimits small;
  small.max_elements = 5;
  small.max_dim = 4;
  EXPECT_EQ(error_of(fixture("f4_2x3.npy"), small), "x.npy: shape 2x3 has more than 5 elements");
  EXPECT_EQ(error_of(handmade("{'descr': '<f4', 'fortran_order': False, 'shape': (1, 9), }", ""), small),
            "x.npy: dimension 1 is 9, at most 4 is allowed");
  // Huge dims do not overflow the element count.
  EXPECT_NE(error_of(handmade("{'descr': '<f8', 'fortran_order': False, 'shape': (65536, 65536, 65536, 65536), }", "")),
            "");
}

TEST(Npy, NeverReadsPastTheEnd) {
  const std::string good = fixture("f4_special.npy");
  for (size_t n = 0; n < good.size(); ++n) {
    std::string cut = good.substr(0, n);  // its own buffer, so ASan sees any overread
    EXPECT_NE(error_of(cut), "") << n;
  }
  for (size_t i = 0; i < good.size(); ++i) {  // flip each byte: an error or a value, never a crash
    std::string bad = good;
    bad[i] = static_cast<char>(bad[i] ^ 0x5a);
    error_of(bad);
  }
}

TEST(Npy, WriterMatchesNumpySaveByteForByte) {
  const float nan = std::nanf("");
  ll::Tensor t({2, 3});
  t.data = {0.5f, nan, -INFINITY, -0.0f, 1e-45f, 3.0f};
  EXPECT_EQ(ll::npy_write(t), fixture("expect_write_f4.npy"));
  ll::IndexTensor idx({5});
  idx.data = {0, 3, int64_t{1} << 40, -1, 7};
  EXPECT_EQ(ll::npy_write_i64(idx), fixture("expect_write_i64.npy"));
  ll::Tensor t4({1, 1, 3, 3});
  for (int i = 0; i < 9; ++i) t4.data[i] = static_cast<float>(i);
  EXPECT_EQ(ll::npy_write(t4), fixture("expect_write_f4_1x1x3x3.npy"));
  // Leave them for make_npy.py check (numpy.load, bit-exact), when asked.
  if (const char* out = std::getenv("LL_NPY_OUT")) {
    std::ofstream(std::string(out) + "/expect_write_f4.npy", std::ios::binary) << ll::npy_write(t);
    std::ofstream(std::string(out) + "/expect_write_i64.npy", std::ios::binary) << ll::npy_write_i64(idx);
    std::ofstream(std::string(out) + "/expect_write_f4_1x1x3x3.npy", std::ios::binary) << ll::npy_write(t4);
  }
}

TEST(Npy, RoundTrip) {
  ll::Tensor t({3, 1, 2});
  for (int i = 0; i < 6; ++i) t.data[i] = std::ldexp(1.0f, i * 20 - 60) * (i % 2 ? -1 : 1);
  const ll::NpyArray back = ll::npy_read(ll::npy_write(t), "rt.npy");
  EXPECT_EQ(back.shape, t.shape);
  for (int i = 0; i < 6; ++i) EXPECT_EQ(bits(back.data[i]), bits(t.data[i]));
  // Header lengths around the 64-byte boundary keep the data aligned.
  for (int64_t d = 1; d < 2000000; d = d * 10 + 3) {
    const std::string bytes = ll::npy_write(ll::Tensor({d % 7 + 1}));
    EXPECT_EQ((bytes.size() - (d % 7 + 1) * 4) % 64, 0u);
  }
}
