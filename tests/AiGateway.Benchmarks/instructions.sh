#!/usr/bin/env bash
# Instructions per call of ChatBenchmarks methods, under valgrind's callgrind: each method runs N1 and N2 times and
# (total(N2) - total(N1)) / (N2 - N1) cancels start-up and JIT. Only the calling thread is counted (the calls and, with
# workstation non-concurrent GC, the GC run there): timer and thread-pool threads run more or less often with the
# machine's load, and counting them moved results by 20%. No collection runs at all (a 768 MB first generation): a
# collection falling into one run and not the other moved a row by up to 10%, and the collector's work follows the
# bytes allocated, which the calls run prints exactly beside. Repeats within ~0.1%, unlike wall-clock time here.
#   tests/AiGateway.Benchmarks/instructions.sh Adapter Ours AdapterPipeline OursPipeline
set -euo pipefail
cd "$(dirname "$0")/../.."
n1=${N1:-200}
n2=${N2:-1200}
dotnet build -c Release tests/AiGateway.Benchmarks -v q -nologo >/dev/null
dll=tests/AiGateway.Benchmarks/bin/Release/net10.0/AiGateway.Benchmarks.dll
out=$(mktemp -d)
total() {
  DOTNET_TieredCompilation=0 DOTNET_TieredPGO=0 DOTNET_gcConcurrent=0 DOTNET_gcServer=0 DOTNET_GCgen0size=0x30000000 valgrind --tool=callgrind --separate-threads=yes \
    --dump-instr=no --callgrind-out-file="$out/cg.$1.$2" dotnet "$dll" --calls "$1" "$2" >/dev/null 2>"$out/log.$1.$2"
  grep -m1 '^summary:' "$(ls "$out/cg.$1.$2"-* | sort | head -1)" | awk '{print $2}'
}
printf '%-28s %14s\n' method instructions/call
for method in "$@"; do
  a=$(total "$method" "$n1"); b=$(total "$method" "$n2")
  printf '%-28s %14d\n' "$method" $(( (b - a) / (n2 - n1) ))
done
rm -rf "$out"
