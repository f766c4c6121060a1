#!/usr/bin/env bash
# A single-node SLURM on this machine for tests/test_slurm.py: slurmctld and slurmd
# (one node: this host, its CPU count and memory, two GRES GPUs so that `--gpus=1`
# requests can be scheduled on a machine without any), accounting through slurmdbd on
# MariaDB so that `sacct` lists the jobs. Installs Debian's packages when missing.
# Needs root. Does nothing when the cluster is already up.
#   sudo bash tests/slurm/start-slurm.sh
# Safe on a shared machine: logs and fake devices go to a new private directory
# (mktemp), no file is written through a symbolic link, a SLURM configuration this script
# did not write is never replaced (it stops and says so), and the accounting database
# user gets a random password.
set -euo pipefail

CLUSTER=vaeconcepts
MARK="# Written by vaeconcepts tests/slurm/start-slurm.sh (a test cluster); safe to replace."

if sinfo -h -o %T 2>/dev/null | grep -qE '^(idle|mixed|allocated)' && sacct -n -X >/dev/null 2>&1; then
    echo "SLURM is already up"; exit 0
fi
if [ "$(id -u)" != 0 ]; then
    echo "start-slurm.sh: must run as root" >&2; exit 1
fi
for f in /etc/slurm/slurm.conf /etc/slurm/slurmdbd.conf /etc/slurm/gres.conf; do
    if [ -L "$f" ] || { [ -e "$f" ] && ! grep -qxF "$MARK" "$f"; }; then
        echo "start-slurm.sh: $f exists and was not written by this script: this machine" \
            "has a SLURM configuration of its own, which is left alone. Run the SLURM" \
            "test there as it is, or on a machine without SLURM." >&2
        exit 1
    fi
done
[ ! -L /etc/slurm ] || { echo "start-slurm.sh: /etc/slurm is a symbolic link" >&2; exit 1; }
DIR=$(mktemp -d /var/tmp/vaeconcepts-slurm.XXXXXXXX)  # private (0700), new each time

write_conf() {  # write_conf FILE: stdin to FILE, never through a link (rename over it)
    local tmp
    tmp=$(mktemp "$(dirname "$1")/.start-slurm.XXXXXXXX")
    { echo "$MARK"; cat; } >"$tmp"
    chmod "${2:-644}" "$tmp"
    mv -fT "$tmp" "$1"
}

