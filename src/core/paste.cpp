#include "paste.h"

#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <limits>

#include "check.h"
#include "layer_desc.h"
#include "shape.h"
#include "spec.h"

namespace ll {

using nlohmann::json;

namespace {

// ---------------------------------------------------------------------------
// Python literals, read straight off the text
// ---------------------------------------------------------------------------

// A value: an int, a float, a bool, None, a string, a tuple/list, or a name
// (the `x` of F.relu(x)). Columns are 1-based, as an editor counts.
struct Value {
  enum Kind { INT, FLOAT, BOOL, NONE, STRING, LIST, NAME } kind = NONE;
  int64_t i = 0;
  double f = 0;
  bool b = false;
  std::string s;  // STRING, NAME
  std::vector<Value> items;
  size_t column = 0;
};

class Parser {
 public:
  explicit Parser(std::string_view text) : t_(text) {}

  void space() {
    while (i_ < t_.size() && (t_[i_] == ' ' || t_[i_] == '\t' || t_[i_] == '\n' || t_[i_] == '\r')) ++i_;
  }
  size_t column() const { return i_ + 1; }
  bool at_end() {
    space();
    return i_ >= t_.size();
  }
  bool peek(char c) {
    space();
    return i_ < t_.size() && t_[i_] == c;
  }
  bool eat(char c) {
    if (!peek(c)) return false;
    ++i_;
    return true;
  }
  [[noreturn]] void expected(const char* what) {
    space();
    if (i_ >= t_.size()) fail(format("expected %s at column %zu (the text ends there)", what, column()));
    fail(format("expected %s at column %zu, got '%c'", what, column(), t_[i_]));
  }
  void expect(char c) {
    if (!eat(c)) {
      const char what[4] = {'\'', c, '\'', 0};
      expected(what);
    }
  }
  static bool ident_char(char c, bool first) {
    return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (!first && c >= '0' && c <= '9');
  }
  bool peek_ident() {
    space();
    return i_ < t_.size() && ident_char(t_[i_], true);
  }
  // A dotted name: nn.MaxPool2d, torch.nn.functional.relu, math.nan.
  std::string dotted_name() {
    space();
    std::string out;
    while (true) {
      if (i_ >= t_.size() || !ident_char(t_[i_], true)) expected("a name");
      while (i_ < t_.size() && ident_char(t_[i_], out.empty() || out.back() == '.')) out += t_[i_++];
      if (i_ < t_.size() && t_[i_] == '.' && i_ + 1 < t_.size() && ident_char(t_[i_ + 1], true)) {
        out += t_[i_++];
        continue;
      }
      return out;
    }
  }

