#!/usr/bin/env python3
"""Read an Alembic versions/ directory; print its operations as JSON.

    python3 generator/alembic_import.py VERSIONS_DIR > ops.json

The JSON is the one of docs of the importer (shared with the C printer,
`pcs-migrate import-alembic`): one object per revision, each operation
named after the DDL API's kind and struct fields.  Python is read with
`ast` only, never run and never matched with regular expressions; the
SQL strings of op.execute() are matched (whole statement only) to turn a
few common statements back into structured operations.

Importable: read_versions(path) returns the document as a dict.

Every operation is named after the C API's kind and struct members
(runtime/lib/ops/ops.h, runtime/include/pcsm/ddl.h).  What Alembic can
say and the C API cannot, align() below turns into a placeholder with
the reason: postgresql_include= (INCLUDE), deferrable=True without
initially="DEFERRED" (INITIALLY IMMEDIATE).

Alembic's schema= is the operation's "schema" (pcsm_set_schema() in
the C revision, printed where it changes): on a table, column, index,
constraint, comment, batch, enum, sequence; source_schema= of
create_foreign_key too.  A foreign key's referenced schema
(referent_schema=, ForeignKey("s.t.c")) is "ref_schema", an enum type
of another schema {"kind": "named", "schema": ...}.
CreateSchema/DropSchema and the whole statements "CREATE SCHEMA x",
"DROP SCHEMA x" -> create_schema/drop_schema; CreateSequence/
DropSequence of an sa.Sequence -> create_sequence/drop_sequence.

Alembic's forms that become the newer calls: autocommit_block() ->
autocommit_begin/end; op.execute("SET LOCAL x = v") -> set_local,
"LOCK TABLE t IN m MODE [NOWAIT]" -> lock_table (mode the enumerator's
lower-case suffix, "share_row_exclusive"), "ALTER INDEX a RENAME TO b"
-> rename_index, "ALTER TABLE t RENAME CONSTRAINT a TO b" ->
rename_constraint, "ALTER TABLE t VALIDATE CONSTRAINT c" ->
validate_constraint (postgresql_not_valid=True -> not_valid),
"ALTER TABLE t ADD CONSTRAINT c UNIQUE [NULLS NOT DISTINCT] (a)" and
"CREATE UNIQUE INDEX i ON t (a) [NULLS NOT DISTINCT]" -> add_constraint,
create_index (unquoted names, plain columns); "ALTER TABLE t ENABLE |
DISABLE | FORCE | NO FORCE ROW LEVEL SECURITY" -> set_row_security,
"ALTER TABLE t ENABLE [REPLICA | ALWAYS] | DISABLE TRIGGER tr" ->
set_trigger_firing (ALL and USER stay SQL),
"CREATE POLICY p ON t [AS ..] [FOR ..] [TO roles] [USING (..)] [WITH
CHECK (..)]" -> create_policy, "DROP POLICY [IF EXISTS] p ON t" ->
drop_policy; "CREATE COLLATION c (PROVIDER = .., LOCALE = .., DETERMINISTIC
= ..)", "ALTER COLLATION a RENAME TO b", "DROP COLLATION [IF EXISTS] c" ->
create_collation, rename_collation, drop_collation; "CREATE DOMAIN d [AS]
type [COLLATE c] [DEFAULT ..] [NOT NULL] [[CONSTRAINT c] CHECK (..)]..",
"ALTER DOMAIN d RENAME TO | SET DEFAULT | DROP DEFAULT | SET NOT NULL |
DROP NOT NULL | ADD [CONSTRAINT c] CHECK (..) [NOT VALID] | DROP
CONSTRAINT [IF EXISTS] c | VALIDATE CONSTRAINT c | RENAME CONSTRAINT a TO
b", "DROP DOMAIN [IF EXISTS] d [CASCADE]" -> create_domain, alter_domain,
drop_domain; "CREATE TYPE t AS RANGE (SUBTYPE = .., SUBTYPE_OPCLASS = ..,
COLLATION = .., SUBTYPE_DIFF = .., MULTIRANGE_TYPE_NAME = ..)" ->
create_range_type; "CREATE TYPE t AS (a type [COLLATE c], ..)", "ALTER TYPE t
ADD | DROP [IF EXISTS] | ALTER [SET DATA] TYPE | RENAME ATTRIBUTE .." ->
create_composite_type, alter_composite_type; "COMMENT ON INDEX |
SEQUENCE | VIEW | MATERIALIZED VIEW | TYPE | DOMAIN | FUNCTION f[(args)] |
CONSTRAINT c ON t | TRIGGER g ON t | POLICY p ON t IS '..' | NULL" ->
comment_on; "GRANT privileges ON [TABLE | SEQUENCE | FUNCTION f[(args)] |
TYPE | DOMAIN] x TO roles [WITH GRANT OPTION]", "REVOKE [GRANT OPTION FOR]
.. FROM roles [RESTRICT]" -> grant, revoke (one object of the run's
schema; column privileges when each names the same columns); "ALTER
DEFAULT PRIVILEGES [FOR ROLE r] [IN SCHEMA s] GRANT | REVOKE .. ON TABLES |
SEQUENCES | FUNCTIONS | TYPES .." -> grant_default, revoke_default (IN
SCHEMA s: in_schema, the operation's "schema" s);
Enum(...).create(checkfirst=True) -> a guard ("if")
around create_enum; an integer primary key that SQLAlchemy makes SERIAL
-> the serial kinds; precision=0 on a time type -> p -1
(PCSM_PRECISION_ZERO); postgresql_ops= / text() among columns ->
index elements; postgresql_nulls_not_distinct -> nulls_not_distinct.
An `if` on the dialect's name is decided (PostgreSQL); one on an
inspector's question (has_table, a name in get_table_names() or in the
names of get_columns() ...) becomes a guard ("if") asking the catalog.
"""

import ast
import hashlib
import json
import os
import re
import sys
import textwrap

FORMAT = 1


class ImportFailure(Exception):
    """A revision file that cannot be read at all: exit 2."""


class Untranslatable(Exception):
    """A statement that becomes a placeholder; the text is the reason."""


# ---------------------------------------------------------------- names

def dotted(node):
    """`sa.dialects.postgresql.JSONB` -> that string; else None."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return ".".join(reversed(parts))
    return None


def last(node):
    """The last part of a dotted name, of a call's callee too."""
    if isinstance(node, ast.Call):
        node = node.func
    if isinstance(node, ast.Attribute):
        return node.attr
    name = dotted(node)
    return name.rsplit(".", 1)[-1] if name else None


def qident(name):
    return '"' + name.replace('"', '""') + '"'


def sa_index_name(schema, table, first):
    """The name SQLAlchemy gives an index of name None: its default
    naming convention "ix_%(column_0_label)s", the label of a column of
    a table in a schema being schema_table_column, cut to PostgreSQL's
    63 characters as SQLAlchemy cuts it (an md5 suffix)."""
    parts = ([schema.replace(".", "_")] if schema else []) + [table, first]
    name = "ix_" + "_".join(parts)
    if len(name) > 63:
        digest = hashlib.md5(name.encode("utf-8")).hexdigest()
        name = name[:55] + "_" + digest[-4:]
    return name


# ---------------------------------------------------------------- types

SIMPLE_TYPES = {
    "Integer": "integer", "INTEGER": "integer", "INT": "integer",
    "BigInteger": "bigint", "BIGINT": "bigint",
    "SmallInteger": "smallint", "SMALLINT": "smallint",
    "Text": "text", "TEXT": "text", "UnicodeText": "text",
    "Boolean": "boolean", "BOOLEAN": "boolean",
    "Date": "date", "DATE": "date",
    "Interval": "interval", "INTERVAL": "interval",
    "REAL": "real", "DOUBLE_PRECISION": "double", "Double": "double",
    "DOUBLE": "double",
    "LargeBinary": "bytea", "BYTEA": "bytea", "BLOB": "bytea",
    "JSON": "json", "JSONB": "jsonb",
    "UUID": "uuid", "Uuid": "uuid",
    "TSVECTOR": "tsvector", "TSQUERY": "tsquery", "INET": "inet",
    "CIDR": "cidr", "MACADDR": "macaddr", "MONEY": "money", "OID": "oid",
    "INT4RANGE": "int4range", "INT8RANGE": "int8range",
    "NUMRANGE": "numrange", "DATERANGE": "daterange",
    "TSRANGE": "tsrange", "TSTZRANGE": "tstzrange", "XML": "xml",
}
STRING_TYPES = {"String", "VARCHAR", "Unicode", "NVARCHAR", "AutoString"}
CHAR_TYPES = {"CHAR", "NCHAR"}
DATETIME_TYPES = {"DateTime", "TIMESTAMP", "DATETIME"}
TIME_TYPES = {"Time", "TIME"}
NUMERIC_TYPES = {"Numeric", "NUMERIC", "DECIMAL"}
# Extension types: nameable today with PCSM_NAMED_TYPE.
EXTENSION_TYPES = {"CITEXT": "citext", "HSTORE": "hstore"}
INTEGER_KINDS = {"integer": "serial", "bigint": "bigserial",
                 "smallint": "smallserial"}


def type_json(node, rd):
    """A SQLAlchemy type expression -> (type JSON, enum or None).

    The enum is a (name, labels, create, schema) tuple when the type is
    a native enum that a create_table would create first.
    """
    node = rd.resolve(node)
    if isinstance(node, ast.Call) and last(node) == "with_variant":
        variant = node.args[1] if len(node.args) > 1 else None
        if rd.const(variant) == "postgresql":
            return type_json(node.args[0], rd)
        return type_json(node.func.value, rd)
    name = last(node)
    if name is None:
        raise Untranslatable("a column type the importer cannot read")
    call = node if isinstance(node, ast.Call) else None
    args = call.args if call else []
    kw = {k.arg: k.value for k in call.keywords} if call else {}

    def arg(i, key, default=None):
        if key in kw:
            return rd.const(kw[key])
        if i < len(args):
            return rd.const(args[i])
        return default

    if name == "ARRAY":
        item, enum = type_json(args[0] if args else kw["item_type"], rd)
        item["array_dims"] = arg(1, "dimensions") or 1
        return item, enum
    if name in SIMPLE_TYPES:
        kind = SIMPLE_TYPES[name]
        return {"kind": kind}, None
    if name in ("BIT", "VARBIT"):
        return {"kind": name.lower(), "p": arg(0, "length") or 0}, None
    if name in STRING_TYPES:
        return {"kind": "varchar", "p": arg(0, "length") or 0}, None
    if name in CHAR_TYPES:
        return {"kind": "char", "p": arg(0, "length") or 1}, None
    if name in DATETIME_TYPES or name in TIME_TYPES:
        tz = arg(0, "timezone", False)
        base = "timestamp" if name in DATETIME_TYPES else "time"
        t = {"kind": base + ("tz" if tz else "")}
        if "precision" in kw and rd.const(kw["precision"]) is not None:
            # p 0 is "not given" in C; (0) is PCSM_PRECISION_ZERO, -1.
            t["p"] = rd.const(kw["precision"]) or -1
        return t, None
    if name in NUMERIC_TYPES:
        return {"kind": "numeric", "p": arg(0, "precision") or 0,
                "s": arg(1, "scale") or 0}, None
    if name in ("Float", "FLOAT"):
        precision = arg(0, "precision")
        if precision is not None and precision <= 24:
            return {"kind": "real"}, None
        return {"kind": "double"}, None
    if name in EXTENSION_TYPES:
        return {"kind": "named", "name": EXTENSION_TYPES[name]}, None
    if name in ("Enum", "ENUM"):
        return enum_type(call, kw, rd)
    rd.warn(node, "type %s is not known: written as a named type" % name)
    return {"kind": "named", "name": name.lower()}, None


def type_collation(node, rd):
    """String(50, collation="C") -> "C"; else None."""
    node = rd.resolve(node)
    if isinstance(node, ast.Call) and last(node) in (
            STRING_TYPES | CHAR_TYPES | {"Text", "TEXT", "UnicodeText"}):
        for k in node.keywords:
            if k.arg == "collation":
                return rd.const(k.value)
    return None


def enum_type(call, kw, rd):
    labels = [rd.const(a) for a in (call.args if call else [])]
    if not all(isinstance(x, str) for x in labels):
        raise Untranslatable("an enum whose labels are not literals")
    if "native_enum" in kw and rd.const(kw["native_enum"]) is False:
        length = rd.const(kw["length"]) if "length" in kw else None
        return {"kind": "varchar",
                "p": length or max(len(x) for x in labels)}, None
    name = rd.const(kw["name"]) if "name" in kw else None
    if name is None:
        raise Untranslatable("a native enum without name=")
    create = True
    if "create_type" in kw:
        create = rd.const(kw["create_type"]) is not False
    t = {"kind": "named", "name": name}
    schema = rd.const(kw["schema"]) if "schema" in kw else None
    if not schema and "inherit_schema" in kw \
            and rd.const(kw["inherit_schema"]):
        # SQLAlchemy's SchemaType takes its table's schema then.
        schema = rd.owner_schema
    if schema:
        t["schema"] = schema
    return t, (name, labels, create, schema)


# --------------------------------------------------------------- values

def default_json(node, rd):
    """A server_default -> value JSON."""
    node = rd.resolve(node)
    if isinstance(node, ast.Constant):
        if node.value is None:
            return {"kind": "null"}
        if isinstance(node.value, str):
            return {"kind": "literal", "text": node.value}
        if isinstance(node.value, bool):
            return {"kind": "expr", "text": str(node.value).lower()}
        return {"kind": "expr", "text": str(node.value)}
    name = last(node)
    if isinstance(node, ast.Call):
        if name in ("text", "literal_column", "DefaultClause"):
            return {"kind": "expr", "text": rd.const_str(node.args[0])}
        if name in ("true", "false", "null"):
            return {"kind": "expr", "text": name}
        callee = dotted(node.func) or ""
        if callee.startswith(rd.sa_prefixes("func")):
            fargs = [sql_literal(rd.const(a)) for a in node.args]
            return {"kind": "expr",
                    "text": "%s(%s)" % (name, ", ".join(fargs))}
    raise Untranslatable("a server default the importer cannot read")


def sql_literal(value):
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    return "'" + str(value).replace("'", "''") + "'"


def param_json(value):
    if value is None:
        return {"kind": "null"}
    if isinstance(value, bool):
        return {"kind": "literal", "text": "true" if value else "false"}
    if isinstance(value, (dict, list)):
        return {"kind": "literal", "text": json.dumps(value)}
    return {"kind": "literal", "text": str(value)}


