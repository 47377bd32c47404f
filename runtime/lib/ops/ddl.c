/*
 * The DDL helper API (pcsm/ddl.h): validates each call, deep-copies it into
 * the op context's arena as a struct pcsm_ddl_op, and remembers the first
 * invalid call.  Rendering lives in render.c; nothing here writes SQL.
 */
/* The functions are defined here under their own names, not the macros'. */
#define PCSM_DDL_NO_CALL_LINES

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ops/ops.h"

/* PostgreSQL truncates longer names (NAMEDATALEN - 1); we refuse them. */
#define MAX_IDENT_BYTES 63
#define MAX_VARCHAR_LENGTH 10485760
#define MAX_NUMERIC_PRECISION 1000
#define MAX_ARRAY_DIMS 6
#define MAX_TIME_PRECISION 6                /* MAX_TIMESTAMP_PRECISION */
#define MAX_BIT_LENGTH (10485760 * 8)       /* MaxAttrSize in bits */
#define MAX_PARAMS 65535

struct arena_chunk {
    struct arena_chunk *next;
    size_t used, size;
    max_align_t data[];
};

struct pcsm_op {
    const pcsm_revision *rev;
    enum pcsm_direction direction;
    struct pcsm_ddl_op *ops;
    size_t n_ops, cap_ops;
    struct arena_chunk *arena;
    bool failed;
    pcsm_buf error;             /* "<op>: <reason>" of the first invalid call */
    unsigned next_line;         /* pcsm_op_line_()'s, for the next push() */
    bool in_autocommit;         /* between pcsm_autocommit_begin() and _end() */
    unsigned autocommit_line;   /* the open block's pcsm_autocommit_begin() line, or 0 */
    bool guard_open;            /* inside pcsm_if(): ops[guard_at] is the guard */
    size_t guard_at;
    const char *schema;         /* pcsm_set_schema()'s, in the arena; NULL: the target */
};

/* ------------------------------------------------------------ the arena */

static void *arena_alloc(pcsm_op *op, size_t size)
{
    struct arena_chunk *c = op->arena;
    void *p;

    size = (size + sizeof(max_align_t) - 1) / sizeof(max_align_t) * sizeof(max_align_t);
    if (!c || c->size - c->used < size) {
        size_t chunk = size > 16384 ? size : 16384;
        c = pcsm__xmalloc(sizeof(*c) + chunk);
        c->next = op->arena;
        c->used = 0;
        c->size = chunk;
        op->arena = c;
    }
    p = (char *)c->data + c->used;
    c->used += size;
    memset(p, 0, size);
    return p;
}

static const char *arena_strdup(pcsm_op *op, const char *s)
{
    size_t len;

    if (!s)
        return NULL;
    len = strlen(s) + 1;
    return memcpy(arena_alloc(op, len), s, len);
}

/* Copies a NULL-terminated name list; NULL stays NULL. */
static const char *const *arena_names(pcsm_op *op, const char *const *names)
{
    size_t n = 0, i;
    const char **copy;

    if (!names)
        return NULL;
    while (names[n])
        n++;
    copy = arena_alloc(op, (n + 1) * sizeof(*copy));
    for (i = 0; i < n; i++)
        copy[i] = arena_strdup(op, names[i]);
    return copy;
}

static const char *const kind_names[] = {
    [PCSM_OP_CREATE_TABLE] = "create_table",
    [PCSM_OP_DROP_TABLE] = "drop_table",
    [PCSM_OP_RENAME_TABLE] = "rename_table",
    [PCSM_OP_COMMENT_TABLE] = "comment_table",
    [PCSM_OP_ADD_COLUMN] = "add_column",
    [PCSM_OP_DROP_COLUMN] = "drop_column",
    [PCSM_OP_RENAME_COLUMN] = "rename_column",
    [PCSM_OP_ALTER_COLUMN_TYPE] = "alter_column_type",
    [PCSM_OP_SET_DEFAULT] = "set_default",
    [PCSM_OP_DROP_DEFAULT] = "drop_default",
    [PCSM_OP_SET_NOT_NULL] = "set_not_null",
    [PCSM_OP_DROP_NOT_NULL] = "drop_not_null",
    [PCSM_OP_COMMENT_COLUMN] = "comment_column",
    [PCSM_OP_CREATE_INDEX] = "create_index",
    [PCSM_OP_DROP_INDEX] = "drop_index",
    [PCSM_OP_ADD_CONSTRAINT] = "add_constraint",
    [PCSM_OP_DROP_CONSTRAINT] = "drop_constraint",
    [PCSM_OP_VALIDATE_CONSTRAINT] = "validate_constraint",
    [PCSM_OP_CREATE_EXTENSION] = "create_extension",
    [PCSM_OP_DROP_EXTENSION] = "drop_extension",
    [PCSM_OP_CREATE_ENUM] = "create_enum",
    [PCSM_OP_ADD_ENUM_VALUE] = "add_enum_value",
    [PCSM_OP_RENAME_ENUM_VALUE] = "rename_enum_value",
    [PCSM_OP_DROP_TYPE] = "drop_type",
    [PCSM_OP_CREATE_FUNCTION] = "create_function",
    [PCSM_OP_DROP_FUNCTION] = "drop_function",
    [PCSM_OP_CREATE_TRIGGER] = "create_trigger",
    [PCSM_OP_DROP_TRIGGER] = "drop_trigger",
    [PCSM_OP_ADD_IDENTITY] = "add_identity",
    [PCSM_OP_DROP_IDENTITY] = "drop_identity",
    [PCSM_OP_CREATE_SEQUENCE] = "create_sequence",
    [PCSM_OP_ALTER_SEQUENCE] = "alter_sequence",
    [PCSM_OP_RENAME_SEQUENCE] = "rename_sequence",
    [PCSM_OP_DROP_SEQUENCE] = "drop_sequence",
    [PCSM_OP_CREATE_VIEW] = "create_view",
    [PCSM_OP_RENAME_VIEW] = "rename_view",
    [PCSM_OP_DROP_VIEW] = "drop_view",
    [PCSM_OP_CREATE_MATERIALIZED_VIEW] = "create_materialized_view",
    [PCSM_OP_REFRESH_MATERIALIZED_VIEW] = "refresh_materialized_view",
    [PCSM_OP_RENAME_MATERIALIZED_VIEW] = "rename_materialized_view",
    [PCSM_OP_DROP_MATERIALIZED_VIEW] = "drop_materialized_view",
    [PCSM_OP_EXECUTE] = "execute",
    [PCSM_OP_EXECUTE_PARAMS] = "execute_params",
    [PCSM_OP_BATCH_UPDATE] = "batch_update",
    [PCSM_OP_ASSERT] = "assert",
    [PCSM_OP_AUTOCOMMIT_BEGIN] = "autocommit_begin",
    [PCSM_OP_AUTOCOMMIT_END] = "autocommit_end",
    [PCSM_OP_SET_LOCAL] = "set_local",
    [PCSM_OP_LOCK_TABLE] = "lock_table",
    [PCSM_OP_IF] = "if",
    [PCSM_OP_BATCH_UPDATE_FROM] = "batch_update_from",
    [PCSM_OP_RENAME_INDEX] = "rename_index",
    [PCSM_OP_RENAME_CONSTRAINT] = "rename_constraint",
    [PCSM_OP_CREATE_SCHEMA] = "create_schema",
    [PCSM_OP_DROP_SCHEMA] = "drop_schema",
    [PCSM_OP_CREATE_POLICY] = "create_policy",
    [PCSM_OP_DROP_POLICY] = "drop_policy",
    [PCSM_OP_SET_ROW_SECURITY] = "set_row_security",
    [PCSM_OP_SET_IDENTITY] = "set_identity",
    [PCSM_OP_COMMENT_ON] = "comment_on",
    [PCSM_OP_CREATE_COLLATION] = "create_collation",
    [PCSM_OP_RENAME_COLLATION] = "rename_collation",
    [PCSM_OP_DROP_COLLATION] = "drop_collation",
    [PCSM_OP_CREATE_DOMAIN] = "create_domain",
    [PCSM_OP_ALTER_DOMAIN] = "alter_domain",
    [PCSM_OP_DROP_DOMAIN] = "drop_domain",
    [PCSM_OP_CREATE_COMPOSITE_TYPE] = "create_composite_type",
    [PCSM_OP_ALTER_COMPOSITE_TYPE] = "alter_composite_type",
    [PCSM_OP_CREATE_PARTITION] = "create_partition",
    [PCSM_OP_ATTACH_PARTITION] = "attach_partition",
    [PCSM_OP_DETACH_PARTITION] = "detach_partition",
    [PCSM_OP_ATTACH_INDEX] = "attach_index",
    [PCSM_OP_GRANT] = "grant",
    [PCSM_OP_REVOKE] = "revoke",
    [PCSM_OP_GRANT_DEFAULT] = "grant_default",
    [PCSM_OP_REVOKE_DEFAULT] = "revoke_default",
    [PCSM_OP_CREATE_RANGE_TYPE] = "create_range_type",
    [PCSM_OP_INHERIT] = "inherit",
    [PCSM_OP_NO_INHERIT] = "no_inherit",
    [PCSM_OP_SET_TRIGGER_FIRING] = "set_trigger_firing",
    [PCSM_OP_RECREATE_ENUM] = "recreate_enum",
};

const char *pcsm_op__kind_name(enum pcsm_ddl_kind kind)
{
    return kind_names[kind];
}

/* ----------------------------------------------------- context lifecycle */

pcsm_op *pcsm_op__new(const pcsm_revision *rev, enum pcsm_direction direction)
{
    pcsm_op *op = pcsm__xcalloc(1, sizeof(*op));

    op->rev = rev;
    op->direction = direction;
    op->error = (pcsm_buf)PCSM_BUF_INIT;
    return op;
}

void pcsm_op__free(pcsm_op *op)
{
    struct arena_chunk *c, *next;

    if (!op)
        return;
    for (c = op->arena; c; c = next) {
        next = c->next;
        free(c);
    }
    free(op->ops);
    pcsm_buf_dispose(&op->error);
    free(op);
}

int pcsm_op__record(pcsm_ctx *ctx, const pcsm_revision *rev,
                    enum pcsm_direction direction, pcsm_op **out)
{
    pcsm_op *op = pcsm_op__new(rev, direction);
    pcsm_migration_fn fn = direction == PCSM_UPGRADE ? rev->upgrade : rev->downgrade;
    const char *dir_name = direction == PCSM_UPGRADE ? "upgrade" : "downgrade";

    *out = NULL;
    if (fn)
        fn(op);
    if (op->in_autocommit)
        pcsm_op__end_autocommit_check(op);
    if (op->guard_open && !op->failed) {
        op->failed = true;
        pcsm_buf_printf(&op->error, "if: the guard of line %u has no pcsm_end_if()",
                        op->ops[op->guard_at].line);
    }
    if (op->failed) {
        int rc = pcsm_error__set(ctx, PCSM_EMIGRATION, "revision %s (%s), %s(): %s",
                                 rev->id, rev->source_path ? rev->source_path : "?",
                                 dir_name, op->error.ptr);
        pcsm_op__free(op);
        return rc;
    }
    *out = op;
    return 0;
}

const char *pcsm_op__failure(const pcsm_op *op)
{
    return op->failed ? op->error.ptr : NULL;
}

size_t pcsm_op__count(const pcsm_op *op)
{
    return op->n_ops;
}

const struct pcsm_ddl_op *pcsm_op__at(const pcsm_op *op, size_t i)
{
    return &op->ops[i];
}

const char *pcsm_op__subject(const struct pcsm_ddl_op *o)
{
    switch (o->kind) {
    case PCSM_OP_CREATE_TABLE: return o->u.create_table.table;
    case PCSM_OP_DROP_TABLE: return o->u.drop_table.table;
    case PCSM_OP_RENAME_TABLE: return o->u.rename_table.table;
    case PCSM_OP_COMMENT_TABLE: return o->u.comment_table.table;
    case PCSM_OP_ADD_COLUMN: return o->u.add_column.table;
    case PCSM_OP_DROP_COLUMN: return o->u.drop_column.table;
    case PCSM_OP_RENAME_COLUMN: return o->u.rename_column.table;
    case PCSM_OP_ALTER_COLUMN_TYPE: return o->u.alter_column_type.table;
    case PCSM_OP_SET_DEFAULT: return o->u.set_default.table;
    case PCSM_OP_DROP_DEFAULT: return o->u.drop_default.table;
    case PCSM_OP_SET_NOT_NULL: return o->u.set_not_null.table;
    case PCSM_OP_DROP_NOT_NULL: return o->u.drop_not_null.table;
    case PCSM_OP_COMMENT_COLUMN: return o->u.comment_column.table;
    case PCSM_OP_CREATE_INDEX:
        return o->u.create_index.index.name ? o->u.create_index.index.name
                                            : o->u.create_index.index.table;
    case PCSM_OP_DROP_INDEX: return o->u.drop_index.index;
    case PCSM_OP_ADD_CONSTRAINT: return o->u.add_constraint.table;
    case PCSM_OP_DROP_CONSTRAINT: return o->u.drop_constraint.table;
    case PCSM_OP_VALIDATE_CONSTRAINT: return o->u.validate_constraint.table;
    case PCSM_OP_CREATE_EXTENSION: return o->u.create_extension.extension;
    case PCSM_OP_DROP_EXTENSION: return o->u.drop_extension.extension;
    case PCSM_OP_CREATE_ENUM: return o->u.create_enum.type;
    case PCSM_OP_RECREATE_ENUM: return o->u.recreate_enum.type;
    case PCSM_OP_ADD_ENUM_VALUE: return o->u.add_enum_value.type;
    case PCSM_OP_RENAME_ENUM_VALUE: return o->u.rename_enum_value.type;
    case PCSM_OP_DROP_TYPE: return o->u.drop_type.type;
    case PCSM_OP_CREATE_SCHEMA: return o->u.create_schema.name;
    case PCSM_OP_DROP_SCHEMA: return o->u.drop_schema.name;
    case PCSM_OP_CREATE_FUNCTION: return o->u.create_function.function.name;
    case PCSM_OP_DROP_FUNCTION: return o->u.drop_function.function;
    case PCSM_OP_CREATE_TRIGGER: return o->u.create_trigger.trigger.name;
    case PCSM_OP_DROP_TRIGGER: return o->u.drop_trigger.trigger;
    case PCSM_OP_SET_TRIGGER_FIRING: return o->u.set_trigger_firing.trigger;
    case PCSM_OP_CREATE_POLICY: return o->u.create_policy.policy.name;
    case PCSM_OP_DROP_POLICY: return o->u.drop_policy.policy;
    case PCSM_OP_SET_ROW_SECURITY: return o->u.set_row_security.table;
    case PCSM_OP_SET_IDENTITY: return o->u.set_identity.table;
    case PCSM_OP_COMMENT_ON: return o->u.comment_on.name;
    case PCSM_OP_CREATE_COLLATION: return o->u.create_collation.collation.name;
    case PCSM_OP_RENAME_COLLATION: return o->u.rename_collation.collation;
    case PCSM_OP_DROP_COLLATION: return o->u.drop_collation.collation;
    case PCSM_OP_CREATE_DOMAIN: return o->u.create_domain.domain.name;
    case PCSM_OP_ALTER_DOMAIN: return o->u.alter_domain.domain;
    case PCSM_OP_DROP_DOMAIN: return o->u.drop_domain.domain;
    case PCSM_OP_CREATE_COMPOSITE_TYPE: return o->u.create_composite_type.type;
    case PCSM_OP_ALTER_COMPOSITE_TYPE: return o->u.alter_composite_type.type;
    case PCSM_OP_CREATE_RANGE_TYPE: return o->u.create_range_type.range.name;
    case PCSM_OP_CREATE_PARTITION: return o->u.create_partition.table;
    case PCSM_OP_ATTACH_PARTITION:
    case PCSM_OP_DETACH_PARTITION: return o->u.partition_of.table;
    case PCSM_OP_INHERIT:
    case PCSM_OP_NO_INHERIT: return o->u.inherit.table;
    case PCSM_OP_ADD_IDENTITY: return o->u.add_identity.table;
    case PCSM_OP_DROP_IDENTITY: return o->u.drop_identity.table;
    case PCSM_OP_CREATE_SEQUENCE: return o->u.create_sequence.sequence;
    case PCSM_OP_ALTER_SEQUENCE: return o->u.alter_sequence.sequence;
    case PCSM_OP_RENAME_SEQUENCE: return o->u.rename_sequence.sequence;
    case PCSM_OP_DROP_SEQUENCE: return o->u.drop_sequence.sequence;
    case PCSM_OP_CREATE_VIEW: return o->u.create_view.view.name;
    case PCSM_OP_RENAME_VIEW: return o->u.rename_view.view;
    case PCSM_OP_DROP_VIEW: return o->u.drop_view.view;
    case PCSM_OP_CREATE_MATERIALIZED_VIEW: return o->u.create_materialized_view.view.name;
    case PCSM_OP_REFRESH_MATERIALIZED_VIEW: return o->u.refresh_materialized_view.view;
    case PCSM_OP_RENAME_MATERIALIZED_VIEW: return o->u.rename_materialized_view.view;
    case PCSM_OP_DROP_MATERIALIZED_VIEW: return o->u.drop_materialized_view.view;
    case PCSM_OP_BATCH_UPDATE: return o->u.batch_update.table;
    case PCSM_OP_RENAME_INDEX: return o->u.rename_index.index;
    case PCSM_OP_ATTACH_INDEX: return o->u.attach_index.index;
    case PCSM_OP_GRANT:
    case PCSM_OP_REVOKE: return o->u.grant.grant.name;
    case PCSM_OP_GRANT_DEFAULT:
    case PCSM_OP_REVOKE_DEFAULT:
        return pcsm_op__privilege_object_sql(o->u.default_privileges.defaults.on, true);
    case PCSM_OP_RENAME_CONSTRAINT: return o->u.rename_constraint.table;
    case PCSM_OP_BATCH_UPDATE_FROM: return o->u.batch_update.table;
    case PCSM_OP_LOCK_TABLE: return o->u.lock_table.table;
    case PCSM_OP_SET_LOCAL: return o->u.set_local.name;
    case PCSM_OP_IF:
    case PCSM_OP_EXECUTE:
    case PCSM_OP_EXECUTE_PARAMS:
    case PCSM_OP_ASSERT:
    case PCSM_OP_AUTOCOMMIT_BEGIN:
    case PCSM_OP_AUTOCOMMIT_END:
        break;
    }
    return NULL;
}

void pcsm_op__describe(const pcsm_op *op, size_t i, pcsm_buf *out)
{
    pcsm_op__describe_op(&op->ops[i], out);
}

void pcsm_op__describe_op(const struct pcsm_ddl_op *o, pcsm_buf *out)
{
    const char *subject = pcsm_op__subject(o);

    pcsm_buf_puts(out, pcsm_op__kind_name(o->kind));
    if (subject) {
        pcsm_buf_putc(out, ' ');
        pcsm_sql__qualified(out, o->schema, subject);
    }
}

/* ------------------------------------------------------------ validation */

/*
 * A message is one line (pcsm/error.h) whatever the names in it hold: C0
 * and C1 control characters, a newline among them, become \xNN and \u00NN.
 * Found by tests/fuzz/fuzz_render.c (a table name with a newline).
 */
