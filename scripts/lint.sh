#!/usr/bin/env bash
# Checks the repository's files with the tools that read them for real, as CI does before the tests:
#   shell scripts   ShellCheck on every tracked one (a name ending in .sh, or a sh/bash shebang)
#   YAML            yamllint --strict on every tracked file (settings in .yamllint.yaml)
#   compose file    `docker-compose config` on deploy/compose/compose.yaml, and every file it mounts exists
#   Bicep           `bicep build`, `bicep lint` and `bicep build-params` on deploy/azure (the Bicep CLI comes with
#                   the Azure.Bicep.CommandLine.linux-x64 NuGet package that tests/FibRpc.Tests restores)
# scripts/bootstrap.sh installs shellcheck, yamllint and docker-compose. Exits non-zero on the first finding.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { echo "lint: $*" >&2; }
need() { command -v "$1" >/dev/null || { say "$1 is not installed: run scripts/bootstrap.sh (as root), or apt-get install -y --no-install-recommends $2"; exit 1; }; }
need shellcheck shellcheck
need yamllint yamllint
need docker-compose docker-compose

shell_shebang='^#!.*[/ ](ba)?sh([[:space:]]|$)'
shell_scripts=()
yaml_files=()
while IFS= read -r -d '' file; do
    [[ -f $file ]] || continue
    [[ $file == *.yaml || $file == *.yml ]] && yaml_files+=("$file")
    first_line=""
    IFS= read -r first_line <"$file" || true
    if [[ $file == *.sh || $first_line =~ $shell_shebang ]]; then
        shell_scripts+=("$file")
    fi
done < <(git ls-files -z)
say "shellcheck on ${#shell_scripts[@]} scripts"
shellcheck "${shell_scripts[@]}"
say "yamllint on ${#yaml_files[@]} files"
yamllint --strict --format parsable "${yaml_files[@]}"

# Debian's Compose v1 knows every key of the file but the top-level project name, which only v2 reads: it goes in -p.
compose=deploy/compose/compose.yaml
project="$(sed -n 's/^name: *//p' "$compose")"
say "docker-compose config on $compose"
# From stdin, v1 resolves relative paths against the working folder: the compose file's own.
resolved="$(grep -v '^name:' "$compose" | (cd "$(dirname "$compose")" && docker-compose --file - --project-name "${project:-fibfunctions}" config))"
mounts="$(grep -E '^ +(- |source: )/' <<<"$resolved" | sed -E 's/^ +(- |source: )//; s/:.*//' | sort -u)"
[[ -n $mounts ]] || { say "$compose mounts nothing: the resolved file could not be read"; exit 1; }
while IFS= read -r mount; do
    [[ -e $mount ]] || { say "$compose mounts $mount, which does not exist"; exit 1; }
done <<<"$mounts"

dotnet restore tests/FibRpc.Tests --nologo -v quiet >/dev/null
bicep="$(dotnet msbuild tests/FibRpc.Tests -getProperty:PkgAzure_Bicep_CommandLine_linux-x64)/tools/bicep"
[[ -x $bicep ]] || { say "no Bicep CLI at $bicep: restore tests/FibRpc.Tests"; exit 1; }
say "bicep build, lint and build-params on deploy/azure"
# Any output of build or lint is a finding: warnings do not change their exit codes.
for step in "build deploy/azure/main.bicep --stdout" "lint deploy/azure/main.bicep" "build-params deploy/azure/main.bicepparam --stdout"; do
    read -ra arguments <<<"$step"
    findings="$("$bicep" "${arguments[@]}" 2>&1 >/dev/null)" || { say "bicep ${arguments[0]}: $findings"; exit 1; }
    [[ -z $findings ]] || { say "bicep ${arguments[0]}: $findings"; exit 1; }
done
say "clean"
