/*
 * The fleet's scheduler: a process per target, at most `jobs` at once, their
 * output read line by line through pipes.  A process per target, not a
 * thread, so that each target runs the very code of a single run, with its
 * own signal handling and nothing shared that a failure could corrupt.
 */
#define _GNU_SOURCE     /* pipe2(), ppoll() */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "fleet/fleet.h"

struct child {
    pid_t pid;                  /* 0: a free slot */
    size_t index;
    int fd[2];                  /* read ends of its stdout and stderr; -1 at EOF */
    pcsm_buf partial[2];        /* what followed the last newline of each */
    double start;
    bool signalled;
};

struct sched {
    const pcsm_fleet_targets *targets;
    const pcsm_fleet_opts *opts;
    pcsm_fleet_outcome *outcomes;
    struct child *slots;
    size_t n_slots, running;
};

static double now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The running targets' times so far, for the callbacks. */
static void refresh(struct sched *s)
{
    double now = now_s();
    size_t i;

    for (i = 0; i < s->n_slots; i++)
        if (s->slots[i].pid)
            s->outcomes[s->slots[i].index].seconds = now - s->slots[i].start;
}

/* In the child: its pipes as stdout and stderr, every other child's closed. */
static _Noreturn void child_main(struct sched *s, size_t slot, int out[2], int err[2],
                                 const sigset_t *mask)
{
    size_t i, index = s->slots[slot].index;
    int status;

    for (i = 0; i < s->n_slots; i++) {
        if (!s->slots[i].pid || i == slot)
            continue;
        if (s->slots[i].fd[0] >= 0)
            close(s->slots[i].fd[0]);
        if (s->slots[i].fd[1] >= 0)
            close(s->slots[i].fd[1]);
    }
    close(out[0]);
    close(err[0]);
    if (dup2(out[1], STDOUT_FILENO) < 0 || dup2(err[1], STDERR_FILENO) < 0)
        _exit(70);      /* EX_SOFTWARE: the parent reports the status */
    close(out[1]);
    close(err[1]);
    sigprocmask(SIG_SETMASK, mask, NULL);
    status = s->opts->run(&s->targets->v[index], index, s->opts->payload);
    fflush(stdout);
    fflush(stderr);
    _exit(status & 0xff);
}

static int start(pcsm_ctx *ctx, struct sched *s, size_t index, const sigset_t *mask)
{
    int out[2] = { -1, -1 }, err[2] = { -1, -1 };
    size_t slot;
    pid_t pid;

    for (slot = 0; s->slots[slot].pid; slot++)
        ;
    if (pipe2(out, O_CLOEXEC) != 0 || pipe2(err, O_CLOEXEC) != 0) {
        int e = errno;

        if (out[0] >= 0) {
            close(out[0]);
            close(out[1]);
        }
        return pcsm_error__set(ctx, PCSM_ERROR, "fleet: cannot make a pipe for %s: %s",
                               s->targets->v[index].label, strerror(e));
    }
    /* What stdio holds would be written twice, by the parent and the child. */
    fflush(stdout);
    fflush(stderr);
    s->slots[slot].index = index;
    pid = fork();
    if (pid < 0) {
        int e = errno;

        close(out[0]);
        close(out[1]);
        close(err[0]);
        close(err[1]);
        return pcsm_error__set(ctx, PCSM_ERROR, "fleet: cannot start a process for %s: %s",
                               s->targets->v[index].label, strerror(e));
    }
    if (pid == 0)
        child_main(s, slot, out, err, mask);
    close(out[1]);
    close(err[1]);
    s->slots[slot] = (struct child){ pid, index, { out[0], err[0] },
                                     { PCSM_BUF_INIT, PCSM_BUF_INIT }, now_s(), false };
    s->outcomes[index].state = PCSM_FLEET_RUNNING;
    s->outcomes[index].seconds = 0;
    s->running++;
    if (s->opts->on_start)
        s->opts->on_start(index, s->opts->payload);
    return 0;
}

static void emit(struct sched *s, struct child *c, int stream, const char *line, size_t len)
{
    if (!s->opts->on_line)
        return;
    refresh(s);
    s->opts->on_line(c->index, stream + 1, line, len, s->opts->payload);
}

/* Reads what one pipe has; hands on each whole line; at EOF the rest. */
static void drain(struct sched *s, struct child *c, int stream)
{
    pcsm_buf *partial = &c->partial[stream];
    char chunk[8192];
    ssize_t got = read(c->fd[stream], chunk, sizeof(chunk));
    size_t used = 0;
    char *nl;

    if (got < 0 && (errno == EINTR || errno == EAGAIN))
        return;
    if (got <= 0) {
        if (partial->len)
            emit(s, c, stream, partial->ptr, partial->len);
        pcsm_buf_dispose(partial);
        close(c->fd[stream]);
        c->fd[stream] = -1;
        return;
    }
    pcsm_buf_put(partial, chunk, (size_t)got);
    while ((nl = memchr(partial->ptr + used, '\n', partial->len - used))) {
        emit(s, c, stream, partial->ptr + used, (size_t)(nl - partial->ptr) - used);
        used = (size_t)(nl - partial->ptr) + 1;
    }
    memmove(partial->ptr, partial->ptr + used, partial->len - used);
    partial->len -= used;
    partial->ptr[partial->len] = '\0';
}

/*
 * Both pipes closed: the child is exiting, or closed them and goes on (not
 * waited for here, so that a signal still reaches the loop).  Returns its
 * status once it has exited, else -1.
 */
