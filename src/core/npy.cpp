#include "npy.h"

#include <algorithm>
#include <cstring>
#include <limits>

#include "check.h"

namespace ll {

namespace {

// ---------------------------------------------------------------------------
// The header dict: {'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }
// ---------------------------------------------------------------------------

// A Python literal subset, enough for what numpy.lib.format writes: strings,
// True/False, and tuples of non-negative ints. Every read is bounds-checked.
class HeaderParser {
 public:
  HeaderParser(std::string_view text, const std::string& file) : s_(text), file_(file) {}

  void skip_space() {
    while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\t' || s_[i_] == '\n' || s_[i_] == '\r')) ++i_;
  }
  bool eat(char c) {
    skip_space();
    if (i_ < s_.size() && s_[i_] == c) {
      ++i_;
      return true;
    }
    return false;
  }
  void expect(char c, const char* what) {
    LL_CHECK(eat(c), "%s: the header is not a Python dict literal (expected '%c' %s at offset %zu)", file_.c_str(), c,
             what, i_);
  }
  bool peek_is(char c) {
    skip_space();
    return i_ < s_.size() && s_[i_] == c;
  }
  std::string string_literal() {
    skip_space();
    LL_CHECK(i_ < s_.size() && (s_[i_] == '\'' || s_[i_] == '"'),
             "%s: the header is not a Python dict literal (expected a string at offset %zu)", file_.c_str(), i_);
    const char q = s_[i_++];
    std::string out;
    while (i_ < s_.size() && s_[i_] != q) {
      LL_CHECK(s_[i_] != '\\', "%s: escapes in header strings are not supported", file_.c_str());
      out += s_[i_++];
    }
    LL_CHECK(i_ < s_.size(), "%s: the header has an unterminated string", file_.c_str());
    ++i_;
    return out;
  }
  std::string word() {
    skip_space();
    std::string out;
    while (i_ < s_.size() && ((s_[i_] >= 'A' && s_[i_] <= 'Z') || (s_[i_] >= 'a' && s_[i_] <= 'z'))) out += s_[i_++];
    return out;
  }
  bool boolean(const char* key) {
    const std::string w = word();
    LL_CHECK(w == "True" || w == "False", "%s: '%s' must be True or False, got '%s'", file_.c_str(), key, w.c_str());
    return w == "True";
  }
  int64_t integer() {
    skip_space();
    LL_CHECK(i_ < s_.size() && s_[i_] >= '0' && s_[i_] <= '9',
             "%s: 'shape' must be a tuple of non-negative ints (offset %zu)", file_.c_str(), i_);
    int64_t v = 0;
    while (i_ < s_.size() && s_[i_] >= '0' && s_[i_] <= '9') {
      LL_CHECK(v <= (std::numeric_limits<int64_t>::max() - 9) / 10, "%s: a 'shape' entry is too large",
               file_.c_str());
      v = v * 10 + (s_[i_++] - '0');
    }
    if (i_ < s_.size() && s_[i_] == 'L') ++i_;  // Python 2's long suffix, as numpy still accepts
    return v;
  }
  Shape tuple() {
    const char open = peek_is('[') ? '[' : '(';
    const char close = open == '[' ? ']' : ')';
    expect(open, "to open 'shape'");
    Shape out;
    while (!eat(close)) {
      LL_CHECK(out.size() < 64, "%s: 'shape' has too many dimensions", file_.c_str());
      out.push_back(integer());
      if (!eat(',')) {
        expect(close, "after a 'shape' entry");
        break;
      }
    }
    return out;
  }
  bool at_end() {
    skip_space();
    return i_ == s_.size();
  }