FK_ACTIONS = {"CASCADE": "cascade", "SET NULL": "set_null",
              "SET DEFAULT": "set_default", "RESTRICT": "restrict",
              "NO ACTION": "no_action"}


def fk_action(value):
    if value is None:
        return None
    action = FK_ACTIONS.get(str(value).upper())
    if action is None:
        raise Untranslatable("foreign key action %r" % value)
    return action


def split_ref(ref):
    """'schema.table.col' -> (schema, table, col)."""
    parts = ref.split(".")
    if len(parts) == 2:
        return None, parts[0], parts[1]
    if len(parts) == 3:
        return parts[0], parts[1], parts[2]
    raise Untranslatable("foreign key target %r" % ref)


# --------------------------------------------------------- SQL strings
# Whole single statements only: anything else stays raw SQL.

IDENT = r'([A-Za-z_][A-Za-z0-9_$]*)'
# "(a, b)": unquoted names in brackets, ident_list() splits them.
# COMMENT ... IS 'text' or NULL (an E'' string stays SQL).
COMMENT_TEXT = r"('(?:[^']|'')*'|NULL)"
IDENTS = (r'\(\s*([A-Za-z_][A-Za-z0-9_$]*'
          r'(?:\s*,\s*[A-Za-z_][A-Za-z0-9_$]*)*)\s*\)')


def ident_list(text):
    """The names of IDENTS, folded to lower case as the server folds them."""
    return [name.strip().lower() for name in text.split(",")]


# The calls that order an index key: x.desc(), sa.desc(x), x.nulls_last()...
ORDER_CALLS = ("desc", "asc", "nulls_first", "nulls_last", "nullsfirst",
               "nullslast")
# text("created_at DESC NULLS LAST"): SQL, so a pattern may read it.
ORDERED_TEXT = re.compile(r"^(?P<body>.*?)(?:\s+(?P<dir>ASC|DESC))?"
                          r"(?:\s+NULLS\s+(?P<nulls>FIRST|LAST))?\s*$",
                          re.I | re.S)
PLAIN_IDENT = re.compile(r"^[a-z_][a-z0-9_$]*$")
QUOTED_IDENT = re.compile(r'^"((?:[^"]|"")+)"$')


def text_index_element(sql):
    """An index key written as SQL text: its order words split off, a bare
    name made a column (folded, or unquoted, as the server reads it)."""
    m = ORDERED_TEXT.match(sql)
    body = m.group("body").strip()
    lowered = body.lower()
    quoted = QUOTED_IDENT.match(body)
    if PLAIN_IDENT.match(lowered) and lowered not in ("true", "false",
                                                       "null"):
        item = {"column": lowered}
    elif quoted:
        item = {"column": quoted.group(1).replace('""', '"')}
    else:
        item = {"expression": body}
    if (m.group("dir") or "").upper() == "DESC":
        item["descending"] = True
    if m.group("nulls"):
        item["nulls"] = m.group("nulls").lower()
    return item
PARTITION_BY = re.compile(r"\s*(RANGE|LIST|HASH)\s*(\(.*\))\s*", re.I | re.S)
KEY_TAIL = re.compile(r'(?:\s+COLLATE\s+(' + IDENT[1:-1] + r'|"[^"]+"))?'
                      r'(?:\s+' + IDENT + r')?\s*', re.S)
CALL_NAME = re.compile(IDENT + r"(?:\." + IDENT[1:-1] + r")?\s*", re.S)


def bracketed(sql, at=0):
    """Whether the bracket open at sql[at] closes at the end of sql."""
    return sql[at:at + 1] == "(" and closing_bracket(sql, at) == len(sql) - 1


def key_element(part):
    """One key of PARTITION BY: a column, an expression in brackets or a
    function's call, then COLLATE and an operator class; None if not."""
    call = part.find("(")
    if part.startswith("("):
        end = closing_bracket(part, 0)
        item = end and {"expression": part[1:end].strip()}
    elif call > 0 and CALL_NAME.fullmatch(part[:call]):
        end = closing_bracket(part, call)
        item = end and {"expression": part[:end + 1]}
    else:
        m = re.match(IDENT, part)
        end = m and m.end() - 1
        item = m and {"column": m[1].lower()}
    tail = KEY_TAIL.fullmatch(part[end + 1:]) if item else None
    if not tail or item.get("column") in ("true", "false", "null"):
        return None
    if tail[1]:
        item["collation"] = tail[1].strip('"')
    if tail[2]:
        item["opclass"] = tail[2].lower()
    return item


def partition_key(spec):
    """'RANGE (a, lower(b))' -> (strategy, key elements), or None."""
    m = PARTITION_BY.fullmatch(spec)
    if not m or not bracketed(m[2]):
        return None
    key = [key_element(part.strip()) for part in split_top(m[2][1:-1]) or [""]]
    return (m[1].lower(), key) if all(key) else None


def partition_bound(sql):
    """(bound, the rest) of 'FOR VALUES ... | DEFAULT ...', or None."""
    m = re.match(r"(?i)\s*DEFAULT\b", sql)
    if m:
        return "DEFAULT", sql[m.end():]
    m = re.match(r"(?i)\s*FOR\s+VALUES\s+(IN|FROM|WITH)\s*\(", sql)
    if not m:
        return None
    end = closing_bracket(sql, m.end() - 1)
    if end is not None and m[1].upper() == "FROM":
        to = re.match(r"(?i)\s*TO\s*\(", sql[end + 1:])
        end = to and closing_bracket(sql, end + to.end())
    if end is None:
        return None
    return " ".join(sql[:end + 1].split()), sql[end + 1:]


def partition_op(name, parent, rest):
    """CREATE TABLE name PARTITION OF parent bound [PARTITION BY ...]."""
    read = partition_bound(rest)
    if read is None:
        return None
    op = {"op": "create_partition", "table": name.lower(),
          "parent": parent.lower(), "bound": read[0]}
    tail = read[1].strip()
    if tail:
        m = re.fullmatch(r"(?is)PARTITION\s+BY\s+(.*)", tail)
        key = m and partition_key(m[1])
        if not key:
            return None
        op.update({"strategy": key[0], "key": key[1]})
    return op


def attach_op(parent, name, rest):
    """ALTER TABLE parent ATTACH PARTITION name bound."""
    read = partition_bound(rest)
    if read is None or read[1].strip():
        return None
    return {"op": "attach_partition", "table": parent.lower(),
            "partition": name.lower(), "bound": read[0]}


# A name as written: plain (folded) or double-quoted (kept, "" a quote).
NAME = r'([A-Za-z_][A-Za-z0-9_$]*|"(?:[^"]|"")+")'
# GRANT's "privileges ON [kind] name[(arguments)]": one object, no schema.
PRIVILEGES_ON = (r"(.+?)\s+ON\s+(?:(TABLE|SEQUENCE|FUNCTION|TYPE|DOMAIN)"
                 r"\s+)?" + NAME + r"(?:\s*\(([^()'\";]*)\))?")


SQL_FORMS = [
    (r"CREATE\s+TABLE\s+" + IDENT + r"\s+PARTITION\s+OF\s+" + IDENT
     + r"\s+(.*?)",
     lambda m: partition_op(m[1], m[2], m[3])),
    (r"ALTER\s+TABLE\s+(?:ONLY\s+)?" + IDENT + r"\s+ATTACH\s+PARTITION\s+"
     + IDENT + r"\s+(.*?)",
     lambda m: attach_op(m[1], m[2], m[3])),
    (r"ALTER\s+TABLE\s+(?:ONLY\s+)?" + IDENT + r"\s+(NO\s+)?INHERIT\s+"
     + IDENT,
     lambda m: {"op": "no_inherit" if m[2] else "inherit",
                "table": m[1].lower(), "parent": m[3].lower()}),
    (r"ALTER\s+TABLE\s+(?:ONLY\s+)?" + IDENT + r"\s+DETACH\s+PARTITION\s+"
     + IDENT,
     lambda m: {"op": "detach_partition", "table": m[1].lower(),
                "partition": m[2].lower()}),
    (r"CREATE\s+INDEX\s+" + IDENT + r"\s+ON\s+ONLY\s+" + IDENT + r"\s*"
     + IDENTS,
     lambda m: {"op": "create_index",
                "index": {"name": m[1].lower(), "table": m[2].lower(),
                          "columns": ident_list(m[3]), "only": True}}),
    (r"ALTER\s+INDEX\s+" + IDENT + r"\s+ATTACH\s+PARTITION\s+" + IDENT,
     lambda m: {"op": "attach_index", "index": m[1].lower(),
                "partition_index": m[2].lower()}),
    (r"ALTER\s+INDEX\s+(?:IF\s+EXISTS\s+)?" + IDENT +
     r"\s+RENAME\s+TO\s+" + IDENT,
     lambda m: {"op": "rename_index", "index": m[1].lower(),
                "new_name": m[2].lower()}),
    (r"ALTER\s+TABLE\s+(?:ONLY\s+)?" + IDENT + r"\s+RENAME\s+CONSTRAINT\s+"
     + IDENT + r"\s+TO\s+" + IDENT,
     lambda m: {"op": "rename_constraint", "table": m[1].lower(),
                "constraint": m[2].lower(), "new_name": m[3].lower()}),
    (r"ALTER\s+TABLE\s+(?:ONLY\s+)?" + IDENT + r"\s+VALIDATE\s+CONSTRAINT\s+"
     + IDENT,
     lambda m: {"op": "validate_constraint", "table": m[1].lower(),
                "constraint": m[2].lower()}),
    (r"ALTER\s+TABLE\s+(?:ONLY\s+)?" + IDENT + r"\s+ADD\s+CONSTRAINT\s+"
     + IDENT + r"\s+UNIQUE\s+(NULLS\s+NOT\s+DISTINCT\s*)?" + IDENTS,
     lambda m: {"op": "add_constraint", "table": m[1].lower(),
                "constraint": dict({"kind": "unique", "name": m[2].lower(),
                                    "columns": ident_list(m[4])},
                                   **({"nulls_not_distinct": True}
                                      if m[3] else {}))}),
    (r"CREATE\s+UNIQUE\s+INDEX\s+" + IDENT + r"\s+ON\s+" + IDENT + r"\s*"
     + IDENTS + r"(\s+NULLS\s+NOT\s+DISTINCT)?",
     lambda m: {"op": "create_index",
                "index": dict({"name": m[1].lower(), "table": m[2].lower(),
                               "columns": ident_list(m[3]), "unique": True},
                              **({"nulls_not_distinct": True}
                                 if m[4] else {}))}),
    (r"ALTER\s+TABLE\s+(?:ONLY\s+)?" + IDENT + r"\s+(ENABLE|DISABLE|FORCE|"
     r"NO\s+FORCE)\s+ROW\s+LEVEL\s+SECURITY",
     lambda m: {"op": "set_row_security", "table": m[1].lower(),
                "how": "_".join(m[2].lower().split())}),
    (r"ALTER\s+TABLE\s+(?:ONLY\s+)?" + IDENT + r"\s+(DISABLE|ENABLE"
     r"(?:\s+REPLICA|\s+ALWAYS)?)\s+TRIGGER\s+(?!(?:ALL|USER)\b)" + IDENT,
     lambda m: {"op": "set_trigger_firing", "table": m[1].lower(),
                "trigger": m[3].lower(),
                "firing": "_".join(m[2].lower().split())}),
    (r"DROP\s+POLICY\s+(IF\s+EXISTS\s+)?" + IDENT + r"\s+ON\s+" + IDENT,
     lambda m: {"op": "drop_policy", "table": m[3].lower(),
                "policy": m[2].lower(),
                "flags": ["if_exists"] if m[1] else []}),
    (r"CREATE\s+POLICY\s+" + IDENT + r"\s+ON\s+" + IDENT
     + r"(?:\s+AS\s+(PERMISSIVE|RESTRICTIVE))?"
     r"(?:\s+FOR\s+(ALL|SELECT|INSERT|UPDATE|DELETE))?"
     r"(?:\s+TO\s+([A-Za-z_][A-Za-z0-9_$]*"
     r"(?:\s*,\s*[A-Za-z_][A-Za-z0-9_$]*)*))?(.*?)",
     lambda m: policy_op(m)),
    (r"CREATE\s+COLLATION\s+" + IDENT + r"\s*\(([^()]*)\)",
     lambda m: collation_op(m[1], m[2])),
    (r"ALTER\s+COLLATION\s+" + IDENT + r"\s+RENAME\s+TO\s+" + IDENT,
     lambda m: {"op": "rename_collation", "collation": m[1].lower(),
                "new_name": m[2].lower()}),
    (r"DROP\s+COLLATION\s+(IF\s+EXISTS\s+)?" + IDENT,
     lambda m: {"op": "drop_collation", "collation": m[2].lower(),
                "flags": ["if_exists"] if m[1] else []}),
    (r"CREATE\s+TYPE\s+" + IDENT + r"\s+AS\s*\((.*)\)",
     lambda m: composite_op(m[1], m[2])),
    (r"CREATE\s+TYPE\s+" + IDENT + r"\s+AS\s+RANGE\s*\((.*)\)",
     lambda m: range_op(m[1], m[2])),
    (r"ALTER\s+TYPE\s+" + IDENT
     + r"\s+((?:ADD|DROP|ALTER|RENAME)\s+ATTRIBUTE\s.*?)",
     lambda m: alter_composite_op(m[1], m[2])),
    (r"CREATE\s+DOMAIN\s+" + IDENT + r"\s+(?:AS\s+)?(.*?)",
     lambda m: domain_op(m[1], m[2])),
    (r"ALTER\s+DOMAIN\s+" + IDENT + r"\s+(.*?)",
     lambda m: alter_domain_op(m[1], m[2])),
    (r"DROP\s+DOMAIN\s+(IF\s+EXISTS\s+)?" + IDENT + r"(\s+CASCADE)?",
     lambda m: {"op": "drop_domain", "domain": m[2].lower(),
                "flags": (["if_exists"] if m[1] else [])
                + (["drop_cascade"] if m[3] else [])}),
    (r"COMMENT\s+ON\s+(INDEX|SEQUENCE|VIEW|MATERIALIZED\s+VIEW|TYPE|DOMAIN)\s+"
     + IDENT + r"\s+IS\s+" + COMMENT_TEXT,
     lambda m: comment_op(m[1], m[2], None, m[3])),
    (r"COMMENT\s+ON\s+(CONSTRAINT|TRIGGER|POLICY)\s+" + IDENT + r"\s+ON\s+"
     + IDENT + r"\s+IS\s+" + COMMENT_TEXT,
     lambda m: comment_op(m[1], m[2], m[3].lower(), m[4])),
    (r"COMMENT\s+ON\s+(FUNCTION)\s+" + IDENT
     + r"\s*(?:\(([^()'\";]*)\))?\s+IS\s+" + COMMENT_TEXT,
     lambda m: comment_op(m[1], m[2],
                          None if m[3] is None else m[3].strip(), m[4])),
    (r"SET\s+LOCAL\s+" + IDENT + r"\s*(?:=|\s+TO\s+)\s*"
     r"('(?:[^']|'')*'|[A-Za-z0-9_.]+)",
     lambda m: set_local_op(m)),
    (r"LOCK\s+(?:TABLE\s+)?(?:ONLY\s+)?" + IDENT
     + r"(?:\s+IN\s+([A-Z ]+?)\s+MODE)?(\s+NOWAIT)?",
     lambda m: lock_op(m)),
    (r"ALTER\s+TYPE\s+" + IDENT + r"\s+ADD\s+VALUE\s+(IF\s+NOT\s+EXISTS\s+)?"
     r"'((?:[^']|'')*)'(?:\s+(BEFORE|AFTER)\s+'((?:[^']|'')*)')?",
     lambda m: enum_value_op(m)),
    (r"DROP\s+TYPE\s+(IF\s+EXISTS\s+)?" + IDENT + r"(\s+CASCADE)?",
     lambda m: {"op": "drop_type", "type": m[2].lower(),
                "flags": (["if_exists"] if m[1] else [])
                + (["drop_cascade"] if m[3] else [])}),
    (r"CREATE\s+EXTENSION\s+(IF\s+NOT\s+EXISTS\s+)?\"?" + IDENT + r"\"?",
     lambda m: {"op": "create_extension", "extension": m[2],
                "flags": ["if_not_exists"] if m[1] else []}),
    (r"CREATE\s+SCHEMA\s+(IF\s+NOT\s+EXISTS\s+)?" + IDENT,
     lambda m: schema_op("create_schema", m[2],
                         ["if_not_exists"] if m[1] else [])),
    (r"DROP\s+SCHEMA\s+(IF\s+EXISTS\s+)?" + IDENT + r"(\s+CASCADE)?",
     lambda m: schema_op("drop_schema", m[2],
                         (["if_exists"] if m[1] else [])
                         + (["drop_cascade"] if m[3] else []))),
    (r"GRANT\s+" + PRIVILEGES_ON + r"\s+TO\s+(.+?)"
     r"(\s+WITH\s+GRANT\s+OPTION)?",
     lambda m: grant_op("grant", False, m[1], m.group(2, 3, 4), m[5],
                        m[6])),
    (r"REVOKE\s+(GRANT\s+OPTION\s+FOR\s+)?" + PRIVILEGES_ON
     + r"\s+FROM\s+(.+?)(\s+(?:CASCADE|RESTRICT))?",
     lambda m: grant_op("revoke", bool(m[1]), m[2], m.group(3, 4, 5),
                        m[6], m[7])),
    (r"ALTER\s+DEFAULT\s+PRIVILEGES((?:\s+.*?)?)\s+(GRANT|REVOKE)\s+"
     r"(GRANT\s+OPTION\s+FOR\s+)?(.+?)\s+ON\s+(TABLES|SEQUENCES|"
     r"FUNCTIONS|TYPES)\s+(TO|FROM)\s+(.+?)(\s+WITH\s+GRANT\s+OPTION"
     r"|\s+CASCADE|\s+RESTRICT)?",
     lambda m: default_privileges_op(m)),
]
SQL_FORMS = [(re.compile(r"\s*" + p + r"\s*;?\s*", re.I | re.S), f)
             for p, f in SQL_FORMS]


