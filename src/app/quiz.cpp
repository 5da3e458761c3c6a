// quiz.cpp — the assignment question: what is asked, how an answer is read and
// checked against the core's result, and the card that asks it.
#include "quiz.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <vector>

#include "hash_state.h"
#include "imgui.h"
#include "panels.h"
#include "strings.h"

namespace app {

namespace {

// The tensor the question is about: the layer's own output.
const ll::Tensor& layer_output(const AppState& s) {
  return s.result.layer == PoolLayer::MAX_UNPOOL2D ? s.result.unpooled : s.result.output;
}

const char* layer_output_name(const AppState& s) {
  return s.result.layer == PoolLayer::MAX_UNPOOL2D ? "unpooled" : "output";
}

std::string shape_text(const ll::Shape& shape) {  // as PyTorch prints out.shape
  std::string t = "torch.Size([";
  for (size_t i = 0; i < shape.size(); ++i) t += (i ? ", " : "") + std::to_string(shape[i]);
  return t + "])";
}

std::string cell_text(const std::array<int64_t, 4>& cell) {
  std::string t;
  for (size_t i = 0; i < cell.size(); ++i) t += (i ? ", " : "") + std::to_string(cell[i]);
  return t;
}

// Every run of digits in `text` ("(1, 1, 3, 3)", "torch.Size([1, 1, 3, 3])", "1x1x3x3").
std::vector<int64_t> integers_in(const std::string& text) {
  std::vector<int64_t> v;
  for (size_t i = 0; i < text.size() && v.size() < 8;) {
    if (text[i] < '0' || text[i] > '9') {
      ++i;
      continue;
    }
    int64_t x = 0;
    for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i) x = std::min<int64_t>(x * 10 + (text[i] - '0'), 1 << 30);
    v.push_back(x);
  }
  return v;
}

std::optional<double> number_in(const std::string& text) {
  const size_t a = text.find_first_not_of(" \t");
  if (a == std::string::npos) return std::nullopt;
  const std::string t = text.substr(a, text.find_last_not_of(" \t") + 1 - a);
  char* end = nullptr;
  const double x = std::strtod(t.c_str(), &end);  // also nan, inf, -inf as Python prints them
  if (end == t.c_str() || *end != '\0') return std::nullopt;
  return x;
}

// A value is right within 0.01 (or 0.1 % of it): the student rounds, the core does not.
bool close_enough(double given, float expected) {
  if (std::isnan(expected) || std::isnan(given)) return std::isnan(expected) && std::isnan(given);
  if (std::isinf(expected) || std::isinf(given)) return given == static_cast<double>(expected);
  return std::abs(given - expected) <= std::max(0.01, 1e-3 * std::abs(static_cast<double>(expected)));
}

}  // namespace

bool quiz_pending(const AppState& s) {
  return s.lab == Lab::POOL && s.quiz.kind != QuizKind::NONE && !s.quiz.answered;
}

std::array<int64_t, 4> quiz_cell(const AppState& s) {
  const ll::Shape& shape = layer_output(s).shape;
  if (s.pin && s.pin->tensor == layer_output_name(s) && s.pin->index.size() == 4 && shape.size() == 4) {
    bool inside = true;
    for (size_t d = 0; d < 4; ++d) inside &= s.pin->index[d] >= 0 && s.pin->index[d] < shape[d];
    if (inside) return {s.pin->index[0], s.pin->index[1], s.pin->index[2], s.pin->index[3]};
  }
  return {0, 0, 0, 0};
}

void update_quiz(AppState& s) {
  Quiz& q = s.quiz;
  if (q.kind == QuizKind::NONE || s.lab != Lab::POOL) return;
  const std::string key = question_key(s);
  if ((q.answered || q.unreadable) && q.question != key) {  // the parameters moved: a new question
    q.answered = q.correct = q.unreadable = false;
    q.typed[0] = '\0';
  }
  if (!q.has_submitted) return;
  q.has_submitted = false;
  if (!s.error.empty() || !s.result.valid) return;  // nothing to predict; the card says so
  q.question = key;
  q.given = q.submitted;
  if (q.kind == QuizKind::SHAPE) {
    const ll::Shape& shape = s.result.output_shape;
    const std::vector<int64_t> given = integers_in(q.submitted);
    q.unreadable = given.empty();
    q.expected = shape_text(shape);
    // The whole shape, or only (H, W): the rows and columns are what the formula decides.
    const bool hw_only = given.size() == 2 && shape.size() >= 2;
    q.correct = hw_only ? given[0] == shape[shape.size() - 2] && given[1] == shape[shape.size() - 1]
                        : ll::Shape(given.begin(), given.end()) == shape;
  } else {
    const ll::Tensor& out = layer_output(s);
    const std::array<int64_t, 4> cell = quiz_cell(s);
    int64_t flat = 0;
    for (size_t d = 0; d < 4 && out.shape.size() == 4; ++d) flat = flat * out.shape[d] + cell[d];
    const float value = out.numel() > flat ? out.data[static_cast<size_t>(flat)] : NAN;
    const std::optional<double> given = number_in(q.submitted);
    q.unreadable = !given;
    q.expected = float_text(value);
    q.correct = given && close_enough(*given, value);
  }
  q.answered = !q.unreadable;
}

void ShowQuizCard(AppState& s) {
  Quiz& q = s.quiz;
  if (q.kind == QuizKind::NONE || s.lab != Lab::POOL) return;
  const Palette& pal = palette();
  ImGui::BeginChild("quiz", ImVec2(ImGui::GetContentRegionAvail().x, 0),
                    ImGuiChildFlags_Border | ImGuiChildFlags_AutoResizeY);
  ImGui::PushTextWrapPos(0.0f);
  ImGui::TextColored(pal.accent, "%s", tr(STR_QUIZ));
  ImGui::SameLine();
  if (q.kind == QuizKind::SHAPE) {
    ImGui::TextUnformatted(tr(STR_QUIZ_SHAPE));
  } else {
    ImGui::Text(tr(STR_QUIZ_VALUE), cell_text(quiz_cell(s)).c_str());
  }
  if (!q.answered) {
    if (!s.error.empty()) {
      ImGui::TextDisabled("%s", tr(STR_QUIZ_NO_RESULT));
    } else {
      ImGui::TextDisabled("%s", tr(q.kind == QuizKind::SHAPE ? STR_QUIZ_SHAPE_HINT : STR_QUIZ_VALUE_HINT));
      ImGui::SetNextItemWidth(std::min(ImGui::GetContentRegionAvail().x * 0.6f, ImGui::GetFontSize() * 14));
      const bool enter = ImGui::InputText("##answer", q.typed, sizeof q.typed, ImGuiInputTextFlags_EnterReturnsTrue);
      ImGui::SameLine();
      if (ImGui::Button(tr(STR_QUIZ_CHECK)) || enter) {
        q.submitted = q.typed;
        q.has_submitted = true;
      }
      if (q.unreadable) ImGui::TextColored(pal.error, tr(STR_QUIZ_BAD_ANSWER), q.given.c_str());
    }
  } else {
    if (q.correct)
      ImGui::TextColored(pal.ok, tr(STR_QUIZ_RIGHT), q.expected.c_str());
    else
      ImGui::TextColored(pal.error, tr(STR_QUIZ_WRONG), q.given.c_str(), q.expected.c_str());
    ImGui::TextDisabled("%s %s", tr(STR_QUIZ_ANSWER), tr(STR_QUIZ_NEW));
  }
  ImGui::PopTextWrapPos();
  ImGui::EndChild();
}

}  // namespace app
