#!/bin/sh
# The code goldens: the scripts state().code gives, and their output under real
# PyTorch 1.13 (Debian's python3-torch, run as /usr/bin/python3). Needs build/web.
set -eu
cd "$(dirname "$0")/../.."
node tests/golden/dump_code.mjs > build/code-dump.json
/usr/bin/python3 tests/golden/run_code.py build/code-dump.json tests/golden/code/cases.json
