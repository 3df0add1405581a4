#!/usr/bin/env bash
# Fails when an #include runs against the dependency order written in core/README.md: a folder of
# core/ may include only itself and the folders its line below names, and the top-level folders
# point one way (core <- lab <- runtime, tools). Prints each offending line.
set -u
root=${1:?usage: check_include_order.sh REPO_ROOT}
cd "$root" || exit 2

# What each folder of core/ may include besides itself ("top" is core/*.h: constants, runtime).
core_order='
top:         util
util:
store:       top util
protocol:    top util
metrics:     top util
cluster:     top util protocol
server:      top util store protocol metrics cluster
persistence: top util store protocol metrics cluster server
replication: top util store protocol metrics cluster server persistence
scripting:   top util protocol
commands:    top util store protocol metrics server persistence cluster replication scripting
http:        top util store protocol metrics server persistence cluster replication scripting commands
node:        top util store protocol metrics server persistence cluster replication scripting commands http
'
# What each top-level folder may include besides itself (tests/, fuzz/, bench/ may include all).
top_order='
core:
lab:         core
runtime:     core lab
tools:       core lab
'

grep -rnE --include='*.h' --include='*.cpp' '^[[:space:]]*#include[[:space:]]*"' core lab runtime tools |
  awk -v core_order="$core_order" -v top_order="$top_order" '
    function load(text, table,   lines, n, i, parts) {
      n = split(text, lines, "\n")
      for (i = 1; i <= n; i++) {
        if (lines[i] !~ /:/) continue
        split(lines[i], parts, ":")
        table[parts[1]] = " " parts[2] " "
      }
    }
    function folder(path,   rest) {  # core/<folder>/... -> folder; core/<file> -> top
      rest = substr(path, 6)
      return index(rest, "/") ? substr(rest, 1, index(rest, "/") - 1) : "top"
    }
    BEGIN { load(core_order, core); load(top_order, top); bad = 0 }
    {
      file = $0; sub(/:.*/, "", file)
      target = $0; sub(/^[^"]*"/, "", target); sub(/".*/, "", target)
      from_top = file; sub(/\/.*/, "", from_top)
      to_top = target; sub(/\/.*/, "", to_top)
      if (from_top != to_top && index(top[from_top], " " to_top " ") == 0) {
        print file ": " from_top "/ may not include " target; bad = 1; next
      }
      if (from_top != "core") next
      from = folder(file); to = folder(target)
      if (!(from in core)) {
        print file ": core/" from "/ is not in the order (core/README.md, this script)"; bad = 1
      } else if (from != to && index(core[from], " " to " ") == 0) {
        print file ": core/" from "/ may not include " target; bad = 1
      }
    }
    END {
      if (!bad) print "include order respected"
      exit bad
    }'