# A type as SQL spells it -> the import JSON's kind; what is not here (a
# type of an extension, an enum, another domain) is a named type.
SQL_TYPES = {
    "integer": "integer", "int": "integer", "int4": "integer",
    "bigint": "bigint", "int8": "bigint", "smallint": "smallint",
    "int2": "smallint", "text": "text", "boolean": "boolean",
    "bool": "boolean", "uuid": "uuid", "jsonb": "jsonb", "json": "json",
    "date": "date", "bytea": "bytea", "timestamptz": "timestamptz",
    "timestamp with time zone": "timestamptz", "timestamp": "timestamp",
    "timestamp without time zone": "timestamp", "real": "real",
    "float4": "real", "float8": "double", "float": "double",
    "double precision": "double", "inet": "inet", "interval": "interval",
}
# Types of the server the importer does not spell (a typmod of their own,
# another meaning quoted): the statement stays SQL rather than naming a
# type "bit" that is not bit(1).
SQL_UNSPELT_TYPES = ("bit", "varbit", "time", "timetz", "nchar", "national",
                     "money", "xml", "oid", "cidr", "macaddr", "macaddr8",
                     "tsvector", "tsquery", "point", "line", "lseg", "box",
                     "path", "polygon", "circle", "name")
SIZED_SQL_TYPES = {"varchar": "varchar", "character varying": "varchar",
                   "char": "char", "character": "char",
                   "numeric": "numeric", "decimal": "numeric",
                   "dec": "numeric"}
SQL_TYPE = re.compile(
    r"\s*(double\s+precision|timestamp\s+with(?:out)?\s+time\s+zone"
    r"|character\s+varying|[a-z_][a-z0-9_]*)"
    r"(?:\s*\(\s*(\d+)\s*(?:,\s*(\d+)\s*)?\))?(\s*\[\s*\])?", re.I)


def sql_type(sql):
    """The type at the start of `sql` -> (its JSON, the rest), or None."""
    m = SQL_TYPE.match(sql)
    if not m:
        return None
    word = " ".join(m[1].lower().split())
    if word in SIZED_SQL_TYPES:
        t = {"kind": SIZED_SQL_TYPES[word]}
        if m[2]:
            t["p"] = int(m[2])
        elif t["kind"] == "char":
            t["p"] = 1          # char alone is char(1)
        if m[3]:
            if t["kind"] != "numeric":
                return None
            t["s"] = int(m[3])
    elif m[2]:
        return None             # a typmod the API spells otherwise
    elif word in SQL_TYPES:
        t = {"kind": SQL_TYPES[word]}
    elif word in SQL_KEYWORDS or word in SQL_UNSPELT_TYPES:
        return None
    else:
        t = {"kind": "named", "name": word}
    if m[4]:
        t["array_dims"] = 1
    return t, sql[m.end():]


# Words that end a DEFAULT expression of CREATE DOMAIN at bracket depth 0.
SQL_KEYWORDS = ("not", "null", "constraint", "check", "collate", "default")


def sql_clause_end(sql, start):
    """Where the expression starting at `start` ends: a keyword of
    SQL_KEYWORDS outside brackets and quotes, or the end; None when a
    bracket or a quote is left open."""
    for i, c, depth in top_level(sql, start):
        if c is None:
            return i if depth == 0 else None
        if depth == 0 and (i == 0 or not (sql[i - 1].isalnum() or
                                          sql[i - 1] in "_$")) and \
                re.match(r"(?i)(%s)\b" % "|".join(SQL_KEYWORDS), sql[i:]):
            return i
    return None


DOMAIN_CHECK = re.compile(r"\s*(?:CONSTRAINT\s+" + IDENT + r"\s+)?CHECK\s*"
                          r"(\(.*)", re.I | re.S)


def domain_check(sql):
    """[CONSTRAINT c] CHECK (..) at the start of sql -> (constraint, the
    rest), or None."""
    m = DOMAIN_CHECK.match(sql)
    if not m:
        return None
    close = closing_bracket(m[2], 0)
    if close is None:
        return None
    con = {"kind": "check", "check": m[2][1:close].strip()}
    if m[1]:
        con["name"] = m[1].lower()
    return con, m[2][close + 1:]


def domain_op(name, sql):
    """CREATE DOMAIN d [AS] type [COLLATE c] [DEFAULT ..] [NOT NULL | NULL]
    [[CONSTRAINT c] CHECK (..)] ... -> create_domain; a type or clause the
    call cannot say stays SQL."""
    read = sql_type(sql.strip().rstrip(";"))
    if read is None:
        return None
    domain, rest = {"name": name.lower(), "type": read[0]}, read[1]
    checks = []
    while rest.strip():
        rest = rest.strip()
        m = re.match(r"(?i)COLLATE\s+(" + IDENT[1:-1] + r'|"[^"]+")', rest)
        if m and "collation" not in domain:
            domain["collation"] = m[1].strip('"') if m[1].startswith('"') \
                else m[1].lower()
            rest = rest[m.end():]
            continue
        m = re.match(r"(?i)DEFAULT\s+", rest)
        if m and "default_value" not in domain:
            end = sql_clause_end(rest, m.end())
            if end is None or end == m.end():
                return None
            domain["default_value"] = {"kind": "expr",
                                       "text": rest[m.end():end].strip()}
            rest = rest[end:]
            continue
        m = re.match(r"(?i)(NOT\s+)?NULL\b", rest)
        if m:
            if m[1]:
                domain["not_null"] = True
            rest = rest[m.end():]
            continue
        check = domain_check(rest)
        if check is None:
            return None
        checks.append(check[0])
        rest = check[1]
    if checks:
        domain["constraints"] = checks
    return {"op": "create_domain", "domain": domain}


def alter_domain_op(name, sql):
    """ALTER DOMAIN d RENAME TO | SET DEFAULT | DROP DEFAULT | SET NOT NULL
    | DROP NOT NULL | ADD [CONSTRAINT c] CHECK (..) [NOT VALID] | DROP
    CONSTRAINT [IF EXISTS] c | VALIDATE CONSTRAINT c | RENAME CONSTRAINT a
    TO b -> alter_domain; the rest (OWNER TO, SET SCHEMA, CASCADE) stays
    SQL."""
    sql = sql.strip().rstrip(";").strip()
    op = {"op": "alter_domain", "domain": name.lower()}
    forms = (
        (r"RENAME\s+TO\s+" + IDENT, lambda m: {
            "action": "rename", "new_name": m[1].lower()}),
        (r"SET\s+DEFAULT\s+(.+)", lambda m: {
            "action": "set_default",
            "value": {"kind": "expr", "text": m[1].strip()}}),
        (r"DROP\s+DEFAULT", lambda m: {"action": "drop_default"}),
        (r"SET\s+NOT\s+NULL", lambda m: {"action": "set_not_null"}),
        (r"DROP\s+NOT\s+NULL", lambda m: {"action": "drop_not_null"}),
        (r"DROP\s+CONSTRAINT\s+(IF\s+EXISTS\s+)?" + IDENT, lambda m: {
            "action": "drop_constraint",
            "constraint": {"kind": "check", "name": m[2].lower()},
            "flags": ["if_exists"] if m[1] else []}),
        (r"VALIDATE\s+CONSTRAINT\s+" + IDENT, lambda m: {
            "action": "validate_constraint",
            "constraint": {"kind": "check", "name": m[1].lower()}}),
        (r"RENAME\s+CONSTRAINT\s+" + IDENT + r"\s+TO\s+" + IDENT, lambda m: {
            "action": "rename_constraint",
            "constraint": {"kind": "check", "name": m[1].lower()},
            "new_name": m[2].lower()}),
    )
    for pattern, build in forms:
        m = re.fullmatch(pattern, sql, re.I | re.S)
        if m:
            op.update(build(m))
            return op
    m = re.match(r"(?i)ADD\s+", sql)
    if m:
        rest = sql[m.end():]
        check = domain_check(rest)
        if check is None:
            return None
        con, rest = check
        if re.fullmatch(r"(?i)\s*NOT\s+VALID\s*", rest):
            con["not_valid"] = True
        elif rest.strip():
            return None
        op.update({"action": "add_constraint", "constraint": con})
        return op
    return None


def split_top(sql):
    """`sql` split at the commas outside brackets and quotes; None when a
    bracket or a quote is left open."""
    parts, start = [], 0
    for i, c, depth in top_level(sql):
        if c is None:
            return parts + [sql[start:]] if depth == 0 else None
        if c == "," and depth == 0:
            parts.append(sql[start:i])
            start = i + 1
    return None


ATTRIBUTE = re.compile(IDENT + r"\s+(.+)", re.S)
COLLATE_CLAUSE = re.compile(r'\s*COLLATE\s+(' + IDENT[1:-1] + r'|"[^"]+")\s*$',
                            re.I)


def attribute_json(sql):
    """'name type [COLLATE c]' -> an attribute object, or None."""
    m = ATTRIBUTE.fullmatch(sql.strip())
    if not m:
        return None
    read = sql_type(m[2])
    if read is None:
        return None
    attribute = {"name": m[1].lower(), "type": read[0]}
    if read[1].strip():
        c = COLLATE_CLAUSE.fullmatch(read[1])
        if not c:
            return None
        attribute["collation"] = c[1].strip('"') if c[1].startswith('"') \
            else c[1].lower()
    return attribute


def composite_op(name, sql):
    """CREATE TYPE t AS (a type [COLLATE c], ...) -> create_composite_type."""
    parts = split_top(sql)
    attributes = [attribute_json(p) for p in parts or []]
    if not attributes or None in attributes:
        return None
    return {"op": "create_composite_type", "type": name.lower(),
            "attributes": attributes}


RANGE_OPTION = re.compile(r"\s*([a-z_]+)\s*=\s*(.+?)\s*$", re.I | re.S)
QUALIFIED = re.compile(r"(?:" + IDENT + r"\.)?" + IDENT + r"$")


def range_op(name, options):
    """CREATE TYPE t AS RANGE (SUBTYPE = type, SUBTYPE_OPCLASS = c,
    COLLATION = c, SUBTYPE_DIFF = [s.]f, MULTIRANGE_TYPE_NAME = m) ->
    create_range_type; CANONICAL, a subtype with modifiers or dimensions
    (which the server drops), or a name the call cannot take stays SQL."""
    rng = {"name": name.lower()}
    for part in split_top(options) or [""]:
        m = RANGE_OPTION.fullmatch(part)
        if not m:
            return None
        key, value = m[1].lower(), m[2]
        q = QUALIFIED.fullmatch(value)
        if key == "subtype":
            read = sql_type(value)
            if read is None or read[1].strip() or \
                    set(read[0]) & {"p", "s", "modifiers", "array_dims"}:
                return None
            rng["subtype"] = read[0]
        elif key == "collation" and value.startswith('"'):
            if not re.fullmatch(r'"[^"]+"', value):
                return None
            rng["collation"] = value[1:-1]
        elif key in ("subtype_opclass", "collation",
                     "multirange_type_name") and q and not q[1]:
            rng[key] = q[2].lower()
        elif key == "subtype_diff" and q:
            rng["subtype_diff"] = q[2].lower()
            if q[1]:
                rng["subtype_diff_schema"] = q[1].lower()
        else:
            return None
    if "subtype" not in rng:
        return None
    return {"op": "create_range_type", "range": rng}


