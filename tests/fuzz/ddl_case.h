/*
 * Generated DDL cases for the renderer: hostile names, literals, defaults and
 * comments through every quoting operation (fuzz_render.c, test_render_pg.c).
 */
#ifndef PCSM_FUZZ_DDL_CASE_H
#define PCSM_FUZZ_DDL_CASE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <pcsm/ddl.h>

#define CASE_NAME_MAX 96        /* room for names past PostgreSQL's 63 bytes */
#define CASE_TEXT_MAX 240
#define CASE_SQL_MAX 512
#define CASE_MAX_COLS 4
#define CASE_IDENT_LIMIT 63     /* NAMEDATALEN - 1 */

/* Where a case's choices come from: input bytes (zeros once used up), or a PRNG. */
struct case_src {
    const unsigned char *data;  /* NULL: the PRNG */
    size_t len, pos;
    uint64_t state;             /* xorshift64* */
};

void case_src_bytes(struct case_src *src, const unsigned char *data, size_t len);
void case_src_seed(struct case_src *src, uint64_t seed);
unsigned case_src_byte(struct case_src *src);

enum case_type {
    CASE_TEXT, CASE_VARCHAR, CASE_INTEGER, CASE_BOOLEAN, CASE_JSONB, CASE_NUMERIC,
    CASE_TEXT_ARRAY, CASE_NAMED, CASE_N_TYPES
};

struct case_col {
    char name[CASE_NAME_MAX];
    enum case_type type;
    int p, s, dims;             /* varchar length; numeric precision, scale; array dimensions */
    bool not_null, unique, primary_key;
    bool has_default;
    char def[CASE_TEXT_MAX];    /* a literal default (the text kinds) */
    bool has_comment;
    char comment[CASE_TEXT_MAX];
};

/*
 * One case: the operations ddl_case_record() makes, in order.
 *   create_table(table: cols, CHECK check_name (true), UNIQUE unique_name
 *                (col 0, last col), comment)
 *   comment_column(table, col 0, col_comment or NULL)
 *   add_column(table, added); set_default(table, added, default2)
 *   alter_column_type(table, added, varchar); set_not_null + drop_not_null
 *   create_index(index_name on added); create_index(index2_name on col 0);
 *   drop_index(index2_name)
 *   add_constraint(table, CHECK con2_name (true) NOT VALID);
 *   validate_constraint(table, con2_name); drop_constraint
 *   add_column(table, drop_col); drop_column(table, drop_col)
 *   create_table(scratch); drop_table(scratch)
 *   execute_params: set_config('pcsm.fuzz', param); INSERT key1, key2
 *   batch_update(table, col 0, added = added, batches of 1)
 *   rename_column(table, last col -> renamed); rename_table(table -> table2)
 *   comment_table(table2, comment2 or NULL); assert(true, msg)
 * and around them the other kinds (issue 10), first
 *   create_extension(extension) unless none
 *   create_enum(type_name: 'x', label1); add_enum_value(type_name, label2,
 *                at the end, or before or after 'x');
 *   rename_enum_value(type_name, label1 -> label3) if rename_label
 *   create_enum(type2: label1); drop_type(type2) if drop_type2
 * after create_table and comment_column
 *   create_function(fn_name: a trigger function, plpgsql);
 *   create_function(fn2_name: fn2_shape's arguments, return type, language
 *                   and body, volatility, strict, security definer)
 *   create_trigger(trig_name on table: timing, events, per row or statement,
 *                  WHEN when_sql if has_when, running fn_name);
 *   drop_trigger if drop_trig
 * after batch_update (issue 10's columns and sequences)
 *   add_column(table, ident_col: an integer type, identity ALWAYS or BY
 *              DEFAULT with ident_opts), or, if ident_later, NOT NULL
 *              DEFAULT 0 then drop_default and add_identity;
 *              drop_identity if drop_ident
 *   add_column(table, gen_col: GENERATED from the last column or column 0)
 *   add_column(table, coll_col: text or varchar COLLATE collation);
 *   alter_column_type_collate(coll_col, text, coll2 or none) if coll_alter
 *   create_sequence(seq_name: seq_opts, OWNED BY table.last if seq_owned);
 *   alter_sequence(seq_name: increment, cache, cycle, as) if seq_alter;
 *   set_sequence_owner(seq_name: table.last, or none) if seq_owner;
 *   rename_sequence(seq_name -> seq_name2) if seq_rename;
 *   drop_sequence if seq_drop
 * and last
 *   drop_function(fn2_name, the shape's types spelt otherwise) if drop_fn2;
 *   drop_extension(extension) if drop_extension
 */
