// strings.cpp — the English / Simplified Chinese string table.
#include "strings.h"

#include "app_state.h"

namespace app {

namespace {

struct Entry {
  StringId id;
  const char* en;
  const char* zh;
};

// One row per string; the id column keeps the table and the enum in step.
constexpr Entry kTable[] = {
    {STR_TITLE, "LayerLab", "LayerLab"},
    {STR_LAB_SUBTITLE, "Pooling lab", "池化实验室"},
    {STR_LANG_TOGGLE, "中文", "English"},
    {STR_LAYER, "Layer", "层"},
    {STR_PARAMETERS, "Parameters", "参数"},
    {STR_SQUARE_TIP, "Click to switch: k x k is one int (square), (h, w) is a pair.",
     "点击切换：k x k 为一个整数（正方形），(h, w) 为一对整数。"},
    {STR_STRIDE_NONE, "stride=None (same as kernel_size)", "stride=None（等于 kernel_size）"},
    {STR_DIVISOR_NONE_TIP, "Unchecked: divisor_override=None (the divisor comes from the window).",
     "不勾选：divisor_override=None（除数由窗口决定）。"},
    {STR_RETURN_INDICES_TIP, "The indices heatmap is shown either way; this flag only changes what forward() returns.",
     "无论是否勾选都会显示索引图；该参数只改变 forward() 的返回值。"},
    {STR_UNPOOL_NOTE,
     "Round trip: MaxPool2d(kernel_size, stride, padding, return_indices=True) feeds its indices to MaxUnpool2d.",
     "往返：MaxPool2d(kernel_size, stride, padding, return_indices=True) 把索引交给 MaxUnpool2d。"},
    {STR_INPUT, "Input", "输入"},
    {STR_GENERATOR, "values", "数值"},
    {STR_GEN_RAMP, "ramp", "递增序列"},
    {STR_GEN_RANDOM, "random", "随机"},
    {STR_GEN_CHECKERBOARD, "checkerboard", "棋盘格"},
    {STR_GEN_GRADIENT, "gradient", "渐变"},
    {STR_GEN_PICTURE, "picture", "图片"},
    {STR_EDIT_MODE, "edit cells", "编辑单元格"},
    {STR_EDIT_TIP, "Click an input or grad_output cell to type its value (or Ctrl+click at any time).",
     "点击 input 或 grad_output 的单元格即可输入数值（也可随时按住 Ctrl 点击）。"},
    {STR_CLEAR_EDITS, "clear edits", "清除编辑"},
    {STR_GRAD_GEN, "grad_output", "grad_output"},
    {STR_GRAD_ONES, "ones", "全 1"},
    {STR_GRAD_RANDOM, "random (seed)", "随机（seed）"},
    {STR_VIEW, "View", "显示"},
    {STR_SHOW_NUMBERS, "numbers in cells", "在单元格内显示数值"},
    {STR_SHOW_DIVISORS, "divisor overlay", "显示除数"},
    {STR_SCRUB, "step through windows", "逐个查看窗口"},
    {STR_WINDOW_NUM, "window #", "窗口 #"},
    {STR_TENSORS, "Tensors", "张量"},
    {STR_HM_INPUT, "input", "输入 input"},
    {STR_HM_OUTPUT, "output", "输出 output"},
    {STR_HM_INDICES, "indices (argmax, flat per plane)", "索引 indices（argmax，每个平面内展平）"},
    {STR_HM_INDICES_HIDDEN, "indices (argmax; return_indices=False)", "索引 indices（argmax；return_indices=False）"},
    {STR_HM_DIVISOR, "divisor of each output cell", "每个输出单元的除数"},
    {STR_HM_GRAD_OUTPUT, "grad_output", "输出梯度 grad_output"},
    {STR_HM_GRAD_INPUT, "grad_input", "输入梯度 grad_input"},
    {STR_HM_POOLED, "MaxPool2d output (MaxUnpool2d input)", "MaxPool2d 输出（MaxUnpool2d 输入）"},
    {STR_HM_UNPOOLED, "MaxUnpool2d output (reconstruction)", "MaxUnpool2d 输出（重建）"},
    {STR_HM_GRAD_UNPOOLED, "grad_output (of MaxUnpool2d)", "grad_output（MaxUnpool2d 的）"},
    {STR_HM_GRAD_POOLED, "grad_input (of MaxUnpool2d)", "grad_input（MaxUnpool2d 的）"},
    {STR_HINT, "Hover a cell. Wheel: zoom, drag: pan, double-click: fit.",
     "把鼠标移到单元格上。滚轮：缩放，拖动：平移，双击：适应窗口。"},
    {STR_FORMULA, "Output size", "输出尺寸"},
    {STR_HEIGHT, "height", "高度"},
    {STR_WIDTH, "width", "宽度"},
    {STR_PYTORCH_GIVES, "PyTorch gives", "PyTorch 结果"},
    {STR_PYTORCH_REJECTS, "PyTorch rejects these parameters:", "PyTorch 会拒绝这组参数："},
    {STR_CEIL_ADDED, "ceil_mode=True adds one window (orange when on).",
     "ceil_mode=True 会多出一个窗口（开启时为橙色）。"},
    {STR_CEIL_DROPPED, "ceil_mode's extra window was dropped (drawn grey):", "ceil_mode 多出的窗口被丢弃了（灰色）："},
    {STR_CEIL_RULE, "the last window would start in the right padding: (out-1)*stride >= H + padding",
     "最后一个窗口会从右侧填充区开始：(out-1)*stride >= H + padding"},
    {STR_NO_CEIL_EFFECT, "floor and ceil agree here.", "这里向下取整和向上取整结果相同。"},
    {STR_UNPOOL_FORMULA,
     "MaxUnpool2d default size: (in-1)*stride - 2*padding + kernel_size",
     "MaxUnpool2d 默认尺寸：(in-1)*stride - 2*padding + kernel_size"},
    {STR_CODE, "PyTorch code", "PyTorch 代码"},
    {STR_COPY, "Copy", "复制"},
    {STR_COPIED, "copied to the clipboard", "已复制到剪贴板"},
    {STR_ERROR, "Error", "错误"},
    {STR_KEEP_LAST, "The tensors show the last valid parameters.", "下面显示的是上一组有效参数的结果。"},
    {STR_INFO_MAX, "output[%d, %d] = max of its window = %s, taken from input[%d, %d] (index %lld)",
     "output[%d, %d] = 窗口内最大值 = %s，来自 input[%d, %d]（索引 %lld）"},
    {STR_INFO_AVG, "output[%d, %d] = %s: the sum of its window / divisor %lld",
     "output[%d, %d] = %s：窗口内的总和 / 除数 %lld"},
    {STR_INFO_DIV_INCLUDE, "count_include_pad=True: taps inside input + padding, %lld x %lld = %lld",
     "count_include_pad=True：落在输入和填充内的位置，%lld x %lld = %lld"},
    {STR_INFO_DIV_EXCLUDE, "count_include_pad=False: taps inside the input only, %lld x %lld = %lld",
     "count_include_pad=False：只数落在输入内的位置，%lld x %lld = %lld"},
    {STR_INFO_DIV_OVERRIDE, "divisor_override=%d replaces the window count", "divisor_override=%d 代替窗口计数"},
    {STR_INFO_INPUT, "input[%d, %d] = %s feeds %d output cell(s)", "input[%d, %d] = %s 参与了 %d 个输出单元"},
    {STR_INFO_PADDING, "padding cell (counts as %s)", "填充单元（视为 %s）"},
    {STR_INFO_OVERHANG, "beyond the padding: only ceil_mode windows reach here",
     "超出填充区：只有 ceil_mode 的窗口会到达这里"},
    {STR_INFO_CEIL_WINDOW, "this output cell exists only because ceil_mode=True",
     "这个输出单元只因 ceil_mode=True 才存在"},
    {STR_INFO_DROPPED_WINDOW, "window dropped by PyTorch: (out-1)*stride = %lld >= H + padding = %lld",
     "PyTorch 丢弃了这个窗口：(out-1)*stride = %lld >= H + padding = %lld"},
    {STR_INFO_UNPOOLED, "unpooled[%d, %d] = %s, put here by pooled[%d, %d]",
     "unpooled[%d, %d] = %s，由 pooled[%d, %d] 放置"},
    {STR_INFO_UNPOOLED_ZERO, "unpooled[%d, %d] = 0: no index points here", "unpooled[%d, %d] = 0：没有索引指向这里"},
    {STR_EDIT_POPUP, "value of input[%d, %d, %d, %d]", "input[%d, %d, %d, %d] 的值"},
    {STR_OK, "OK", "确定"},
    {STR_CANCEL, "Cancel", "取消"},
    {STR_SHAPES, "input %s  ->  output %s", "输入 %s  ->  输出 %s"},
    {STR_KEY_WINDOW, "window", "窗口"},
    {STR_KEY_ARGMAX, "argmax", "argmax"},
    {STR_KEY_PADDING, "padding", "填充 padding"},
    {STR_KEY_CEIL, "ceil_mode window", "ceil_mode 窗口"},
    {STR_KEY_DROPPED, "dropped window", "被丢弃的窗口"},
    {STR_LAB_POOL, "Pooling", "池化"},
    {STR_LAB_ACTIVATION, "Activations", "激活函数"},
    {STR_LAB_LINEAR, "Linear", "线性层 Linear"},
    {STR_LAB_GRADIENT, "Gradients in depth", "深层梯度"},
    {STR_LAB_TRAIN, "Tiny training", "小型训练"},
    {STR_PLAY, "Play", "播放"},
    {STR_PAUSE, "Pause", "暂停"},
    {STR_STEP, "Step", "单步"},
    {STR_RESET, "Reset", "重置"},
    {STR_NO_PARAMETERS, "(no parameters)", "（没有参数）"},
    {STR_X_RANGE, "Plotted x range", "绘制的 x 范围"},
    {STR_COMPARE, "Overlay for comparison", "叠加比较"},
    {STR_PRELU_FIT, "PReLU learning", "PReLU 学习"},
    {STR_PRELU_FIT_TIP, "SGD on PReLU's weight (init) to fit LeakyReLU(target slope) data on [-3, 3]; loss = mean squared error.", "用 SGD 训练 PReLU 的 weight（从 init 开始），拟合 [-3, 3] 上 LeakyReLU(目标斜率) 的数据；损失为均方误差。"},
    {STR_PLOT_F, "f(x) = forward(x)", "f(x) = forward(x)"},
    {STR_PLOT_DF, "f′(x) = backward(grad_output = ones)", "f′(x) = backward(grad_output = 全 1)"},
    {STR_DERIV_RANGE, "%s: f′ measured over [%.3g, %.3g]: min %.4g, max %.4g", "%s：在 [%.3g, %.3g] 上测得的 f′：最小 %.4g，最大 %.4g"},
    {STR_SIGMOID_NOTE, "(sigmoid′ = σ(1−σ) never exceeds 0.25)", "（sigmoid′ = σ(1−σ) 永远不超过 0.25）"},
    {STR_RRELU_TRAIN_NOTE, "train(): seed %u, slopes sampled from U(%.3g, %.3g) where x ≤ 0", "train()：seed %u，x ≤ 0 处的斜率从 U(%.3g, %.3g) 采样"},
    {STR_RRELU_EVAL_NOTE, "eval(): fixed slope (lower + upper) / 2 = %.4g", "eval()：固定斜率 (lower + upper) / 2 = %.4g"},
    {STR_FIT_SLOPE, "PReLU weight (the learnable slope) per step", "每一步的 PReLU weight（可学习的斜率）"},
    {STR_FIT_GRAD, "its gradient weight.grad", "它的梯度 weight.grad"},
    {STR_FIT_LOSS, "loss (log scale)", "损失（对数坐标）"},
    {STR_FIT_STATUS, "step %d   weight %.4f", "第 %d 步   weight %.4f"},
    {STR_STEP_AXIS, "step", "步数"},
    {STR_BATCH, "batch (N)", "批大小 (N)"},
    {STR_REINIT, "re-init (seed + 1)", "重新初始化（seed + 1）"},
    {STR_WEIGHT_EDIT_TIP, "Click a weight cell to type its value.", "点击 weight 的单元格即可输入数值。"},
    {STR_COLLAPSE, "Collapse: stacked Linear layers", "坍缩：堆叠的 Linear 层"},
    {STR_HIDDEN, "hidden width", "隐藏层宽度"},
    {STR_COLLAPSE_STACK, "%d x Linear: %d -> %d -> ... -> %d, between them: %s", "%d 个 Linear：%d -> %d -> ... -> %d，层间激活：%s"},
    {STR_COLLAPSE_DIFF, "max |stack(x) - fused(x)| over 16 inputs = %.3e    rank(fused W) = %d  (%d x %d)", "16 个输入上 max |stack(x) - fused(x)| = %.3e    rank(融合 W) = %d  (%d x %d)"},
    {STR_COLLAPSE_EQUAL, "Without activations the stack IS one Linear layer: W = W_k ⋯ W_1 and the difference is float rounding only.", "没有激活函数时，整个堆叠就是一个 Linear 层：W = W_k ⋯ W_1，差异只是浮点舍入误差。"},
    {STR_COLLAPSE_BROKEN, "An activation sits between the layers: the stack is no longer W·x + b, the equality breaks (large difference).", "层之间有激活函数：堆叠不再等于 W·x + b，等式不成立（差异很大）。"},
    {STR_HM_LIN_INPUT, "input (N, in_features)", "输入 input (N, in_features)"},
    {STR_HM_LIN_OUTPUT, "output = x·W^T + b", "输出 output = x·W^T + b"},
    {STR_HM_FUSED_W, "fused W = W_k ⋯ W_1", "融合 W = W_k ⋯ W_1"},
    {STR_HM_FUSED_B, "fused bias", "融合 bias"},
    {STR_HM_STACK, "stack(x): the k layers", "stack(x)：k 层依次计算"},
    {STR_HM_FUSED_OUT, "fused(x) = x·W^T + b: one layer", "fused(x) = x·W^T + b：单层"},
    {STR_STACK, "Stack: depth x (Linear + activation)", "堆叠：depth x (Linear + 激活)"},
    {STR_DEAD_CURVE, "dead ReLU units per hidden layer (0 for every point)", "每个隐藏层的死亡 ReLU 单元（对所有点都输出 0）"},
    {STR_HIDDEN_1, "hidden layer 1", "隐藏层 1"},
    {STR_HIDDEN_2, "hidden layer 2", "隐藏层 2"},
    {STR_LR_TIP, "With ReLU, lr 5 kills units: a big step pushes a unit's bias below every input", "使用 ReLU 时，lr 5 会杀死单元：一大步更新把单元的偏置推到所有输入之下"},
    {STR_TRAIN_DEAD, "dead ReLU units: %.0f%% | %.0f%%", "死亡 ReLU 单元：%.0f%% | %.0f%%"},
    {STR_KINK_NOTE, "PyTorch's choice where f' is undefined (the core's backward): %s'(0) = %.4g; f(nan) = %.4g, f'(nan) = %.4g",
     "导数无定义处 PyTorch 的取值（核心库的 backward）：%s'(0) = %.4g；f(nan) = %.4g，f'(nan) = %.4g"},
    {STR_STALE_CURVES, "The curves (grey) are from the last valid parameters.", "灰色曲线来自上一组有效参数。"},
    {STR_GRAD_TIP, "A random batch N(0, 1) goes forward, loss = output.mean() goes backward; every curve uses the same weights and batch. Raise gain with ReLU to make gradients explode; Sigmoid makes them vanish.", "随机批次 N(0, 1) 前向传播，loss = output.mean() 反向传播；每条曲线使用相同的权重和批次。用 ReLU 并调大 gain 可使梯度爆炸；Sigmoid 则使梯度消失。"},
    {STR_GAIN_TIP, "xavier_uniform_(gain=gain), normal_(std=gain); default and kaiming_*: weights × gain", "xavier_uniform_(gain=gain)，normal_(std=gain)；default 与 kaiming_*：权重 × gain"},
    {STR_GRAD_VERDICT, "%s, %s, gain %.3g: the first layer's gradient is %.3g × the last's: %s", "%s，%s，gain %.3g：第一层的梯度是最后一层的 %.3g 倍：%s"},
    {STR_EXPLODING, "exploding", "梯度爆炸"},
    {STR_VANISHING, "vanishing", "梯度消失"},
    {STR_STABLE, "stable", "稳定"},
    {STR_GRAD_SUMMARY, "|grad_input|: first layer %.3e, last layer %.3e", "|grad_input|：第一层 %.3e，最后一层 %.3e"},
    {STR_DEAD_SUMMARY, "   dead ReLU units: %.1f%%", "   死亡 ReLU 单元：%.1f%%"},
    {STR_LAYER_AXIS, "layer (1 = first)", "层（1 = 第一层）"},
    {STR_LAYER_TIP, "layer %d: |grad_weight| = %.3e\nmean %.4g  std %.4g  dead %.0f%%", "第 %d 层：|grad_weight| = %.3e\n均值 %.4g  标准差 %.4g  死亡 %.0f%%"},
    {STR_GRAD_PLOT, "gradient flowing back into each Linear, |grad_input| (log scale)", "反向传入每个 Linear 的梯度 |grad_input|（对数坐标）"},
    {STR_ACT_STATS, "activations per layer: mean and std", "每层激活值：均值与标准差"},
    {STR_DEAD_PLOT, "dead units per layer (0 for every sample)", "每层的死亡单元（对所有样本都输出 0）"},
    {STR_TRAIN_DATA, "Data (2-D, two classes)", "数据（二维，两类）"},
    {STR_MODEL, "Model", "模型"},
    {STR_TRAINING, "Training (SGD, full batch)", "训练（SGD，全批量）"},
    {STR_SPEED, "steps / frame", "每帧步数"},
    {STR_TRAIN_STATUS, "step %d   loss %.4f   accuracy %.0f%%", "第 %d 步   loss %.4f   准确率 %.0f%%"},
    {STR_STEP_TIME, "training steps in the last frame: %.2f ms", "上一帧的训练步耗时：%.2f ms"},
    {STR_TARGET_SLOPE, "target slope", "目标斜率"},
    {STR_LEGEND_TARGET, "target", "目标"},
    {STR_LEGEND_MEAN, "mean", "均值"},
    {STR_LEGEND_STD, "std", "标准差"},
    {STR_LEGEND_DEAD, "dead", "死亡单元"},
    {STR_STEPS_QUEUED, "%d queued steps still to run", "还有 %d 个排队的训练步"},
    {STR_BOUNDARY, "decision boundary: sigmoid(logit) over the plane", "决策边界：平面上的 sigmoid(logit)"},
    {STR_LOSS_CURVE, "loss per step (log scale)", "每步的损失（对数坐标）"},
    {STR_GNORM_CURVE, "gradient norm of all parameters per step (log scale)", "每步全部参数的梯度范数（对数坐标）"},
    {STR_SHOW_CODE, "PyTorch code of this lab", "本实验的 PyTorch 代码"},
    {STR_PIN_AVG, "= (the sum of the window's values) / divisor\nwindow rows %s, cols %s: %s\ndivisor %lld: %s",
     "= （窗口内数值之和）/ 除数\n窗口 行 %s，列 %s：%s\n除数 %lld：%s"},
    {STR_PIN_MAX, "window rows %s, cols %s: %s\nthe first maximum in row-major order wins: input[%lld, %lld] (indices = %lld)",
     "窗口 行 %s，列 %s：%s\n按行优先顺序的第一个最大值胜出：input[%lld, %lld]（indices = %lld）"},
    {STR_PIN_MAX_NAN,
     "window rows %s, cols %s: %s\nthe window holds NaN: PyTorch gives NaN and the last NaN's index, input[%lld, %lld] (indices = %lld)",
     "窗口 行 %s，列 %s：%s\n窗口里有 NaN：PyTorch 输出 NaN，索引取最后一个 NaN：input[%lld, %lld]（indices = %lld）"},
    {STR_PIN_UNPOOL, "put here by output[%lld, %lld] (indices = %lld; of several, the last one wins)",
     "由 output[%lld, %lld] 放到这里（indices = %lld；有多个时最后一个生效）"},
    {STR_PIN_UNPOOL_ZERO, "no index points here: 0", "没有索引指向这里：0"},
    {STR_PIN_UNPOOL_GRAD, "= grad_output[%lld, %lld]: backward gathers at indices = %lld",
     "= grad_output[%lld, %lld]：反向传播在 indices = %lld 处取值"},
    {STR_PIN_INPUT, "in %d pooling window(s)", "属于 %d 个池化窗口"},
    {STR_PIN_GRAD_MAX, "= the sum of grad_output over the output cells whose argmax is here\n= %s",
     "= 以此处为最大值位置的各输出单元的 grad_output 之和\n= %s"},
    {STR_PIN_GRAD_AVG, "= the sum of grad_output / divisor over the windows that hold it\n= %s",
     "= 包含它的各窗口的 grad_output / 除数 之和\n= %s"},
    {STR_PIN_DIV_INCLUDE, "count_include_pad=True: the taps in the input and its padding",
     "count_include_pad=True：计入输入和填充中的位置"},
    {STR_PIN_DIV_EXCLUDE, "count_include_pad=False: the taps in the input only", "count_include_pad=False：只计入输入中的位置"},
    {STR_PINNED, "Pinned (click the cell again to unpin):", "已固定（再次点击该单元取消）："},
    {STR_GRAD_ONE_HOT, "one-hot", "独热"},
    {STR_GRAD_ONE_HOT_TIP, "1 at the pinned output cell (click one), 0 elsewhere: where that one output's gradient goes",
     "在固定的输出单元（点击选择）处为 1，其余为 0：看这一个输出的梯度流向哪里"},
    {STR_HELP_TITLE, "Keys", "快捷键"},
    {STR_HELP_TIP, "Keys (?)", "快捷键（?）"},
    {STR_KEY_WHEEL, "wheel", "滚轮"},
    {STR_KEY_HELP_TAB, "leave the playground for the page's buttons, and come back", "离开画布转到页面按钮，再按返回"},
    {STR_KEY_HELP_UPDOWN, "move between the parameters", "在参数之间移动"},
    {STR_KEY_HELP_LEFTRIGHT, "change the focused slider", "调整当前滑块的值"},
    {STR_KEY_HELP_SPACE, "press the focused button, tick a check box", "按下当前按钮，勾选复选框"},
    {STR_KEY_HELP_CTRL_CLICK, "type a slider's value", "直接输入滑块的数值"},
    {STR_KEY_HELP_WHEEL, "zoom a heatmap; drag to pan, double-click to fit", "缩放热力图；拖动平移，双击复原"},
    {STR_KEY_HELP_ESC, "close this help, cancel an edit", "关闭本帮助，取消编辑"},
    {STR_KEY_HELP_QUESTION, "show or hide this help", "显示或隐藏本帮助"},
    {STR_LOCKED, "Locked by this assignment (set by its link)", "已被本练习锁定（由链接设定）"},
    {STR_QUIZ, "Predict first", "先预测"},
    {STR_QUIZ_SHAPE, "What is the output's shape?", "输出的 shape 是多少？"},
    {STR_QUIZ_SHAPE_HINT, "Type N, C, H, W (e.g. 1, 1, 3, 3) or H, W, then Check.",
     "输入 N, C, H, W（例如 1, 1, 3, 3）或 H, W，然后点“检查”。"},
    {STR_QUIZ_VALUE, "What is out[%s]?", "out[%s] 的值是多少？"},
    {STR_QUIZ_VALUE_HINT, "Its window is outlined on the input. Type a number (within 0.01), then Check.",
     "输入图上框出了它的窗口。输入一个数（误差 0.01 以内），然后点“检查”。"},
    {STR_QUIZ_CHECK, "Check", "检查"},
    {STR_QUIZ_RIGHT, "Right: PyTorch gives %s.", "正确：PyTorch 的结果是 %s。"},
    {STR_QUIZ_WRONG, "Not quite: you said %s, PyTorch gives %s.", "不对：你的答案是 %s，PyTorch 的结果是 %s。"},
    {STR_QUIZ_ANSWER, "The output and the formula are shown below.", "输出和公式已在下方显示。"},
    {STR_QUIZ_NEW, "Change a parameter for a new question.", "改变一个参数即可得到新题目。"},
    {STR_QUIZ_FIRST, "Answer the question above the tensors first.", "请先回答张量上方的问题。"},
    {STR_QUIZ_NO_RESULT, "These parameters give no output (see the error), so there is nothing to predict.",
     "这组参数没有输出（见错误信息），无可预测。"},
    {STR_QUIZ_BAD_ANSWER, "Could not read \"%s\" as an answer: type numbers separated by commas.",
     "无法把“%s”当作答案：请输入用逗号分隔的数字。"},
    {STR_UNPOOL_DEFAULT_NOTE,
     "This is MaxUnpool2d's default size, computed from the pooling's kernel_size, stride and padding; the code "
     "passes output_size=x.shape, so PyTorch restores the input's size below.",
     "这是 MaxUnpool2d 的默认尺寸，由池化的 kernel_size、stride、padding 算出；代码传入 output_size=x.shape，"
     "所以 PyTorch 恢复为下面的输入尺寸。"},
    {STR_CLEAR_GRAD_EDITS, "clear grad_output edits", "清除 grad_output 编辑"},
    {STR_EDIT_GRAD_POPUP, "value of grad_output[%d, %d, %d, %d]", "grad_output[%d, %d, %d, %d] 的值"},
    {STR_PLANE_PICKER, "plane shown", "显示的平面"},
    {STR_PLANE_TIP, "Which (n, c) plane of the (N, C, H, W) tensors every heatmap shows. PageUp / PageDown: the "
                    "previous / next channel.",
     "每个热力图显示 (N, C, H, W) 张量中的哪个 (n, c) 平面。PageUp / PageDown：上一个 / 下一个通道。"},
    {STR_INPLACE_TIP, "inplace=True makes PyTorch overwrite the input with the output; the numbers are the same.",
     "inplace=True 让 PyTorch 用输出覆盖输入；数值相同。"},
    {STR_LOGITS, "Logits", "logits（输入向量）"},
    {STR_TEMPERATURE_TIP,
     "The module gets x = logits / temperature: a low temperature sharpens the output towards the largest logit, a high one flattens it.",
     "模块的输入是 x = logits / temperature：温度低时输出集中到最大的 logit，温度高时趋于均匀。"},
    {STR_BARS_INPUT, "x = logits / temperature", "x = logits / temperature（输入）"},
    {STR_BARS_OUTPUT, "%s(x): the output", "%s(x)：输出"},
    {STR_JACOBIAN, "Jacobian d out_i / d x_j (a backward per output)", "雅可比矩阵 d out_i / d x_j（每个输出一次反向传播）"},
    {STR_JACOBIAN_NOTE,
     "Softmax's Jacobian is diag(p) - p p^T: each row sums to 0, so adding one constant to every logit changes nothing.",
     "Softmax 的雅可比矩阵为 diag(p) - p p^T：每行之和为 0，所以给所有 logit 加同一个常数，输出不变。"},
    {STR_STABILITY, "Large logits (x 1000): log(softmax(x)) against LogSoftmax", "大 logit（x 1000）：log(softmax(x)) 与 LogSoftmax 对比"},
    {STR_STABILITY_NOTE,
     "In float32 softmax underflows to 0, so its log is -inf; LogSoftmax computes x - max - log(sum(exp(x - max))) and stays finite.",
     "float32 中 softmax 会下溢为 0，取 log 得 -inf；LogSoftmax 计算 x - max - log(sum(exp(x - max)))，结果有限。"},
    {STR_NAIVE_LOG, "log(softmax)", "log(softmax)"},
    {STR_GLU_HALVES, "GLU: x = [a, b] along dim, out = a * sigmoid(b)", "GLU：沿 dim 把 x 分成 [a, b]，out = a * sigmoid(b)"},
    {STR_OUTPUT_SUM, "sum of the output = %.8g", "输出之和 = %.8g"},
    {STR_TORCH_WARNS, "PyTorch 1.13 warns: %s", "PyTorch 1.13 警告：%s"},
    {STR_DIMWISE_GROUP, "along a dimension", "沿某一维"},
};
static_assert(sizeof(kTable) / sizeof(kTable[0]) == STR_COUNT, "one row per StringId");

Lang g_lang = Lang::EN;

}  // namespace

void set_language(Lang lang) { g_lang = lang; }

const char* tr(StringId id, Lang lang) {
  if (id < 0 || id >= STR_COUNT || kTable[id].id != id) return "?";
  return lang == Lang::ZH ? kTable[id].zh : kTable[id].en;
}

const char* tr(StringId id) { return tr(id, g_lang); }

namespace {

// A CJK ideograph (the Unified Ideographs and Extension A: every Han character
// of the table) at the start of `p`, in UTF-8: three bytes E3 90 80 .. E9 BF BF.
bool ideograph_at(const unsigned char* p) {
  if (p[0] < 0xE3 || p[0] > 0xE9 || (p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80) return false;
  const unsigned cp = ((p[0] & 0x0Fu) << 12) | ((p[1] & 0x3Fu) << 6) | (p[2] & 0x3Fu);
  return cp >= 0x3400 && cp <= 0x9FFF;
}

std::string without_ideographs(const char* text) {
  std::string out;
  for (auto p = reinterpret_cast<const unsigned char*>(text); *p;) {
    if (ideograph_at(p)) {
      p += 3;
    } else {
      out += static_cast<char>(*p++);
    }
  }
  return out;
}

}  // namespace

std::string ui_text(Lang lang) {
  std::string s;
  for (const Entry& e : kTable) {
    s += e.en;  // English text names the other language in its own script ("中文")
    s += lang == Lang::ZH ? std::string(e.zh) : without_ideographs(e.zh);
  }
  return s + "×÷→←≥≤·…";
}

}  // namespace app
