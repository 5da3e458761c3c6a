// layerlab-core.d.ts — LayerLab's core (PyTorch 1.13 layers, float32) for JavaScript.
//
// Ownership: every object the module returns (Tensor, layer instances) lives in
// the WebAssembly heap and must be freed with delete(). A forgotten delete()
// leaks that object's memory (a Tensor: its values; a layer: its parameters and
// the tensors cached for backward) until the page is closed. Arrays returned by
// toArray(), indices(), shape and eval() are plain JS copies: nothing to free.
// Every call that PyTorch would reject throws an Error whose message names the
// layer, the rule and the values, e.g.
//   "MaxPool2d: padding must be at most half of kernel_size, got padding=2, kernel_size=3"

/** An int, or a pair [h, w]; PyTorch's int-or-tuple parameters. */
export type IntOrPair = number | [number, number];

/** {"shape": [...], "data": [...]} with "NaN", "Infinity", "-Infinity" as strings (CONTRACT section 2). */
export interface JsonTensor { shape: number[]; data: (number | string)[]; }

export interface Spec {
  layer: 'MaxPool2d' | 'AvgPool2d' | 'MaxUnpool2d' | 'Linear' | 'Sigmoid' | 'Tanh' | 'ReLU' | 'LeakyReLU' | 'PReLU' | 'RReLU'
    | 'BCEWithLogitsLoss';
  params?: Record<string, unknown>;  // PyTorch constructor keywords; unknown ones are an error
  training?: boolean;                // RReLU
  seed?: number;                     // RReLU noise, Linear default init
  input: JsonTensor | { shape: number[]; data: ArrayLike<number> };
  target?: JsonTensor;               // BCEWithLogitsLoss: the input's shape
  indices?: JsonTensor;              // MaxUnpool2d
  output_size?: number[];            // MaxUnpool2d: 2 or 4 entries
  weight?: JsonTensor; bias?: JsonTensor; noise?: JsonTensor;
  grad_output?: JsonTensor;          // present: backward runs too
}

export interface Result {
  output: JsonTensor; indices?: JsonTensor; grad_input?: JsonTensor;
  grad_weight?: JsonTensor; grad_bias?: JsonTensor; noise?: JsonTensor;
}

/** A float32 tensor in the wasm heap. Free it with delete(). */
export interface Tensor {
  readonly shape: number[];          // a fresh array on each read
  toArray(): Float32Array;           // a copy of the values, row-major
  delete(): void;                    // frees the values
}

/** Common to every layer: forward then backward w.r.t. the last forward's input. */
export interface Layer {
  forward(x: Tensor): Tensor;        // new Tensor, caller deletes
  backward(gradOutput: Tensor): Tensor;  // grad_input, new Tensor, caller deletes; gradOutput must match the output's shape
  delete(): void;                    // frees the layer and what it cached
}

export interface MaxPool2d extends Layer {
  indices(): Int32Array;             // copy of the last argmax, flat per (N, C) plane
}
export interface MaxUnpool2d {
  forward(x: Tensor, indices: Int32Array | ArrayLike<number>, outputSize?: number[] | null): Tensor;
  backward(gradOutput: Tensor): Tensor;  // a gather at the indices
  delete(): void;
}
export interface Linear extends Layer {
  weight(): Tensor; bias(): Tensor;  // copies (new Tensors, caller deletes); bias() is empty when bias=false
  setWeight(w: Tensor): void;        // copies; shape (out_features, in_features)
  setBias(b: Tensor): void;          // copies; shape (out_features)
  gradWeight(): Tensor; gradBias(): Tensor;  // from the last backward; new Tensors, caller deletes
}
export interface PReLU extends Layer {
  weight(): Tensor; setWeight(w: Tensor): void; gradWeight(): Tensor;
}
export interface RReLU {
  train(training: boolean): void;    // training: random slopes; default eval: (lower + upper) / 2
  eval(): void;
  forward(x: Tensor, noise?: Tensor): Tensor;  // noise fixes the training slopes
  backward(gradOutput: Tensor): Tensor;
  noise(): Tensor;                   // slopes of the last training forward; new Tensor, caller deletes
  delete(): void;
}

/** BCEWithLogitsLoss: input = logits, target the same shape; output 0-D for 'mean'/'sum'. */
export interface BCEWithLogitsLoss {
  forward(input: Tensor, target: Tensor): Tensor;  // new Tensor, caller deletes
  backward(gradOutput: Tensor): Tensor;  // grad w.r.t. the logits; gradOutput shaped like the output (0-D: tensor([], [1]))
  delete(): void;
}

/** One constructor keyword of a layer, as the core's descriptor declares it. */
export interface ParamInfo {
  name: string;                 // PyTorch's keyword
  kind: 'int' | 'int_or_pair' | 'float' | 'bool' | 'string';
  default: number | boolean | string | null;  // the spec's value for an absent keyword (None -> null)
  default_py: string | null;    // as Python writes it ('None', 'False', '0.01'); null when required
  required: boolean;
  min: number | null;           // the smallest value the layer accepts, null when unbounded
  rule: string;                 // a further rule, as the error states it
  ui_min: number; ui_max: number;  // the playground's slider range
}
/** A layer of the core: PyTorch's name, its keywords in positional order, the spec's tensors. */
export interface LayerInfo { name: Spec['layer']; params: ParamInfo[]; tensors: string[] }

export interface LayerLab {
  readonly version: string;
  /** Every layer the core has, from its descriptors (the CLI's --help lists the same). */
  readonly layers: LayerInfo[];
  /** CONTRACT section 2 on JS objects: one spec -> result (throws Error on a bad spec); an array -> array with {error} items. */
  eval(spec: Spec): Result;
  eval(specs: Spec[]): (Result | { error: string })[];
  /** Copies `data` (Float32Array or array of numbers, length = product of shape) into a new Tensor. */
  tensor(shape: number[], data: ArrayLike<number>): Tensor;
  MaxPool2d: new (o: { kernel_size: IntOrPair; stride?: IntOrPair | null; padding?: IntOrPair; dilation?: IntOrPair;
                      return_indices?: boolean; ceil_mode?: boolean }) => MaxPool2d;
  AvgPool2d: new (o: { kernel_size: IntOrPair; stride?: IntOrPair | null; padding?: IntOrPair; ceil_mode?: boolean;
                      count_include_pad?: boolean; divisor_override?: number | null }) => Layer;
  MaxUnpool2d: new (o: { kernel_size: IntOrPair; stride?: IntOrPair | null; padding?: IntOrPair }) => MaxUnpool2d;
  Linear: new (o: { in_features: number; out_features: number; bias?: boolean }, seed?: number) => Linear;
  Sigmoid: new (o?: {}) => Layer;
  Tanh: new (o?: {}) => Layer;
  ReLU: new (o?: { inplace?: boolean }) => Layer;
  LeakyReLU: new (o?: { negative_slope?: number; inplace?: boolean }) => Layer;
  PReLU: new (o?: { num_parameters?: number; init?: number }) => PReLU;
  RReLU: new (o?: { lower?: number; upper?: number; inplace?: boolean }, seed?: number) => RReLU;
  BCEWithLogitsLoss: new (o?: { reduction?: 'mean' | 'sum' | 'none' }) => BCEWithLogitsLoss;
  /** Bytes allocated in the wasm heap right now; a leak check watches it stay flat. */
  heapUsed(): number;
}

/** Loads the module (in node the .wasm is read from beside this file). */
export default function createLayerLab(options?: { wasmBinary?: ArrayBuffer | Uint8Array; locateFile?: (path: string) => string }): Promise<LayerLab>;
