#!/usr/bin/env python3
"""generator/alembic_import.py on the fixture histories and on broken
revision files: the JSON of specific calls, the placeholders, the exits.
No database, no Alembic: the reader only reads.
"""

import ast
import json
import os
import subprocess
import sys
import tempfile
import textwrap
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
SCRIPT = os.path.join(ROOT, "generator", "alembic_import.py")
FIXTURES = os.path.join(ROOT, "tests", "fixtures", "alembic")
sys.path.insert(0, os.path.dirname(SCRIPT))

import alembic_import  # noqa: E402


def history(name, aligned=False):
    doc = alembic_import.read_versions(os.path.join(FIXTURES, name,
                                                    "versions"),
                                       aligned=aligned)
    return {r["revision"]: r for r in doc["revisions"]}


def ops(rev, direction="upgrade", kind=None):
    return [o for o in rev[direction] if kind is None or o["op"] == kind]


def one(rev, kind, direction="upgrade", **match):
    found = [o for o in ops(rev, direction, kind)
             if all(o.get(k) == v for k, v in match.items())]
    assert len(found) == 1, (kind, match, found)
    return found[0]


def column(table_op, name):
    return next(c for c in table_op["columns"] if c["name"] == name)


class Clean(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.revs = history("clean")

    def test_header(self):
        r = self.revs["c10000000001"]
        self.assertEqual(r["file"], "versions/c10000000001_create_account.py")
        self.assertEqual(r["message"], "create account")
        self.assertEqual(r["create_date"], "2024-01-10 09:00:00.000001")
        self.assertEqual(r["down_revision"], [])
        self.assertEqual(self.revs["c10000000002"]["down_revision"],
                         ["c10000000001"])
        self.assertEqual(self.revs["c10000000003"]["branch_labels"],
                         ["phones"])
        merge = self.revs["c10000000005"]
        self.assertEqual(merge["down_revision"],
                         ["c10000000003", "c10000000004"])

    def test_account_columns_and_constraints(self):
        t = one(self.revs["c10000000001"], "create_table")
        self.assertEqual(t["line"], 20)
        self.assertEqual(column(t, "id"), {
            "name": "id", "type": {"kind": "bigint"},
            "identity": "always", "not_null": True})
        self.assertEqual(column(t, "name")["type"],
                         {"kind": "varchar", "p": 50})
        self.assertTrue(column(t, "name")["not_null"])
        self.assertNotIn("not_null", column(t, "email"))
        self.assertEqual(column(t, "created")["type"],
                         {"kind": "timestamptz"})
        self.assertEqual(column(t, "created")["default_value"],
                         {"kind": "expr", "text": "now()"})
        self.assertEqual(column(t, "active")["default_value"],
                         {"kind": "expr", "text": "true"})
        self.assertEqual(column(t, "balance")["type"],
                         {"kind": "numeric", "p": 12, "s": 2})
        self.assertEqual(column(t, "balance")["default_value"],
                         {"kind": "literal", "text": "0"})
        self.assertEqual(column(t, "note")["comment"], "free text")
        self.assertEqual(t["constraints"], [
            {"kind": "primary_key", "name": "pk_account",
             "columns": ["id"]},
            {"kind": "unique", "name": "uq_account_email",
             "columns": ["email"]},
            {"kind": "check", "name": "ck_account_balance",
             "check": "balance >= 0"}])
        # sa.Index in the table's arguments: created after it
        idx = self.revs["c10000000001"]["upgrade"][1]
        self.assertEqual(idx["index"], {"name": "ix_account_name",
                                        "table": "account",
                                        "columns": ["name"]})

    def test_orders_types_fk_indexes(self):
        r = self.revs["c10000000002"]
        t = one(r, "create_table")
        self.assertEqual(column(t, "id")["identity_options"], {
            "start": 100, "increment": 5})
        self.assertEqual(column(t, "id")["identity"], "by_default")
        self.assertTrue(column(t, "id")["primary_key"])
        self.assertEqual(column(t, "id")["type"], {"kind": "integer"})
        want = {"ref": {"kind": "uuid"}, "placed": {"kind": "date"},
                "at": {"kind": "time"}, "data": {"kind": "jsonb"},
                "extra": {"kind": "json"}, "note": {"kind": "text"},
                "tags": {"kind": "text", "array_dims": 1},
                "weight": {"kind": "double"},
                "qty": {"kind": "smallint"}, "blob": {"kind": "bytea"},
                "wait": {"kind": "interval"}}
        for name, type_ in want.items():
            self.assertEqual(column(t, name)["type"], type_, name)
        self.assertEqual(column(t, "data")["default_value"],
                         {"kind": "literal", "text": "{}"})
        self.assertEqual(column(t, "qty")["default_value"],
                         {"kind": "expr", "text": "1"})
        self.assertEqual(t["constraints"][0], {
            "kind": "foreign_key", "name": "fk_orders_account",
            "columns": ["account_id"], "references": "account",
            "ref_columns": ["id"], "on_delete": "cascade"})
        idx = {o["index"]["name"]: o["index"]
               for o in ops(r, kind="create_index")}
        self.assertEqual(idx["ix_orders_placed"]["columns"], ["placed"])
        self.assertEqual(idx["ix_orders_open"], {
            "name": "ix_orders_open", "table": "orders",
            "columns": ["account_id", "placed"], "unique": True,
            "where": "note IS NULL"})
        self.assertEqual(idx["ix_orders_note_lower"]["expression"],
                         "lower(note)")
        self.assertNotIn("columns", idx["ix_orders_note_lower"])
        self.assertEqual(idx["ix_orders_data"]["method"], "gin")
        self.assertEqual(one(r, "drop_index", "downgrade",
                             index="ix_orders_placed")["line"], 53)

    def test_alter_and_constraints(self):
        r = self.revs["c10000000003"]
        self.assertEqual([o["op"] for o in r["upgrade"]], [
            "add_column", "alter_column_type", "set_not_null",
            "add_constraint", "add_constraint", "execute", "execute"])
        self.assertEqual(r["upgrade"][-1], {
            "op": "execute", "line": 29,
            "sql": "UPDATE account SET note = 'imported' WHERE note IS NULL"})
        self.assertEqual(one(r, "alter_column_type")["type"],
                         {"kind": "varchar", "p": 100})
        self.assertEqual(r["upgrade"][4]["constraint"],
                         {"kind": "check", "name": "ck_account_phone",
                          "check": "phone ~ '^[0-9+ ]*$'"})
        self.assertEqual(r["upgrade"][5]["sql"],
                         "UPDATE account SET phone = '' WHERE phone IS NULL")
        self.assertEqual(one(r, "drop_not_null", "downgrade"),
                         {"op": "drop_not_null", "line": 36,
                          "table": "account", "column": "email"})

    def test_bulk_insert_rename_comment(self):
        r = self.revs["c10000000004"]
        rows = ops(r, kind="execute_params")
        self.assertEqual(len(rows), 3)
        self.assertEqual(rows[1]["sql"],
                         'INSERT INTO "tag" ("label") VALUES ($1)')
        self.assertEqual(rows[1]["params"],
                         [{"kind": "literal", "text": "it's blue"}])
        self.assertEqual(one(r, "rename_table")["new_name"], "label")
        self.assertEqual(one(r, "comment_table")["comment"],
                         "labels of orders")
        self.assertEqual(rows[2]["sql"], "UPDATE label SET label = "
                         "upper(label) WHERE label = $1")
        self.assertEqual(rows[2]["params"],
                         [{"kind": "literal", "text": "red"}])
        setting = one(r, "create_table", table="setting")
        self.assertEqual(column(setting, "value")["default_value"],
                         {"kind": "literal", "text": "it's"})

    def test_merge_ops(self):
        r = self.revs["c10000000005"]
        self.assertEqual(one(r, "add_constraint",
                             table="setting")["constraint"],
                         {"kind": "primary_key", "name": "setting_pkey",
                          "columns": ["key"]})
        fk = one(r, "add_constraint", table="orders")["constraint"]
        self.assertEqual(fk["on_delete"], "set_null")
        self.assertEqual(fk["references"], "label")
        # Alembic's order: comment, then the rename
        kinds = [o["op"] for o in r["upgrade"]]
        self.assertLess(kinds.index("comment_column"),
                        kinds.index("rename_column"))
        self.assertEqual(one(r, "set_default")["value"],
                         {"kind": "expr", "text": "2"})
        self.assertEqual(one(r, "drop_default")["column"], "weight")
        self.assertIsNone(one(r, "comment_column", "downgrade")["comment"])

    def test_enum_and_batch(self):
        r = self.revs["c10000000006"]
        self.assertEqual(r["upgrade"][0], {
            "op": "create_enum", "line": 18, "type": "ticket_state",
            "labels": ["open", "closed"]})
        t = r["upgrade"][1]
        self.assertEqual(column(t, "state")["type"],
                         {"kind": "named", "name": "ticket_state"})
        self.assertEqual(column(t, "title")["type"],
                         {"kind": "varchar", "p": 200})
        self.assertEqual(one(r, "add_column")["table"], "ticket")
        self.assertEqual(one(r, "create_index")["index"], {
            "name": "ix_ticket_state", "table": "ticket",
            "columns": ["state"]})
        self.assertEqual(one(r, "drop_not_null")["table"], "ticket")
        self.assertEqual(r["downgrade"][-1], {
            "op": "drop_type", "line": 37, "type": "ticket_state"})

    def test_clean_uses_the_newer_calls(self):
        """The clean history imports clean and speaks the newer API:
        settings, locks, renames, a guard, a block, serial keys, index
        elements and unnamed constraints (c10000000007)."""
        kinds = set()
        revs = history("clean", aligned=True)
        for rev in revs.values():
            for o in rev["upgrade"] + rev["downgrade"]:
                kinds.add(o["op"])
                self.assertNotIn("schema", o)
        self.assertNotIn("placeholder", kinds)
        self.assertEqual({"rename_index", "rename_constraint", "set_local",
                          "lock_table", "autocommit_begin", "autocommit_end",
                          "if", "create_range_type"} - kinds, set())
        text = json.dumps(revs["c10000000007"])
        for word in ('"serial"', '"elements"', '"name": null', '"p": -1',
                     '"inet"', '"tstzrange"', '"tsvector"'):
            self.assertIn(word, text)
        self.assertNotIn("ref_schema", json.dumps(list(revs.values())))


class Full(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.revs = history("full")

    def test_serial_unique_index_schema_fk(self):
        r = self.revs["f10000000001"]
        country = one(r, "create_table", table="country")
        self.assertEqual(country["schema"], "ref")
        self.assertEqual(column(country, "id")["type"],
                         {"kind": "smallserial"})
        self.assertEqual(column(country, "code"), {
            "name": "code", "type": {"kind": "char", "p": 2},
            "not_null": True, "unique": True})
        c = one(r, "create_table", table="customer")
        self.assertEqual(column(c, "id")["type"], {"kind": "serial"})
        self.assertNotIn("unique", column(c, "email"))
        self.assertEqual(column(c, "country_id"), {
            "name": "country_id", "type": {"kind": "smallint"},
            "references": "country", "ref_column": "id",
            "ref_schema": "ref", "on_delete": "set_null"})
        for name, kind in (("search", "tsvector"), ("ip", "inet"),
                           ("net", "cidr"), ("seen", "timestamp")):
            self.assertEqual(column(c, name)["type"], {"kind": kind})
        self.assertEqual(column(c, "slug")["type"],
                         {"kind": "varchar", "p": 0})
        self.assertEqual(c["constraints"], [
            {"kind": "check", "name": None, "check": "length(name) > 0"},
            {"kind": "unique", "name": None, "columns": ["name", "born"]}])
        idx = [o["index"] for o in ops(r, kind="create_index")]
        self.assertEqual(idx, [
            {"name": "ix_customer_email", "table": "customer",
             "columns": ["email"], "unique": True},
            {"name": "ix_customer_name", "table": "customer",
             "columns": ["name"]}])
        kinds = [o["op"] for o in r["upgrade"]]
        self.assertLess(kinds.index("create_enum"), kinds.index(
            "create_table", kinds.index("create_table") + 1) + 1)
        self.assertEqual(one(r, "create_enum")["labels"],
                         ["new", "active", "gone"])
        event = one(r, "create_table", table="event")
        self.assertEqual(column(event, "id")["type"], {"kind": "bigserial"})
        # the first row's keys for every row, as Alembic's executemany
        rows = ops(r, kind="execute_params")
        self.assertEqual([len(o["params"]) for o in rows], [3, 3])
        self.assertEqual(rows[0]["params"][2], {"kind": "null"})
        self.assertEqual(rows[1]["params"][1],
                         {"kind": "literal", "text": "Bob O'Hara"})
        uq = ops(r, kind="add_constraint")
        self.assertEqual(uq[0]["constraint"]["name"], None)
        self.assertEqual(one(r, "drop_type", "downgrade"), {
            "op": "drop_type", "line": 69, "type": "customer_status",
            "flags": ["if_exists"]})

    def test_python_loop_is_a_placeholder(self):
        r = self.revs["f10000000002"]
        p = r["upgrade"][0]
        self.assertEqual(p["op"], "placeholder")
        self.assertEqual(p["line"], 19)
        self.assertEqual(p["reason"], "reads rows (.fetchall()); "
                         "loops in Python (for)")
        self.assertTrue(p["python"].startswith("conn = op.get_bind()\n"))
        self.assertIn("\nfor row in rows:\n    slug = ", p["python"])
        self.assertTrue(p["python"].endswith('"i": row.id})'))
        self.assertEqual(r["upgrade"][1]["op"], "set_not_null")

    def test_sql_forms_batch_helper(self):
        r = self.revs["f10000000003"]
        self.assertEqual(r["upgrade"][0], {
            "op": "set_local", "line": 31, "name": "lock_timeout",
            "value": "5s"})
        self.assertEqual(r["upgrade"][1]["op"], "lock_table")
        self.assertEqual(r["upgrade"][1]["mode"], "share")
        purchase = r["upgrade"][2]
        self.assertEqual(purchase["line"], 18)   # in _orders_table()
        self.assertEqual(column(purchase, "id")["type"], {"kind": "serial"})
        self.assertEqual(column(purchase, "during")["type"],
                         {"kind": "tstzrange"})
        self.assertEqual(one(r, "add_column")["column"]["default_value"],
                         {"kind": "expr", "text": "false"})
        fk = one(r, "add_constraint", table="customer")
        self.assertEqual(fk["constraint"]["ref_schema"], "ref")
        self.assertEqual(one(r, "execute")["line"], 44)
        self.assertEqual(one(r, "rename_index"), {
            "op": "rename_index", "line": 46, "index": "ix_customer_vip",
            "new_name": "ix_customer_is_vip"})
        self.assertEqual(one(r, "rename_constraint")["new_name"],
                         "fk_purchase_customer")
        self.assertEqual(one(r, "add_constraint", table="purchase"), {
            "op": "add_constraint", "line": 49, "table": "purchase",
            "constraint": {"kind": "exclude", "name": "excl_purchase_during",
                           "elements": [{"column": "during", "with": "&&"}],
                           "method": "gist"}})
        self.assertEqual(ops(r, kind="placeholder"), [])
        self.assertEqual(one(r, "add_column", "downgrade")["column"]["type"],
                         {"kind": "cidr"})

    def test_autocommit_guard_opclass(self):
        r = self.revs["f10000000004"]
        self.assertEqual([o["op"] for o in r["upgrade"][:4]], [
            "autocommit_begin", "add_enum_value", "create_index",
            "autocommit_end"])
        self.assertEqual(r["upgrade"][1]["place"],
                         {"where": "after", "label": "active"})
        self.assertTrue(r["upgrade"][2]["index"]["concurrently"])
        idx = r["upgrade"][4]["index"]
        self.assertEqual(idx["elements"], [
            {"column": "email", "opclass": "varchar_pattern_ops"},
            {"expression": "lower(name)"}])
        sql = [o["sql"] for o in ops(r, kind="execute")]
        self.assertIn("UPDATE purchase p", sql[0])
        # `if dialect.name == "postgresql":` holds here: its body, no guard.
        self.assertEqual(sql[1], "COMMENT ON TABLE purchase IS 'guarded'")
        self.assertEqual(ops(r, kind="placeholder"), [])
        self.assertEqual(one(r, "alter_column_type")["using"], "kind::text")
        down = r["downgrade"]
        self.assertEqual([o["op"] for o in down[-3:]], [
            "autocommit_begin", "drop_index", "autocommit_end"])
        self.assertEqual(down[-2]["flags"], ["drop_concurrently"])


class Seed(unittest.TestCase):
    def test_seed_imports_clean(self):
        rev = history("seed")["9a39eb7fd78f"]
        self.assertEqual(rev["create_date"], "2025-06-01 12:00:00+00:00")
        up = rev["upgrade"]
        self.assertNotIn("placeholder", [o["op"] for o in up])
        ctx = up[0]
        self.assertEqual(column(ctx, "id"), {
            "name": "id", "type": {"kind": "uuid"}, "primary_key": True,
            "default_value": {"kind": "expr",
                              "text": "gen_random_uuid()"}})
        self.assertNotIn("unique", column(ctx, "name"))
        self.assertEqual([o["index"]["name"] for o in up
                          if o["op"] == "create_index"], [
            "ix_contexts_name", "ix_conversations_context_id",
            "ix_prompts_name", "ix_prompts_context_id"])
        # the loop over a literal tuple, unrolled
        triggers = [o["sql"] for o in up if o["op"] == "execute"][1:]
        self.assertEqual([t.split()[2] for t in triggers], [
            "contexts_set_updated_at", "conversations_set_updated_at",
            "prompts_set_updated_at"])
        self.assertEqual({o["line"] for o in up[-3:]}, {80})


REVISION = '''\
"""{doc}"""
from alembic import op
import sqlalchemy as sa

revision = {rev!r}
down_revision = {down!r}


def upgrade():
{body}


def downgrade():
    pass
'''


class Edges(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.dir = os.path.join(self.tmp.name, "versions")
        os.mkdir(self.dir)

    def tearDown(self):
        self.tmp.cleanup()

    def write(self, name, text):
        with open(os.path.join(self.dir, name), "w") as f:
            f.write(text)

    def revision(self, name, body, rev="aaa", down=None, doc="a change"):
        self.write(name, REVISION.format(
            doc=doc, rev=rev, down=down,
            body=textwrap.indent(textwrap.dedent(body), "    ")))

    def cli(self, *args):
        return subprocess.run([sys.executable, SCRIPT] + list(args),
                              capture_output=True, text=True)

    def test_cli_prints_json_and_summary(self):
        self.revision("aaa_x.py", 'op.drop_table("t")\nop.execute("X")\n'
                      'op.frobnicate()')
        self.write("__init__.py", "syntax error here (")
        self.write("notes.txt", "not python")
        r = self.cli(self.dir)
        self.assertEqual(r.returncode, 0, r.stderr)
        doc = json.loads(r.stdout)
        self.assertEqual(doc["format"], 1)
        self.assertEqual(doc["source"], self.dir)
        self.assertEqual([o["op"] for o in doc["revisions"][0]["upgrade"]],
                         ["drop_table", "execute", "placeholder"])
        self.assertIn("1 revisions (0 clean, 1 with placeholders); "
                      "3 operations: 1 structured, 1 raw SQL, "
                      "1 placeholders", r.stderr)

    def test_utf8_output_in_the_c_locale(self):
        self.revision("aaa_x.py", 'op.create_table_comment("t", "café")',
                      doc="ajouté")
        r = subprocess.run([sys.executable, SCRIPT, self.dir],
                           capture_output=True,
                           env=dict(os.environ, LC_ALL="C", PYTHONUTF8="0",
                                    PYTHONIOENCODING=""))
        self.assertEqual(r.returncode, 0, r.stderr)
        rev = json.loads(r.stdout.decode("utf-8"))["revisions"][0]
        self.assertEqual(rev["message"], "ajouté")
        self.assertEqual(rev["upgrade"][0]["comment"], "café")

    def test_unknown_op_is_a_placeholder(self):
        self.revision("aaa_x.py", 'op.frobnicate("t", 1)')
        doc = alembic_import.read_versions(self.dir)
        self.assertEqual(doc["revisions"][0]["upgrade"], [{
            "op": "placeholder", "line": 10,
            "reason": "op.frobnicate is not supported",
            "python": 'op.frobnicate("t", 1)'}])

    def test_syntax_error_names_file_and_line(self):
        self.revision("aaa_ok.py", "pass")
        self.write("bbb_bad.py", 'revision = "bbb"\n\ndef upgrade(:\n')
        r = self.cli(self.dir)
        self.assertEqual(r.returncode, 2)
        self.assertEqual(r.stdout, "")
        self.assertIn("alembic_import: versions/bbb_bad.py:3: syntax error",
                      r.stderr)

    def test_not_utf8(self):
        with open(os.path.join(self.dir, "eee.py"), "wb") as f:
            f.write(b'revision = "\xe9"\n')
        r = self.cli(self.dir)
        self.assertEqual(r.returncode, 2)
        self.assertIn("versions/eee.py: cannot read: 'utf-8' codec",
                      r.stderr)

    def test_missing_revision(self):
        self.write("ccc.py", '"""doc"""\ndown_revision = None\n')
        r = self.cli(self.dir)
        self.assertEqual(r.returncode, 2)
        self.assertIn("versions/ccc.py:1: no `revision = \"...\"` "
                      "assignment", r.stderr)

    def test_revision_not_a_string(self):
        self.write("ddd.py", 'revision = 12\n')
        r = self.cli(self.dir)
        self.assertEqual(r.returncode, 2)
        self.assertIn("versions/ddd.py:1: revision is not a string",
                      r.stderr)

    def test_bad_down_revision(self):
        self.revision("aaa_x.py", "pass", down=7)
        r = self.cli(self.dir)
        self.assertEqual(r.returncode, 2)
        self.assertIn("aaa_x.py:6: down_revision is neither", r.stderr)

    def test_duplicate_revision(self):
        self.revision("aaa_x.py", "pass")
        self.revision("aaa_y.py", "pass")
        r = self.cli(self.dir)
        self.assertEqual(r.returncode, 2)
        self.assertIn("aaa_y.py: revision aaa is also in versions/aaa_x.py",
                      r.stderr)

    def test_not_a_directory_and_usage(self):
        r = self.cli(os.path.join(self.dir, "nope"))
        self.assertEqual(r.returncode, 2)
        self.assertIn("nope: not a directory", r.stderr)
        r = self.cli()
        self.assertEqual(r.returncode, 2)
        self.assertIn("usage:", r.stderr)

    def test_no_docstring_message_from_slug(self):
        self.write("abc1_add_the_thing.py",
                   'revision = "abc1"\ndown_revision = ("x", "y")\n'
                   'def upgrade():\n    pass\n')
        rev = alembic_import.read_versions(self.dir)["revisions"][0]
        self.assertEqual(rev["message"], "add the thing")
        self.assertIsNone(rev["create_date"])
        self.assertEqual(rev["down_revision"], ["x", "y"])
        self.assertEqual(rev["downgrade"], [])

    def test_unknown_type_warns(self):
        self.revision("aaa_x.py", 'op.add_column("t", sa.Column("c", '
                      'Geometry("POINT")))')
        warnings = []
        doc = alembic_import.read_versions(self.dir, warnings)
        col = doc["revisions"][0]["upgrade"][0]["column"]
        self.assertEqual(col["type"], {"kind": "named", "name": "geometry"})
        self.assertEqual(warnings, ["versions/aaa_x.py:10: type Geometry "
                                    "is not known: written as a named "
                                    "type"])

    def test_untranslatable_arguments_are_placeholders(self):
        self.revision("aaa_x.py", '''\
            op.execute(sa.table("t").delete())
            op.create_table("t", sa.Column("id", sa.Integer, sa.Sequence("s")))
            op.create_check_constraint("c", "t", sa.column("x") > 5)
            op.add_column(name, sa.Column("c", sa.Text))
            op.add_column("t", sa.Column("c", sa.Text))
            ''')
        up = alembic_import.read_versions(self.dir)["revisions"][0]["upgrade"]
        self.assertEqual([o["op"] for o in up], ["placeholder", "add_column"])
        self.assertEqual(up[0]["reason"],
                         "op.execute of a SQLAlchemy expression, not SQL "
                         "text; a column with sa.Sequence; a check condition "
                         "written as a SQLAlchemy expression; name is not a "
                         "literal value")
        self.assertEqual(up[0]["python"].count("\n"), 3)

    def test_constants_fstrings_and_variants(self):
        self.revision("aaa_x.py", '''\
            T = "thing"
            op.execute(f"DROP TABLE {T}" + " CASCADE")
            op.add_column(T, sa.Column("j", sa.JSON().with_variant(
                postgresql.JSONB(), "postgresql"), index=True))
            op.add_column(T, sa.Column("k", sa.Integer, primary_key=True))
            op.add_column(T, sa.Column("e", sa.Enum("a", "bb",
                                                    native_enum=False)))
            op.alter_column(T, "j", server_default=sa.text("'{}'"),
                            comment="c", nullable=True)
            op.add_column(T, sa.Column("n", sa.String(9, collation="C")))
            op.alter_column(T, "n", type_=sa.Text(collation="de_DE"))
            ''')
        up = alembic_import.read_versions(self.dir)["revisions"][0]["upgrade"]
        self.assertEqual(up[0], {"op": "execute", "line": 11,
                                 "sql": "DROP TABLE thing CASCADE"})
        self.assertEqual(up[1]["table"], "thing")
        self.assertEqual(up[1]["column"]["type"], {"kind": "jsonb"})
        self.assertEqual(up[2]["index"]["name"], "ix_thing_j")
        self.assertEqual(up[3]["column"]["type"], {"kind": "serial"})
        self.assertEqual(up[4]["column"]["type"], {"kind": "varchar",
                                                   "p": 2})
        self.assertEqual([o["op"] for o in up[5:8]], [
            "drop_not_null", "set_default", "comment_column"])
        self.assertEqual(up[8]["column"]["collation"], "C")
        self.assertEqual(up[9]["collation"], "de_DE")

    def test_autogenerate_style(self):
        self.revision("aaa_x.py", '''\
            op.create_table("node",
                sa.Column("id", sa.Integer(), autoincrement=True,
                          nullable=False),
                sa.Column("parent_id", sa.Integer(),
                          sa.ForeignKey("node.id", name="fk_parent")),
                sa.Column("doc", postgresql.JSONB(astext_type=sa.Text())),
                sa.PrimaryKeyConstraint("id"))
            op.create_table("part", sa.Column("id", sa.Integer),
                            postgresql_partition_by="RANGE (id)")
            op.create_table("odd", sa.Column("id", sa.Integer),
                            postgresql_partition_by="BY id")
            op.create_index("ix_doc", "node", ["doc"],
                            postgresql_with={"fillfactor": 50})
            ''')
        warnings = []
        doc = alembic_import.read_versions(self.dir, warnings)
        up = doc["revisions"][0]["upgrade"]
        self.assertEqual(column(up[0], "id"), {
            "name": "id", "type": {"kind": "serial"}, "not_null": True})
        self.assertEqual(column(up[0], "doc")["type"], {"kind": "jsonb"})
        self.assertNotIn("references", column(up[0], "parent_id"))
        self.assertEqual(up[1]["constraint"], {
            "kind": "foreign_key", "name": "fk_parent",
            "columns": ["parent_id"], "references": "node",
            "ref_columns": ["id"]})
        self.assertEqual((up[2]["op"], up[2]["strategy"], up[2]["key"]),
                         ("create_table", "range", [{"column": "id"}]))
        self.assertEqual(up[3]["reason"],
                         "create_table option postgresql_partition_by")
        self.assertEqual(up[4]["op"], "create_index")
        self.assertEqual(warnings, ["versions/aaa_x.py:21: create_index "
                                    "option postgresql_with ignored"])

    def test_alembic_op_imported_by_name(self):
        self.write("b1_x.py", textwrap.dedent('''\
            """

            add things
            """
            from alembic.op import add_column, get_bind
            from sqlalchemy import Column, BigInteger, Identity

            revision: str = "b1"
            down_revision: str | None = None


            def upgrade():
                add_column("t", Column("c", BigInteger(),
                                       Identity(cycle=False, cache=10)))
                get_bind()
            '''))
        rev = alembic_import.read_versions(self.dir)["revisions"][0]
        self.assertEqual(rev["message"], "add things")
        up = rev["upgrade"]
        self.assertEqual(up[0]["column"], {
            "name": "c", "type": {"kind": "bigint"},
            "identity": "by_default",
            "identity_options": {"cache": 10, "cycle": "no_cycle"}})
        self.assertEqual(up[1]["op"], "placeholder")
        self.assertEqual(up[1]["reason"], "op.get_bind is not supported")

    def test_calls_shaped_wrong_are_placeholders(self):
        self.revision("aaa_x.py", '''\
            op.add_column("t")
            pass
            op.create_table("t")
            pass
            op.create_index("i", "t", [])
            pass
            op.drop_constraint(None, "t")
            ''')
        warnings = []
        doc = alembic_import.read_versions(self.dir, warnings)
        up = doc["revisions"][0]["upgrade"]
        self.assertEqual([(o["line"], o["reason"]) for o in up], [
            (10, "a call the importer could not read"),
            (12, "op.create_table without columns"),
            (14, "op.create_index without columns"),
            (16, "op.drop_constraint without its constraint")])
        self.assertEqual(len(warnings), 1)
        self.assertTrue(warnings[0].startswith(
            "versions/aaa_x.py:10: could not read: AttributeError"))

    def test_loops(self):
        self.revision("aaa_x.py", '''\
            for t, c in [("a", "x"), ("b", "y")]:
                op.drop_column(t, c)
            pass
            for t in ("a", "b"):
                op.drop_table(t)
                print(t)
            pass
            for t in names():
                op.drop_table(t)
            ''')
        up = alembic_import.read_versions(self.dir)["revisions"][0]["upgrade"]
        self.assertEqual(up[:2], [
            {"op": "drop_column", "line": 11, "table": "a", "column": "x"},
            {"op": "drop_column", "line": 11, "table": "b", "column": "y"}])
        self.assertEqual([(o["op"], o["line"], o["reason"]) for o in up[2:]],
                         [("placeholder", 13, "loops in Python (for)"),
                          ("placeholder", 17, "loops in Python (for)")])
        self.assertEqual(up[2]["python"], "for t in (\"a\", \"b\"):\n"
                         "    op.drop_table(t)\n    print(t)")

    def test_connection_execute_with_parameters(self):
        self.revision("aaa_x.py", '''\
            conn = op.get_bind()
            conn.execute(sa.text("UPDATE t SET a = :v, b = CAST(:w AS int) "
                                 "WHERE a <> :v AND c = '10:30'"),
                         {"v": "it's", "w": 3})
            conn.execute(sa.text("UPDATE t SET a = :nope"), {"v": 1})
            ''')
        up = alembic_import.read_versions(self.dir)["revisions"][0]["upgrade"]
        self.assertEqual(up[0], {
            "op": "execute_params", "line": 11,
            "sql": "UPDATE t SET a = $1, b = CAST($2 AS int) WHERE a <> $1 "
                   "AND c = '10:30'",
            "params": [{"kind": "literal", "text": "it's"},
                       {"kind": "literal", "text": "3"}]})
        self.assertEqual(up[1]["reason"], "bind parameter :nope has no value")
        self.assertEqual(up[1]["python"], "conn = op.get_bind()\n"
                         'conn.execute(sa.text("UPDATE t SET a = :nope"), '
                         '{"v": 1})')

    def test_sql_forms_whole_statements_only(self):
        self.revision("aaa_x.py", '''\
            op.execute("ALTER INDEX a RENAME TO b; DROP TABLE c")
            op.execute("drop type if exists Mood cascade;")
            op.execute("CREATE EXTENSION IF NOT EXISTS citext")
            op.execute("SET LOCAL statement_timeout TO 0")
            op.execute("LOCK account")
            op.execute(sa.text("VACUUM").execution_options(autocommit=True))
            ''')
        up = alembic_import.read_versions(self.dir)["revisions"][0]["upgrade"]
        self.assertEqual(up[0]["op"], "execute")
        self.assertEqual(up[1]["op"], "drop_type")
        self.assertEqual(up[1]["type"], "mood")
        self.assertEqual(up[1]["flags"], ["if_exists", "drop_cascade"])
        self.assertEqual(up[2]["flags"], ["if_not_exists"])
        self.assertEqual(up[3]["value"], "0")
        self.assertEqual(up[4]["mode"], "access_exclusive")
        self.assertEqual(up[5]["sql"], "VACUUM")


class Aligned(unittest.TestCase):
    """align(): what the C API cannot say becomes a placeholder with its
    reason, never a member the C side refuses."""

    # The members of the C structs the decoder reads (import.c's tables).
    C_MEMBERS = {
        "type": {"kind", "p", "s", "array_dims", "name", "schema",
                 "modifiers"},
        "constraint": {"kind", "name", "columns", "references",
                       "ref_columns", "on_delete", "on_update", "check",
                       "deferrable", "not_valid", "nulls_not_distinct",
                       "ref_schema", "elements", "method", "where"},
        "index": {"name", "table", "columns", "expression", "unique",
                  "concurrently", "if_not_exists", "method", "where",
                  "elements", "nulls_not_distinct", "only"},
        "element": {"column", "expression", "collation", "opclass",
                    "descending", "nulls", "with"},
    }

    def check_members(self, op):
        for con in op.get("constraints", []) + (
                [op["constraint"]] if isinstance(op.get("constraint"), dict)
                else []):
            self.assertEqual(set(con) - self.C_MEMBERS["constraint"], set())
            for e in con.get("elements") or []:
                self.assertEqual(set(e) - self.C_MEMBERS["element"], set())
        if "index" in op and isinstance(op["index"], dict):
            self.assertEqual(set(op["index"]) - self.C_MEMBERS["index"],
                             set())
            for e in op["index"].get("elements") or []:
                self.assertEqual(set(e) - self.C_MEMBERS["element"], set())
        for col in op.get("columns") or []:
            if isinstance(col, dict):
                self.assertEqual(set(col["type"]) - self.C_MEMBERS["type"],
                                 set())
        # A schema is a name, never an empty one (the target is none).
        if "schema" in op:
            self.assertTrue(isinstance(op["schema"], str) and op["schema"])

    def test_no_member_the_c_side_lacks(self):
        for name in ("clean", "full", "seed", "schemas"):
            for r in history(name, aligned=True).values():
                for direction in ("upgrade", "downgrade"):
                    for op in r[direction]:
                        self.check_members(op)
                        for inner in op.get("ops", []):
                            self.check_members(inner)

    def test_schema_is_the_operations(self):
        r = history("full", aligned=True)["f10000000001"]
        self.assertEqual(ops(r, kind="placeholder"), [])
        self.assertEqual(r["upgrade"][0], {"op": "create_schema",
                                           "line": 21, "name": "ref"})
        self.assertEqual(one(r, "create_table", table="country")["schema"],
                         "ref")
        customer = one(r, "create_table", table="customer")
        self.assertNotIn("schema", customer)
        self.assertEqual(column(customer, "country_id")["ref_schema"], "ref")
        self.assertEqual(r["downgrade"][-2], {
            "op": "drop_table", "line": 70, "table": "country",
            "schema": "ref"})
        self.assertEqual(r["downgrade"][-1], {"op": "drop_schema",
                                              "line": 71, "name": "ref"})
        r = history("full", aligned=True)["f10000000003"]
        fk = one(r, "add_constraint", table="customer")
        self.assertNotIn("schema", fk)
        self.assertEqual(fk["constraint"]["ref_schema"], "ref")

    def write(self, body):
        d = tempfile.mkdtemp()
        self.addCleanup(lambda: subprocess.run(["rm", "-rf", d]))
        with open(os.path.join(d, "a1_x.py"), "w") as f:
            f.write(textwrap.dedent('''\
                from alembic import op
                import sqlalchemy as sa
                revision = "a1"
                down_revision = None
                def upgrade():
                ''') + textwrap.indent(textwrap.dedent(body), "    ")
                + "\ndef downgrade():\n    pass\n")
        return alembic_import.read_versions(d)["revisions"][0]["upgrade"]

    def test_each_case(self):
        up = self.write('''\
            op.create_index("i1", "t", ["a"], postgresql_include=["b"])
            op.create_foreign_key("f1", "t", "u", ["a"], ["id"],
                                  deferrable=True)
            op.create_foreign_key("f2", "t", "u", ["a"], ["id"],
                                  deferrable=True, initially="DEFERRED")
            op.drop_index("i2", table_name="t", schema="s")
            op.drop_constraint("c", "t", schema="s")
            op.add_column("t", sa.Column("a", sa.Integer()), schema="s")
            sa.Enum("x", "y'z", name="e", schema="s").create(op.get_bind())
            sa.Enum("x", name="e2").create(op.get_bind(), checkfirst=True)
            op.create_unique_constraint("u1", "t", ["a"],
                                        postgresql_nulls_not_distinct=True)
            op.add_column("t", sa.Column("b", sa.TIME(precision=0)))
            op.execute("SET LOCAL lock_timeout TO DEFAULT")
            op.execute("LOCK TABLE t IN ROW EXCLUSIVE MODE NOWAIT")
            ''')
        kinds = [o["op"] for o in up]
        self.assertEqual(kinds, [
            "placeholder", "add_constraint", "drop_index",
            "drop_constraint", "add_column", "create_enum", "if",
            "add_constraint", "add_column", "execute", "lock_table"])
        self.assertIn("INCLUDE columns", up[0]["reason"])
        self.assertIn("INITIALLY IMMEDIATE", up[0]["reason"])
        self.assertEqual(up[1]["constraint"]["deferrable"], True)
        self.assertNotIn("initially", up[1]["constraint"])
        self.assertEqual(up[2], {"op": "drop_index", "line": 11,
                                 "index": "i2", "schema": "s"})
        self.assertEqual(up[3]["schema"], "s")
        self.assertEqual(up[4]["schema"], "s")
        self.assertEqual(up[5], {"op": "create_enum", "line": 14,
                                 "type": "e", "labels": ["x", "y'z"],
                                 "schema": "s"})
        self.assertEqual(up[6]["condition"], "to_regtype('\"e2\"') IS NULL")
        self.assertEqual(up[6]["ops"], [{"op": "create_enum", "line": 15,
                                         "type": "e2", "labels": ["x"]}])
        self.assertTrue(up[7]["constraint"]["nulls_not_distinct"])
        self.assertEqual(up[8]["column"]["type"], {"kind": "time", "p": -1})
        self.assertEqual(up[9]["sql"], "SET LOCAL lock_timeout TO DEFAULT")
        self.assertEqual(up[10], {"op": "lock_table", "line": 20, "table": "t",
                                  "mode": "row_exclusive",
                                  "flags": ["nowait"]})


class ExclusionAndDialect(unittest.TestCase):
    """ExcludeConstraint and op.create_exclude_constraint; an `if` on the
    dialect's name decided here, any other `if` a placeholder."""

    write = Aligned.write

    def test_exclusion_constraints(self):
        up = self.write('''\
            op.create_table(
                "b", sa.Column("r", sa.Integer()),
                sa.dialects.postgresql.ExcludeConstraint(
                    ("r", "="), (sa.text("tsrange(a, z)"), "&&"), name="x1",
                    where="r > 0", ops={"r": "int4_ops"}))
            op.create_exclude_constraint(None, "b", (sa.column("r"), "="),
                                         using="btree", schema="s",
                                         deferrable=True,
                                         initially="deferred")
            op.create_exclude_constraint("x3", "b", ("r", "="),
                                         where=sa.text("r < 9"))
            op.create_exclude_constraint("x4", "b", "r")
            op.create_exclude_constraint("x5", "b", ("r", "="),
                                         where=sa.column("r") > 1)
            with op.batch_alter_table("b") as batch_op:
                batch_op.create_exclude_constraint("x6", ("r", "="))
            ''')
        self.assertEqual([o["op"] for o in up], [
            "create_table", "add_constraint", "add_constraint",
            "placeholder", "add_constraint"])
        self.assertEqual(up[0]["constraints"], [{
            "kind": "exclude", "name": "x1", "method": "gist",
            "where": "r > 0", "elements": [
                {"column": "r", "with": "=", "opclass": "int4_ops"},
                {"expression": "tsrange(a, z)", "with": "&&"}]}])
        self.assertEqual(up[1], {
            "op": "add_constraint", "line": 11, "table": "b", "schema": "s",
            "constraint": {"kind": "exclude", "name": None,
                           "elements": [{"column": "r", "with": "="}],
                           "method": "btree", "deferrable": True}})
        self.assertEqual(up[2]["constraint"]["where"], "r < 9")
        self.assertEqual(up[2]["constraint"]["method"], "gist")
        self.assertEqual(up[3]["reason"], "an exclusion element that is not "
                         "a (key, operator) pair; an exclusion predicate "
                         "written as a SQLAlchemy expression")
        self.assertEqual(up[4]["table"], "b")
        self.assertEqual(up[4]["constraint"]["name"], "x6")

    def test_row_level_security(self):
        up = self.write('''\
            op.execute("ALTER TABLE docs ENABLE ROW LEVEL SECURITY")
            op.execute("alter table only Docs no force row level security;")
            op.execute("CREATE POLICY own ON docs AS RESTRICTIVE FOR UPDATE "
                       "TO app, Writer USING (owner = current_user "
                       "AND (a > ')')) WITH CHECK ((b) < 10);")
            op.execute("CREATE POLICY all_ ON docs TO PUBLIC USING (true)")
            op.execute("DROP POLICY IF EXISTS own ON docs")
            op.execute("CREATE POLICY p ON docs TO current_user USING (true)")
            op.execute("CREATE POLICY p ON docs FOR INSERT USING (true)")
            op.execute("CREATE POLICY p ON docs USING (a > 0")
            op.execute("CREATE POLICY p ON docs WITH CHECK (a) USING (b)")
            ''')
        self.assertEqual([o["op"] for o in up], [
            "set_row_security", "set_row_security", "create_policy",
            "create_policy", "drop_policy", "execute", "execute", "execute",
            "execute"])
        self.assertEqual(up[0], {"op": "set_row_security", "line": 6,
                                 "table": "docs", "how": "enable"})
        self.assertEqual(up[1]["how"], "no_force")
        self.assertEqual(up[2]["policy"], {
            "name": "own", "table": "docs", "command": "update",
            "restrictive": True, "roles": ["app", "writer"],
            "using": "owner = current_user AND (a > ')')",
            "with_check": "(b) < 10"})
        self.assertEqual(up[3]["policy"], {"name": "all_", "table": "docs",
                                           "using": "true"})
        self.assertEqual(up[4], {"op": "drop_policy", "line": 12,
                                 "table": "docs", "policy": "own",
                                 "flags": ["if_exists"]})

    def test_trigger_firing(self):
        up = self.write('''\
            op.execute("ALTER TABLE docs DISABLE TRIGGER Docs_touch")
            op.execute("alter table only docs enable  replica trigger t2;")
            op.execute("ALTER TABLE docs ENABLE ALWAYS TRIGGER all_t")
            op.execute("ALTER TABLE docs ENABLE TRIGGER t2")
            op.execute("ALTER TABLE docs DISABLE TRIGGER ALL")
            op.execute("ALTER TABLE docs ENABLE TRIGGER user")
            ''')
        self.assertEqual([o["op"] for o in up], [
            "set_trigger_firing", "set_trigger_firing", "set_trigger_firing",
            "set_trigger_firing", "execute", "execute"])
        self.assertEqual(up[0], {"op": "set_trigger_firing", "line": 6,
                                 "table": "docs", "trigger": "docs_touch",
                                 "firing": "disable"})
        self.assertEqual([o["firing"] for o in up[1:4]],
                         ["enable_replica", "enable_always", "enable"])
        self.assertEqual(up[2]["trigger"], "all_t")

    def test_comments_on_objects(self):
        up = self.write('''\
            op.execute("COMMENT ON INDEX Ix_a IS 'by a'")
            op.execute("comment on materialized view mv is null;")
            op.execute("COMMENT ON FUNCTION f(integer, text) IS 'it''s f'")
            op.execute("COMMENT ON FUNCTION g IS ''")
            op.execute("COMMENT ON CONSTRAINT c ON T IS 'c'")
            op.execute("COMMENT ON POLICY p ON t IS NULL")
            op.execute("COMMENT ON INDEX ix IS E'a\\\\nb'")
            op.execute("COMMENT ON TABLE t IS 'not this form'")
            ''')
        self.assertEqual([o["op"] for o in up], [
            "comment_on", "comment_on", "comment_on", "comment_on",
            "comment_on", "comment_on", "execute", "execute"])
        self.assertEqual(up[0], {"op": "comment_on", "line": 6, "kind": "index",
                                 "name": "ix_a", "comment": "by a"})
        self.assertEqual(up[1], {"op": "comment_on", "line": 7,
                                 "kind": "materialized_view", "name": "mv"})
        self.assertEqual(up[2]["of"], "integer, text")
        self.assertEqual(up[2]["comment"], "it's f")
        self.assertNotIn("of", up[3])
        self.assertEqual(up[3]["comment"], "")
        self.assertEqual((up[4]["kind"], up[4]["of"]), ("constraint", "t"))
        self.assertNotIn("comment", up[5])

    def test_collations(self):
        up = self.write('''\
            op.execute("CREATE COLLATION NoCase (provider = icu, "
                       "locale = 'und-u-ks-level2', deterministic = false)")
            op.execute("CREATE COLLATION lc (lc_collate = 'C', lc_ctype = C)")
            op.execute("ALTER COLLATION lc RENAME TO Plain")
            op.execute("DROP COLLATION IF EXISTS plain;")
            op.execute("CREATE COLLATION v (locale = 'C', version = '1')")
            op.execute("CREATE COLLATION f FROM \\"C\\"")
            op.execute("DROP COLLATION nocase CASCADE")
            ''')
        self.assertEqual([o["op"] for o in up], [
            "create_collation", "create_collation", "rename_collation",
            "drop_collation", "execute", "execute", "execute"])
        self.assertEqual(up[0]["collation"], {
            "name": "nocase", "provider": "icu", "locale": "und-u-ks-level2",
            "nondeterministic": True})
        self.assertEqual(up[1]["collation"], {"name": "lc", "lc_collate": "C",
                                              "lc_ctype": "C"})
        self.assertEqual(up[2], {"op": "rename_collation", "line": 9,
                                 "collation": "lc", "new_name": "plain"})
        self.assertEqual(up[3]["flags"], ["if_exists"])

    def test_domains(self):
        up = self.write('''\
            op.execute("CREATE DOMAIN Weight AS numeric(5, 2) DEFAULT 1 NOT NULL "
                       "CONSTRAINT positive CHECK (VALUE > 0) CHECK (VALUE < 100)")
            op.execute("create domain code varchar(8) collate \\"C\\" "
                       "default ('x' || 'y') null")
            op.execute("CREATE DOMAIN tags text[]")
            op.execute("ALTER DOMAIN weight ADD CONSTRAINT light CHECK ((VALUE) < 50) "
                       "NOT VALID;")
            op.execute("ALTER DOMAIN weight SET DEFAULT now()")
            op.execute("ALTER DOMAIN weight DROP CONSTRAINT IF EXISTS light")
            op.execute("ALTER DOMAIN weight RENAME CONSTRAINT Positive TO above")
            op.execute("ALTER DOMAIN weight RENAME TO mass")
            op.execute("DROP DOMAIN IF EXISTS mass CASCADE")
            op.execute("COMMENT ON DOMAIN code IS 'a code'")
            op.execute("CREATE DOMAIN t AS time(3)")
            op.execute("CREATE DOMAIN d AS int DEFAULT")
            op.execute("ALTER DOMAIN code OWNER TO someone")
            op.execute("CREATE DOMAIN flag AS bit")
            op.execute("CREATE DOMAIN f AS float DEFAULT fn_check(1) CHECK (VALUE > 0)")
            op.execute("ALTER DOMAIN code DROP CONSTRAINT c CASCADE")
            ''')
        self.assertEqual([o["op"] for o in up], [
            "create_domain", "create_domain", "create_domain", "alter_domain",
            "alter_domain", "alter_domain", "alter_domain", "alter_domain",
            "drop_domain", "comment_on", "execute", "execute", "execute",
            "execute", "create_domain", "execute"])
        self.assertEqual(up[0]["domain"], {
            "name": "weight", "type": {"kind": "numeric", "p": 5, "s": 2},
            "default_value": {"kind": "expr", "text": "1"}, "not_null": True,
            "constraints": [
                {"kind": "check", "check": "VALUE > 0", "name": "positive"},
                {"kind": "check", "check": "VALUE < 100"}]})
        self.assertEqual(up[1]["domain"], {
            "name": "code", "type": {"kind": "varchar", "p": 8},
            "collation": "C",
            "default_value": {"kind": "expr", "text": "('x' || 'y')"}})
        self.assertEqual(up[2]["domain"]["type"],
                         {"kind": "text", "array_dims": 1})
        self.assertEqual(up[3]["constraint"], {
            "kind": "check", "check": "(VALUE) < 50", "name": "light",
            "not_valid": True})
        self.assertEqual(up[4]["value"], {"kind": "expr", "text": "now()"})
        self.assertEqual((up[5]["action"], up[5]["flags"]),
                         ("drop_constraint", ["if_exists"]))
        self.assertEqual((up[6]["constraint"]["name"], up[6]["new_name"]),
                         ("positive", "above"))
        self.assertEqual((up[7]["action"], up[7]["new_name"]),
                         ("rename", "mass"))
        self.assertEqual(up[8]["flags"], ["if_exists", "drop_cascade"])
        self.assertEqual((up[9]["kind"], up[9]["comment"]), ("domain", "a code"))
        # float is double precision; a default's name holding a keyword is one name.
        self.assertEqual(up[14]["domain"], {
            "name": "f", "type": {"kind": "double"},
            "default_value": {"kind": "expr", "text": "fn_check(1)"},
            "constraints": [{"kind": "check", "check": "VALUE > 0"}]})

    def test_range_types(self):
        up = self.write('''\
            op.execute("CREATE TYPE FloatRange AS RANGE (subtype = float8, "
                       "subtype_diff = float8mi)")
            op.execute("CREATE TYPE span AS RANGE (SUBTYPE = text, SUBTYPE_OPCLASS = "
                       "text_pattern_ops, COLLATION = \\"C\\", SUBTYPE_DIFF = util.gap, "
                       "MULTIRANGE_TYPE_NAME = Spans);")
            op.execute("CREATE TYPE m AS RANGE (SUBTYPE = mood)")
            op.execute("CREATE TYPE v AS RANGE (SUBTYPE = varchar(10))")
            op.execute("CREATE TYPE c AS RANGE (SUBTYPE = int4, CANONICAL = f)")
            op.execute("CREATE TYPE n AS RANGE (SUBTYPE_DIFF = f)")
            op.execute("CREATE TYPE q AS RANGE (SUBTYPE = int4, "
                       "MULTIRANGE_TYPE_NAME = other.q_multi)")
            op.execute("CREATE TYPE a AS RANGE (SUBTYPE = int4[])")
            ''')
        self.assertEqual([o["op"] for o in up], [
            "create_range_type", "create_range_type", "create_range_type",
            "execute", "execute", "execute", "execute", "execute"])
        self.assertEqual(up[0]["range"], {
            "name": "floatrange", "subtype": {"kind": "double"},
            "subtype_diff": "float8mi"})
        self.assertEqual(up[1]["range"], {
            "name": "span", "subtype": {"kind": "text"},
            "subtype_opclass": "text_pattern_ops", "collation": "C",
            "subtype_diff": "gap", "subtype_diff_schema": "util",
            "multirange_type_name": "spans"})
        self.assertEqual(up[2]["range"], {
            "name": "m", "subtype": {"kind": "named", "name": "mood"}})

    def test_composite_types(self):
        up = self.write('''\
            op.execute("CREATE TYPE Pair AS (a integer, b varchar(5)[] COLLATE \\"C\\", "
                       "c numeric(6, 2))")
            op.execute("ALTER TYPE pair ADD ATTRIBUTE d text COLLATE posix;")
            op.execute("ALTER TYPE pair DROP ATTRIBUTE IF EXISTS d")
            op.execute("ALTER TYPE pair ALTER ATTRIBUTE a SET DATA TYPE bigint")
            op.execute("ALTER TYPE pair RENAME ATTRIBUTE b TO bs")
            op.execute("CREATE TYPE mood AS ENUM ('sad', 'ok')")
            op.execute("CREATE TYPE t AS (a time(3))")
            op.execute("ALTER TYPE pair DROP ATTRIBUTE c CASCADE")
            op.execute("ALTER TYPE pair ADD ATTRIBUTE e int, DROP ATTRIBUTE a")
            ''')
        self.assertEqual([o["op"] for o in up], [
            "create_composite_type", "alter_composite_type",
            "alter_composite_type", "alter_composite_type",
            "alter_composite_type", "execute", "execute", "execute", "execute"])
        self.assertEqual(up[0]["attributes"], [
            {"name": "a", "type": {"kind": "integer"}},
            {"name": "b", "type": {"kind": "varchar", "p": 5, "array_dims": 1},
             "collation": "C"},
            {"name": "c", "type": {"kind": "numeric", "p": 6, "s": 2}}])
        self.assertEqual(up[1]["attribute"], {
            "name": "d", "type": {"kind": "text"}, "collation": "posix"})
        self.assertEqual((up[2]["action"], up[2]["flags"]), ("drop", ["if_exists"]))
        self.assertEqual(up[3]["attribute"], {"name": "a", "type": {"kind": "bigint"}})
        self.assertEqual((up[4]["attribute"], up[4]["new_name"]), ({"name": "b"}, "bs"))

    def test_inheritance(self):
        up = self.write('''\
            op.create_table("dogs", sa.Column("breed", sa.Text()),
                            postgresql_inherits="animals")
            op.create_table("pups", postgresql_inherits=("dogs", "Pets"))
            op.execute("ALTER TABLE ONLY cats INHERIT animals")
            op.execute("alter table Cats no inherit animals;")
            op.execute("ALTER TABLE cats INHERIT a, b")
            ''')
        self.assertEqual([o["op"] for o in up], [
            "create_table", "create_table", "inherit", "no_inherit",
            "execute"])
        self.assertEqual(up[0]["inherits"], ["animals"])
        self.assertEqual((up[1]["inherits"], up[1]["columns"]),
                         (["dogs", "Pets"], []))
        self.assertEqual((up[2]["table"], up[2]["parent"]),
                         ("cats", "animals"))
        self.assertEqual((up[3]["table"], up[3]["parent"]),
                         ("cats", "animals"))
        bad = self.write('''\
            op.create_table("t", postgresql_inherits=7)
            ''')
        self.assertEqual((bad[0]["op"], bad[0]["reason"]),
                         ("placeholder",
                          "create_table option postgresql_inherits"))

    def test_partitions(self):
        up = self.write('''\
            op.execute("CREATE TABLE ev_2026 PARTITION OF Ev FOR VALUES FROM "
                       "('2026-01-01') TO ('2027-01-01') PARTITION BY LIST "
                       "(lower(region) COLLATE \\"C\\", (n + 1), r text_pattern_ops)")
            op.execute("CREATE TABLE ev_old PARTITION OF ev DEFAULT;")
            op.execute("create table ev_h0 partition of ev_h for values with "
                       "(modulus 2, remainder 0)")
            op.execute("ALTER TABLE ev ATTACH PARTITION ev_2025 FOR VALUES IN "
                       "('a, b)', 'c')")
            op.execute("ALTER TABLE ONLY ev DETACH PARTITION ev_old")
            op.execute("ALTER TABLE ev DETACH PARTITION ev_x CONCURRENTLY")
            op.execute("CREATE TABLE p PARTITION OF ev (CHECK (n > 0)) DEFAULT")
            op.execute("ALTER TABLE ev ATTACH PARTITION x FOR VALUES FROM (1)")
            op.execute("CREATE TABLE q PARTITION OF ev DEFAULT PARTITION BY "
                       "RANGE (a b c)")
            op.execute("CREATE INDEX ev_at ON ONLY ev (at, Kind)")
            op.execute("ALTER INDEX ev_at ATTACH PARTITION ev_old_at")
            ''')
        self.assertEqual([o["op"] for o in up], [
            "create_partition", "create_partition", "create_partition",
            "attach_partition", "detach_partition", "execute", "execute",
            "execute", "execute", "create_index", "attach_index"])
        self.assertEqual(up[9]["index"], {"name": "ev_at", "table": "ev",
                                          "columns": ["at", "kind"],
                                          "only": True})
        self.assertEqual((up[10]["index"], up[10]["partition_index"]),
                         ("ev_at", "ev_old_at"))
        self.assertEqual(dict(up[0], line=None), {
            "op": "create_partition", "line": None, "table": "ev_2026",
            "parent": "ev",
            "bound": "FOR VALUES FROM ('2026-01-01') TO ('2027-01-01')",
            "strategy": "list", "key": [
                {"expression": "lower(region)", "collation": "C"},
                {"expression": "n + 1"},
                {"column": "r", "opclass": "text_pattern_ops"}]})
        self.assertEqual(up[1]["bound"], "DEFAULT")
        self.assertEqual(up[2]["bound"],
                         "for values with (modulus 2, remainder 0)")
        self.assertEqual((up[3]["table"], up[3]["partition"], up[3]["bound"]),
                         ("ev", "ev_2025", "FOR VALUES IN ('a, b)', 'c')"))
        self.assertEqual((up[4]["table"], up[4]["partition"]),
                         ("ev", "ev_old"))

    def test_privileges(self):
        up = self.write("""\
            op.execute("GRANT SELECT, INSERT ON TABLE Items TO reader, "
                       "\\"Writer\\" WITH GRANT OPTION;")
            op.execute("grant all privileges on \\"My Items\\" to public")
            op.execute("GRANT USAGE, SELECT ON SEQUENCE items_id_seq TO r")
            op.execute("GRANT EXECUTE ON FUNCTION f(integer, text) TO r")
            op.execute("GRANT EXECUTE ON FUNCTION g() TO r")
            op.execute("GRANT EXECUTE ON FUNCTION h TO r")
            op.execute("GRANT USAGE ON TYPE mood TO r")
            op.execute("GRANT USAGE ON DOMAIN email TO \\"public\\"")
            op.execute("GRANT SELECT (a, \\"B\\"), UPDATE (a, \\"B\\") ON t "
                       "TO r")
            op.execute("GRANT ALL (a) ON TABLE t TO r")
            op.execute("REVOKE GRANT OPTION FOR SELECT ON t FROM r RESTRICT")
            op.execute("REVOKE ALL ON FUNCTION f(int) FROM PUBLIC")
            op.execute("ALTER DEFAULT PRIVILEGES GRANT SELECT ON TABLES "
                       "TO r")
            op.execute("ALTER DEFAULT PRIVILEGES FOR ROLE Admin IN SCHEMA "
                       "App GRANT USAGE ON SEQUENCES TO r WITH GRANT OPTION")
            op.execute("ALTER DEFAULT PRIVILEGES IN SCHEMA \\"App\\" REVOKE "
                       "GRANT OPTION FOR EXECUTE ON FUNCTIONS FROM PUBLIC")
            op.execute("alter default privileges revoke usage on types "
                       "from public restrict")
            """)
        self.assertEqual([dict(o, line=None) for o in up], [dict(
            o, line=None) for o in [
            {"op": "grant", "grant": {
                "on": "table", "name": "items",
                "privileges": ["select", "insert"],
                "roles": ["reader", "Writer"], "grant_option": True}},
            {"op": "grant", "grant": {
                "on": "table", "name": "My Items", "privileges": ["all"],
                "roles": ["public"]}},
            {"op": "grant", "grant": {
                "on": "sequence", "name": "items_id_seq",
                "privileges": ["usage", "select"], "roles": ["r"]}},
            {"op": "grant", "grant": {
                "on": "function", "name": "f", "arguments": "integer, text",
                "privileges": ["execute"], "roles": ["r"]}},
            {"op": "grant", "grant": {
                "on": "function", "name": "g", "arguments": "",
                "privileges": ["execute"], "roles": ["r"]}},
            {"op": "grant", "grant": {
                "on": "function", "name": "h", "privileges": ["execute"],
                "roles": ["r"]}},
            {"op": "grant", "grant": {
                "on": "type", "name": "mood", "privileges": ["usage"],
                "roles": ["r"]}},
            {"op": "grant", "grant": {
                "on": "type", "name": "email", "privileges": ["usage"],
                "roles": ["public"]}},
            {"op": "grant", "grant": {
                "on": "table", "name": "t", "columns": ["a", "B"],
                "privileges": ["select", "update"], "roles": ["r"]}},
            {"op": "grant", "grant": {
                "on": "table", "name": "t", "columns": ["a"],
                "privileges": ["all"], "roles": ["r"]}},
            {"op": "revoke", "grant": {
                "on": "table", "name": "t", "privileges": ["select"],
                "roles": ["r"], "grant_option": True}},
            {"op": "revoke", "grant": {
                "on": "function", "name": "f", "arguments": "int",
                "privileges": ["all"], "roles": ["public"]}},
            {"op": "grant_default", "defaults": {
                "on": "table", "privileges": ["select"], "roles": ["r"]}},
            {"op": "grant_default", "schema": "app", "defaults": {
                "on": "sequence", "privileges": ["usage"], "roles": ["r"],
                "grant_option": True, "in_schema": True,
                "for_role": "admin"}},
            {"op": "revoke_default", "schema": "App", "defaults": {
                "on": "function", "privileges": ["execute"],
                "roles": ["public"], "grant_option": True,
                "in_schema": True}},
            {"op": "revoke_default", "defaults": {
                "on": "type", "privileges": ["usage"],
                "roles": ["public"]}}]])
        self.assertEqual([o["line"] for o in up[:3]], [6, 8, 9])

    def test_privileges_that_stay_sql(self):
        raw = [
            "GRANT SELECT ON t1, t2 TO r",
            "GRANT SELECT ON s.t TO r",
            'GRANT SELECT ON "s"."t" TO r',
            "GRANT USAGE ON SCHEMA s TO r",
            "GRANT CONNECT ON DATABASE d TO r",
            "GRANT SELECT ON ALL TABLES IN SCHEMA s TO r",
            "GRANT EXECUTE ON PROCEDURE p() TO r",
            "GRANT EXECUTE ON ROUTINE p() TO r",
            "GRANT USAGE ON LANGUAGE plpgsql TO r",
            "GRANT EXECUTE ON FUNCTION f(int), g(int) TO r",
            "GRANT EXECUTE ON FUNCTION f(numeric(10, 2)) TO r",
            "GRANT admin TO bob",
            "GRANT SELECT ON t TO r GRANTED BY x",
            "REVOKE SELECT ON t FROM r CASCADE",
            "REVOKE SELECT ON t FROM r WITH GRANT OPTION",
            "GRANT GRANT OPTION FOR SELECT ON t TO r",
            "GRANT SELECT ON t TO CURRENT_USER",
            "GRANT SELECT ON t TO r, session_user",
            "REVOKE SELECT ON t FROM current_role",
            'GRANT SELECT ON t TO "Current_User"',
            'GRANT SELECT ON t TO "PUBLIC"',
            "GRANT SELECT ON t TO GROUP g",
            "GRANT SELECT ON t TO none",
            "GRANT SELECT (a), UPDATE (b) ON t TO r",
            "GRANT SELECT (a), UPDATE ON t TO r",
            "GRANT SELECT () ON t TO r",
            "GRANT SELECT (a) ON SEQUENCE s TO r",
            "GRANT DELETE (a) ON t TO r",
            "GRANT EXECUTE ON t TO r",
            "GRANT ALL, SELECT ON t TO r",
            "GRANT MAINTAIN ON t TO r",
            "GRANT SELECT ON TABLE t (a) TO r",
            "ALTER DEFAULT PRIVILEGES IN SCHEMA a, b GRANT SELECT ON TABLES "
            "TO r",
            "ALTER DEFAULT PRIVILEGES FOR ROLE a, b GRANT SELECT ON TABLES "
            "TO r",
            "ALTER DEFAULT PRIVILEGES FOR ROLE CURRENT_USER GRANT SELECT ON "
            "TABLES TO r",
            "ALTER DEFAULT PRIVILEGES IN SCHEMA a IN SCHEMA b GRANT SELECT "
            "ON TABLES TO r",
            "ALTER DEFAULT PRIVILEGES GRANT USAGE ON SCHEMAS TO r",
            "ALTER DEFAULT PRIVILEGES GRANT EXECUTE ON ROUTINES TO r",
            "ALTER DEFAULT PRIVILEGES REVOKE SELECT ON TABLES FROM r CASCADE",
            "ALTER DEFAULT PRIVILEGES GRANT SELECT ON TABLES FROM r",
            "ALTER DEFAULT PRIVILEGES GRANT SELECT (a) ON TABLES TO r",
            "ALTER DEFAULT PRIVILEGES GRANT EXECUTE ON TABLES TO r",
            "ALTER DEFAULT PRIVILEGES GRANT SELECT ON TABLES TO session_user",
        ]
        up = self.write("".join("op.execute(%r)\n" % sql for sql in raw))
        self.assertEqual([(o["op"], o["sql"]) for o in up],
                         [("execute", sql) for sql in raw])

    def test_not_valid_and_validate(self):
        up = self.write('''\
            op.create_foreign_key("f", "t", "u", ["a"], ["id"],
                                  postgresql_not_valid=True)
            op.create_check_constraint("c", "t", "a > 0",
                                       postgresql_not_valid=True)
            op.execute("ALTER TABLE ONLY t VALIDATE CONSTRAINT c;")
            op.execute("alter table T validate constraint F")
            op.create_unique_constraint("u", "t", ["a"],
                                        postgresql_not_valid=True)
            ''')
        self.assertEqual([o["op"] for o in up], [
            "add_constraint", "add_constraint", "validate_constraint",
            "validate_constraint", "placeholder"])
        self.assertTrue(up[0]["constraint"]["not_valid"])
        self.assertTrue(up[1]["constraint"]["not_valid"])
        self.assertEqual(up[2], {"op": "validate_constraint", "line": 10,
                                 "table": "t", "constraint": "c"})
        self.assertEqual(up[3]["constraint"], "f")
        self.assertEqual(up[4]["reason"], "NOT VALID on a constraint that is "
                         "not a foreign key or a check")

    def test_inspector_guards(self):
        up = self.write('''\
            insp = sa.inspect(op.get_bind())
            if not insp.has_table("t", schema="s"):
                op.create_table("t", sa.Column("a", sa.Integer()), schema="s")
            if sa.inspect(op.get_bind()).has_index("t", "ix"):
                op.drop_index("ix", table_name="t")
            else:
                op.execute("A")
            if "t" in insp.get_table_names() and "u" not in {
                    fk["name"] for fk in insp.get_foreign_keys("t")}:
                op.execute("B")
            if "v" in insp.get_view_names() or insp.has_sequence("q"):
                op.execute("C")
            op.execute("D")
            if not insp.has_table("t"):
                rows = op.get_bind().execute(sa.text("SELECT 1")).fetchall()
            op.execute("E")
            if insp.get_columns("t")[0]["name"] == "a":
                op.execute("F")
            op.execute("G")
            if insp.has_table("t"):
                if insp.has_table("u"):
                    op.execute("H")
            ''')
        self.assertEqual([o["op"] for o in up], [
            "if", "if", "if", "if", "if", "execute", "placeholder", "execute",
            "placeholder", "execute", "placeholder"])
        t_in_s = ("EXISTS (SELECT 1 FROM pg_catalog.pg_class c JOIN "
                  "pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE "
                  "n.nspname = 's' AND c.relname = 't' AND c.relkind IN "
                  "('r', 'p', 'f', 'v', 'm'))")
        self.assertEqual(up[0]["condition"], "NOT (%s)" % t_in_s)
        self.assertEqual(up[0]["ops"][0]["schema"], "s")
        self.assertIn("x.relname = 'ix' AND NOT i.indisprimary",
                      up[1]["condition"])
        self.assertEqual(up[1]["ops"][0]["op"], "drop_index")
        self.assertEqual(up[2]["condition"], "NOT (%s)" % up[1]["condition"])
        self.assertEqual(up[2]["ops"][0]["sql"], "A")
        self.assertIn("c.relkind IN ('r', 'p'))) AND (NOT EXISTS",
                      up[3]["condition"])
        self.assertIn("k.conname = 'u' AND k.contype = 'f'",
                      up[3]["condition"])
        self.assertIn("c.relkind IN ('v'))) OR (EXISTS", up[4]["condition"])
        self.assertIn("c.relname = 'q' AND c.relkind IN ('S')",
                      up[4]["condition"])
        # The binding a placeholder's Python uses is quoted with it.
        self.assertTrue(up[6]["python"].startswith(
            "insp = sa.inspect(op.get_bind())\nif not insp.has_table"),
            up[6]["python"])
        self.assertEqual(up[6]["reason"], "reads rows (.fetchall())")
        self.assertEqual(up[8]["reason"], "branches on a Python value (if)")
        self.assertEqual(up[10]["reason"], "a guard inside a guard (pcsm_if "
                         "does not nest)")

    def test_unique_sql_forms(self):
        up = self.write('''\
            op.execute("ALTER TABLE T ADD CONSTRAINT U "
                       "UNIQUE NULLS NOT DISTINCT (A, b)")
            op.execute("CREATE UNIQUE INDEX ux ON t ( a ) NULLS NOT DISTINCT;")
            op.execute("CREATE UNIQUE INDEX ux2 ON t (a)")
            op.execute("CREATE UNIQUE INDEX ux3 ON t (lower(a))")
            op.execute('ALTER TABLE t ADD CONSTRAINT "U" UNIQUE (a)')
            ''')
        self.assertEqual(up[0]["constraint"], {
            "kind": "unique", "name": "u", "columns": ["a", "b"],
            "nulls_not_distinct": True})
        self.assertEqual(up[1]["index"], {
            "name": "ux", "table": "t", "columns": ["a"], "unique": True,
            "nulls_not_distinct": True})
        self.assertNotIn("nulls_not_distinct", up[2]["index"])
        # An expression, a quoted name: SQL as written.
        self.assertEqual([o["op"] for o in up[3:]], ["execute", "execute"])

    def test_dialect_branches(self):
        up = self.write('''\
            if op.get_context().dialect.name == "postgresql":
                op.execute("A")
            else:
                op.execute("B")
            bind = op.get_bind()
            if bind.dialect.name != "postgresql":
                op.execute("C")
            elif True:
                op.execute("D")
            if op.get_bind().engine.name in ("sqlite", "mysql"):
                op.execute("E")
            if not (bind.dialect.name == "sqlite" or
                    "postgresql" == bind.dialect.name):
                op.execute("F")
            if bind.dialect.name != "sqlite" and (
                    bind.dialect.name not in {"mysql"}):
                op.execute("H")
            if bind.dialect.name == "postgresql":
                rows = bind.execute(sa.text("SELECT 1")).fetchall()
            op.execute("J")
            if bind.dialect.server_version_info >= (15,):
                op.execute("I")
            ''')
        self.assertEqual([(o["op"], o.get("sql")) for o in up], [
            ("execute", "A"), ("placeholder", None), ("execute", "H"),
            ("placeholder", None), ("execute", "J"), ("placeholder", None)])
        self.assertEqual(up[1]["reason"], "branches on a Python value (if)")
        self.assertEqual(up[1]["line"], 11)     # elif True: not decided
        self.assertEqual(up[3]["reason"], "reads rows (.fetchall())")
        self.assertEqual(up[5]["line"], 26)


class Schemas(unittest.TestCase):
    """Alembic's schema arguments: the operation's "schema", the
    referenced table's "ref_schema", a type's schema; schemas made and
    dropped by CreateSchema/DropSchema or their whole SQL statements."""

    write = Aligned.write

    def test_schema_arguments(self):
        up = self.write('''\
            op.create_table(
                "t", sa.Column("id", sa.Integer(), primary_key=True),
                sa.Column("e", sa.Enum("a", name="e1", schema="x")),
                sa.Column("f", sa.Enum("b", name="e2", inherit_schema=True)),
                sa.Column("g", sa.Enum("c", name="e3")),
                sa.Column("n", sa.Integer(), index=True),
                sa.Column("u", sa.Integer(), sa.ForeignKey("o.u.id")),
                sa.Column("v", sa.Integer(), sa.ForeignKey("v.id")),
                sa.ForeignKeyConstraint(["n"], ["w.p.id"]),
                sa.Index(None, "g"), schema="s")
            op.drop_table("t", schema="s")
            op.rename_table("t", "t2", schema="s")
            op.add_column("t", sa.Column("a", sa.Integer()), schema="s")
            op.drop_column("t", "a", schema="s")
            op.alter_column("t", "a", type_=sa.Text(), nullable=False,
                            new_column_name="b", schema="s")
            op.create_index(None, "t", ["a"], schema="s")
            op.drop_index("i", table_name="t", schema="s")
            op.create_unique_constraint("u", "t", ["a"], schema="s")
            op.create_check_constraint("c", "t", "a > 0", schema="s")
            op.create_primary_key("p", "t", ["a"], schema="s")
            op.drop_constraint("c", "t", schema="s")
            op.create_table_comment("t", "hi", schema="s")
            op.create_foreign_key("f", "t", "r", ["a"], ["id"],
                                  source_schema="s", referent_schema="q")
            op.bulk_insert(sa.table("t", sa.column("a"), schema="s"),
                           [{"a": 1}])
            ''')
        self.assertEqual([o["op"] for o in up], [
            "create_enum", "create_enum", "create_enum", "create_table",
            "create_index", "create_index", "drop_table", "rename_table",
            "add_column", "drop_column", "alter_column_type",
            "set_not_null", "rename_column", "create_index", "drop_index",
            "add_constraint", "add_constraint", "add_constraint",
            "drop_constraint", "comment_table", "add_constraint",
            "execute_params"])
        # Only the enum with inherit_schema=True takes its table's.
        self.assertEqual([o.get("schema") for o in up[:3]],
                         ["x", "s", None])
        t = up[3]
        self.assertEqual(column(t, "e")["type"],
                         {"kind": "named", "name": "e1", "schema": "x"})
        self.assertEqual(column(t, "f")["type"],
                         {"kind": "named", "name": "e2", "schema": "s"})
        self.assertEqual(column(t, "g")["type"],
                         {"kind": "named", "name": "e3"})
        self.assertEqual((column(t, "u")["references"],
                          column(t, "u")["ref_schema"]), ("u", "o"))
        self.assertNotIn("ref_schema", column(t, "v"))
        self.assertEqual(t["constraints"][0]["ref_schema"], "w")
        # Unnamed: SQLAlchemy's ix_%(column_0_label)s, schema_table_col.
        self.assertEqual([o["index"]["name"] for o in up[4:6]],
                         ["ix_s_t_n", "ix_s_t_g"])
        self.assertEqual(up[13]["index"]["name"], "ix_s_t_a")
        for o in up[3:-1]:
            self.assertEqual(o.get("schema"), "s", o)
        self.assertEqual(up[-2]["constraint"]["ref_schema"], "q")
        self.assertEqual(up[-1]["sql"],
                         'INSERT INTO "s"."t" ("a") VALUES ($1)')
        self.assertNotIn("schema", up[-1])

    def test_batch_gives_its_schema(self):
        up = self.write("""\
            with op.batch_alter_table("t", schema="s") as b:
                b.add_column(sa.Column("a", sa.Integer(), index=True))
                b.create_foreign_key("f", "r", ["a"], ["id"])
                b.drop_index("ix")
            """)
        self.assertEqual([(o["op"], o.get("schema")) for o in up], [
            ("add_column", "s"), ("create_index", "s"),
            ("add_constraint", "s"), ("drop_index", "s")])
        self.assertEqual(up[1]["index"]["name"], "ix_s_t_a")
        self.assertNotIn("ref_schema", up[2]["constraint"])

    def test_long_unnamed_index_is_cut_as_sqlalchemy_cuts(self):
        up = self.write("op.create_index(None, %r, [%r], schema='s')"
                        % ("t" * 30, "c" * 30))
        # SQLAlchemy 1.4's own name for it (CREATE INDEX in --sql mode).
        self.assertEqual(up[0]["index"]["name"],
                         "ix_s_" + "t" * 30 + "_" + "c" * 19 + "_aa3c")

    def test_schemas_made_and_dropped(self):
        up = self.write('''\
            op.execute(sa.schema.CreateSchema("a"))
            op.execute(CreateSchema("b", if_not_exists=True))
            op.execute(sa.schema.DropSchema("a", cascade=True,
                                            if_exists=True))
            op.execute("CREATE SCHEMA c")
            op.execute("create schema if not exists D;")
            op.execute("DROP SCHEMA IF EXISTS c CASCADE")
            op.execute("CREATE SCHEMA e AUTHORIZATION u")
            op.execute("CREATE SCHEMA pg_x")
            op.execute("CREATE SCHEMA f; CREATE TABLE f.t (a int)")
            postgresql.ENUM("a", name="m", schema="s").create(
                op.get_bind(), checkfirst=True)
            ''')
        self.assertEqual(up[:6], [
            {"op": "create_schema", "line": 6, "name": "a"},
            {"op": "create_schema", "line": 7, "name": "b",
             "flags": ["if_not_exists"]},
            {"op": "drop_schema", "line": 8, "name": "a",
             "flags": ["if_exists", "drop_cascade"]},
            {"op": "create_schema", "line": 10, "name": "c"},
            {"op": "create_schema", "line": 11, "name": "d",
             "flags": ["if_not_exists"]},
            {"op": "drop_schema", "line": 12, "name": "c",
             "flags": ["if_exists", "drop_cascade"]}])
        # Anything more than the bare statement stays SQL.
        self.assertEqual([o["op"] for o in up[6:9]], ["execute"] * 3)
        self.assertEqual(up[9]["condition"],
                         "to_regtype('\"s\".\"m\"') IS NULL")
        self.assertEqual(up[9]["ops"][0]["schema"], "s")

    def test_sequences(self):
        up = self.write('''\
            op.execute(sa.schema.CreateSequence(sa.Sequence(
                "n", start=5, increment=2, cycle=True, schema="s")))
            op.execute(sa.schema.CreateSequence(sa.Sequence("m")))
            op.execute(sa.schema.DropSequence(sa.Sequence("n", schema="s")))
            op.execute(sa.schema.CreateSequence(sa.Sequence("o", order=True)))
            ''')
        self.assertEqual(up[:3], [
            {"op": "create_sequence", "line": 6, "sequence": "n",
             "options": {"start": 5, "increment": 2, "cycle": "cycle"},
             "schema": "s"},
            {"op": "create_sequence", "line": 8, "sequence": "m"},
            {"op": "drop_sequence", "line": 9, "sequence": "n",
             "schema": "s"}])
        self.assertEqual(up[3]["reason"], "sa.Sequence option order")


class IndexElements(unittest.TestCase):
    """A key's order, written as SQL text or as a SQLAlchemy call, is the
    element's: never "(created_at DESC)", which the server refuses."""

    write = Aligned.write

    def test_orders(self):
        up = self.write('''\
            op.create_index("i1", "t", [sa.text("created_at DESC")])
            op.create_index("i2", "t", ["a", sa.text('"B" DESC NULLS LAST')])
            op.create_index("i3", "t", [sa.text("lower(name) DESC")])
            op.create_index("i4", "t", [sa.column("a").desc(),
                                        sa.nulls_first(sa.column("b"))])
            op.create_index("i5", "t", [sa.desc("a")])
            op.create_index("i6", "t", [sa.text("lower(name)")])
            op.create_index("i7", "t", [sa.text("a"), "b"])
            ''')
        keys = [o.get("elements", o.get("columns", o.get("expression")))
                for o in (u["index"] for u in up)]
        self.assertEqual(keys, [
            [{"column": "created_at", "descending": True}],
            [{"column": "a"},
             {"column": "B", "descending": True, "nulls": "last"}],
            [{"expression": "lower(name)", "descending": True}],
            [{"column": "a", "descending": True},
             {"column": "b", "nulls": "first"}],
            [{"column": "a", "descending": True}],
            "lower(name)",
            ["a", "b"]])


class FixtureCoverage(unittest.TestCase):
    """Issue 20: together the fixtures call each of the thirty most
    frequent Alembic calls at least once."""

    CALLS = {
        "op.create_table", "op.add_column", "op.drop_column",
        "op.drop_table", "op.create_index", "op.drop_index",
        "op.alter_column", "op.create_foreign_key", "op.drop_constraint",
        "op.execute", "op.create_unique_constraint",
        "op.batch_alter_table", "op.rename_table", "op.bulk_insert",
        "op.create_check_constraint", "op.create_primary_key", "op.f",
        "op.get_bind", "op.get_context", "autocommit_block",
        "op.create_table_comment", "op.create_exclude_constraint",
        "sa.Column", "sa.ForeignKey", "sa.PrimaryKeyConstraint",
        "sa.UniqueConstraint", "sa.ForeignKeyConstraint",
        "sa.CheckConstraint", "sa.Index", "sa.Enum", "sa.text",
        "sa.func.now", "sa.Identity", "sa.table", "sa.column",
        "postgresql.ENUM",
    }

    def test_every_frequent_call_is_used(self):
        used = set()
        for name in ("clean", "full"):
            versions = os.path.join(FIXTURES, name, "versions")
            for f in os.listdir(versions):
                with open(os.path.join(versions, f)) as src:
                    tree = ast.parse(src.read())
                for node in ast.walk(tree):
                    if isinstance(node, ast.Call):
                        used.add(alembic_import.dotted(node.func))
                        if isinstance(node.func, ast.Attribute):
                            used.add(node.func.attr)
        self.assertEqual(self.CALLS - used, set())


class Style(unittest.TestCase):
    def test_script_lines_and_no_regex_on_python(self):
        with open(SCRIPT) as f:
            text = f.read()
        long = [i + 1 for i, x in enumerate(text.splitlines())
                if len(x) > 79]
        self.assertEqual(long, [])
        # re.* is called on the docstring and on SQL, never on the source
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.Call) and \
                    isinstance(node.func, ast.Attribute) and \
                    isinstance(node.func.value, ast.Name) and \
                    node.func.value.id == "re":
                names = {n.attr if isinstance(n, ast.Attribute) else n.id
                         for a in node.args for n in ast.walk(a)
                         if isinstance(n, (ast.Name, ast.Attribute))}
                self.assertNotIn("source", names, node.lineno)
                self.assertNotIn("text", names, node.lineno)


if __name__ == "__main__":
    unittest.main(verbosity=2)