static void escape_controls(pcsm_buf *buf)
{
    pcsm_buf out = PCSM_BUF_INIT;
    size_t i;

    for (i = 0; i < buf->len; i++) {
        unsigned char c = (unsigned char)buf->ptr[i];

        if (c < 0x20 || c == 0x7f)
            pcsm_buf_printf(&out, "\\x%02x", c);
        else if (c == 0xc2 && i + 1 < buf->len && (unsigned char)buf->ptr[i + 1] >= 0x80 &&
                 (unsigned char)buf->ptr[i + 1] <= 0x9f)
            pcsm_buf_printf(&out, "\\u%04x", (unsigned char)buf->ptr[++i]);
        else
            pcsm_buf_putc(&out, (char)c);
    }
    pcsm_buf_dispose(buf);
    *buf = out;
}

/*
 * The first failure wins: later calls are ignored so that one mistake is
 * reported once, at the call that made it.  Returns false to let callers
 * write `if (!check(...)) return;`.
 */
static bool fail(pcsm_op *op, enum pcsm_ddl_kind kind, const char *subject,
                 const char *fmt, ...) PCSM_PRINTF(4, 5);

static bool fail(pcsm_op *op, enum pcsm_ddl_kind kind, const char *subject,
                 const char *fmt, ...)
{
    va_list ap;

    if (op->failed)
        return false;
    op->failed = true;
    pcsm_buf_puts(&op->error, pcsm_op__kind_name(kind));
    if (subject && pcsm_sql__valid_utf8(subject)) {
        pcsm_buf_putc(&op->error, ' ');
        /* As pcsm_op__describe_op() names it once recorded. */
        if (op->schema && pcsm_op__names_object(kind)) {
            pcsm_sql__ident(&op->error, op->schema);
            pcsm_buf_putc(&op->error, '.');
        }
        pcsm_sql__ident(&op->error, subject);
    }
    pcsm_buf_puts(&op->error, ": ");
    va_start(ap, fmt);
    pcsm_buf_vprintf(&op->error, fmt, ap);
    va_end(ap);
    escape_controls(&op->error);
    return false;
}

/* A check context: which call, and on what, for the messages. */
struct vctx {
    pcsm_op *op;
    enum pcsm_ddl_kind kind;
    const char *subject;
};

static bool check_ident(struct vctx *v, const char *what, const char *name)
{
    if (!name)
        return fail(v->op, v->kind, v->subject, "%s is missing", what);
    if (!*name)
        return fail(v->op, v->kind, v->subject, "%s is empty", what);
    if (!pcsm_sql__valid_utf8(name))
        return fail(v->op, v->kind, v->subject, "%s is not valid UTF-8", what);
    if (strlen(name) > MAX_IDENT_BYTES)
        return fail(v->op, v->kind, v->subject,
                    "%s \"%s\" is longer than %d bytes (PostgreSQL would truncate it)",
                    what, name, MAX_IDENT_BYTES);
    return true;
}

static bool check_names(struct vctx *v, const char *what, const char *const *names,
                        bool required)
{
    size_t i;

    if (!names || !names[0]) {
        if (required)
            return fail(v->op, v->kind, v->subject, "%s: no columns given", what);
        return true;
    }
    for (i = 0; names[i]; i++)
        if (!check_ident(v, what, names[i]))
            return false;
    return true;
}

static size_t count_names(const char *const *names)
{
    size_t n = 0;

    while (names && names[n])
        n++;
    return n;
}

/* SQL text written by the author: expressions, predicates, statements. */
static bool check_sql(struct vctx *v, const char *what, const char *sql, bool required)
{
    const char *p;

    if (!sql) {
        if (required)
            return fail(v->op, v->kind, v->subject, "%s is missing", what);
        return true;
    }
    /* Blanks and semicolons alone are no statement. */
    for (p = sql; *p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == ';'; p++)
        ;
    if (!*p)
        return fail(v->op, v->kind, v->subject, "%s is empty", what);
    if (!pcsm_sql__valid_utf8(sql))
        return fail(v->op, v->kind, v->subject, "%s is not valid UTF-8", what);
    return true;
}

static bool check_text(struct vctx *v, const char *what, const char *text)
{
    if (text && !pcsm_sql__valid_utf8(text))
        return fail(v->op, v->kind, v->subject, "%s is not valid UTF-8", what);
    return true;
}

static bool is_serial_kind(enum pcsm_type_kind k)
{
    return k == PCSM_TYPE_SMALLSERIAL || k == PCSM_TYPE_SERIAL || k == PCSM_TYPE_BIGSERIAL;
}

static const char *serial_name(enum pcsm_type_kind k)
{
    return k == PCSM_TYPE_SMALLSERIAL ? "smallserial" : k == PCSM_TYPE_SERIAL ? "serial"
                                                                              : "bigserial";
}

/* "3" or "10,2": what goes between the parentheses of a type modifier. */
static bool valid_modifiers(const char *m)
{
    bool digit = false;

    for (; *m; m++) {
        if (*m >= '0' && *m <= '9')
            digit = true;
        else if (*m == ',' && digit)
            digit = false;
        else
            return false;
    }
    return digit;
}

/*
 * The schema and modifiers of a named type.  A type of pg_catalog that the
 * API has a kind for must be written with its kind: the catalog reads it
 * back as that kind, and the model could not tell the two apart.
 */
static bool check_type_name(struct vctx *v, const char *what, pcsm_type t)
{
    static const char *const kinds[] = {
        "uuid", "varchar", "bpchar", "text", "bool", "int2", "int4", "int8", "numeric",
        "float4", "float8", "json", "jsonb", "bytea", "date", "time", "timestamp",
        "timestamptz", "interval", "tsvector", "tsquery", "inet", "cidr", "macaddr",
        "macaddr8", "money", "xml", "oid", "timetz", "bit", "varbit", "int4range",
        "int8range", "numrange", "tsrange", "tstzrange", "daterange",
    };
    size_t i;

    if (t.schema && !check_ident(v, "type schema", t.schema))
        return false;
    if (t.modifiers && !valid_modifiers(t.modifiers))
        return fail(v->op, v->kind, v->subject, "%s: type modifiers \"%s\" are not integers "
                    "separated by commas (\"3\", \"10,2\")", what, t.modifiers);
    if (t.schema && !strcmp(t.schema, "pg_catalog"))
        for (i = 0; i < sizeof(kinds) / sizeof(*kinds); i++)
            if (!strcmp(t.name, kinds[i]))
                return fail(v->op, v->kind, v->subject, "%s: pg_catalog.%s has a kind of its "
                            "own (PCSM_TYPE_...): write that", what, t.name);
    return true;
}

static bool check_type(struct vctx *v, const char *what, pcsm_type t)
{
    switch (t.kind) {
    case PCSM_TYPE_NONE:
        return fail(v->op, v->kind, v->subject, "%s has no type", what);
    case PCSM_TYPE_VARCHAR:
        if (t.p < 0 || t.p > MAX_VARCHAR_LENGTH)
            return fail(v->op, v->kind, v->subject,
                        "%s: varchar length %d is outside 1..%d (0 for unbounded)",
                        what, t.p, MAX_VARCHAR_LENGTH);
        break;
    case PCSM_TYPE_CHAR:
        if (t.p < 1 || t.p > MAX_VARCHAR_LENGTH)
            return fail(v->op, v->kind, v->subject, "%s: char length %d is outside 1..%d",
                        what, t.p, MAX_VARCHAR_LENGTH);
        break;
    case PCSM_TYPE_NUMERIC:
        if (t.p < 0 || t.p > MAX_NUMERIC_PRECISION)
            return fail(v->op, v->kind, v->subject,
                        "%s: numeric precision %d is outside 1..%d (0 for unconstrained)",
                        what, t.p, MAX_NUMERIC_PRECISION);
        if (t.s < 0 || (t.p > 0 && t.s > t.p) || (t.p == 0 && t.s != 0))
            return fail(v->op, v->kind, v->subject,
                        "%s: numeric scale %d is outside 0..%d", what, t.s, t.p);
        break;
    case PCSM_TYPE_NAMED:
        if (!check_ident(v, "type name", t.name))
            return false;
        if (!check_type_name(v, what, t))
            return false;
        break;
    case PCSM_TYPE_TIME: case PCSM_TYPE_TIMESTAMP: case PCSM_TYPE_TIMESTAMPTZ:
    case PCSM_TYPE_INTERVAL: case PCSM_TYPE_TIMETZ:
        if (t.p < PCSM_PRECISION_ZERO || t.p > MAX_TIME_PRECISION)
            return fail(v->op, v->kind, v->subject,
                        "%s: precision %d is outside 1..%d (0 for none, "
                        "PCSM_PRECISION_ZERO for 0)", what, t.p, MAX_TIME_PRECISION);
        break;
    case PCSM_TYPE_BIT:
        if (t.p < 1 || t.p > MAX_BIT_LENGTH)
            return fail(v->op, v->kind, v->subject, "%s: bit length %d is outside 1..%d",
                        what, t.p, MAX_BIT_LENGTH);
        break;
    case PCSM_TYPE_VARBIT:
        if (t.p < 0 || t.p > MAX_BIT_LENGTH)
            return fail(v->op, v->kind, v->subject,
                        "%s: varbit length %d is outside 1..%d (0 for unbounded)",
                        what, t.p, MAX_BIT_LENGTH);
        break;
    case PCSM_TYPE_SMALLSERIAL: case PCSM_TYPE_SERIAL: case PCSM_TYPE_BIGSERIAL:
        /* check_column_type() lets a column have one; no other place may. */
        return fail(v->op, v->kind, v->subject, "%s: type \"%s\" does not exist (a serial "
                    "is a column type of create_table or add_column only)",
                    what, serial_name(t.kind));
    case PCSM_TYPE_UUID: case PCSM_TYPE_TEXT: case PCSM_TYPE_BOOLEAN:
    case PCSM_TYPE_SMALLINT: case PCSM_TYPE_INTEGER: case PCSM_TYPE_BIGINT:
    case PCSM_TYPE_REAL: case PCSM_TYPE_DOUBLE: case PCSM_TYPE_JSON:
    case PCSM_TYPE_JSONB: case PCSM_TYPE_BYTEA: case PCSM_TYPE_DATE:
    case PCSM_TYPE_TSVECTOR: case PCSM_TYPE_TSQUERY: case PCSM_TYPE_INET:
    case PCSM_TYPE_CIDR: case PCSM_TYPE_MACADDR: case PCSM_TYPE_MACADDR8:
    case PCSM_TYPE_MONEY: case PCSM_TYPE_XML: case PCSM_TYPE_OID:
    case PCSM_TYPE_INT4RANGE: case PCSM_TYPE_INT8RANGE: case PCSM_TYPE_NUMRANGE:
    case PCSM_TYPE_TSRANGE: case PCSM_TYPE_TSTZRANGE: case PCSM_TYPE_DATERANGE:
        break;
    default:
        return fail(v->op, v->kind, v->subject, "%s: unknown type kind %d", what, (int)t.kind);
    }
    if (t.kind != PCSM_TYPE_NAMED && (t.schema || t.modifiers))
        return fail(v->op, v->kind, v->subject, "%s: a schema or modifiers are for a named "
                    "type only (PCSM_CUSTOM_TYPE)", what);
    if (t.array_dims < 0 || t.array_dims > MAX_ARRAY_DIMS)
        return fail(v->op, v->kind, v->subject, "%s: %d array dimensions (at most %d)",
                    what, t.array_dims, MAX_ARRAY_DIMS);
    return true;
}

/* A column's type: a serial too, as the server takes one (transformColumnDefinition()). */
static bool check_column_type(struct vctx *v, const char *what, const pcsm_column *c)
{
    pcsm_type t = c->type;

    if (!is_serial_kind(t.kind))
        return check_type(v, what, t);
    if (t.array_dims)
        return fail(v->op, v->kind, v->subject, "%s: array of %s is not implemented",
                    what, serial_name(t.kind));
    if (t.p || t.s || t.name || t.schema || t.modifiers)
        return fail(v->op, v->kind, v->subject, "%s: %s takes no length, name or modifiers",
                    what, serial_name(t.kind));
    if (c->default_value.kind != PCSM_VALUE_NONE)
        return fail(v->op, v->kind, v->subject, "%s: both a default and %s (its default is "
                    "nextval() of its sequence)", what, serial_name(t.kind));
    if (c->identity || c->generated)
        return fail(v->op, v->kind, v->subject, "%s: both %s and %s", what,
                    serial_name(t.kind),
                    c->identity ? "an identity" : "a generation expression");
    return true;
}

static bool check_value(struct vctx *v, const char *what, pcsm_value val, bool required)
{
    switch (val.kind) {
    case PCSM_VALUE_NONE:
        if (required)
            return fail(v->op, v->kind, v->subject, "%s is missing", what);
        return true;
    case PCSM_VALUE_EXPR:
        return check_sql(v, what, val.text, true);
    case PCSM_VALUE_LITERAL:
        if (!val.text)
            return fail(v->op, v->kind, v->subject,
                        "%s: PCSM_LITERAL(NULL); use PCSM_NULL for SQL NULL", what);
        return check_text(v, what, val.text);
    case PCSM_VALUE_NULL:
        return true;
    }
    return fail(v->op, v->kind, v->subject, "%s: unknown value kind %d", what, (int)val.kind);
}

static bool check_action(struct vctx *v, const char *what, enum pcsm_fk_action a)
{
    if ((int)a < PCSM_FK_DEFAULT || a > PCSM_SET_DEFAULT)
        return fail(v->op, v->kind, v->subject, "%s: unknown foreign key action %d",
                    what, (int)a);
    return true;
}

/* The server says which named types collate; the model takes the author's word. */
static bool is_collatable(pcsm_type t)
{
    return t.kind == PCSM_TYPE_TEXT || t.kind == PCSM_TYPE_VARCHAR ||
           t.kind == PCSM_TYPE_CHAR || t.kind == PCSM_TYPE_NAMED;
}

/* ------------------------------------------------------------ sequences */

static bool is_integer_kind(enum pcsm_type_kind k)
{
    return k == PCSM_TYPE_SMALLINT || k == PCSM_TYPE_INTEGER || k == PCSM_TYPE_BIGINT;
}

static const char *integer_name(enum pcsm_type_kind k)
{
    return k == PCSM_TYPE_SMALLINT ? "smallint" : k == PCSM_TYPE_INTEGER ? "integer" : "bigint";
}

static long long type_max(enum pcsm_type_kind k)
{
    return k == PCSM_TYPE_SMALLINT ? 32767 : k == PCSM_TYPE_INTEGER ? 2147483647 : LLONG_MAX;
}

static long long type_min(enum pcsm_type_kind k)
{
    return k == PCSM_TYPE_SMALLINT ? -32768 : k == PCSM_TYPE_INTEGER ? -2147483647 - 1
                                                                      : LLONG_MIN;
}

/* The defaults of init_params(): ascending from 1, descending from -1. */
static long long default_max(enum pcsm_type_kind k, long long increment)
{
    return increment > 0 ? type_max(k) : -1;
}

static long long default_min(enum pcsm_type_kind k, long long increment)
{
    return increment > 0 ? 1 : type_min(k);
}

int pcsm_op__sequence_apply(struct pcsm_seq_state *st, bool create, enum pcsm_type_kind type,
                            const pcsm_sequence_options *given, pcsm_buf *why)
{
    static const pcsm_sequence_options none;
    const pcsm_sequence_options *g = given ? given : &none;
    struct pcsm_seq_state n = create ? (struct pcsm_seq_state){ .type = type } : *st;
    bool retyped = g->as.kind != PCSM_TYPE_NONE && g->as.kind != n.type;
    long long restart;

    if (g->as.kind != PCSM_TYPE_NONE)
        n.type = g->as.kind;
    if (g->increment)
        n.increment = g->increment;
    else if (create)
        n.increment = 1;
    /*
     * A bound that was the old type's limit moves to the new type's limit,
     * whatever the increment's sign (init_params()'s reset_max_value and
     * reset_min_value): a descending sequence made ascending keeps the
     * type's minimum, not 1.
     */
    if (g->maxvalue.set)
        n.maxvalue = g->maxvalue.value;
    else if (create)
        n.maxvalue = default_max(n.type, n.increment);
    else if (retyped && st->maxvalue == type_max(st->type))
        n.maxvalue = type_max(n.type);
    if (g->minvalue.set)
        n.minvalue = g->minvalue.value;
    else if (create)
        n.minvalue = default_min(n.type, n.increment);
    else if (retyped && st->minvalue == type_min(st->type))
        n.minvalue = type_min(n.type);
    if (n.maxvalue < type_min(n.type) || n.maxvalue > type_max(n.type)) {
        pcsm_buf_printf(why, "MAXVALUE (%lld) is out of range for sequence data type %s",
                        n.maxvalue, integer_name(n.type));
        return -1;
    }
    if (n.minvalue < type_min(n.type) || n.minvalue > type_max(n.type)) {
        pcsm_buf_printf(why, "MINVALUE (%lld) is out of range for sequence data type %s",
                        n.minvalue, integer_name(n.type));
        return -1;
    }
    if (n.minvalue >= n.maxvalue) {
        pcsm_buf_printf(why, "MINVALUE (%lld) must be less than MAXVALUE (%lld)",
                        n.minvalue, n.maxvalue);
        return -1;
    }
    if (g->start.set)
        n.start = g->start.value;
    else if (create)
        n.start = n.increment > 0 ? n.minvalue : n.maxvalue;
    if (n.start < n.minvalue || n.start > n.maxvalue) {
        pcsm_buf_printf(why, "START value (%lld) cannot be %s than %s (%lld)", n.start,
                        n.start < n.minvalue ? "less" : "greater",
                        n.start < n.minvalue ? "MINVALUE" : "MAXVALUE",
                        n.start < n.minvalue ? n.minvalue : n.maxvalue);
        return -1;
    }
    restart = g->restart.value;
    if (g->restart.set && (restart < n.minvalue || restart > n.maxvalue)) {
        pcsm_buf_printf(why, "RESTART value (%lld) cannot be %s than %s (%lld)", restart,
                        restart < n.minvalue ? "less" : "greater",
                        restart < n.minvalue ? "MINVALUE" : "MAXVALUE",
                        restart < n.minvalue ? n.minvalue : n.maxvalue);
        return -1;
    }
    if (g->cache)
        n.cache = g->cache;
    else if (create)
        n.cache = 1;
    if (g->cycle != PCSM_CYCLE_DEFAULT)
        n.cycle = g->cycle == PCSM_CYCLE;
    else if (create)
        n.cycle = false;
    *st = n;
    return 0;
}

pcsm_sequence_options pcsm_op__sequence_options(const struct pcsm_seq_state *st, bool identity)
{
    pcsm_sequence_options o = { .as = { .kind = PCSM_TYPE_NONE } };

    if (!identity && st->type != PCSM_TYPE_BIGINT)
        o.as.kind = st->type;
    if (st->increment != 1)
        o.increment = st->increment;
    if (st->minvalue != default_min(st->type, st->increment))
        o.minvalue = PCSM_SEQ_VALUE(st->minvalue);
    if (st->maxvalue != default_max(st->type, st->increment))
        o.maxvalue = PCSM_SEQ_VALUE(st->maxvalue);
    if (st->start != (st->increment > 0 ? st->minvalue : st->maxvalue))
        o.start = PCSM_SEQ_VALUE(st->start);
    if (st->cache != 1)
        o.cache = st->cache;
    if (st->cycle)
        o.cycle = PCSM_CYCLE;
    return o;
}

/*
 * The options as given: `alter` allows RESTART and needs something said;
 * `identity` is the identity column's type (NONE for a sequence of its
 * own), whose sequence takes it and so no AS.  A create or an identity
 * is checked whole here, its values known; an alter, against the
 * sequence it alters, by replay.
 */