 private:
  std::string_view s_;
  const std::string& file_;
  size_t i_ = 0;
};

struct Header {
  std::string descr;
  bool fortran_order = false;
  Shape shape;
};

Header parse_header(std::string_view text, const std::string& file) {
  HeaderParser p(text, file);
  LL_CHECK(p.peek_is('{'), "%s: the header is not a dict (it must start with '{')", file.c_str());
  p.expect('{', "");
  Header h;
  bool have_descr = false, have_order = false, have_shape = false;
  while (!p.eat('}')) {
    const std::string key = p.string_literal();
    p.expect(':', "after a key");
    if (key == "descr") {
      LL_CHECK(!have_descr, "%s: the header has 'descr' twice", file.c_str());
      LL_CHECK(!p.peek_is('['), "%s: structured dtypes are not supported (save a plain numeric array)", file.c_str());
      h.descr = p.string_literal();
      have_descr = true;
    } else if (key == "fortran_order") {
      LL_CHECK(!have_order, "%s: the header has 'fortran_order' twice", file.c_str());
      h.fortran_order = p.boolean("fortran_order");
      have_order = true;
    } else if (key == "shape") {
      LL_CHECK(!have_shape, "%s: the header has 'shape' twice", file.c_str());
      h.shape = p.tuple();
      have_shape = true;
    } else {
      fail(format("%s: the header has an unexpected key '%s' (numpy writes only descr, fortran_order, shape)",
                  file.c_str(), key.c_str()));
    }
    if (!p.eat(',')) {
      p.expect('}', "to close the header dict");
      break;
    }
  }
  LL_CHECK(p.at_end(), "%s: the header has text after its dict", file.c_str());
  LL_CHECK(have_descr, "%s: the header has no 'descr'", file.c_str());
  LL_CHECK(have_order, "%s: the header has no 'fortran_order'", file.c_str());
  LL_CHECK(have_shape, "%s: the header has no 'shape'", file.c_str());
  return h;
}

// ---------------------------------------------------------------------------
// dtypes
// ---------------------------------------------------------------------------

enum class Dtype { F4, F8, I1, I2, I4, I8, U1, B1 };

struct DtypeInfo {
  Dtype dtype;
  size_t size;
  const char* name;
};

DtypeInfo parse_dtype(const std::string& descr, const std::string& file) {
  LL_CHECK(descr.size() >= 2, "%s: unknown dtype '%s'", file.c_str(), descr.c_str());
  const char order = descr[0];
  const std::string code = descr.substr(1);
  static const struct {
    const char* code;
    DtypeInfo info;
  } kTypes[] = {{"f4", {Dtype::F4, 4, "float32"}}, {"f8", {Dtype::F8, 8, "float64"}},
                {"i1", {Dtype::I1, 1, "int8"}},    {"i2", {Dtype::I2, 2, "int16"}},
                {"i4", {Dtype::I4, 4, "int32"}},   {"i8", {Dtype::I8, 8, "int64"}},
                {"u1", {Dtype::U1, 1, "uint8"}},   {"b1", {Dtype::B1, 1, "bool"}}};
  LL_CHECK(code != "O", "%s: object arrays (dtype '%s') are not supported (save a numeric array)", file.c_str(),
           descr.c_str());
  for (const auto& t : kTypes) {
    if (code != t.code) continue;
    if (t.info.size == 1) {
      LL_CHECK(order == '|' || order == '<' || order == '>' || order == '=', "%s: unknown dtype '%s'", file.c_str(),
               descr.c_str());
    } else {
      LL_CHECK(order != '>', "%s: big-endian data (dtype '%s') is not supported (save with a.astype('<%s'))",
               file.c_str(), descr.c_str(), t.code);
      LL_CHECK(order == '<', "%s: dtype '%s' must be little-endian ('<%s')", file.c_str(), descr.c_str(), t.code);
    }
    return t.info;
  }
  fail(format("%s: unknown dtype '%s' (LayerLab reads float32, float64, int8, int16, int32, int64, uint8, bool)",
              file.c_str(), descr.c_str()));
}

template <typename T>
T load(const unsigned char* p) {
  T v;
  std::memcpy(&v, p, sizeof v);  // little-endian host (x86, wasm)
  return v;
}

float element(Dtype d, const unsigned char* p) {
  switch (d) {
    case Dtype::F4: return load<float>(p);
    case Dtype::F8: return static_cast<float>(load<double>(p));
    case Dtype::I1: return static_cast<float>(load<int8_t>(p));
    case Dtype::I2: return static_cast<float>(load<int16_t>(p));
    case Dtype::I4: return static_cast<float>(load<int32_t>(p));
    case Dtype::I8: return static_cast<float>(load<int64_t>(p));
    case Dtype::U1: return static_cast<float>(load<uint8_t>(p));
    case Dtype::B1: return p[0] ? 1.0f : 0.0f;
  }
  return 0.0f;
}

std::string shape_text(const Shape& shape) {  // "2x3"
  std::string out;
  for (size_t i = 0; i < shape.size(); ++i) out += (i ? "x" : "") + std::to_string(shape[i]);
  return out;
}

// ---------------------------------------------------------------------------
// Writing
// ---------------------------------------------------------------------------

// numpy.lib.format's version 1.0 layout: magic, version, u16 header length,
// the dict, spaces, '\n', the whole preamble a multiple of 64 bytes.
std::string npy_header(const char* descr, const Shape& shape) {
  std::string dict = std::string("{'descr': '") + descr + "', 'fortran_order': False, 'shape': (";
  for (size_t i = 0; i < shape.size(); ++i) dict += (i ? ", " : "") + std::to_string(shape[i]);
  dict += shape.size() == 1 ? ",), }" : "), }";
  // numpy >= 1.23 leaves room for the first dimension to grow to 21 digits (in-place appends).
  if (!shape.empty()) dict.append(21 - std::min<size_t>(21, std::to_string(shape[0]).size()), ' ');
  const size_t hlen = dict.size() + 1;
  dict.append(64 - (10 + hlen) % 64, ' ');  // as numpy: a full 64 when already aligned
  dict += '\n';
  LL_CHECK(dict.size() <= 65535, "npy: the header is too long for format 1.0 (%zu bytes)", dict.size());
  std::string out = "\x93NUMPY";
  out += '\x01';
  out += '\x00';
  out += static_cast<char>(dict.size() & 0xff);
  out += static_cast<char>(dict.size() >> 8);
  return out + dict;
}

template <typename T>
std::string npy_write_any(const char* descr, const BasicTensor<T>& t) {
  LL_CHECK(static_cast<int64_t>(t.data.size()) == shape_numel(t.shape),
           "npy: the tensor has shape %s but %zu values", shape_to_string(t.shape).c_str(), t.data.size());
  std::string out = npy_header(descr, t.shape);
  const size_t head = out.size();
  out.resize(head + t.data.size() * sizeof(T));
  if (!t.data.empty()) std::memcpy(&out[head], t.data.data(), t.data.size() * sizeof(T));
  return out;
}

}  // namespace

// ---------------------------------------------------------------------------
// Reading
// ---------------------------------------------------------------------------

NpyArray npy_read(std::string_view bytes, std::string_view file_name, const NpyLimits& limits) {
  const std::string file = file_name.empty() ? std::string("npy") : std::string(file_name);
  const auto* u = reinterpret_cast<const unsigned char*>(bytes.data());
  LL_CHECK(bytes.size() >= 10 && std::memcmp(bytes.data(), "\x93NUMPY", 6) == 0,
           "%s: not a .npy file (it must start with \\x93NUMPY)", file.c_str());
  const int major = u[6], minor = u[7];
  LL_CHECK((major == 1 || major == 2 || major == 3) && minor == 0,
           "%s: .npy format version %d.%d is not supported (1.0, 2.0 or 3.0)", file.c_str(), major, minor);
  size_t header_len = 0, preamble = 0;
  if (major == 1) {
    header_len = u[8] | (size_t{u[9]} << 8);
    preamble = 10;
  } else {
    LL_CHECK(bytes.size() >= 12, "%s: the file ends inside its header", file.c_str());
    header_len = u[8] | (size_t{u[9]} << 8) | (size_t{u[10]} << 16) | (size_t{u[11]} << 24);
    preamble = 12;
  }
  LL_CHECK(header_len <= bytes.size() - preamble, "%s: header says it is %zu bytes long, the file has %zu after the preamble",
           file.c_str(), header_len, bytes.size() - preamble);
  const std::string_view header_text = bytes.substr(preamble, header_len);
  const Header h = parse_header(header_text, file);
  LL_CHECK(!h.fortran_order, "%s: fortran_order=True is not supported (save with np.ascontiguousarray)",
           file.c_str());
  const DtypeInfo dt = parse_dtype(h.descr, file);
  LL_CHECK(!h.shape.empty() && h.shape.size() <= 4, "%s: LayerLab reads arrays of 1 to 4 dimensions, got %zu",
           file.c_str(), h.shape.size());
  int64_t n = 1;
  for (size_t i = 0; i < h.shape.size(); ++i) {
    LL_CHECK(h.shape[i] <= limits.max_dim, "%s: dimension %zu is %lld, at most %lld is allowed", file.c_str(), i,
             static_cast<long long>(h.shape[i]), static_cast<long long>(limits.max_dim));
    if (h.shape[i] != 0 && n > limits.max_elements / h.shape[i]) n = limits.max_elements + 1;
    else n *= h.shape[i];
  }
  LL_CHECK(n <= limits.max_elements, "%s: shape %s has more than %lld elements", file.c_str(),
           shape_text(h.shape).c_str(), static_cast<long long>(limits.max_elements));
  const size_t data_bytes = static_cast<size_t>(n) * dt.size;
  const size_t have = bytes.size() - preamble - header_len;
  LL_CHECK(have >= data_bytes, "%s: header says %s %s = %zu bytes of data, file has %zu", file.c_str(),
           shape_text(h.shape).c_str(), dt.name, data_bytes, have);
  NpyArray out;
  out.shape = h.shape;
  out.dtype = h.descr;
  out.data.resize(static_cast<size_t>(n));
  const unsigned char* p = u + preamble + header_len;
  for (size_t i = 0; i < out.data.size(); ++i) out.data[i] = element(dt.dtype, p + i * dt.size);
  return out;
}

std::string npy_write(const Tensor& t) { return npy_write_any("<f4", t); }
std::string npy_write_i64(const IndexTensor& t) { return npy_write_any("<i8", t); }

}  // namespace ll
