#!/bin/bash
# up.sh - a real single-node Slurm (munged + slurmctld + slurmd) for the test tier, without systemd;
# all state under $SLURM_ROOT (default /tmp/jq-slurm). Installs Debian's slurm-wlm + munge with apt
# when missing (the CI machine is a clean Debian with root). Adapted from
# ../shared/reference/slurm-single-host/slurm-up.sh; see its README for the measured facts.
# Differences: MinJobAge is small (10 s) so "Slurm forgot the job" is testable; more CPUs than the
# machine has (SLURM_CPUS, default 8) so several test jobs run at once; any local user may submit
# (the munge socket's folder is o+x).
set -euo pipefail
R=${SLURM_ROOT:-/tmp/jq-slurm}; H=$(hostname -s); CPUS=${SLURM_CPUS:-8}
export SLURM_CONF=$R/etc/slurm.conf; T0=$(date +%s%N)
mkdir -p "$R/etc" "$R/munge" "$R/log" "$R/run"; chmod 755 "$R" "$R/etc" "$R/munge"   # munged needs o+x on the socket dir
if ! command -v slurmctld >/dev/null || ! command -v munged >/dev/null || ! command -v sbatch >/dev/null; then
  [ "$(id -u)" = 0 ] || { echo "Slurm is not installed and installing it needs root (apt-get install slurm-wlm munge)" >&2; exit 1; }
  apt-get update -qq >"$R/log/apt.log" 2>&1 || { echo "apt-get update failed:" >&2; tail -n 5 "$R/log/apt.log" >&2; exit 1; }
  # No daemon may be started by the package scripts (no systemd here): a policy-rc.d that says no.
  RMP=; [ -e /usr/sbin/policy-rc.d ] || { printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d; chmod +x /usr/sbin/policy-rc.d; RMP=1; }
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends slurm-wlm munge >>"$R/log/apt.log" 2>&1 \
    || { echo "apt-get install slurm-wlm munge failed:" >&2; tail -n 10 "$R/log/apt.log" >&2; [ -n "$RMP" ] && rm -f /usr/sbin/policy-rc.d; exit 1; }
  [ -n "$RMP" ] && rm -f /usr/sbin/policy-rc.d
fi
T1=$(date +%s%N)
alive() { [ -n "$1" ] && [ -e "/proc/$1" ] && ! grep -q '^State:[[:space:]]*Z' "/proc/$1/status" 2>/dev/null; }
for d in munged slurmctld slurmd; do
  p=$(cat "$R/run/$d.pid" 2>/dev/null || true)
  # Exit 3: someone else's cluster (another tier, another session) runs here; the caller must not take it down.
  if alive "$p"; then echo "$d is already running (pid $p): another Slurm test cluster is up here; run scripts/slurm/down.sh once it is done" >&2; exit 3; fi
done
rm -rf "$R/state" "$R/spool" "$R/run"/*; mkdir -p "$R/state" "$R/spool"
[ -s "$R/munge/munge.key" ] || mungekey --create --keyfile="$R/munge/munge.key" >/dev/null
chmod 600 "$R/munge/munge.key"
cat >"$SLURM_CONF" <<EOF
ClusterName=jq
SlurmctldHost=$H(127.0.0.1)
SlurmUser=root
AuthType=auth/munge
AuthInfo=socket=$R/munge/munge.socket.2,cred_expire=${SLURM_CRED_EXPIRE:-5}
StateSaveLocation=$R/state
SlurmdSpoolDir=$R/spool
SlurmctldPidFile=$R/run/slurmctld.pid
SlurmdPidFile=$R/run/slurmd.pid
SlurmctldLogFile=$R/log/slurmctld.log
SlurmdLogFile=$R/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerParameters=batch_sched_delay=0,sched_interval=1
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/filetxt
JobCompLoc=$R/log/jobcomp.txt
MinJobAge=${SLURM_MIN_JOB_AGE:-10}
KillWait=5
ReturnToService=2
MpiDefault=none
MailProg=/bin/true
SlurmdParameters=config_overrides
NodeName=$H NodeAddr=127.0.0.1 CPUs=$CPUS State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
EOF
chmod 644 "$SLURM_CONF"
munged -F --socket="$R/munge/munge.socket.2" --key-file="$R/munge/munge.key" --pid-file="$R/run/munged.pid" \
  --log-file="$R/log/munged.log" --seed-file="$R/munge/munged.seed" </dev/null >>"$R/log/munged.out" 2>&1 &
for i in $(seq 100); do munge -n -S "$R/munge/munge.socket.2" >/dev/null 2>&1 && break; sleep 0.1; done
"$(dirname "$0")/ctld.sh" start
slurmd -D </dev/null >>"$R/log/slurmd.out" 2>&1 &
for i in $(seq 300); do
  [ "$(sinfo -h -N -o %T 2>/dev/null)" = idle ] && break
  [ "$i" = 300 ] && { echo "Slurm did not become ready within 60 s; its logs say:" >&2; tail -n 20 "$R"/log/*.log >&2; exit 1; }
  sleep 0.2
done
echo "export SLURM_CONF=$SLURM_CONF" >"$R/env.sh"
T2=$(date +%s%N)
echo "slurm up: install $(( (T1-T0)/1000000 )) ms, daemons->idle $(( (T2-T1)/1000000 )) ms; SLURM_CONF=$SLURM_CONF"