static bool check_sequence_options(struct vctx *v, const char *what,
                                   const pcsm_sequence_options *o, bool alter,
                                   enum pcsm_type_kind identity)
{
    struct pcsm_seq_state st;
    pcsm_buf why = PCSM_BUF_INIT;
    bool ok;

    if (o->as.kind != PCSM_TYPE_NONE &&
        (!is_integer_kind(o->as.kind) || o->as.array_dims || o->as.name))
        return fail(v->op, v->kind, v->subject,
                    "%s: AS takes PCSM_SMALLINT, PCSM_INTEGER or PCSM_BIGINT", what);
    if (o->as.kind != PCSM_TYPE_NONE && identity != PCSM_TYPE_NONE)
        return fail(v->op, v->kind, v->subject,
                    "%s: an identity's sequence is of its column's type (no AS)", what);
    if (o->restart.set && !alter)
        return fail(v->op, v->kind, v->subject, "%s: RESTART is for alter_sequence only",
                    what);
    if (o->cache < 0)
        return fail(v->op, v->kind, v->subject, "%s: CACHE (%lld) must be greater than zero",
                    what, o->cache);
    if ((int)o->cycle < PCSM_CYCLE_DEFAULT || o->cycle > PCSM_NO_CYCLE)
        return fail(v->op, v->kind, v->subject, "%s: unknown cycle %d (PCSM_CYCLE or "
                    "PCSM_NO_CYCLE)", what, (int)o->cycle);
    if (alter)
        return true;
    ok = pcsm_op__sequence_apply(&st, true,
                                 identity != PCSM_TYPE_NONE ? identity : PCSM_TYPE_BIGINT, o,
                                 &why) == 0;
    if (!ok)
        fail(v->op, v->kind, v->subject, "%s: %s", what, why.ptr);
    pcsm_buf_dispose(&why);
    return ok;
}

static bool check_identity(struct vctx *v, const char *what, enum pcsm_identity identity,
                           pcsm_type type, const pcsm_sequence_options *options)
{
    if ((int)identity < PCSM_IDENTITY_NONE || identity > PCSM_IDENTITY_BY_DEFAULT)
        return fail(v->op, v->kind, v->subject, "%s: unknown identity %d "
                    "(PCSM_IDENTITY_ALWAYS or PCSM_IDENTITY_BY_DEFAULT)", what, (int)identity);
    if (identity == PCSM_IDENTITY_NONE)
        return true;
    if (!is_integer_kind(type.kind) || type.array_dims)
        return fail(v->op, v->kind, v->subject,
                    "%s: identity column type must be smallint, integer, or bigint", what);
    return check_sequence_options(v, what, options, false, type.kind);
}

/* Options given to a column that is not an identity are a mistake. */
static bool options_given(const pcsm_sequence_options *o)
{
    return o->as.kind || o->increment || o->minvalue.set || o->maxvalue.set || o->start.set ||
           o->restart.set || o->cache || o->cycle;
}

static bool check_column(struct vctx *v, const pcsm_column *c, size_t pos)
{
    char what[96];

    if (!c->name)
        return fail(v->op, v->kind, v->subject, "column %zu has no name", pos);
    if (!check_ident(v, "column name", c->name))
        return false;
    snprintf(what, sizeof(what), "column \"%.63s\"", c->name);
    if (!check_column_type(v, what, c))
        return false;
    snprintf(what, sizeof(what), "column \"%.63s\" default", c->name);
    if (!check_value(v, what, c->default_value, false))
        return false;
    snprintf(what, sizeof(what), "column \"%.63s\"", c->name);
    if (c->references && !check_ident(v, "referenced table", c->references))
        return false;
    if (c->ref_column && !check_ident(v, "referenced column", c->ref_column))
        return false;
    if (c->ref_schema && !check_ident(v, "referenced schema", c->ref_schema))
        return false;
    if (c->ref_schema && !c->references)
        return fail(v->op, v->kind, v->subject, "%s: ref_schema without references", what);
    if (c->ref_column && !c->references)
        return fail(v->op, v->kind, v->subject, "%s: ref_column without references", what);
    if ((c->on_delete || c->on_update) && !c->references)
        return fail(v->op, v->kind, v->subject, "%s: on_delete/on_update without references",
                    what);
    if (!check_action(v, what, c->on_delete) || !check_action(v, what, c->on_update) ||
        !check_sql(v, "check expression", c->check, false) ||
        !check_text(v, "column comment", c->comment) ||
        !check_identity(v, what, c->identity, c->type, &c->identity_options) ||
        !check_sql(v, "generation expression", c->generated, false) ||
        (c->collation && !check_ident(v, "collation", c->collation)))
        return false;
    if (!c->identity && options_given(&c->identity_options))
        return fail(v->op, v->kind, v->subject, "%s: identity options without an identity",
                    what);
    if (c->default_value.kind != PCSM_VALUE_NONE && (c->identity || c->generated))
        return fail(v->op, v->kind, v->subject, "%s: both a default and %s", what,
                    c->identity ? "an identity" : "a generation expression");
    if (c->identity && c->generated)
        return fail(v->op, v->kind, v->subject,
                    "%s: both an identity and a generation expression", what);
    if (c->collation && !is_collatable(c->type))
        return fail(v->op, v->kind, v->subject, "%s: a collation is for a text type only "
                    "(text, varchar, char, or a named type)", what);
    return true;
}

/* An index method of the server's own, or none (btree); an index's or an EXCLUDE's. */
static bool check_method(struct vctx *v, const char *method)
{
    static const char *const methods[] = { "btree", "hash", "gin", "gist", "brin", "spgist" };
    size_t i;

    for (i = 0; method && i < sizeof(methods) / sizeof(*methods); i++)
        if (!strcmp(method, methods[i]))
            return true;
    return !method || fail(v->op, v->kind, v->subject, "unknown index method \"%s\" (btree, "
                           "hash, gin, gist, brin, spgist)",
                           pcsm_sql__valid_utf8(method) ? method : "?");
}

/* "name" or "schema.name": one or two identifiers, each part quoted when rendered. */
static bool check_opclass(struct vctx *v, const char *opclass)
{
    const char *dot;
    char part[MAX_IDENT_BYTES + 2];

    if (!opclass)
        return true;
    dot = strchr(opclass, '.');
    if (dot && strchr(dot + 1, '.'))
        return fail(v->op, v->kind, v->subject, "operator class \"%s\" has more than one "
                    "dot (give \"name\" or \"schema.name\")",
                    pcsm_sql__valid_utf8(opclass) ? opclass : "?");
    if (!dot)
        return check_ident(v, "operator class", opclass);
    if ((size_t)(dot - opclass) > MAX_IDENT_BYTES)
        return fail(v->op, v->kind, v->subject, "operator class schema is longer than %d "
                    "bytes (PostgreSQL would truncate it)", MAX_IDENT_BYTES);
    memcpy(part, opclass, (size_t)(dot - opclass));
    part[dot - opclass] = '\0';
    return check_ident(v, "operator class schema", part) &&
           check_ident(v, "operator class", dot + 1);
}

static size_t count_elements(const pcsm_index_element *e)
{
    size_t n = 0;

    while (e && (e[n].column || e[n].expression))
        n++;
    return n;
}

/*
 * An EXCLUDE element's operator: an operator's characters, or "schema.op".
 * A "--" or a slash-star in it would start a comment, so PostgreSQL has none.
 */
static bool check_operator(struct vctx *v, size_t i, const char *with)
{
    const char *dot = strchr(with, '.'), *op = dot ? dot + 1 : with;
    char schema[MAX_IDENT_BYTES + 2];

    if (dot) {
        if ((size_t)(dot - with) > MAX_IDENT_BYTES)
            return fail(v->op, v->kind, v->subject, "element %zu: the operator's schema is "
                        "longer than %d bytes", i + 1, MAX_IDENT_BYTES);
        memcpy(schema, with, (size_t)(dot - with));
        schema[dot - with] = '\0';
        if (!check_ident(v, "operator schema", schema))
            return false;
    }
    if (!*op || strlen(op) > MAX_IDENT_BYTES || strspn(op, "+-*/<>=~!@#%^&|`?") != strlen(op) ||
        strstr(op, "--") || strstr(op, "/*"))
        return fail(v->op, v->kind, v->subject, "element %zu: \"%s\" is not an operator "
                    "(give one like \"=\" or \"&&\", or \"schema.op\")", i + 1,
                    pcsm_sql__valid_utf8(with) ? with : "?");
    return true;
}

/* An index's elements, or with `exclude` an EXCLUDE constraint's, each with its operator. */
static bool check_elements(struct vctx *v, const pcsm_index_element *elements, bool exclude)
{
    size_t i, n = count_elements(elements);

    if (!n)
        return fail(v->op, v->kind, v->subject, "%s elements: none given",
                    exclude ? "exclusion constraint" : "index");
    for (i = 0; i < n; i++) {
        const pcsm_index_element *e = &elements[i];

        if (e->column && e->expression)
            return fail(v->op, v->kind, v->subject, "index element %zu gives both a column "
                        "and an expression", i + 1);
        if ((e->column && !check_ident(v, "index column", e->column)) ||
            !check_sql(v, "index expression", e->expression, false) ||
            (e->collation && !check_ident(v, "index element collation", e->collation)) ||
            !check_opclass(v, e->opclass))
            return false;
        if (e->nulls != PCSM_NULLS_DEFAULT && e->nulls != PCSM_NULLS_FIRST &&
            e->nulls != PCSM_NULLS_LAST)
            return fail(v->op, v->kind, v->subject, "index element %zu: unknown NULLS order %d",
                        i + 1, (int)e->nulls);
        if (exclude && !e->with)
            return fail(v->op, v->kind, v->subject, "exclusion constraint element %zu has no "
                        "operator (.with = \"=\", \"&&\", ...)", i + 1);
        if (!exclude && e->with)
            return fail(v->op, v->kind, v->subject, "index element %zu: an operator (.with) "
                        "belongs to an exclusion constraint's element only", i + 1);
        if (e->with && !check_operator(v, i, e->with))
            return false;
    }
    return true;
}

static const pcsm_index_element *copy_elements(pcsm_op *op, const pcsm_index_element *src)
{
    size_t i, n = count_elements(src);
    pcsm_index_element *dst;

    if (!src)
        return NULL;
    dst = arena_alloc(op, (n + 1) * sizeof(*dst));
    for (i = 0; i < n; i++) {
        dst[i] = src[i];
        dst[i].column = arena_strdup(op, src[i].column);
        dst[i].expression = arena_strdup(op, src[i].expression);
        dst[i].collation = arena_strdup(op, src[i].collation);
        dst[i].opclass = arena_strdup(op, src[i].opclass);
        dst[i].with = arena_strdup(op, src[i].with);
    }
    memset(&dst[n], 0, sizeof(dst[n]));
    return dst;
}

static bool check_constraint(struct vctx *v, const pcsm_constraint *c, bool need_name)
{
    if (c->name ? !check_ident(v, "constraint name", c->name) : need_name)
        return c->name ? false
                       : fail(v->op, v->kind, v->subject, "the constraint needs a name");
    switch (c->kind) {
    case PCSM_PRIMARY_KEY:
    case PCSM_UNIQUE:
        if (!check_names(v, c->kind == PCSM_UNIQUE ? "unique constraint" : "primary key",
                         c->columns, true))
            return false;
        break;
    case PCSM_FOREIGN_KEY:
        if (!check_names(v, "foreign key", c->columns, true) ||
            !check_ident(v, "referenced table", c->references) ||
            !check_names(v, "referenced columns", c->ref_columns, false) ||
            (c->ref_schema && !check_ident(v, "referenced schema", c->ref_schema)) ||
            !check_action(v, "foreign key", c->on_delete) ||
            !check_action(v, "foreign key", c->on_update))
            return false;
        if (c->ref_columns && count_names(c->ref_columns) != count_names(c->columns))
            return fail(v->op, v->kind, v->subject,
                        "foreign key has %zu columns but references %zu",
                        count_names(c->columns), count_names(c->ref_columns));
        break;
    case PCSM_CHECK:
        if (!check_sql(v, "check expression", c->check, true))
            return false;
        if (c->columns)
            return fail(v->op, v->kind, v->subject, "a check constraint takes no columns");
        break;
    case PCSM_EXCLUDE:
        if (c->columns)
            return fail(v->op, v->kind, v->subject, "an exclusion constraint takes elements, "
                        "each with its operator, not columns");
        if (!check_elements(v, c->elements, true) ||
            !check_sql(v, "exclusion constraint WHERE predicate", c->where, false) ||
            !check_method(v, c->method))
            return false;
        break;
    default:
        return fail(v->op, v->kind, v->subject, "unknown constraint kind %d", (int)c->kind);
    }
    if (c->kind != PCSM_CHECK && c->check)
        return fail(v->op, v->kind, v->subject, "only a check constraint takes a check expression");
    /* The renderer would drop it, and the author meant some foreign key. */
    if (c->kind != PCSM_FOREIGN_KEY && c->ref_schema)
        return fail(v->op, v->kind, v->subject, "only a foreign key takes a ref_schema");
    if (c->deferrable && c->kind == PCSM_CHECK)
        return fail(v->op, v->kind, v->subject, "a check constraint cannot be DEFERRABLE");
    if (c->not_valid && c->kind != PCSM_FOREIGN_KEY && c->kind != PCSM_CHECK)
        return fail(v->op, v->kind, v->subject, "NOT VALID applies to foreign key and check constraints only");
    if (c->kind != PCSM_EXCLUDE && (c->elements || c->method || c->where))
        return fail(v->op, v->kind, v->subject, "elements, a method and a WHERE predicate "
                    "belong to an exclusion constraint only (a partial unique key is a "
                    "unique index)");
    if (c->nulls_not_distinct && c->kind != PCSM_UNIQUE)
        return fail(v->op, v->kind, v->subject,
                    "NULLS NOT DISTINCT applies to unique constraints only");
    return true;
}

static bool check_flags(struct vctx *v, unsigned flags, unsigned allowed)
{
    if (flags & ~allowed)
        return fail(v->op, v->kind, v->subject, "unsupported flags 0x%x", flags & ~allowed);
    return true;
}

/* ------------------------------------------------------------- recording */

/* Starts a call: false when an earlier call failed, so this one is ignored. */
static bool begin(pcsm_op *op, struct vctx *v, enum pcsm_ddl_kind kind, const char *subject)
{
    if (!op)
        abort();    /* a migration passed no context: a programming error */
    v->op = op;
    v->kind = kind;
    v->subject = subject;
    return !op->failed;
}

/* Appends a validated operation. */
static struct pcsm_ddl_op *push(pcsm_op *op, enum pcsm_ddl_kind kind)
{
    struct pcsm_ddl_op *o;

    pcsm__grow(&op->ops, &op->cap_ops, op->n_ops + 1, sizeof(*op->ops));
    o = &op->ops[op->n_ops++];
    memset(o, 0, sizeof(*o));
    o->kind = kind;
    o->line = op->next_line;
    op->next_line = 0;
    if (pcsm_op__names_object(kind))
        o->schema = op->schema;
    return o;
}

pcsm_op *pcsm_op_line_(pcsm_op *op, unsigned line)
{
    if (op)
        op->next_line = line;
    return op;
}

static pcsm_type copy_type(pcsm_op *op, pcsm_type t)
{
    t.name = arena_strdup(op, t.name);
    t.schema = arena_strdup(op, t.schema);
    t.modifiers = arena_strdup(op, t.modifiers);
    return t;
}

static pcsm_value copy_value(pcsm_op *op, pcsm_value val)
{
    val.text = arena_strdup(op, val.text);
    return val;
}

static void copy_column(pcsm_op *op, pcsm_column *dst, const pcsm_column *src)
{
    *dst = *src;
    dst->name = arena_strdup(op, src->name);
    dst->type = copy_type(op, src->type);
    dst->default_value = copy_value(op, src->default_value);
    dst->references = arena_strdup(op, src->references);
    dst->ref_schema = arena_strdup(op, src->ref_schema);
    dst->ref_column = arena_strdup(op, src->ref_column);
    dst->check = arena_strdup(op, src->check);
    dst->comment = arena_strdup(op, src->comment);
    dst->generated = arena_strdup(op, src->generated);
    dst->collation = arena_strdup(op, src->collation);
}

static void copy_constraint(pcsm_op *op, pcsm_constraint *dst, const pcsm_constraint *src)
{
    *dst = *src;
    dst->name = arena_strdup(op, src->name);
    dst->columns = arena_names(op, src->columns);
    dst->references = arena_strdup(op, src->references);
    dst->ref_schema = arena_strdup(op, src->ref_schema);
    dst->ref_columns = arena_names(op, src->ref_columns);
    dst->check = arena_strdup(op, src->check);
    dst->elements = copy_elements(op, src->elements);
    dst->method = arena_strdup(op, src->method);
    dst->where = arena_strdup(op, src->where);
}

/*
 * A partition key: a strategy, and elements as an index's (a column or an
 * expression each, a collation and an operator class) without an order,
 * NULLS or an operator.  A LIST key has one, as the server requires.
 */
static bool check_partition_key(struct vctx *v, const pcsm_partition_key *key)
{
    size_t i, n;

    if (key->strategy != PCSM_PARTITION_RANGE && key->strategy != PCSM_PARTITION_LIST &&
        key->strategy != PCSM_PARTITION_HASH)
        return fail(v->op, v->kind, v->subject, "unknown partition strategy %d",
                    (int)key->strategy);
    n = count_elements(key->elements);
    if (!n)
        return fail(v->op, v->kind, v->subject, "partition key: no column or expression given");
    if (!check_elements(v, key->elements, false))
        return false;
    for (i = 0; i < n; i++)
        if (key->elements[i].descending || key->elements[i].nulls != PCSM_NULLS_DEFAULT)
            return fail(v->op, v->kind, v->subject, "partition key element %zu: a key has no "
                        "order and no NULLS placement", i + 1);
    if (key->strategy == PCSM_PARTITION_LIST && n > 1)
        return fail(v->op, v->kind, v->subject, "a LIST partition key is one column or "
                    "expression, not %zu", n);
    return true;
}

/* FOR VALUES ... or DEFAULT, as the server prints a bound; the rest is the server's to read. */
static bool check_bound(struct vctx *v, const char *bound)
{
    if (!check_sql(v, "partition bound", bound, true))
        return false;
    if (!strcasecmp(bound, "DEFAULT") || !strncasecmp(bound, "FOR VALUES ", 11))
        return true;
    return fail(v->op, v->kind, v->subject, "partition bound is neither \"FOR VALUES ...\" "
                "nor \"DEFAULT\"");
}

/* Constraints of create_table and create_partition, counted; false when one is invalid. */
static bool check_table_constraints(struct vctx *v, const pcsm_constraint *constraints,
                                    size_t *n_out, size_t *n_pk_out)
{
    size_t n = 0, n_pk = 0;

    for (; constraints && constraints[n].kind != PCSM_CONSTRAINT_NONE; n++) {
        if (!check_constraint(v, &constraints[n], false))
            return false;
        n_pk += constraints[n].kind == PCSM_PRIMARY_KEY;
    }
    *n_out = n;
    *n_pk_out = n_pk;
    return true;
}

static const pcsm_constraint *copy_constraints(pcsm_op *op, const pcsm_constraint *src, size_t n)
{
    pcsm_constraint *dst = arena_alloc(op, (n ? n : 1) * sizeof(*dst));
    size_t i;

    for (i = 0; i < n; i++)
        copy_constraint(op, &dst[i], &src[i]);
    return dst;
}

