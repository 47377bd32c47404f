/* bench-measure: runs one command for bench/bench.py and prints "SECONDS MAXRSS_KB STATUS":
 * wall time of spawn..exit and the child's own peak RSS (ru_maxrss), output appended to LOG. */
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

/* A child spawned straight from python would report python's RSS: ru_maxrss keeps the
 * high-water mark of the address space it was spawned from.  This launcher is small. */
int main(int argc, char **argv)
{
    posix_spawn_file_actions_t actions;
    struct timespec t0, t1;
    struct rusage ru;
    pid_t pid;
    int log, status, err;

    if (argc < 3) {
        fprintf(stderr, "usage: bench-measure LOG COMMAND [ARG...]\n");
        return 2;
    }
    log = open(argv[1], O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (log < 0) {
        perror(argv[1]);
        return 2;
    }
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&actions, log, 1);
    posix_spawn_file_actions_adddup2(&actions, log, 2);
    clock_gettime(CLOCK_MONOTONIC, &t0);
    err = posix_spawnp(&pid, argv[2], &actions, NULL, argv + 2, environ);
    if (err != 0) {
        fprintf(stderr, "bench-measure: cannot run %s\n", argv[2]);
        return 2;
    }
    if (wait4(pid, &status, 0, &ru) != pid) {
        perror("wait4");
        return 2;
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    printf("%.6f %ld %d\n", (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9,
           ru.ru_maxrss, WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
    return 0;
}
