{#-
  Incremental marts by document (dbt_project.yml: the marts with rows per document). An incremental run
  recomputes only the documents of meta.build_batch (nianbao/incremental.py: documents new, changed, removed
  or quarantined since the last build, and every document of a body one of them belongs to, for the
  cross-report checks): the pre-hook deletes their rows, the model's select keeps only theirs, dbt appends.
  A full refresh (`dbt build --full-refresh`, what nianbao.dbt_build runs unless asked otherwise) builds all.
  A unit test has no relation to be incremental on (`this` is none there): it tests the full select.
-#}

{% macro by_document_increment() -%}
    {{- return(model.resource_type != 'unit_test' and is_incremental()) -}}
{%- endmacro %}

{% macro in_build_batch() -%}
    {%- if by_document_increment() %}
where document_id in (select document_id from {{ source('build', 'build_batch') }})
    {%- endif %}
{%- endmacro %}

{% macro delete_build_batch() -%}
    {%- if by_document_increment() -%}
delete from {{ this }} where document_id in (select document_id from {{ source('build', 'build_batch') }})
    {%- endif -%}
{%- endmacro %}