/* INHERITS (parents): at least one, each a name given once. */
static bool check_parents(struct vctx *v, const char *table, const char *const *parents)
{
    size_t i, j;

    if (!parents || !parents[0])
        return fail(v->op, v->kind, table, "no parent tables given");
    for (i = 0; parents[i]; i++) {
        if (!check_ident(v, "parent table", parents[i]))
            return false;
        if (!strcmp(parents[i], table))
            return fail(v->op, v->kind, table, "a table cannot inherit from itself");
        for (j = 0; j < i; j++)
            if (!strcmp(parents[j], parents[i]))
                return fail(v->op, v->kind, table, "parent table \"%s\" is given twice",
                            parents[i]);
    }
    return true;
}

/*
 * create_table, create_partitioned_table with a key, and
 * create_table_inherits with parents (whose columns may be none).
 */
static void record_table(pcsm_op *op, const char *table, const pcsm_partition_key *key,
                         const char *const *parents, const pcsm_column *columns,
                         const pcsm_constraint *constraints, const char *comment)
{
    struct vctx v;
    struct pcsm_ddl_create_table *ct;
    pcsm_column *cols;
    size_t n_cols = 0, n_cons, n_col_pk = 0, n_con_pk, i, j;

    if (!begin(op, &v, PCSM_OP_CREATE_TABLE, table))
        return;
    if (!check_ident(&v, "table name", table) || !check_text(&v, "table comment", comment) ||
        (key && !check_partition_key(&v, key)) ||
        (parents && !check_parents(&v, table, parents)))
        return;
    if (!parents && (!columns || !columns[0].name)) {
        fail(op, v.kind, table, "no columns given");
        return;
    }
    for (; columns && columns[n_cols].name; n_cols++) {
        if (!check_column(&v, &columns[n_cols], n_cols + 1))
            return;
        for (j = 0; j < n_cols; j++)
            if (!strcmp(columns[j].name, columns[n_cols].name)) {
                fail(op, v.kind, table, "column \"%s\" is given twice", columns[j].name);
                return;
            }
        n_col_pk += columns[n_cols].primary_key;
    }
    if (!check_table_constraints(&v, constraints, &n_cons, &n_con_pk))
        return;
    if (n_con_pk > 1 || (n_con_pk && n_col_pk)) {
        fail(op, v.kind, table, "more than one primary key (mark the columns of one "
             "composite key primary_key, or give one PCSM_PRIMARY_KEY constraint)");
        return;
    }

    ct = &push(op, PCSM_OP_CREATE_TABLE)->u.create_table;
    ct->table = arena_strdup(op, table);
    ct->comment = arena_strdup(op, comment);
    ct->inherits = arena_names(op, parents);
    ct->n_columns = n_cols;
    ct->columns = cols = arena_alloc(op, (n_cols ? n_cols : 1) * sizeof(*cols));
    for (i = 0; i < n_cols; i++)
        copy_column(op, &cols[i], &columns[i]);
    ct->n_constraints = n_cons;
    ct->constraints = copy_constraints(op, constraints, n_cons);
    if (key) {
        ct->strategy = key->strategy;
        ct->n_key = count_elements(key->elements);
        ct->key = copy_elements(op, key->elements);
    }
}

void pcsm_create_table(pcsm_op *op, const char *table, const pcsm_column *columns,
                       const pcsm_constraint *constraints, const char *comment)
{
    record_table(op, table, NULL, NULL, columns, constraints, comment);
}

void pcsm_create_table_inherits(pcsm_op *op, const char *table, const char *const *parents,
                                const pcsm_column *columns, const pcsm_constraint *constraints,
                                const char *comment)
{
    static const char *const none[] = { NULL };     /* refused as none given */

    record_table(op, table, NULL, parents ? parents : none, columns, constraints, comment);
}

static void record_inherit(pcsm_op *op, enum pcsm_ddl_kind kind, const char *table,
                           const char *parent)
{
    struct vctx v;
    struct pcsm_ddl_inherit *in;

    if (!begin(op, &v, kind, table) || !check_ident(&v, "table name", table) ||
        !check_ident(&v, "parent table", parent))
        return;
    if (!strcmp(table, parent)) {
        fail(op, v.kind, table, "a table cannot inherit from itself");
        return;
    }
    in = &push(op, kind)->u.inherit;
    in->table = arena_strdup(op, table);
    in->parent = arena_strdup(op, parent);
}

void pcsm_inherit(pcsm_op *op, const char *table, const char *parent)
{
    record_inherit(op, PCSM_OP_INHERIT, table, parent);
}

void pcsm_no_inherit(pcsm_op *op, const char *table, const char *parent)
{
    record_inherit(op, PCSM_OP_NO_INHERIT, table, parent);
}

void pcsm_create_partitioned_table(pcsm_op *op, const char *table, pcsm_partition_key key,
                                   const pcsm_column *columns,
                                   const pcsm_constraint *constraints, const char *comment)
{
    record_table(op, table, &key, NULL, columns, constraints, comment);
}

void pcsm_create_partition(pcsm_op *op, const pcsm_partition *partition)
{
    struct vctx v;
    struct pcsm_ddl_create_partition *cp;
    const pcsm_partition *pt = partition;
    size_t n_cons, n_pk;

    if (!begin(op, &v, PCSM_OP_CREATE_PARTITION, pt ? pt->name : NULL))
        return;
    if (!pt) {
        fail(op, v.kind, NULL, "no partition given");
        return;
    }
    if (!check_ident(&v, "partition name", pt->name) ||
        !check_ident(&v, "parent table", pt->parent) || !check_bound(&v, pt->bound) ||
        !check_text(&v, "table comment", pt->comment) ||
        (pt->partition_by.strategy != PCSM_PARTITION_NONE &&
         !check_partition_key(&v, &pt->partition_by)) ||
        !check_table_constraints(&v, pt->constraints, &n_cons, &n_pk))
        return;
    if (pt->partition_by.strategy == PCSM_PARTITION_NONE && pt->partition_by.elements &&
        count_elements(pt->partition_by.elements)) {
        fail(op, v.kind, pt->name, "partition key elements given with no strategy");
        return;
    }
    if (n_pk > 1) {
        fail(op, v.kind, pt->name, "more than one primary key");
        return;
    }
    cp = &push(op, PCSM_OP_CREATE_PARTITION)->u.create_partition;
    cp->table = arena_strdup(op, pt->name);
    cp->parent = arena_strdup(op, pt->parent);
    cp->bound = arena_strdup(op, pt->bound);
    cp->comment = arena_strdup(op, pt->comment);
    cp->strategy = pt->partition_by.strategy;
    if (cp->strategy != PCSM_PARTITION_NONE) {
        cp->n_key = count_elements(pt->partition_by.elements);
        cp->key = copy_elements(op, pt->partition_by.elements);
    }
    cp->n_constraints = n_cons;
    cp->constraints = copy_constraints(op, pt->constraints, n_cons);
}

static void record_partition_of(pcsm_op *op, enum pcsm_ddl_kind kind, const char *parent,
                                const char *table, const char *bound)
{
    struct vctx v;
    struct pcsm_ddl_partition_of *po;

    if (!begin(op, &v, kind, parent) || !check_ident(&v, "table name", parent) ||
        !check_ident(&v, "partition name", table) ||
        (kind == PCSM_OP_ATTACH_PARTITION && !check_bound(&v, bound)))
        return;
    po = &push(op, kind)->u.partition_of;
    po->table = arena_strdup(op, parent);
    po->partition = arena_strdup(op, table);
    po->bound = arena_strdup(op, bound);
}

void pcsm_attach_partition(pcsm_op *op, const char *parent, const char *table,
                           const char *bound)
{
    record_partition_of(op, PCSM_OP_ATTACH_PARTITION, parent, table, bound);
}

void pcsm_detach_partition(pcsm_op *op, const char *parent, const char *table)
{
    record_partition_of(op, PCSM_OP_DETACH_PARTITION, parent, table, NULL);
}

/*
 * The checks shared by the calls that name a table and up to two more
 * names; true when the call is valid and may be recorded.
 */
static bool check_names_call(pcsm_op *op, enum pcsm_ddl_kind kind, const char *table,
                             const char *what1, const char *name, const char *what2,
                             const char *new_name, unsigned flags, unsigned allowed_flags)
{
    struct vctx v;

    return begin(op, &v, kind, table) && check_ident(&v, "table name", table) &&
           (!what1 || check_ident(&v, what1, name)) &&
           (!what2 || check_ident(&v, what2, new_name)) &&
           check_flags(&v, flags, allowed_flags);
}

void pcsm_drop_table(pcsm_op *op, const char *table, unsigned flags)
{
    struct pcsm_ddl_drop_table *d;

    if (!check_names_call(op, PCSM_OP_DROP_TABLE, table, NULL, NULL, NULL, NULL, flags,
                          PCSM_IF_EXISTS | PCSM_DROP_CASCADE))
        return;
    d = &push(op, PCSM_OP_DROP_TABLE)->u.drop_table;
    d->table = arena_strdup(op, table);
    d->flags = flags;
}

void pcsm_rename_table(pcsm_op *op, const char *table, const char *new_name)
{
    struct pcsm_ddl_rename_table *r;

    if (!check_names_call(op, PCSM_OP_RENAME_TABLE, table, NULL, NULL, "new table name",
                          new_name, 0, 0))
        return;
    r = &push(op, PCSM_OP_RENAME_TABLE)->u.rename_table;
    r->table = arena_strdup(op, table);
    r->new_name = arena_strdup(op, new_name);
}

void pcsm_comment_table(pcsm_op *op, const char *table, const char *comment)
{
    struct vctx v;
    struct pcsm_ddl_comment_table *c;

    if (!begin(op, &v, PCSM_OP_COMMENT_TABLE, table))
        return;
    if (!check_ident(&v, "table name", table) || !check_text(&v, "comment", comment))
        return;
    c = &push(op, PCSM_OP_COMMENT_TABLE)->u.comment_table;
    c->table = arena_strdup(op, table);
    c->comment = arena_strdup(op, comment);
}

void pcsm_add_column(pcsm_op *op, const char *table, const pcsm_column *column)
{
    struct vctx v;
    struct pcsm_ddl_add_column *a;

    if (!begin(op, &v, PCSM_OP_ADD_COLUMN, table))
        return;
    if (!check_ident(&v, "table name", table))
        return;
    if (!column) {
        fail(op, v.kind, table, "no column given");
        return;
    }
    if (!check_column(&v, column, 1))
        return;
    a = &push(op, PCSM_OP_ADD_COLUMN)->u.add_column;
    a->table = arena_strdup(op, table);
    copy_column(op, &a->column, column);
}

void pcsm_drop_column(pcsm_op *op, const char *table, const char *column, unsigned flags)
{
    struct pcsm_ddl_drop_column *d;

    if (!check_names_call(op, PCSM_OP_DROP_COLUMN, table, "column name", column, NULL, NULL,
                          flags, PCSM_IF_EXISTS | PCSM_DROP_CASCADE))
        return;
    d = &push(op, PCSM_OP_DROP_COLUMN)->u.drop_column;
    d->table = arena_strdup(op, table);
    d->column = arena_strdup(op, column);
    d->flags = flags;
}

void pcsm_rename_column(pcsm_op *op, const char *table, const char *column,
                        const char *new_name)
{
    struct pcsm_ddl_rename_column *r;

    if (!check_names_call(op, PCSM_OP_RENAME_COLUMN, table, "column name", column,
                          "new column name", new_name, 0, 0))
        return;
    r = &push(op, PCSM_OP_RENAME_COLUMN)->u.rename_column;
    r->table = arena_strdup(op, table);
    r->column = arena_strdup(op, column);
    r->new_name = arena_strdup(op, new_name);
}

void pcsm_alter_column_type(pcsm_op *op, const char *table, const char *column,
                            pcsm_type type, const char *using)
{
    pcsm_alter_column_type_collate(op, table, column, type, NULL, using);
}

void pcsm_alter_column_type_collate(pcsm_op *op, const char *table, const char *column,
                                    pcsm_type type, const char *collation, const char *using)
{
    struct vctx v;
    struct pcsm_ddl_alter_column_type *a;

    if (!begin(op, &v, PCSM_OP_ALTER_COLUMN_TYPE, table))
        return;
    if (!check_ident(&v, "table name", table) || !check_ident(&v, "column name", column) ||
        !check_type(&v, "new type", type) || !check_sql(&v, "USING expression", using, false) ||
        (collation && !check_ident(&v, "collation", collation)))
        return;
    if (collation && !is_collatable(type)) {
        fail(op, v.kind, table, "column \"%s\": a collation is for a text type only "
             "(text, varchar, char, or a named type)", column);
        return;
    }
    a = &push(op, PCSM_OP_ALTER_COLUMN_TYPE)->u.alter_column_type;
    a->table = arena_strdup(op, table);
    a->column = arena_strdup(op, column);
    a->type = copy_type(op, type);
    a->collation = arena_strdup(op, collation);
    a->using = arena_strdup(op, using);
}

void pcsm_add_identity(pcsm_op *op, const char *table, const char *column,
                       enum pcsm_identity identity, const pcsm_sequence_options *options)
{
    static const pcsm_sequence_options none;
    struct vctx v;
    struct pcsm_ddl_add_identity *a;

    if (!begin(op, &v, PCSM_OP_ADD_IDENTITY, table))
        return;
    if (!check_ident(&v, "table name", table) || !check_ident(&v, "column name", column))
        return;
    if (identity == PCSM_IDENTITY_NONE) {
        fail(op, v.kind, table, "no identity given (PCSM_IDENTITY_ALWAYS or "
             "PCSM_IDENTITY_BY_DEFAULT)");
        return;
    }
    /* The column's type is the model's to know: checked as a bigint here, by replay after. */
    if (!check_identity(&v, "identity", identity, PCSM_BIGINT, options ? options : &none))
        return;
    a = &push(op, PCSM_OP_ADD_IDENTITY)->u.add_identity;
    a->table = arena_strdup(op, table);
    a->column = arena_strdup(op, column);
    a->identity = identity;
    a->options = options ? *options : none;
}

void pcsm_set_identity(pcsm_op *op, const char *table, const char *column,
                       enum pcsm_identity identity)
{
    struct vctx v;
    struct pcsm_ddl_set_identity *s;

    if (!begin(op, &v, PCSM_OP_SET_IDENTITY, table))
        return;
    if (!check_ident(&v, "table name", table) || !check_ident(&v, "column name", column))
        return;
    if (identity != PCSM_IDENTITY_ALWAYS && identity != PCSM_IDENTITY_BY_DEFAULT) {
        fail(op, v.kind, table, "identity must be PCSM_IDENTITY_ALWAYS or "
             "PCSM_IDENTITY_BY_DEFAULT (pcsm_drop_identity() takes it away)");
        return;
    }
    s = &push(op, PCSM_OP_SET_IDENTITY)->u.set_identity;
    s->table = arena_strdup(op, table);
    s->column = arena_strdup(op, column);
    s->identity = identity;
}

void pcsm_drop_identity(pcsm_op *op, const char *table, const char *column, unsigned flags)
{
    struct pcsm_ddl_drop_identity *d;

    if (!check_names_call(op, PCSM_OP_DROP_IDENTITY, table, "column name", column, NULL, NULL,
                          flags, PCSM_IF_EXISTS))
        return;
    d = &push(op, PCSM_OP_DROP_IDENTITY)->u.drop_identity;
    d->table = arena_strdup(op, table);
    d->column = arena_strdup(op, column);
    d->flags = flags;
}

/* create_sequence, alter_sequence and set_sequence_owner: one kind each of two. */
static void record_sequence(pcsm_op *op, enum pcsm_ddl_kind kind, const char *name,
                            const pcsm_sequence_options *options, const char *table,
                            const char *column, bool owned_by_none)
{
    static const pcsm_sequence_options none;
    struct vctx v;
    struct pcsm_ddl_op *o;
    struct pcsm_ddl_sequence *q;

    if (!begin(op, &v, kind, name))
        return;
    if (!check_ident(&v, "sequence name", name) ||
        (table && !check_ident(&v, "owning table", table)) ||
        (column && !check_ident(&v, "owning column", column)) ||
        !check_sequence_options(&v, "options", options ? options : &none,
                                kind == PCSM_OP_ALTER_SEQUENCE, PCSM_TYPE_NONE))
        return;
    if (!table != !column) {
        fail(op, v.kind, name, "OWNED BY needs both a table and a column");
        return;
    }
    if (kind == PCSM_OP_ALTER_SEQUENCE && !table && !owned_by_none &&
        !(options && options_given(options))) {
        fail(op, v.kind, name, "nothing to alter");
        return;
    }
    o = push(op, kind);
    q = kind == PCSM_OP_CREATE_SEQUENCE ? &o->u.create_sequence : &o->u.alter_sequence;
    q->sequence = arena_strdup(op, name);
    q->options = options ? *options : none;
    q->owned_by_table = arena_strdup(op, table);
    q->owned_by_column = arena_strdup(op, column);
    q->owned_by_none = owned_by_none;
}

void pcsm_create_sequence(pcsm_op *op, const char *name, const pcsm_sequence_options *options,
                          const char *owned_by_table, const char *owned_by_column)
{
    record_sequence(op, PCSM_OP_CREATE_SEQUENCE, name, options, owned_by_table,
                    owned_by_column, false);
}

void pcsm_alter_sequence(pcsm_op *op, const char *name, const pcsm_sequence_options *options)
{
    record_sequence(op, PCSM_OP_ALTER_SEQUENCE, name, options, NULL, NULL, false);
}

void pcsm_set_sequence_owner(pcsm_op *op, const char *name, const char *table,
                             const char *column)
{
    if (!table && !column) {
        record_sequence(op, PCSM_OP_ALTER_SEQUENCE, name, NULL, NULL, NULL, true);
        return;
    }
    record_sequence(op, PCSM_OP_ALTER_SEQUENCE, name, NULL, table, column, false);
}

void pcsm_rename_sequence(pcsm_op *op, const char *name, const char *new_name)
{
    struct vctx v;
    struct pcsm_ddl_rename_sequence *r;

    if (!begin(op, &v, PCSM_OP_RENAME_SEQUENCE, name))
        return;
    if (!check_ident(&v, "sequence name", name) ||
        !check_ident(&v, "new sequence name", new_name))
        return;
    r = &push(op, PCSM_OP_RENAME_SEQUENCE)->u.rename_sequence;
    r->sequence = arena_strdup(op, name);
    r->new_name = arena_strdup(op, new_name);
}

void pcsm_drop_sequence(pcsm_op *op, const char *name, unsigned flags)
{
    struct vctx v;
    struct pcsm_ddl_drop_sequence *d;

    if (!begin(op, &v, PCSM_OP_DROP_SEQUENCE, name))
        return;
    if (!check_ident(&v, "sequence name", name) ||
        !check_flags(&v, flags, PCSM_IF_EXISTS | PCSM_DROP_CASCADE))
        return;
    d = &push(op, PCSM_OP_DROP_SEQUENCE)->u.drop_sequence;
    d->sequence = arena_strdup(op, name);
    d->flags = flags;
}

/* ------------------------------------------------------------------ views */

/* A name list's first repeated name, or NULL. */
static const char *repeated_name(const char *const *names)
{
    size_t i, k;

    for (i = 0; names && names[i]; i++)
        for (k = 0; k < i; k++)
            if (!strcmp(names[i], names[k]))
                return names[i];
    return NULL;
}

