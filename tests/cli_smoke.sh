#!/usr/bin/env bash
# The CLI as a user calls it: help, one spec, a batch, the three exit codes.
set -u
cli="$1"
fail=0
check() {  # check DESCRIPTION EXPECTED_STATUS EXPECTED_SUBSTRING INPUT
  local out status
  out="$(printf '%s' "$4" | "$cli" eval - 2>&1)"; status=$?
  if [ "$status" -ne "$2" ] || [[ "$out" != *"$3"* ]]; then
    echo "FAIL: $1 (status $status, want $2): $out"; fail=1
  else
    echo "ok: $1"
  fi
}
"$cli" --help | grep -q 'layerlab-cli eval' || { echo "FAIL: --help"; fail=1; }
check "MaxPool2d with indices" 0 '"indices":{"data":[4,5,7,8]' \
  '{"layer":"MaxPool2d","params":{"kernel_size":2,"ceil_mode":true,"return_indices":true},"input":{"shape":[1,1,3,3],"data":[1,2,3,4,5,6,7,8,"NaN"]}}'
check "rejected spec exits 1" 1 'MaxPool2d: padding must be at most half of kernel_size, got padding=2, kernel_size=3' \
  '{"layer":"MaxPool2d","params":{"kernel_size":3,"padding":2},"input":{"shape":[1,5,5],"data":[0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0]}}'
check "batch exits 0 with per-item errors" 0 '[{"error":' '[{"layer":"Nope"},{"layer":"Tanh","input":{"shape":[],"data":[0]}}]'
check "malformed JSON exits 2" 2 '"error"' '{"layer": "ReLU", '
check "empty input exits 2" 2 '"error"' ''
exit $fail
