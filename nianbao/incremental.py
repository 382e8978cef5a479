"""Which documents an incremental dbt build recomputes (`meta.build_batch`), decided on the candidate itself.

The candidate holds the marts the published build made (with this same code: the caller checked the
fingerprint) and the staging after this run's ingest, parse, dedupe and validation. A document's rows in the
marts by document (dbt_project.yml, macros/build_batch.sql) depend on its own staged rows and, across
reports, only on the reports of its body (agency_key: from its own name and province) read by
int_agency_reports and int_cross_report_checks: the same year's reports (report_count, is_chosen, the
same-year checks) and the chosen report of the year before (the carry-over check). So the batch is every
document new, removed, re-parsed (parser_version) or (un)quarantined since the marts were built, and every
document of the same body in the same year as one of those, or in the year after (before or now: both the
published and the staged body and year count). Anything else would need the code to change, and a changed
fingerprint rebuilds everything. A staged name's body is in int_agency_divisions (a table of the names the
last build saw) or, for a name new since, int_agency_divisions_unseen (the same rules on the unseen names).
"""

from __future__ import annotations

from pathlib import Path

from nianbao.warehouse import connect

BATCH_TABLE = "meta.build_batch"
BATCH_SQL = f"""
create table {BATCH_TABLE} as
with bodies as (
    select agency, province, agency_key from int.int_agency_divisions
    union all
    select agency, province, agency_key from int.int_agency_divisions_unseen
),
staged as (
    select
        d.document_id,
        d.parser_version,
        exists (select 1 from stg.stg_quarantine q where q.document_id = d.document_id) as is_quarantined
    from staging.documents d
),
changed as (
    select document_id from staged
    where not exists (
        select 1 from marts.dim_report r
        where r.document_id = staged.document_id
            and r.parser_version = staged.parser_version
            and r.is_quarantined = staged.is_quarantined
    )
    union
    select r.document_id from marts.dim_report r
    where not exists (select 1 from staging.documents d where d.document_id = r.document_id)
),
touched as (
    select r.agency_key, r.report_year from marts.dim_report r join changed using (document_id)
    union
    select a.agency_key, m.report_year
    from stg.stg_report_metadata m
    join changed using (document_id)
    join bodies a on m.agency = a.agency and m.province is not distinct from a.province
),
read_by as (
    select agency_key, report_year from touched
    union
    select agency_key, report_year + 1 from touched
)
select document_id from changed
union
select r.document_id from marts.dim_report r join read_by using (agency_key, report_year)
"""


def plan_build_batch(candidate: Path, same_code: bool) -> int | None:
    """Write `meta.build_batch`; its size, or None when everything is to be built and validated: the code
    changed since the marts were built, or there are no marts yet (then no batch table is left either)."""
    with connect(candidate) as con:
        con.execute("create schema if not exists meta")
        con.execute(f"drop table if exists {BATCH_TABLE}")
        if not same_code:
            return None
        have = {
            f"{s}.{t}"
            for s, t in con.execute(
                "select table_schema, table_name from information_schema.tables"
            ).fetchall()
        }
        if (
            not {
                "marts.dim_report",
                "int.int_agency_divisions",
                "int.int_agency_divisions_unseen",
                "stg.stg_quarantine",
                "stg.stg_report_metadata",
            }
            <= have
        ):
            return None
        con.execute(BATCH_SQL)
        return con.execute(f"select count(*) from {BATCH_TABLE}").fetchone()[0]