static void record_view(pcsm_op *op, enum pcsm_ddl_kind kind, const pcsm_view *view)
{
    struct vctx v;
    struct pcsm_ddl_op *o;
    pcsm_view *w;
    const char *dup;

    if (!begin(op, &v, kind, view ? view->name : NULL))
        return;
    if (!view) {
        fail(op, kind, NULL, "no view given");
        return;
    }
    if (!check_ident(&v, "view name", view->name) ||
        !check_names(&v, "view column", view->columns, false) ||
        !check_sql(&v, "query", view->query, true) ||
        !check_names(&v, "reads", view->reads, false))
        return;
    if ((dup = repeated_name(view->columns)) != NULL) {
        fail(op, kind, view->name, "column \"%s\" is named twice", dup);
        return;
    }
    if (kind == PCSM_OP_CREATE_MATERIALIZED_VIEW && view->or_replace) {
        fail(op, kind, view->name, "a materialized view has no CREATE OR REPLACE "
             "(drop it and create it again)");
        return;
    }
    if (kind == PCSM_OP_CREATE_VIEW && view->no_data) {
        fail(op, kind, view->name, "no_data is for a materialized view (a view holds no data)");
        return;
    }
    o = push(op, kind);
    w = kind == PCSM_OP_CREATE_VIEW ? &o->u.create_view.view
                                    : &o->u.create_materialized_view.view;
    w->name = arena_strdup(op, view->name);
    w->columns = view->columns && view->columns[0] ? arena_names(op, view->columns) : NULL;
    w->query = arena_strdup(op, view->query);
    w->reads = view->reads && view->reads[0] ? arena_names(op, view->reads) : NULL;
    w->or_replace = view->or_replace;
    w->no_data = view->no_data;
}

void pcsm_create_view(pcsm_op *op, const pcsm_view *view)
{
    record_view(op, PCSM_OP_CREATE_VIEW, view);
}

void pcsm_create_materialized_view(pcsm_op *op, const pcsm_view *view)
{
    record_view(op, PCSM_OP_CREATE_MATERIALIZED_VIEW, view);
}

static void record_rename_view(pcsm_op *op, enum pcsm_ddl_kind kind, const char *name,
                               const char *new_name)
{
    struct vctx v;
    struct pcsm_ddl_op *o;
    struct pcsm_ddl_rename_view *r;

    if (!begin(op, &v, kind, name))
        return;
    if (!check_ident(&v, "view name", name) || !check_ident(&v, "new view name", new_name))
        return;
    o = push(op, kind);
    r = kind == PCSM_OP_RENAME_VIEW ? &o->u.rename_view : &o->u.rename_materialized_view;
    r->view = arena_strdup(op, name);
    r->new_name = arena_strdup(op, new_name);
}

void pcsm_rename_view(pcsm_op *op, const char *name, const char *new_name)
{
    record_rename_view(op, PCSM_OP_RENAME_VIEW, name, new_name);
}

void pcsm_rename_materialized_view(pcsm_op *op, const char *name, const char *new_name)
{
    record_rename_view(op, PCSM_OP_RENAME_MATERIALIZED_VIEW, name, new_name);
}

/* drop_view, drop_materialized_view and refresh_materialized_view. */
static void record_view_ref(pcsm_op *op, enum pcsm_ddl_kind kind, const char *name,
                            unsigned flags, unsigned allowed)
{
    struct vctx v;
    struct pcsm_ddl_op *o;
    struct pcsm_ddl_view_ref *d;

    if (!begin(op, &v, kind, name))
        return;
    if (!check_ident(&v, "view name", name) || !check_flags(&v, flags, allowed))
        return;
    if ((flags & PCSM_REFRESH_CONCURRENTLY) && (flags & PCSM_REFRESH_NO_DATA)) {
        fail(op, kind, name, "CONCURRENTLY and WITH NO DATA cannot be used together "
             "(as the server says)");
        return;
    }
    o = push(op, kind);
    d = kind == PCSM_OP_DROP_VIEW ? &o->u.drop_view
      : kind == PCSM_OP_DROP_MATERIALIZED_VIEW ? &o->u.drop_materialized_view
      : &o->u.refresh_materialized_view;
    d->view = arena_strdup(op, name);
    d->flags = flags;
}

void pcsm_drop_view(pcsm_op *op, const char *name, unsigned flags)
{
    record_view_ref(op, PCSM_OP_DROP_VIEW, name, flags, PCSM_IF_EXISTS | PCSM_DROP_CASCADE);
}

void pcsm_drop_materialized_view(pcsm_op *op, const char *name, unsigned flags)
{
    record_view_ref(op, PCSM_OP_DROP_MATERIALIZED_VIEW, name, flags,
                    PCSM_IF_EXISTS | PCSM_DROP_CASCADE);
}

void pcsm_refresh_materialized_view(pcsm_op *op, const char *name, unsigned flags)
{
    record_view_ref(op, PCSM_OP_REFRESH_MATERIALIZED_VIEW, name, flags,
                    PCSM_REFRESH_CONCURRENTLY | PCSM_REFRESH_NO_DATA);
}

void pcsm_set_default(pcsm_op *op, const char *table, const char *column, pcsm_value value)
{
    struct vctx v;
    struct pcsm_ddl_set_default *d;

    if (!begin(op, &v, PCSM_OP_SET_DEFAULT, table))
        return;
    if (!check_ident(&v, "table name", table) || !check_ident(&v, "column name", column) ||
        !check_value(&v, "default", value, true))
        return;
    d = &push(op, PCSM_OP_SET_DEFAULT)->u.set_default;
    d->table = arena_strdup(op, table);
    d->column = arena_strdup(op, column);
    d->value = copy_value(op, value);
}

/* drop_default, set_not_null, drop_not_null: the kind and its column. */
static void record_column_ref(pcsm_op *op, enum pcsm_ddl_kind kind, const char *table,
                              const char *column)
{
    struct pcsm_ddl_op *o;
    struct pcsm_ddl_column_ref *c;

    if (!check_names_call(op, kind, table, "column name", column, NULL, NULL, 0, 0))
        return;
    o = push(op, kind);
    c = kind == PCSM_OP_DROP_DEFAULT ? &o->u.drop_default
      : kind == PCSM_OP_SET_NOT_NULL ? &o->u.set_not_null : &o->u.drop_not_null;
    c->table = arena_strdup(op, table);
    c->column = arena_strdup(op, column);
}

void pcsm_drop_default(pcsm_op *op, const char *table, const char *column)
{
    record_column_ref(op, PCSM_OP_DROP_DEFAULT, table, column);
}

void pcsm_set_not_null(pcsm_op *op, const char *table, const char *column)
{
    record_column_ref(op, PCSM_OP_SET_NOT_NULL, table, column);
}

void pcsm_drop_not_null(pcsm_op *op, const char *table, const char *column)
{
    record_column_ref(op, PCSM_OP_DROP_NOT_NULL, table, column);
}

void pcsm_comment_column(pcsm_op *op, const char *table, const char *column,
                         const char *comment)
{
    struct vctx v;
    struct pcsm_ddl_comment_column *c;

    if (!begin(op, &v, PCSM_OP_COMMENT_COLUMN, table))
        return;
    if (!check_ident(&v, "table name", table) || !check_ident(&v, "column name", column) ||
        !check_text(&v, "comment", comment))
        return;
    c = &push(op, PCSM_OP_COMMENT_COLUMN)->u.comment_column;
    c->table = arena_strdup(op, table);
    c->column = arena_strdup(op, column);
    c->comment = arena_strdup(op, comment);
}

static const struct {
    const char *sql, *word;
} object_kinds[] = {
    [PCSM_OBJECT_NONE] = { "", "none" },
    [PCSM_OBJECT_INDEX] = { "INDEX", "index" },
    [PCSM_OBJECT_SEQUENCE] = { "SEQUENCE", "sequence" },
    [PCSM_OBJECT_VIEW] = { "VIEW", "view" },
    [PCSM_OBJECT_MATERIALIZED_VIEW] = { "MATERIALIZED VIEW", "materialized_view" },
    [PCSM_OBJECT_TYPE] = { "TYPE", "type" },
    [PCSM_OBJECT_FUNCTION] = { "FUNCTION", "function" },
    [PCSM_OBJECT_CONSTRAINT] = { "CONSTRAINT", "constraint" },
    [PCSM_OBJECT_TRIGGER] = { "TRIGGER", "trigger" },
    [PCSM_OBJECT_POLICY] = { "POLICY", "policy" },
    [PCSM_OBJECT_DOMAIN] = { "DOMAIN", "domain" },
};

static bool object_kind_known(enum pcsm_object_kind kind)
{
    return (int)kind > PCSM_OBJECT_NONE && kind <= PCSM_OBJECT_DOMAIN;
}

const char *pcsm_op__object_sql(enum pcsm_object_kind kind)
{
    return object_kind_known(kind) ? object_kinds[kind].sql : "?";
}

const char *pcsm_op__object_word(enum pcsm_object_kind kind)
{
    return object_kind_known(kind) ? object_kinds[kind].word : "?";
}

bool pcsm_op__object_of_table(enum pcsm_object_kind kind)
{
    return kind == PCSM_OBJECT_CONSTRAINT || kind == PCSM_OBJECT_TRIGGER ||
           kind == PCSM_OBJECT_POLICY;
}

void pcsm_comment_on(pcsm_op *op, enum pcsm_object_kind kind, const char *name, const char *of,
                     const char *comment)
{
    struct vctx v;
    struct pcsm_ddl_comment_on *c;

    if (!begin(op, &v, PCSM_OP_COMMENT_ON, name))
        return;
    if (!object_kind_known(kind)) {
        fail(op, v.kind, name, "unknown kind %d (PCSM_OBJECT_INDEX, _SEQUENCE, _VIEW, "
             "_MATERIALIZED_VIEW, _TYPE, _FUNCTION, _CONSTRAINT, _TRIGGER, _POLICY or _DOMAIN)",
             (int)kind);
        return;
    }
    if (!check_ident(&v, "name", name) || !check_text(&v, "comment", comment))
        return;
    if (pcsm_op__object_of_table(kind)) {
        if (!check_ident(&v, "table name (of)", of))
            return;
    } else if (kind == PCSM_OBJECT_FUNCTION) {
        if (!check_text(&v, "argument list (of)", of))
            return;
    } else if (of) {
        fail(op, v.kind, name, "of must be NULL for PCSM_OBJECT_%s (it names the table of "
             "a constraint, trigger or policy, or a function's arguments)",
             object_kinds[kind].sql);
        return;
    }
    c = &push(op, PCSM_OP_COMMENT_ON)->u.comment_on;
    c->kind = kind;
    c->name = arena_strdup(op, name);
    c->of = arena_strdup(op, of);
    c->comment = arena_strdup(op, comment);
}

void pcsm_create_index(pcsm_op *op, const pcsm_index *index)
{
    struct vctx v;
    pcsm_index *ix;
    const char *subject = index ? (index->name ? index->name : index->table) : NULL;

    if (!begin(op, &v, PCSM_OP_CREATE_INDEX, subject))
        return;
    if (!index) {
        fail(op, v.kind, NULL, "no index given");
        return;
    }
    if ((index->name && !check_ident(&v, "index name", index->name)) ||
        !check_ident(&v, "table name", index->table) ||
        !check_names(&v, "index column", index->columns, index->columns != NULL) ||
        !check_sql(&v, "index expression", index->expression, false) ||
        !check_sql(&v, "WHERE predicate", index->where, false))
        return;
    if ((index->columns != NULL) + (index->expression != NULL) + (index->elements != NULL) != 1) {
        fail(op, v.kind, subject, index->elements
             ? "give elements alone, not with columns or an expression"
             : "give either columns or an expression");
        return;
    }
    if (index->elements && !check_elements(&v, index->elements, false))
        return;
    if (index->nulls_not_distinct && !index->unique) {
        fail(op, v.kind, subject, "NULLS NOT DISTINCT applies to a unique index only");
        return;
    }
    if (!check_method(&v, index->method))
        return;
    if (index->concurrently && !op->in_autocommit &&
        !(op->rev && (op->rev->flags & PCSM_REV_NONTRANSACTIONAL))) {
        fail(op, v.kind, subject,
             "CREATE INDEX CONCURRENTLY cannot run inside a transaction; "
             "add \"Flags: nontransactional\" to the revision header, or record it "
             "between pcsm_autocommit_begin() and pcsm_autocommit_end()");
        return;
    }
    /* IF NOT EXISTS tests a name; a failed concurrent build is found again by its name. */
    if (!index->name && (index->if_not_exists || index->concurrently)) {
        fail(op, v.kind, subject, "an index %s needs a name",
             index->if_not_exists ? "created IF NOT EXISTS" : "built CONCURRENTLY");
        return;
    }
    ix = &push(op, PCSM_OP_CREATE_INDEX)->u.create_index.index;
    *ix = *index;
    ix->name = arena_strdup(op, index->name);
    ix->table = arena_strdup(op, index->table);
    ix->columns = arena_names(op, index->columns);
    ix->expression = arena_strdup(op, index->expression);
    ix->method = arena_strdup(op, index->method);
    ix->where = arena_strdup(op, index->where);
    ix->elements = copy_elements(op, index->elements);
}

void pcsm_rename_index(pcsm_op *op, const char *name, const char *new_name)
{
    struct vctx v;
    struct pcsm_ddl_rename_index *r;

    if (!begin(op, &v, PCSM_OP_RENAME_INDEX, name))
        return;
    if (!check_ident(&v, "index name", name) || !check_ident(&v, "new index name", new_name))
        return;
    r = &push(op, PCSM_OP_RENAME_INDEX)->u.rename_index;
    r->index = arena_strdup(op, name);
    r->new_name = arena_strdup(op, new_name);
}

void pcsm_attach_index(pcsm_op *op, const char *index, const char *partition_index)
{
    struct vctx v;
    struct pcsm_ddl_attach_index *a;

    if (!begin(op, &v, PCSM_OP_ATTACH_INDEX, index) || !check_ident(&v, "index name", index) ||
        !check_ident(&v, "partition's index name", partition_index))
        return;
    a = &push(op, PCSM_OP_ATTACH_INDEX)->u.attach_index;
    a->index = arena_strdup(op, index);
    a->partition_index = arena_strdup(op, partition_index);
}

void pcsm_drop_index(pcsm_op *op, const char *name, unsigned flags)
{
    struct vctx v;
    struct pcsm_ddl_drop_index *d;

    if (!begin(op, &v, PCSM_OP_DROP_INDEX, name))
        return;
    if (!check_ident(&v, "index name", name) ||
        !check_flags(&v, flags, PCSM_IF_EXISTS | PCSM_DROP_CASCADE | PCSM_DROP_CONCURRENTLY))
        return;
    if ((flags & PCSM_DROP_CONCURRENTLY) && !op->in_autocommit &&
        !(op->rev && (op->rev->flags & PCSM_REV_NONTRANSACTIONAL))) {
        fail(op, v.kind, name,
             "DROP INDEX CONCURRENTLY cannot run inside a transaction; "
             "add \"Flags: nontransactional\" to the revision header, or record it "
             "between pcsm_autocommit_begin() and pcsm_autocommit_end()");
        return;
    }
    if ((flags & PCSM_DROP_CONCURRENTLY) && (flags & PCSM_DROP_CASCADE)) {
        fail(op, v.kind, name, "DROP INDEX CONCURRENTLY does not support CASCADE");
        return;
    }
    d = &push(op, PCSM_OP_DROP_INDEX)->u.drop_index;
    d->index = arena_strdup(op, name);
    d->flags = flags;
}

void pcsm_add_constraint(pcsm_op *op, const char *table, const pcsm_constraint *constraint)
{
    struct vctx v;
    struct pcsm_ddl_add_constraint *a;

    if (!begin(op, &v, PCSM_OP_ADD_CONSTRAINT, table))
        return;
    if (!check_ident(&v, "table name", table))
        return;
    if (!constraint) {
        fail(op, v.kind, table, "no constraint given");
        return;
    }
    if (!check_constraint(&v, constraint, false))
        return;
    a = &push(op, PCSM_OP_ADD_CONSTRAINT)->u.add_constraint;
    a->table = arena_strdup(op, table);
    copy_constraint(op, &a->constraint, constraint);
}

void pcsm_drop_constraint(pcsm_op *op, const char *table, const char *name, unsigned flags)
{
    struct pcsm_ddl_drop_constraint *d;

    if (!check_names_call(op, PCSM_OP_DROP_CONSTRAINT, table, "constraint name", name, NULL,
                          NULL, flags, PCSM_IF_EXISTS | PCSM_DROP_CASCADE))
        return;
    d = &push(op, PCSM_OP_DROP_CONSTRAINT)->u.drop_constraint;
    d->table = arena_strdup(op, table);
    d->constraint = arena_strdup(op, name);
    d->flags = flags;
}

void pcsm_validate_constraint(pcsm_op *op, const char *table, const char *name)
{
    struct pcsm_ddl_validate_constraint *d;

    if (!check_names_call(op, PCSM_OP_VALIDATE_CONSTRAINT, table, "constraint name", name,
                          NULL, NULL, 0, 0))
        return;
    d = &push(op, PCSM_OP_VALIDATE_CONSTRAINT)->u.validate_constraint;
    d->table = arena_strdup(op, table);
    d->constraint = arena_strdup(op, name);
}

void pcsm_rename_constraint(pcsm_op *op, const char *table, const char *name,
                            const char *new_name)
{
    struct pcsm_ddl_rename_constraint *r;

    if (!check_names_call(op, PCSM_OP_RENAME_CONSTRAINT, table, "constraint name", name,
                          "new constraint name", new_name, 0, 0))
        return;
    r = &push(op, PCSM_OP_RENAME_CONSTRAINT)->u.rename_constraint;
    r->table = arena_strdup(op, table);
    r->constraint = arena_strdup(op, name);
    r->new_name = arena_strdup(op, new_name);
}

/* An enum label: a string literal of at most NAMEDATALEN - 1 bytes. */
static bool check_label(struct vctx *v, const char *what, const char *label)
{
    if (!label)
        return fail(v->op, v->kind, v->subject, "%s is missing", what);
    if (!pcsm_sql__valid_utf8(label))
        return fail(v->op, v->kind, v->subject, "%s is not valid UTF-8", what);
    if (strlen(label) > MAX_IDENT_BYTES)
        return fail(v->op, v->kind, v->subject,
                    "%s \"%s\" is longer than %d bytes (PostgreSQL refuses it)",
                    what, label, MAX_IDENT_BYTES);
    return true;
}

