#!/usr/bin/env python3
"""Alembic itself runs both fixture histories: upgrade revision by
revision (topological order, merges included), then downgrade base,
checked in the catalog of a real server.

Needs PCSM_TEST_DSN (libpq string) and a python3 with alembic and
psycopg2 (alembic_run.find_interpreter); exits 77 (skip) without one.
"""

import os
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import alembic_run  # noqa: E402

DSN = os.environ.get("PCSM_TEST_DSN")
FIXTURES = os.path.join(alembic_run.ROOT, "tests", "fixtures", "alembic")
PYTHON = alembic_run.find_interpreter()


def psql(dsn, sql):
    r = subprocess.run(["psql", "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1",
                        "-d", dsn, "-c", sql],
                       capture_output=True, text=True)
    if r.returncode != 0:
        raise AssertionError("psql %s: %s" % (sql, r.stderr))
    return r.stdout.splitlines()


RELATIONS = ("SELECT n.nspname || '.' || c.relname FROM pg_class c "
             "JOIN pg_namespace n ON n.oid = c.relnamespace "
             "WHERE c.relkind = 'r' AND n.nspname NOT IN "
             "('pg_catalog', 'information_schema') ORDER BY 1")
TYPES = ("SELECT t.typname FROM pg_type t JOIN pg_namespace n "
         "ON n.oid = t.typnamespace WHERE t.typtype = 'e' "
         "AND n.nspname = 'public' ORDER BY 1")


