#!/bin/bash
# One sweep as a Slurm job array: task i runs shard i/N of the grid, then a dependent job merges the shards.
#   sbatch --array=0-7 examples/slurm-sweep.sh examples/sweep-grid.json       # N = 8 shards
#   (after they finish)  npm run sweep -- merge lambda-alpha-demo
# or let Slurm chain the merge:
#   jid=$(sbatch --parsable --array=0-7 examples/slurm-sweep.sh examples/sweep-grid.json)
#   sbatch --dependency=afterok:$jid --wrap "cd $PWD && npm run --silent sweep -- merge lambda-alpha-demo"
# Each task appends its finished runs to data/sweeps/<name>.shard-<i>-of-<N>.jsonl on the shared file system (a task
# that is killed or requeued loses nothing: re-running it computes only what is missing); the merged
# data/sweeps/<name>.jsonl holds exactly the records of an unsharded run. Re-submitting skips runs already computed
# with the same config (add --force to recompute).
#SBATCH --job-name=momentum-sweep
#SBATCH --cpus-per-task=4
#SBATCH --mem=2G
#SBATCH --time=01:00:00
#SBATCH --output=slurm-%A_%a.out
set -euo pipefail

GRID=${1:?usage: sbatch --array=0-(N-1) examples/slurm-sweep.sh GRID.json}
: "${SLURM_ARRAY_TASK_ID:?run this script as a Slurm job array (sbatch --array=0-(N-1))}"
# N = number of array tasks (SLURM_ARRAY_TASK_COUNT is set by Slurm ≥ 20.02; else derive it from MAX - MIN + 1).
N=${SLURM_ARRAY_TASK_COUNT:-$((SLURM_ARRAY_TASK_MAX - SLURM_ARRAY_TASK_MIN + 1))}
I=$((SLURM_ARRAY_TASK_ID - ${SLURM_ARRAY_TASK_MIN:-0}))

cd "${SLURM_SUBMIT_DIR:-$(dirname "$0")/..}"
# One worker thread per allocated CPU.
npm run --silent sweep -- run "$GRID" --shard "$I/$N" --workers "${SLURM_CPUS_PER_TASK:-1}" --quiet