def alter_composite_op(name, sql):
    """ALTER TYPE t ADD ATTRIBUTE .. | DROP ATTRIBUTE [IF EXISTS] a | ALTER
    ATTRIBUTE a [SET DATA] TYPE .. | RENAME ATTRIBUTE a TO b ->
    alter_composite_type; CASCADE, or several at once, stays SQL."""
    sql = sql.strip().rstrip(";").strip()
    op = {"op": "alter_composite_type", "type": name.lower()}
    m = re.fullmatch(r"ADD\s+ATTRIBUTE\s+(.+)", sql, re.I | re.S)
    if m:
        attribute = attribute_json(m[1])
        if attribute is None:
            return None
        op.update({"action": "add", "attribute": attribute})
        return op
    m = re.fullmatch(r"DROP\s+ATTRIBUTE\s+(IF\s+EXISTS\s+)?" + IDENT, sql,
                     re.I)
    if m:
        op.update({"action": "drop", "attribute": {"name": m[2].lower()},
                   "flags": ["if_exists"] if m[1] else []})
        return op
    m = re.fullmatch(r"ALTER\s+ATTRIBUTE\s+" + IDENT
                     + r"\s+(?:SET\s+DATA\s+)?TYPE\s+(.+)", sql, re.I | re.S)
    if m:
        attribute = attribute_json(m[1] + " " + m[2])
        if attribute is None:
            return None
        op.update({"action": "alter_type", "attribute": attribute})
        return op
    m = re.fullmatch(r"RENAME\s+ATTRIBUTE\s+" + IDENT + r"\s+TO\s+" + IDENT,
                     sql, re.I)
    if m:
        op.update({"action": "rename", "attribute": {"name": m[1].lower()},
                   "new_name": m[2].lower()})
        return op
    return None


COLLATION_OPTION = re.compile(r"\s*([a-z_]+)\s*=\s*('(?:[^']|'')*'|[A-Za-z_]+)"
                              r"\s*$", re.I)


def collation_op(name, options):
    """CREATE COLLATION c (PROVIDER = icu, LOCALE = '..', DETERMINISTIC =
    false | LC_COLLATE = '..', LC_CTYPE = '..') -> create_collation; an
    option the call has no field for (VERSION, RULES) stays SQL."""
    collation = {"name": name.lower()}
    for part in options.split(","):
        m = COLLATION_OPTION.match(part)
        if not m:
            return None
        key, value = m[1].lower(), unquote_sql(m[2])
        if key == "provider" and value.lower() in ("libc", "icu"):
            collation["provider"] = value.lower()
        elif key in ("locale", "lc_collate", "lc_ctype"):
            collation[key] = value
        elif key == "deterministic" and value.lower() in ("true", "false"):
            if value.lower() == "false":
                collation["nondeterministic"] = True
        else:
            return None
    return {"op": "create_collation", "collation": collation}


def comment_op(kind, name, of, text):
    """COMMENT ON <kind> name [ON table | (arguments)] IS text -> comment_on
    (NULL and '' remove it alike)."""
    op = {"op": "comment_on", "kind": "_".join(kind.lower().split()),
          "name": name.lower()}
    if of is not None:
        op["of"] = of
    if text.upper() != "NULL":
        op["comment"] = unquote_sql(text)
    return op


def schema_op(kind, name, flags):
    """CREATE/DROP SCHEMA; a pg_ name is the server's to refuse: SQL."""
    if name.lower().startswith("pg_"):
        return None
    return {"op": kind, "name": name.lower(), "flags": flags}


LOCK_MODES = ("access_share", "row_share", "row_exclusive",
              "share_update_exclusive", "share", "share_row_exclusive",
              "exclusive", "access_exclusive")


def lock_op(m):
    """LOCK TABLE t IN SHARE ROW EXCLUSIVE MODE -> lock_table, mode
    "share_row_exclusive" (pcsm_lock_mode's enumerator); a mode the
    server would refuse stays SQL."""
    mode = "_".join(m[2].lower().split()) if m[2] else "access_exclusive"
    if mode not in LOCK_MODES:
        return None
    op = {"op": "lock_table", "table": m[1].lower(), "mode": mode}
    if m[3]:
        op["flags"] = ["nowait"]
    return op


def set_local_op(m):
    """SET LOCAL name = value; TO DEFAULT resets, which set_local
    cannot say (it would set the text 'DEFAULT'): that stays SQL."""
    if not m[2].startswith("'") and m[2].lower() == "default":
        return None
    return {"op": "set_local", "name": m[1].lower(),
            "value": unquote_sql(m[2])}


def top_level(sql, start=0):
    """(i, c, depth) for each character of sql from `start` outside quotes,
    depth the bracket depth before it; last (len(sql), None, depth), depth
    None when a quote is left open."""
    depth, quote = 0, None
    for i in range(start, len(sql)):
        c = sql[i]
        if quote:
            if c == quote:
                quote = None
            continue
        if c in "'\"":
            quote = c
            continue
        yield i, c, depth
        depth += (c == "(") - (c == ")")
    yield len(sql), None, None if quote else depth


def closing_bracket(sql, at):
    """Where the bracket open at sql[at] closes, outside quotes; None when
    it does not."""
    for i, c, depth in top_level(sql, at):
        if c == ")" and depth == 1:
            return i
    return None


def paren_clauses(text, words):
    """`text` as clauses "WORD (expression)" of `words`, in that order,
    each at most once: {word: expression}, or None when it is not so (a
    bracket left open, a quote unclosed, anything else between)."""
    found, rest = {}, text.strip()
    for word in words:
        m = re.match(r"(?i)" + r"\s+".join(word.split()) + r"\s*\(", rest)
        if not m:
            continue
        close = closing_bracket(rest, m.end() - 1)
        if close is None:
            return None
        found[word] = rest[m.end():close].strip()
        rest = rest[close + 1:].strip()
    return found if not rest else None


# Roles that are whoever runs the revision: pcsm_create_policy refuses them.
SESSION_ROLES = ("current_user", "session_user", "current_role")


def policy_op(m):
    """CREATE POLICY p ON t [AS ..] [FOR ..] [TO roles] [USING (..)]
    [WITH CHECK (..)] -> create_policy; roles by session, or conditions
    not in brackets, stay SQL."""
    clauses = paren_clauses(m[6], ("USING", "WITH CHECK"))
    roles = ident_list(m[5]) if m[5] else []
    command = (m[4] or "all").lower()
    if clauses is None or any(r in SESSION_ROLES for r in roles) or \
            ("public" in roles and len(roles) > 1) or \
            (command == "insert" and "USING" in clauses) or \
            (command in ("select", "delete") and "WITH CHECK" in clauses):
        return None     # the server's to refuse, or to read as it will
    policy = {"name": m[1].lower(), "table": m[2].lower()}
    if command != "all":
        policy["command"] = command
    if (m[3] or "").lower() == "restrictive":
        policy["restrictive"] = True
    if roles and roles != ["public"]:
        policy["roles"] = roles
    if "USING" in clauses:
        policy["using"] = clauses["USING"]
    if "WITH CHECK" in clauses:
        policy["with_check"] = clauses["WITH CHECK"]
    return {"op": "create_policy", "policy": policy}


def sql_name(word):
    """A NAME as the server reads it: folded to lower case, or unquoted."""
    quoted = QUOTED_IDENT.match(word)
    if quoted:
        return quoted.group(1).replace('""', '"')
    return word.lower()


def name_list(sql):
    """'a, "B"' -> ["a", "B"], or None when a part is not one NAME."""
    parts = [part.strip() for part in split_top(sql) or [""]]
    if not all(re.fullmatch(NAME, part) for part in parts):
        return None
    return [sql_name(part) for part in parts]


# What each kind of object takes (GRANT's names, lower case); a column of
# a table takes COLUMN_PRIVILEGES.
OBJECT_PRIVILEGES = {
    "table": ("select", "insert", "update", "delete", "truncate",
              "references", "trigger"),
    "sequence": ("usage", "select", "update"),
    "function": ("execute",),
    "type": ("usage",),
}
COLUMN_PRIVILEGES = ("select", "insert", "update", "references")
PRIVILEGE = re.compile(r"(ALL(?:\s+PRIVILEGES)?|[A-Z]+)\s*(\(.*\))?",
                       re.I | re.S)


def privilege_list(sql, on):
    """'SELECT (a, b), UPDATE (a, b)' on `on` -> (privileges, columns or
    None), or None: a privilege `on` does not take, columns not the same
    for each, ALL beside another."""
    privileges, columns = [], []
    for part in split_top(sql) or [""]:
        m = PRIVILEGE.fullmatch(part.strip())
        if not m or (m[2] and not bracketed(m[2])):
            return None
        word = m[1].split()[0].lower()
        takes = COLUMN_PRIVILEGES if m[2] else OBJECT_PRIVILEGES[on]
        if word not in takes + ("all",) or word in privileges:
            return None
        privileges.append(word)
        columns.append(name_list(m[2][1:-1]) if m[2] else None)
        if m[2] and columns[-1] is None:
            return None
    if "all" in privileges and len(privileges) > 1 or \
            any(c != columns[0] for c in columns) or \
            (columns[0] is not None and on != "table"):
        return None
    return privileges, columns[0]


def grantee_list(sql):
    """GRANT's roles -> names, "public" for PUBLIC; None when a role is
    named by who runs the statement (CURRENT_USER ...), is NONE, or is
    not a NAME (GROUP r)."""
    roles = name_list(sql)
    for role in roles or []:
        if role.lower() in SESSION_ROLES + ("none", "public") \
                and role != "public":
            return None
    return roles


GRANT_OBJECTS = {"table": "table", "sequence": "sequence",
                 "function": "function", "type": "type", "domain": "type"}


def grant_op(kind, option, privileges, target, roles, tail):
    """GRANT privileges ON [kind] name TO roles [WITH GRANT OPTION] |
    REVOKE [GRANT OPTION FOR] privileges ON [kind] name FROM roles
    [RESTRICT] -> grant, revoke; several objects, a schema's name, ALL
    ... IN SCHEMA, CASCADE, GRANTED BY and the other kinds stay SQL."""
    on = GRANT_OBJECTS[(target[0] or "table").lower()]
    name, arguments = target[1], target[2]
    if target[0] is None and name.upper() in (
            "ALL", "TABLE", "SEQUENCE", "FUNCTION", "TYPE", "DOMAIN"):
        return None
    if (arguments is not None and on != "function") or \
            (tail and tail.split()[0].upper() == "CASCADE"):
        return None
    read = privilege_list(privileges, on)
    roles = grantee_list(roles)
    if read is None or roles is None:
        return None
    grant = {"on": on, "name": sql_name(name)}
    if arguments is not None:
        grant["arguments"] = arguments.strip()
    if read[1] is not None:
        grant["columns"] = read[1]
    grant.update({"privileges": read[0], "roles": roles})
    if option or (kind == "grant" and tail):
        grant["grant_option"] = True
    return {"op": kind, "grant": grant}


DEFAULT_OPTION = re.compile(r"\s*(?:FOR\s+(?:ROLE|USER)|IN\s+SCHEMA)\s+"
                            + NAME + r"(?=\s|$)", re.I | re.S)


def default_privileges_op(m):
    """ALTER DEFAULT PRIVILEGES [FOR ROLE r] [IN SCHEMA s] GRANT | REVOKE
    [GRANT OPTION FOR] privileges ON TABLES | SEQUENCES | FUNCTIONS | TYPES
    TO | FROM roles [WITH GRANT OPTION] -> grant_default, revoke_default,
    IN SCHEMA s the operation's "schema"; several roles or schemas, a role
    by session, CASCADE, ON SCHEMAS | ROUTINES stay SQL."""
    grant = m[2].upper() == "GRANT"
    tail = m[8].split()[0].upper() if m[8] else None
    if grant != (m[6].upper() == "TO") or (grant and m[3]) or \
            tail not in ((None, "WITH") if grant else (None, "RESTRICT")):
        return None
    options, rest = {}, m[1]
    while rest.strip():
        o = DEFAULT_OPTION.match(rest)
        key = o and o[0].split()[0].upper()
        if not o or key in options:
            return None
        options[key] = sql_name(o[1])
        rest = rest[o.end():]
    on = m[5].lower()[:-1]
    read = privilege_list(m[4], on)
    roles = grantee_list(m[7])
    role = options.get("FOR")
    if read is None or read[1] is not None or roles is None or \
            (role is not None and role.lower() in SESSION_ROLES +
             ("none", "public")):
        return None
    defaults = {"on": on, "privileges": read[0], "roles": roles}
    if m[3] or (grant and tail):
        defaults["grant_option"] = True
    op = {"op": "grant_default" if grant else "revoke_default",
          "defaults": defaults}
    if "IN" in options:
        defaults["in_schema"] = True
        op["schema"] = options["IN"]
    if role is not None:
        defaults["for_role"] = role
    return op


def unquote_sql(text):
    if text.startswith("'"):
        return text[1:-1].replace("''", "'")
    return text


def enum_value_op(m):
    op = {"op": "add_enum_value", "type": m[1].lower(),
          "label": m[3].replace("''", "'")}
    if m[4]:
        op["place"] = {"where": m[4].lower(),
                       "label": m[5].replace("''", "'")}
    if m[2]:
        op["flags"] = ["if_not_exists"]
    return op


# sa.text()'s bind parameters, as SQLAlchemy finds them; \: is a colon.
BIND = re.compile(r"(?<![:\w\\]):(\w+)(?!:)")


def bind_params(text, params):
    """sa.text's ":name" binds and their dict -> $n and a value list."""
    order = []

    def number(m):
        if m.group(1) not in params:
            raise Untranslatable("bind parameter :%s has no value"
                                 % m.group(1))
        if m.group(1) not in order:
            order.append(m.group(1))
        return "$%d" % (order.index(m.group(1)) + 1)

    sql = BIND.sub(number, text).replace("\\:", ":")
    return {"sql": sql, "params": [param_json(params[k]) for k in order]}


def sql_op(sql):
    for pattern, build in SQL_FORMS:
        m = pattern.fullmatch(sql)
        if m:
            op = build(m)
            if op is None:
                break
            if not op.get("flags"):
                op.pop("flags", None)
            return op
    return {"op": "execute", "sql": sql}