struct ddl_case {
    bool executable;            /* names distinct and valid, values a server takes */
    char table[CASE_NAME_MAX], table2[CASE_NAME_MAX], scratch[CASE_NAME_MAX];
    bool has_comment, has_comment2, has_col_comment;
    char comment[CASE_TEXT_MAX], comment2[CASE_TEXT_MAX], col_comment[CASE_TEXT_MAX];
    size_t n_cols;
    struct case_col cols[CASE_MAX_COLS];
    char type_name[CASE_NAME_MAX];  /* of CASE_NAMED columns (an enum with label 'x') */
    char check_name[CASE_NAME_MAX], unique_name[CASE_NAME_MAX], con2_name[CASE_NAME_MAX];
    struct case_col added;
    char default2[CASE_TEXT_MAX];
    char index_name[CASE_NAME_MAX], index2_name[CASE_NAME_MAX];
    char drop_col[CASE_NAME_MAX], renamed[CASE_NAME_MAX];
    char param[CASE_TEXT_MAX], key1[CASE_TEXT_MAX], key2[CASE_TEXT_MAX];
    char msg[CASE_TEXT_MAX];
    /* Author SQL, quoted here (case_quote_ident), not by the library. */
    char insert_sql[CASE_SQL_MAX], set_sql[CASE_SQL_MAX];
    /* The other kinds. */
    int extension;              /* -1: none; else an index into ddl_case_extensions */
    bool drop_extension;
    char label1[CASE_NAME_MAX], label2[CASE_NAME_MAX], label3[CASE_NAME_MAX];
    unsigned label2_place;      /* 0 at the end, 1 before 'x', 2 after 'x' */
    bool rename_label;
    char type2[CASE_NAME_MAX];
    bool drop_type2;
    char fn_name[CASE_NAME_MAX], fn2_name[CASE_NAME_MAX];
    unsigned fn2_shape;         /* an index into the shapes of ddl_case.c */
    unsigned volatility;        /* enum pcsm_volatility */
    bool strict, security_definer, drop_fn2;
    char trig_name[CASE_NAME_MAX];
    bool before, for_each_row, has_when, drop_trig;
    unsigned events;            /* PCSM_ON_* */
    char when_sql[CASE_SQL_MAX];
    /* Identity, generated and collated columns, and a sequence. */
    char ident_col[CASE_NAME_MAX], gen_col[CASE_NAME_MAX], coll_col[CASE_NAME_MAX];
    unsigned ident_type;        /* 0 smallint, 1 integer, 2 bigint */
    bool ident_always, ident_later, drop_ident;
    pcsm_sequence_options ident_opts;
    bool gen_of_key;            /* length(column 0), else the last column IS NOT NULL */
    char gen_sql[CASE_SQL_MAX];
    bool coll_varchar;
    unsigned coll, coll_alter;  /* collations index; coll_alter: 0 none, 1 another, 2 none */
    char seq_name[CASE_NAME_MAX], seq_name2[CASE_NAME_MAX];
    pcsm_sequence_options seq_opts, seq_alter_opts;
    bool seq_owned, seq_alter, seq_owner, seq_owner_none, seq_rename, seq_drop;
    /*
     * index_name's keys (issue 20), drawn last so the draws above stay as
     * they were: 0 the added column; 1 it COLLATE "C" DESC NULLS LAST;
     * 2 (lower(added)) text_pattern_ops NULLS FIRST, then column 0 DESC;
     * 3 it pg_catalog.varchar_pattern_ops.  index2_name is NULLS NOT
     * DISTINCT when index_shape is odd.
     */
    unsigned index_shape;
    char index_sql[CASE_SQL_MAX];   /* shape 2's expression */
    /*
     * A schema of the case's own (issue 20), drawn after index_shape: the
     * case creates it after its extension, calls pcsm_set_schema() with it
     * before its first object (its type in it, its trigger's function
     * too) and NULL again before drop_extension.  Hostile cases only: the
     * executable ones are also test_catalog's, whose model of a case knows
     * its target schema alone.
     */
    bool in_schema;
    char schema[CASE_NAME_MAX];
};

/* The collations of coll_col: in every PostgreSQL. */
extern const char *const ddl_case_collations[2];

/* The extensions cases create: PostgreSQL's own contrib, trusted, relocatable. */
extern const char *const ddl_case_extensions[3];

/*
 * Fills *c from src.  Executable cases hold only valid, distinct names
 * (none that PostgreSQL would read as a system column or an automatic
 * constraint name) and values every column type takes; the others may hold
 * anything, invalid UTF-8 and over-long names included.
 */
void ddl_case_generate(struct ddl_case *c, struct case_src *src, bool executable);

/* The case's operations, as a revision's upgrade() records them. */
void ddl_case_record(pcsm_op *op, const struct ddl_case *c);
/* assert(false, msg): the server must fail it with exactly msg. */
void ddl_case_record_failing_assert(pcsm_op *op, const struct ddl_case *c);

/*
 * Whether the library must accept the case, decided here from the rules of
 * pcsm/ddl.h: names 1 to 63 bytes of valid UTF-8, text valid UTF-8, type
 * parameters in range, distinct column names, a message for the assertion.
 */
bool ddl_case_acceptable(const struct ddl_case *c);

/* Calls fn for every identifier, then every literal, the rendered SQL must hold. */
void ddl_case_names(const struct ddl_case *c, void (*fn)(const char *s, void *payload),
                    void *payload);
void ddl_case_literals(const struct ddl_case *c, void (*fn)(const char *s, void *payload),
                       void *payload);

/* "name" with '"' doubled, truncated to fit `size`: an independent quoting. */
void case_quote_ident(char *out, size_t size, const char *name);
/* Well-formed UTF-8 after the Unicode standard's table 3-7 (not the library's code). */
bool case_utf8_ok(const char *s);

#endif /* PCSM_FUZZ_DDL_CASE_H */
