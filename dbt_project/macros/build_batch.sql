{#-
  Incremental marts by document (dbt_project.yml: the marts with rows per document). An incremental run
  recomputes only the documents of meta.build_batch (nianbao/incremental.py: documents new, changed, removed
  or quarantined since the last build, and every document of a body one of them belongs to, for the
  cross-report checks): the pre-hook deletes their rows, the model's select keeps only theirs, dbt appends.
  A full refresh (`dbt build --full-refresh`, what nianbao.dbt_build runs unless asked otherwise) builds all.
  A unit test has no relation to be incremental on (`this` is none there): it tests the full select.

  The batch also scopes what the run computes: the staging views with the large per-document tables
  (stg_documents, stg_table_cells, stg_prose_facts, stg_sections, stg_parse_issues) keep only the documents
  of meta.build_scope, a filter DuckDB pushes into every scan below the int views (a mart's final filter
  is not pushed through their windows and unions). on-run-start fills build_scope with the batch in an
  incremental run and leaves it empty otherwise; on-run-end empties it. Empty means every document, so the
  views read whole outside an incremental run (the published file, nianbao.incremental's plan, a full build).
  stg_report_metadata and stg_quarantine stay whole (one small row per document: dim_agency and quarantine
  read them whole); what a whole table needs from the scoped chain is kept by document in incremental int
  tables (int_agency_reports, int_document_readings).
-#}

{% macro is_increment() -%}
    {#- An incremental run of this model (a unit test has no relation to be incremental on). -#}
    {{- return(model.resource_type != 'unit_test' and is_incremental()) -}}
{%- endmacro %}

{% macro in_build_batch() -%}
    {%- if is_increment() %}
where document_id in (select document_id from {{ source('build', 'build_batch') }})
    {%- endif %}
{%- endmacro %}

{% macro delete_build_batch() -%}
    {%- if is_increment() -%}
delete from {{ this }} where document_id in (select document_id from {{ source('build', 'build_batch') }})
    {%- endif -%}
{%- endmacro %}

{% macro build_scope_relation() -%}
    {{- return(api.Relation.create(database=target.database, schema='meta', identifier='build_scope')) -}}
{%- endmacro %}

{% macro in_build_scope() -%}
    {%- if model.resource_type != 'unit_test' %}
where {{ build_scope_predicate() }}
    {%- endif %}
{%- endmacro %}

{% macro build_scope_predicate() -%}
document_id in (select document_id from {{ build_scope_relation() }})
    or not exists (select 1 from {{ build_scope_relation() }})
{%- endmacro %}

{% macro start_build_scope() -%}
    {#- Run here and committed: dbt rolls back what a hook leaves in an open transaction. -#}
    {%- if execute -%}
    {%- set batch = source('build', 'build_batch') -%}
    {%- set incremental_run = not flags.FULL_REFRESH
        and adapter.get_relation(batch.database, batch.schema, batch.identifier) is not none -%}
    {%- call statement('start_build_scope', auto_begin=True) -%}
create schema if not exists {{ build_scope_relation().without_identifier() }};
create or replace table {{ build_scope_relation() }} (document_id varchar);
        {%- if incremental_run %}
insert into {{ build_scope_relation() }} select document_id from {{ batch }};
        {%- endif %}
    {%- endcall -%}
    {%- do adapter.commit() -%}
    {%- endif -%}
select 1
{%- endmacro %}

{% macro end_build_scope() -%}
    {%- if execute -%}
    {%- call statement('end_build_scope', auto_begin=True) -%}
delete from {{ build_scope_relation() }}
    {%- endcall -%}
    {%- do adapter.commit() -%}
    {%- endif -%}
select 1
{%- endmacro %}
