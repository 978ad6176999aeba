#!/bin/bash
# down.sh - cancels every job, stops slurmd/slurmctld/munged by their pid files, wipes runtime state.
# PID 1 here does not reap orphans, so a daemon that became a zombie counts as stopped.
R=${SLURM_ROOT:-/tmp/jq-slurm}; export SLURM_CONF=$R/etc/slurm.conf
alive() { [ -n "$1" ] && [ -e "/proc/$1" ] && ! grep -q '^State:[[:space:]]*Z' "/proc/$1/status" 2>/dev/null; }
declare -A P; for d in slurmd slurmctld munged; do P[$d]=$(cat "$R/run/$d.pid" 2>/dev/null); done
if alive "${P[slurmctld]}"; then
  J=$(timeout 10 squeue -h -o %i 2>/dev/null); [ -n "$J" ] && timeout 10 scancel --full $J
  for i in $(seq 50); do [ -z "$(timeout 5 squeue -h -o %i 2>/dev/null)" ] && break; sleep 0.2; done
fi
for d in slurmd slurmctld munged; do
  p=${P[$d]}; [ -n "$p" ] || continue
  alive "$p" && kill -TERM "$p" 2>/dev/null
  for i in $(seq 50); do alive "$p" || break; sleep 0.1; done
  alive "$p" && { echo "$d ($p) still alive, SIGKILL" >&2; kill -KILL "$p"; }
done
rm -rf "$R/state" "$R/spool" "$R/run" "$R/env.sh"
echo "slurm down"
