#!/usr/bin/env bash
# The GPU batch benchmark as one prepared run (docs/benchmarks.md, "Batch first-order
# backend"). On the GPU machine, from the repository root:
#
#   OUT=/some/dir bash bench/gpu_batch.sh [STEP...]
#
# STEPs (default: all, in this order): smoke, step-cost, full-year, queue, week; also
# full-year-warm and queue-warm (the sweep's warm starts: problems started from a
# neighbour's solution, and queued problems from their column's finished one), wide
# (128 full-year LPs at once, from zero and warm), sweep (end to end: `aip sweep`
# with batch against HiGHS sweeping on every core) and highs-workers (that HiGHS sweep
# on 8 and 4 processes).
# Python packages the machine lacks go in .whl/ (bench/gpu_wheels.sh fetches them);
# they are installed into /tmp/site first. aip runs from src/. Each step writes OUT/<step>.json and .log
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

step() {  # step NAME SECONDS SCRIPT ARGS...: one benchmark run
  local name=$1 limit=$2 script=$3
  shift 3
  echo "== $name"
  timeout "$limit" $PY "bench/$script" "$@" --json "$OUT/$name.json" > "$OUT/$name.log" 2>&1
  echo "exit $?"
  grep -E '^\{|"(backend|error|highs_seconds|batch_seconds_first_run|batch_seconds|speedup|optimal|iterations_max|iterations_median|iterations_first_run_median|max_rel_objective_diff)"' "$OUT/$name.log"
}

steps=("$@")
[ ${#steps[@]} -eq 0 ] && steps=(smoke step-cost full-year queue week)
for name in "${steps[@]}"; do
  case $name in
    # correctness and compilation on a small batch, the GPU backends against HiGHS
    smoke) step smoke-24h 90 bench_batch.py --hours 24 --batch 8 --backend jax,cupy --runs 2 ;;
    # cost of one iteration and of the sparse products, by backend and matrix format
    step-cost)
      step step-cost-year 120 bench_batch_step.py --hours 8760 --batch 64 --chunks 30 \
        --backend jax/ell,jax/bcsr,cupy
      step step-cost-week 40 bench_batch_step.py --hours 168 --batch 1024 \
        --backend jax/ell,jax/bcsr ;;
    # the goal: full-year LPs, HiGHS on every CPU core (one process each) against the batch
    full-year) step full-year 160 bench_batch.py --hours 8760 --batch 64 --backend jax \
        --runs 2 --highs-sample 16 --highs-workers 0 --time-limit 60 ;;
    # twice as many full-year LPs through a 64-wide block that refills as problems finish
    queue) step full-year-queue 150 bench_batch.py --hours 8760 --batch 128 --block 64 \
        --backend jax --runs 2 --highs-sample 16 --highs-workers 0 --time-limit 70 ;;
    # the same two, warm as a sweep's later groups are: run 1 solves the even problems from
    # zero (and compiles), run 2 (timed) the odd ones from their neighbours' solutions;
    # queued problems also refill warm
    full-year-warm) step full-year-warm 170 bench_batch.py --hours 8760 --batch 128 \
        --backend jax --runs 2 --warm-start neighbours --highs-sample 16 --highs-workers 0 \
        --time-limit 60 ;;
    queue-warm) step full-year-queue-warm 200 bench_batch.py --hours 8760 --batch 256 \
        --block 64 --backend jax --runs 2 --warm-start neighbours --warm-refill \
        --highs-sample 16 --highs-workers 0 --time-limit 70 ;;
    # wider blocks: the same full-year LPs 128 at once from zero, and 128 warm (of 256)
    wide) step full-year-128 200 bench_batch.py --hours 8760 --batch 128 --backend jax \
        --runs 2 --highs-sample 16 --highs-workers 0 --time-limit 60
      step full-year-warm-256 240 bench_batch.py --hours 8760 --batch 256 --backend jax \
        --runs 2 --warm-start neighbours --highs-sample 16 --highs-workers 0 \
        --time-limit 60 ;;
    # end to end, as a user runs it: `aip sweep` with batch (1,024 full-year cases in
    # groups of 128, warm: one group from zero, seven warm; timed after a 256-case sweep
    # in which JAX compiles, itself recorded) against the same sweep on HiGHS over all
    # cores (64 of the cases, 4 per core, so the pool's start-up weighs little; twice,
    # the second timed); needs the wheels of `bench/gpu_wheels.sh --sweep` (duckdb)
    sweep) step sweep-e2e 540 bench_sweep_batch.py --cases 1024 --group-size 128 \
        --backend jax --modes warm --runs 1 --compile-cases 256 --highs-cases 64 \
        --highs-workers 0 --runs-highs 2 ;;
    # the HiGHS side with fewer processes than cores (the host's 16 CPUs may be 8 cores
    # with two threads each, and 16 barrier solves share its memory bandwidth): the
    # sweep step's baseline is only fair if no smaller pool plans faster
    highs-workers)
      step sweep-highs-8 150 bench_sweep_batch.py --cases 1024 --modes '' --highs-cases 64 \
        --highs-workers 8 --runs-highs 1
      step sweep-highs-4 150 bench_sweep_batch.py --cases 1024 --modes '' --highs-cases 64 \
        --highs-workers 4 --runs-highs 1 ;;
    # a week-long window, a large batch
    week) step week 60 bench_batch.py --hours 168 --batch 1024 --backend jax --runs 2 \
        --highs-sample 64 --highs-workers 0 --time-limit 40 ;;
    *) echo "unknown step $name" ;;
  esac
done
