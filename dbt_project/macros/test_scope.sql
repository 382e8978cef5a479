{#-
  Data tests of an incremental run read only the batch's rows of the incremental models by document (the
  marts and int tables with a document_id, dbt_project.yml): every other document's rows are those the last
  build wrote and tested, and a document whose rows could change is in the batch (nianbao/incremental.py).
  The staging and int views are scoped already (build_batch.sql: in_build_scope); the small tables rebuilt
  in full, and int_agency_divisions (by name), are tested whole. A full build (--full-refresh) renders no filter and tests every row, and so does a run without a
  batch (meta.build_scope empty: build_scope_predicate reads every document).

  dbt wraps the `model` of every generic test in get_where_subquery (this project's version replaces dbt's:
  the test's own `where` config still applies); a singular test on such a model calls it itself.
-#}

{% macro get_where_subquery(relation) -%}
    {%- set filters = [] -%}
    {%- if config.get('where') -%}
        {%- do filters.append(config.get('where')) -%}
    {%- endif -%}
    {%- if tested_by_batch(relation) -%}
        {%- do filters.append(build_scope_predicate()) -%}
    {%- endif -%}
    {%- if not filters -%}
        {{- return(relation) -}}
    {%- endif -%}
    {%- set filtered -%}
(select * from {{ relation }} where ({{ filters | join(') and (') }})) dbt_subquery
    {%- endset -%}
    {{- return(filtered) -}}
{%- endmacro %}

{% macro tested_by_batch(relation) -%}
    {%- if flags.FULL_REFRESH or not execute -%}
        {{- return(false) -}}
    {%- endif -%}
    {%- for node in graph.nodes.values()
        if node.resource_type == 'model' and node.config.materialized == 'incremental'
            and 'document_id' in node.columns
            and node.schema == relation.schema and node.alias == relation.identifier -%}
        {{- return(true) -}}
    {%- endfor -%}
    {{- return(false) -}}
{%- endmacro %}
