#!/usr/bin/env bash
# The GPU batch benchmark as one prepared run (docs/benchmarks.md, "Batch first-order
# backend"). On the GPU machine, from the repository root:
#
#   OUT=/some/dir bash bench/gpu_batch.sh
#
# Python packages the machine lacks can be put in .whl/ (wheels); they are installed
# into /tmp/site first. aip runs from src/. Each step writes OUT/<step>.json and .log
# and has its own time limit, so a slow or broken step loses nothing already measured.
set -u
OUT=${OUT:-bench/results/gpu}
PY=${PYTHON:-python3}
mkdir -p "$OUT"
if compgen -G ".whl/*.whl" > /dev/null; then
  $PY -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade \
    --target /tmp/site .whl/*.whl || exit 1
  export PYTHONPATH=/tmp/site
fi
export PYTHONPATH=${PYTHONPATH:+$PYTHONPATH:}src PYTHONUNBUFFERED=1
# JAX would otherwise take 75 % of the GPU memory at start, leaving cupy little
export XLA_PYTHON_CLIENT_PREALLOCATE=false
{
  date -u
  nvidia-smi --query-gpu=name,memory.total,driver_version,clocks.sm,clocks.mem --format=csv
  lscpu | grep -E "Model name|^CPU\(s\)"
  $PY -c "import numpy, scipy, pandas, highspy, cupy, jax; \
print('numpy', numpy.__version__, 'scipy', scipy.__version__, 'pandas', pandas.__version__, \
'cupy', cupy.__version__, 'jax', jax.__version__, jax.devices())"
} 2>&1 | tee "$OUT/machine.log"

step() {  # step NAME SECONDS ARGS...: one bench_batch.py run
  local name=$1 limit=$2
  shift 2
  echo "== $name"
  timeout "$limit" $PY bench/bench_batch.py "$@" --json "$OUT/$name.json" > "$OUT/$name.log" 2>&1
  echo "exit $?"
  grep -E '"(backend|error|highs_seconds|batch_seconds_first_run|batch_seconds|speedup|optimal|iterations_max|max_rel_objective_diff)"' "$OUT/$name.log"
}

# correctness and compilation on a small batch, both GPU backends against HiGHS
step smoke-24h 90 --hours 24 --batch 8 --backend jax,cupy --runs 2
# the goal: full-year LPs, HiGHS on every CPU core (one process each) against the GPU batch
step full-year 300 --hours 8760 --batch 64 --backend jax,cupy --runs 2 \
  --highs-sample 16 --highs-workers 0 --time-limit 60
# a week-long window, a large batch
step week 120 --hours 168 --batch 1024 --backend jax,cupy --runs 2 \
  --highs-sample 64 --highs-workers 0 --time-limit 40
