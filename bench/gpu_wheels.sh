#!/usr/bin/env bash
# Wheels that the lent GPU machine's Python (3.12, x86_64; numpy, scipy, pandas, JAX and
# cupy already there) lacks for aip, downloaded here into .whl/ (git-ignored via
# .git/info/exclude) so that bench/gpu_batch.sh can install them there without a network:
#
#   bash bench/gpu_wheels.sh          # then carry .whl with the device run
#   bash bench/gpu_wheels.sh --sweep  # for gpu_batch.sh's `sweep` step
#
# Versions are the ones this repository's tests pass with. --sweep adds duckdb (aip
# sweep's results store; rich, pyyaml and the rest are on the machine's image) and leaves
# pandas to the image's copy, as the two together would pass the 64 MiB a call carries.
set -eu
extra=(pandas==3.0.5)
if [ "${1:-}" = "--sweep" ]; then
  extra=(duckdb==2.0.1)
fi
rm -rf .whl
grep -qx "/.whl/" .git/info/exclude 2>/dev/null || { mkdir -p .git/info; echo "/.whl/" >> .git/info/exclude; }
python3 -m pip download -q --no-deps --only-binary=:all: --python-version 3.12 \
  --implementation cp --platform manylinux_2_28_x86_64 --platform manylinux_2_27_x86_64 \
  --platform manylinux_2_24_x86_64 --platform manylinux_2_17_x86_64 \
  --platform manylinux2014_x86_64 -d .whl \
  highspy==1.15.1 clarabel==0.11.1 pydantic==2.14.4 pydantic_core==2.50.5 \
  annotated-types==0.8.0 typing-inspection==0.4.5 pvlib==0.16.1 numpy-financial==1.0.0 \
  pytz==2026.6 tzdata==2026.6 typing_extensions==4.16.0 "${extra[@]}"
du -sh .whl