class AlembicRunsTheFixtures(unittest.TestCase):
    def setUp(self):
        self.dbs = []

    def tearDown(self):
        for db in self.dbs:
            psql(DSN + " dbname=postgres",
                 'DROP DATABASE IF EXISTS "%s" WITH (FORCE)' % db)

    def database(self, name):
        db = "pcsm_t_alembic_%d_%s" % (os.getpid(), name)
        psql(DSN + " dbname=postgres",
             'CREATE DATABASE "%s" TEMPLATE template0' % db)
        self.dbs.append(db)
        return "%s dbname=%s" % (DSN, db)

    def run_history(self, name):
        """Upgrade each revision, checking Alembic's version table."""
        project = os.path.join(FIXTURES, name)
        dsn = self.database(name)
        seen = []

        def after(rev):
            heads = alembic_run.current(PYTHON, project, dsn)
            self.assertIn(rev, heads)
            seen.append(rev)

        applied = alembic_run.upgrade_each(PYTHON, project, dsn, after)
        self.assertEqual(seen, applied)
        return project, dsn, applied

    def downgrade_base(self, project, dsn):
        alembic_run.alembic(PYTHON, project, dsn, "downgrade", "base")
        self.assertEqual(psql(dsn, RELATIONS), ["public.alembic_version"])
        self.assertEqual(psql(dsn, TYPES), [])
        self.assertEqual(psql(dsn, "SELECT count(*) FROM alembic_version"),
                         ["0"])

    def test_order_puts_parents_first(self):
        for name in ("clean", "full", "seed", "schemas"):
            versions = os.path.join(FIXTURES, name, "versions")
            order = alembic_run.topological_order(versions)
            doc = alembic_run.alembic_import.read_versions(versions)
            for rev in doc["revisions"]:
                for parent in rev["down_revision"]:
                    self.assertLess(order.index(parent),
                                    order.index(rev["revision"]))

    def test_clean(self):
        project, dsn, applied = self.run_history("clean")
        self.assertEqual(len(applied), 7)
        self.assertEqual(alembic_run.current(PYTHON, project, dsn),
                         ["c10000000007"])
        self.assertEqual(psql(dsn, RELATIONS), [
            "public.account", "public.alembic_version", "public.audit_log",
            "public.badge", "public.badge_log_2024_seen",
            "public.badge_log_old", "public.label", "public.orders",
            "public.setting", "public.ticket"])
        self.assertEqual(psql(dsn, TYPES), ["prio", "ticket_state"])
        self.assertEqual(psql(dsn, "SELECT count(*) FROM label WHERE "
                              "label IN ('RED', 'it''s blue')"), ["2"])
        self.assertEqual(psql(dsn, "SELECT conname FROM pg_constraint "
                              "WHERE conrelid = 'orders'::regclass "
                              "AND contype = 'f' ORDER BY 1"),
                         ["fk_orders_account", "fk_orders_label"])
        self.downgrade_base(project, dsn)

    def test_full(self):
        project, dsn, applied = self.run_history("full")
        self.assertEqual(len(applied), 4)
        self.assertEqual(alembic_run.current(PYTHON, project, dsn),
                         ["f10000000004"])
        self.assertEqual(psql(dsn, RELATIONS), [
            "public.alembic_version", "public.customer",
            "public.customer_event", "public.purchase", "ref.country"])
        # the Python loop ran; bulk_insert took the first row's keys
        self.assertEqual(psql(dsn, "SELECT slug || ' ' || status "
                              "FROM customer ORDER BY id"),
                         ["ann-lee new", "bob-o'hara new"])
        self.assertEqual(psql(dsn, "SELECT enum_range(NULL::"
                              "customer_status)::text"),
                         ["{new,active,banned,gone}"])
        # serial keys: a sequence owns each
        self.assertEqual(psql(dsn, "SELECT pg_get_serial_sequence("
                              "'purchase', 'id')"),
                         ["public.purchase_id_seq"])
        self.assertEqual(psql(dsn, "SELECT confrelid::regclass::text "
                              "FROM pg_constraint WHERE conname = "
                              "'customer_country_id_fkey'"),
                         ["ref.country"])
        self.downgrade_base(project, dsn)
        self.assertEqual(psql(dsn, "SELECT count(*) FROM pg_namespace "
                              "WHERE nspname = 'ref'"), ["0"])

    def test_seed(self):
        project, dsn, applied = self.run_history("seed")
        self.assertEqual(applied, ["9a39eb7fd78f"])
        self.assertEqual(psql(dsn, RELATIONS), [
            "public.alembic_version", "public.contexts",
            "public.conversations", "public.prompts"])
        self.assertEqual(psql(dsn, "SELECT tgname FROM pg_trigger "
                              "WHERE NOT tgisinternal ORDER BY 1"), [
            "contexts_set_updated_at", "conversations_set_updated_at",
            "prompts_set_updated_at"])
        self.assertEqual(psql(dsn, "SELECT indexrelid::regclass::text "
                              "FROM pg_index WHERE indrelid = "
                              "'prompts'::regclass ORDER BY 1"), [
            "ix_prompts_context_id", "ix_prompts_name", "prompts_pkey"])
        self.downgrade_base(project, dsn)
        self.assertEqual(psql(dsn, "SELECT count(*) FROM pg_proc WHERE "
                              "proname = 'pcs_set_updated_at'"), ["0"])

    def test_schemas(self):
        project, dsn, applied = self.run_history("schemas")
        self.assertEqual(len(applied), 3)
        self.assertEqual(psql(dsn, RELATIONS), [
            "audit.ledger_entry", "billing.currency", "billing.invoice",
            "public.account", "public.alembic_version", "public.payment"])
        # Keys both ways across the schemas, the names SQLAlchemy gave.
        self.assertEqual(psql(dsn, "SELECT conname || ' ' || "
                              "confrelid::regclass::text FROM pg_constraint "
                              "WHERE contype = 'f' ORDER BY 1"), [
            "fk_entry_account account",
            "fk_entry_invoice billing.invoice",
            "invoice_account_id_fkey account",
            "payment_invoice_id_fkey billing.invoice"])
        self.assertEqual(psql(dsn, "SELECT indexrelid::regclass::text "
                              "FROM pg_index WHERE indrelid = "
                              "'billing.invoice'::regclass ORDER BY 1"), [
            "billing.invoice_pkey", "billing.ix_billing_invoice_account_id",
            "billing.ix_invoice_due", "billing.ix_invoice_state"])
        self.assertEqual(psql(dsn, "SELECT pg_get_indexdef("
                              "'billing.ix_invoice_due'::regclass)"), [
            "CREATE INDEX ix_invoice_due ON billing.invoice USING btree "
            "(due_on DESC NULLS LAST, total DESC)"])
        self.assertEqual(psql(dsn, "SELECT format_type(atttypid, atttypmod) "
                              "FROM pg_attribute WHERE attrelid = "
                              "'billing.invoice'::regclass AND attname "
                              "IN ('state', 'total') ORDER BY attname"),
                         ["billing.invoice_state", "numeric(12,2)"])
        self.assertEqual(psql(dsn, "SELECT pg_get_serial_sequence("
                              "'audit.ledger_entry', 'id')"),
                         ["audit.entry_id_seq"])
        self.assertEqual(psql(dsn, "SELECT start_value FROM pg_sequences "
                              "WHERE schemaname = 'billing' AND "
                              "sequencename = 'invoice_number'"), ["1000"])
        self.downgrade_base(project, dsn)
        self.assertEqual(psql(dsn, "SELECT count(*) FROM pg_namespace "
                              "WHERE nspname IN ('billing', 'audit')"),
                         ["0"])


if __name__ == "__main__":
    if not DSN:
        if os.environ.get("PCSM_TEST_REQUIRE_DB"):
            sys.exit("PCSM_TEST_DSN not set (integration_tests=enabled)")
        print("skip: PCSM_TEST_DSN not set")
        sys.exit(alembic_run.SKIP)
    if PYTHON is None:
        print("skip: no python3 here imports alembic and psycopg2 "
              "(apt-get install python3-alembic python3-psycopg2)")
        sys.exit(alembic_run.SKIP)
    unittest.main(verbosity=2)
