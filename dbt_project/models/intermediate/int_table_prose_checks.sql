{#-
  Each table measure against the same measure stated in prose, one row per
  (check, document) of the documents that get that table's checks
  (int_table_documents), in the shape of check_results.

  table_vs_prose_<measure>  the prose figure (int_prose_measures) equals the
                            table figure (int_table_measures); for the lump
                            granted_or_partial, table granted + partially_granted
-#}

{%- set comparisons = table_prose_comparisons() %}

with

comparison_documents as (

    select * from {{ ref('int_table_documents') }}

),

table_measures as (

    select * from {{ ref('int_table_measures') }} {{ in_build_scope() }}

),

prose_measures as (

    select * from {{ ref('int_prose_measures') }}

),

compared_measures as (

    select * from (
        values
            {%- for measure, table_id in comparisons.items() %}
            ('{{ measure }}', '{{ table_id }}'){{ ',' if not loop.last }}
            {%- endfor %}
    ) as compared_measures (measure, table_id)

),

table_lumps as (

    select
        document_id,
        'granted_or_partial' as measure,
        case
            when count(*) filter (where value is null) = 0 and count(*) = 2 then sum(value)
        end as value,
        string_agg(unknown_lines, ', ' order by measure) as unknown_lines,
        flatten(list(used_fact_keys order by measure)) as used_fact_keys

    from table_measures
    where measure in ('granted', 'partially_granted')
    group by document_id

),

table_values as (

    select document_id, measure, value, unknown_lines, used_fact_keys
    from table_measures

    union all

    select document_id, measure, value, unknown_lines, used_fact_keys
    from table_lumps

),

final as (

    select
        'table_vs_prose_' || compared_measures.measure as check_name,
        comparison_documents.document_id,
        prose_measures.value as left_value,
        table_values.value as right_value,
        {{ check_status(
            'prose_measures.value', 'table_values.value', 'prose_measures.value is null or table_values.value is null'
        ) }} as status,
        case
            when prose_measures.value is null or table_values.value is null
                then 'not evaluable: ' || concat_ws(
                    '; ',
                    case when prose_measures.value is null then 'not stated in prose' end,
                    case
                        when not comparison_documents.has_table
                            then 'no ' || comparison_documents.table_label || ' cells staged for this report'
                        when table_values.value is null
                            then 'the table does not give it' || coalesce(': ' || table_values.unknown_lines, '')
                    end
                )
            when {{ values_agree('prose_measures.value', 'table_values.value') }}
                then 'prose ' || {{ format_number('prose_measures.value') }}
                    || ' = table ' || {{ format_number('table_values.value') }}
            else 'prose ' || {{ format_number('prose_measures.value') }} || ' (rule ' || prose_measures.rule_id
                || ') <> table ' || {{ format_number('table_values.value') }}
        end as detail,
        table_values.used_fact_keys as read_fact_keys

    from comparison_documents
    inner join compared_measures
        on comparison_documents.table_id = compared_measures.table_id
    left join prose_measures
        on comparison_documents.document_id = prose_measures.document_id
        and compared_measures.measure = prose_measures.measure
    left join table_values
        on comparison_documents.document_id = table_values.document_id
        and compared_measures.measure = table_values.measure

)

select * from final {{ in_build_batch() }}