/* Written unquoted, so a name the server reads as written: [a-z_][a-z0-9_]*. */
static bool is_plain_name(const char *s)
{
    const char *p;

    if (!(*s >= 'a' && *s <= 'z') && *s != '_')
        return false;
    for (p = s; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_'))
            return false;
    return true;
}

/* create_extension and drop_extension: a name and flags. */
static void record_extension(pcsm_op *op, enum pcsm_ddl_kind kind, const char *name,
                             unsigned flags, unsigned allowed_flags)
{
    struct vctx v;
    struct pcsm_ddl_op *o;
    struct pcsm_ddl_extension *e;

    if (!begin(op, &v, kind, name))
        return;
    if (!check_ident(&v, "extension name", name) || !check_flags(&v, flags, allowed_flags))
        return;
    if (op->schema) {
        fail(op, kind, name, "an extension belongs to no schema, and pcsm_set_schema(op, "
             "\"%s\") is in force: pcsm_set_schema(op, NULL) first", op->schema);
        return;
    }
    o = push(op, kind);
    e = kind == PCSM_OP_CREATE_EXTENSION ? &o->u.create_extension : &o->u.drop_extension;
    e->extension = arena_strdup(op, name);
    e->flags = flags;
}

void pcsm_create_extension(pcsm_op *op, const char *name, unsigned flags)
{
    record_extension(op, PCSM_OP_CREATE_EXTENSION, name, flags, PCSM_CREATE_CASCADE);
}

void pcsm_drop_extension(pcsm_op *op, const char *name, unsigned flags)
{
    record_extension(op, PCSM_OP_DROP_EXTENSION, name, flags,
                     PCSM_IF_EXISTS | PCSM_DROP_CASCADE);
}

/* Labels for create_enum and recreate_enum: at least one, each valid, none twice. */
static bool check_labels(struct vctx *v, const char *name, const char *const *labels)
{
    size_t i, j;

    if (!labels || !labels[0])
        return fail(v->op, v->kind, name, "no labels given");
    for (i = 0; labels[i]; i++) {
        if (!check_label(v, "label", labels[i]))
            return false;
        for (j = 0; j < i; j++)
            if (!strcmp(labels[j], labels[i]))
                return fail(v->op, v->kind, name, "label \"%s\" is given twice", labels[i]);
    }
    return true;
}

void pcsm_create_enum(pcsm_op *op, const char *name, const char *const *labels)
{
    struct vctx v;

    if (!begin(op, &v, PCSM_OP_CREATE_ENUM, name))
        return;
    if (!check_ident(&v, "type name", name) || !check_labels(&v, name, labels))
        return;
    push(op, PCSM_OP_CREATE_ENUM)->u.create_enum = (struct pcsm_ddl_create_enum){
        .type = arena_strdup(op, name), .labels = arena_names(op, labels),
    };
}

void pcsm_recreate_enum(pcsm_op *op, const char *type, const char *const *labels,
                        const pcsm_enum_column *columns)
{
    struct vctx v;
    struct pcsm_ddl_recreate_enum *e;
    size_t i, j, n = 0;

    if (!begin(op, &v, PCSM_OP_RECREATE_ENUM, type))
        return;
    if (!check_ident(&v, "type name", type) || !check_labels(&v, type, labels))
        return;
    if (!strcmp(type, PCSM_ENUM_ASIDE)) {
        fail(op, v.kind, type, "the name is the one the old type is renamed to while its "
             "columns convert");
        return;
    }
    for (; columns && columns[n].table; n++) {
        if (!check_ident(&v, "column name", columns[n].column) ||
            !check_value(&v, "default", columns[n].default_value, false))
            return;
        for (j = 0; j < n; j++)
            if (!strcmp(columns[j].table, columns[n].table) &&
                !strcmp(columns[j].column, columns[n].column)) {
                fail(op, v.kind, type, "column \"%s\".\"%s\" is given twice",
                     columns[n].table, columns[n].column);
                return;
            }
    }
    if (columns && columns[n].column) {
        fail(op, v.kind, type, "column \"%s\" has no table name", columns[n].column);
        return;
    }
    for (i = 0; i < n; i++)
        if (!check_ident(&v, "table name", columns[i].table))
            return;
    e = &push(op, PCSM_OP_RECREATE_ENUM)->u.recreate_enum;
    e->type = arena_strdup(op, type);
    e->labels = arena_names(op, labels);
    e->n_columns = n;
    e->columns = arena_alloc(op, (n ? n : 1) * sizeof(*e->columns));
    for (i = 0; i < n; i++) {
        e->columns[i].table = arena_strdup(op, columns[i].table);
        e->columns[i].column = arena_strdup(op, columns[i].column);
        e->columns[i].array = columns[i].array;
        e->columns[i].default_value = copy_value(op, columns[i].default_value);
    }
}

void pcsm_add_enum_value(pcsm_op *op, const char *type, const char *label,
                         pcsm_enum_place place, unsigned flags)
{
    struct vctx v;
    struct pcsm_ddl_add_enum_value *a;

    if (!begin(op, &v, PCSM_OP_ADD_ENUM_VALUE, type))
        return;
    if (!check_ident(&v, "type name", type) || !check_label(&v, "label", label) ||
        !check_flags(&v, flags, PCSM_IF_NOT_EXISTS))
        return;
    switch (place.where) {
    case PCSM_ENUM_END:
        if (place.label) {
            fail(op, v.kind, type, "a label at the end is placed next to no other "
                 "(PCSM_BEFORE_LABEL or PCSM_AFTER_LABEL name one)");
            return;
        }
        break;
    case PCSM_ENUM_BEFORE:
    case PCSM_ENUM_AFTER:
        if (!check_label(&v, "neighbouring label", place.label))
            return;
        break;
    default:
        fail(op, v.kind, type, "unknown place %d (PCSM_AT_END, PCSM_BEFORE_LABEL or "
             "PCSM_AFTER_LABEL)", (int)place.where);
        return;
    }
    a = &push(op, PCSM_OP_ADD_ENUM_VALUE)->u.add_enum_value;
    a->type = arena_strdup(op, type);
    a->label = arena_strdup(op, label);
    a->place.where = place.where;
    a->place.label = arena_strdup(op, place.label);
    a->flags = flags;
}

void pcsm_rename_enum_value(pcsm_op *op, const char *type, const char *label,
                            const char *new_label)
{
    struct vctx v;
    struct pcsm_ddl_rename_enum_value *r;

    if (!begin(op, &v, PCSM_OP_RENAME_ENUM_VALUE, type))
        return;
    if (!check_ident(&v, "type name", type) || !check_label(&v, "label", label) ||
        !check_label(&v, "new label", new_label))
        return;
    r = &push(op, PCSM_OP_RENAME_ENUM_VALUE)->u.rename_enum_value;
    r->type = arena_strdup(op, type);
    r->label = arena_strdup(op, label);
    r->new_label = arena_strdup(op, new_label);
}

void pcsm_drop_type(pcsm_op *op, const char *name, unsigned flags)
{
    struct vctx v;
    struct pcsm_ddl_drop_type *d;

    if (!begin(op, &v, PCSM_OP_DROP_TYPE, name))
        return;
    if (!check_ident(&v, "type name", name) ||
        !check_flags(&v, flags, PCSM_IF_EXISTS | PCSM_DROP_CASCADE))
        return;
    d = &push(op, PCSM_OP_DROP_TYPE)->u.drop_type;
    d->type = arena_strdup(op, name);
    d->flags = flags;
}

/* A locale's name: text the server looks up, not an identifier. */
static bool check_locale(struct vctx *v, const char *what, const char *locale)
{
    if (!locale)
        return fail(v->op, v->kind, v->subject, "%s is missing", what);
    if (!*locale)
        return fail(v->op, v->kind, v->subject, "%s is empty", what);
    return check_text(v, what, locale);
}

void pcsm_create_collation(pcsm_op *op, const pcsm_collation *collation)
{
    struct vctx v;
    const char *name = collation ? collation->name : NULL;
    pcsm_collation *c;

    if (!begin(op, &v, PCSM_OP_CREATE_COLLATION, name))
        return;
    if (!collation) {
        fail(op, v.kind, NULL, "no collation given");
        return;
    }
    if (!check_ident(&v, "collation name", name))
        return;
    if ((int)collation->provider < PCSM_PROVIDER_LIBC ||
        collation->provider > PCSM_PROVIDER_ICU) {
        fail(op, v.kind, name, "unknown provider %d (PCSM_PROVIDER_LIBC or PCSM_PROVIDER_ICU)",
             (int)collation->provider);
        return;
    }
    if (!collation->locale == !(collation->lc_collate || collation->lc_ctype)) {
        fail(op, v.kind, name, "give locale, or lc_collate and lc_ctype (not both forms)");
        return;
    }
    if (!collation->locale) {
        if (collation->provider == PCSM_PROVIDER_ICU) {
            fail(op, v.kind, name, "an ICU collation takes locale only, not lc_collate "
                 "and lc_ctype");
            return;
        }
        if (!check_locale(&v, "lc_collate", collation->lc_collate) ||
            !check_locale(&v, "lc_ctype", collation->lc_ctype))
            return;
    } else if (!check_locale(&v, "locale", collation->locale)) {
        return;
    }
    if (collation->nondeterministic && collation->provider != PCSM_PROVIDER_ICU) {
        fail(op, v.kind, name, "only an ICU collation can be nondeterministic");
        return;
    }
    c = &push(op, PCSM_OP_CREATE_COLLATION)->u.create_collation.collation;
    *c = *collation;
    c->name = arena_strdup(op, collation->name);
    c->locale = arena_strdup(op, collation->locale);
    c->lc_collate = arena_strdup(op, collation->lc_collate);
    c->lc_ctype = arena_strdup(op, collation->lc_ctype);
}

void pcsm_rename_collation(pcsm_op *op, const char *name, const char *new_name)
{
    struct vctx v;
    struct pcsm_ddl_rename_collation *r;

    if (!begin(op, &v, PCSM_OP_RENAME_COLLATION, name))
        return;
    if (!check_ident(&v, "collation name", name) ||
        !check_ident(&v, "new collation name", new_name))
        return;
    r = &push(op, PCSM_OP_RENAME_COLLATION)->u.rename_collation;
    r->collation = arena_strdup(op, name);
    r->new_name = arena_strdup(op, new_name);
}

void pcsm_drop_collation(pcsm_op *op, const char *name, unsigned flags)
{
    struct vctx v;
    struct pcsm_ddl_drop_collation *d;

    if (!begin(op, &v, PCSM_OP_DROP_COLLATION, name))
        return;
    if (!check_ident(&v, "collation name", name) || !check_flags(&v, flags, PCSM_IF_EXISTS))
        return;
    d = &push(op, PCSM_OP_DROP_COLLATION)->u.drop_collation;
    d->collation = arena_strdup(op, name);
    d->flags = flags;
}

/* ------------------------------------------------------ composite types */

static bool check_attribute(struct vctx *v, const pcsm_attribute *a)
{
    if (!check_ident(v, "attribute name", a->name))
        return false;
    if (a->type.kind == PCSM_TYPE_NONE)
        return fail(v->op, v->kind, v->subject, "attribute \"%s\" needs a type", a->name);
    if (is_serial_kind(a->type.kind))
        return fail(v->op, v->kind, v->subject, "attribute \"%s\": %s is a column-only "
                    "shorthand", a->name, serial_name(a->type.kind));
    if (!check_type(v, "attribute type", a->type) ||
        (a->collation && !check_ident(v, "collation", a->collation)))
        return false;
    if (a->collation && !is_collatable(a->type))
        return fail(v->op, v->kind, v->subject, "attribute \"%s\": a collation is for a text "
                    "type only (text, varchar, char, or a named type)", a->name);
    return true;
}

static pcsm_attribute copy_attribute(pcsm_op *op, const pcsm_attribute *a)
{
    return (pcsm_attribute){ arena_strdup(op, a->name), copy_type(op, a->type),
                             arena_strdup(op, a->collation) };
}

void pcsm_create_composite_type(pcsm_op *op, const char *name,
                                const pcsm_attribute *attributes)
{
    struct vctx v;
    struct pcsm_ddl_create_composite_type *c;
    size_t n = 0, i, k;

    if (!begin(op, &v, PCSM_OP_CREATE_COMPOSITE_TYPE, name))
        return;
    if (!check_ident(&v, "type name", name))
        return;
    for (; attributes && attributes[n].name; n++) {
        if (!check_attribute(&v, &attributes[n]))
            return;
        for (k = 0; k < n; k++)
            if (!strcmp(attributes[k].name, attributes[n].name)) {
                fail(op, v.kind, name, "attribute \"%s\" given twice", attributes[n].name);
                return;
            }
    }
    /* CREATE TYPE t AS (): the server takes a row of no attributes, as the catalog may hold. */
    c = &push(op, PCSM_OP_CREATE_COMPOSITE_TYPE)->u.create_composite_type;
    c->type = arena_strdup(op, name);
    c->attributes = n ? arena_alloc(op, n * sizeof(*c->attributes)) : NULL;
    for (i = 0; i < n; i++)
        c->attributes[i] = copy_attribute(op, &attributes[i]);
    c->n_attributes = n;
}

/* Records one ALTER TYPE ... ATTRIBUTE once the caller checked its parts. */
static struct pcsm_ddl_alter_composite_type *alter_composite(pcsm_op *op, const char *type,
                                                            enum pcsm_attribute_action action)
{
    struct pcsm_ddl_alter_composite_type *a =
        &push(op, PCSM_OP_ALTER_COMPOSITE_TYPE)->u.alter_composite_type;

    a->type = arena_strdup(op, type);
    a->action = action;
    return a;
}

static bool begin_composite(pcsm_op *op, struct vctx *v, const char *type)
{
    return begin(op, v, PCSM_OP_ALTER_COMPOSITE_TYPE, type) && check_ident(v, "type name", type);
}

/* add_attribute and alter_attribute_type: a whole attribute. */
static void record_attribute(pcsm_op *op, const char *type, const pcsm_attribute *attribute,
                             enum pcsm_attribute_action action)
{
    struct vctx v;

    if (!begin_composite(op, &v, type))
        return;
    if (!attribute) {
        fail(op, v.kind, type, "no attribute given");
        return;
    }
    if (check_attribute(&v, attribute))
        alter_composite(op, type, action)->attribute = copy_attribute(op, attribute);
}

void pcsm_add_attribute(pcsm_op *op, const char *type, const pcsm_attribute *attribute)
{
    record_attribute(op, type, attribute, PCSM_ATTRIBUTE_ADD);
}

void pcsm_alter_attribute_type(pcsm_op *op, const char *type, const char *attribute,
                               pcsm_type attribute_type, const char *collation)
{
    const pcsm_attribute a = { attribute, attribute_type, collation };

    record_attribute(op, type, &a, PCSM_ATTRIBUTE_ALTER_TYPE);
}

void pcsm_drop_attribute(pcsm_op *op, const char *type, const char *attribute, unsigned flags)
{
    struct vctx v;
    struct pcsm_ddl_alter_composite_type *a;

    if (!begin_composite(op, &v, type) || !check_ident(&v, "attribute name", attribute) ||
        !check_flags(&v, flags, PCSM_IF_EXISTS))
        return;
    a = alter_composite(op, type, PCSM_ATTRIBUTE_DROP);
    a->attribute.name = arena_strdup(op, attribute);
    a->flags = flags;
}

void pcsm_rename_attribute(pcsm_op *op, const char *type, const char *attribute,
                           const char *new_name)
{
    struct vctx v;
    struct pcsm_ddl_alter_composite_type *a;

    if (!begin_composite(op, &v, type) || !check_ident(&v, "attribute name", attribute) ||
        !check_ident(&v, "new attribute name", new_name))
        return;
    a = alter_composite(op, type, PCSM_ATTRIBUTE_RENAME);
    a->attribute.name = arena_strdup(op, attribute);
    a->new_name = arena_strdup(op, new_name);
}

/* ------------------------------------------------------------ range types */

/*
 * The server keeps a range's subtype without modifiers (varchar(10) is
 * varchar), so the model could not read back what was written: refused.
 */
static bool has_modifiers(pcsm_type t)
{
    return t.p != 0 || t.s != 0 || t.modifiers;
}

void pcsm_create_range_type(pcsm_op *op, const pcsm_range_type *range)
{
    struct vctx v;
    const char *name = range ? range->name : NULL;
    pcsm_range_type *r;

    if (!begin(op, &v, PCSM_OP_CREATE_RANGE_TYPE, name))
        return;
    if (!range) {
        fail(op, v.kind, NULL, "no range type given");
        return;
    }
    if (!check_ident(&v, "type name", name))
        return;
    if (range->subtype.kind == PCSM_TYPE_NONE) {
        fail(op, v.kind, name, "the range type needs a subtype");
        return;
    }
    if (is_serial_kind(range->subtype.kind)) {
        fail(op, v.kind, name, "a range cannot be of %s (a column-only shorthand)",
             serial_name(range->subtype.kind));
        return;
    }
    if (!check_type(&v, "subtype", range->subtype))
        return;
    if (has_modifiers(range->subtype) || range->subtype.array_dims) {
        fail(op, v.kind, name, "the subtype takes no length, precision, modifiers or array "
             "dimensions (the server keeps the bare type)");
        return;
    }
    if ((range->subtype_opclass && !check_ident(&v, "subtype_opclass", range->subtype_opclass)) ||
        (range->collation && !check_ident(&v, "collation", range->collation)) ||
        (range->subtype_diff && !check_ident(&v, "subtype_diff", range->subtype_diff)) ||
        (range->subtype_diff_schema &&
         !check_ident(&v, "subtype_diff_schema", range->subtype_diff_schema)) ||
        (range->multirange_type_name &&
         !check_ident(&v, "multirange_type_name", range->multirange_type_name)))
        return;
    if (range->collation && !is_collatable(range->subtype)) {
        fail(op, v.kind, name, "a collation is for a text subtype only (text, varchar, char, "
             "or a named type)");
        return;
    }
    if (range->subtype_diff_schema && !range->subtype_diff) {
        fail(op, v.kind, name, "subtype_diff_schema without subtype_diff");
        return;
    }
    if (range->multirange_type_name && !strcmp(range->multirange_type_name, name)) {
        fail(op, v.kind, name, "the multirange type cannot take the range's own name");
        return;
    }
    r = &push(op, PCSM_OP_CREATE_RANGE_TYPE)->u.create_range_type.range;
    r->name = arena_strdup(op, name);
    r->subtype = copy_type(op, range->subtype);
    r->subtype_opclass = arena_strdup(op, range->subtype_opclass);
    r->collation = arena_strdup(op, range->collation);
    r->subtype_diff = arena_strdup(op, range->subtype_diff);
    r->subtype_diff_schema = arena_strdup(op, range->subtype_diff_schema);
    r->multirange_type_name = arena_strdup(op, range->multirange_type_name);
}

/* ------------------------------------------------------------- domains */

/* A domain's own constraint: a CHECK on VALUE, named or not. */
static bool check_domain_constraint(struct vctx *v, const pcsm_constraint *c, bool adding)
{
    if (c->kind != PCSM_CHECK)
        return fail(v->op, v->kind, v->subject, "a domain takes CHECK constraints only "
                    "(NOT NULL is its not_null)");
    if (!check_constraint(v, c, false))
        return false;
    if (c->not_valid && !adding)
        return fail(v->op, v->kind, v->subject, "NOT VALID applies to "
                    "add_domain_constraint only (a new domain has no values)");
    return true;
}

void pcsm_create_domain(pcsm_op *op, const pcsm_domain *domain)
{
    struct vctx v;
    const char *name = domain ? domain->name : NULL;
    const pcsm_constraint *c;
    pcsm_domain *d;
    size_t n = 0, i;

    if (!begin(op, &v, PCSM_OP_CREATE_DOMAIN, name))
        return;
    if (!domain) {
        fail(op, v.kind, NULL, "no domain given");
        return;
    }
    if (!check_ident(&v, "domain name", name))
        return;
    if (domain->type.kind == PCSM_TYPE_NONE) {
        fail(op, v.kind, name, "the domain needs a type");
        return;
    }
    if (is_serial_kind(domain->type.kind)) {
        fail(op, v.kind, name, "a domain cannot be over %s (a column-only shorthand)",
             serial_name(domain->type.kind));
        return;
    }
    if (!check_type(&v, "domain type", domain->type) ||
        (domain->collation && !check_ident(&v, "collation", domain->collation)) ||
        !check_value(&v, "default", domain->default_value, false))
        return;
    if (domain->collation && !is_collatable(domain->type)) {
        fail(op, v.kind, name, "a collation is for a text type only (text, varchar, char, "
             "or a named type)");
        return;
    }
    for (c = domain->constraints; c && c->kind != PCSM_CONSTRAINT_NONE; c++, n++)
        if (!check_domain_constraint(&v, c, false))
            return;
    d = &push(op, PCSM_OP_CREATE_DOMAIN)->u.create_domain.domain;
    *d = *domain;
    d->name = arena_strdup(op, domain->name);
    d->type = copy_type(op, domain->type);
    d->collation = arena_strdup(op, domain->collation);
    d->default_value = copy_value(op, domain->default_value);
    d->constraints = NULL;
    if (n) {
        pcsm_constraint *copy = arena_alloc(op, (n + 1) * sizeof(*copy));

        for (i = 0; i < n; i++)
            copy_constraint(op, &copy[i], &domain->constraints[i]);
        copy[n] = (pcsm_constraint){ .kind = PCSM_CONSTRAINT_NONE };
        d->constraints = copy;
    }
}

/* Records one ALTER DOMAIN, its parts checked by the caller. */
static struct pcsm_ddl_alter_domain *alter_domain(pcsm_op *op, const char *name,
                                                  enum pcsm_domain_action action)
{
    struct pcsm_ddl_alter_domain *a = &push(op, PCSM_OP_ALTER_DOMAIN)->u.alter_domain;

    a->domain = arena_strdup(op, name);
    a->action = action;
    return a;
}

static bool begin_domain(pcsm_op *op, struct vctx *v, const char *name)
{
    return begin(op, v, PCSM_OP_ALTER_DOMAIN, name) && check_ident(v, "domain name", name);
}

void pcsm_rename_domain(pcsm_op *op, const char *name, const char *new_name)
{
    struct vctx v;

    if (!begin_domain(op, &v, name) || !check_ident(&v, "new domain name", new_name))
        return;
    alter_domain(op, name, PCSM_DOMAIN_RENAME)->new_name = arena_strdup(op, new_name);
}

void pcsm_drop_domain(pcsm_op *op, const char *name, unsigned flags)
{
    struct vctx v;
    struct pcsm_ddl_drop_domain *d;

    if (!begin(op, &v, PCSM_OP_DROP_DOMAIN, name))
        return;
    if (!check_ident(&v, "domain name", name) ||
        !check_flags(&v, flags, PCSM_IF_EXISTS | PCSM_DROP_CASCADE))
        return;
    d = &push(op, PCSM_OP_DROP_DOMAIN)->u.drop_domain;
    d->domain = arena_strdup(op, name);
    d->flags = flags;
}

void pcsm_set_domain_default(pcsm_op *op, const char *name, pcsm_value value)
{
    struct vctx v;

    if (!begin_domain(op, &v, name) || !check_value(&v, "default", value, true))
        return;
    alter_domain(op, name, PCSM_DOMAIN_SET_DEFAULT)->value = copy_value(op, value);
}

/* The actions that name the domain alone. */
static void alter_domain_alone(pcsm_op *op, const char *name, enum pcsm_domain_action action)
{
    struct vctx v;

    if (begin_domain(op, &v, name))
        alter_domain(op, name, action);
}

void pcsm_drop_domain_default(pcsm_op *op, const char *name)
{
    alter_domain_alone(op, name, PCSM_DOMAIN_DROP_DEFAULT);
}

void pcsm_set_domain_not_null(pcsm_op *op, const char *name)
{
    alter_domain_alone(op, name, PCSM_DOMAIN_SET_NOT_NULL);
}

void pcsm_drop_domain_not_null(pcsm_op *op, const char *name)
{
    alter_domain_alone(op, name, PCSM_DOMAIN_DROP_NOT_NULL);
}

void pcsm_add_domain_constraint(pcsm_op *op, const char *name,
                                const pcsm_constraint *constraint)
{
    struct vctx v;

    if (!begin_domain(op, &v, name))
        return;
    if (!constraint) {
        fail(op, v.kind, name, "no constraint given");
        return;
    }
    if (!check_domain_constraint(&v, constraint, true))
        return;
    copy_constraint(op, &alter_domain(op, name, PCSM_DOMAIN_ADD_CONSTRAINT)->constraint,
                    constraint);
}

/* The actions on one named constraint of the domain, once begin_domain() passed. */
static struct pcsm_ddl_alter_domain *alter_domain_constraint(pcsm_op *op, struct vctx *v,
                                                             const char *name,
                                                             const char *constraint,
                                                             enum pcsm_domain_action action)
{
    struct pcsm_ddl_alter_domain *a;

    if (!check_ident(v, "constraint name", constraint))
        return NULL;
    a = alter_domain(op, name, action);
    a->constraint.kind = PCSM_CHECK;
    a->constraint.name = arena_strdup(op, constraint);
    return a;
}

void pcsm_drop_domain_constraint(pcsm_op *op, const char *name, const char *constraint,
                                 unsigned flags)
{
    struct vctx v;
    struct pcsm_ddl_alter_domain *a;

    if (!begin_domain(op, &v, name) || !check_flags(&v, flags, PCSM_IF_EXISTS))
        return;
    a = alter_domain_constraint(op, &v, name, constraint, PCSM_DOMAIN_DROP_CONSTRAINT);
    if (a)
        a->flags = flags;
}

void pcsm_validate_domain_constraint(pcsm_op *op, const char *name, const char *constraint)
{
    struct vctx v;

    if (begin_domain(op, &v, name))
        alter_domain_constraint(op, &v, name, constraint, PCSM_DOMAIN_VALIDATE_CONSTRAINT);
}

void pcsm_rename_domain_constraint(pcsm_op *op, const char *name, const char *constraint,
                                   const char *new_name)
{
    struct vctx v;
    struct pcsm_ddl_alter_domain *a;

    if (!begin_domain(op, &v, name) || !check_ident(&v, "constraint name", constraint) ||
        !check_ident(&v, "new constraint name", new_name))
        return;
    a = alter_domain_constraint(op, &v, name, constraint, PCSM_DOMAIN_RENAME_CONSTRAINT);
    if (a)
        a->new_name = arena_strdup(op, new_name);
}

void pcsm_create_function(pcsm_op *op, const pcsm_function *function)
{
    struct vctx v;
    pcsm_function *f;

    if (!begin(op, &v, PCSM_OP_CREATE_FUNCTION, function ? function->name : NULL))
        return;
    if (!function) {
        fail(op, v.kind, NULL, "no function given");
        return;
    }
    if (!check_ident(&v, "function name", function->name) ||
        !check_text(&v, "argument list", function->arguments) ||
        !check_sql(&v, "return type", function->returns, true) ||
        !check_ident(&v, "language", function->language) ||
        !check_sql(&v, "body", function->body, true))
        return;
    if (!is_plain_name(function->language)) {
        fail(op, v.kind, function->name,
             "language \"%s\" is not a plain lower-case name (sql, plpgsql, ...)",
             function->language);
        return;
    }
    if ((int)function->volatility < PCSM_VOLATILITY_DEFAULT ||
        function->volatility > PCSM_VOLATILE) {
        fail(op, v.kind, function->name, "unknown volatility %d (PCSM_IMMUTABLE, "
             "PCSM_STABLE or PCSM_VOLATILE)", (int)function->volatility);
        return;
    }
    f = &push(op, PCSM_OP_CREATE_FUNCTION)->u.create_function.function;
    *f = *function;
    f->name = arena_strdup(op, function->name);
    f->arguments = arena_strdup(op, function->arguments ? function->arguments : "");
    f->returns = arena_strdup(op, function->returns);
    f->language = arena_strdup(op, function->language);
    f->body = arena_strdup(op, function->body);
}

void pcsm_drop_function(pcsm_op *op, const char *name, const char *arguments, unsigned flags)
{
    struct vctx v;
    struct pcsm_ddl_drop_function *d;

    if (!begin(op, &v, PCSM_OP_DROP_FUNCTION, name))
        return;
    if (!check_ident(&v, "function name", name) ||
        !check_text(&v, "argument list", arguments) ||
        !check_flags(&v, flags, PCSM_IF_EXISTS | PCSM_DROP_CASCADE))
        return;
    d = &push(op, PCSM_OP_DROP_FUNCTION)->u.drop_function;
    d->function = arena_strdup(op, name);
    d->arguments = arena_strdup(op, arguments);
    d->flags = flags;
}

#define ALL_EVENTS (PCSM_ON_INSERT | PCSM_ON_UPDATE | PCSM_ON_DELETE | PCSM_ON_TRUNCATE)

void pcsm_create_trigger(pcsm_op *op, const pcsm_trigger *trigger)
{
    struct vctx v;
    const char *name = trigger ? trigger->name : NULL;
    pcsm_trigger *t;

    if (!begin(op, &v, PCSM_OP_CREATE_TRIGGER, name))
        return;
    if (!trigger) {
        fail(op, v.kind, NULL, "no trigger given");
        return;
    }
    if (!check_ident(&v, "trigger name", name) ||
        !check_ident(&v, "table name", trigger->table) ||
        !check_ident(&v, "function name", trigger->function) ||
        (trigger->function_schema &&
         !check_ident(&v, "function schema", trigger->function_schema)) ||
        !check_sql(&v, "WHEN condition", trigger->when, false))
        return;
    if (trigger->timing == PCSM_TIMING_NONE) {
        fail(op, v.kind, name, "timing is missing (PCSM_BEFORE, PCSM_AFTER or PCSM_INSTEAD_OF)");
        return;
    }
    if ((int)trigger->timing < PCSM_TIMING_NONE || trigger->timing > PCSM_INSTEAD_OF) {
        fail(op, v.kind, name, "unknown timing %d (PCSM_BEFORE, PCSM_AFTER or "
             "PCSM_INSTEAD_OF)", (int)trigger->timing);
        return;
    }
    if (!trigger->events) {
        fail(op, v.kind, name, "no events given (PCSM_ON_INSERT, PCSM_ON_UPDATE, "
             "PCSM_ON_DELETE, PCSM_ON_TRUNCATE)");
        return;
    }
    if (trigger->events & ~ALL_EVENTS) {
        fail(op, v.kind, name, "unknown events 0x%x", trigger->events & ~ALL_EVENTS);
        return;
    }
    if ((trigger->events & PCSM_ON_TRUNCATE) && trigger->for_each_row) {
        fail(op, v.kind, name, "a TRUNCATE trigger runs FOR EACH STATEMENT only");
        return;
    }
    if (trigger->timing == PCSM_INSTEAD_OF && (!trigger->for_each_row || trigger->when)) {
        fail(op, v.kind, name, "an INSTEAD OF trigger runs FOR EACH ROW, with no WHEN condition");
        return;
    }
    t = &push(op, PCSM_OP_CREATE_TRIGGER)->u.create_trigger.trigger;
    *t = *trigger;
    t->name = arena_strdup(op, trigger->name);
    t->table = arena_strdup(op, trigger->table);
    t->function = arena_strdup(op, trigger->function);
    t->function_schema = arena_strdup(op, trigger->function_schema);
    t->when = arena_strdup(op, trigger->when);
}

void pcsm_drop_trigger(pcsm_op *op, const char *table, const char *name, unsigned flags)
{
    struct vctx v;
    struct pcsm_ddl_drop_trigger *d;

    if (!begin(op, &v, PCSM_OP_DROP_TRIGGER, name))
        return;
    if (!check_ident(&v, "table name", table) || !check_ident(&v, "trigger name", name) ||
        !check_flags(&v, flags, PCSM_IF_EXISTS | PCSM_DROP_CASCADE))
        return;
    d = &push(op, PCSM_OP_DROP_TRIGGER)->u.drop_trigger;
    d->table = arena_strdup(op, table);
    d->trigger = arena_strdup(op, name);
    d->flags = flags;
}

void pcsm_set_trigger_firing(pcsm_op *op, const char *table, const char *name,
                             enum pcsm_trigger_firing firing)
{
    struct vctx v;
    struct pcsm_ddl_set_trigger_firing *d;

    if (!begin(op, &v, PCSM_OP_SET_TRIGGER_FIRING, name))
        return;
    if (!check_ident(&v, "table name", table) || !check_ident(&v, "trigger name", name))
        return;
    if ((int)firing < PCSM_TRIGGER_ENABLE || firing > PCSM_TRIGGER_ENABLE_ALWAYS) {
        fail(op, v.kind, name, "unknown firing %d (PCSM_TRIGGER_ENABLE, _DISABLE, "
             "_ENABLE_REPLICA or _ENABLE_ALWAYS)", (int)firing);
        return;
    }
    d = &push(op, PCSM_OP_SET_TRIGGER_FIRING)->u.set_trigger_firing;
    d->table = arena_strdup(op, table);
    d->trigger = arena_strdup(op, name);
    d->firing = firing;
}

/* ---------------------------------------------------- row-level security */

/*
 * The role specifications that name a role by who runs the statement:
 * the policy would hold whoever ran the migration, a name no revision
 * says, so the model could never match the catalog.
 */
static bool role_by_session(const char *role)
{
    return !strcasecmp(role, "current_user") || !strcasecmp(role, "session_user") ||
           !strcasecmp(role, "current_role");
}

void pcsm_create_policy(pcsm_op *op, const pcsm_policy *policy)
{
    struct vctx v;
    const char *name = policy ? policy->name : NULL;
    pcsm_policy *p;
    size_t i;

    if (!begin(op, &v, PCSM_OP_CREATE_POLICY, name))
        return;
    if (!policy) {
        fail(op, v.kind, NULL, "no policy given");
        return;
    }
    if (!check_ident(&v, "policy name", name) ||
        !check_ident(&v, "table name", policy->table) ||
        !check_sql(&v, "USING condition", policy->using, false) ||
        !check_sql(&v, "WITH CHECK condition", policy->with_check, false))
        return;
    if ((int)policy->command < PCSM_POLICY_ALL || policy->command > PCSM_POLICY_DELETE) {
        fail(op, v.kind, name, "unknown command %d (PCSM_POLICY_ALL, _SELECT, _INSERT, "
             "_UPDATE or _DELETE)", (int)policy->command);
        return;
    }
    if (policy->roles && !policy->roles[0]) {
        fail(op, v.kind, name, "roles is an empty list (NULL means PUBLIC)");
        return;
    }
    for (i = 0; policy->roles && policy->roles[i]; i++) {
        if (!check_ident(&v, "role name", policy->roles[i]))
            return;
        if (role_by_session(policy->roles[i])) {
            fail(op, v.kind, name, "role %s names whoever runs the migration: name the role",
                 policy->roles[i]);
            return;
        }
        /* The server would ignore the others, with a warning. */
        if (!strcasecmp(policy->roles[i], "public") && (i || policy->roles[1])) {
            fail(op, v.kind, name, "public is every role: name it alone, or not at all");
            return;
        }
    }
    if (policy->command == PCSM_POLICY_INSERT && policy->using) {
        fail(op, v.kind, name, "an INSERT policy takes WITH CHECK only, not USING");
        return;
    }
    if ((policy->command == PCSM_POLICY_SELECT || policy->command == PCSM_POLICY_DELETE) &&
        policy->with_check) {
        fail(op, v.kind, name, "a %s policy takes USING only, not WITH CHECK",
             policy->command == PCSM_POLICY_SELECT ? "SELECT" : "DELETE");
        return;
    }
    p = &push(op, PCSM_OP_CREATE_POLICY)->u.create_policy.policy;
    *p = *policy;
    p->name = arena_strdup(op, policy->name);
    p->table = arena_strdup(op, policy->table);
    p->roles = arena_names(op, policy->roles);
    p->using = arena_strdup(op, policy->using);
    p->with_check = arena_strdup(op, policy->with_check);
}

void pcsm_drop_policy(pcsm_op *op, const char *table, const char *name, unsigned flags)
{
    struct vctx v;
    struct pcsm_ddl_drop_policy *d;

    if (!begin(op, &v, PCSM_OP_DROP_POLICY, name))
        return;
    if (!check_ident(&v, "table name", table) || !check_ident(&v, "policy name", name) ||
        !check_flags(&v, flags, PCSM_IF_EXISTS))
        return;
    d = &push(op, PCSM_OP_DROP_POLICY)->u.drop_policy;
    d->table = arena_strdup(op, table);
    d->policy = arena_strdup(op, name);
    d->flags = flags;
}

void pcsm_set_row_security(pcsm_op *op, const char *table, enum pcsm_row_security how)
{
    struct vctx v;
    struct pcsm_ddl_set_row_security *d;

    if (!begin(op, &v, PCSM_OP_SET_ROW_SECURITY, table))
        return;
    if (!check_ident(&v, "table name", table))
        return;
    if ((int)how <= PCSM_ROW_SECURITY_NONE || how > PCSM_ROW_SECURITY_NO_FORCE) {
        fail(op, v.kind, table, "unknown setting %d (PCSM_ROW_SECURITY_ENABLE, _DISABLE, "
             "_FORCE or _NO_FORCE)", (int)how);
        return;
    }
    d = &push(op, PCSM_OP_SET_ROW_SECURITY)->u.set_row_security;
    d->table = arena_strdup(op, table);
    d->how = how;
}

void pcsm_execute(pcsm_op *op, const char *sql)
{
    struct vctx v;

    if (!begin(op, &v, PCSM_OP_EXECUTE, NULL))
        return;
    if (!check_sql(&v, "SQL", sql, true))
        return;
    push(op, PCSM_OP_EXECUTE)->u.execute.sql = arena_strdup(op, sql);
}

void pcsm_execute_params(pcsm_op *op, const char *sql, size_t n_params,
                         const pcsm_value *params)
{
    struct vctx v;
    struct pcsm_ddl_execute_params *e;
    pcsm_value *copies;
    size_t i;

    if (!begin(op, &v, PCSM_OP_EXECUTE_PARAMS, NULL))
        return;
    if (!check_sql(&v, "SQL", sql, true))
        return;
    if (n_params > MAX_PARAMS || (n_params && !params)) {
        fail(op, v.kind, NULL, "%zu parameters given %s", n_params,
             n_params > MAX_PARAMS ? "(PostgreSQL takes at most 65535)" : "without an array");
        return;
    }
    for (i = 0; i < n_params; i++) {
        char what[32];

        snprintf(what, sizeof(what), "parameter $%zu", i + 1);
        if (!check_value(&v, what, params[i], true))
            return;
    }
    e = &push(op, PCSM_OP_EXECUTE_PARAMS)->u.execute_params;
    e->sql = arena_strdup(op, sql);
    e->n_params = n_params;
    e->params = copies = arena_alloc(op, (n_params ? n_params : 1) * sizeof(*copies));
    for (i = 0; i < n_params; i++)
        copies[i] = copy_value(op, params[i]);
}

static void record_batch_update(pcsm_op *op, enum pcsm_ddl_kind kind, const char *table,
                                const char *key, const char *set_sql, const char *from_sql,
                                const char *where_sql, long batch_size)
{
    struct vctx v;
    struct pcsm_ddl_batch_update *b;

    if (!begin(op, &v, kind, table))
        return;
    if (!check_ident(&v, "table name", table) || !check_ident(&v, "key column", key) ||
        !check_sql(&v, "SET clause", set_sql, true) ||
        (kind == PCSM_OP_BATCH_UPDATE_FROM && !check_sql(&v, "FROM list", from_sql, true)) ||
        !check_sql(&v, "WHERE condition", where_sql, false))
        return;
    if (batch_size < 1 || batch_size > INT_MAX) {
        fail(op, v.kind, table, "batch size %ld is outside 1..%d", batch_size, INT_MAX);
        return;
    }
    b = &push(op, kind)->u.batch_update;
    b->table = arena_strdup(op, table);
    b->key = arena_strdup(op, key);
    b->set_sql = arena_strdup(op, set_sql);
    b->where_sql = arena_strdup(op, where_sql);
    b->batch_size = batch_size;
    b->from_sql = kind == PCSM_OP_BATCH_UPDATE_FROM ? arena_strdup(op, from_sql) : NULL;
}

void pcsm_batch_update(pcsm_op *op, const char *table, const char *key,
                       const char *set_sql, const char *where_sql, long batch_size)
{
    record_batch_update(op, PCSM_OP_BATCH_UPDATE, table, key, set_sql, NULL, where_sql,
                        batch_size);
}

void pcsm_batch_update_from(pcsm_op *op, const char *table, const char *key,
                            const char *set_sql, const char *from_sql, const char *where_sql,
                            long batch_size)
{
    record_batch_update(op, PCSM_OP_BATCH_UPDATE_FROM, table, key, set_sql, from_sql,
                        where_sql, batch_size);
}

void pcsm_assert(pcsm_op *op, const char *condition, const char *message)
{
    struct vctx v;
    struct pcsm_ddl_assert *a;

    if (!begin(op, &v, PCSM_OP_ASSERT, NULL))
        return;
    if (!check_sql(&v, "condition", condition, true))
        return;
    if (!message || !*message) {
        fail(op, v.kind, NULL, "an assertion needs a message");
        return;
    }
    if (!check_text(&v, "message", message))
        return;
    a = &push(op, PCSM_OP_ASSERT)->u.assert;
    a->condition = arena_strdup(op, condition);
    a->message = arena_strdup(op, message);
}

/*
 * Autocommit blocks are markers around the operations they enclose: every
 * later layer sees where the transaction breaks without a nesting of its
 * own.  A block in a nontransactional revision is refused rather than
 * ignored: there it would mean nothing, and an author who wrote it expects
 * the revision's other steps to be transactional, which they are not.
 */
void pcsm_autocommit_begin(pcsm_op *op)
{
    struct vctx v;
    unsigned line;

    if (!begin(op, &v, PCSM_OP_AUTOCOMMIT_BEGIN, NULL))
        return;
    if (op->rev && (op->rev->flags & PCSM_REV_NONTRANSACTIONAL)) {
        fail(op, v.kind, NULL, "revision %s is flagged nontransactional and runs outside a "
             "transaction already; remove the block, or the flag", op->rev->id);
        return;
    }
    if (op->guard_open) {
        fail(op, v.kind, NULL, "an autocommit block inside the guard of line %u: a guard "
             "runs in the revision's transaction, which the block would commit",
             op->ops[op->guard_at].line);
        return;
    }
    if (op->in_autocommit) {
        if (op->autocommit_line)
            fail(op, v.kind, NULL, "an autocommit block is already open (line %u); blocks "
                 "do not nest", op->autocommit_line);
        else
            fail(op, v.kind, NULL, "an autocommit block is already open; blocks do not nest");
        return;
    }
    line = op->next_line;
    push(op, PCSM_OP_AUTOCOMMIT_BEGIN);
    op->in_autocommit = true;
    op->autocommit_line = line;
}

void pcsm_autocommit_end(pcsm_op *op)
{
    struct vctx v;

    if (!begin(op, &v, PCSM_OP_AUTOCOMMIT_END, NULL))
        return;
    if (!op->in_autocommit) {
        fail(op, v.kind, NULL, "no autocommit block is open (pcsm_autocommit_begin() first)");
        return;
    }
    push(op, PCSM_OP_AUTOCOMMIT_END);
    op->in_autocommit = false;
    op->autocommit_line = 0;
}

void pcsm_op__end_autocommit_check(pcsm_op *op)
{
    if (!op->in_autocommit)
        return;
    if (op->autocommit_line)
        fail(op, PCSM_OP_AUTOCOMMIT_BEGIN, NULL, "the block opened at line %u is never "
             "closed: call pcsm_autocommit_end() before the migration returns",
             op->autocommit_line);
    else
        fail(op, PCSM_OP_AUTOCOMMIT_BEGIN, NULL, "the block is never closed: call "
             "pcsm_autocommit_end() before the migration returns");
}

bool pcsm_op__has_autocommit(const pcsm_op *op)
{
    size_t i;

    for (i = 0; i < op->n_ops; i++)
        if (op->ops[i].kind == PCSM_OP_AUTOCOMMIT_BEGIN)
            return true;
    return false;
}

static bool nontransactional(const pcsm_op *op)
{
    return op->rev && (op->rev->flags & PCSM_REV_NONTRANSACTIONAL);
}

/*
 * What SET takes as a name: an identifier, or a custom setting's
 * "prefix.name"; checked here because it is written unquoted, as SHOW and
 * current_setting() spell it (a quoted name would keep its case).
 */
static bool is_setting_name(const char *s)
{
    const char *p;
    int dots = 0;

    if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || *s == '_'))
        return false;
    for (p = s; *p; p++) {
        if (*p == '.') {
            if (++dots > 1 || p[1] == '\0' || p[1] == '.' || (p[1] >= '0' && p[1] <= '9'))
                return false;
        } else if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
                     (*p >= '0' && *p <= '9') || *p == '_')) {
            return false;
        }
    }
    return true;
}

