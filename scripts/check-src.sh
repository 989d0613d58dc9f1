#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Source rules that a compiler does not enforce (in the spirit of curl's checksrc):
# no strcpy/strcat/sprintf/vsprintf/gets/atoi/atol/strtok/rand/srand anywhere in C sources, and
# no raw malloc/calloc/realloc/free outside the allocation wrapper (src/core/alloc.c), so that the
# allocation-failure hook sees every allocation. Exits 1 listing each offending line.
set -euo pipefail
cd "$(dirname "$0")/.."

status=0
files=$(git ls-files -co --exclude-standard -- 'src/*.c' 'src/*.h' 'include/*.h' 'bench/*.c' 'fuzz/*.c')

banned='\b(strcpy|strcat|sprintf|vsprintf|gets|atoi|atol|atoll|strtok|rand|srand)[[:space:]]*\('
if out=$(grep -nE "$banned" $files | grep -vE '^\S+:[0-9]+:\s*(/\*|\*|//)'); then
    echo "check-src: banned function (use snprintf, lc_str_to_i64, strtok_r, randombytes_*):" >&2
    echo "$out" >&2
    status=1
fi

raw='(^|[^_[:alnum:]])(malloc|calloc|realloc|free)[[:space:]]*\('
if out=$(grep -nE "$raw" $(echo "$files" | grep -v '^src/core/alloc.c$') |
         grep -vE '^\S+:[0-9]+:\s*(/\*|\*|//)'); then
    echo "check-src: raw heap call outside src/core/alloc.c (use lc_malloc/lc_free):" >&2
    echo "$out" >&2
    status=1
fi

if [ $status -eq 0 ]; then
    echo "check-src: $(echo "$files" | wc -w) files clean"
fi
exit $status