need=()
command -v slurmctld >/dev/null || need+=(slurm-wlm)
command -v slurmdbd >/dev/null || need+=(slurmdbd)
command -v munged >/dev/null || need+=(munge)
command -v mariadbd >/dev/null || need+=(mariadb-server)
if [ ${#need[@]} -gt 0 ]; then
    echo "== installing ${need[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q
    apt-get install -y -q --no-install-recommends slurm-wlm slurmdbd munge mariadb-server
fi

wait_for() {  # wait_for SECONDS DESCRIPTION COMMAND...: poll until COMMAND succeeds
    local limit=$1 what=$2; shift 2
    for _ in $(seq "$limit"); do "$@" >/dev/null 2>&1 && return 0; sleep 1; done
    echo "start-slurm.sh: $what did not come up within ${limit}s" >&2
    for f in "$DIR"/*.log; do echo "--- $f"; tail -n 30 "$f"; done >&2
    return 1
}

mkdir -p /etc/slurm /run/munge /run/mysqld /var/spool/slurmctld /var/spool/slurmd
chmod 755 /etc/slurm /run/munge  # munged wants its socket directory open to all (x)

echo "== munge"
if [ ! -s /etc/munge/munge.key ]; then
    mungekey --create --keyfile /etc/munge/munge.key
fi
chown -R munge:munge /etc/munge /run/munge /var/lib/munge /var/log/munge
chmod 700 /etc/munge && chmod 600 /etc/munge/munge.key
pgrep -x munged >/dev/null || runuser -u munge -- /usr/sbin/munged </dev/null >/dev/null 2>&1
wait_for 20 munge bash -c 'munge -n | unmunge'

echo "== MariaDB (accounting database)"
chown mysql:mysql /run/mysqld
if ! mysqladmin ping >/dev/null 2>&1; then
    [ -d /var/lib/mysql/mysql ] || mariadb-install-db --user=mysql >"$DIR/mariadb-install.log" 2>&1
    (cd / && setsid mysqld_safe --user=mysql </dev/null >"$DIR/mariadb.log" 2>&1 &)
fi
wait_for 60 MariaDB mysqladmin ping
DB_PASS=$(head -c 32 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 24)
mysql -u root <<SQL
CREATE DATABASE IF NOT EXISTS slurm_acct_db;
CREATE USER IF NOT EXISTS 'slurm'@'localhost' IDENTIFIED BY '$DB_PASS';
ALTER USER 'slurm'@'localhost' IDENTIFIED BY '$DB_PASS';
GRANT ALL ON slurm_acct_db.* TO 'slurm'@'localhost';
FLUSH PRIVILEGES;
SQL

echo "== configuration"
host=$(hostname -s)
# Two GPUs that are only counted, so that the scheduler can grant --gpus=1 on a machine
# without any: slurmd wants a character device per GPU (these have /dev/null's numbers).
gres=""
for i in 0 1; do
    [ -c "$DIR/fakegpu$i" ] || mknod "$DIR/fakegpu$i" c 1 3 || break
done
if [ -c "$DIR/fakegpu1" ]; then
    gres="Gres=gpu:2"
    echo "NodeName=$host Name=gpu File=$DIR/fakegpu[0-1]" | write_conf /etc/slurm/gres.conf
else
    echo "start-slurm.sh: cannot create fake GPU devices; the node has no GPUs" >&2
    write_conf /etc/slurm/gres.conf </dev/null
fi
# This node as slurmd sees it (CPUs, sockets, cores, threads), 95 % of its memory.
node=$(slurmd -C | head -n 1 | sed "s/^NodeName=[^ ]*/NodeName=$host/" |
    awk '{ for (i = 1; i <= NF; i++) if ($i ~ /^RealMemory=/) { split($i, m, "=");
           $i = "RealMemory=" int(m[2] * 0.95) } print }')
write_conf /etc/slurm/slurmdbd.conf 600 <<CONF
AuthType=auth/munge
DbdHost=localhost
SlurmUser=root
StorageType=accounting_storage/mysql
StorageHost=localhost
StorageUser=slurm
StoragePass=$DB_PASS
StorageLoc=slurm_acct_db
PidFile=/run/slurmdbd.pid
LogFile=$DIR/slurmdbd.log
CONF
write_conf /etc/slurm/slurm.conf <<CONF
ClusterName=$CLUSTER
SlurmctldHost=$host
SlurmUser=root
AuthType=auth/munge
StateSaveLocation=/var/spool/slurmctld
SlurmdSpoolDir=/var/spool/slurmd
SlurmctldPidFile=/run/slurmctld.pid
SlurmdPidFile=/run/slurmd.pid
SlurmctldLogFile=$DIR/slurmctld.log
SlurmdLogFile=$DIR/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU_Memory
ReturnToService=2
MinJobAge=600
JobAcctGatherType=jobacct_gather/linux
JobAcctGatherFrequency=5
AccountingStorageType=accounting_storage/slurmdbd
AccountingStorageHost=localhost
AccountingStorageTRES=gres/gpu
JobCompType=jobcomp/filetxt
JobCompLoc=$DIR/jobcomp.txt
GresTypes=gpu
$node $gres State=UNKNOWN
PartitionName=debug Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF

echo "== slurmdbd"
pgrep -x slurmdbd >/dev/null || slurmdbd </dev/null >/dev/null 2>&1
wait_for 60 slurmdbd sacctmgr -n show cluster
sacctmgr -i add cluster "$CLUSTER" >/dev/null 2>&1 || true

echo "== slurmctld, slurmd"
pgrep -x slurmctld >/dev/null || slurmctld </dev/null >/dev/null 2>&1
wait_for 60 slurmctld scontrol ping
pgrep -x slurmd >/dev/null || slurmd </dev/null >/dev/null 2>&1
# A node drained by an earlier configuration (state is kept in StateSaveLocation) is resumed.
wait_for 60 "node $host" bash -c "scontrol update NodeName=$host State=RESUME >/dev/null 2>&1;
    sinfo -h -o %T | grep -qE '^(idle|mixed|allocated)'"
wait_for 30 sacct sacct -n -X
sinfo
echo "SLURM is up (logs in $DIR)"
