/*
 * Shared by the torture tests: figures printed as TAP comments, a seeded
 * random source, and a private PostgreSQL cluster that a test controls
 * (restarts, pg_hba.conf) and that is always stopped when the test ends.
 */
#ifndef PCSM_TORTURE_H
#define PCSM_TORTURE_H

#include <stdbool.h>

#include "support.h"

/*
 * The login roles of the private cluster's pg_hba.conf: TORTURE_SCRAM
 * logs in over 127.0.0.1 with scram-sha-256, TORTURE_MD5 with md5 (its
 * password stored as md5).  Both passwords are built to be found in any
 * output: they hold TORTURE_MARK, and characters that a URL must
 * percent-encode.
 */
#define TORTURE_SCRAM "pcsm_scram"
#define TORTURE_MD5 "pcsm_md5"
#define TORTURE_MARK "S3cr3tPa55"
#define TORTURE_SCRAM_PASSWORD TORTURE_MARK "/sc@ram:x"
#define TORTURE_SCRAM_PASSWORD_URL TORTURE_MARK "%2Fsc%40ram%3Ax"
#define TORTURE_MD5_PASSWORD "md5-" TORTURE_MARK "-pw"

/* One figure of the test's output: "# <name>: <text>", flushed at once. */
void torture_note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Seeds the random source from PCSM_TORTURE_SEED or the clock, and notes which. */
void torture_seed(const char *name);
/* Uniform in [0, 1). */
double torture_random(void);
/* A positive count from the environment variable `var`, else def. */
int torture_count(const char *var, int def);

/*
 * The build has sanitizers (meson's b_sanitize, passed as PCSM_TEST_SANITIZE):
 * ASan and valgrind do not mix.  Returns the option's value, or NULL.
 */
const char *torture_sanitizer(void);

/*
 * Starts a private cluster: initdb and pg_ctl from the server's bindir (as
 * the postgres user, through runuser, when running as root), data and
 * socket in a temporary directory (/dev/shm when it exists), listening on
 * a free loopback port, fsync off.  pg_hba.conf trusts local sockets and
 * every role over 127.0.0.1 but TORTURE_SCRAM and TORTURE_MD5, which need
 * their passwords.  Sets PCSM_TEST_DSN to the superuser over the socket,
 * so that the support library's databases live there.  A guardian process
 * stops the cluster and removes its directory when this process ends,
 * however it ends.
 */
void cluster_start(void);
/* 127.0.0.1's port and the socket directory of the private cluster. */
const char *cluster_port(void);
const char *cluster_socket_dir(void);
/* Its data directory (for standby.signal). */
const char *cluster_data_dir(void);
/*
 * pg_ctl ACTION (start, stop, restart or promote; -m fast, -w): fails the test with
 * the end of the server log when pg_ctl fails.  Returns its duration in s.
 */
double cluster_ctl(const char *action);
/* The same in the background: reap b with bg_wait. */
void cluster_ctl_bg(struct proc_bg *b, const char *action);
/* Stops the cluster and removes its directory (also done at exit). */
void cluster_stop(void);
/*
 * Creates (or resets) the login roles TORTURE_SCRAM and TORTURE_MD5 with
 * their passwords.  Needs the private cluster.
 */
void cluster_create_roles(void);
/*
 * postgresql://ROLE:PASSWORD@127.0.0.1:PORT/DB with PASSWORD as given
 * (already percent-encoded, or NULL for none) (malloc'd).
 */
char *cluster_url(const char *role, const char *password, const char *db);

#endif /* PCSM_TORTURE_H */
