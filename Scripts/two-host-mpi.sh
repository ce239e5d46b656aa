#!/usr/bin/env bash
# Runs `swiftkeras-mpi-check MODE OUTPUT-DIR` as 2 MPI ranks on two "hosts": two network
# namespaces on this machine joined by a veth pair (10.77.0.1 and 10.77.0.2), each with
# its own host name, MPI traffic over TCP between them. mpirun starts in the first; its
# launcher reaches the second through `ip netns exec` instead of ssh (this script is the
# launcher's agent when called with --agent). Needs root (ip netns, veth).
#
#   Scripts/two-host-mpi.sh CHECK-EXECUTABLE MODE OUTPUT-DIR
set -euo pipefail

if [[ "${1:-}" == "--agent" ]]; then
  # Open MPI's rsh launcher calls: AGENT [ssh options] HOST COMMAND...
  shift
  while [[ "$1" == -* ]]; do shift; done
  host=$1
  shift
  case "$host" in
    10.77.0.1) namespace=skhostA name=sk-host-a ;;
    10.77.0.2) namespace=skhostB name=sk-host-b ;;
    *) echo "two-host-mpi agent: unknown host $host" >&2; exit 1 ;;
  esac
  exec ip netns exec "$namespace" unshare --uts sh -c "hostname $name; $*"
fi

check=$1
mode=$2
output=$3
script=$(readlink -f "$0")

cleanup() {
  ip netns del skhostA 2>/dev/null || true
  ip netns del skhostB 2>/dev/null || true
}
cleanup
trap cleanup EXIT

ip netns add skhostA
ip netns add skhostB
ip link add skvethA netns skhostA type veth peer name skvethB netns skhostB
ip -n skhostA addr add 10.77.0.1/24 dev skvethA
ip -n skhostB addr add 10.77.0.2/24 dev skvethB
for namespace in skhostA skhostB; do
  ip -n "$namespace" link set lo up
done
ip -n skhostA link set skvethA up
ip -n skhostB link set skvethB up

export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
ip netns exec skhostA unshare --uts sh -c "hostname sk-host-a; exec mpirun --allow-run-as-root \
  -np 2 --host 10.77.0.1:1,10.77.0.2:1 \
  --mca plm_rsh_agent '$script --agent' \
  --mca btl self,tcp --mca btl_tcp_if_include 10.77.0.0/24 --mca oob_tcp_if_include 10.77.0.0/24 \
  -x OMPI_ALLOW_RUN_AS_ROOT -x OMPI_ALLOW_RUN_AS_ROOT_CONFIRM \
  '$check' '$mode' '$output'"
