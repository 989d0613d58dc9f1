/* SPDX-License-Identifier: MIT */
/* Plain-C driver for libFuzzer targets: calls LLVMFuzzerTestOneInput on every file of the
 * directories (or files) named on the command line, so that gcc builds replay the corpus and
 * every kept crasher under ctest. Exits non-zero if an argument cannot be read; a failing
 * input aborts inside the target. */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "lectern/alloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int run_file(const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "replay: cannot open %s\n", path);
        return -1;
    }
    int rc = -1;
    uint8_t *data = NULL;
    if (fseek(f, 0, SEEK_END) != 0)
        goto out;
    long n = ftell(f);
    if (n < 0 || fseek(f, 0, SEEK_SET) != 0)
        goto out;
    /* An exact-size heap copy, so that ASan catches any read past the input. */
    data = lc_malloc(n ? (size_t)n : 1);
    if (!data || fread(data, 1, (size_t)n, f) != (size_t)n)
        goto out;
    LLVMFuzzerTestOneInput(data, (size_t)n);
    rc = 0;
out:
    lc_free(data);
    fclose(f);
    if (rc != 0)
        fprintf(stderr, "replay: cannot read %s\n", path);
    return rc;
}

int main(int argc, char **argv) {
    int failures = 0, files = 0;
    for (int i = 1; i < argc; i++) {
        struct stat st;
        if (stat(argv[i], &st) != 0) {
            fprintf(stderr, "replay: %s: not found\n", argv[i]);
            failures++;
            continue;
        }
        if (!S_ISDIR(st.st_mode)) {
            failures += run_file(argv[i]) != 0;
            files++;
            continue;
        }
        DIR *d = opendir(argv[i]);
        if (!d) {
            failures++;
            continue;
        }
        struct dirent *e;
        while ((e = readdir(d)) != NULL) {
            if (e->d_name[0] == '.')
                continue; /* ., .., .gitkeep */
            char path[4096];
            int n = snprintf(path, sizeof path, "%s/%s", argv[i], e->d_name);
            if (n < 0 || (size_t)n >= sizeof path) {
                failures++;
                continue;
            }
            failures += run_file(path) != 0;
            files++;
        }
        closedir(d);
    }
    printf("replay: %d inputs, %d unreadable\n", files, failures);
    return failures ? 1 : 0;
}
