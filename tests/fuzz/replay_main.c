/*
 * main() for the fuzz targets without libFuzzer (gcc, -Dfuzz=disabled): runs
 * each seed corpus file once, so every build checks the regression inputs.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));

static unsigned long n_inputs;

static void replay_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    unsigned char *data = NULL;
    size_t size = 0, cap = 0, got;

    if (!f) {
        perror(path);
        exit(1);
    }
    do {
        if (size == cap) {
            cap = cap ? 2 * cap : 4096;
            data = realloc(data, cap);
            if (!data)
                abort();
        }
        got = fread(data + size, 1, cap - size, f);
        size += got;
    } while (got);
    fclose(f);
    LLVMFuzzerTestOneInput(data, size);
    free(data);
    n_inputs++;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void replay(const char *path)
{
    struct stat st;
    DIR *dir;
    struct dirent *e;
    char **names = NULL;
    size_t n = 0, i;

    if (stat(path, &st) < 0) {
        perror(path);
        exit(1);
    }
    if (!S_ISDIR(st.st_mode)) {
        replay_file(path);
        return;
    }
    dir = opendir(path);
    if (!dir) {
        perror(path);
        exit(1);
    }
    while ((e = readdir(dir))) {
        char *full;

        if (e->d_name[0] == '.')
            continue;
        full = malloc(strlen(path) + strlen(e->d_name) + 2);
        names = realloc(names, (n + 1) * sizeof(*names));
        if (!full || !names)
            abort();
        sprintf(full, "%s/%s", path, e->d_name);
        names[n++] = full;
    }
    closedir(dir);
    qsort(names, n, sizeof(*names), by_name);
    for (i = 0; i < n; i++) {
        replay_file(names[i]);
        free(names[i]);
    }
    free(names);
}

int main(int argc, char **argv)
{
    int i;

    if (argc < 2) {
        fprintf(stderr, "usage: %s FILE|DIR...\n", argv[0]);
        return 2;
    }
    if (LLVMFuzzerInitialize)
        LLVMFuzzerInitialize(&argc, &argv);
    for (i = 1; i < argc; i++)
        replay(argv[i]);
    printf("replayed %lu inputs, no invariant broken\n", n_inputs);
    return 0;
}
