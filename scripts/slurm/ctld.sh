#!/bin/bash
# ctld.sh stop|start - stops or starts only slurmctld (its saved state kept), so tests can take the
# controller away mid-run and bring it back. PID 1 here does not reap orphans: a zombie counts as gone.
set -eu
R=${SLURM_ROOT:-/tmp/jq-slurm}; export SLURM_CONF=$R/etc/slurm.conf
alive() { [ -n "$1" ] && [ -e "/proc/$1" ] && ! grep -q '^State:[[:space:]]*Z' "/proc/$1/status" 2>/dev/null; }
p=$(cat "$R/run/slurmctld.pid" 2>/dev/null || true)
case "${1:-}" in
  stop)
    alive "$p" || exit 0
    kill -KILL "$p"   # like a crash: no goodbye to anyone
    for i in $(seq 50); do alive "$p" || exit 0; sleep 0.1; done
    echo "slurmctld ($p) did not stop" >&2; exit 1 ;;
  start)
    alive "$p" && exit 0
    slurmctld -D </dev/null >>"$R/log/slurmctld.out" 2>&1 &
    for i in $(seq 100); do scontrol ping 2>/dev/null | grep -q UP && exit 0; sleep 0.1; done
    echo "slurmctld did not answer within 10 s" >&2; tail -n 20 "$R/log/slurmctld.log" >&2; exit 1 ;;
  *) echo "usage: ctld.sh stop|start" >&2; exit 2 ;;
esac