static int reap(struct sched *s, struct child *c)
{
    pcsm_fleet_outcome *o = &s->outcomes[c->index];
    int wstatus = 0;
    pid_t got;

    do
        got = waitpid(c->pid, &wstatus, WNOHANG);
    while (got < 0 && errno == EINTR);
    if (got == 0)
        return -1;
    o->state = PCSM_FLEET_DONE;
    o->seconds = now_s() - c->start;
    o->status = got < 0 ? 127 : WIFEXITED(wstatus) ? WEXITSTATUS(wstatus)
              : WIFSIGNALED(wstatus) ? 128 + WTERMSIG(wstatus) : 127;
    c->pid = 0;
    s->running--;
    refresh(s);
    if (s->opts->on_done)
        s->opts->on_done(c->index, s->opts->payload);
    return o->status;
}

/* The canary's verdict: -1 while one of them runs, else whether all succeeded. */
static int canary_state(const struct sched *s, size_t canary)
{
    size_t i;

    for (i = 0; i < canary && i < s->targets->n; i++) {
        if (s->outcomes[i].state != PCSM_FLEET_DONE)
            return -1;
        if (s->outcomes[i].status != 0)
            return 0;
    }
    return 1;
}

int pcsm_fleet_run(pcsm_ctx *ctx, const pcsm_fleet_targets *targets,
                   const pcsm_fleet_opts *opts, pcsm_fleet_outcome *outcomes)
{
    struct sched s = { targets, opts, outcomes, NULL, 0, 0 };
    struct pollfd *fds;
    size_t *owner, next = 0, i;
    sigset_t block, mask;
    double last_tick = now_s();
    int rc = 0, forwarded = 0;
    bool stopped = false;       /* after a failure: no more starts */

    s.n_slots = opts->jobs > 0 ? (size_t)opts->jobs : 1;
    s.slots = pcsm__xcalloc(s.n_slots, sizeof(*s.slots));
    fds = pcsm__xcalloc(2 * s.n_slots, sizeof(*fds));
    owner = pcsm__xcalloc(2 * s.n_slots, sizeof(*owner));
    for (i = 0; i < targets->n; i++)
        outcomes[i] = (pcsm_fleet_outcome){ PCSM_FLEET_PENDING, 0, 0 };
    /*
     * SIGINT and SIGTERM are blocked but while waiting in ppoll(), so that
     * a signal that comes between a check of the flag and the wait ends the
     * wait instead of going unseen until a child writes.
     */
    sigemptyset(&block);
    sigaddset(&block, SIGINT);
    sigaddset(&block, SIGTERM);
    sigprocmask(SIG_BLOCK, &block, &mask);
    for (;;) {
        int signo = opts->interrupt ? (int)*opts->interrupt : 0;
        size_t n_fds = 0;
        struct timespec timeout;
        bool lingering = false;     /* a child closed its pipes but has not exited */
        int ready;

        if (signo && !forwarded) {
            forwarded = signo;
            for (i = 0; i < s.n_slots; i++)
                if (s.slots[i].pid && !s.slots[i].signalled) {
                    kill(s.slots[i].pid, signo);
                    s.slots[i].signalled = true;
                }
        }
        while (!signo && !stopped && rc == 0 && s.running < s.n_slots && next < targets->n) {
            if (opts->canary && next >= opts->canary) {
                int verdict = canary_state(&s, opts->canary);

                if (verdict < 0)
                    break;      /* the canary still runs */
                if (verdict == 0) {
                    stopped = true;
                    break;
                }
            }
            if (start(ctx, &s, next, &mask) < 0)
                rc = PCSM_ERROR;
            else
                next++;
        }
        if (!s.running)
            break;
        /* Set by a callback rather than a signal: no signal will end the wait. */
        if (opts->interrupt && *opts->interrupt && !forwarded)
            continue;
        for (i = 0; i < s.n_slots; i++) {
            int k;

            for (k = 0; k < 2 && s.slots[i].pid; k++) {
                if (s.slots[i].fd[k] < 0)
                    continue;
                fds[n_fds] = (struct pollfd){ s.slots[i].fd[k], POLLIN, 0 };
                owner[n_fds++] = 2 * i + (size_t)k;
            }
            lingering |= s.slots[i].pid && s.slots[i].fd[0] < 0 && s.slots[i].fd[1] < 0;
        }
        timeout.tv_sec = lingering ? 0 : opts->tick_ms / 1000;
        timeout.tv_nsec = lingering ? 10000000L : opts->tick_ms % 1000 * 1000000L;
        ready = ppoll(fds, n_fds, lingering || (opts->on_tick && opts->tick_ms > 0)
                                  ? &timeout : NULL, &mask);
        for (i = 0; ready > 0 && i < n_fds; i++) {
            struct child *c = &s.slots[owner[i] / 2];

            if (fds[i].revents)
                drain(&s, c, (int)(owner[i] % 2));
        }
        for (i = 0; i < s.n_slots; i++) {
            struct child *c = &s.slots[i];
            int status;

            if (!c->pid || c->fd[0] >= 0 || c->fd[1] >= 0 || (status = reap(&s, c)) < 0)
                continue;
            if (status != 0 && !opts->keep_going)
                stopped = true;
        }
        if (opts->on_tick && opts->tick_ms > 0 && now_s() - last_tick >= opts->tick_ms / 1e3) {
            last_tick = now_s();
            refresh(&s);
            opts->on_tick(opts->payload);
        }
    }
    sigprocmask(SIG_SETMASK, &mask, NULL);
    free(fds);
    free(owner);
    free(s.slots);
    if (rc < 0)
        return rc;
    if (forwarded)
        return pcsm_error__set(ctx, PCSM_EINTERRUPTED, "fleet: interrupted by signal %d; no "
                               "target started after it", forwarded);
    return 0;
}