void pcsm_set_local(pcsm_op *op, const char *name, const char *value)
{
    struct vctx v;
    struct pcsm_ddl_set_local *sl;

    if (!begin(op, &v, PCSM_OP_SET_LOCAL, NULL))
        return;
    if (!check_ident(&v, "setting name", name))
        return;
    if (!is_setting_name(name)) {
        fail(op, v.kind, NULL,
             "setting name \"%s\" is not a setting's name (letters, digits and '_', "
             "at most one '.')", name);
        return;
    }
    if (!value) {
        fail(op, v.kind, name, "value is missing");
        return;
    }
    v.subject = name;
    if (!check_text(&v, "value", value))
        return;
    /* SET LOCAL there would end with the statement: say it before the block. */
    if (op->in_autocommit) {
        fail(op, v.kind, name, "a setting inside an autocommit block would last one "
             "statement; set it before the block (it lasts until the block begins) or after "
             "it");
        return;
    }
    sl = &push(op, PCSM_OP_SET_LOCAL)->u.set_local;
    sl->name = arena_strdup(op, name);
    sl->value = arena_strdup(op, value);
    sl->outside = nontransactional(op);
}

void pcsm_lock_table(pcsm_op *op, const char *table, enum pcsm_lock_mode mode, unsigned flags)
{
    struct vctx v;
    struct pcsm_ddl_lock_table *l;

    if (!begin(op, &v, PCSM_OP_LOCK_TABLE, table))
        return;
    if (!check_ident(&v, "table name", table) || !check_flags(&v, flags, PCSM_LOCK_NOWAIT))
        return;
    if ((int)mode < (int)PCSM_LOCK_ACCESS_SHARE || (int)mode > (int)PCSM_LOCK_ACCESS_EXCLUSIVE) {
        fail(op, v.kind, table, "unknown lock mode %d", (int)mode);
        return;
    }
    if (nontransactional(op) || op->in_autocommit) {
        fail(op, v.kind, table,
             "LOCK TABLE can only be used in a transaction block; %s",
             op->in_autocommit ? "an autocommit block has none"
                               : "a revision flagged nontransactional has none");
        return;
    }
    l = &push(op, PCSM_OP_LOCK_TABLE)->u.lock_table;
    l->table = arena_strdup(op, table);
    l->mode = mode;
    l->flags = flags;
}