  Value value(int depth = 0) {
    LL_CHECK(depth < 32, "the text nests too deeply at column %zu", column());
    space();
    Value v;
    v.column = column();
    if (i_ >= t_.size()) expected("a value");
    const char c = t_[i_];
    if (c == '-' || c == '+') {
      ++i_;
      Value inner = value(depth + 1);
      if (inner.kind == Value::INT) {
        LL_CHECK(inner.i != std::numeric_limits<int64_t>::min() || c == '-', "a number is out of range at column %zu",
                 v.column);
        if (c == '-') inner.i = -inner.i;
      } else if (inner.kind == Value::FLOAT) {
        if (c == '-') inner.f = -inner.f;
      } else if (inner.kind == Value::BOOL) {
        inner.kind = Value::INT;
        inner.i = (c == '-' ? -1 : 1) * (inner.b ? 1 : 0);
      } else {
        fail(format("expected a number after '%c' at column %zu", c, v.column));
      }
      inner.column = v.column;
      return inner;
    }
    if ((c >= '0' && c <= '9') || c == '.') return number();
    if (c == '\'' || c == '"') {
      ++i_;
      v.kind = Value::STRING;
      while (i_ < t_.size() && t_[i_] != c) v.s += t_[i_++];
      if (i_ >= t_.size()) fail(format("unterminated string starting at column %zu", v.column));
      ++i_;
      return v;
    }
    if (c == '(' || c == '[') {
      const char close = c == '(' ? ')' : ']';
      ++i_;
      v.kind = Value::LIST;
      bool comma = false;
      while (!eat(close)) {
        LL_CHECK(v.items.size() < (size_t{1} << 24), "too many values at column %zu", column());
        v.items.push_back(value(depth + 1));
        comma = eat(',');
        if (!comma) {
          if (!eat(close)) expected(close == ')' ? "')' or ','" : "']' or ','");
          break;
        }
      }
      // (3) is just 3 in Python; (3,) is a tuple.
      if (c == '(' && v.items.size() == 1 && !comma) return v.items[0];
      return v;
    }
    if (ident_char(c, true)) {
      const std::string name = dotted_name();
      if (name == "True" || name == "False") {
        v.kind = Value::BOOL;
        v.b = name == "True";
        return v;
      }
      if (name == "None") return v;
      const std::string last = name.substr(name.find_last_of('.') == std::string::npos ? 0 : name.find_last_of('.') + 1);
      const bool module = name == last || name.rfind("math.", 0) == 0 || name.rfind("np.", 0) == 0 ||
                          name.rfind("numpy.", 0) == 0 || name.rfind("torch.", 0) == 0;
      if (module && name != last && (last == "nan" || last == "inf")) {
        v.kind = Value::FLOAT;
        v.f = last == "nan" ? std::numeric_limits<double>::quiet_NaN() : std::numeric_limits<double>::infinity();
        return v;
      }
      if (name == "float" && eat('(')) {  // float('nan'), float("-inf"), float(2)
        Value arg = value(depth + 1);
        expect(')');
        v.kind = Value::FLOAT;
        if (arg.kind == Value::INT) v.f = static_cast<double>(arg.i);
        else if (arg.kind == Value::FLOAT) v.f = arg.f;
        else if (arg.kind == Value::STRING) {
          std::string s;
          for (char ch : arg.s) s += static_cast<char>(ch >= 'A' && ch <= 'Z' ? ch - 'A' + 'a' : ch);
          const bool neg = !s.empty() && s[0] == '-';
          if (!s.empty() && (s[0] == '-' || s[0] == '+')) s = s.substr(1);
          if (s == "nan") v.f = std::numeric_limits<double>::quiet_NaN();
          else if (s == "inf" || s == "infinity") v.f = std::numeric_limits<double>::infinity();
          else fail(format("could not convert string to float: '%s' (column %zu)", arg.s.c_str(), arg.column));
          if (neg) v.f = -v.f;
        } else {
          fail(format("float() needs a number or a string at column %zu", arg.column));
        }
        return v;
      }
      v.kind = Value::NAME;
      v.s = name;
      return v;
    }
    expected("a value");
  }

  Value number() {
    Value v;
    v.column = column();
    const size_t start = i_;
    bool is_float = false;
    while (i_ < t_.size()) {
      const char c = t_[i_];
      if ((c >= '0' && c <= '9') || c == '_') {
        ++i_;
      } else if (c == '.') {
        is_float = true;
        ++i_;
      } else if ((c == 'e' || c == 'E') && i_ + 1 < t_.size()) {
        is_float = true;
        ++i_;
        if (t_[i_] == '+' || t_[i_] == '-') ++i_;
      } else {
        break;
      }
    }
    std::string digits;
    for (size_t k = start; k < i_; ++k)
      if (t_[k] != '_') digits += t_[k];
    char* end = nullptr;
    if (is_float) {
      v.kind = Value::FLOAT;
      v.f = std::strtod(digits.c_str(), &end);
    } else {
      v.kind = Value::INT;
      errno = 0;
      v.i = std::strtoll(digits.c_str(), &end, 10);
      LL_CHECK(errno == 0, "the number at column %zu is out of range", v.column);
    }
    LL_CHECK(end && *end == 0 && !digits.empty() && digits != ".", "malformed number '%s' at column %zu",
             digits.c_str(), v.column);
    return v;
  }