# -------------------------------------------------------------- reader

# Members that name something: a string, or the call said too little.
NAMES = ("table", "column", "new_name", "type", "sql", "extension",
         "label", "constraint")


def check_names(op, call):
    for key in NAMES:
        if key in op and not isinstance(op[key], (str, dict)):
            raise Untranslatable("op.%s without its %s" % (call, key))
    if op["op"] == "drop_index" and not isinstance(op["index"], str):
        raise Untranslatable("op.%s without its index" % call)
    if op["op"] == "create_index":
        index = op["index"]
        if not isinstance(index.get("table"), str):
            raise Untranslatable("op.%s without its table" % call)
        if not (index.get("columns") or index.get("expression")
                or index.get("elements")):
            raise Untranslatable("op.%s without columns" % call)
    if op["op"] == "create_table" and not op["columns"] \
            and not op.get("inherits"):
        raise Untranslatable("op.%s without columns" % call)


# ------------------------------------------------ what the C API can say
#
# The reader notes what Alembic says (a schema, INCLUDE, INITIALLY ...);
# align() turns each operation into the members the C structs have, or
# into raw SQL where that SQL is certain, or refuses it (a placeholder)
# with the reason.  Idempotent: an aligned operation passes unchanged.

def qname(schema, name):
    return qident(schema) + "." + qident(name) if schema else qident(name)


def is_inspector_call(node):
    """sa.inspect(bind), inspect(op.get_bind()), Inspector.from_engine(x)."""
    return isinstance(node, ast.Call) and last(node) in ("inspect",
                                                          "from_engine")


# What an inspector lists -> what the guard asks the catalog for; True:
# the names of a table's (a comprehension over x["name"]).
LISTS = {
    ("get_table_names", False): "table",
    ("get_view_names", False): "view",
    ("get_sequence_names", False): "sequence",
    ("get_columns", True): "column",
    ("get_indexes", True): "index",
    ("get_unique_constraints", True): "unique",
    ("get_foreign_keys", True): "foreign_key",
    ("get_check_constraints", True): "check",
}


def catalog_exists(kind, args):
    """EXISTS (...) over the catalog: [schema (None: the run's), table?,
    name].  Relations as SQLAlchemy's inspector sees them."""
    schema = "current_schema()" if args[0] is None else sql_literal(args[0])
    rel = ("SELECT 1 FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace"
           " n ON n.oid = c.relnamespace WHERE n.nspname = %s" % schema)
    if kind in ("relation", "table", "view", "sequence"):
        kinds = {"relation": "'r', 'p', 'f', 'v', 'm'", "table": "'r', 'p'",
                 "view": "'v'", "sequence": "'S'"}[kind]
        return "EXISTS (%s AND c.relname = %s AND c.relkind IN (%s))" % (
            rel, sql_literal(args[1]), kinds)
    table, name = sql_literal(args[1]), sql_literal(args[2])
    if kind == "column":
        return ("EXISTS (%s AND c.relname = %s AND EXISTS (SELECT 1 FROM "
                "pg_catalog.pg_attribute a WHERE a.attrelid = c.oid AND "
                "a.attname = %s AND a.attnum > 0 AND NOT a.attisdropped))"
                % (rel, table, name))
    if kind == "index":
        return ("EXISTS (%s AND c.relname = %s AND EXISTS (SELECT 1 FROM "
                "pg_catalog.pg_index i JOIN pg_catalog.pg_class x ON x.oid ="
                " i.indexrelid WHERE i.indrelid = c.oid AND x.relname = %s "
                "AND NOT i.indisprimary))" % (rel, table, name))
    contype = {"unique": "u", "foreign_key": "f", "check": "c"}[kind]
    return ("EXISTS (%s AND c.relname = %s AND EXISTS (SELECT 1 FROM "
            "pg_catalog.pg_constraint k WHERE k.conrelid = c.oid AND "
            "k.conname = %s AND k.contype = '%s'))"
            % (rel, table, name, contype))


def is_dialect_name(node):
    """x.dialect.name, x.engine.name, x.bind.dialect.name: the name of the
    dialect a revision runs on (op.get_context(), op.get_bind(), ...)."""
    return isinstance(node, ast.Attribute) and node.attr == "name" \
        and isinstance(node.value, ast.Attribute) \
        and node.value.attr in ("dialect", "engine")


def align_constraint(con):
    initially = con.pop("initially", None)
    if con.get("deferrable") and initially != "deferred" \
            and initially is not None:
        raise Untranslatable("DEFERRABLE INITIALLY IMMEDIATE: the DDL API "
                             "has DEFERRABLE INITIALLY DEFERRED only")


def align(op):
    """One operation of the reader -> the operations the C side reads."""
    kind = op["op"]
    if kind in ("placeholder", "execute", "execute_params", "if"):
        return [op]
    if not op.get("schema"):
        op.pop("schema", None)
    for con in op.get("constraints") or []:
        align_constraint(con)
    if isinstance(op.get("constraint"), dict):
        align_constraint(op["constraint"])
    if kind == "create_index":
        if op["index"].get("include"):
            raise Untranslatable("INCLUDE columns (postgresql_include): not "
                                 "in the DDL API")
        op["index"].pop("include", None)
    if kind == "create_enum" and op.get("flags"):
        # checkfirst=True: a guard asks the catalog, as Alembic does.
        flags = op.pop("flags")
        if flags != ["if_not_exists"]:
            raise Untranslatable("create_enum flags %r" % flags)
        return [{"op": "if", "line": op.get("line"),
                 "condition": "to_regtype(%s) IS NULL"
                 % sql_literal(qname(op.get("schema"), op["type"])),
                 "ops": [op]}]
    return [op]


class Call:
    """An op call's arguments, with the batch table put in place."""

    def __init__(self, node, table=None, table_pos=None, table_kw=None):
        self.node = node
        self.args = list(node.args)
        self.kw = {k.arg: k.value for k in node.keywords if k.arg}
        if any(k.arg is None for k in node.keywords):
            raise Untranslatable("**kwargs in an op call")
        if any(isinstance(a, ast.Starred) for a in node.args):
            raise Untranslatable("*args in an op call")
        if table is not None:
            const = ast.Constant(table)
            if table_kw:
                self.kw[table_kw] = const
            else:
                self.args.insert(table_pos, const)

    def get(self, i, key, default=None):
        if key in self.kw:
            return self.kw[key]
        if i is not None and i < len(self.args):
            return self.args[i]
        return default


# Where a batch_op method takes the table, as the op.* call would.
BATCH_TABLE = {
    "add_column": (0, None), "drop_column": (0, None),
    "alter_column": (0, None), "create_index": (1, None),
    "drop_index": (None, "table_name"), "create_foreign_key": (1, None),
    "create_unique_constraint": (1, None),
    "create_check_constraint": (1, None), "drop_constraint": (1, None),
    "create_primary_key": (1, None), "create_table_comment": (0, None),
    "drop_table_comment": (0, None),
    "create_exclude_constraint": (1, None),
}