void pcsm_if(pcsm_op *op, const char *condition)
{
    struct vctx v;
    size_t at;

    if (!begin(op, &v, PCSM_OP_IF, NULL))
        return;
    if (op->guard_open) {
        fail(op, v.kind, NULL, "the guard of line %u inside the guard of line %u: guards do "
             "not nest", op->next_line, op->ops[op->guard_at].line);
        return;
    }
    if (!check_sql(&v, "condition", condition, true))
        return;
    if (op->in_autocommit) {
        fail(op, v.kind, NULL,
             "the guard of line %u needs a transaction to ask its condition in; the "
             "autocommit block of line %u has none", op->next_line, op->autocommit_line);
        return;
    }
    if (nontransactional(op)) {
        fail(op, v.kind, NULL,
             "the guard of line %u needs the revision's transaction to ask its condition "
             "in; a revision flagged nontransactional has none", op->next_line);
        return;
    }
    at = op->n_ops;
    push(op, PCSM_OP_IF)->u.guard.condition = arena_strdup(op, condition);
    op->guard_open = true;
    op->guard_at = at;
}

/* Moves the operations recorded since pcsm_if() into the guard. */
void pcsm_end_if(pcsm_op *op)
{
    struct vctx v;
    struct pcsm_ddl_if *g;
    struct pcsm_ddl_op *inner;
    size_t n;

    if (!begin(op, &v, PCSM_OP_IF, NULL))
        return;
    op->next_line = 0;
    if (!op->guard_open) {
        fail(op, v.kind, NULL, "pcsm_end_if() without pcsm_if()");
        return;
    }
    n = op->n_ops - op->guard_at - 1;
    g = &op->ops[op->guard_at].u.guard;
    if (n == 0) {
        fail(op, v.kind, NULL, "the guard of line %u guards no operation",
             op->ops[op->guard_at].line);
        return;
    }
    inner = arena_alloc(op, n * sizeof(*inner));
    memcpy(inner, &op->ops[op->guard_at + 1], n * sizeof(*inner));
    g->ops = inner;
    g->n_ops = n;
    op->n_ops = op->guard_at + 1;
    op->guard_open = false;
}

/* ------------------------------------------------------------- schemas */

/* ------------------------------------------------------------- privileges */

static const struct {
    unsigned bit;
    const char *name;
} privilege_names[] = {
    { PCSM_PRIV_SELECT, "SELECT" }, { PCSM_PRIV_INSERT, "INSERT" },
    { PCSM_PRIV_UPDATE, "UPDATE" }, { PCSM_PRIV_DELETE, "DELETE" },
    { PCSM_PRIV_TRUNCATE, "TRUNCATE" }, { PCSM_PRIV_REFERENCES, "REFERENCES" },
    { PCSM_PRIV_TRIGGER, "TRIGGER" }, { PCSM_PRIV_USAGE, "USAGE" },
    { PCSM_PRIV_EXECUTE, "EXECUTE" },
};

unsigned pcsm_op__privileges_of(enum pcsm_privilege_object on, bool columns)
{
    switch (on) {
    case PCSM_PRIVILEGE_TABLE:
        if (columns)
            return PCSM_PRIV_SELECT | PCSM_PRIV_INSERT | PCSM_PRIV_UPDATE | PCSM_PRIV_REFERENCES;
        return PCSM_PRIV_SELECT | PCSM_PRIV_INSERT | PCSM_PRIV_UPDATE | PCSM_PRIV_DELETE |
               PCSM_PRIV_TRUNCATE | PCSM_PRIV_REFERENCES | PCSM_PRIV_TRIGGER;
    case PCSM_PRIVILEGE_SEQUENCE:
        return PCSM_PRIV_USAGE | PCSM_PRIV_SELECT | PCSM_PRIV_UPDATE;
    case PCSM_PRIVILEGE_FUNCTION:
        return PCSM_PRIV_EXECUTE;
    case PCSM_PRIVILEGE_TYPE:
        return PCSM_PRIV_USAGE;
    default:
        return 0;
    }
}

const char *pcsm_op__privilege_name(unsigned bit)
{
    size_t i;

    for (i = 0; i < sizeof(privilege_names) / sizeof(privilege_names[0]); i++)
        if (privilege_names[i].bit == bit)
            return privilege_names[i].name;
    return NULL;
}

unsigned pcsm_op__privilege_bit(const char *name)
{
    size_t i;

    for (i = 0; i < sizeof(privilege_names) / sizeof(privilege_names[0]); i++)
        if (!strcasecmp(privilege_names[i].name, name))
            return privilege_names[i].bit;
    return 0;
}

const char *pcsm_op__privilege_object_sql(enum pcsm_privilege_object on, bool plural)
{
    static const char *const names[][2] = {
        [PCSM_PRIVILEGE_NONE] = { "?", "?" },
        [PCSM_PRIVILEGE_TABLE] = { "TABLE", "TABLES" },
        [PCSM_PRIVILEGE_SEQUENCE] = { "SEQUENCE", "SEQUENCES" },
        [PCSM_PRIVILEGE_FUNCTION] = { "FUNCTION", "FUNCTIONS" },
        [PCSM_PRIVILEGE_TYPE] = { "TYPE", "TYPES" },
    };

    if ((int)on < PCSM_PRIVILEGE_NONE || on > PCSM_PRIVILEGE_TYPE)
        on = PCSM_PRIVILEGE_NONE;
    return names[on][plural];
}

/*
 * What grant, revoke and their default forms check alike: the kind, the
 * privileges (ALL made the kind's set, into *privileges), the grantees.
 */
static bool check_privileges(struct vctx *v, enum pcsm_privilege_object on, unsigned given,
                             bool columns, const char *const *roles, unsigned *privileges)
{
    unsigned takes = pcsm_op__privileges_of(on, columns);
    size_t i;

    if (!takes)
        return fail(v->op, v->kind, v->subject, "unknown object kind %d "
                    "(PCSM_PRIVILEGE_TABLE, _SEQUENCE, _FUNCTION or _TYPE)", (int)on);
    if (!given)
        return fail(v->op, v->kind, v->subject, "no privileges given");
    if (given == PCSM_PRIV_ALL) {
        *privileges = takes;
    } else if (given & ~takes) {
        unsigned bad = given & ~takes;
        const char *name = pcsm_op__privilege_name(bad & -bad);

        return fail(v->op, v->kind, v->subject, "%s does not apply to a %s%s",
                    name ? name : "an unknown privilege bit",
                    columns ? "column of a " : "", pcsm_op__privilege_object_sql(on, false));
    } else {
        *privileges = given;
    }
    if (!roles || !roles[0])
        return fail(v->op, v->kind, v->subject, "no roles given (\"public\" says PUBLIC)");
    for (i = 0; roles[i]; i++) {
        if (!check_ident(v, "role name", roles[i]))
            return false;
        if (role_by_session(roles[i]))
            return fail(v->op, v->kind, v->subject, "role %s names whoever runs the "
                        "migration; name the role", roles[i]);
    }
    return true;
}

static void record_grant(pcsm_op *op, enum pcsm_ddl_kind kind, const pcsm_privileges *g)
{
    struct vctx v;
    pcsm_privileges *r;
    unsigned privileges;

    if (!begin(op, &v, kind, g ? g->name : NULL))
        return;
    if (!g) {
        fail(op, v.kind, NULL, "no privileges given");
        return;
    }
    if (!check_ident(&v, "object name", g->name) ||
        !check_privileges(&v, g->on, g->privileges, g->columns != NULL, g->roles, &privileges))
        return;
    if (g->columns && g->on != PCSM_PRIVILEGE_TABLE) {
        fail(op, v.kind, g->name, "columns are a table's only");
        return;
    }
    if (g->columns && !check_names(&v, "column", g->columns, true))
        return;
    if (g->arguments && g->on != PCSM_PRIVILEGE_FUNCTION) {
        fail(op, v.kind, g->name, "arguments are a function's only");
        return;
    }
    if (!check_text(&v, "argument list", g->arguments))
        return;
    r = &push(op, kind)->u.grant.grant;
    *r = *g;
    r->name = arena_strdup(op, g->name);
    r->arguments = arena_strdup(op, g->arguments);
    r->columns = arena_names(op, g->columns);
    r->roles = arena_names(op, g->roles);
    r->privileges = privileges;
}

void pcsm_grant(pcsm_op *op, const pcsm_privileges *grant)
{
    record_grant(op, PCSM_OP_GRANT, grant);
}

void pcsm_revoke(pcsm_op *op, const pcsm_privileges *grant)
{
    record_grant(op, PCSM_OP_REVOKE, grant);
}

static void record_default(pcsm_op *op, enum pcsm_ddl_kind kind,
                           const pcsm_default_privileges *d)
{
    struct vctx v;
    pcsm_default_privileges *r;
    unsigned privileges;

    if (!begin(op, &v, kind, d ? pcsm_op__privilege_object_sql(d->on, true) : NULL))
        return;
    if (!d) {
        fail(op, v.kind, NULL, "no default privileges given");
        return;
    }
    if (!check_privileges(&v, d->on, d->privileges, false, d->roles, &privileges))
        return;
    if (d->for_role && !check_ident(&v, "FOR ROLE", d->for_role))
        return;
    if (d->for_role && role_by_session(d->for_role)) {
        fail(op, v.kind, v.subject, "FOR ROLE %s names whoever runs the migration: leave "
             "for_role NULL for that role", d->for_role);
        return;
    }
    r = &push(op, kind)->u.default_privileges.defaults;
    *r = *d;
    r->roles = arena_names(op, d->roles);
    r->for_role = arena_strdup(op, d->for_role);
    r->privileges = privileges;
}

void pcsm_grant_default(pcsm_op *op, const pcsm_default_privileges *defaults)
{
    record_default(op, PCSM_OP_GRANT_DEFAULT, defaults);
}

void pcsm_revoke_default(pcsm_op *op, const pcsm_default_privileges *defaults)
{
    record_default(op, PCSM_OP_REVOKE_DEFAULT, defaults);
}

bool pcsm_op__names_object(enum pcsm_ddl_kind kind)
{
    switch (kind) {
    case PCSM_OP_CREATE_EXTENSION:
    case PCSM_OP_DROP_EXTENSION:
    case PCSM_OP_EXECUTE:
    case PCSM_OP_EXECUTE_PARAMS:
    case PCSM_OP_ASSERT:
    case PCSM_OP_AUTOCOMMIT_BEGIN:
    case PCSM_OP_AUTOCOMMIT_END:
    case PCSM_OP_SET_LOCAL:
    case PCSM_OP_IF:
    case PCSM_OP_CREATE_SCHEMA:
    case PCSM_OP_DROP_SCHEMA:
        return false;
    default:
        return true;
    }
}

/* Not an operation but a state of the recorder: its errors say "set_schema" as a kind would. */
void pcsm_set_schema(pcsm_op *op, const char *schema)
{
    const char *why = NULL;

    if (!op)
        abort();    /* a migration passed no context: a programming error */
    op->next_line = 0;
    if (op->failed)
        return;
    if (schema && !*schema)
        why = "schema name is empty";
    else if (schema && !pcsm_sql__valid_utf8(schema))
        why = "schema name is not valid UTF-8";
    else if (schema && strlen(schema) > MAX_IDENT_BYTES)
        why = "schema name is longer than 63 bytes (PostgreSQL would truncate it)";
    if (why) {
        op->failed = true;
        pcsm_buf_printf(&op->error, "set_schema: %s", why);
        return;
    }
    op->schema = schema ? arena_strdup(op, schema) : NULL;
}

static void record_namespace(pcsm_op *op, enum pcsm_ddl_kind kind, const char *name,
                             unsigned flags, unsigned allowed_flags)
{
    struct vctx v;
    struct pcsm_ddl_namespace *n;
    struct pcsm_ddl_op *o;

    if (!begin(op, &v, kind, name))
        return;
    if (!check_ident(&v, "schema name", name) || !check_flags(&v, flags, allowed_flags))
        return;
    if (!strncmp(name, "pg_", 3))
        fail(op, kind, name, "names beginning with pg_ are the server's (reserved for "
             "system schemas)");
    if (op->failed)
        return;
    o = push(op, kind);
    n = kind == PCSM_OP_CREATE_SCHEMA ? &o->u.create_schema : &o->u.drop_schema;
    n->name = arena_strdup(op, name);
    n->flags = flags;
}

void pcsm_create_schema(pcsm_op *op, const char *name, unsigned flags)
{
    record_namespace(op, PCSM_OP_CREATE_SCHEMA, name, flags, PCSM_IF_NOT_EXISTS);
}

void pcsm_drop_schema(pcsm_op *op, const char *name, unsigned flags)
{
    record_namespace(op, PCSM_OP_DROP_SCHEMA, name, flags,
                     PCSM_IF_EXISTS | PCSM_DROP_CASCADE);
}