 private:
  std::string_view t_;
  size_t i_ = 0;
};

json to_json(const Value& v, const char* layer) {
  switch (v.kind) {
    case Value::INT: return v.i;
    case Value::FLOAT: return v.f;
    case Value::BOOL: return v.b;
    case Value::NONE: return nullptr;
    case Value::STRING: return v.s;
    case Value::LIST: {
      json a = json::array();
      for (const Value& e : v.items) a.push_back(to_json(e, layer));
      return a;
    }
    case Value::NAME: break;
  }
  fail(format("%s: '%s' at column %zu is not a value LayerLab knows (use a number, a tuple, True/False or None)",
              layer, v.s.c_str(), v.column));
}

// ---------------------------------------------------------------------------
// Layers
// ---------------------------------------------------------------------------

// A functional form: its descriptor and its arguments after `input`, in the
// function's own positional order (F.max_pool2d puts ceil_mode before
// return_indices, the module the other way round).
struct Functional {
  std::string name;
  const char* layer;
  std::vector<const char*> args;
};

// F.gelu, F.silu, F.softmax, F.log_softmax, ... (also torch.softmax): the core's
// other activations by their functional's name, taking the module's keywords in
// its order. The name is the class's in lower case, but LogSoftmax's log_softmax;
// Softmax2d has no functional.
void add_activation_functionals(std::vector<Functional>& out) {
  for (const LayerDesc& d : layer_descs()) {
    const std::string_view name = d.name;
    if (!is_generic_activation(name) || name == "Softmax2d") continue;
    Functional f{name == "LogSoftmax" ? std::string("log_softmax") : std::string(), d.name, {}};
    if (f.name.empty())
      for (char c : name) f.name += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    for (const ParamDesc& p : d.params) f.args.push_back(p.name);
    out.push_back(std::move(f));
  }
}

const std::vector<Functional>& functionals() {
  static const std::vector<Functional> kFunctions = [] {
    std::vector<Functional> v = {
        {"max_pool2d", "MaxPool2d", {"kernel_size", "stride", "padding", "dilation", "ceil_mode", "return_indices"}},
        {"avg_pool2d", "AvgPool2d",
         {"kernel_size", "stride", "padding", "ceil_mode", "count_include_pad", "divisor_override"}},
        {"relu", "ReLU", {"inplace"}},
        {"leaky_relu", "LeakyReLU", {"negative_slope", "inplace"}},
        {"sigmoid", "Sigmoid", {}},
        {"tanh", "Tanh", {}},
    };
    add_activation_functionals(v);
    return v;
  }();
  return kFunctions;
}

std::string strip_prefix(const std::string& name, std::initializer_list<const char*> prefixes) {
  for (const char* p : prefixes)
    if (name.rfind(p, 0) == 0) return name.substr(std::string(p).size());
  return name;
}

std::string layer_list() {
  std::string out;
  for (const LayerDesc& l : layer_descs()) out += (out.empty() ? "" : ", ") + std::string(l.name);
  return out;
}

// Runs the keywords through the spec's readers (types, unknown keywords) and
// pooling's geometry check (ranges), so errors read as the core's.
void validate(const std::string& layer, const json& params) {
  if (layer == "MaxPool2d") {
    const MaxPool2d::Options o = max_pool2d_options(params);
    pool2d_geometry("MaxPool2d", {1, 1, 4096, 4096}, o.kernel_size, o.stride, o.padding, o.dilation, o.ceil_mode);
  } else if (layer == "AvgPool2d") {
    const AvgPool2d::Options o = avg_pool2d_options(params);
    pool2d_geometry("AvgPool2d", {1, 1, 4096, 4096}, o.kernel_size, o.stride, o.padding, {1}, o.ceil_mode);
    LL_CHECK(!o.divisor_override || *o.divisor_override != 0, "AvgPool2d: divisor_override must be non-zero, got 0");
  } else if (layer == "MaxUnpool2d") {
    max_unpool2d_options(params);
  } else if (layer == "Linear") {
    linear_options(params);
  } else if (layer == "PReLU") {
    prelu_options(params);
  } else if (layer == "RReLU") {
    const RReLU::Options o = rrelu_options(params);
    LL_CHECK(o.lower <= o.upper, "RReLU: lower must be at most upper, got lower=%g, upper=%g", o.lower, o.upper);
  } else if (layer == "LeakyReLU") {
    leaky_relu_options(params);
  } else if (layer == "BCEWithLogitsLoss") {
    bce_with_logits_loss_options(params);
  } else if (is_generic_activation(layer)) {
    make_activation(layer, params.empty() ? json(nullptr) : params);  // types, choices, PyTorch's rules
  } else {
    check_no_options(params.empty() ? json(nullptr) : params, layer.c_str());
  }
}

}  // namespace

PastedLayer parse_layer(std::string_view text) {
  Parser p(text);
  const size_t name_column = (p.space(), p.column());
  const std::string full = p.dotted_name();
  const std::string fn = strip_prefix(full, {"torch.nn.functional.", "nn.functional.", "F.", "torch."});
  const Functional* functional = nullptr;
  if (fn != full || full.find('.') == std::string::npos) {
    for (const Functional& f : functionals())
      if (fn == f.name) functional = &f;
  }
  const std::string cls = strip_prefix(full, {"torch.nn.", "nn."});
  const LayerDesc* desc = find_layer(functional ? functional->layer : cls);
  if (!desc || (!functional && cls.find('.') != std::string::npos)) {
    fail(format("%s is not a LayerLab layer (LayerLab has: %s)", full.c_str(), layer_list().c_str()));
  }
  (void)name_column;
  const char* L = desc->name;
  std::vector<const char*> order;
  if (functional) order = functional->args;
  else
    for (const ParamDesc& pd : desc->params) order.push_back(pd.name);

  p.expect('(');
  json params = json::object();
  size_t positional = 0;
  bool have_input = !functional;
  bool keywords_started = false;
  while (!p.eat(')')) {
    const size_t col = p.column();
    Value v;
    std::string keyword;
    if (p.peek_ident()) {
      // name=value or a positional name/value
      Parser probe = p;
      const std::string name = probe.dotted_name();
      if (name.find('.') == std::string::npos && probe.peek('=')) {
        probe.eat('=');
        LL_CHECK(!probe.peek('='), "expected a value at column %zu, got '='", probe.column());
        keyword = name;
        p = probe;
      }
    }
    v = p.value();
    if (!keyword.empty()) {
      keywords_started = true;
      if (functional && keyword == "input") {
        LL_CHECK(!have_input, "%s() got multiple values for argument 'input'", functional->name.c_str());
        have_input = true;
      } else {
        bool known = false;
        for (const char* n : order) known = known || keyword == n;
        if (!known) fail(format("%s got an unexpected keyword argument '%s'", L, keyword.c_str()));
        LL_CHECK(!params.contains(keyword), "%s got multiple values for argument '%s'", L, keyword.c_str());
        params[keyword] = to_json(v, L);
      }
    } else {
      LL_CHECK(!keywords_started, "positional argument follows keyword argument at column %zu", col);
      if (!have_input) {
        have_input = true;  // F.relu(x): the input itself, any name or value
      } else {
        LL_CHECK(positional < order.size(), "%s: too many positional arguments (it takes %zu%s), at column %zu", L,
                 order.size(), functional ? " after input" : "", col);
        params[order[positional++]] = to_json(v, L);
      }
    }
    if (!p.eat(',')) {
      p.expect(')');
      break;
    }
  }
  LL_CHECK(p.at_end(), "expected the end of the text at column %zu", p.column());
  if (functional) LL_CHECK(have_input, "%s() missing 1 required positional argument: 'input'", functional->name.c_str());
  std::vector<std::string> missing;
  for (const ParamDesc& pd : desc->params)
    if (pd.required() && !params.contains(pd.name)) missing.push_back(pd.name);
  if (!missing.empty()) {
    std::string names;
    for (size_t k = 0; k < missing.size(); ++k)
      names += (k ? (k + 1 == missing.size() ? " and '" : ", '") : "'") + missing[k] + "'";
    fail(format("%s() missing %zu required positional argument%s: %s", L, missing.size(),
                missing.size() == 1 ? "" : "s", names.c_str()));
  }
  validate(L, params);
  return {L, params};
}

// ---------------------------------------------------------------------------
// Tensors
// ---------------------------------------------------------------------------

namespace {

// Nested lists -> shape + values; every sibling must have its first sibling's length.
void flatten(const Value& v, size_t depth, Shape& shape, std::vector<float>& out, int64_t max_elements,
             std::vector<int64_t>& position) {
  if (v.kind != Value::LIST) {
    LL_CHECK(depth == shape.size(), "the value at column %zu is a number where a list was expected", v.column);
    float f = 0;
    if (v.kind == Value::INT) f = static_cast<float>(v.i);
    else if (v.kind == Value::FLOAT) f = static_cast<float>(v.f);
    else if (v.kind == Value::BOOL) f = v.b ? 1.0f : 0.0f;
    else fail(format("the value at column %zu is not a number", v.column));
    LL_CHECK(static_cast<int64_t>(out.size()) < max_elements, "the tensor has more than %lld values",
             static_cast<long long>(max_elements));
    out.push_back(f);
    return;
  }
  if (depth == shape.size()) {  // the first list at this depth sets its size
    LL_CHECK(out.empty() && depth < 4, depth >= 4 ? "LayerLab tensors have at most 4 dimensions (column %zu)"
                                                  : "a list at column %zu where a number was expected",
             v.column);
    shape.push_back(static_cast<int64_t>(v.items.size()));
  } else if (static_cast<int64_t>(v.items.size()) != shape[depth]) {
    fail(format("row %lld has %zu values, row 1 has %lld (column %zu)",
                static_cast<long long>(position[depth > 0 ? depth - 1 : 0] + 1), v.items.size(),
                static_cast<long long>(shape[depth]), v.column));
  }
  if (position.size() <= depth) position.resize(depth + 1, 0);
  for (size_t k = 0; k < v.items.size(); ++k) {
    position[depth] = static_cast<int64_t>(k);
    flatten(v.items[k], depth + 1, shape, out, max_elements, position);
  }
}

// CSV or whitespace rows: "1,2,3\n4,5,6" -> 2x3.
PastedTensor parse_rows(std::string_view text, int64_t max_elements) {
  PastedTensor t;
  int64_t cols = -1, rows = 0;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string line(text.substr(start, end - start));
    start = end + 1;
    for (char& c : line)
      if (c == ',' || c == '\t' || c == '\r' || c == ';') c = ' ';
    int64_t n = 0;
    size_t i = 0;
    while (i < line.size()) {
      while (i < line.size() && line[i] == ' ') ++i;
      if (i >= line.size()) break;
      size_t j = i;
      while (j < line.size() && line[j] != ' ') ++j;
      const std::string tok = line.substr(i, j - i);
      char* e = nullptr;
      const double d = std::strtod(tok.c_str(), &e);
      LL_CHECK(e && *e == 0, "row %lld: '%s' is not a number", static_cast<long long>(rows + 1), tok.c_str());
      LL_CHECK(static_cast<int64_t>(t.data.size()) < max_elements, "the tensor has more than %lld values",
               static_cast<long long>(max_elements));
      t.data.push_back(static_cast<float>(d));
      ++n;
      i = j;
    }
    if (n == 0) continue;  // blank lines
    ++rows;
    if (cols < 0) cols = n;
    LL_CHECK(n == cols, "row %lld has %lld values, row 1 has %lld", static_cast<long long>(rows),
             static_cast<long long>(n), static_cast<long long>(cols));
  }
  LL_CHECK(rows > 0, "the text has no numbers");
  t.shape = {rows, cols};
  return t;
}

bool looks_like_rows(std::string_view text) { return text.find_first_of("([") == std::string_view::npos; }

}  // namespace