class Reader:
    """One revision file."""

    align = staticmethod(align)

    def __init__(self, path, shown):
        self.path = path
        self.shown = shown
        try:
            with open(path, encoding="utf-8") as f:
                self.source = f.read()
        except (OSError, UnicodeDecodeError) as e:
            raise ImportFailure("%s: cannot read: %s" % (shown, e)) from None
        try:
            self.tree = ast.parse(self.source, filename=path)
        except SyntaxError as e:
            raise ImportFailure("%s:%s: syntax error: %s"
                                % (shown, e.lineno, e.msg)) from None
        self.module_env = {}
        self.functions = {}
        self.aliases = {}
        self.warnings = []
        self.env = {}
        self.tables = {}
        self.connections = {}
        self.inspectors = {}
        # schema= of the op call whose columns are being read.
        self.owner_schema = None

    # --- imports and constants

    def sa_prefixes(self, what):
        names = [a for a, full in self.aliases.items()
                 if full == "sqlalchemy"]
        names = names or ["sa"]
        out = tuple("%s.%s." % (n, what) for n in names)
        return out + ("%s." % what,)

    def resolve(self, node, depth=0):
        """A name bound by a simple assignment -> its expression."""
        while isinstance(node, ast.Name) and depth < 20:
            depth += 1
            if node.id in self.env:
                node = self.env[node.id]
            elif node.id in self.module_env:
                node = self.module_env[node.id]
            else:
                break
        return node

    def const(self, node):
        """A literal (after names) -> its value; op.f(x) -> x."""
        if node is None:
            return None
        node = self.resolve(node)
        if isinstance(node, ast.Call) and last(node) == "f" \
                and len(node.args) == 1:
            return self.const(node.args[0])
        if isinstance(node, (ast.JoinedStr, ast.BinOp)) or (
                isinstance(node, ast.Call)
                and last(node) in ("dedent", "text")):
            return self.const_str(node)
        try:
            return ast.literal_eval(node)
        except ValueError:
            raise Untranslatable("%s is not a literal value" % (
                ast.get_source_segment(self.source, node) or "a value"))

    def const_str(self, node):
        node = self.resolve(node)
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return node.value
        if isinstance(node, ast.Call) and isinstance(node.func,
                                                     ast.Attribute) \
                and node.func.attr == "execution_options":
            # sa.text("...").execution_options(autocommit=True)
            return self.const_str(node.func.value)
        if isinstance(node, ast.Call) and node.args:
            if last(node) == "dedent":
                return textwrap.dedent(self.const_str(node.args[0]))
            if last(node) in ("text", "f") and len(node.args) == 1:
                return self.const_str(node.args[0])
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            return self.const_str(node.left) + self.const_str(node.right)
        if isinstance(node, ast.JoinedStr):
            out = []
            for part in node.values:
                if isinstance(part, ast.Constant):
                    out.append(part.value)
                elif part.conversion == -1 and part.format_spec is None:
                    out.append(str(self.const(part.value)))
                else:
                    raise Untranslatable("a formatted string")
            return "".join(out)
        raise Untranslatable("%s is not a constant string" % (
            ast.get_source_segment(self.source, node) or "a value"))

    def warn(self, node, text):
        self.warnings.append("%s:%s: %s" % (
            self.shown, getattr(node, "lineno", 0), text))

    # --- the module

    def read(self):
        tree = self.tree
        values = {}
        for stmt in tree.body:
            if isinstance(stmt, (ast.Import, ast.ImportFrom)):
                for a in stmt.names:
                    full = a.name
                    if isinstance(stmt, ast.ImportFrom) and stmt.module:
                        full = stmt.module + "." + a.name
                    self.aliases[a.asname or a.name] = full
            elif isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 \
                    and isinstance(stmt.targets[0], ast.Name):
                self.module_env[stmt.targets[0].id] = stmt.value
                values[stmt.targets[0].id] = stmt
            elif isinstance(stmt, ast.AnnAssign) and stmt.value \
                    and isinstance(stmt.target, ast.Name):
                self.module_env[stmt.target.id] = stmt.value
                values[stmt.target.id] = stmt
            elif isinstance(stmt, ast.FunctionDef):
                self.functions[stmt.name] = stmt
        if "revision" not in values:
            raise ImportFailure("%s:1: no `revision = \"...\"` assignment"
                                % self.shown)
        try:
            revision = self.const(values["revision"].value)
        except Untranslatable:
            revision = None
        if not isinstance(revision, str):
            raise ImportFailure("%s:%d: revision is not a string literal"
                                % (self.shown, values["revision"].lineno))
        down = self.names_value(values, "down_revision")
        labels = self.names_value(values, "branch_labels")
        doc = ast.get_docstring(tree) or ""
        lines = [x.strip() for x in doc.splitlines()]
        message = lines[0] if lines and lines[0] else None
        if message is None:
            stem = os.path.splitext(os.path.basename(self.path))[0]
            if stem.startswith(revision + "_"):
                stem = stem[len(revision) + 1:]
            message = stem.replace("_", " ")
        m = re.search(r"^\s*Create Date:\s*(.+?)\s*$", doc, re.M)
        return {
            "file": self.shown,
            "revision": revision,
            "down_revision": down,
            "branch_labels": labels,
            "message": message,
            "create_date": m.group(1) if m else None,
            "upgrade": self.function_ops("upgrade"),
            "downgrade": self.function_ops("downgrade"),
        }

    def names_value(self, values, name):
        if name not in values:
            return []
        try:
            value = self.const(values[name].value)
        except Untranslatable:
            value = 0
        if value is None:
            return []
        if isinstance(value, str):
            return [value]
        if isinstance(value, (tuple, list)) and \
                all(isinstance(x, str) for x in value):
            return list(value)
        raise ImportFailure("%s:%d: %s is neither a string, a tuple of "
                            "strings nor None"
                            % (self.shown, values[name].lineno, name))

    def function_ops(self, name):
        fn = self.functions.get(name)
        if fn is None:
            self.warn(self.tree, "no %s() function" % name)
            return []
        self.env = {}
        self.tables = {}
        self.connections = {}
        self.inspectors = {}
        return self.body(fn.body, None, 0)

    # --- statements

    def body(self, stmts, batch, depth):
        ops = []
        pending = []
        for stmt in stmts:
            try:
                got = [x for op in self.statement(stmt, batch, depth)
                       for x in self.align(op)]
            except Untranslatable as e:
                pending.append((stmt, str(e)))
                continue
            except (IndexError, KeyError, TypeError, ValueError,
                    AttributeError) as e:
                # A call shaped unlike any the reader knows: never a
                # crash, a placeholder (and a warning, to improve it).
                self.warn(stmt, "could not read: %s: %s"
                          % (type(e).__name__, e))
                pending.append((stmt, "a call the importer could not "
                                "read"))
                continue
            if pending:
                ops.append(self.placeholder(pending))
                pending = []
            ops.extend(got)
        if pending:
            ops.append(self.placeholder(pending))
        return ops

    def placeholder(self, pending):
        first, lastst = pending[0][0], pending[-1][0]
        lines = self.source.splitlines(keepends=True)
        text = textwrap.dedent(
            "".join(lines[first.lineno - 1:lastst.end_lineno]))
        # The connection these statements use was bound earlier, by a
        # statement that made no operation: quote it too.
        used = {n.id for st, _ in pending for n in ast.walk(st)
                if isinstance(n, ast.Name)}
        bindings = dict(self.connections, **self.inspectors)
        for name, bound in sorted(bindings.items(),
                                  key=lambda x: x[1].lineno):
            if name in used and bound.lineno < first.lineno:
                text = ast.get_source_segment(self.source, bound) \
                    + "\n" + text
        reasons = []
        for _, r in pending:
            if r not in reasons:
                reasons.append(r)
        return {"op": "placeholder", "line": first.lineno,
                "reason": "; ".join(reasons),
                "python": text.rstrip("\n")}

    def statement(self, stmt, batch, depth):
        if isinstance(stmt, ast.Pass):
            return []
        if isinstance(stmt, ast.Expr) and isinstance(stmt.value,
                                                      ast.Constant):
            return []
        if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call):
            return self.call_statement(stmt.value, batch, depth)
        if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 \
                and isinstance(stmt.targets[0], ast.Name):
            if dotted(stmt.value.func if isinstance(stmt.value, ast.Call)
                      else stmt.value) == "op.get_bind":
                # Alone, a binding makes nothing: what uses it counts.
                self.connections[stmt.targets[0].id] = stmt
                return []
            if is_inspector_call(stmt.value):
                # insp = sa.inspect(op.get_bind()): read by the guards.
                self.inspectors[stmt.targets[0].id] = stmt
                return []
            return self.assignment(stmt.targets[0].id, stmt.value, batch)
        if isinstance(stmt, ast.With) and len(stmt.items) == 1:
            return self.with_block(stmt, batch, depth)
        if isinstance(stmt, ast.For) and not stmt.orelse:
            return self.literal_loop(stmt, batch, depth)
        if isinstance(stmt, ast.If):
            return self.dialect_branch(stmt, batch, depth)
        raise Untranslatable(self.why(stmt))

    def dialect_branch(self, stmt, batch, depth):
        """`if op.get_context().dialect.name == "postgresql":`: decided
        here, for a revision of this tool runs on PostgreSQL only; the
        branch taken is translated, the other dropped.  Any other test,
        or a branch it cannot translate, makes the whole `if` one
        placeholder."""
        taken = self.dialect_test(stmt.test)
        if taken is None:
            return self.catalog_branch(stmt, batch, depth)
        ops = []
        try:
            for inner in stmt.body if taken else stmt.orelse:
                ops.extend(self.statement(inner, batch, depth))
        except Untranslatable:
            raise Untranslatable(self.why(stmt)) from None
        return ops

    def catalog_branch(self, stmt, batch, depth):
        """`if not insp.has_table("t"):` and the like: an inspector's
        question of the catalog, asked by the server when the revision
        runs (a guard, pcsm_if), its body the guarded operations; an
        `else` is a second guard on the negation."""
        cond = self.guard_condition(stmt.test)
        if cond is None:
            raise Untranslatable(self.why(stmt))
        out = []
        for branch, test in ((stmt.body, cond),
                             (stmt.orelse, "NOT (%s)" % cond)):
            try:
                guarded = [x for inner in branch
                           for op in self.statement(inner, batch, depth)
                           for x in self.align(op)]
            except Untranslatable:
                raise Untranslatable(self.why(stmt)) from None
            if any(op["op"] == "if" for op in guarded):
                raise Untranslatable("a guard inside a guard (pcsm_if "
                                     "does not nest)")
            if guarded:
                out.append({"op": "if", "line": stmt.lineno,
                            "condition": test, "ops": guarded})
        return out

    def guard_condition(self, node):
        """The SQL of an inspector's question (has_table, a name in
        get_table_names() or in the names of get_columns(), get_indexes()
        ...), with not, and, or; None for anything else."""
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            inner = self.guard_condition(node.operand)
            return None if inner is None else "NOT (%s)" % inner
        if isinstance(node, ast.BoolOp):
            parts = [self.guard_condition(v) for v in node.values]
            if None in parts:
                return None
            word = " AND " if isinstance(node.op, ast.And) else " OR "
            return word.join("(%s)" % p for p in parts)
        if isinstance(node, ast.Call) \
                and isinstance(node.func, ast.Attribute) \
                and self.is_inspector(node.func.value):
            return self.has_question(node)
        if isinstance(node, ast.Compare) and len(node.ops) == 1 \
                and isinstance(node.ops[0], (ast.In, ast.NotIn)):
            name = self.const(node.left)
            names = self.listed_names(node.comparators[0])
            if not isinstance(name, str) or names is None:
                return None
            kind, args = names
            cond = catalog_exists(kind, args + [name])
            return cond if isinstance(node.ops[0], ast.In) \
                else "NOT %s" % cond
        return None

    def is_inspector(self, node):
        return (isinstance(node, ast.Name) and node.id in self.inspectors) \
            or is_inspector_call(node)

    def has_question(self, call):
        """insp.has_table("t"), has_index("t", "ix"), has_sequence("s")."""
        want = {"has_table": ("relation", ["table_name"]),
                "has_index": ("index", ["table_name", "index_name"]),
                "has_sequence": ("sequence", ["sequence_name"])}
        if call.func.attr not in want:
            return None
        kind, keys = want[call.func.attr]
        c = Call(call)
        args = [self.const(c.get(None, "schema"))] + [
            self.const(c.get(i, key)) for i, key in enumerate(keys)]
        if not all(isinstance(a, str) for a in args[1:]) \
                or not isinstance(args[0], (str, type(None))):
            return None
        return catalog_exists(kind, args)

    def listed_names(self, node):
        """insp.get_table_names() (and views, sequences), or the names of
        [x["name"] for x in insp.get_columns("t")] (indexes, unique,
        foreign key and check constraints): (kind, [schema, table]);
        None for anything else."""
        if isinstance(node, (ast.ListComp, ast.SetComp, ast.GeneratorExp)):
            gen = node.generators[0] if len(node.generators) == 1 else None
            elt = node.elt
            if gen is None or gen.ifs or not isinstance(gen.target, ast.Name) \
                    or not (isinstance(elt, ast.Subscript)
                            and isinstance(elt.value, ast.Name)
                            and elt.value.id == gen.target.id
                            and self.const(elt.slice) == "name"):
                return None
            node, of_table = gen.iter, True
        else:
            of_table = False
        if not (isinstance(node, ast.Call) and isinstance(node.func,
                                                          ast.Attribute)
                and self.is_inspector(node.func.value)):
            return None
        c = Call(node)
        kind = LISTS.get((node.func.attr, of_table))
        if kind is None:
            return None
        args = [self.const(c.get(None, "schema"))]
        if of_table:
            args.append(self.const(c.get(0, "table_name")))
        if not all(a is None or isinstance(a, str) for a in args) \
                or (of_table and not isinstance(args[1], str)):
            return None
        return kind, args

    def dialect_test(self, node):
        """True or False for a test of the dialect's name alone (==, !=,
        in, not in, and, or, not); None for anything else."""
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            inner = self.dialect_test(node.operand)
            return None if inner is None else not inner
        if isinstance(node, ast.BoolOp):
            values = [self.dialect_test(v) for v in node.values]
            if None in values:
                return None
            return all(values) if isinstance(node.op, ast.And) \
                else any(values)
        if not isinstance(node, ast.Compare) or len(node.ops) != 1:
            return None
        left, right, op = node.left, node.comparators[0], node.ops[0]
        if not is_dialect_name(left):
            left, right = right, left
        if not is_dialect_name(left):
            return None
        try:
            value = ast.literal_eval(self.resolve(right))
        except ValueError:
            return None
        if isinstance(op, (ast.Eq, ast.NotEq)) and isinstance(value, str):
            return (value == "postgresql") == isinstance(op, ast.Eq)
        if isinstance(op, (ast.In, ast.NotIn)) and isinstance(
                value, (tuple, list, set, frozenset)):
            return ("postgresql" in value) == isinstance(op, ast.In)
        return None

    def literal_loop(self, stmt, batch, depth):
        """`for t in ("a", "b"): op...`: the same every run, unrolled.

        Any statement of the body that cannot be translated makes the
        whole loop one placeholder.
        """
        try:
            values = ast.literal_eval(self.resolve(stmt.iter))
        except ValueError:
            raise Untranslatable(self.why(stmt)) from None
        target = stmt.target
        if isinstance(target, ast.Name):
            names = [target.id]
        elif isinstance(target, ast.Tuple) and all(
                isinstance(t, ast.Name) for t in target.elts):
            names = [t.id for t in target.elts]
        else:
            raise Untranslatable(self.why(stmt))
        if not isinstance(values, (list, tuple)):
            raise Untranslatable(self.why(stmt))
        saved = dict(self.env)
        ops = []
        try:
            for value in values:
                row = [value] if len(names) == 1 else list(value)
                if len(row) != len(names):
                    raise Untranslatable(self.why(stmt))
                for name, v in zip(names, row):
                    self.env[name] = ast.Constant(v)
                for inner in stmt.body:
                    ops.extend(self.statement(inner, batch, depth))
        except Untranslatable:
            raise Untranslatable(self.why(stmt)) from None
        finally:
            self.env = saved
        return ops

    def why(self, stmt):
        """The reason a statement cannot run in a C revision."""
        for node in ast.walk(stmt):
            if isinstance(node, ast.Attribute):
                if node.attr in ("fetchall", "fetchone", "first",
                                 "scalar", "scalars", "all", "one"):
                    return "reads rows (.%s())" % node.attr
        for node in ast.walk(stmt):
            if isinstance(node, ast.Name) and "ession" in node.id:
                return "uses an ORM session"
            if isinstance(node, ast.Attribute) and node.attr == "get_bind":
                return "uses a connection (op.get_bind())"
        if isinstance(stmt, (ast.For, ast.While, ast.AsyncFor)):
            return "loops in Python (%s)" % type(stmt).__name__.lower()
        if isinstance(stmt, ast.If):
            return "branches on a Python value (if)"
        return "Python the importer cannot translate"

    def assignment(self, name, value, batch):
        if isinstance(value, ast.Call) and last(value) == "create_table" \
                and dotted(value.func) == "op.create_table":
            ops = self.op_call("create_table", Call(value), value)
            self.tables[name] = self.table_shape(value)
            return ops
        callee = last(value) if isinstance(value, ast.Call) else None
        if callee in ("table", "Table"):
            self.tables[name] = self.table_shape(value)
            return []
        for node in ast.walk(value):
            if isinstance(node, ast.Attribute) and node.attr in (
                    "get_bind", "execute", "get_context"):
                raise Untranslatable(self.why(ast.Expr(value)))
        if isinstance(value, ast.Call) and callee in (
                "Enum", "ENUM", "Column", "column", "text"):
            self.env[name] = value
            return []
        try:
            ast.literal_eval(value)
        except ValueError:
            raise Untranslatable(self.why(ast.Expr(value))) from None
        self.env[name] = value
        return []

    def table_shape(self, call):
        """sa.table("t", sa.column("a"), ...) -> ("t", schema)."""
        name = self.const(call.args[0])
        schema = None
        for k in call.keywords:
            if k.arg == "schema":
                schema = self.const(k.value)
        return name, schema

    def with_block(self, stmt, batch, depth):
        item = stmt.items[0]
        ctx = item.context_expr
        if isinstance(ctx, ast.Call) and last(ctx) == "autocommit_block":
            return ([{"op": "autocommit_begin", "line": stmt.lineno}]
                    + self.body(stmt.body, batch, depth)
                    + [{"op": "autocommit_end",
                        "line": stmt.end_lineno}])
        if isinstance(ctx, ast.Call) and last(ctx) == "batch_alter_table":
            c = Call(ctx)
            table = self.const(c.get(0, "table_name"))
            schema = self.const(c.get(None, "schema"))
            var = item.optional_vars
            var = var.id if isinstance(var, ast.Name) else None
            recreate = self.const(c.get(None, "recreate"))
            if recreate == "always":
                self.warn(stmt, "recreate='always' ignored: PostgreSQL "
                          "alters in place")
            return self.body(stmt.body, (var, table, schema), depth)
        raise Untranslatable(self.why(stmt))

    def call_statement(self, call, batch, depth):
        func = call.func
        target = dotted(func.value) if isinstance(func,
                                                  ast.Attribute) else None
        if target == "op":
            return self.op_call(func.attr, Call(call), call)
        if isinstance(func, ast.Attribute) and func.attr == "execute" and (
                target in self.connections
                or dotted(getattr(func.value, "func", None))
                == "op.get_bind"):
            return self.connection_execute(call)
        if batch and target == batch[0]:
            name = func.attr
            if name not in BATCH_TABLE:
                raise Untranslatable("batch_op.%s is not supported" % name)
            pos, key = BATCH_TABLE[name]
            bc = Call(call, batch[1], pos, key)
            if batch[2]:
                # As Alembic's batch passes its schema to each operation.
                key = "source_schema" if name == "create_foreign_key" \
                    else "schema"
                bc.kw.setdefault(key, ast.Constant(batch[2]))
            ops = self.op_call(name, bc, call)
            if batch[2]:
                for op in ops:
                    op.setdefault("schema", batch[2])
            return ops
        if isinstance(func, ast.Attribute) and func.attr in ("create",
                                                             "drop"):
            enum = self.resolve(func.value)
            if isinstance(enum, ast.Call) and last(enum) in ("Enum", "ENUM"):
                return self.enum_statement(call, enum, func.attr)
        full = self.aliases.get(func.id, "") \
            if isinstance(func, ast.Name) else ""
        if full.startswith("alembic.op."):
            # from alembic.op import create_table, ...
            return self.op_call(full[len("alembic.op."):], Call(call),
                                call)
        if isinstance(func, ast.Name) and func.id in self.functions \
                and not call.args and not call.keywords and depth < 5:
            fn = self.functions[func.id]
            if not fn.args.args:
                return self.body(fn.body, batch, depth + 1)
        raise Untranslatable(self.why(ast.Expr(call)))

    def connection_execute(self, call):
        """conn.execute(sa.text("..."), {...}): SQL that reads nothing."""
        if not 1 <= len(call.args) <= 2 or call.keywords:
            raise Untranslatable("conn.execute with keyword arguments")
        try:
            text = self.const_str(call.args[0])
        except Untranslatable:
            raise Untranslatable("conn.execute of a SQLAlchemy "
                                 "expression, not SQL text") from None
        if len(call.args) == 2:
            params = self.const(call.args[1])
            if not isinstance(params, dict):
                raise Untranslatable("conn.execute with several rows of "
                                     "parameters")
            return [dict({"op": "execute_params", "line": call.lineno},
                         **bind_params(text, params))]
        op = sql_op(text)
        return [dict({"op": op.pop("op"), "line": call.lineno}, **op)]

    def enum_statement(self, call, enum, action):
        kw = {k.arg: k.value for k in call.keywords}
        check = "checkfirst" in kw and self.const(kw["checkfirst"])
        t, info = enum_type(enum, {k.arg: k.value for k in enum.keywords},
                            self)
        if info is None:
            return []
        name, labels = info[0], info[1]
        if action == "create":
            op = {"op": "create_enum", "line": call.lineno, "type": name,
                  "labels": labels}
            if check:
                op["flags"] = ["if_not_exists"]
        else:
            op = {"op": "drop_type", "line": call.lineno, "type": name}
            if check:
                op["flags"] = ["if_exists"]
        if t.get("schema"):
            op["schema"] = t["schema"]
        return [op]

    # --- op.* calls

    def op_call(self, name, c, node):
        handler = getattr(self, "op_" + name, None)
        if handler is None:
            raise Untranslatable("op.%s is not supported" % name)
        ops = handler(c)
        for op in ops:
            check_names(op, name)
            op.setdefault("line", node.lineno)
            # Keep "op" and "line" first: easier to read by eye.
            op_order = {"op": op.pop("op"), "line": op.pop("line")}
            op_order.update(op)
            op.clear()
            op.update(op_order)
        return ops

    def schema_of(self, c, key="schema"):
        value = self.const(c.get(None, key))
        return {"schema": value} if value else {}

    def op_create_table(self, c):
        table = self.const(c.get(0, "table_name"))
        for key in c.kw:
            if key not in ("table_name", "schema", "comment", "info",
                           "postgresql_partition_by", "postgresql_inherits"):
                raise Untranslatable("create_table option %s" % key)
        by = self.const(c.get(None, "postgresql_partition_by"))
        key = partition_key(by) if isinstance(by, str) else None
        if by is not None and key is None:
            raise Untranslatable("create_table option postgresql_partition_by")
        # SQLAlchemy quotes each as one name: "s.t" is no schema's table.
        inherits = self.const(c.get(None, "postgresql_inherits"))
        if isinstance(inherits, str):
            inherits = [inherits]
        if inherits is not None and (
                not isinstance(inherits, (list, tuple)) or not inherits or
                not all(isinstance(x, str) and x for x in inherits)):
            raise Untranslatable("create_table option postgresql_inherits")
        columns, constraints, after, enums = [], [], [], []
        self.owner_schema = self.const(c.get(None, "schema"))
        for item in c.args[1:]:
            item = self.resolve(item)
            kind = last(item)
            if kind == "Column":
                col, extra, enum = self.column(item, table)
                columns.append(col)
                after.extend(extra)
                if enum:
                    enums.append(enum)
            elif kind == "Index":
                after.append(self.index_item(item, table))
            else:
                constraints.append(self.constraint(item))
        pk = [col["name"] for col in columns if col.get("primary_key")]
        for con in constraints:
            if con["kind"] == "primary_key":
                pk.extend(x for x in con["columns"] if x not in pk)
        self.serialize(columns, pk)
        # primary_key=True and a PrimaryKeyConstraint of the same columns
        # are one key to SQLAlchemy; the C API takes it said once.
        for con in constraints:
            if con["kind"] == "primary_key":
                for col in columns:
                    if col["name"] in con["columns"]:
                        col.pop("primary_key", None)
        op = {"op": "create_table", "table": table, "columns": columns}
        if key:
            op.update({"strategy": key[0], "key": key[1]})
        if inherits:
            op["inherits"] = list(inherits)
        if constraints:
            op["constraints"] = constraints
        comment = self.const(c.get(None, "comment"))
        if comment is not None:
            op["comment"] = comment
        op.update(self.schema_of(c))
        before = []
        seen = set()
        for ename, labels, create, eschema in enums:
            if create and (eschema, ename) not in seen:
                seen.add((eschema, ename))
                enum_op = {"op": "create_enum", "type": ename,
                           "labels": labels}
                if eschema:
                    enum_op["schema"] = eschema
                before.append(enum_op)
        for extra in after:
            extra.update(self.schema_of(c))
        return before + [op] + after

    def serialize(self, columns, pk):
        """SQLAlchemy's autoincrement column renders SERIAL."""
        for col in columns:
            auto = col.pop("_autoincrement", "auto")
            if col["type"].get("kind") not in INTEGER_KINDS \
                    or col["type"].get("array_dims"):
                continue
            if col["name"] not in pk or auto is False:
                continue
            if auto == "auto" and (len(pk) != 1 or col.get("references")
                                   or col.get("_fk")
                                   or col.get("default_value")
                                   or col.get("identity")):
                continue
            if col.get("identity") or col.get("default_value"):
                continue
            col["type"] = {"kind": INTEGER_KINDS[col["type"]["kind"]]}
        for col in columns:
            col.pop("_fk", None)

    def column(self, node, table):
        """sa.Column(...) -> (column JSON, ops after, enum or None)."""
        c = Call(node)
        args = list(c.args)
        name = None
        if args and not isinstance(self.resolve(args[0]), ast.Call) \
                and isinstance(self.const(args[0]), str):
            name = self.const(args.pop(0))
        if name is None:
            name = self.const(c.kw.get("name"))
        if name is None:
            raise Untranslatable("a column without a name")
        col = {"name": name}
        type_node = c.kw.get("type_")
        enum = None
        fks = []
        for a in args:
            a = self.resolve(a)
            kind = last(a)
            if kind == "ForeignKey":
                fks.append(a)
            elif kind == "Identity":
                col.update(self.identity(a))
            elif kind == "Computed":
                col["generated"] = self.const_str(a.args[0])
            elif kind == "Sequence":
                raise Untranslatable("a column with sa.Sequence")
            elif type_node is None:
                type_node = a
        if type_node is None:
            raise Untranslatable("column %s has no type" % name)
        col["type"], enum = type_json(type_node, self)
        collation = type_collation(type_node, self)
        if collation:
            col["collation"] = collation
        pk = self.const(c.kw.get("primary_key")) is True
        nullable = self.const(c.kw.get("nullable"))
        if pk:
            col["primary_key"] = True
        elif nullable is False:
            col["not_null"] = True
        if "server_default" in c.kw:
            value = default_json(c.kw["server_default"], self)
            if value["kind"] != "null":
                col["default_value"] = value
        if "autoincrement" in c.kw:
            col["_autoincrement"] = self.const(c.kw["autoincrement"])
        comment = self.const(c.kw.get("comment"))
        if comment is not None:
            col["comment"] = comment
        unique = self.const(c.kw.get("unique")) is True
        index = self.const(c.kw.get("index")) is True
        after = []
        if index:
            ix_name = sa_index_name(self.owner_schema, table, name)
            after.append({"op": "create_index", "line": node.lineno,
                          "index": {"name": ix_name,
                                    "table": table, "columns": [name],
                                    "unique": unique}})
            if not unique:
                del after[0]["index"]["unique"]
        elif unique:
            col["unique"] = True
        for fk in fks:
            self.column_fk(col, fk, after, table, node)
        return col, after, enum

    def column_fk(self, col, fk, after, table, node):
        c = Call(fk)
        schema, ref_table, ref_col = split_ref(self.const(c.get(0,
                                                                "column")))
        name = self.const(c.get(None, "name"))
        on_delete = fk_action(self.const(c.get(None, "ondelete")))
        on_update = fk_action(self.const(c.get(None, "onupdate")))
        col["_fk"] = True
        if name is not None or "references" in col:
            con = {"kind": "foreign_key", "name": name,
                   "columns": [col["name"]], "references": ref_table,
                   "ref_columns": [ref_col]}
            if schema:
                con["ref_schema"] = schema
            if on_delete:
                con["on_delete"] = on_delete
            if on_update:
                con["on_update"] = on_update
            after.append({"op": "add_constraint", "line": node.lineno,
                          "table": table, "constraint": con})
            return
        col["references"] = ref_table
        col["ref_column"] = ref_col
        if schema:
            col["ref_schema"] = schema
        if on_delete:
            col["on_delete"] = on_delete
        if on_update:
            col["on_update"] = on_update

    def identity(self, node):
        c = Call(node)
        always = self.const(c.get(0, "always")) is True
        out = {"identity": "always" if always else "by_default"}
        options = {}
        for key in ("start", "minvalue", "maxvalue"):
            value = self.const(c.get(None, key))
            if value is not None:
                options[key] = value
        for key in ("increment", "cache"):
            value = self.const(c.get(None, key))
            if value is not None:
                options[key] = value
        cycle = self.const(c.get(None, "cycle"))
        if cycle is not None:
            options["cycle"] = "cycle" if cycle else "no_cycle"
        if options:
            out["identity_options"] = options
        return out

    def constraint(self, node):
        """A table argument: sa.*Constraint(...) -> constraint JSON."""
        kind = last(node)
        if not isinstance(node, ast.Call):
            raise Untranslatable("a table argument the importer cannot "
                                 "read")
        c = Call(node)
        name = self.const(c.get(None, "name"))
        if kind == "PrimaryKeyConstraint":
            con = {"kind": "primary_key", "name": name,
                   "columns": [self.const(a) for a in c.args]}
        elif kind == "UniqueConstraint":
            con = {"kind": "unique", "name": name,
                   "columns": [self.const(a) for a in c.args]}
        elif kind == "CheckConstraint":
            con = {"kind": "check", "name": name,
                   "check": self.const_str(c.get(0, "sqltext"))}
        elif kind == "ForeignKeyConstraint":
            con = self.fk_constraint(name, self.const(c.get(0, "columns")),
                                     self.const(c.get(1, "refcolumns")), c)
        elif kind == "ExcludeConstraint":
            con = self.exclude_constraint(name, c.args, c)
        else:
            raise Untranslatable("table argument %s is not supported"
                                 % kind)
        self.deferrable(con, c)
        return con

    def fk_constraint(self, name, columns, refs, c, ref_table=None,
                      ref_schema=None):
        ref_columns = []
        for ref in refs:
            if ref_table is None or "." in ref:
                schema, table, col = split_ref(ref)
                ref_table, ref_schema = table, schema or ref_schema
                ref_columns.append(col)
            else:
                ref_columns.append(ref)
        con = {"kind": "foreign_key", "name": name, "columns": columns,
               "references": ref_table, "ref_columns": ref_columns}
        if ref_schema:
            con["ref_schema"] = ref_schema
        for key, member in (("ondelete", "on_delete"),
                            ("onupdate", "on_update")):
            action = fk_action(self.const(c.get(None, key)))
            if action:
                con[member] = action
        return con

    def exclude_constraint(self, name, elements, c):
        """ExcludeConstraint(("room", "="), (text("..."), "&&"), ...):
        each element a key (as an index's) and its operator; `using`
        gist unless given, as SQLAlchemy's; `ops` the keys' classes."""
        ops = self.const(c.get(None, "ops")) or {}
        items = []
        for e in elements:
            e = self.resolve(e)
            if not isinstance(e, ast.Tuple) or len(e.elts) != 2:
                raise Untranslatable("an exclusion element that is not a "
                                     "(key, operator) pair")
            item = self.index_element(e.elts[0])
            item["with"] = self.const_str(e.elts[1])
            if item.get("column") in ops:
                item["opclass"] = ops[item["column"]]
            items.append(item)
        con = {"kind": "exclude", "name": name, "elements": items,
               "method": self.const(c.get(None, "using")) or "gist"}
        where = c.get(None, "where")
        if where is not None:
            try:
                con["where"] = self.const_str(where)
            except Untranslatable:
                raise Untranslatable("an exclusion predicate written as a "
                                     "SQLAlchemy expression") from None
        return con

    def deferrable(self, con, c):
        # SQLAlchemy's UniqueConstraint(..., postgresql_nulls_not_distinct)
        if con["kind"] == "unique" and self.const(
                c.get(None, "postgresql_nulls_not_distinct")):
            con["nulls_not_distinct"] = True
        deferrable = self.const(c.get(None, "deferrable"))
        initially = self.const(c.get(None, "initially"))
        if deferrable:
            con["deferrable"] = True
            con["initially"] = (initially or "immediate").lower()

    def index_item(self, node, table):
        """sa.Index("name", "col", ...) in a create_table."""
        c = Call(node)
        name = self.const(c.args[0]) if c.args else None
        elements = c.args[1:]
        return self.index_op(name, table, elements, c, self.owner_schema)

    def index_element(self, e):
        """One key of an index: {"column"|"expression", "descending",
        "nulls"}, from a name, text("x DESC NULLS LAST"), x.desc(),
        sa.desc(x), x.nulls_first() and the like."""
        e = self.resolve(e)
        if isinstance(e, ast.Call) and last(e) in ORDER_CALLS:
            inner = e.func.value if isinstance(e.func, ast.Attribute) \
                and not e.args else (e.args[0] if e.args else None)
            if inner is None:
                raise Untranslatable("an index element the importer "
                                     "cannot read")
            item = self.index_element(inner)
            word = last(e).replace("nullsfirst", "nulls_first").replace(
                "nullslast", "nulls_last")
            if word == "desc":
                item["descending"] = True
            elif word in ("nulls_first", "nulls_last"):
                item["nulls"] = word[len("nulls_"):]
            return item
        if isinstance(e, ast.Call) and last(e) in ("text",
                                                   "literal_column"):
            return text_index_element(self.const_str(e.args[0]))
        if isinstance(e, ast.Call) and last(e) == "column" and e.args:
            e = e.args[0]
        value = self.const(e)
        if not isinstance(value, str):
            raise Untranslatable("an index element the importer "
                                 "cannot read")
        return {"column": value}

    def index_op(self, name, table, elements, c, schema):
        items = [self.index_element(e) for e in elements]
        columns = [i["column"] for i in items if list(i) == ["column"]]
        exprs = [i["expression"] for i in items
                 if list(i) == ["expression"]]
        if name is None and elements and isinstance(table, str):
            first = self.resolve(elements[0])
            if isinstance(first, ast.Call) and last(first) in (
                    "text", "literal_column"):
                first = self.const_str(first.args[0])
            elif isinstance(first, ast.Call):
                first = items[0].get("column", items[0].get("expression"))
            else:
                first = self.const(first)
            name = sa_index_name(schema, table, first)
        index = {"name": name, "table": table}
        ops = self.const(c.get(None, "postgresql_ops")) or {}
        if len(exprs) == 1 and len(items) == 1 and not ops:
            index["expression"] = exprs[0]
        elif len(columns) == len(items) and not ops:
            index["columns"] = columns
        else:
            index["elements"] = items
            for item in items:
                if item.get("column") in ops:
                    item["opclass"] = ops[item["column"]]
        if self.const(c.get(None, "unique")):
            index["unique"] = True
        if self.const(c.get(None, "postgresql_concurrently")):
            index["concurrently"] = True
        if self.const(c.get(None, "if_not_exists")):
            index["if_not_exists"] = True
        using = self.const(c.get(None, "postgresql_using"))
        if using:
            index["method"] = using
        where = c.get(None, "postgresql_where")
        if where is not None:
            index["where"] = self.const_str(where)
        if self.const(c.get(None, "postgresql_nulls_not_distinct")):
            index["nulls_not_distinct"] = True
        for key in c.kw:
            if key.startswith("postgresql_") and key not in (
                    "postgresql_where", "postgresql_using",
                    "postgresql_concurrently", "postgresql_ops",
                    "postgresql_include", "postgresql_nulls_not_distinct"):
                self.warn(c.node, "create_index option %s ignored" % key)
        include = self.const(c.get(None, "postgresql_include"))
        if include:
            index["include"] = list(include)
        op = {"op": "create_index", "index": index}
        op.update(self.schema_of(c))
        return op

    def op_drop_table(self, c):
        op = {"op": "drop_table", "table": self.const(c.get(0,
                                                            "table_name"))}
        if self.const(c.get(None, "if_exists")):
            op["flags"] = ["if_exists"]
        op.update(self.schema_of(c))
        return [op]

    def op_rename_table(self, c):
        op = {"op": "rename_table",
              "table": self.const(c.get(0, "old_table_name")),
              "new_name": self.const(c.get(1, "new_table_name"))}
        op.update(self.schema_of(c))
        return [op]

    def op_add_column(self, c):
        table = self.const(c.get(0, "table_name"))
        node = self.resolve(c.get(1, "column"))
        self.owner_schema = self.const(c.get(None, "schema"))
        col, after, enum = self.column(node, table)
        self.serialize([col], [col["name"]] if col.get("primary_key")
                       else [])
        op = {"op": "add_column", "table": table, "column": col}
        op.update(self.schema_of(c))
        for extra in after:
            extra.update(self.schema_of(c))
        return [op] + after

    def op_drop_column(self, c):
        op = {"op": "drop_column",
              "table": self.const(c.get(0, "table_name")),
              "column": self.const(c.get(1, "column_name"))}
        op.update(self.schema_of(c))
        return [op]

    def op_alter_column(self, c):
        table = self.const(c.get(0, "table_name"))
        column = self.const(c.get(1, "column_name"))
        ref = {"table": table, "column": column}
        ref.update(self.schema_of(c))
        self.owner_schema = ref.get("schema")
        ops = []
        # Alembic's order on PostgreSQL: type, nullable, default,
        # comment, and the rename last.
        if c.get(None, "type_") is not None:
            t, _ = type_json(c.kw["type_"], self)
            op = dict({"op": "alter_column_type"}, **ref)
            op["type"] = t
            collation = type_collation(c.kw["type_"], self)
            if collation:
                op["collation"] = collation
            using = c.get(None, "postgresql_using")
            if using is not None:
                op["using"] = self.const_str(using)
            ops.append(op)
        nullable = self.const(c.get(None, "nullable"))
        if nullable is not None:
            kind = "drop_not_null" if nullable else "set_not_null"
            ops.append(dict({"op": kind}, **ref))
        if "server_default" in c.kw:
            default = self.resolve(c.kw["server_default"])
            if isinstance(default, ast.Constant) and default.value is None:
                ops.append(dict({"op": "drop_default"}, **ref))
            elif not (isinstance(default, ast.Constant)
                      and default.value is False):
                op = dict({"op": "set_default"}, **ref)
                op["value"] = default_json(default, self)
                ops.append(op)
        if "comment" in c.kw:
            comment = self.const(c.kw["comment"])
            if comment is not False:
                op = dict({"op": "comment_column"}, **ref)
                op["comment"] = comment
                ops.append(op)
        new_name = self.const(c.get(None, "new_column_name"))
        if new_name is not None:
            op = dict({"op": "rename_column"}, **ref)
            op["new_name"] = new_name
            ops.append(op)
        return ops

    def op_create_index(self, c):
        name = self.const(c.get(0, "index_name"))
        table = self.const(c.get(1, "table_name"))
        columns = c.get(2, "columns")
        columns = self.resolve(columns)
        if isinstance(columns, (ast.List, ast.Tuple)):
            elements = columns.elts
        else:
            elements = [columns]
        return [self.index_op(name, table, elements, c,
                              self.const(c.get(None, "schema")))]

    def op_drop_index(self, c):
        op = {"op": "drop_index", "index": self.const(c.get(0,
                                                            "index_name"))}
        flags = []
        if self.const(c.get(None, "if_exists")):
            flags.append("if_exists")
        if self.const(c.get(None, "postgresql_concurrently")):
            flags.append("drop_concurrently")
        if flags:
            op["flags"] = flags
        op.update(self.schema_of(c))
        return [op]

    def op_create_foreign_key(self, c):
        name = self.const(c.get(0, "constraint_name"))
        table = self.const(c.get(1, "source_table"))
        referent = self.const(c.get(2, "referent_table"))
        con = self.fk_constraint(
            name, list(self.const(c.get(3, "local_cols"))),
            list(self.const(c.get(4, "remote_cols"))), c,
            ref_table=referent,
            ref_schema=self.const(c.get(None, "referent_schema")))
        self.deferrable(con, c)
        self.not_valid(con, c)
        op = {"op": "add_constraint", "table": table, "constraint": con}
        op.update(self.schema_of(c, "source_schema"))
        return [op]

    def add_constraint(self, c, con):
        op = {"op": "add_constraint",
              "table": self.const(c.get(1, "table_name")),
              "constraint": con}
        self.deferrable(con, c)
        self.not_valid(con, c)
        op.update(self.schema_of(c))
        return [op]

    def not_valid(self, con, c):
        """postgresql_not_valid=True (SQLAlchemy 1.4.32 and later) on a
        foreign key or check added to a table: NOT VALID."""
        if not self.const(c.get(None, "postgresql_not_valid")):
            return
        if con["kind"] not in ("foreign_key", "check"):
            raise Untranslatable("NOT VALID on a constraint that is not a "
                                 "foreign key or a check")
        con["not_valid"] = True

    def op_create_unique_constraint(self, c):
        return self.add_constraint(c, {
            "kind": "unique", "name": self.const(c.get(0,
                                                       "constraint_name")),
            "columns": list(self.const(c.get(2, "columns")))})

    def op_create_primary_key(self, c):
        return self.add_constraint(c, {
            "kind": "primary_key",
            "name": self.const(c.get(0, "constraint_name")),
            "columns": list(self.const(c.get(2, "columns")))})

    def op_create_exclude_constraint(self, c):
        return self.add_constraint(c, self.exclude_constraint(
            self.const(c.get(0, "constraint_name")), c.args[2:], c))

    def op_create_check_constraint(self, c):
        condition = c.get(2, "condition")
        try:
            check = self.const_str(condition)
        except Untranslatable:
            raise Untranslatable("a check condition written as a "
                                 "SQLAlchemy expression") from None
        return self.add_constraint(c, {
            "kind": "check", "name": self.const(c.get(0,
                                                      "constraint_name")),
            "check": check})

    def op_drop_constraint(self, c):
        op = {"op": "drop_constraint",
              "table": self.const(c.get(1, "table_name")),
              "constraint": self.const(c.get(0, "constraint_name"))}
        op.update(self.schema_of(c))
        return [op]

    def op_create_table_comment(self, c):
        op = {"op": "comment_table",
              "table": self.const(c.get(0, "table_name")),
              "comment": self.const(c.get(1, "comment"))}
        op.update(self.schema_of(c))
        return [op]

    def op_drop_table_comment(self, c):
        op = {"op": "comment_table",
              "table": self.const(c.get(0, "table_name")),
              "comment": None}
        op.update(self.schema_of(c))
        return [op]

    def op_execute(self, c):
        sql = c.get(0, "sqltext")
        node = self.resolve(sql)
        if isinstance(node, ast.Call) and last(node) in ("CreateSchema",
                                                         "DropSchema"):
            return [self.schema_ddl(Call(node))]
        if isinstance(node, ast.Call) and last(node) in ("CreateSequence",
                                                         "DropSequence"):
            return [self.sequence_ddl(node)]
        try:
            text = self.const_str(sql)
        except Untranslatable:
            raise Untranslatable("op.execute of a SQLAlchemy expression, "
                                 "not SQL text") from None
        return [sql_op(text)]

    def schema_ddl(self, c):
        """sa.schema.CreateSchema("x", if_not_exists=) / DropSchema("x",
        cascade=, if_exists=)."""
        create = last(c.node) == "CreateSchema"
        flags = []
        if create and self.const(c.get(None, "if_not_exists")):
            flags.append("if_not_exists")
        if not create and self.const(c.get(None, "if_exists")):
            flags.append("if_exists")
        if not create and self.const(c.get(None, "cascade")):
            flags.append("drop_cascade")
        op = {"op": "create_schema" if create else "drop_schema",
              "name": self.const(c.get(0, "name"))}
        if not isinstance(op["name"], str):
            raise Untranslatable("%s without a name" % last(c.node))
        if flags:
            op["flags"] = flags
        return op

    def sequence_ddl(self, node):
        """sa.schema.CreateSequence(sa.Sequence("s", start=, ...,
        schema=)) / DropSequence(...): SQLAlchemy renders the options
        given, in the sequence's schema."""
        seq = self.resolve(node.args[0]) if len(node.args) == 1 else None
        if not (isinstance(seq, ast.Call) and last(seq) == "Sequence"):
            raise Untranslatable("%s of something other than sa.Sequence"
                                 % last(node))
        c = Call(seq)
        op = {"op": "create_sequence" if last(node) == "CreateSequence"
              else "drop_sequence",
              "sequence": self.const(c.get(0, "name"))}
        options = {}
        for key in c.kw:
            if key not in ("name", "schema", "start", "increment",
                           "minvalue", "maxvalue", "cycle", "cache",
                           "data_type", "metadata"):
                raise Untranslatable("sa.Sequence option %s" % key)
        for key in ("start", "increment", "minvalue", "maxvalue", "cache"):
            value = self.const(c.get(None, key))
            if value is not None:
                options[key] = value
        cycle = self.const(c.get(None, "cycle"))
        if cycle is not None:
            options["cycle"] = "cycle" if cycle else "no_cycle"
        if c.get(None, "data_type") is not None:
            options["as"] = type_json(c.kw["data_type"], self)[0]
        if options and op["op"] == "create_sequence":
            op["options"] = options
        op.update(self.schema_of(c))
        return op

    def op_bulk_insert(self, c):
        target = c.get(0, "table")
        shape = None
        if isinstance(target, ast.Name):
            shape = self.tables.get(target.id)
        if shape is None:
            node = self.resolve(target)
            if isinstance(node, ast.Call) and last(node) in ("table",
                                                             "Table"):
                shape = self.table_shape(node)
        if shape is None:
            raise Untranslatable("bulk_insert into a table the importer "
                                 "cannot see")
        table, schema = shape
        rows = self.const(c.get(1, "rows"))
        multi = self.const(c.get(2, "multiinsert", ast.Constant(True)))
        ops = []
        name = qident(table) if not schema else \
            qident(schema) + "." + qident(table)
        for row in rows:
            # One executemany, compiled on the first row: its keys are
            # every row's, extra keys of later rows are ignored.
            keys = list(rows[0] if multi else row)
            if any(k not in row for k in keys):
                raise Untranslatable("bulk_insert rows without the first "
                                     "row's keys")
            sql = "INSERT INTO %s (%s) VALUES (%s)" % (
                name, ", ".join(qident(k) for k in keys),
                ", ".join("$%d" % (i + 1) for i in range(len(keys))))
            ops.append({"op": "execute_params", "sql": sql,
                        "params": [param_json(row[k]) for k in keys]})
        return ops

    def op_f(self, c):
        return []


