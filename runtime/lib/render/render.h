/*
 * The render layer: recorded operations to PostgreSQL SQL (render.c) and
 * revisions to scripts with their version and history statements
 * (script.c).  Online runs, offline scripts and checksums all take their
 * text from here; it reads operations and never changes them.
 */
#ifndef PCSM_RENDER_H
#define PCSM_RENDER_H

#include "ops/ops.h"

/* The SQL of one operation: one or more statements, each ending ";\n". */
void pcsm_render__op(const struct pcsm_ddl_op *o, pcsm_buf *out);
/*
 * A column type and a value as the SQL above writes them (varchar(255),
 * "mood"[]; now(), 'it''s', NULL): for readers that show one piece of a
 * definition, such as the schema diff, so that no second type table exists.
 */
void pcsm_render__type(pcsm_type t, pcsm_buf *out);
void pcsm_render__value(pcsm_value v, pcsm_buf *out);
/*
 * The keywords of an action, a timing, events and a volatility as the SQL
 * above writes them ("SET NULL", "INSTEAD OF", "INSERT OR UPDATE",
 * "STABLE"); an action or volatility left unsaid is PostgreSQL's default,
 * NO ACTION and VOLATILE.  Static strings, or appended to out.
 */
const char *pcsm_render__fk_action(enum pcsm_fk_action a);
/* An index's keys as CREATE INDEX says them: ("a" COLLATE "C" DESC, (lower(b))). */
void pcsm_render__index_elements(pcsm_buf *out, const pcsm_index_element *elements);
const char *pcsm_render__timing(enum pcsm_trigger_timing t);
void pcsm_render__events(unsigned events, pcsm_buf *out);
const char *pcsm_render__volatility(enum pcsm_volatility v);
/* "ALL", "SELECT", ...: a policy's command as FOR writes it. */
const char *pcsm_render__policy_command(enum pcsm_policy_command c);
/* A policy's roles as TO writes them: "reader", "writer", or PUBLIC (for NULL or "public"). */
void pcsm_render__roles(const char *const *roles, pcsm_buf *out);
/* "SHARE ROW EXCLUSIVE": a lock mode as LOCK TABLE writes it. */
const char *pcsm_render__lock_mode(enum pcsm_lock_mode m);
/*
 * A create_index or drop_index with its table (or index) in `schema` (NULL:
 * as pcsm_render__op): a revision outside a transaction runs where the
 * search path may not hold, a transaction pooler's server connection.
 */
void pcsm_render__index_op(const struct pcsm_ddl_op *o, const char *schema, pcsm_buf *out);
/*
 * How many statements pcsm_render__op writes for o, which is how many
 * results the server returns for them; 0 when unknown (raw SQL).
 */
size_t pcsm_render__statements(const struct pcsm_ddl_op *o);

/*
 * csource.c: the inverse of the DDL API, for the tools that write revision
 * files.  pcsm_render__c_op appends the statement(s) that record exactly o
 * inside a revision's upgrade(pcsm_op *op): lines indented 4 spaces, within
 * 100 columns where the strings allow, each statement ending ";\n".
 * `*scope` is the schema pcsm_set_schema() has set so far (NULL at the
 * start of a function): a pcsm_set_schema() call goes first when o's
 * differs, and *scope follows.
 * pcsm_render__c_string appends s as a C string literal that means the same
 * bytes under any -std; after each inner newline it goes on as a new
 * literal on the next line, aligned under the first.
 */
void pcsm_render__c_op(const struct pcsm_ddl_op *o, const char **scope, pcsm_buf *out);
void pcsm_render__c_string(const char *s, pcsm_buf *out);

/* script.c: the version and history table statements, shared online/offline. */
int pcsm_script__check_opts(pcsm_ctx *ctx, const pcsm_script_opts *opts);
void pcsm_script__bootstrap(const pcsm_script_opts *opts, pcsm_buf *out);
/* Returns how many statements it appended. */
size_t pcsm_script__version_delta(const pcsm_script_opts *opts, const pcsm_revset *before,
                                  const pcsm_revset *after, pcsm_buf *out);
/*
 * Several history rows in one statement: the head, then values for each
 * row, comma separated, then ";\n".
 */
void pcsm_script__history_head(const pcsm_script_opts *opts, pcsm_buf *out);
void pcsm_script__history_values(const pcsm_script_opts *opts, const pcsm_revision *rev,
                                 const char *event, const char *sql_sha256,
                                 double duration_ms, const char *host, const char *detail,
                                 pcsm_buf *out);
/*
 * A revision's duration on the server clock, for runs whose results come
 * back in bulk: the start mark stores the clock in the transaction (as a
 * statement, or as an expression to fold into another SELECT's list); the
 * end mark returns the milliseconds since (one row, one column), and so
 * does a history row rendered with PCSM_SCRIPT_DURATION_MEASURED.
 */
void pcsm_script__start_mark(pcsm_buf *out);
void pcsm_script__start_mark_expr(pcsm_buf *out);
void pcsm_script__end_mark(pcsm_buf *out);
#define PCSM_SCRIPT_DURATION_MEASURED (-2.0)
/*
 * One history row; duration_ms < 0 (but PCSM_SCRIPT_DURATION_MEASURED),
 * sql_sha256, host and detail NULL: SQL NULL.
 */
void pcsm_script__history_insert(const pcsm_script_opts *opts, const pcsm_revision *rev,
                                 const char *event, const char *sql_sha256,
                                 double duration_ms, const char *host, const char *detail,
                                 pcsm_buf *out);
/*
 * Around a revision in a transaction: one statement saving the values of
 * the settings its pcsm_set_local()s name (in transaction-local
 * pcsm_saved.sN), and one putting them back, so that a revision's SET LOCAL
 * ends with it rather than with the transaction.  Each returns how many
 * statements it appended (0 when the revision sets nothing).
 */
size_t pcsm_script__settings_save(const pcsm_op *op, pcsm_buf *out);
size_t pcsm_script__settings_restore(const pcsm_op *op, pcsm_buf *out);
/* Only the version table's, or only the history table's, CREATE TABLE IF NOT EXISTS. */
void pcsm_script__create_version_table(const pcsm_script_opts *opts, pcsm_buf *out);
void pcsm_script__create_history_table(const pcsm_script_opts *opts, pcsm_buf *out);
const char *pcsm_script__version_table(const pcsm_script_opts *opts);
const char *pcsm_script__history_table(const pcsm_script_opts *opts);

#endif /* PCSM_RENDER_H */