PastedTensor parse_tensor(std::string_view text, int64_t max_elements) {
  if (looks_like_rows(text)) return parse_rows(text, max_elements);
  Parser p(text);
  Value list;
  if (p.peek_ident()) {
    const std::string fn = p.dotted_name();
    LL_CHECK(fn == "torch.tensor" || fn == "torch.Tensor" || fn == "torch.as_tensor" || fn == "np.array" ||
                 fn == "numpy.array" || fn == "np.asarray" || fn == "numpy.asarray",
             "%s is not a tensor LayerLab reads (use torch.tensor([...]), np.array([...]) or a list)", fn.c_str());
    p.expect('(');
    list = p.value();
    while (p.eat(',')) {  // dtype=..., requires_grad=...: read and ignored (the values become float32)
      if (p.peek(')')) break;
      p.dotted_name();
      p.expect('=');
      p.value();
    }
    p.expect(')');
  } else {
    list = p.value();
  }
  LL_CHECK(p.at_end(), "expected the end of the text at column %zu", p.column());
  PastedTensor t;
  std::vector<int64_t> position;
  flatten(list, 0, t.shape, t.data, max_elements, position);
  LL_CHECK(!t.shape.empty(), "a tensor needs a list of values, got a single number");
  return t;
}

Pasted paste(std::string_view text, int64_t max_elements) {
  Pasted out;
  Parser p(text);
  bool layer = false;
  if (p.peek_ident()) {
    const std::string fn = p.dotted_name();
    layer = !(fn == "torch.tensor" || fn == "torch.Tensor" || fn == "torch.as_tensor" || fn == "np.array" ||
              fn == "numpy.array" || fn == "np.asarray" || fn == "numpy.asarray" || fn == "nan" || fn == "inf");
  }
  if (layer) {
    out.is_layer = true;
    out.layer = parse_layer(text);
  } else {
    out.tensor = parse_tensor(text, max_elements);
  }
  return out;
}

}  // namespace ll
