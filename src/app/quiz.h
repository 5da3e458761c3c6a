// quiz.h — a teacher's question (hash key `quiz=shape|value`, pooling lab):
// the student predicts the output's shape or one output value before the
// output, its shape and the formula are shown. Answers are checked against
// the core's result, never against a second computation.
//
//   quiz_pending   the question is open: the tensors panel shows only the input
//   quiz_cell      the output cell a value question asks for (the pinned one, else [0, 0, 0, 0])
//   update_quiz    checks a submitted answer; a changed state is a new question
//   ShowQuizCard   the question, the answer box and the verdict
#pragma once

#include <array>
#include <cstdint>

#include "app_state.h"

namespace app {

bool quiz_pending(const AppState& s);
std::array<int64_t, 4> quiz_cell(const AppState& s);
// Call after ensure_computed (ShowApp, state()).
void update_quiz(AppState& s);
void ShowQuizCard(AppState& s);

}  // namespace app
