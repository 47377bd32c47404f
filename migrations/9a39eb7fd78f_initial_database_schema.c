/*
 * initial database schema
 *
 * The PCS schema as the Alembic revision of the same id created it: contexts,
 * conversations and prompts, their four named indexes, and updated_at kept
 * current by the database on every UPDATE.  Unique names are unique indexes
 * named ix_<table>_name (what SQLAlchemy's unique=True, index=True makes),
 * so there is no second, redundant unique constraint.
 *
 * Revision ID: 9a39eb7fd78f
 * Revises: None
 * Create Date: 2025-06-01 12:00:00+00:00
 */
#include <pcsm/ddl.h>

/* Columns every PCS table has. */
#define PCS_ID \
    { .name = "id", .type = PCSM_UUID, .primary_key = true, \
      .default_value = PCSM_EXPR("gen_random_uuid()") }
#define PCS_IS_ACTIVE \
    { .name = "is_active", .type = PCSM_BOOLEAN, .not_null = true, \
      .default_value = PCSM_EXPR("true") }
#define PCS_CREATED_AT \
    { .name = "created_at", .type = PCSM_TIMESTAMPTZ, .not_null = true, \
      .default_value = PCSM_EXPR("now()") }
#define PCS_UPDATED_AT \
    { .name = "updated_at", .type = PCSM_TIMESTAMPTZ, .not_null = true, \
      .default_value = PCSM_EXPR("now()") }

/* The trigger that keeps a table's updated_at current. */
#define PCS_SET_UPDATED_AT(t) \
    pcsm_create_trigger(op, &(pcsm_trigger){ \
        .name = t "_set_updated_at", .table = t, .timing = PCSM_BEFORE, \
        .events = PCSM_ON_UPDATE, .for_each_row = true, .function = "pcs_set_updated_at" })

static const char *const tables[] = { "contexts", "conversations", "prompts" };

static void upgrade(pcsm_op *op)
{
    pcsm_create_table(op, "contexts", PCSM_COLUMNS(
        PCS_ID,
        { .name = "name", .type = PCSM_VARCHAR(255), .not_null = true },
        { .name = "description", .type = PCSM_TEXT },
        { .name = "context_data", .type = PCSM_JSON },
        PCS_IS_ACTIVE,
        PCS_CREATED_AT,
        PCS_UPDATED_AT), NULL, NULL);
    pcsm_create_index(op, &(pcsm_index){ .name = "ix_contexts_name", .table = "contexts",
                                         .columns = PCSM_NAMES("name"), .unique = true });

    pcsm_create_table(op, "conversations", PCSM_COLUMNS(
        PCS_ID,
        { .name = "title", .type = PCSM_VARCHAR(255), .not_null = true },
        { .name = "context_id", .type = PCSM_UUID, .not_null = true,
          .references = "contexts", .ref_column = "id" },
        { .name = "conversation_data", .type = PCSM_JSON },
        PCS_IS_ACTIVE,
        PCS_CREATED_AT,
        PCS_UPDATED_AT), NULL, NULL);
    pcsm_create_index(op, &(pcsm_index){ .name = "ix_conversations_context_id",
                                         .table = "conversations",
                                         .columns = PCSM_NAMES("context_id") });

    pcsm_create_table(op, "prompts", PCSM_COLUMNS(
        PCS_ID,
        { .name = "name", .type = PCSM_VARCHAR(255), .not_null = true },
        { .name = "content", .type = PCSM_TEXT, .not_null = true },
        { .name = "prompt_type", .type = PCSM_VARCHAR(50), .not_null = true },
        { .name = "context_id", .type = PCSM_UUID, .not_null = true,
          .references = "contexts", .ref_column = "id" },
        PCS_IS_ACTIVE,
        PCS_CREATED_AT,
        PCS_UPDATED_AT), NULL, NULL);
    pcsm_create_index(op, &(pcsm_index){ .name = "ix_prompts_name", .table = "prompts",
                                         .columns = PCSM_NAMES("name"), .unique = true });
    pcsm_create_index(op, &(pcsm_index){ .name = "ix_prompts_context_id", .table = "prompts",
                                         .columns = PCSM_NAMES("context_id") });

    /* updated_at is the database's job, so every writer gets it right. */
    pcsm_create_function(op, &(pcsm_function){
        .name = "pcs_set_updated_at", .arguments = "", .returns = "trigger",
        .language = "plpgsql",
        .body = "BEGIN\n"
                "    NEW.\"updated_at\" := now();\n"
                "    RETURN NEW;\n"
                "END\n" });
    PCS_SET_UPDATED_AT("contexts");
    PCS_SET_UPDATED_AT("conversations");
    PCS_SET_UPDATED_AT("prompts");
}

static void downgrade(pcsm_op *op)
{
    size_t i;

    /* Children first; their indexes and triggers go with them. */
    for (i = sizeof(tables) / sizeof(tables[0]); i-- > 0;)
        pcsm_drop_table(op, tables[i], 0);
    pcsm_drop_function(op, "pcs_set_updated_at", "", 0);
}
