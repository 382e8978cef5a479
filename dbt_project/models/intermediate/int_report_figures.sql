{#-
  One row per document, one column triple per glossary measure: the chosen
  value (null when the report does not state it), where it came from
  (`prose:<rule_id>@<span_start>-<span_end>`) and whether the report states
  it with different values. Shared by report_summary and check_results.
-#}

{%- set measures = glossary_measures() %}

with

documents as (

    select * from {{ ref('stg_documents') }}

),

prose_measures as (

    select * from {{ ref('int_prose_measures') }}

),

measures_by_document as (

    select
        document_id,
        {%- for measure in measures %}
        max(value) filter (where measure = '{{ measure }}') as {{ measure }},
        max('prose:' || rule_id || '@' || span_start || '-' || span_end)
            filter (where measure = '{{ measure }}') as {{ measure }}_source,
        bool_or(is_conflict) filter (where measure = '{{ measure }}') as {{ measure }}_conflict,
        {%- endfor %}
        count(*) filter (where is_conflict) as conflict_count

    from prose_measures
    group by document_id

),

final as (

    select
        documents.document_id,
        {%- for measure in measures %}
        measures_by_document.{{ measure }},
        measures_by_document.{{ measure }}_source,
        coalesce(measures_by_document.{{ measure }}_conflict, false) as {{ measure }}_conflict,
        {%- endfor %}
        coalesce(measures_by_document.conflict_count, 0) as conflict_count

    from documents
    left join measures_by_document
        on documents.document_id = measures_by_document.document_id

)

select * from final
