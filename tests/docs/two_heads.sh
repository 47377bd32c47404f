#!/bin/sh
# A setup of check_examples.py: gives ./migrations two heads with fixed ids,
# 130b2a84fac1 ("add tags") and 806bbb461f57 ("add notes"), both revising the
# PCS head, as two developers' branches would after a merge of their work.
set -eu
cp -r migrations .base
branch() {   # id message: scaffold in a copy of the old list, rename to id, copy back
    rm -rf .branch && cp -r .base .branch
    f=$(pcs-migrate create-migration --dir .branch "$2")
    old=$(basename "$f" | cut -c1-12)
    name=$(basename "$f" | sed "s/^$old/$1/")
    sed "s/$old/$1/g" ".branch/$(basename "$f")" > "migrations/$name"
    printf '%s\n' "$name" >> migrations/revisions.txt
    rm -rf .branch
}
branch 130b2a84fac1 "add tags"
branch 806bbb461f57 "add notes"
rm -rf .base