# ---------------------------------------------------------- directory

def read_versions(path, warnings=None, aligned=True):
    """The JSON document of a versions/ directory, as a dict.

    Warnings (file:line: text) are appended to `warnings` when given.
    aligned=False: the operations as read, before align() (for tests of
    the reading itself: schema, ref_schema, include ... still there).
    """
    if not os.path.isdir(path):
        raise ImportFailure("%s: not a directory" % path)
    base = os.path.basename(os.path.normpath(path))
    revisions, seen = [], {}
    if warnings is None:
        warnings = []
    for name in sorted(os.listdir(path)):
        if not name.endswith(".py") or name == "__init__.py" \
                or name.startswith("."):
            continue
        shown = base + "/" + name
        reader = Reader(os.path.join(path, name), shown)
        if not aligned:
            reader.align = lambda op: [op]
        rev = reader.read()
        if rev["revision"] in seen:
            raise ImportFailure("%s: revision %s is also in %s" % (
                shown, rev["revision"], seen[rev["revision"]]))
        seen[rev["revision"]] = shown
        revisions.append(rev)
        warnings.extend(reader.warnings)
    return {"format": FORMAT, "source": path, "revisions": revisions}


def summary(doc):
    counts = {"structured": 0, "raw": 0, "placeholder": 0}
    clean = 0
    for rev in doc["revisions"]:
        holes = 0
        # Counted as `pcs-migrate import-alembic` counts: a guard and each
        # operation it guards, execute_params as raw SQL.
        ops = [x for op in rev["upgrade"] + rev["downgrade"]
               for x in [op] + op.get("ops", [])]
        for op in ops:
            if op["op"] == "placeholder":
                counts["placeholder"] += 1
                holes += 1
            elif op["op"] in ("execute", "execute_params"):
                counts["raw"] += 1
            else:
                counts["structured"] += 1
        clean += holes == 0
    n = len(doc["revisions"])
    return ("alembic_import: %d revisions (%d clean, %d with "
            "placeholders); %d operations: %d structured, %d raw SQL, "
            "%d placeholders" % (n, clean, n - clean,
                                 sum(counts.values()),
                                 counts["structured"], counts["raw"],
                                 counts["placeholder"]))


def main(argv):
    if len(argv) != 2 or argv[1].startswith("-"):
        sys.stderr.write("usage: alembic_import.py VERSIONS_DIR "
                         "> ops.json\n")
        return 2
    warnings = []
    try:
        doc = read_versions(argv[1], warnings)
    except ImportFailure as e:
        sys.stderr.write("alembic_import: %s\n" % e)
        return 2
    for w in warnings:
        sys.stderr.write("alembic_import: warning: %s\n" % w)
    # The format is UTF-8 whatever the locale says.
    sys.stdout.reconfigure(encoding="utf-8")
    json.dump(doc, sys.stdout, indent=1, ensure_ascii=False)
    sys.stdout.write("\n")
    sys.stderr.write(summary(doc) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
