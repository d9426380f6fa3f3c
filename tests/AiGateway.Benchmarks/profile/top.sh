#!/usr/bin/env bash
# Methods of a profile.sh folder by inclusive instructions per call (name, inclusive, self), names shortened.
sed -E 's/\[[A-Za-z.]+\] //g; s/class |valuetype |instance //g; s/\(.*\)\[Optimized\]/()/; s/\[[A-Za-z.]+\]//g' "$1/per-call.tsv" \
  | grep -v '^?\|^???\|^stub\|^\./\|PROGRAM' | sort -t$'\t' -k2 -n -r | head -"${2:-80}"
