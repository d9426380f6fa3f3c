#!/usr/bin/env bash
# Where each instruction of a ChatBenchmarks/ApiBenchmarks method goes, per call: callgrind (calling thread only, no
# garbage collection, as instructions.sh) with the JIT's method names (DOTNET_PerfMapEnabled), run N1 and N2 times and
# differenced, so start-up and JIT cancel. Needs valgrind and python3.
#   tests/AiGateway.Benchmarks/profile/profile.sh OursPipeline [N1 N2]   -> prints the output folder
#   tests/AiGateway.Benchmarks/profile/top.sh <folder>                   -> methods by inclusive instructions per call
#   python3 tests/AiGateway.Benchmarks/profile/callees.py <folder> N1 N2 'GatewayInstruments::TagAnswer'
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
method=$1; n1=${2:-200}; n2=${3:-1200}
dotnet build -c Release "$root/tests/AiGateway.Benchmarks" -v q -nologo >/dev/null
dll=$root/tests/AiGateway.Benchmarks/bin/Release/net10.0/AiGateway.Benchmarks.dll
out=$(mktemp -d "/tmp/profile.$method.XXXX")
for n in $n1 $n2; do
  DOTNET_PerfMapEnabled=1 DOTNET_TieredCompilation=0 DOTNET_TieredPGO=0 DOTNET_gcConcurrent=0 DOTNET_gcServer=0 DOTNET_GCgen0size=0x30000000 \
    valgrind --tool=callgrind --separate-threads=yes --dump-instr=no --callgrind-out-file="$out/cg.$n" dotnet "$dll" --calls "$method" "$n" >/dev/null 2>"$out/log.$n"
  pid=$(grep -m1 -o '==[0-9]*==' "$out/log.$n" | tr -d =)
  mv "/tmp/perf-$pid.map" "$out/perf.$n.map"
  python3 "$here/costs.py" "$(ls "$out"/cg."$n"-* | sort | head -1)" "$out/perf.$n.map" > "$out/costs.$n"
done
python3 - "$out/costs.$n1" "$out/costs.$n2" "$n1" "$n2" > "$out/per-call.tsv" <<'PY'
import sys
def load(p):
    r = {}
    for line in open(p):
        name, incl, own = line.rstrip('\n').rsplit('\t', 2)
        r[name] = (int(incl), int(own))
    return r
a, b, n1, n2 = load(sys.argv[1]), load(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
for name in set(a) | set(b):
    (ai, ao), (bi, bo) = a.get(name, (0, 0)), b.get(name, (0, 0))
    print(f"{name}\t{(bi - ai) / (n2 - n1):.0f}\t{(bo - ao) / (n2 - n1):.0f}")
PY
echo "$out"
